"""Every setting the window remembers on this computer, declared once: its key, its type, its default.

QSettings keeps them in the user's configuration folder. A setting about one office (who is at this
desk, the folder last used for its files) is kept under a short stable hash of that office's
database, so two offices opened on one computer do not share them. Window sizes and the state of
splitters and table headers are the widgets' own bytes, saved and restored through `SavedLayout`.

It sits with the shared widgets, below the shell and the features, because all of them remember
something.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Protocol, TypeVar
from urllib.parse import urlsplit, urlunsplit

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

log = logging.getLogger(__name__)

T = TypeVar("T", bool, int, str)


def database_key(database: str) -> str:
    """A short name that stays the same for one database: its path, or its URL without the password."""
    parts = urlsplit(database)
    if parts.password is not None:
        host = parts.hostname or ""
        database = urlunsplit(parts._replace(netloc=f"{parts.username}@{host}"
                                                    + (f":{parts.port}" if parts.port else "")))
    return hashlib.sha256(database.encode("utf-8")).hexdigest()[:12]


def _converted(kind: type[T], stored: object) -> T:
    """What QSettings gave back, as `kind`: its ini files keep every value as text."""
    if isinstance(stored, kind):
        return stored
    text = str(stored)
    if kind is bool:
        if text.lower() not in ("true", "false"):
            raise ValueError(text)
        return kind(text.lower() == "true")
    return kind(text)


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    kind: type[T]
    default: T
    per_database: bool = False

    def stored_key(self, database: str | None) -> str:
        if not self.per_database:
            return self.key
        if not database:
            raise ValueError(f"the setting {self.key} is kept per database; say which")
        section, _, name = self.key.rpartition("/")
        return f"{section}/{database_key(database)}/{name}"

    def read(self, database: str | None = None) -> T:
        key = self.stored_key(database)
        stored = QSettings().value(key)
        if stored is None:
            return self.default
        try:
            return _converted(self.kind, stored)
        except (TypeError, ValueError):
            log.warning("Setting %s holds something that is not a %s; using %r", key, self.kind.__name__,
                        self.default)
            return self.default

    def write(self, value: T, database: str | None = None) -> None:
        QSettings().setValue(self.stored_key(database), value)


class _Geometry(Protocol):
    def saveGeometry(self) -> QByteArray: ...  # noqa: N802 - Qt's name

    def restoreGeometry(self, geometry: QByteArray | bytes) -> bool: ...  # noqa: N802 - Qt's name


class _State(Protocol):
    def saveState(self) -> QByteArray: ...  # noqa: N802 - Qt's name

    def restoreState(self, state: QByteArray | bytes) -> bool: ...  # noqa: N802 - Qt's name


@dataclass(frozen=True)
class SavedLayout:
    """A window's size and place (`save_geometry`), or a splitter's or table header's state (`save_state`)."""

    key: str

    def _stored(self) -> QByteArray | None:
        stored = QSettings().value(self.key)
        return stored if isinstance(stored, QByteArray) and not stored.isEmpty() else None

    def save_geometry(self, window: _Geometry) -> None:
        QSettings().setValue(self.key, window.saveGeometry())

    def restore_geometry(self, window: _Geometry) -> bool:
        """False when nothing was saved yet (the window keeps the size it was given)."""
        stored = self._stored()
        return stored is not None and window.restoreGeometry(stored)

    def save_state(self, widget: _State) -> None:
        QSettings().setValue(self.key, widget.saveState())

    def restore_state(self, widget: _State) -> bool:
        stored = self._stored()
        return stored is not None and widget.restoreState(stored)


# --- what is remembered -------------------------------------------------------------------------------------

ACTING_USER = Setting("session/user", str, "", per_database=True)
PRIVACY_MODE = Setting("view/privacy", bool, False)
HEARINGS_DAYS = Setting("hearings/days", int, 7)
# An encrypted office's window locks itself after this many minutes without keyboard or mouse use
# (0: never). Per desk, not per office: it is about who can walk up to this computer.
LOCK_AFTER_MINUTES = Setting("security/lock_after_minutes", int, 10)
# The Reports screen: the report last run and its filters ("" for "All"; no date: the report's own range).
REPORT_CHOSEN = Setting("reports/report", str, "")
REPORT_ATTORNEY = Setting("reports/attorney", str, "", per_database=True)
REPORT_KIND = Setting("reports/kind", str, "")
REPORT_FROM = Setting("reports/from", str, "")
REPORT_TO = Setting("reports/to", str, "")

MAIN_WINDOW = SavedLayout("main_window/geometry")
NAVIGATION_SPLITTER = SavedLayout("main_window/splitter")
CLIENT_WINDOW = SavedLayout("client_window/geometry")
MATTER_WINDOW = SavedLayout("matter_window/geometry")
PD_REQUEST_SPLITTER = SavedLayout("matter_window/pd_splitter")


def last_folder(kind: str = "") -> Setting[str]:
    """The folder last used for this office's files of `kind` ("csv", "pdf", …; "" any kind)."""
    return Setting(f"files/{kind}/last_folder" if kind else "files/last_folder", str, "", per_database=True)


def documents_folder() -> Path:
    """The user's Documents folder (their home if the system names none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def in_last_folder(database: str | None, file_name: str = "", kind: str = "") -> str:
    """Where a file dialog starts: `file_name` in the folder last used for this office's files of
    `kind`, if it is still there, else in Documents — never the program's working folder."""
    remembered = last_folder(kind).read(database) if database else ""
    folder = Path(remembered) if remembered and Path(remembered).is_dir() else documents_folder()
    return str(folder / file_name) if file_name else str(folder)


def remember_folder(database: str | None, chosen: str, kind: str = "") -> None:
    """The folder of the file just chosen, for the next file dialog of this office for `kind` files."""
    if database:
        last_folder(kind).write(str(Path(chosen).parent), database)


def table_header(name: str) -> SavedLayout:
    """The column widths and order of the table called `name` ("clients", "matter/hearings", …)."""
    return SavedLayout(f"{name}/header")
