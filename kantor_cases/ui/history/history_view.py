"""A History list: who did what and when, newest first, filtered by user, dates and (office-wide)
kind, paged in SQL, with "Export PDF…". The client and matter windows show one as their History tab
(the shell hands it in); the Audit screen shows the office's.

The count and the first page are read off the window's thread; further pages are read as the list
is scrolled to them (one indexed query of 200 rows each).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain.changes import ALL_KINDS, DEADLINES, MATTERS, PD_REQUESTS, Changes
from kantor_cases.domain.errors import KantorError
from kantor_cases.services.audit import AuditEntry
from kantor_cases.services.history import HistoryFilter, what
from kantor_cases.ui.widgets import privacy
from kantor_cases.ui.widgets.date_field import DateField
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.file_dialogs import PDF, save_file_name
from kantor_cases.ui.widgets.operations import run_change, run_query, watch
from kantor_cases.ui.widgets.paged_table_model import Column, PagedTableModel
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.roles import allow

if TYPE_CHECKING:
    from kantor_cases.services.history import HistoryService
    from kantor_cases.services.office import Office

log = logging.getLogger(__name__)

COLUMNS = (Column("When", width=130), Column("Who", width=110), Column("Kind", width=100),
           Column("What", width=520))
_ANYONE = "Everyone"
_ANY_KIND = "Every kind"


class HistoryModel(PagedTableModel):
    def __init__(self, history: HistoryService, where: HistoryFilter, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._history = history
        self.where = where

    def show_history(self, where: HistoryFilter, total: int, first_page: list[AuditEntry]) -> None:
        self.where = where
        self.show_first_page(total, first_page)

    def _count(self) -> int:
        return self._history.count(self.where)

    def _fetch(self, offset: int, limit: int, total: int) -> list[AuditEntry]:
        return self._history.page(self.where, offset, limit)

    def _display(self, record: AuditEntry, column: int) -> str:
        if column == 0:
            return f"{record.at:%d %b %Y %H:%M}"
        if column == 1:
            return record.user_name
        if column == 2:
            return record.action
        if self.where.office_wide:
            # A client's own History is opened on purpose; the office's list is masked like every list.
            return privacy.client_text(what(record), record.private)
        return what(record)


class HistoryView(QWidget):
    def __init__(self, office: Office, where: HistoryFilter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.scope = where
        self.model = HistoryModel(office.history, where, self)
        self.table = RecordTable(self.model, "history", sortable=False)

        self.user_box = QComboBox()
        self.user_box.addItem(_ANYONE)
        self.kind_box = QComboBox()
        self.kind_box.addItem(_ANY_KIND)
        self.kind_box.setVisible(where.office_wide)
        self.since_field = DateField()
        self.until_field = DateField()
        self.since_field.setPlaceholderText("from M/D/YYYY")
        self.until_field.setPlaceholderText("to M/D/YYYY")
        self.filter_message = QLabel()
        self.filter_message.setStyleSheet("color: #a33;")
        for box in (self.user_box, self.kind_box):
            box.activated.connect(lambda _index: self.reload())
        for field in (self.since_field, self.until_field):
            field.editingFinished.connect(self.reload)
        self.export_button = QPushButton("Export PDF…")
        self.export_button.clicked.connect(self._on_export_clicked)
        # Your own last status change since you signed in (of this client or matter), put back.
        self.undo_button = QPushButton("Undo last change…")
        self.undo_button.clicked.connect(self.undo_last_change)
        self.count_label = QLabel("Loading…")

        filters = QHBoxLayout()
        filters.addWidget(QLabel("User:"))
        filters.addWidget(self.user_box)
        filters.addWidget(self.kind_box)
        filters.addWidget(self.since_field)
        filters.addWidget(self.until_field)
        filters.addWidget(self.filter_message, 1)
        filters.addWidget(self.undo_button)
        filters.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.export_button.setEnabled(False)  # until the role is known to hand the history out
        run_query(self, office.role, self._allow_export, self._on_load_failed)
        self.reload()
        # Every change writes an audit row: a client's or matter's History follows the changes to it.
        watch(self, ALL_KINDS, self._on_changed)

    def _allow_export(self, role: str) -> None:
        allow(self.export_button, role, "clients.export")

    def _on_changed(self, changes: Changes) -> None:
        if (self.scope.client_id is not None and not changes.touches_client(self.scope.client_id)) or (
                self.scope.matter_id is not None and not changes.touches_matter(self.scope.matter_id)):
            return
        self.reload()

    def current_filter(self) -> HistoryFilter | None:
        """The filter the fields ask for; None (with a message beside them) when a date is not one."""
        try:
            since, until = self.since_field.value(), self.until_field.value()
        except ValueError as error:
            self.filter_message.setText(str(error))
            return None
        self.filter_message.clear()
        user = self.user_box.currentText()
        kind = self.kind_box.currentText()
        return replace(self.scope, user=None if user == _ANYONE else user, since=since, until=until,
                       kind=None if kind == _ANY_KIND else kind)

    def reload(self) -> None:
        where = self.current_filter()
        if where is None:
            return
        history = self.office.history
        page_size = self.model.PAGE_SIZE

        def load() -> tuple[int, list[AuditEntry], list[str], list[str]]:
            return (history.count(where), history.page(where, 0, page_size), history.users(where),
                    history.kinds(where) if where.office_wide else [])

        run_query(self, load, lambda loaded: self._show(where, *loaded), self._on_load_failed)

    def _show(self, where: HistoryFilter, total: int, first_page: list[AuditEntry], users: list[str],
              kinds: list[str]) -> None:
        self.model.show_history(where, total, first_page)
        _fill(self.user_box, _ANYONE, users, where.user)
        _fill(self.kind_box, _ANY_KIND, kinds, where.kind)
        self.count_label.setText(f"{total:,} row{'s' if total != 1 else ''}, newest first.")

    def _on_load_failed(self, error: BaseException) -> None:
        # A locked database never reads as "nothing happened": the rows shown stay.
        log.warning("The history could not be brought up to date: %s", type(error).__name__)
        self.count_label.setText("The history could not be brought up to date; press F5 to try again.")

    def _on_export_clicked(self) -> None:
        suggested = self.office.history.title(self.scope).lower().replace(" ", "-").replace("#", "") + ".pdf"
        path = save_file_name(self, self.office.locations.database, PDF, "Export the history as PDF", suggested,
                              "PDF files (*.pdf)")
        if path is not None:
            self.export_pdf(path)

    def undo_last_change(self) -> None:
        matters = self.office.matters
        try:
            offer = matters.last_undoable(matter_id=self.scope.matter_id, client_id=self.scope.client_id)
        except KantorError as error:
            show_error(self, error)
            return
        if offer is None:
            QMessageBox.information(self, "Undo last change", "You have not changed a status here since you signed "
                                    "in; there is nothing to undo.")
            return
        answer = QMessageBox.question(
            self, "Undo last change", f"Undo {offer.describe()}? The status goes back to “{offer.from_label}”; "
            "deadlines it created are withdrawn (kept in the history) and any it replaced come back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        run_change(self, "Undoing…", lambda: matters.undo_status_change(offer.change_id),
                   Changes.of(MATTERS, DEADLINES, PD_REQUESTS, matters=[offer.matter_id], clients=[offer.client_id]),
                   on_error=lambda error: show_error(self, error))

    def export_pdf(self, path: Path) -> None:
        where = self.current_filter()
        if where is None:
            return
        history = self.office.history

        def done(written: Path) -> None:
            self.reload()  # the export is itself a row of the History
            QMessageBox.information(self, "History exported", f"Wrote {written}.")

        # The save dialog has asked before replacing a file; the office's own files are refused still.
        run_change(self, "Exporting the history…", lambda: history.export_pdf(where, path, force=True),
                   Changes(frozenset()), on_done=done, on_error=lambda error: show_error(self, error))


def _fill(box: QComboBox, everything: str, names: list[str], chosen: str | None) -> None:
    box.blockSignals(True)
    box.clear()
    box.addItem(everything)
    box.addItems(names)
    if chosen is not None:
        if chosen not in names:
            box.addItem(chosen)
        box.setCurrentText(chosen)
    box.blockSignals(False)
