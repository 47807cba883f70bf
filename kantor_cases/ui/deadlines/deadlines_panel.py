"""The Deadlines screen (Ctrl+8): "Deadlines — next 30 / 60 / 90 days" for the whole office or one
attorney — every open deadline due within the period, overdue ones first — with its client, matter,
citation and rule version. Enter or a double click opens the matter.

The count and the first page are read off the window's thread and further pages as the list is
scrolled to them (services/deadlines.py pages it in SQL over the open-deadlines index), so it opens
at once on an office of 300,000 clients; restricted clients the user may not see are not in it.
"Print…" saves it as a PDF and "Export CSV…" as a spreadsheet; the save dialog asks before
replacing a file, and the office's own files are refused even then.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from kantor_cases.domain.changes import CLIENTS, DEADLINES, MATTERS, Changes
from kantor_cases.domain.errors import KantorError
from kantor_cases.services.deadlines import LIST_DAYS, DeadlineRow, rule_version, status_text
from kantor_cases.ui.widgets import privacy
from kantor_cases.ui.widgets.deadlines_view import day_text
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.file_dialogs import CSV, PDF, save_file_name
from kantor_cases.ui.widgets.operations import run_change, run_query, watch
from kantor_cases.ui.widgets.paged_table_model import Column, PagedTableModel
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.roles import allow

if TYPE_CHECKING:
    from kantor_cases.services.deadlines import DeadlineService
    from kantor_cases.services.office import Office

COLUMNS = (Column("Due", width=120), Column("Deadline", width=250), Column("Client", width=170),
           Column("Matter", width=140), Column("Citation", width=140), Column("Version", width=110),
           Column("Assigned to", width=100), Column("Status", width=150))
_EVERYONE = "Everyone"


class UpcomingModel(PagedTableModel):
    def __init__(self, service: DeadlineService, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._service = service
        self.days = LIST_DAYS[0]
        self.attorney: str | None = None
        self.today = service.clock.today()

    def show_list(self, days: int, attorney: str | None, total: int, first_page: list[DeadlineRow]) -> None:
        self.days, self.attorney = days, attorney
        self.today = self._service.clock.today()
        self.show_first_page(total, first_page)

    def _count(self) -> int:
        return self._service.upcoming_count(self.days, self.attorney)

    def _fetch(self, offset: int, limit: int, total: int) -> list[DeadlineRow]:
        return self._service.upcoming_page(self.days, offset, limit, self.attorney)

    def _display(self, record: DeadlineRow, column: int) -> str:
        deadline = record.record
        return (day_text(deadline.due), deadline.title, privacy.client_text(record.client_name, record.sensitive),
                record.matter_title, deadline.citation, rule_version(deadline), deadline.assignee,
                status_text(deadline, self.today))[column]

    def _decoration(self, record: DeadlineRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and record.record.due < self.today:
            return QColor("#a40000")
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return record.record.notes or None
        return None


class DeadlinesPanel(QWidget):
    open_client_requested = Signal(int)
    open_matter_requested = Signal(int)

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.model = UpcomingModel(office.deadlines, self)
        self.table = RecordTable(self.model, "deadlines", sortable=False)
        self.title_label = QLabel()
        self.days_box = QComboBox()
        for days in LIST_DAYS:
            self.days_box.addItem(f"Next {days} days", days)
        self.attorney_box = QComboBox()
        self.attorney_box.addItem(_EVERYONE, None)
        self.summary_label = QLabel("Loading…")
        self.open_button = QPushButton("&Open matter (Enter)")
        self.print_button = QPushButton("&Print (PDF)…")
        self.export_button = QPushButton("&Export CSV…")
        for button in (self.print_button, self.export_button):
            button.setEnabled(False)  # until the role is known to hand the list out
        self._generation = 0

        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        days_label = QLabel("&Show:")
        days_label.setBuddy(self.days_box)
        top.addWidget(days_label)
        top.addWidget(self.days_box)
        attorney_label = QLabel("&Assigned to:")
        attorney_label.setBuddy(self.attorney_box)
        top.addWidget(attorney_label)
        top.addWidget(self.attorney_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary_label, 1)
        for button in (self.open_button, self.print_button, self.export_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.days_box.activated.connect(lambda _index: self.refresh())
        self.attorney_box.activated.connect(lambda _index: self.refresh())
        self.table.activated.connect(self._on_table_activated)
        self.open_button.clicked.connect(self.open_selected)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        shortcut = QShortcut(QKeySequence("F5"), self, self.refresh)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.setWhatsThis("Load the deadlines again")
        watch(self, (DEADLINES, MATTERS, CLIENTS), self.refresh)
        self.refresh()

    # --- what is shown ------------------------------------------------------------------------------

    @property
    def days(self) -> int:
        return int(self.days_box.currentData())

    @property
    def attorney(self) -> str | None:
        chosen = self.attorney_box.currentData()
        return str(chosen) if chosen else None

    def set_days(self, days: int) -> None:
        self.days_box.setCurrentIndex(self.days_box.findData(days))
        self.refresh()

    def set_attorney(self, attorney: str | None) -> None:
        if attorney and self.attorney_box.findData(attorney) < 0:
            self.attorney_box.addItem(attorney, attorney)
        self.attorney_box.setCurrentIndex(self.attorney_box.findData(attorney) if attorney else 0)
        self.refresh()

    def refresh(self, _changes: Changes | None = None) -> None:
        self._generation += 1
        generation, office = self._generation, self.office
        days, attorney, size = self.days, self.attorney, self.model.PAGE_SIZE

        def load() -> tuple[int, list[DeadlineRow], list[str], str]:
            service = office.deadlines
            return (service.upcoming_count(days, attorney), service.upcoming_page(days, 0, size, attorney),
                    service.assignees(), office.role())

        self.title_label.setText(f"<h2>Deadlines — next {days} days</h2>")
        run_query(self, load, lambda loaded: self._show(generation, days, attorney, *loaded), self._on_load_failed)

    def _show(self, generation: int, days: int, attorney: str | None, total: int, first_page: list[DeadlineRow],
              assignees: list[str], role: str) -> None:
        if generation != self._generation:
            return
        self.model.show_list(days, attorney, total, first_page)
        self._fill_attorneys(assignees, attorney)
        end = self.model.today + timedelta(days=days)
        who = f"assigned to {attorney}" if attorney else "for the whole office"
        self.summary_label.setStyleSheet("")
        self.summary_label.setText(f"{total:,} open deadline{'s' if total != 1 else ''} due by {day_text(end)} "
                                   f"{who}, overdue ones first." if total else
                                   f"No open deadline due by {day_text(end)} {who}.")
        if total:
            self.table.setCurrentIndex(self.model.index(0, 0))
        allow(self.print_button, role, "clients.export", usable=bool(total))
        allow(self.export_button, role, "clients.export", usable=bool(total))
        self.open_button.setEnabled(bool(total))

    def _fill_attorneys(self, names: list[str], chosen: str | None) -> None:
        self.attorney_box.blockSignals(True)
        self.attorney_box.clear()
        self.attorney_box.addItem(_EVERYONE, None)
        for name in names:
            self.attorney_box.addItem(name, name)
        if chosen and self.attorney_box.findData(chosen) < 0:
            self.attorney_box.addItem(chosen, chosen)
        self.attorney_box.setCurrentIndex(max(0, self.attorney_box.findData(chosen)) if chosen else 0)
        self.attorney_box.blockSignals(False)

    def _on_load_failed(self, error: BaseException) -> None:
        # Never an empty list that reads as "nothing due": the rows shown stay, with why they are old.
        self.summary_label.setStyleSheet("color:#a40000;")
        self.summary_label.setText(f"This list could not be brought up to date. {error}"
                                   if isinstance(error, KantorError) else
                                   "This list could not be brought up to date; press F5 to try again.")

    def selected(self) -> DeadlineRow | None:
        record = self.table.current_record()
        return record if isinstance(record, DeadlineRow) else None

    # --- actions ------------------------------------------------------------------------------------

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_matter_requested.emit(row.record.matter_id)

    def export_csv(self, path: Path) -> None:
        """Write the list shown as CSV at `path` (the save dialog has asked before replacing a file)."""
        days, attorney, deadlines = self.days, self.attorney, self.office.deadlines
        run_change(self, "Exporting the deadlines…", lambda: deadlines.export_csv(days, path, attorney, force=True),
                   Changes(frozenset()), on_done=lambda count: self._written(path, count),
                   on_error=lambda error: show_error(self, error))

    def print_pdf(self, path: Path) -> None:
        """Write the list shown as a PDF at `path`, to print or to file."""
        days, attorney, deadlines = self.days, self.attorney, self.office.deadlines
        run_change(self, "Printing the deadlines…", lambda: deadlines.export_pdf(days, path, attorney, force=True),
                   Changes(frozenset()), on_done=lambda count: self._written(path, count),
                   on_error=lambda error: show_error(self, error))

    def _written(self, path: Path, count: int) -> None:
        QMessageBox.information(self, "Deadlines saved", f"Wrote {count:,} deadlines to {path}.")

    def _suggested(self, suffix: str) -> str:
        return f"deadlines-next-{self.days}-days{suffix}"

    # --- slots ---------------------------------------------------------------------------------------

    def _on_print_clicked(self) -> None:
        path = save_file_name(self, self.office.locations.database, PDF, "Print the deadlines to a PDF",
                              self._suggested(".pdf"), "PDF files (*.pdf)")
        if path is not None:
            self.print_pdf(path)

    def _on_export_clicked(self) -> None:
        path = save_file_name(self, self.office.locations.database, CSV, "Export the deadlines as CSV",
                              self._suggested(".csv"), "CSV files (*.csv)")
        if path is not None:
            self.export_csv(path)

    def _on_table_activated(self, _index: QModelIndex) -> None:
        self.open_selected()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()  # coming back shows what changed elsewhere
