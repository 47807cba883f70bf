"""Every file dialog of the window, in one place: it opens in the folder last used for that kind of
file (a CSV, a PDF, a calendar, a backup) with this office — remembered per database
(preferences.in_last_folder) — and the first time in the user's Documents folder, never in whatever
folder the program was started from.

A dialog shown before an office is open (set-up, restore) has no database to remember for: it
starts in Documents.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from kantor_cases.ui.widgets.preferences import in_last_folder, remember_folder

CSV, PDF, CALENDAR, BACKUP = "csv", "pdf", "calendar", "backup"


def save_file_name(parent: QWidget | None, database: str | None, kind: str, title: str, suggested: str,
                   file_filter: str) -> Path | None:
    """The file the person chose to save to (the dialog has asked before replacing one), or None."""
    name, _ = QFileDialog.getSaveFileName(parent, title, in_last_folder(database, suggested, kind), file_filter)
    if not name:
        return None
    remember_folder(database, name, kind)
    return Path(name)


def open_file_name(parent: QWidget | None, database: str | None, kind: str, title: str,
                   file_filter: str) -> Path | None:
    """The file the person chose to open, or None."""
    name, _ = QFileDialog.getOpenFileName(parent, title, in_last_folder(database, "", kind), file_filter)
    if not name:
        return None
    remember_folder(database, name, kind)
    return Path(name)
