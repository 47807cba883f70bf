"""Starting the desktop window: the QApplication, the start-up path, and last-resort error dialogs."""

from __future__ import annotations

import gc
import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from kantor_cases.domain.errors import KantorError
from kantor_cases.services.locations import Locations
from kantor_cases.services.office import Office
from kantor_cases.ui.widgets.assets import APP_ICON, icon, install_translation
from kantor_cases.ui.widgets.preferences import ACTING_USER

log = logging.getLogger(__name__)


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
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        install_translation(app)
    app.setApplicationName("Kantor Cases")
    app.setOrganizationName("Kantor Cases")
    app.setOrganizationDomain("kantorcases.local")
    app.setDesktopFileName("kantor-cases")
    app.setWindowIcon(icon(APP_ICON))
    return app  # type: ignore[return-value]


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


def run(locations: Locations, user: str | None) -> int:
    app = ensure_application()
    _install_exception_hook(locations)
    # Remembered per database: each office has its own people.
    chosen_user = user or ACTING_USER.read(locations.database) or None
    try:
        office = Office.open(locations, chosen_user, check_later=True)  # the window starts it once painted
    except KantorError as error:
        log.warning("Start-up refused: %s", error)
        QMessageBox.critical(None, "Kantor Cases cannot open the database", str(error))
        return 2
    if chosen_user is None and not choose_acting_user(office):
        office.close()
        return 0
    from kantor_cases.ui.shell.main_window import MainWindow

    window = MainWindow(office, str(locations.log_file))
    window.show()
    # Everything loaded so far lives as long as the window: keep the collector from walking it again
    # and again (full collections otherwise add 20–60 ms to an occasional search keystroke).
    gc.freeze()
    code = app.exec()
    window.shutdown()
    office.close()
    return int(code)
