"""The Clients screen: the whole client list with its filters, paged from SQL, and CSV import/export.

Typing in the filter box or ticking a filter replaces the list's query (counted and paged by the
client service); Enter or a double click opens the client.

An import answers as the command line does, in a dialog: one plain sentence, the problems listed
by row, and a way on — import the valid rows, leave out unknown columns, or, for a file that is not
UTF-8, its names shown as UTF-8 and as Windows-1252 side by side to choose from (or cancel).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain import permissions
from kantor_cases.domain.changes import CLIENTS, Changes
from kantor_cases.domain.csv_text import NotUtf8, UnknownColumns
from kantor_cases.domain.records import ClientQuery, ImportReport
from kantor_cases.ui.clients.clients_table_model import COLUMNS, ClientsTableModel
from kantor_cases.ui.widgets import privacy
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.file_dialogs import CSV, open_file_name, save_file_name
from kantor_cases.ui.widgets.operations import announce, watch
from kantor_cases.ui.widgets.preferences import table_header
from kantor_cases.ui.widgets.tasks import Progress, Tasks

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

FILTER_DELAY_MS = 250
HEARING_DAYS = 30
LISTED_PROBLEMS = 15  # in the dialog's text; the rest are under "Show Details…"
CLIENTS_HEADER = table_header("clients")


@dataclass(frozen=True)
class _EncodingQuestion:
    """An import that stopped because the file is not UTF-8, with its names read both ways."""

    error: NotUtf8
    names: dict[str, list[str]]


class ClientsPanel(QWidget):
    open_client_requested = Signal(int)
    new_client_requested = Signal()

    def __init__(self, office: Office, parent: QWidget | None = None, tasks: Tasks | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.tasks = tasks or Tasks(self)
        self.model = ClientsTableModel(office.clients, self)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by name, A-number, phone or e-mail…")
        self.filter_edit.setClearButtonEnabled(True)
        self.detained_check = QCheckBox("Detained")
        self.sensitive_check = QCheckBox("Sensitive")
        self.hearing_check = QCheckBox(f"Hearing within {HEARING_DAYS} days")
        self.language_combo = QComboBox()
        self.language_combo.addItem("Any language", None)
        self.language_combo.addItem("Letters in English", "en")
        self.language_combo.addItem("Letters in Spanish", "es")
        self.new_button = QPushButton("New client…")
        self.new_button.setToolTip("Take in a new client (Ctrl+N)")
        self.import_button = QPushButton("Import CSV…")
        self.export_button = QPushButton("Export CSV…")

        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 1)
        for widget in (self.detained_check, self.sensitive_check, self.hearing_check, self.language_combo):
            filters.addWidget(widget)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Fixed row heights: the view never asks for the size of rows it does not show.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.AscendingOrder)
        # After the indicator: enabling sorting sorts by it at once, and each sort is a count of
        # every client (tens of ms at 300,000 on PostgreSQL) — once, not three times.
        self.table.setSortingEnabled(True)
        for number, column in enumerate(COLUMNS):
            self.table.setColumnWidth(number, column.width)
        CLIENTS_HEADER.restore_state(header)
        header.sectionResized.connect(self._on_header_resized)

        self.empty_hint = QLabel()
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setTextFormat(Qt.TextFormat.RichText)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_hint)

        self.count_label = QLabel()
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.new_button)

        title = QLabel("<h2>Clients</h2>")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._on_filter_timer_timeout)
        self.filter_edit.textEdited.connect(self._on_filter_edit_edited)
        self.filter_edit.returnPressed.connect(self._on_filter_edit_return)
        for check in (self.detained_check, self.sensitive_check, self.hearing_check):
            check.toggled.connect(self._on_filter_changed)
        self.language_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.table.activated.connect(self._on_table_activated)
        self.new_button.clicked.connect(self.new_client_requested)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.model.modelReset.connect(self._update_count)
        self.setTabOrder(self.filter_edit, self.detained_check)
        self.setTabOrder(self.language_combo, self.table)
        self._update_count()
        watch(self, (CLIENTS,), lambda _changes: self.refresh())

    # --- the query ----------------------------------------------------------------------------------

    def current_query(self) -> ClientQuery:
        return ClientQuery(
            text=self.filter_edit.text().strip(),
            detained=True if self.detained_check.isChecked() else None,
            sensitive=True if self.sensitive_check.isChecked() else None,
            language=self.language_combo.currentData(),
            hearing_within_days=HEARING_DAYS if self.hearing_check.isChecked() else None,
            sort=self.model.query.sort, descending=self.model.query.descending,
        )

    def apply_filters(self) -> None:
        self._filter_timer.stop()
        self.model.set_query(self.current_query())

    def refresh(self) -> None:
        self.model.refresh()

    def _filtered(self) -> bool:
        return self.current_query() != ClientQuery(sort=self.model.query.sort, descending=self.model.query.descending)

    def _update_count(self) -> None:
        total = self.model.total
        filtered = self._filtered()
        noun = "client" if total == 1 else "clients"
        not_shown = self.model.not_shown
        self.count_label.setText(f"{total:,} {noun}" + (" match the filters" if filtered else "")
                                 + (f" · {permissions.restricted_not_shown(not_shown)}" if not_shown else ""))
        if total:
            self.stack.setCurrentWidget(self.table)
        elif filtered:
            self.empty_hint.setText("<p>No client matches these filters.</p><p>Clear the filter box or untick a "
                                    "filter to see more.</p>")
            self.stack.setCurrentWidget(self.empty_hint)
        else:
            self.empty_hint.setText(
                "<h3>No clients yet</h3><p>Press <b>Ctrl+N</b> (or <i>New client…</i> below) to take in your "
                "first client:<br>identity, a conflict check, and the first matter.</p>"
                "<p>Moving from a spreadsheet? <i>Import CSV…</i> reads the columns first_name, last_name, "
                "a_number, date_of_birth, phone…</p>")
            self.stack.setCurrentWidget(self.empty_hint)

    def save_state(self) -> None:
        CLIENTS_HEADER.save_state(self.table.horizontalHeader())

    def selected_client_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    # --- slots -----------------------------------------------------------------------------------------

    def _on_header_resized(self, *_args: object) -> None:
        self.save_state()

    def _on_filter_edit_edited(self, _text: str) -> None:
        self._filter_timer.start()

    def _on_filter_timer_timeout(self) -> None:
        self.apply_filters()

    def _on_filter_edit_return(self) -> None:
        self.apply_filters()
        if self.model.total:
            self.table.setFocus()
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _on_filter_changed(self, *_args: object) -> None:
        self.apply_filters()

    def _on_table_activated(self, index: QModelIndex) -> None:
        client_id = index.data(Qt.ItemDataRole.UserRole)
        if client_id:
            self.open_client_requested.emit(int(client_id))

    def _on_import_clicked(self) -> None:
        path = open_file_name(self, self.office.locations.database, CSV, "Import clients from CSV",
                              "CSV files (*.csv);;All files (*)")
        if path is not None:
            self.import_csv(path)

    def import_csv(self, path: Path, skip_invalid: bool = False, encoding: str = "utf-8",
                   ignore_extra_columns: bool = False) -> None:
        csv = self.office.client_csv

        def work(progress: Progress) -> ImportReport | _EncodingQuestion:
            try:
                return csv.import_file(path, skip_invalid=skip_invalid, progress=progress, encoding=encoding,
                                       ignore_extra_columns=ignore_extra_columns)
            except NotUtf8 as error:
                # Not a failure to report but a question to ask: which encoding is it? The preview
                # reads the file, so it is made here, off the GUI thread.
                from kantor_cases.services.client_csv import preview

                return _EncodingQuestion(error, preview(path))

        def done(result: ImportReport | _EncodingQuestion) -> None:
            if isinstance(result, _EncodingQuestion):
                self._ask_encoding(path, result, skip_invalid)
            else:
                self._on_import_done(result, path, encoding, ignore_extra_columns)

        def failed(error: BaseException) -> None:
            if isinstance(error, UnknownColumns) and not ignore_extra_columns:
                self._ask_about_unknown_columns(path, error, skip_invalid, encoding)
            else:
                show_error(self, error)

        self.tasks.run(f"Importing {path.name}", work, done, failed)

    def _ask_encoding(self, path: Path, question: _EncodingQuestion, skip_invalid: bool) -> None:
        """The file is not UTF-8: show its names read both ways and let the user choose, or cancel."""
        error = question.error
        shown = "\n".join(f"   {utf8 or '—'}   |   {cp1252 or '—'}"
                           for utf8, cp1252 in zip(question.names["utf-8"], question.names["cp1252"], strict=True))
        box = QMessageBox(QMessageBox.Icon.Question, "Which encoding is this file?",
                          f"{path.name} is not UTF-8 (line {error.line} has the byte 0x{error.byte:02X}); nothing "
                          "was imported. If it was saved as plain CSV by Excel on Windows, it is Windows-1252. "
                          "Read it that way if the names on the right are right:\n\n"
                          f"   as UTF-8   |   as Windows-1252\n{shown}",
                          QMessageBox.StandardButton.Cancel, self)
        read_cp1252 = box.addButton("Read as Windows-1252", QMessageBox.ButtonRole.AcceptRole)
        box.exec()
        if box.clickedButton() is read_cp1252:
            self.import_csv(path, skip_invalid=skip_invalid, encoding="cp1252")

    def _ask_about_unknown_columns(self, path: Path, error: UnknownColumns, skip_invalid: bool,
                                   encoding: str) -> None:
        from kantor_cases.services.client_csv import COLUMNS as COLUMN_NAMES

        box = QMessageBox(QMessageBox.Icon.Warning, "Columns this import does not know",
                          f"{error}\n\nThe columns are: {', '.join(COLUMN_NAMES)}.",
                          QMessageBox.StandardButton.Cancel, self)
        leave_out = box.addButton(f"Import without {', '.join(error.columns)}", QMessageBox.ButtonRole.AcceptRole)
        box.exec()
        if box.clickedButton() is leave_out:
            self.import_csv(path, skip_invalid=skip_invalid, encoding=encoding, ignore_extra_columns=True)

    def _on_import_done(self, report: ImportReport, path: Path, encoding: str = "utf-8",
                        ignore_extra_columns: bool = False) -> None:
        if report.imported:
            announce(Changes.many(CLIENTS))
        listed = [f"column {p.column}: {p.reason}" for p in report.warnings]
        listed += [f"row {p.row}, {p.column or 'row'}: {p.reason}" for p in report.problems]
        listed += [f"row {p.row}: duplicate, not imported — {p.reason}" for p in report.duplicates]
        listed += [f"row {p.row}: possible conflict — {p.reason}" for p in report.conflicts]
        shown = "\n".join(listed[:LISTED_PROBLEMS]) + (
            f"\n… and {len(listed) - LISTED_PROBLEMS} more" if len(listed) > LISTED_PROBLEMS else "")
        if report.held_back:
            box = QMessageBox(QMessageBox.Icon.Warning, "Nothing was imported",
                              f"{report.rejected:,} of {report.rows:,} rows have problems; nothing was written. "
                              "Fix them and import again, or import only the valid rows:\n\n" + shown,
                              QMessageBox.StandardButton.Close, self)
            box.setDetailedText("\n".join(listed))
            import_valid = box.addButton(f"Import the {report.valid:,} valid rows",
                                         QMessageBox.ButtonRole.AcceptRole)
            box.exec()
            if box.clickedButton() is import_valid:
                self.import_csv(path, skip_invalid=True, encoding=encoding,
                                ignore_extra_columns=ignore_extra_columns)
            return
        backup = f"\n\nA backup was taken first: {report.backup}" if report.backup else ""
        if report.backup_check is not None:
            # The rows are in; the backup's pages were checked before the commit. The rest of its
            # check runs on behind the summary, and only a failure is shown.
            check = report.backup_check
            self.tasks.run("Checking the safety backup", lambda _progress: check(),
                           on_error=lambda error: show_error(self, error), cancellable=False, quiet=True)
            backup += " (its last check is still running; you will be told if it fails)"
        count = len(report.conflicts)
        conflicts = (f"\n\n{count:,} row{'s' if count != 1 else ''} may be someone already in the records; look "
                     "at them before opening their matters." if count else "")
        QMessageBox.information(self, "Import finished",
                                f"Imported {report.imported:,} of {report.rows:,} rows ({report.rejected:,} invalid, "
                                f"{report.skipped_duplicates:,} duplicates skipped)." + conflicts
                                + (f"\n\n{shown}" if listed else "") + backup)

    def _on_export_clicked(self) -> None:
        path = save_file_name(self, self.office.locations.database, CSV, "Export clients to CSV", "clients.csv",
                              "CSV files (*.csv)")
        if path is not None:
            self.export_csv(path)

    def export_csv(self, path: Path) -> None:
        csv = self.office.client_csv
        masked = privacy.enabled()  # DOMAIN.md §1: privacy mode masks sensitive clients in exports too
        # The save dialog has asked before replacing a file; the office's own files are refused still.
        def done(count: int) -> None:
            masking = "\n\nPrivacy mode is on: sensitive clients' names and A-numbers are masked."
            QMessageBox.information(self, "Export finished",
                                    f"Wrote {count:,} clients to {path}." + (masking if masked else ""))

        self.tasks.run(f"Exporting clients to {path.name}",
                       lambda _progress: csv.export_file(path, mask_sensitive=masked, force=True), done,
                       cancellable=False)
