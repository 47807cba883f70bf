"""Encrypting an office made before offices were encrypted — only when the person says yes.

The person at the desk becomes the office's first administrator with the password they type here.
The conversion (services/accounts.py: a verified backup, an encrypted copy checked table by table,
then the swap) runs off the window's thread. The office is closed by it; the dialog then shows the
recovery key, offers to delete the backups from before (readable by anyone who gets them), and
Kantor Cases closes so that the next start signs in.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.services import accounts
from kantor_cases.services.office import Office
from kantor_cases.ui.shell.recovery_key_page import RecoveryKeyPage
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.tasks import Tasks


class EncryptDialog(QDialog):
    """Accepted once the office is encrypted and its key stored; `encrypted` says what was done."""

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kantor Cases — encrypt this office")
        self.office = office
        self.tasks = Tasks(self)
        self.encrypted: accounts.Encrypted | None = None
        self._firm = office.settings.firm().firm_name  # for the sheet: the office is closed by then

        intro = QLabel(
            f"<b>Encrypt {office.locations.database}</b><br><br>Today anyone who copies this file can read every "
            "client's name, address and A-number. Encrypted, it opens only for someone who signs in.<br><br>"
            f"A verified backup is taken first; every table is checked after the conversion. You, "
            f"<b>{office.user}</b>, become the office's first administrator with the password below; the "
            "office's other people get their passwords from you afterwards. Other desks must close Kantor "
            "Cases first. Kantor Cases closes when it is done: start it again and sign in.")
        intro.setWordWrap(True)
        self.full_name_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.again_edit = QLineEdit()
        self.again_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#a40000;")
        form = QFormLayout()
        form.addRow("Your &full name:", self.full_name_edit)
        form.addRow("New &password:", self.password_edit)
        form.addRow("Password &again:", self.again_edit)
        buttons = QDialogButtonBox()
        self.encrypt_button = buttons.addButton("&Encrypt the office", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_encrypt_clicked)
        buttons.rejected.connect(self.reject)
        ask = QWidget()
        ask_layout = QVBoxLayout(ask)
        ask_layout.addWidget(intro)
        ask_layout.addLayout(form)
        ask_layout.addWidget(self.message)
        ask_layout.addWidget(buttons)

        self.key_page = RecoveryKeyPage("&Close Kantor Cases", self._write_sheet)
        self.key_page.done.connect(self.accept)
        self.plain_backups_label = QLabel()
        self.plain_backups_label.setWordWrap(True)
        self.delete_plain_button = QPushButton("&Delete the unencrypted backups")
        self.delete_plain_button.clicked.connect(self._on_delete_plain_clicked)
        self.key_page.extra.addWidget(self.plain_backups_label)
        self.key_page.extra.addWidget(self.delete_plain_button)

        self.pages = QStackedWidget()
        self.pages.addWidget(ask)
        self.pages.addWidget(self.key_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.resize(600, 460)

    @property
    def busy(self) -> bool:
        return self.tasks.busy

    def reject(self) -> None:
        # After the conversion the key must be seen, and the office is closed: no way back.
        if self.encrypted is None and not self.busy:
            super().reject()

    def _on_encrypt_clicked(self) -> None:
        password = self.password_edit.text()
        if password != self.again_edit.text():
            self.message.setText("The two passwords are not the same; type them again.")
            self.password_edit.clear()
            self.again_edit.clear()
            return
        office, full_name = self.office, self.full_name_edit.text()
        self.encrypt_button.setEnabled(False)
        self.message.setStyleSheet("color:#555;")
        self.message.setText("Encrypting: a backup, the encrypted copy, a check of every table…")
        self.tasks.run("Encrypting the office…", lambda _progress: accounts.encrypt_office(office, full_name, password),
                       self._on_encrypted, self._on_failed, cancellable=False)

    def _on_encrypted(self, encrypted: accounts.Encrypted) -> None:
        self.encrypted = encrypted
        self.key_page.show_key(encrypted.recovery_key)
        count = len(encrypted.plain_backups)
        if count:
            self.plain_backups_label.setText(
                f"{count} backup{'s' if count != 1 else ''} from before {'are' if count != 1 else 'is'} not "
                "encrypted: anyone who gets them can read them. The encrypted backup taken just now is kept.")
        else:
            self.plain_backups_label.hide()
            self.delete_plain_button.hide()
        self.pages.setCurrentIndex(1)

    def _on_failed(self, error: BaseException) -> None:
        self.encrypt_button.setEnabled(True)
        self.message.setStyleSheet("color:#a40000;")
        if isinstance(error, ValidationError):
            self.message.setText(" ".join(error.fields.values()) if error.fields else str(error))
        elif isinstance(error, KantorError):
            self.message.setText(f"{error} The office was left as it was.")
        else:
            self.message.clear()
            show_error(self, error)

    def _on_delete_plain_clicked(self) -> None:
        assert self.encrypted is not None
        plain = self.encrypted.plain_backups
        answer = QMessageBox.question(self, "Delete the unencrypted backups",
                                      f"Delete {len(plain)} unencrypted backup{'s' if len(plain) != 1 else ''}? "
                                      "The office and its encrypted backups are not touched.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            accounts.remove_plain_backups(plain)
        except OSError as error:
            show_error(self, error)
            return
        self.plain_backups_label.setText("The unencrypted backups were deleted.")
        self.delete_plain_button.hide()

    def _write_sheet(self, target: Path) -> Path:
        assert self.encrypted is not None
        return accounts.write_recovery_sheet(self.office.locations, target, self._firm, self.encrypted.recovery_key,
                                             self.office.clock.today(), force=True)
