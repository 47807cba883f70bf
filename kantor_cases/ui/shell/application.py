"""Starting the desktop window: the QApplication, the start-up path, and last-resort error dialogs."""

from __future__ import annotations

import gc
import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from kantor_cases.domain.errors import KantorError, WrongPasswordError
from kantor_cases.services import sign_in
from kantor_cases.services.locations import ENV_PASSWORD_FILE, Locations
from kantor_cases.services.office import Office
from kantor_cases.ui.shell.collector import GuiThreadCollector
from kantor_cases.ui.widgets.assets import APP_ICON, icon, install_translation
from kantor_cases.ui.widgets.preferences import ACTING_USER
from kantor_cases.ui.widgets.tasks import hold_background_work, release_background_work

log = logging.getLogger(__name__)

# A window that is not painted (started minimized, on a locked screen) lets its held work start anyway.
FIRST_PAINT_WAIT_MS = 2000


class _AfterFirstPaint(QObject):
    """Runs `action` once, after the rest of `window`'s first paint pass (or after FIRST_PAINT_WAIT_MS)."""

    def __init__(self, window: QWidget, action: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._action: Callable[[], None] | None = action
        window.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._window and event.type() == QEvent.Type.Paint and self._action is not None:
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self._run)  # the window paints before its children: after them all
        return False

    def _run(self) -> None:
        action, self._action = self._action, None
        if action is not None:
            action()


def _install_exception_hook(locations: Locations) -> None:
    """Unexpected exceptions in slots are logged and shown with the log's location, never lost."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, error, tb)))
        if isinstance(error, KantorError):
            QMessageBox.warning(None, "Kantor Cases", str(error))
            return
        QMessageBox.critical(
            None, "Kantor Cases",
            f"Something went wrong ({type(error).__name__}).\n\nYour saved data is safe. The details were written to "
            f"{locations.log_file}; please send that file to whoever supports Kantor Cases.",
        )

    sys.excepthook = hook


def ensure_application() -> QApplication:
    existing = QApplication.instance()
    # Only ever a QApplication here (widgets need one); the stubs type instance() as the base class.
    app = existing if isinstance(existing, QApplication) else None
    if app is None:
        app = QApplication(sys.argv[:1])
        install_translation(app)
    app.setApplicationName("Kantor Cases")
    app.setOrganizationName("Kantor Cases")
    app.setOrganizationDomain("kantorcases.local")
    app.setDesktopFileName("kantor-cases")
    app.setWindowIcon(icon(APP_ICON))
    return app


def choose_acting_user(office: Office) -> bool:
    """Ask who is at this desk when nobody was named or remembered; False if the user cancelled."""
    from kantor_cases.ui.shell.acting_user_dialog import ActingUserDialog

    names = [u.name for u in office.settings.users()]
    if not names:
        # A first start: nobody to choose from yet; Settings invites adding the office's people.
        return True
    dialog = ActingUserDialog(names, names[0])
    if not dialog.exec():
        return False
    if dialog.chosen():
        office.user = dialog.chosen()
        ACTING_USER.write(office.user, office.locations.database)
    return True


def sign_in_with_dialog(locations: Locations, user: str | None) -> Office | None:
    """Open the encrypted office at `locations`: with the password of a scripted desk
    (KANTOR_CASES_USER and KANTOR_CASES_PASSWORD_FILE), one remembered in the key store, or the
    sign-in dialog. None if the person quit."""
    from kantor_cases.ui.shell.sign_in_dialog import SignInDialog

    scripted = sign_in.password_from_file(ENV_PASSWORD_FILE)
    if user and scripted is not None:
        return Office.open(locations, user, check_later=True, password=scripted)
    chosen = user or ACTING_USER.read(locations.database)
    remembered = sign_in.remembered_password(locations, chosen) if chosen else None
    if chosen and remembered is not None:
        try:
            return Office.open(locations, chosen, check_later=True, password=remembered)
        except WrongPasswordError:
            sign_in.forget_password(locations, chosen)  # changed since: ask, and remember the new one
    dialog = SignInDialog(
        sign_in.office_users(locations), chosen,
        lambda name, password: Office.open(locations, name, check_later=True, password=password),
        intro=f"Sign in to the office at {sign_in.shown_database(locations)}.", key_store=sign_in.key_store())
    if not dialog.exec():
        return None
    office: Office = dialog.signed_in
    ACTING_USER.write(office.user, locations.database)
    if dialog.remember():
        sign_in.remember_password(locations, office.user, dialog.password())
    return office


def set_up_with_dialog(locations: Locations) -> Office | None:
    from kantor_cases.ui.shell.set_up_dialog import SetUpDialog

    dialog = SetUpDialog(locations)
    if not dialog.exec() or dialog.office is None:
        return None
    ACTING_USER.write(dialog.office.user, locations.database)
    return dialog.office


def open_office(locations: Locations, user: str | None) -> Office | None:
    """The office the window will show, after set-up or sign-in as the file asks; None if the person
    quit. A plain office (made before offices were encrypted) opens as before, with its banner."""
    state = sign_in.office_state(locations)
    if state is sign_in.OfficeState.NEW:
        return set_up_with_dialog(locations)
    if state is sign_in.OfficeState.ENCRYPTED or (
            state is sign_in.OfficeState.SERVER and sign_in.server_needs_sign_in(locations)):
        return sign_in_with_dialog(locations, user)
    # Remembered per database: each office has its own people.
    chosen_user = user or ACTING_USER.read(locations.database) or None
    office = Office.open(locations, chosen_user, check_later=True)  # the window starts it once painted
    if chosen_user is None and not choose_acting_user(office):
        office.close()
        return None
    return office


def run(locations: Locations, user: str | None) -> int:
    app = ensure_application()
    # From the first dialog on, cycles (Qt wrappers among them) are freed on this thread only.
    collector = GuiThreadCollector(app)
    try:
        return _run_window(app, locations, user)
    finally:
        collector.stop()


def _run_window(app: QApplication, locations: Locations, user: str | None) -> int:
    _install_exception_hook(locations)
    try:
        office = open_office(locations, user)
    except KantorError as error:
        log.warning("Start-up refused: %s", error)
        QMessageBox.critical(None, "Kantor Cases cannot open the database", str(error))
        return 2
    if office is None:
        return 0
    from kantor_cases.ui.shell.main_window import MainWindow

    # What the screens ask to read while the window is built starts once it has painted.
    hold_background_work()
    window = MainWindow(office, str(locations.log_file))
    _AfterFirstPaint(window, release_background_work)
    window.show()
    # After a set-up or sign-in dialog the window must take the keyboard (Ctrl+K, Ctrl+L at once).
    window.raise_()
    window.activateWindow()
    # Everything loaded so far lives as long as the window: keep the collector from walking it again
    # and again (full collections otherwise add 20–60 ms to an occasional search keystroke).
    gc.freeze()
    code = app.exec()
    window.shutdown()
    office.close()
    return int(code)
