"""The first start on a new office: the firm, its first administrator, and the recovery key.

The office is created encrypted (services/accounts.py). Its recovery key is shown once, on the
second page, with a button that saves it as a printable sheet; the office opens only after the
person says the key is stored, because without it a forgotten password loses the office.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.services import accounts
from kantor_cases.services.locations import Locations
from kantor_cases.services.office import Office
from kantor_cases.ui.shell.recovery_key_page import RecoveryKeyPage
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.tasks import Tasks


class SetUpDialog(QDialog):
    """Accepted once the office exists and its recovery key is stored: then `office` is open."""

    def __init__(self, locations: Locations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kantor Cases — set up a new office")
        self.locations = locations
        self.tasks = Tasks(self)
        self.office: Office | None = None
        self.recovery_key = ""
        self._firm = ""

        self.firm_edit = QLineEdit()
        self.firm_edit.setPlaceholderText("Law Office of …")
        self.full_name_edit = QLineEdit()
        self.user_edit = QLineEdit(_login_name())
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.again_edit = QLineEdit()
        self.again_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#a40000;")
        form = QFormLayout()
        form.addRow("&Firm:", self.firm_edit)
        form.addRow("Your &full name:", self.full_name_edit)
        form.addRow("Your &user name:", self.user_edit)
        form.addRow("&Password:", self.password_edit)
        form.addRow("Password &again:", self.again_edit)
        intro = QLabel(f"A new office will be created at {locations.database}.\n\nIt is encrypted: nobody can "
                       "read it without signing in. You are its first administrator; you add the office's other "
                       f"people later. A password has at least {accounts.MIN_PASSWORD_LENGTH} characters.")
        intro.setWordWrap(True)
        self.create_button = QPushButton("&Create the office")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._on_create_clicked)
        cancel = QPushButton("Quit")
        cancel.clicked.connect(self.reject)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.addWidget(intro)
        details_layout.addLayout(form)
        details_layout.addWidget(self.message)
        row = QDialogButtonBox()
        row.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        row.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        details_layout.addWidget(row)

        self.key_page = RecoveryKeyPage("&Open the office", self._write_sheet)
        self.key_page.done.connect(self.accept)

        self.pages = QStackedWidget()
        self.pages.addWidget(details)
        self.pages.addWidget(self.key_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.resize(560, 420)

    @property
    def busy(self) -> bool:
        return self.tasks.busy

    def reject(self) -> None:
        # Once the office exists its key must be seen: closing the second page is not "Quit".
        if self.office is None:
            super().reject()

    # --- slots -------------------------------------------------------------------------------------

    def _on_create_clicked(self) -> None:
        password = self.password_edit.text()
        if password != self.again_edit.text():
            self.message.setText("The two passwords are not the same; type them again.")
            self.password_edit.clear()
            self.again_edit.clear()
            self.password_edit.setFocus()
            return
        firm, user, full_name = self.firm_edit.text(), self.user_edit.text(), self.full_name_edit.text()
        locations = self.locations
        self.create_button.setEnabled(False)
        self.message.setStyleSheet("color:#555;")
        self.message.setText("Creating the encrypted office…")
        self._firm = firm.strip()
        self.tasks.run("Creating the office…",
                       lambda _progress: accounts.set_up_office(locations, firm, user, full_name, password),
                       self._on_created, self._on_create_failed, cancellable=False)

    def _on_created(self, made: accounts.NewOffice) -> None:
        self.office = made.office
        self.recovery_key = made.recovery_key
        self.key_page.show_key(made.recovery_key)
        self.pages.setCurrentIndex(1)

    def _on_create_failed(self, error: BaseException) -> None:
        self.create_button.setEnabled(True)
        self.message.setStyleSheet("color:#a40000;")
        if isinstance(error, ValidationError):
            self.message.setText(" ".join(error.fields.values()) if error.fields else str(error))
        elif isinstance(error, KantorError):
            self.message.setText(str(error))
        else:
            self.message.clear()
            show_error(self, error)

    def _write_sheet(self, target: Path) -> Path:
        assert self.office is not None
        # The file dialog has already asked before replacing an existing file.
        return accounts.write_recovery_sheet(self.locations, target, self._firm, self.recovery_key,
                                             self.office.clock.today(), force=True)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
