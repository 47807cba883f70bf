"""Choosing a backup to restore: the office's backups, newest first, or any other backup file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.ui.widgets.file_dialogs import BACKUP, open_file_name

REASONS = {
    "auto": "automatic",
    "exit": "taken at closing",
    "manual": "Back up now",
    "before-import": "before an import",
    "before-restore": "before a restore",
    "before-upgrade": "before an upgrade",
}


def describe(info: Any) -> str:
    """One line for a backup (the backup service's BackupInfo): when, why, how big."""
    reason = REASONS.get(info.reason) or ("before an upgrade" if info.reason.startswith("before-upgrade")
                                          else info.reason.replace("-", " "))
    return f"{info.taken_at:%a %d %b %Y  %H:%M}    {reason}    {info.size / 1_048_576:,.1f} MB"


class RestoreDialog(QDialog):
    def __init__(self, backups: Sequence[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.chosen: Path | None = None
        self.list = QListWidget()
        for info in backups:
            item = QListWidgetItem(describe(info))
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            item.setToolTip(str(info.path))
            self.list.addItem(item)
        if backups:
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        other = QPushButton("Another &file…")
        other.clicked.connect(self._on_other_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("&Restore…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(backups))
        buttons.addButton(other, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel("Everything in the office is replaced by the backup you choose; what is there now "
                                "is backed up first, so a restore can itself be undone."
                                if backups else "This office has no backups yet. Choose a backup file.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.chosen = Path(item.data(Qt.ItemDataRole.UserRole))
        super().accept()

    def _on_other_clicked(self) -> None:
        chosen = open_file_name(self, None, BACKUP, "Choose a backup",
                                "Kantor Cases backups (*.sqlite3);;All files (*)")
        if chosen is not None:
            self.chosen = chosen
            super().accept()
