"""The main window: navigation between the office's screens, menus and the status bar."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from kantor_cases.domain.errors import KantorError
from kantor_cases.services.office import Office


def describe_age(seconds: float | None) -> str:
    if seconds is None:
        return "no backup yet"
    minutes = int(seconds // 60)
    if minutes < 1:
        return "last backup just now"
    if minutes < 60:
        return f"last backup {minutes} min ago"
    hours = minutes // 60
    if hours < 48:
        return f"last backup {hours} h ago"
    return f"last backup {hours // 24} days ago"


class MainWindow(QMainWindow):
    def __init__(self, office: Office) -> None:
        super().__init__()
        self.office = office
        self.setWindowTitle("Kantor Cases")
        self.resize(1200, 780)
        self._database_label = QLabel(f"Database: {office.database.location}")
        self._backup_label = QLabel()
        self._user_label = QLabel(f"User: {office.user}")
        self.statusBar().addWidget(self._database_label, 1)
        self.statusBar().addPermanentWidget(self._user_label)
        self.statusBar().addPermanentWidget(self._backup_label)
        placeholder = QLabel("Kantor Cases is ready.")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(placeholder)
        self._build_menus()
        self._refresh_backup_age()
        self._backup_timer = QTimer(self)
        self._backup_timer.timeout.connect(self._refresh_backup_age)
        self._backup_timer.start(60_000)
        geometry = QSettings().value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.back_up_action = QAction("&Back up now", self)
        self.back_up_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.back_up_action.triggered.connect(self._on_back_up_triggered)
        self.back_up_action.setEnabled(self.office.backups.supported)
        file_menu.addAction(self.back_up_action)
        open_backups = QAction("&Open backups folder", self)
        open_backups.triggered.connect(self._on_open_backups_triggered)
        file_menu.addAction(open_backups)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

    def _refresh_backup_age(self) -> None:
        if not self.office.backups.supported:
            self._backup_label.setText("backups: on the server")
            return
        age = self.office.backups.newest_age()
        self._backup_label.setText(describe_age(age.total_seconds() if age else None))

    def _on_back_up_triggered(self) -> None:
        try:
            result = self.office.backups.back_up()
        except KantorError as error:
            QMessageBox.warning(self, "Backup failed", str(error))
            return
        self._refresh_backup_age()
        self.statusBar().showMessage(f"Backup written and verified: {result.path}", 8000)

    def _on_open_backups_triggered(self) -> None:
        folder = self.office.backups.folder
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def shutdown(self) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt override
        self.shutdown()
        super().closeEvent(event)
