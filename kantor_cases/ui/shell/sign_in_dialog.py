"""Signing in: at start-up on an encrypted office, and again when the window has locked itself.

The person picks their name from the office's users and types their password; the password is
checked off the window's thread (deriving the key takes about half a second by design). A wrong
password says so and clears the field; after five wrong ones the office makes each try wait, and
the dialog counts the wait down. "Remember me on this computer" is offered only where the
operating system has a key store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain.errors import KantorError, SignInDelayedError
from kantor_cases.services.sign_in import OfficeUser
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.tasks import Tasks


class SignInDialog(QDialog):
    """`check(user, password)` runs on the thread pool; what it returns is `signed_in` once accepted."""

    def __init__(self, users: list[OfficeUser], chosen: str, check: Callable[[str, str], Any], *,
                 intro: str, key_store: str | None, cancel_text: str = "Quit",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kantor Cases — sign in")
        self.setModal(True)
        self._check = check
        self.tasks = Tasks(self)
        self.signed_in: Any = None
        self._wait_left = 0

        self.user_combo = QComboBox()
        for user in users:
            label = user.name if user.full_name in ("", user.name) else f"{user.full_name} ({user.name})"
            self.user_combo.addItem(label, user.name)
        if chosen:
            self.user_combo.setCurrentIndex(max(0, self.user_combo.findData(chosen)))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_check = QCheckBox("Remember me on this computer")
        self.remember_check.setToolTip(f"Kept in {key_store}, never in a plain file" if key_store else "")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#a40000;")

        form = QFormLayout()
        form.addRow("&Name:", self.user_combo)
        form.addRow("&Password:", self.password_edit)
        buttons = QDialogButtonBox()
        self.sign_in_button: QPushButton = buttons.addButton("&Sign in", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setDefault(True)
        quit_button = buttons.addButton(cancel_text, QDialogButtonBox.ButtonRole.RejectRole)
        # Enter after a wrong password must try again, never quit: only Sign in is a default button.
        quit_button.setAutoDefault(False)
        buttons.accepted.connect(self._on_sign_in_clicked)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        layout.addWidget(intro_label)
        layout.addLayout(form)
        if key_store:
            layout.addWidget(self.remember_check)
        else:
            self.remember_check.hide()
            note = QLabel("This computer has no key store (such as Windows Credential Manager or macOS "
                          "Keychain), so Kantor Cases cannot remember your password here.")
            note.setWordWrap(True)
            note.setStyleSheet("color:#555;")
            layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._on_countdown_timeout)
        self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(440)

    def user(self) -> str:
        return str(self.user_combo.currentData() or "")

    def password(self) -> str:
        return self.password_edit.text()

    def remember(self) -> bool:
        return self.remember_check.isVisible() and self.remember_check.isChecked()

    @property
    def busy(self) -> bool:
        return self.tasks.busy

    # --- slots -------------------------------------------------------------------------------------

    def _on_sign_in_clicked(self) -> None:
        if not self.password():
            self.message.setText("Type your password.")
            return
        user, password = self.user(), self.password()
        self._set_checking(True)
        self.tasks.run("Checking the password…", lambda _progress: self._check(user, password),
                       self._on_check_done, self._on_check_failed, cancellable=False, quiet=True)

    def _on_check_done(self, signed_in: Any) -> None:
        self._set_checking(False)
        self.signed_in = signed_in
        self.accept()

    def _on_check_failed(self, error: BaseException) -> None:
        self._set_checking(False)
        self.password_edit.clear()
        self.password_edit.setFocus()
        if isinstance(error, SignInDelayedError):
            self._wait_left = error.seconds
            self._on_countdown_timeout()
            self._countdown.start()
        elif isinstance(error, KantorError):
            self.message.setText(str(error))
        else:
            show_error(self, error)

    def _on_countdown_timeout(self) -> None:
        if self._wait_left <= 0:
            self._countdown.stop()
            self.sign_in_button.setEnabled(True)
            self.message.setText("You can try again now.")
            return
        self.sign_in_button.setEnabled(False)
        self.message.setText(f"Too many wrong passwords: try again in {self._wait_left} seconds.")
        self._wait_left -= 1

    def _set_checking(self, checking: bool) -> None:
        self.sign_in_button.setEnabled(not checking)
        self.user_combo.setEnabled(not checking)
        self.password_edit.setEnabled(not checking)
        if not checking:
            self.sign_in_button.setDefault(True)
        if checking:
            self.message.setStyleSheet("color:#555;")
            self.message.setText("Checking the password…")
        else:
            self.message.setStyleSheet("color:#a40000;")
            self.message.clear()
