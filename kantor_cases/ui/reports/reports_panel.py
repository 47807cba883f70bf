"""The Reports screen: the six reports (caseload, hearings, PD outcomes, deadlines kept, employment
claims, intake), each run over a date range, an attorney and a matter kind, shown as its tables and
charts, and saved as a PDF or a CSV file.

A run goes off the window's thread; a failed one says why in one sentence and leaves the last
figures on screen. While the screen is shown, a change to what the report counts runs it again; a
change while it is hidden marks it stale, and it runs again when it is next shown. The report and
filters last run are remembered for next time (an empty date means the report's own range, so
"the last 12 months" keeps moving with the calendar).
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QPaintEvent, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain import reports as rp
from kantor_cases.domain.changes import CLIENTS, DEADLINES, HEARINGS, MATTERS, PD_REQUESTS, USERS, Changes
from kantor_cases.domain.errors import KantorError
from kantor_cases.domain.statuses import MatterKind
from kantor_cases.domain.validation import parse_date
from kantor_cases.ui.reports.report_table_model import ReportTableModel, cell_text
from kantor_cases.ui.widgets import privacy
from kantor_cases.ui.widgets.charts import chart_widget
from kantor_cases.ui.widgets.date_field import DateField
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.file_dialogs import CSV, PDF
from kantor_cases.ui.widgets.operations import run_query, watch
from kantor_cases.ui.widgets.preferences import (
    REPORT_ATTORNEY,
    REPORT_CHOSEN,
    REPORT_FROM,
    REPORT_KIND,
    REPORT_TO,
    in_last_folder,
    remember_folder,
)
from kantor_cases.ui.widgets.roles import allow
from kantor_cases.ui.widgets.tasks import Tasks

if TYPE_CHECKING:
    from collections.abc import Callable

    from kantor_cases.domain.records import UserDetails
    from kantor_cases.services.office import Office

# What each report counts: a change to one of these while the screen is shown runs it again.
WATCHED = (MATTERS, HEARINGS, DEADLINES, PD_REQUESTS, CLIENTS)
# The range a report covers when a date is left empty (the service's defaults, in words).
_DEFAULT_RANGE = {
    rp.HEARINGS: ("12 months back", "6 months ahead"),
    rp.PD_OUTCOMES: ("first request", "today"),
}
_LAST_12_MONTHS = ("12 months back", "today")
_DEFAULT_STALL_DAYS = rp.ReportFilters().stall_days
_PDF_TIP = "Save the report as a PDF with the firm's letterhead (Ctrl+P)"
_CSV_TIP = "Save the report's tables as a CSV file for a spreadsheet (Ctrl+Shift+S)"
# From this width a table and a chart each get enough room beside each other.
_SIDE_BY_SIDE_FROM = 1100


class _ReportView(QTableView):
    """A report's table that hears of the privacy switch (the View menu repaints every list when it
    is turned) and never paints names it now hides: a table computed before it was turned on is
    blank until the report has run again with names masked."""

    def __init__(self, panel: ReportsPanel) -> None:
        super().__init__()
        self._panel = panel

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if self._panel.privacy_switched():
            self._panel.run_for_privacy()
        if self._panel.names_must_hide():
            return
        super().paintEvent(event)


class ReportsPanel(QWidget):
    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.tasks = Tasks(self)
        self.result: rp.ReportResult | None = None
        self._result_private = False
        self._privacy_run_asked = False
        self._role: str | None = None
        self._running = False
        self._run_again = False
        self._stale = True  # nothing run yet: the first showing runs the remembered report

        self.report_list = QListWidget()
        for kind in office.reports.list():
            item = QListWidgetItem(kind.title)
            item.setData(Qt.ItemDataRole.UserRole, kind.id)
            item.setToolTip(kind.description)
            self.report_list.addItem(item)
        widest = max(self.report_list.fontMetrics().horizontalAdvance(kind.title) for kind in rp.REPORTS)
        self.report_list.setFixedWidth(widest + 32)
        self.report_list.setFixedHeight(self.report_list.sizeHintForRow(0) * len(rp.REPORTS)
                                        + 2 * self.report_list.frameWidth() + 4)

        self.from_field = DateField()
        self.to_field = DateField()
        for field in (self.from_field, self.to_field):
            # Room for the placeholder naming the report's own range, and the calendar button.
            field.setMinimumWidth(field.fontMetrics().horizontalAdvance("12 months back") + 48)
            field.setMaximumWidth(field.minimumWidth())
        self.attorney_combo = QComboBox()
        self.attorney_combo.setMinimumContentsLength(12)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("All kinds", None)
        for matter_kind in MatterKind:
            self.kind_combo.addItem(matter_kind.label, matter_kind.value)
        self.stall_label = QLabel("Stalled after:")
        self.stall_spin = QSpinBox()
        self.stall_spin.setRange(1, 3650)
        self.stall_spin.setValue(_DEFAULT_STALL_DAYS)
        self.stall_spin.setSuffix(" days")
        self.stall_spin.setToolTip("An open PD request whose status has not changed for this long is stalled.")
        self.run_button = QPushButton("&Run")
        self.run_button.setToolTip("Run the report (Enter or Ctrl+R)")
        self.run_button.setDefault(True)
        self.pdf_button = QPushButton("Save as &PDF…")
        self.csv_button = QPushButton("Save as C&SV…")

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: a report has no steps to count
        self.progress.setMaximumWidth(90)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.hide()  # takes room only while it has something to say
        self.heading_label = QLabel()
        self.heading_label.setWordWrap(True)
        self.heading_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color: #8a5300; font-weight: bold")
        self.notes_label.hide()
        self.totals_label = QLabel()
        self.totals_label.setWordWrap(True)
        self.table_tabs = QTabWidget()
        self.table_tabs.setDocumentMode(True)
        self.chart_tabs = QTabWidget()
        self.chart_tabs.setDocumentMode(True)
        self.chart_tabs.setTabBarAutoHide(True)
        self.tables: list[QTableView] = []
        self.charts: list[QWidget] = []

        # Two short rows of filters, not one long one: beside the navigation and the list of
        # reports, a 1,024-pixel window leaves the screen about 680 pixels.
        filters = QGridLayout()
        fields: tuple[tuple[int, int, str, QWidget], ...] = (
            (0, 0, "&From:", self.from_field), (0, 2, "&To:", self.to_field),
            (1, 0, "&Attorney:", self.attorney_combo), (1, 2, "&Kind:", self.kind_combo))
        for row, column, label, widget in fields:
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption, row, column)
            filters.addWidget(widget, row, column + 1)
        self.stall_label.setBuddy(self.stall_spin)
        filters.addWidget(self.stall_label, 0, 4)
        filters.addWidget(self.stall_spin, 0, 5)
        filters.addWidget(self.run_button, 1, 4)
        filters.addWidget(self.progress, 1, 5)
        filters.setColumnStretch(6, 1)
        # Tables above charts; side by side once the screen is wide enough for both (resizeEvent).
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table_tabs)
        self.splitter.addWidget(self.chart_tabs)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)  # a chart needs the height more than a short table

        right = QVBoxLayout()
        right.addLayout(filters)
        right.addWidget(self.status_label)
        right.addWidget(self.heading_label)
        right.addWidget(self.notes_label)
        right.addWidget(self.totals_label)
        right.addWidget(self.splitter, 1)
        # Saving sits under the list of reports, in the room the six names leave.
        left = QVBoxLayout()
        left.addWidget(self.report_list)
        left.addWidget(self.pdf_button)
        left.addWidget(self.csv_button)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addLayout(right, 1)

        self._remember_filters_shown()
        self._show_saving_allowed()
        self._rerun_timer = QTimer(self)
        self._rerun_timer.setSingleShot(True)
        self._rerun_timer.setInterval(0)  # a burst of changes (an import) runs the report once
        self._rerun_timer.timeout.connect(self.run)

        # Each says what it does: Help → Keyboard shortcuts lists it before any report has run.
        for keys, slot, what in (("Ctrl+R", self.run, "Run the report"), ("Return", self.run, "Run the report"),
                                 ("Enter", self.run, "Run the report"),
                                 ("Ctrl+P", self.save_pdf, "Save the report as a PDF"),
                                 ("Ctrl+Shift+S", self.save_csv, "Save the report as a CSV file")):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis(what)
            shortcut.activated.connect(slot)
        self.report_list.currentRowChanged.connect(self._on_report_changed)
        self.report_list.itemActivated.connect(lambda _item: self.run())
        self.run_button.clicked.connect(self.run)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.csv_button.clicked.connect(self.save_csv)
        watch(self, WATCHED, self._on_data_changed)
        watch(self, (USERS,), lambda _changes: self._load_attorneys())
        self._load_attorneys()
        run_query(self, office.role, self._role_known, on_error=self._lookup_failed)
        self._show_report_chosen()
        self.setFocusProxy(self.report_list)

    # --- what is asked for ----------------------------------------------------------------------------

    def chosen_report(self) -> str:
        item = self.report_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else rp.CASELOAD

    def choose_report(self, report_id: str) -> None:
        for row in range(self.report_list.count()):
            if self.report_list.item(row).data(Qt.ItemDataRole.UserRole) == report_id:
                self.report_list.setCurrentRow(row)
                return
        raise ValueError(f"no report {report_id}")

    def filters(self) -> rp.ReportFilters:
        """The filters as typed; ValueError in plain words when a date is not a date."""
        attorney = self.attorney_combo.currentData()
        return rp.ReportFilters(
            date_from=self.from_field.value(), date_to=self.to_field.value(),
            attorney=str(attorney) if attorney else None, kind=self.kind_combo.currentData(),
            stall_days=self.stall_spin.value() if self.chosen_report() == rp.PD_OUTCOMES else _DEFAULT_STALL_DAYS)

    def _remember_filters_shown(self) -> None:
        """The report and filters of the last run, as they were left."""
        remembered = REPORT_CHOSEN.read()
        self.choose_report(remembered if remembered in rp.REPORT_IDS else rp.CASELOAD)
        for field, setting in ((self.from_field, REPORT_FROM), (self.to_field, REPORT_TO)):
            try:
                field.set_value(parse_date(setting.read()) if setting.read() else None)
            except ValueError:
                field.set_value(None)
        kind = self.kind_combo.findData(REPORT_KIND.read() or None)
        self.kind_combo.setCurrentIndex(max(kind, 0))
        attorney = REPORT_ATTORNEY.read(self.office.locations.database)
        self.attorney_combo.addItem("All attorneys", None)
        if attorney:
            # Shown at once; the list of users replaces it when it has been read.
            self.attorney_combo.addItem(attorney, attorney)
            self.attorney_combo.setCurrentIndex(1)

    def _remember_filters(self, report_id: str, filters: rp.ReportFilters) -> None:
        REPORT_CHOSEN.write(report_id)
        REPORT_FROM.write(filters.date_from.isoformat() if filters.date_from else "")
        REPORT_TO.write(filters.date_to.isoformat() if filters.date_to else "")
        REPORT_KIND.write(filters.kind or "")
        REPORT_ATTORNEY.write(filters.attorney or "", self.office.locations.database)

    def _load_attorneys(self) -> None:
        settings = self.office.settings
        run_query(self, settings.users, self._show_attorneys, on_error=self._lookup_failed)

    def _show_attorneys(self, users: list[UserDetails]) -> None:
        chosen = self.attorney_combo.currentData()
        self.attorney_combo.clear()
        self.attorney_combo.addItem("All attorneys", None)
        for user in users:
            self.attorney_combo.addItem(user.name, user.name)
        self.attorney_combo.setCurrentIndex(max(self.attorney_combo.findData(chosen), 0))

    def _lookup_failed(self, error: BaseException) -> None:
        # The remembered attorney (or "All") stays, and saving stays off; the report itself says
        # what is wrong when it runs.
        if not isinstance(error, KantorError):
            show_error(self, error)

    # --- running ----------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.tasks.busy

    def run(self) -> None:
        """Run the chosen report with the filters shown (once the run under way, if any, is done)."""
        if self._running:
            self._run_again = True
            return
        report_id = self.chosen_report()
        try:
            filters = self.filters()
        except ValueError as error:
            self._show_failure(str(error))
            return
        reports, private = self.office.reports, privacy.enabled()
        self._running, self._run_again, self._stale = True, False, False
        title = self.report_list.currentItem().text() if self.report_list.currentItem() else report_id
        self.progress.setToolTip(f"Running the {title} report…")
        self.progress.show()
        self._remember_filters(report_id, filters)
        run_query(self, lambda: reports.run(report_id, filters, privacy=private),
                  lambda result: self._run_done(result, private), on_error=self._run_failed)

    def _run_done(self, result: rp.ReportResult, private: bool) -> None:
        self._finish_run()
        self._say("")
        self.show_result(result, private)

    def _run_failed(self, error: BaseException) -> None:
        self._finish_run()
        if isinstance(error, KantorError):
            self._show_failure(str(error))
        else:
            # Logged by the task with its traceback; the message names no client data.
            self._show_failure(f"The report could not be run ({type(error).__name__}); the details were "
                               "written to the log.")

    def _finish_run(self) -> None:
        self._running = False
        self.progress.hide()
        if self._run_again:
            self._rerun_timer.start()

    def _show_failure(self, sentence: str) -> None:
        kept = " The figures below are from the last run." if self.result is not None else ""
        self._say(escape(sentence) + kept, error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.status_label.setStyleSheet("color: #b00020" if error else "")
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def show_result(self, result: rp.ReportResult, private: bool = False) -> None:
        self.result, self._result_private, self._privacy_run_asked = result, private, False
        filters = result.filters
        kind_label = MatterKind(filters.kind).label if filters.kind else "all kinds"
        made = result.generated_at
        self.heading_label.setText(
            f"<b style='font-size: large'>{escape(result.title)}</b> · "
            f"{_us_date(result.date_from)} – {_us_date(result.date_to)} · {escape(filters.attorney or 'all attorneys')}"
            f" · {escape(kind_label)} · made {_us_date(made.date())} {made:%H:%M} by {escape(result.generated_by)}"
            + (" · names hidden (privacy mode)" if private else ""))
        self.notes_label.setText("<br>".join(escape(note) for note in result.notes))
        self.notes_label.setVisible(bool(result.notes))
        self.totals_label.setText(" · ".join(f"{_words(name)}: <b>{escape(cell_text(value))}</b>"
                                             for name, value in result.totals.items()))
        self.totals_label.setVisible(bool(result.totals))
        self._show_tables(result.tables)
        self._show_charts(result.charts)
        self._show_saving_allowed()

    def _show_tables(self, tables: tuple[rp.ReportTable, ...]) -> None:
        shown = self.table_tabs.currentIndex()
        _empty(self.table_tabs)
        self.tables = []
        for table in tables:
            view = _ReportView(self)
            view.setModel(ReportTableModel(table, view))
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setAlternatingRowColors(True)
            view.setWordWrap(False)
            view.verticalHeader().hide()
            view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
            # Each figure beside its label: aggregates are a few short columns, so none is stretched.
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            view.horizontalHeader().setMinimumSectionSize(70)
            self.table_tabs.addTab(view, f"{table.title} ({len(table.rows)})")
            self.tables.append(view)
        if 0 <= shown < self.table_tabs.count():
            self.table_tabs.setCurrentIndex(shown)

    def _show_charts(self, charts: tuple[rp.ChartSpec, ...]) -> None:
        shown = self.chart_tabs.currentIndex()
        _empty(self.chart_tabs)
        self.charts = [chart_widget(spec) for spec in charts]
        for spec, widget in zip(charts, self.charts, strict=True):
            self.chart_tabs.addTab(widget, spec.title)
        self.chart_tabs.setVisible(bool(charts))
        if 0 <= shown < self.chart_tabs.count():
            self.chart_tabs.setCurrentIndex(shown)

    def privacy_switched(self) -> bool:
        """Privacy mode was turned on or off since the report shown was run."""
        return self.result is not None and privacy.enabled() != self._result_private

    def names_must_hide(self) -> bool:
        return self.result is not None and privacy.enabled() and not self._result_private

    def run_for_privacy(self) -> None:
        # Once per switch: a run that fails must not be tried again at every repaint.
        if not self._privacy_run_asked:
            self._privacy_run_asked = True
            self._rerun_timer.start()

    # --- saving -----------------------------------------------------------------------------------------

    def _role_known(self, role: str) -> None:
        self._role = role
        self._show_saving_allowed()

    def _show_saving_allowed(self) -> None:
        """Saving hands the figures out of the office: the export permission, once there is a report."""
        for button, tip in ((self.pdf_button, _PDF_TIP), (self.csv_button, _CSV_TIP)):
            if self._role is None:
                button.setEnabled(False)  # until the role is known
            else:
                allow(button, self._role, "clients.export", usable=self.result is not None, tip=tip)

    def save_pdf(self) -> None:
        self._save("PDF", PDF, "PDF files (*.pdf)", self.office.reports.save_pdf)

    def save_csv(self) -> None:
        self._save("CSV", CSV, "CSV files (*.csv)", self.office.reports.save_csv)

    def ask_save_path(self, title: str, suggested: str, suffix: str, file_filter: str) -> Path | None:
        database = self.office.locations.database
        # The question about replacing an existing file is ours (in _save), asked the same way for a
        # name the dialog saw and one it did not (the suffix added).
        name, _ = QFileDialog.getSaveFileName(self, title, in_last_folder(database, suggested, suffix), file_filter,
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if not name:
            return None
        remember_folder(database, name, suffix)
        return Path(name)

    def _save(self, form: str, suffix: str, file_filter: str,
              write: Callable[[rp.ReportResult, Path, bool], Path]) -> None:
        result = self.result
        if result is None or not self.pdf_button.isEnabled():  # Ctrl+P before a run, or not this role's
            return
        path = self.ask_save_path(f"Save the report as {form}", f"{result.report}-{result.date_to.isoformat()}"
                                  f".{suffix}", suffix, file_filter)
        if path is None:
            return
        if path.suffix.lower() != f".{suffix}":
            path = path.with_name(f"{path.name}.{suffix}")
        force = False
        if path.exists():
            no = QMessageBox.StandardButton.No
            if QMessageBox.question(self, "Replace the file?", f"{path} already exists. Replace it with this report?",
                                    QMessageBox.StandardButton.Yes | no, no) != QMessageBox.StandardButton.Yes:
                return
            force = True

        def saved(target: Path) -> None:
            self._say(f"Saved {escape(str(target))}.")

        self.tasks.run(f"Saving the report as {form}…", lambda _progress: write(result, path, force), saved,
                       lambda error: show_error(self, error), cancellable=False)

    # --- slots ------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale or self.privacy_switched():
            self._rerun_timer.start()

    def heightForWidth(self, _width: int) -> int:  # noqa: N802 - Qt override
        # The wrapped labels would make the screen ask for its preferred height at each width, and
        # the window's scroll area would scroll a screen whose table and chart could simply shrink.
        return -1

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        wide = event.size().width() >= _SIDE_BY_SIDE_FROM
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if orientation != self.splitter.orientation():
            self.splitter.setOrientation(orientation)
            # Beside each other the table's columns need the width more; one above the other, the
            # chart needs the height more.
            self.splitter.setStretchFactor(0, 3 if wide else 1)
            self.splitter.setStretchFactor(1, 2)
            self.splitter.setSizes([3000, 2000] if wide else [1000, 2000])

    def _on_data_changed(self, _changes: Changes) -> None:
        if self.isVisible():
            self._rerun_timer.start()
        else:
            self._stale = True

    def _on_report_changed(self, _row: int) -> None:
        self._show_report_chosen()
        if self.result is None or self.result.report != self.chosen_report():
            self._rerun_timer.start()  # choosing a report shows it

    def _show_report_chosen(self) -> None:
        report_id = self.chosen_report()
        kind = next(kind for kind in rp.REPORTS if kind.id == report_id)
        self.heading_label.setToolTip(kind.description)
        if self.result is None:
            self.heading_label.setText(f"<b style='font-size: large'>{escape(kind.title)}</b> · "
                                       f"{escape(kind.description)}")
        starts, ends = _DEFAULT_RANGE.get(report_id, _LAST_12_MONTHS)
        self.from_field.setPlaceholderText(starts)
        self.to_field.setPlaceholderText(ends)
        for widget in (self.stall_label, self.stall_spin):
            widget.setVisible(report_id == rp.PD_OUTCOMES)


def _empty(tabs: QTabWidget) -> None:
    while tabs.count():
        page = tabs.widget(0)
        tabs.removeTab(0)
        if page is not None:
            page.deleteLater()


def _us_date(day: date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def _words(name: str) -> str:
    return escape(name.replace("_", " ").capitalize())
