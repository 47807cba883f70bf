"""The main window: navigation between the office's screens, the global search (Ctrl+K), the
client and matter windows, menus and the status bar (database, acting user, backup age).

Screens owned by other features (Today, Follow-ups, Calendar, Letters) are put in the navigation
when their modules import, and show a plain "coming soon" page until then.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QFileSystemWatcher, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain import permissions
from kantor_cases.domain.changes import CLIENTS, MATTERS, SETTINGS, USERS, Changes
from kantor_cases.domain.errors import KantorError
from kantor_cases.domain.private_files import make_private_folder
from kantor_cases.services import sign_in
from kantor_cases.services.auto_backup import INTERVAL as AUTO_BACKUP_INTERVAL
from kantor_cases.services.office import Office
from kantor_cases.ui.shell.idle_lock import IdleLock
from kantor_cases.ui.shell.search_box import SearchBox
from kantor_cases.ui.widgets import privacy
from kantor_cases.ui.widgets.assets import icon
from kantor_cases.ui.widgets.elided_label import ElidedLabel
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.operations import announce, run_query, watch
from kantor_cases.ui.widgets.preferences import MAIN_WINDOW, NAVIGATION_SPLITTER, PRIVACY_MODE
from kantor_cases.ui.widgets.roles import allow
from kantor_cases.ui.widgets.scrolling import ScreenScroll, fit_to_screen
from kantor_cases.ui.widgets.tasks import Tasks

if TYPE_CHECKING:
    from kantor_cases.services.backups import BackupResult
    from kantor_cases.ui.clients.client_window import ClientWindow
    from kantor_cases.ui.clients.clients_panel import ClientsPanel
    from kantor_cases.ui.clients.intake_wizard import IntakeWizard
    from kantor_cases.ui.matters.matter_window import MatterWindow

log = logging.getLogger(__name__)

INTEGRITY_CHECK_DELAY_MS = 300
SCREENS = ("Today", "Clients", "Matters", "Hearings", "PD requests", "Reports", "Follow-ups", "Deadlines", "Calendar",
           "Letters", "Settings", "Audit")
# Screens only some roles see (hidden until the signed-in role is known to be allowed).
ADMIN_SCREENS = {"Audit": "audit.view_all"}


class MainWindow(QMainWindow):
    def __init__(self, office: Office, log_file: str = "") -> None:
        super().__init__()
        self.office = office
        self.log_file = log_file
        self.tasks = Tasks(self, log_file)
        self.client_windows: dict[int, ClientWindow] = {}
        self.matter_windows: dict[int, MatterWindow] = {}
        self.panels: dict[str, QWidget] = {}
        self._started_by = office.user  # who signed in to open the window (the lock may change it)
        self.clients_panel: ClientsPanel | None = None  # built when Clients is first shown
        self.setWindowTitle("Kantor Cases")
        fit_to_screen(self, 1280, 800)  # the first start on a 1,024 x 700 laptop fits its screen

        self.navigation = QListWidget()
        self.navigation.setMaximumWidth(200)
        self.navigation.setMinimumWidth(130)
        self.navigation.setStyleSheet("QListWidget { font-size: 11pt; } QListWidget::item { padding: 6px 8px; }")
        self.stack = QStackedWidget()
        for number, name in enumerate(SCREENS, start=1):
            item = QListWidgetItem(icon(name.lower().replace(" ", "-")), name)
            item.setToolTip(f"Ctrl+{number}" if number <= 9 else "")
            self.navigation.addItem(item)
            self.stack.addWidget(QWidget())  # filled on first visit, so start-up stays quick
        self.welcome = QLabel()
        self.welcome.setWordWrap(True)
        self.welcome.setTextFormat(Qt.TextFormat.RichText)
        self.welcome.setStyleSheet("background:#e8f1fb; border:1px solid #9cc0e8; padding:8px;")
        self.welcome.linkActivated.connect(self._on_welcome_link_activated)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        self.damage_banner = QLabel()
        self.damage_banner.setWordWrap(True)
        self.damage_banner.setStyleSheet("background:#fde8e8; border:1px solid #d9534f; color:#7a1c1c; padding:8px;")
        self.damage_banner.hide()
        content_layout.addWidget(self.damage_banner)
        # A plain office (made before offices were encrypted) says so until someone says yes.
        self.encrypt_banner = QLabel(
            "<b>This office is not encrypted</b>: anyone who copies its file can read every client. "
            "<a href='encrypt'>Encrypt now…</a>")
        self.encrypt_banner.setWordWrap(True)
        self.encrypt_banner.setStyleSheet("background:#fde8e8; border:1px solid #d9534f; color:#7a1c1c; padding:8px;")
        self.encrypt_banner.linkActivated.connect(lambda _link: self.encrypt_now())
        self.encrypt_banner.setVisible(office.database.path is not None and not office.encrypted)
        content_layout.addWidget(self.encrypt_banner)
        content_layout.addWidget(self.welcome)
        content_layout.addWidget(self.stack, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(content)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([170, 1100])
        self.setCentralWidget(self.splitter)
        self.navigation.currentRowChanged.connect(self._on_navigation_row_changed)

        self.search_box = SearchBox(office, self)
        self.search_box.client_chosen.connect(self.open_client)
        self.search_box.matter_chosen.connect(self.open_matter)
        toolbar = QToolBar("Search")
        toolbar.setObjectName("search_toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.search_box)
        self.addToolBar(toolbar)

        self._database_label = ElidedLabel(f"Database: {office.database.location}")
        self._backup_label = QLabel()
        self._user_label = QLabel()
        self.statusBar().addWidget(self._database_label, 1)
        self.statusBar().addPermanentWidget(self._user_label)
        self.statusBar().addPermanentWidget(self._backup_label)
        self._show_user()
        # Only an office whose people have passwords locks: they sign in again with them.
        lock = IdleLock(office, self)
        self.idle_lock = lock if lock.enabled else None
        if self.idle_lock is not None:
            self.idle_lock.unlocked.connect(self._on_idle_lock_unlocked)
        self._build_menus()
        self._offer_admin_screens()
        self.update_welcome()
        # The welcome line says what is missing (letterhead, users): it follows Settings.
        watch(self, (SETTINGS, USERS), lambda _changes: self._on_settings_changed())
        self.auto_backup = office.backups.automatic
        self._exit_backup_done = False
        self._refresh_backup_age()
        self._backup_timer = QTimer(self)
        self._backup_timer.timeout.connect(self._refresh_backup_age)
        self._backup_timer.start(60_000)
        self._watch_backups_folder()
        # Every 30 minutes, off the UI thread, a backup when the data changed since the newest one.
        self._auto_backup_timer = QTimer(self)
        self._auto_backup_timer.timeout.connect(self._on_auto_backup_timer_timeout)
        self._auto_backup_timer.start(int(AUTO_BACKUP_INTERVAL.total_seconds() * 1000))

        MAIN_WINDOW.restore_geometry(self)
        NAVIGATION_SPLITTER.restore_state(self.splitter)
        self.navigation.setCurrentRow(0)
        # The opening's quick_check runs beside the window (seconds on a big office); its verdict is
        # shown as soon as it is in. Saves wait for it in the services.
        self._integrity_timer = QTimer(self)
        self._integrity_timer.timeout.connect(self._show_integrity_verdict)
        self._integrity_timer.start(250)
        # After the first paint: three seconds of reading a big office must not slow it.
        QTimer.singleShot(INTEGRITY_CHECK_DELAY_MS, office.start_integrity_check)

    def _show_integrity_verdict(self) -> None:
        if not self.office.integrity_checked:
            return
        self._integrity_timer.stop()
        notice = self.office.damage_notice()
        if self.idle_lock is not None and not notice:
            # Who signed in at this desk, in the audit trail (written now: a write before the
            # opening's check is in would have run that check on the window's thread).
            database, user = self.office.database, self._started_by
            run_query(self, lambda: sign_in.record_sign_in(database, user, "at the window"), lambda _none: None)
        if notice:
            self.damage_banner.setText(notice)
            self.damage_banner.show()
            self._database_label.setText(f"Database: {self.office.database.location} — damaged, read-only")

    # --- screens --------------------------------------------------------------------------------------

    def _build_panel(self, name: str) -> QWidget:
        # Each screen's module is imported when the screen is first visited: start-up loads only
        # what it shows. The shell is the one place that knows every feature and wires them.
        factories: dict[str, Callable[[], QWidget]] = {
            "Today": self._make_today_panel,
            "Clients": self._make_clients_panel,
            "Matters": self._make_matters_panel,
            "Hearings": self._make_hearings_panel,
            "PD requests": self._make_pd_requests_panel,
            "Reports": self._make_reports_panel,
            "Follow-ups": self._make_follow_ups_panel,
            "Deadlines": self._make_deadlines_panel,
            "Calendar": self._make_calendar_panel,
            "Letters": self._make_letters_panel,
            "Settings": self._make_settings_panel,
            "Audit": self._make_audit_panel,
        }
        panel = factories[name]()
        for signal, slot in (("open_client_requested", self.open_client),
                             ("open_matter_requested", self.open_matter)):
            if hasattr(panel, signal):
                getattr(panel, signal).connect(slot)
        return panel

    def panel(self, name: str) -> QWidget:
        """The screen called `name`, built on first use."""
        if name not in self.panels:
            position = SCREENS.index(name)
            panel = self._build_panel(name)
            old = self.stack.widget(position)
            # A screen wider or taller than the window scrolls: none decides how big the window must be.
            self.stack.insertWidget(position, ScreenScroll(panel))
            if old is not None:  # the empty page that held the screen's place
                self.stack.removeWidget(old)
                old.deleteLater()
            self.panels[name] = panel
        return self.panels[name]

    def show_screen(self, name: str) -> QWidget:
        self.navigation.setCurrentRow(SCREENS.index(name))
        return self.panel(name)

    def current_screen(self) -> str:
        return SCREENS[self.navigation.currentRow()]

    def _on_navigation_row_changed(self, row: int) -> None:
        if 0 <= row < len(SCREENS):
            self.panel(SCREENS[row])
            self.stack.setCurrentIndex(row)

    def refresh_everything(self) -> None:
        """F5: every open screen and record window loads again what it shows."""
        announce(Changes.everything())

    def update_welcome(self) -> None:
        """On a first start, say what to do first: the people and letterhead, then the first client.
        Asked off the window's thread: counting 300,000 clients must not delay the first paint."""
        office = self.office

        def first_steps() -> list[str]:
            steps = []
            if not office.settings.users():
                steps.append("<a href='Settings'>add the people who work here</a>")
            if not office.settings.firm().firm_name:
                steps.append("<a href='Settings'>fill in the letterhead</a>")
            if office.clients.count() == 0:
                steps.append("<a href='new-client'>take in your first client</a> (Ctrl+N)")
            return steps

        run_query(self, first_steps, self._show_welcome, lambda error: log.warning(
            "The welcome line could not be worked out: %s", type(error).__name__))

    @property
    def busy(self) -> bool:
        return self.tasks.busy

    def _show_welcome(self, steps: list[str]) -> None:
        if steps:
            self.welcome.setText("<b>Welcome to Kantor Cases.</b> To get started, " + ", ".join(steps[:-1])
                                 + (" and " if len(steps) > 1 else "") + steps[-1] + ".")
        self.welcome.setVisible(bool(steps))

    # --- menus ------------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_client_action = QAction("&New client…", self)
        self.new_client_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_client_action.triggered.connect(self.new_client)
        file_menu.addAction(self.new_client_action)
        import_action = QAction("&Import clients from CSV…", self)
        import_action.triggered.connect(self._on_import_triggered)
        file_menu.addAction(import_action)
        export_action = QAction("&Export clients to CSV…", self)
        export_action.triggered.connect(self._on_export_triggered)
        file_menu.addAction(export_action)
        file_menu.addSeparator()
        self.back_up_action = QAction("&Back up now", self)
        self.back_up_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.back_up_action.triggered.connect(self._on_back_up_triggered)
        self.back_up_action.setEnabled(self.office.backups.supported)
        file_menu.addAction(self.back_up_action)
        self.restore_action = QAction("&Restore from a backup…", self)
        self.restore_action.triggered.connect(self._on_restore_triggered)
        self._allow_restore()
        file_menu.addAction(self.restore_action)
        open_backups = QAction("&Open backups folder", self)
        open_backups.triggered.connect(self._on_open_backups_triggered)
        file_menu.addAction(open_backups)
        file_menu.addSeparator()
        self.lock_action = QAction("&Lock", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setEnabled(self.idle_lock is not None)
        self.lock_action.setToolTip("Hide everything until someone signs in (an encrypted office)")
        if self.idle_lock is not None:
            self.lock_action.triggered.connect(self.idle_lock.lock)
        file_menu.addAction(self.lock_action)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("&Go")
        self.search_action = QAction("&Search…", self)
        self.search_action.setShortcut(QKeySequence("Ctrl+K"))
        self.search_action.triggered.connect(self._on_search_triggered)
        go_menu.addAction(self.search_action)
        go_menu.addSeparator()
        self.screen_actions: dict[str, QAction] = {}
        for number, name in enumerate(SCREENS, start=1):
            action = QAction(name, self)
            self.screen_actions[name] = action
            if number <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, screen=name: self.show_screen(screen))
            go_menu.addAction(action)

        view_menu = self.menuBar().addMenu("&View")
        self.privacy_action = QAction("&Privacy mode (mask sensitive clients in every list)", self)
        self.privacy_action.setCheckable(True)
        self.privacy_action.setChecked(PRIVACY_MODE.read())
        self.privacy_action.toggled.connect(self._on_privacy_toggled)
        privacy.set_enabled(self.privacy_action.isChecked())
        view_menu.addAction(self.privacy_action)
        refresh = QAction("&Refresh", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh_everything)
        view_menu.addAction(refresh)
        # Escape in the main window leaves the search box / returns focus to the current screen.
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._on_escape).setWhatsThis(
            "Leave the search box for the screen")

        help_menu = self.menuBar().addMenu("&Help")
        self.shortcuts_action = QAction("&Keyboard shortcuts", self)
        self.shortcuts_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        help_menu.addAction(self.shortcuts_action)
        about_action = QAction("&About Kantor Cases", self)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(about_action)

    def show_shortcuts(self) -> QWidget:
        """F1: every shortcut of the window, its screens and the open record windows, read from them."""
        from kantor_cases.ui.shell.help import ShortcutsDialog, shortcuts_of

        for row, name in enumerate(SCREENS):  # a screen's keys exist once it is built
            if not self.navigation.item(row).isHidden():
                self.panel(name)
        places: dict[QWidget, str] = {panel: f"{name} screen" for name, panel in self.panels.items()}
        places.update({window: "Client window" for window in self.client_windows.values()})
        places.update({window: "Matter window" for window in self.matter_windows.values()})
        dialog = ShortcutsDialog(shortcuts_of(self, places), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> QWidget:
        from kantor_cases.ui.shell.help import AboutDialog

        dialog = AboutDialog(self.office.database.location, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # --- opening records ---------------------------------------------------------------------------------

    def _make_clients_panel(self) -> QWidget:
        from kantor_cases.ui.clients.clients_panel import ClientsPanel

        self.clients_panel = ClientsPanel(self.office, self, self.tasks)
        self.clients_panel.new_client_requested.connect(self.new_client)
        return self.clients_panel

    def _make_settings_panel(self) -> QWidget:
        from kantor_cases.ui.settings.settings_panel import SettingsPanel

        panel = SettingsPanel(self.office, self, self.tasks)
        panel.acting_user_changed.connect(self._on_settings_acting_user_changed)
        if self.idle_lock is not None:
            panel.switch_user_requested.connect(self.idle_lock.lock)
        return panel

    def _make_audit_panel(self) -> QWidget:
        from kantor_cases.ui.history.audit_panel import AuditPanel

        return AuditPanel(self.office, self)

    def _history_tab(self, window: QWidget, client_id: int | None = None, matter_id: int | None = None) -> QWidget:
        """A record window's History tab: the history feature's widget, built here (as Letters is)."""
        from kantor_cases.services.history import HistoryFilter
        from kantor_cases.ui.history.history_view import HistoryView

        return HistoryView(self.office, HistoryFilter(client_id=client_id, matter_id=matter_id), window)

    def _make_today_panel(self) -> QWidget:
        from kantor_cases.ui.agenda.today_panel import TodayPanel

        panel = TodayPanel(self.office, self)
        # "118 EOIR status checks due — open list": the Follow-ups screen, showing that rule's.
        panel.follow_ups_rule_requested.connect(
            lambda rule_id: self.show_screen("Follow-ups").show_rule(rule_id))  # type: ignore[attr-defined]
        return panel

    def _make_follow_ups_panel(self) -> QWidget:
        from kantor_cases.ui.follow_ups.follow_ups_panel import FollowUpsPanel

        return FollowUpsPanel(self.office, self)

    def _make_reports_panel(self) -> QWidget:
        from kantor_cases.ui.reports.reports_panel import ReportsPanel

        return ReportsPanel(self.office, self)

    def _make_deadlines_panel(self) -> QWidget:
        from kantor_cases.ui.deadlines.deadlines_panel import DeadlinesPanel

        return DeadlinesPanel(self.office, self)

    def _make_calendar_panel(self) -> QWidget:
        from kantor_cases.ui.calendar.calendar_panel import CalendarPanel

        return CalendarPanel(self.office, self)

    def _make_letters_panel(self) -> QWidget:
        from kantor_cases.ui.letters.letters_panel import LettersPanel

        return LettersPanel(self.office, self)

    def _make_matters_panel(self) -> QWidget:
        from kantor_cases.ui.matters.matters_panel import MattersPanel

        return MattersPanel(self.office, self)

    def _make_hearings_panel(self) -> QWidget:
        from kantor_cases.ui.hearings.hearings_panel import HearingsPanel

        panel = HearingsPanel(self.office, self)
        panel.print_reminders_requested.connect(lambda days: self.print_hearing_reminders(panel, days))
        return panel

    def print_hearing_reminders(self, panel: QWidget, days: int) -> None:
        from kantor_cases.ui.letters.letter_batch_dialog import LetterBatchDialog

        # The batch announces the letters it printed: the Hearings screen shows them sent.
        LetterBatchDialog(self.office, parent=panel, template_id="hearing-reminder", days=days).exec()

    def _letters_tab(self, window: QWidget, client_id: int | None = None, matter_id: int | None = None) -> QWidget:
        """A record window's Letters tab: the letters feature's widget, built here so the clients
        and matters features need not import it."""
        from kantor_cases.ui.letters.letters_tab import LettersTab

        return LettersTab(self.office, client_id=client_id, matter_id=matter_id, parent=window)

    def _make_pd_requests_panel(self) -> QWidget:
        from kantor_cases.ui.pd_requests.pd_requests_panel import PdRequestsPanel

        return PdRequestsPanel(self.office, self)

    def open_client(self, client_id: int) -> ClientWindow | None:
        window = self.client_windows.get(client_id)
        if window is None:
            try:
                from kantor_cases.ui.clients.client_window import ClientWindow

                window = ClientWindow(self.office, client_id, self,
                                      letters_tab=lambda owner: self._letters_tab(owner, client_id=client_id),
                                      history_tab=lambda owner: self._history_tab(owner, client_id=client_id))
            except KantorError as error:
                show_error(self, error, self.log_file)
                return None
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.open_matter_requested.connect(self.open_matter)
            window.new_matter_requested.connect(self.new_matter)
            window.destroyed.connect(lambda _obj=None, key=client_id: self.client_windows.pop(key, None))
            self.client_windows[client_id] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def open_matter(self, matter_id: int) -> MatterWindow | None:
        window = self.matter_windows.get(matter_id)
        if window is None:
            try:
                from kantor_cases.ui.matters.matter_window import MatterWindow

                window = MatterWindow(self.office, matter_id, self,
                                      letters_tab=lambda owner: self._letters_tab(owner, matter_id=matter_id),
                                      history_tab=lambda owner: self._history_tab(owner, matter_id=matter_id))
            except KantorError as error:
                show_error(self, error, self.log_file)
                return None
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.open_client_requested.connect(self.open_client)
            window.destroyed.connect(lambda _obj=None, key=matter_id: self.matter_windows.pop(key, None))
            self.matter_windows[matter_id] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def new_client(self) -> IntakeWizard:
        from kantor_cases.ui.clients.intake_wizard import IntakeWizard

        wizard = IntakeWizard(self.office, self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.client_created.connect(self._on_wizard_client_created)
        wizard.open_client_requested.connect(self.open_client)
        wizard.open_matter_requested.connect(self.open_matter)
        wizard.open()
        # The keyboard goes to the wizard before any key typed meanwhile is read: typing straight
        # after Ctrl+N fills the first field instead of being lost on the (blocked) main window.
        wizard.activateWindow()
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        return wizard

    def new_matter(self, client_id: int) -> None:
        from kantor_cases.ui.matters.new_matter_dialog import NewMatterDialog

        dialog = NewMatterDialog(self.office, client_id, self)
        if dialog.exec() and dialog.matter_id is not None:
            announce(Changes.of(MATTERS, clients=[client_id], matters=[dialog.matter_id]))
            self.open_matter(dialog.matter_id)

    # --- status bar ----------------------------------------------------------------------------------------

    def _show_user(self) -> None:
        self._user_label.setText(f"User: {self.office.user}")
        if hasattr(self, "restore_action"):  # not yet while the window is being built
            self._allow_restore()
            self._offer_admin_screens()

    def _allow_restore(self) -> None:
        # The role is read off the window's thread (the first read loads the database layer, which
        # the first paint does not wait for); until it is known, Restore stays unavailable.
        self.restore_action.setEnabled(False)

        def offer_restore(role: str) -> None:
            allow(self.restore_action, role, "backup.restore", usable=self.office.backups.supported)

        run_query(self, self.office.role, offer_restore,
                  lambda error: log.warning("The role could not be read: %s", type(error).__name__))

    def _offer_admin_screens(self) -> None:
        """List the administrators' screens for a role allowed them, and not at all for the others
        (read off the window's thread, like the role for Restore; hidden until it is known)."""
        def show(role: str) -> None:
            for name, action in ADMIN_SCREENS.items():
                visible = permissions.allowed(role, action)
                self.navigation.item(SCREENS.index(name)).setHidden(not visible)
                self.screen_actions[name].setVisible(visible)
                if not visible and self.navigation.currentRow() == SCREENS.index(name):
                    self.navigation.setCurrentRow(0)

        show(permissions.READ_ONLY)
        run_query(self, self.office.role, show,
                  lambda error: log.warning("The role could not be read: %s", type(error).__name__))

    def _refresh_backup_age(self) -> None:
        if not self.office.backups.supported:
            self._backup_label.setText("backups: on the server")
            return
        status = self.auto_backup.status()
        age = status.age
        self._backup_label.setText(status.text)
        # An old (or missing) backup is shown in red so someone notices before it matters.
        self._backup_label.setStyleSheet("color: #b00020; font-weight: bold;" if status.old else "")
        self._backup_label.setToolTip(
            "The newest backup is more than a day old: use File → Back up now." if status.old and age
            else "No backup yet: use File → Back up now." if status.old else
            f"Newest backup: {status.newest_at:%d %b %Y %H:%M}" if status.newest_at else "")

    def _watch_backups_folder(self) -> None:
        """The backup age follows every backup as it lands in the folder, whoever takes it (an import's,
        a restore's safety copy, the command line at another desk), not only this window's own."""
        if not self.office.backups.supported:
            return
        folder = make_private_folder(self.office.backups.folder)
        self._backups_watcher = QFileSystemWatcher([str(folder)], self)
        # A backup is a partial file renamed when checked, then a rotation: one refresh for the lot.
        self._backups_settled = QTimer(self)
        self._backups_settled.setSingleShot(True)
        self._backups_settled.setInterval(200)
        self._backups_settled.timeout.connect(self._refresh_backup_age)
        self._backups_watcher.directoryChanged.connect(lambda _path: self._backups_settled.start())

    def _on_auto_backup_timer_timeout(self) -> None:
        if not self.office.backups.supported:
            return
        self.tasks.run("Automatic backup", lambda _progress: self.auto_backup.back_up_if_changed("auto"),
                       on_done=lambda _result: self._refresh_backup_age(),
                       on_error=self._on_auto_backup_failed, cancellable=False, quiet=True)

    def _on_auto_backup_failed(self, error: BaseException) -> None:
        self.statusBar().showMessage(f"The automatic backup failed: {error}. It will be tried again.", 15000)
        self._refresh_backup_age()

    def back_up_at_exit(self) -> None:
        """A last backup when the data changed since the newest one (once, however the window closes)."""
        if self._exit_backup_done or not self.office.backups.supported:
            return
        self._exit_backup_done = True
        self.tasks.wait_all()
        self.statusBar().showMessage("Backing up before closing…")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.auto_backup.back_up_if_changed("exit")
        except KantorError as error:
            QMessageBox.warning(self, "Backup at exit failed", f"{error}\n\nYour data is saved in the database; "
                                "back it up with File → Back up now next time.")
        finally:
            QApplication.restoreOverrideCursor()

    # --- slots -------------------------------------------------------------------------------------------------

    def _on_welcome_link_activated(self, link: str) -> None:
        if link == "new-client":
            self.new_client()
        else:
            self.show_screen(link)

    def _on_wizard_client_created(self, client_id: int) -> None:
        self.update_welcome()
        announce(Changes.of(CLIENTS, MATTERS, clients=[client_id]))
        self.open_client(client_id)

    def _on_settings_changed(self) -> None:
        self.update_welcome()
        if self.idle_lock is not None:
            self.idle_lock.apply_setting()  # the minutes may have changed

    def _on_idle_lock_unlocked(self, _user: str) -> None:
        self._show_user()
        self.update_welcome()
        # Another person may have signed in ("Me" on Today is someone else), and other desks may
        # have changed things while the screen was hidden: every screen loads again.
        announce(Changes.everything())

    def encrypt_now(self) -> None:
        """Encrypt this plain office (after the person's yes in the dialog); Kantor Cases then closes."""
        from kantor_cases.ui.shell.encrypt_dialog import EncryptDialog

        # Record windows hold the office open and may have unsaved edits: they close (asking) first.
        for window in list(self.client_windows.values()) + list(self.matter_windows.values()):
            if not window.close():
                return
        self.tasks.stop_background_work()
        self.tasks.wait_all()
        dialog = EncryptDialog(self.office, self)
        if dialog.exec() and dialog.encrypted is not None:
            # The office is closed and encrypted: nothing more may be written here (no exit backup).
            self._exit_backup_done = True
            QApplication.quit()

    def _on_settings_acting_user_changed(self, _name: str) -> None:
        self._show_user()
        self.update_welcome()

    def _on_search_triggered(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.activateWindow()
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _on_escape(self) -> None:
        current = self.stack.currentWidget()
        if current is not None:
            current.setFocus()

    def _on_privacy_toggled(self, on: bool) -> None:
        PRIVACY_MODE.write(on)
        privacy.set_enabled(on)
        # Every list asks the switch as it paints a name: a repaint shows the change.
        for view in self.findChildren(QAbstractItemView):
            view.viewport().update()

    def _on_import_triggered(self) -> None:
        self.show_screen("Clients")
        assert self.clients_panel is not None
        self.clients_panel._on_import_clicked()

    def _on_export_triggered(self) -> None:
        self.show_screen("Clients")
        assert self.clients_panel is not None
        self.clients_panel._on_export_clicked()

    def _on_restore_triggered(self) -> None:
        from kantor_cases.ui.shell.restore_dialog import RestoreDialog

        dialog = RestoreDialog(self.office.backups.list(), self)
        if dialog.exec() and dialog.chosen is not None:
            self.restore_from(dialog.chosen)

    def restore_from(self, backup: Path) -> None:
        """Replace the office's data with `backup` once the user confirms; windows on records close first."""
        answer = QMessageBox.question(
            self, "Restore from a backup",
            f"Replace everything in this office with the backup {backup.name}?\n\nWhat is there now is backed "
            "up first. Open client and matter windows are closed.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        for window in list(self.client_windows.values()) + list(self.matter_windows.values()):
            if not window.close():  # unsaved edits: the user chose to keep working on them
                return
        self.restore_action.setEnabled(False)

        def finished(result: BackupResult) -> None:
            self.refresh_everything()
            self._refresh_backup_age()
            QMessageBox.information(self, "Restored", f"The office now holds the data of {backup.name}.\n\n"
                                                      f"What was there before is kept in {result.path}.")

        task = self.tasks.run("Restoring the backup", lambda _progress: self.office.backups.restore(backup), finished,
                              cancellable=False)
        task.done.connect(lambda: self.restore_action.setEnabled(True))

    def _on_back_up_triggered(self) -> None:
        """A backup of a big office takes seconds (copy, then quick_check): off the window's thread."""
        self.back_up_action.setEnabled(False)  # one at a time

        def finished(result: BackupResult) -> None:
            self._refresh_backup_age()
            self.statusBar().showMessage(f"Backup written and verified: {result.path}", 8000)

        task = self.tasks.run("Backing up and checking the copy", lambda _progress: self.office.backups.back_up(),
                              finished, cancellable=False)
        task.done.connect(lambda: self.back_up_action.setEnabled(True))

    def _on_open_backups_triggered(self) -> None:
        folder = self.office.backups.folder
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # --- closing -------------------------------------------------------------------------------------------------

    def shutdown(self) -> None:
        MAIN_WINDOW.save_geometry(self)
        NAVIGATION_SPLITTER.save_state(self.splitter)
        if self.clients_panel is not None:
            self.clients_panel.save_state()
        self.tasks.stop_background_work()
        self.tasks.wait_all()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        # Client windows with unsaved edits ask first; any "Cancel" keeps everything open.
        for window in list(self.client_windows.values()) + list(self.matter_windows.values()):
            if not window.close():
                event.ignore()
                return
        self.shutdown()
        self.back_up_at_exit()
        super().closeEvent(event)
