"""The calendar: a month with the busy days in bold and the court holidays shaded (red: the
immigration courts are closed, federal holidays; amber: only the California courts), named under the
grid, and the chosen day's (or week's) hearings, deadlines and follow-ups beside it; Export .ics
writes them for Outlook or Google Calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QDate, QModelIndex, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain.agenda_records import AgendaItem, reached_limit
from kantor_cases.domain.calendars import MAX_YEAR, MIN_YEAR, format_day, get_calendar
from kantor_cases.domain.changes import DEADLINES, FOLLOW_UPS, HEARINGS, Changes
from kantor_cases.domain.errors import KantorError
from kantor_cases.ui.widgets.agenda_table_model import CALENDAR_COLUMNS, ItemTableModel, day_text
from kantor_cases.ui.widgets.date_field import from_qdate, to_qdate
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.file_dialogs import CALENDAR, save_file_name
from kantor_cases.ui.widgets.operations import run_query, watch
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.tasks import Tasks

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

MONTH, WEEK = "month", "week"
EXPORT_DAYS = 180
CALENDAR_LIMIT = 2000  # items of each kind the day list shows


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday around `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


# The courts the office appears before, by their holiday calendars (domain/calendars.py).
IMMIGRATION_COURTS, CALIFORNIA_COURTS = "immigration courts", "California courts"
COURT_CALENDARS = (("federal", IMMIGRATION_COURTS), ("california-courts", CALIFORNIA_COURTS))
IMMIGRATION_CLOSED = QColor("#f6d5d5")
CALIFORNIA_CLOSED = QColor("#fbe8c8")


def court_holidays(first: date, last: date) -> dict[date, dict[str, list[str]]]:
    """The court holidays from `first` to `last` (observed days too): day -> holiday -> the courts
    closed for it."""
    found: dict[date, dict[str, list[str]]] = {}
    for year in range(max(first.year, MIN_YEAR), min(last.year, MAX_YEAR) + 1):
        for calendar_id, courts in COURT_CALENDARS:
            for day, reason in get_calendar(calendar_id).holidays(year).items():
                if first <= day <= last:
                    found.setdefault(day, {}).setdefault(reason, []).append(courts)
    return dict(sorted(found.items()))


def holiday_text(closed: dict[str, list[str]]) -> str:
    """"Thanksgiving Day (immigration courts and California courts closed)"."""
    return "; ".join(f"{reason} ({' and '.join(courts)} closed)" for reason, courts in closed.items())


class CalendarPanel(QWidget):
    open_client_requested = Signal(int)
    open_matter_requested = Signal(int)
    exported = Signal(str, int)  # the file written, and how many events

    def __init__(self, office: Office, parent: QWidget | None = None, tasks: Tasks | None = None,
                 today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.tasks = tasks or Tasks(self)
        self._today = today or office.clock.today
        self._bold_days: list[QDate] = []
        self._marked_days: list[QDate] = []  # every day given a format: cleared when the month changes
        self.holidays: dict[date, dict[str, list[str]]] = {}  # the shown month's court holidays
        self.holidays_label = QLabel()
        self.holidays_label.setWordWrap(True)
        self._generation = 0
        self.model = ItemTableModel(CALENDAR_COLUMNS, self)

        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setSelectedDate(to_qdate(self._today()))
        self.view_combo = QComboBox()
        self.view_combo.addItem("Day (month view)", MONTH)
        self.view_combo.addItem("Week", WEEK)
        self.mine_check = QCheckBox("Only mine")
        self.export_button = QPushButton("&Export .ics…")
        self.export_button.setToolTip(f"Hearings, deadlines and follow-ups of the next {EXPORT_DAYS} days, for "
                                      "Outlook or Google Calendar (exporting again updates them)")
        self.range_label = QLabel()
        self.range_label.setToolTip("Hearings, deadlines and the follow-ups people entered. The automatic "
                                    "follow-ups (EOIR checks, reminders to send …) are counted on Today and "
                                    "listed on the Follow-ups screen.")

        self.table = RecordTable(self.model, "calendar", sortable=False)

        controls = QHBoxLayout()
        controls.addWidget(QLabel("<h2>Calendar</h2>"), 1)
        controls.addWidget(QLabel("Show:"))
        controls.addWidget(self.view_combo)
        controls.addWidget(self.mine_check)
        controls.addWidget(self.export_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.range_label)
        right_layout.addWidget(self.table, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.calendar)
        left_layout.addWidget(self.holidays_label)
        left_layout.addStretch(1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)

        self.calendar.selectionChanged.connect(self._on_calendar_selection_changed)
        self.calendar.currentPageChanged.connect(self._on_calendar_page_changed)
        self.view_combo.currentIndexChanged.connect(self._on_view_changed)
        self.mine_check.toggled.connect(self._on_view_changed)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.table.activated.connect(self._on_table_activated)
        watch(self, (HEARINGS, DEADLINES, FOLLOW_UPS), self.refresh)
        self.refresh()

    # --- what is shown ----------------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        return str(self.view_combo.currentData())

    def set_mode(self, mode: str) -> None:
        self.view_combo.setCurrentIndex(self.view_combo.findData(mode))

    def selected_date(self) -> date:
        return from_qdate(self.calendar.selectedDate())

    def set_date(self, day: date) -> None:
        self.calendar.setSelectedDate(to_qdate(day))

    def shown_range(self) -> tuple[date, date]:
        day = self.selected_date()
        return week_of(day) if self.mode == WEEK else (day, day)

    def _user(self) -> str | None:
        return self.office.user if self.mine_check.isChecked() else None

    @property
    def busy(self) -> bool:
        return self.tasks.busy

    def refresh(self, _changes: Changes | None = None) -> None:
        start, end = self.shown_range()
        first = date(self.calendar.yearShown(), self.calendar.monthShown(), 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        agenda, user, today = self.office.agenda, self._user(), self._today()
        # Only the latest load is shown: an earlier one that ends later would show another month.
        self._generation += 1
        generation = self._generation

        def load() -> tuple[list[AgendaItem], list[date]]:
            return (agenda.calendar_items(start, end, user=user, today=today, limit=CALENDAR_LIMIT),
                    agenda.busy_days(first, last, user=user))

        run_query(self, load, lambda loaded: self._show(generation, start, end, today, *loaded),
                  self._show_load_failure)

    def _show(self, generation: int, start: date, end: date, today: date, items: list[AgendaItem],
              days: list[date]) -> None:
        if generation != self._generation:
            return
        self._mark_busy_days(days)
        self.model.set_records(items, today)
        span = day_text(start) if start == end else f"{day_text(start)} – {day_text(end)}"
        closed = [holiday_text(self.holidays[day]) for day in sorted(self.holidays) if start <= day <= end]
        if closed:
            span += " — court holiday: " + "; ".join(closed)
        # Each kind stops at CALENDAR_LIMIT items (a month of a big office's hearings is more): say so.
        cut = reached_limit(items, CALENDAR_LIMIT)
        self.range_label.setStyleSheet("")
        self.range_label.setText(
            f"<b>{span}</b>: " + (f"{len(items):,}{'+' if cut else ''} item{'s' if len(items) != 1 else ''}"
                                  if items else "nothing scheduled")
            + (f" — showing the earliest {CALENDAR_LIMIT:,} of each kind; choose a day or a week to see "
               "the rest" if cut else ""))

    def _show_load_failure(self, error: BaseException) -> None:
        # Never "nothing scheduled" when the answer is not known.
        if not isinstance(error, KantorError):
            show_error(self, error)
        self.range_label.setStyleSheet("color:#a40000;")
        self.range_label.setText(f"This calendar could not be brought up to date. {error}"
                                 if isinstance(error, KantorError) else
                                 "This calendar could not be brought up to date (see the message).")

    def _mark_busy_days(self, days: list[date]) -> None:
        """Bold the days of the shown month that have something on them, and shade its court holidays."""
        for marked in self._marked_days:
            self.calendar.setDateTextFormat(marked, QTextCharFormat())
        first = date(self.calendar.yearShown(), self.calendar.monthShown(), 1)
        # The grid shows a few days of the months either side.
        self.holidays = court_holidays(first - timedelta(days=7), first + timedelta(days=44))
        busy = set(days)
        for day in busy | set(self.holidays):
            shown = QTextCharFormat()
            if day in busy:
                shown.setFontWeight(QFont.Weight.Bold)
            closed = self.holidays.get(day)
            if closed:
                immigration = any(IMMIGRATION_COURTS in courts for courts in closed.values())
                shown.setBackground(QBrush(IMMIGRATION_CLOSED if immigration else CALIFORNIA_CLOSED))
                shown.setToolTip(holiday_text(closed))
            self.calendar.setDateTextFormat(to_qdate(day), shown)
        self._bold_days = [to_qdate(day) for day in days]
        self._marked_days = [to_qdate(day) for day in busy | set(self.holidays)]
        in_month = [(day, closed) for day, closed in self.holidays.items() if (day.year, day.month) == (
            first.year, first.month)]
        self.holidays_label.setText(
            "<b>Court holidays this month</b><br>" + "<br>".join(
                f"{format_day(day)}: {holiday_text(closed)}" for day, closed in in_month)
            if in_month else "No court holidays this month.")

    def busy_days(self) -> list[date]:
        return [from_qdate(day) for day in self._bold_days]

    def selected_item(self) -> AgendaItem | None:
        index = self.table.currentIndex()
        record = self.model.record(index.row()) if index.isValid() else None
        return record if isinstance(record, AgendaItem) else None

    # --- export -----------------------------------------------------------------------------------------

    def ask_export_path(self) -> Path | None:
        return save_file_name(self, self.office.locations.database, CALENDAR, "Export calendar", "kantor-cases.ics",
                              "iCalendar files (*.ics)")

    def export_to(self, path: Path) -> None:
        """Write the .ics file, replacing one the user has agreed to replace (the save dialog asks);
        the office's own files are refused even so, in a message box."""
        agenda, user, today = self.office.agenda, self._user(), self._today()

        def done(count: int) -> None:
            if not shiboken6.isValid(self):  # closed while the file was being written
                return
            self.exported.emit(str(path), count)
            QMessageBox.information(self, "Calendar exported",
                                    f"Wrote {count} events to {path}.\nImport it in Outlook or Google Calendar; "
                                    "importing a newer export updates the same events.")

        self.tasks.run(f"Exporting the calendar to {path.name}",
                       lambda _progress: agenda.export_ics(path, days=EXPORT_DAYS, user=user, today=today,
                                                           force=True),
                       done, cancellable=False)

    # --- slots -----------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()

    def _on_calendar_selection_changed(self) -> None:
        self.refresh()

    def _on_calendar_page_changed(self, _year: int, _month: int) -> None:
        self.refresh()  # the busy days of the month now shown

    def _on_view_changed(self, *_args: object) -> None:
        self.refresh()

    def _on_export_clicked(self) -> None:
        path = self.ask_export_path()
        if path is None:
            return
        if path.suffix.lower() != ".ics":
            # The dialog asked about replacing the name it was given; this one it has not seen.
            path = path.with_suffix(".ics")
            no = QMessageBox.StandardButton.No
            if path.exists() and QMessageBox.question(
                    self, "Replace the file?", f"{path} already exists. Replace it with this export?",
                    QMessageBox.StandardButton.Yes | no, no) != QMessageBox.StandardButton.Yes:
                return
        self.export_to(path)

    def _on_table_activated(self, _index: QModelIndex) -> None:
        item = self.selected_item()
        if item is None:
            return
        if item.matter_id:
            self.open_matter_requested.emit(item.matter_id)
        elif item.client_id:
            self.open_client_requested.emit(item.client_id)
