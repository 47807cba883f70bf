"""The page that shows an office's recovery key once, after set-up or encryption.

With the key an administrator can set a new password when every password is lost; without it a
forgotten password loses the office. So the page offers a printable sheet and lets the person go
on only after they say the key is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QVBoxLayout, QWidget

from kantor_cases.domain.errors import KantorError
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.file_dialogs import PDF, save_file_name


class RecoveryKeyPage(QWidget):
    done = Signal()

    def __init__(self, go_on_text: str, write_sheet: Callable[[Path], Path],
                 parent: QWidget | None = None) -> None:
        """`write_sheet(path)` writes the printable sheet (an existing file the dialog asked about is
        replaced) and returns where it went."""
        super().__init__(parent)
        self._write_sheet = write_sheet
        explain = QLabel("<b>The office's recovery key</b> — shown only now.<br><br>If every password is lost, "
                         "this key is the only way back into the office: with it an administrator can set a new "
                         "password. Print it or write it down and keep it in the office safe, not on this "
                         "computer.")
        explain.setWordWrap(True)
        self.key_label = QLabel()
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        key_font = QFont("monospace")
        key_font.setPointSize(13)
        key_font.setBold(True)
        self.key_label.setFont(key_font)
        self.key_label.setWordWrap(True)
        self.sheet_button = QPushButton("&Save the recovery sheet (PDF) to print…")
        self.sheet_button.clicked.connect(self._on_sheet_button_clicked)
        self.sheet_message = QLabel()
        self.sheet_message.setWordWrap(True)
        self.extra = QVBoxLayout()  # what a dialog adds below the key (the plain backups' question)
        self.stored_check = QCheckBox("I have printed or written down the recovery key and will keep it somewhere "
                                      "safe")
        self.go_on_button = QPushButton(go_on_text)
        self.go_on_button.setEnabled(False)
        self.stored_check.toggled.connect(self.go_on_button.setEnabled)
        self.go_on_button.clicked.connect(self.done)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.key_label)
        layout.addWidget(self.sheet_button)
        layout.addWidget(self.sheet_message)
        layout.addLayout(self.extra)
        layout.addStretch(1)
        layout.addWidget(self.stored_check)
        layout.addWidget(self.go_on_button)

    def show_key(self, recovery_key: str) -> None:
        self.key_label.setText(recovery_key.replace("-", " "))

    def ask_sheet_path(self) -> Path | None:
        return save_file_name(self, None, PDF, "Save the recovery sheet", "kantor-cases-recovery-sheet.pdf",
                              "PDF files (*.pdf)")

    def _on_sheet_button_clicked(self) -> None:
        target = self.ask_sheet_path()
        if target is None:
            return
        try:
            written = self._write_sheet(target)
        except (KantorError, OSError) as error:
            show_error(self, error)
            return
        self.sheet_message.setText(f"Saved to {written}. Print it, put it in the safe, then delete the file.")
