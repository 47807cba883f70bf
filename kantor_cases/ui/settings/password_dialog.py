"""A new password, typed twice: for a user of an encrypted office, from Settings."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget


class PasswordDialog(QDialog):
    def __init__(self, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"New password for {user}")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.again_edit = QLineEdit()
        self.again_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color:#a40000;")
        form = QFormLayout()
        form.addRow("New &password:", self.password_edit)
        form.addRow("Password &again:", self.again_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_ok_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel(f"{user} signs in with this password from now on; tell them in person, not by e-mail.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def password(self) -> str:
        return self.password_edit.text()

    def _on_ok_clicked(self) -> None:
        if self.password_edit.text() != self.again_edit.text():
            self.message.setText("The two passwords are not the same.")
            self.again_edit.clear()
            return
        self.accept()
