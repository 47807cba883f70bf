"""The Help menu's two windows: every keyboard shortcut, read from the window's own actions and
shortcuts as they stand (so the list cannot go stale), and About (version, database, licences).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

import kantor_cases
from kantor_cases.ui.widgets.scrolling import FormScroll

# What Kantor Cases ships or links besides its own code, with the licence each comes under.
BUNDLED = (
    ("DejaVu Serif fonts (letters)", "Bitstream Vera licence and public domain (fonts/LICENSE-DejaVu.txt)"),
    ("WenQuanYi Micro Hei, CJK subset (letters)", "Apache-2.0 (fonts/LICENSE-WenQuanYi.txt)"),
    ("Qt and PySide6 (the window)", "LGPL-3.0"),
    ("SQLCipher and sqlcipher3 (the encrypted database)", "BSD-style (Zetetic) and zlib"),
    ("SQLite", "public domain"),
    ("SQLAlchemy and Alembic (database access)", "MIT"),
    ("ReportLab (letters and reports as PDF)", "BSD"),
    ("psycopg (PostgreSQL)", "LGPL-3.0"),
    ("Jinja2 (letter templates), click (command line)", "BSD-3-Clause"),
    ("argon2-cffi, cryptography (passwords and keys)", "MIT; Apache-2.0 or BSD"),
    ("pypdf, icalendar, phonenumbers, rapidfuzz, jellyfish, platformdirs, email-validator, keyring",
     "BSD / Apache-2.0 / MIT / Unlicense (each package's own)"),
)


@dataclass(frozen=True)
class Shortcut:
    where: str  # "File menu", a screen's name, "Client window"
    keys: str  # as the keyboard shows them: "Ctrl+Shift+B"
    what: str


def _plain(text: str) -> str:
    """A menu or button text without its mnemonic, ellipsis or "(key)" hint."""
    text = re.sub(r"\s*\([^)]*\)\s*$", "", text.replace("&&", "\0").replace("&", "").replace("\0", "&"))
    return text.rstrip("…").strip()


def _keys(sequences: Iterable[QKeySequence]) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences if not s.isEmpty())


def _described_by_a_button(shortcut: QShortcut, keys: str) -> str:
    """A shortcut without words of its own is usually the key of a button beside it: "Snooze (S)",
    or a button whose tooltip names it ("Run the report (Enter or Ctrl+R)")."""
    parent = shortcut.parent()
    if not isinstance(parent, QWidget):
        return ""
    buttons = parent.findChildren(QAbstractButton)
    for button in buttons:
        if button.text().replace("&", "").endswith(f"({keys})"):
            return _plain(button.text())
    # The big key people call Enter is Return to Qt.
    names = [keys, "Enter"] if keys == "Return" else [keys]
    for button in buttons:
        for name in names:
            if re.search(rf"(?<![\w+]){re.escape(name)}(?![\w+])", button.toolTip()):
                return _plain(button.text())
    return ""


def _split_words(name: str) -> str:
    words = re.findall(r"[A-Z][a-z]*|[a-z]+", name.removesuffix("Panel"))
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else name


def shortcuts_of(window: QWidget, place_of: dict[QWidget, str] | None = None) -> list[Shortcut]:
    """Every shortcut `window` and its children answer to. `place_of` names some of its widgets (the
    main window's screens); a shortcut inside one of them is listed under that name."""
    place_of = place_of or {}
    top = _split_words(type(window).__name__)

    def place(owner: QObject | None) -> str:
        while isinstance(owner, QObject):
            if owner in place_of:
                return place_of[owner]
            owner = owner.parent()
        return top

    rows: list[Shortcut] = []
    for action in window.findChildren(QAction):
        keys = _keys(action.shortcuts())
        if not keys or not action.isVisible():
            continue
        menus = [m for m in action.associatedObjects() if isinstance(m, QMenu)]
        where = f"{_plain(menus[0].title())} menu" if menus else place(action.parent())
        rows.append(Shortcut(where, keys, _plain(action.text()) or action.toolTip()))
    for shortcut in window.findChildren(QShortcut):
        keys = _keys([shortcut.key()])
        if not keys or not shortcut.isEnabled():
            continue
        what = shortcut.whatsThis() or _described_by_a_button(shortcut, keys)
        rows.append(Shortcut(place(shortcut.parent()), keys, what or "(see the screen)"))
    return rows


class ShortcutsDialog(QDialog):
    """Help → Keyboard shortcuts: a table of where, which keys and what they do."""

    def __init__(self, shortcuts: list[Shortcut], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.shortcuts = shortcuts
        self.table = QTableWidget(len(shortcuts), 3)
        self.table.setHorizontalHeaderLabels(["Where", "Keys", "What it does"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, shortcut in enumerate(shortcuts):
            for column, text in enumerate((shortcut.where, shortcut.keys, shortcut.what)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        note = QLabel("Client and matter windows list their own keys here while one is open. "
                      "In any list, Enter opens the selected row.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(640, 560)


def version() -> str:
    try:
        return metadata.version("kantor-cases")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return kantor_cases.__version__


class AboutDialog(QDialog):
    """Help → About: the version, which database this window has open, and the licences."""

    def __init__(self, database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Kantor Cases")
        rows = "".join(f"<tr><td>{name}</td><td>&nbsp;&nbsp;{licence}</td></tr>" for name, licence in BUNDLED)
        self.text = QLabel(
            f"<h2>Kantor Cases {version()}</h2>"
            "<p>Case management for a small immigration law office.</p>"
            f"<p><b>Database:</b> {_escape(database)}</p>"
            f"<p><b>Bundled and used, with their licences:</b></p><table>{rows}</table>")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.text.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(FormScroll(self.text), 1)
        layout.addWidget(buttons)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
