"""Automatic backups: one every 30 minutes while the window is open and one at exit, each taken only
when the data changed since the newest backup; the rotation the office chose; the status bar's
"how old is the newest backup" (and whether that is too old).

Qt-free: the window runs `back_up_if_changed("auto")` on its task pool every `INTERVAL`, runs
`back_up_if_changed("exit")` before closing the office, and shows `status()` in the status bar.

"Changed" compares the live database with the newest backup file itself (whatever took it: this
timer, a manual backup, the safety copy before an import, restore or upgrade): per table the row
count and the highest rowid, which include the newest audit_events id. Every user action writes an
audit row in its own transaction, so any saved edit, import or deletion moves this fingerprint;
inserts and deletions by automatic jobs move the counts. Reading the backup instead of a note kept
in the database means the answer stays right after a restore, after backups are deleted by hand,
and without writing to the live database just to remember it. A backup that cannot be read counts
as no backup.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from kantor_cases.db.backup import RotationPolicy, open_backup
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.errors import KantorError

from .backups import STALE_AFTER

if TYPE_CHECKING:
    from .backups import BackupService

log = logging.getLogger(__name__)

# How often the window asks for an automatic backup (Anki's default, and what the office asked for).
INTERVAL = timedelta(minutes=30)
AUTOMATIC_REASONS = ("auto", "exit")
# app_meta keys of the rotation the office chose (`kantor-cases backup --keep-daily 30`, …).
POLICY_KEYS = {"hourly": "backup_keep_hourly", "daily": "backup_keep_daily", "weekly": "backup_keep_weekly",
               "monthly": "backup_keep_monthly"}
MAX_KEEP = 10_000

Fingerprint = dict[str, tuple[int, int]]


@dataclass(frozen=True)
class BackupStatus:
    """What the status bar shows: the newest backup, how old it is, and whether to warn."""

    newest_at: datetime | None
    age: timedelta | None
    old: bool  # no backup at all, or the newest is older than STALE_AFTER
    text: str


@dataclass(frozen=True)
class AutoBackupResult:
    taken: bool
    path: Path | None = None
    row_counts: dict[str, int] | None = None
    skipped: str = ""  # why no backup was taken (unchanged, shared database, one already running)


_folder_locks: dict[Path, threading.Lock] = {}
_folder_locks_guard = threading.Lock()


def _folder_lock(folder: Path) -> threading.Lock:
    with _folder_locks_guard:
        return _folder_locks.setdefault(folder.expanduser().absolute(), threading.Lock())


def fingerprint(connection: Any) -> Fingerprint:
    """Per table (search index shadow tables aside): (row count, highest rowid)."""
    tables = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'search_fts%' ORDER BY name")]
    result: Fingerprint = {}
    for table in tables:
        count, highest = connection.execute(f'SELECT count(*), coalesce(max(rowid), 0) FROM "{table}"').fetchone()
        result[table] = (int(count), int(highest))
    return result


def describe_age(age: timedelta | None) -> str:
    if age is None:
        return "no backup yet"
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return "last backup just now"
    if minutes < 60:
        return f"last backup {minutes} min ago"
    hours = minutes // 60
    if hours < 48:
        return f"last backup {hours} h ago"
    return f"last backup {hours // 24} days ago"


class AutoBackup:
    """Automatic backups of one office's SQLite file (see the module docstring)."""

    def __init__(self, service: BackupService, clock: Clock = SYSTEM_CLOCK) -> None:
        self._service = service
        # The system clock by default: backups are named and stamped by the database layer's own
        # wall clock, and their age is only meaningful against that same clock.
        self._clock = clock
        self._database = service.database
        # The 30-minute timer and the exit hook may meet (and may hold different AutoBackup
        # objects): one automatic backup of a folder at a time is enough.
        self._running = _folder_lock(service.folder)

    # --- did anything change? ----------------------------------------------------------------------

    def live_fingerprint(self) -> Fingerprint:
        with self._database.engine.connect() as connection:
            raw = connection.connection.driver_connection
            try:
                return fingerprint(raw)
            finally:
                connection.rollback()

    def newest_backup_fingerprint(self) -> tuple[Path, Fingerprint] | None:
        """The newest backup that can be read, and its fingerprint (None when there is none)."""
        for info in self._service.list():
            try:
                connection = open_backup(info.path, self._database.key)
            except sqlcipher3.Error:
                continue
            try:
                return info.path, fingerprint(connection)
            except sqlcipher3.Error as error:
                log.warning("Backup %s cannot be read (%s); looking at an older one", info.path, error)
            finally:
                connection.close()
        return None

    def changed_since_last_backup(self) -> bool:
        if not self._service.supported:
            return False
        newest = self.newest_backup_fingerprint()
        return newest is None or newest[1] != self.live_fingerprint()

    # --- backing up ------------------------------------------------------------------------------------

    def back_up_if_changed(self, reason: str = "auto") -> AutoBackupResult:
        """Take a verified, rotated backup when the data changed since the newest backup.

        `reason` is "auto" (the 30-minute timer) or "exit" (closing the window); both rotate.
        Safe to call from a worker thread. Raises KantorError when a backup was needed and could
        not be written (the window shows it; the next timer tries again).
        """
        if reason not in AUTOMATIC_REASONS:
            raise ValueError(f"automatic backups are 'auto' or 'exit', not {reason!r}")
        if not self._service.supported:
            return AutoBackupResult(False, skipped="a shared PostgreSQL database is backed up on the server")
        if not self._running.acquire(blocking=False):
            return AutoBackupResult(False, skipped="a backup is already being taken")
        try:
            newest = self.newest_backup_fingerprint()
            if newest is not None and newest[1] == self.live_fingerprint():
                return AutoBackupResult(False, skipped=f"nothing changed since {newest[0].name}")
            result = self._service.back_up(reason=reason)
            log.info("Automatic backup (%s) written to %s", reason, result.path)
            return AutoBackupResult(True, result.path, result.row_counts)
        finally:
            self._running.release()

    # --- the status bar ----------------------------------------------------------------------------------

    def status(self, now: datetime | None = None) -> BackupStatus:
        if not self._service.supported:
            return BackupStatus(None, None, False, "backed up on the server")
        backups = self._service.list()
        if not backups:
            return BackupStatus(None, None, True, "no backup yet")
        newest = backups[0].taken_at
        age = max(timedelta(0), (now or self._clock.now()) - newest)
        return BackupStatus(newest, age, age > STALE_AFTER, describe_age(age))

    # --- the rotation the office chose ---------------------------------------------------------------------

    def policy(self) -> RotationPolicy:
        """The keep counts stored in the database, the defaults (48/14/8/12) where none is stored."""
        # Imported here, not with the module: the window's start-up imports this module (and paints
        # before SQLAlchemy is imported).
        from sqlalchemy import select

        from kantor_cases.db.models import AppMeta

        defaults = RotationPolicy()
        with self._database.read() as session:
            # A Result has keys(), so dict() would take it for a mapping: build the dict from rows.
            stored = {key: value for key, value in session.execute(
                select(AppMeta.key, AppMeta.value).where(AppMeta.key.in_(POLICY_KEYS.values())))}
        counts = {}
        for field, key in POLICY_KEYS.items():
            try:
                counts[field] = int(stored[key])
            except (KeyError, ValueError):
                counts[field] = getattr(defaults, field)
        return RotationPolicy(**counts)

    def set_policy(self, hourly: int | None = None, daily: int | None = None, weekly: int | None = None,
                   monthly: int | None = None) -> RotationPolicy:
        """Store new keep counts (None keeps the current one); returns the policy now in force."""
        current = self.policy()
        chosen = {"hourly": hourly, "daily": daily, "weekly": weekly, "monthly": monthly}
        for field, value in chosen.items():
            if value is not None and not 0 <= value <= MAX_KEEP:
                raise KantorError(f"Keep between 0 and {MAX_KEEP:,} {field} backups, not {value}.")
        policy = RotationPolicy(**{field: getattr(current, field) if value is None else value
                                   for field, value in chosen.items()})
        if policy.hourly + policy.daily + policy.weekly + policy.monthly == 0:
            raise KantorError("Keep at least one automatic backup (all four counts are 0).")
        from sqlalchemy import delete, insert

        from kantor_cases.db.models import AppMeta

        with self._database.write() as session:
            session.execute(delete(AppMeta).where(AppMeta.key.in_(POLICY_KEYS.values())))
            session.execute(insert(AppMeta), [{"key": key, "value": str(getattr(policy, field))}
                                              for field, key in POLICY_KEYS.items()])
        return policy

