"""The window locks itself after some minutes without use, and on Ctrl+L.

Only an office whose people have passwords locks (an encrypted file, or a PostgreSQL office whose
users were given passwords). Locking hides every window of the
program (the main window, record windows, open dialogs) without closing any, so what someone was
typing is still there after signing in again; the sign-in accepts the same person or another one
of the office's users, who then acts in the audit trail. A password is checked against the office that is open
(services/sign_in.check_password).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from kantor_cases.services import sign_in
from kantor_cases.ui.widgets.preferences import LOCK_AFTER_MINUTES

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

# Input that means someone is at the desk (a window repainting or a timer firing does not).
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
             QEvent.Type.TouchBegin}


class IdleLock(QObject):
    locked = Signal()
    unlocked = Signal(str)  # who signed in

    def __init__(self, office: Office, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self._signs_in = sign_in.signs_in(office.database)
        self.is_locked = False
        self._hidden: list[QWidget] = []
        self.dialog: QDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.lock)
        self.apply_setting()
        app = QCoreApplication.instance()
        if app is not None and self.enabled:
            app.installEventFilter(self)

    @property
    def enabled(self) -> bool:
        return self._signs_in

    def apply_setting(self) -> None:
        """(Re)start the countdown with the minutes Settings holds now."""
        minutes = LOCK_AFTER_MINUTES.read()
        if self.enabled and minutes > 0:
            self._timer.start(minutes * 60_000)
        else:
            self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if not self.is_locked and event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()  # the same interval, from now
        return False

    def lock(self) -> None:
        if not self.enabled or self.is_locked:
            return
        from kantor_cases.ui.shell.sign_in_dialog import SignInDialog

        self.is_locked = True
        self._timer.stop()
        self._hidden = [widget for widget in QApplication.topLevelWidgets() if widget.isVisible()]
        for widget in self._hidden:
            widget.hide()
        self.locked.emit()
        office = self.office
        minutes = LOCK_AFTER_MINUTES.read()
        why = (f"Kantor Cases locked itself after {minutes} minute{'s' if minutes != 1 else ''} without use"
               if self.sender() is self._timer else "Kantor Cases is locked")
        self.dialog = SignInDialog(
            sign_in.office_users(office.locations), office.user, self._check,
            intro=f"{why}. Sign in to go on — the same person or another; nothing you were typing is lost.",
            key_store=None, cancel_text="Quit Kantor Cases")
        accepted = self.dialog.exec() == QDialog.DialogCode.Accepted
        who = str(self.dialog.signed_in) if accepted else ""
        self.dialog.deleteLater()
        self.dialog = None
        if not accepted:
            # Quitting from the lock: nobody who signed in saw the windows; nothing is saved for them.
            QCoreApplication.quit()
            return
        self.office.user = who
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self.is_locked = False
        self.apply_setting()
        self.unlocked.emit(who)

    def _check(self, user: str, password: str) -> str:
        """On the thread pool: the password of someone of this office, for the office that is open."""
        return sign_in.check_password(self.office.database, self.office.locations, user, password)
