"""Every deadline of one matter, or of all a client's matters — computed from a rule or typed in by
hand — with its rule, rule version, citation, why its date rolled (a weekend, a holiday, an uncertain
reading), its due date and its state; open ones first, then the done and replaced ones as history.

From here, as on Today: add a deadline by hand, mark one done (with a note), move the trigger date
of its event (its deadlines are recomputed) or override the date with a reason. What the acting
role may not do is disabled with the permission table's sentence. The matter window shows this as
its Deadlines tab, the client window as theirs; both read it off the window's thread, page it in
SQL and follow every change to the matter's or client's deadlines.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain import permissions
from kantor_cases.domain.agenda_records import TRIGGER_EVENTS
from kantor_cases.domain.changes import DEADLINES, MATTERS, Changes
from kantor_cases.domain.errors import KantorError
from kantor_cases.services.deadlines import DeadlineRow, roll_reason, rule_version, status_text
from kantor_cases.ui.widgets.date_field import from_qdate, to_qdate
from kantor_cases.ui.widgets.date_reason_dialog import ask_date
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.operations import run_change, run_query, watch
from kantor_cases.ui.widgets.paged_table_model import Column, PagedTableModel
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.roles import allow

if TYPE_CHECKING:
    from kantor_cases.services.deadlines import DeadlineService
    from kantor_cases.services.office import Office

MATTER_COLUMNS = (Column("Due", width=120), Column("Deadline", width=220), Column("Rule", width=130),
                  Column("Version", width=120), Column("Citation", width=150),
                  Column("Rolled / uncertain", width=180), Column("Assigned to", width=100),
                  Column("Status", width=160))
CLIENT_COLUMNS = (*MATTER_COLUMNS[:2], Column("Matter", width=150), *MATTER_COLUMNS[2:])


def day_text(day: date | None) -> str:
    return f"{day:%a %d %b %Y}" if day else ""


def deadline_cells(row: DeadlineRow, today: date, with_matter: bool) -> list[str]:
    record = row.record
    due = day_text(record.due)
    if record.overridden and record.computed_due:
        due += " (overridden)"
    cells = [due, record.title, record.rule_id or "entered by hand", rule_version(record), record.citation,
             roll_reason(record), record.assignee, status_text(record, today)]
    if with_matter:
        cells.insert(2, row.matter_title)
    return cells


class DeadlinesModel(PagedTableModel):
    """A matter's or a client's deadlines; the count and first page come from the view's read."""

    def __init__(self, service: DeadlineService, matter_id: int | None, client_id: int | None,
                 today: date, parent: Any = None) -> None:
        super().__init__(CLIENT_COLUMNS if client_id is not None else MATTER_COLUMNS, parent)
        self._service = service
        self.matter_id, self.client_id = matter_id, client_id
        self.today = today

    def _count(self) -> int:
        return self._service.count_for(self.matter_id, self.client_id)

    def _fetch(self, offset: int, limit: int, total: int) -> list[DeadlineRow]:
        return self._service.page_for(offset, limit, self.matter_id, self.client_id)

    def _display(self, record: DeadlineRow, column: int) -> str:
        return deadline_cells(record, self.today, self.client_id is not None)[column]

    def _decoration(self, record: DeadlineRow, column: int, role: int) -> Any:
        deadline = record.record
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n\n".join(part for part in (deadline.notes, deadline.override_reason and
                                                 f"Overridden: {deadline.override_reason}") if part) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if not deadline.is_open:
                return QColor("#777777")
            if deadline.due < self.today:
                return QColor("#a40000")
        return None


class NewDeadlineDialog(QDialog):
    """A deadline typed in by hand: what is due, when, and (on a client's list) on which matter."""

    def __init__(self, today: date, matters: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a deadline")
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("e.g. File the I-589 supplement (scheduling order)")
        self.date_edit = QDateEdit(to_qdate(today))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.notes_edit = QLineEdit()
        self.notes_edit.setPlaceholderText("Where it comes from (optional)")
        self.matter_combo = QComboBox()
        for matter_id, title in matters:
            self.matter_combo.addItem(title, matter_id)
        form = QFormLayout(self)
        if len(matters) > 1:
            form.addRow("&Matter:", self.matter_combo)
        form.addRow("&What is due:", self.title_edit)
        form.addRow("&Due on:", self.date_edit)
        form.addRow("&Notes:", self.notes_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.title_edit.setFocus()

    def values(self) -> tuple[int, str, date, str]:
        return (self.matter_combo.currentData(), self.title_edit.text(), from_qdate(self.date_edit.date()),
                self.notes_edit.text())


class DeadlinesView(QWidget):
    """The Deadlines tab of a matter (`matter_id`) or of a client (`client_id`, every matter)."""

    open_matter_requested = Signal(int)

    def __init__(self, office: Office, matter_id: int | None = None, client_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.matter_id, self.client_id = matter_id, client_id
        self.model = DeadlinesModel(office.deadlines, matter_id, client_id, office.clock.today(), self)
        self.table = RecordTable(self.model, "deadlines/client" if client_id is not None else "deadlines/matter",
                                 sortable=False)
        self.summary_label = QLabel("Loading…")
        self.add_button = QPushButton("Add a deadli&ne…")
        self.done_button = QPushButton("Mark d&one…")
        self.trigger_button = QPushButton("Move &trigger date…")
        self.override_button = QPushButton("O&verride date…")
        for button in (self.add_button, self.done_button, self.trigger_button, self.override_button):
            button.setEnabled(False)  # until the role is known
        self._role = permissions.READ_ONLY
        self._generation = 0

        buttons = QHBoxLayout()
        buttons.addWidget(self.summary_label, 1)
        for button in (self.add_button, self.done_button, self.trigger_button, self.override_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.add_deadline)
        self.done_button.clicked.connect(self.mark_selected_done)
        self.trigger_button.clicked.connect(self.move_selected_trigger)
        self.override_button.clicked.connect(self.override_selected)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        shortcut = QShortcut(QKeySequence("F5"), self, self.reload)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.setWhatsThis("Load the deadlines again")
        watch(self, (DEADLINES, MATTERS), self._on_changed)
        self.reload()

    # --- loading ------------------------------------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        generation, office = self._generation, self.office
        matter_id, client_id, size = self.matter_id, self.client_id, self.model.PAGE_SIZE

        def load() -> tuple[int, list[DeadlineRow], str]:
            service = office.deadlines
            return (service.count_for(matter_id, client_id), service.page_for(0, size, matter_id, client_id),
                    office.role())

        run_query(self, load, lambda loaded: self._show(generation, *loaded), self._on_load_failed)

    def _show(self, generation: int, total: int, first_page: list[DeadlineRow], role: str) -> None:
        if generation != self._generation:
            return
        selected = self.selected()
        self._role = role
        self.model.today = self.office.clock.today()
        self.model.show_first_page(total, first_page)
        open_count = sum(1 for row in first_page if row.record.is_open)
        self.summary_label.setStyleSheet("")
        self.summary_label.setText(f"{open_count:,} open, {total - open_count:,} done or replaced."
                                   if total else "No deadlines yet.")
        row = next((n for n, shown in enumerate(first_page) if selected and shown.id == selected.id), 0)
        if total:
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._update_buttons()

    def _on_load_failed(self, error: BaseException) -> None:
        # Never an empty list that reads as "no deadlines": the rows shown stay, with why they are old.
        self.summary_label.setStyleSheet("color:#a40000;")
        self.summary_label.setText(f"The deadlines could not be brought up to date. {error}"
                                   if isinstance(error, KantorError) else
                                   "The deadlines could not be brought up to date; press F5 to try again.")

    def _on_changed(self, changes: Changes) -> None:
        if (self.matter_id is not None and changes.touches_matter(self.matter_id)) or (
                self.client_id is not None and changes.touches_client(self.client_id)):
            self.reload()

    # --- selection and what may be done ---------------------------------------------------------------

    def selected(self) -> DeadlineRow | None:
        record = self.table.current_record()
        return record if isinstance(record, DeadlineRow) else None

    def select_title(self, title: str) -> bool:
        """Select the first row whose deadline is `title` (tests and the decision message use it)."""
        for row in range(self.model.rowCount()):
            record = self.model.record(row)
            if record is not None and record.record.title == title:
                self.table.setCurrentIndex(self.model.index(row, 0))
                return True
        return False

    def _update_buttons(self) -> None:
        row = self.selected()
        is_open = row is not None and row.record.is_open
        allow(self.add_button, self._role, "deadlines.edit")
        allow(self.done_button, self._role, "deadlines.edit", usable=is_open)
        movable = is_open and row is not None and row.record.trigger_event in TRIGGER_EVENTS and \
            row.record.trigger_date is not None
        allow(self.trigger_button, self._role, "deadline.override", usable=movable,
              tip="The event's date was wrong or changed: recompute its deadlines")
        allow(self.override_button, self._role, "deadline.override", usable=is_open)

    # --- actions (also the tests' way in) --------------------------------------------------------------

    def ask_note(self, title: str, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, prompt)
        return text if ok else None

    def ask_date(self, title: str, prompt: str, value: date, ask_reason: bool) -> tuple[date, str] | None:
        return ask_date(self, title, prompt, value, ask_reason)

    def ask_new(self) -> tuple[int, str, date, str] | None:
        matters = [(self.matter_id, "")] if self.matter_id is not None else [
            (m.id, f"{m.title} (no. {m.id})") for m in self.office.matters.for_client(self.client_id or 0)]
        if not matters:
            show_error(self, KantorError("Open a matter for this client first; a deadline belongs to a matter."))
            return None
        dialog = NewDeadlineDialog(self.office.clock.today(), matters, self)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _changes(self, matter_id: int, client_id: int | None = None) -> Changes:
        clients = [client_id] if client_id is not None else [self.client_id] if self.client_id is not None else []
        return Changes.of(DEADLINES, matters=[matter_id], clients=clients)

    def _failed(self, error: BaseException) -> None:
        show_error(self, error)
        self.reload()  # e.g. someone changed it meanwhile: show it as it is now

    def add_deadline(self) -> None:
        answer = self.ask_new()
        if answer is None:
            return
        matter_id, title, due, notes = answer
        deadlines = self.office.deadlines
        run_change(self, "Adding the deadline…", lambda: deadlines.add_manual(matter_id, title, due, notes=notes),
                   self._changes(matter_id), on_error=self._failed)

    def mark_selected_done(self) -> None:
        row = self.selected()
        if row is None or not row.record.is_open:
            return
        note = self.ask_note("Done", f"Done: {row.record.title}\nNote (what was done):")
        if note is None:
            return
        deadlines, record = self.office.deadlines, row.record
        run_change(self, "Marking done…", lambda: deadlines.mark_done(record.id, note, record.version),
                   self._changes(record.matter_id, row.client_id), on_error=self._failed)

    def move_selected_trigger(self) -> None:
        row = self.selected()
        if row is None or row.record.trigger_date is None:
            return
        record = row.record
        event = TRIGGER_EVENTS.get(record.trigger_event)
        if event is None or record.trigger_date is None:
            return
        old = record.trigger_date
        answer = self.ask_date("Move the trigger date", f"{event.label} — the date it really happened.\n"
                               "Its open deadlines are recomputed; the old ones stay in the history.",
                               old, ask_reason=False)
        if answer is None:
            return
        deadlines = self.office.deadlines
        run_change(self, "Recomputing the deadlines…",
                   lambda: deadlines.change_trigger(record.matter_id, event.id, answer[0], old_date=old),
                   self._changes(record.matter_id, row.client_id), on_error=self._failed)

    def override_selected(self) -> None:
        row = self.selected()
        if row is None or not row.record.is_open:
            return
        record = row.record
        answer = self.ask_date("Override the due date",
                               f"{record.title}\nComputed by {record.citation or 'hand'}: {day_text(record.due)}.",
                               record.due, ask_reason=True)
        if answer is None:
            return
        deadlines = self.office.deadlines
        run_change(self, "Saving the date…",
                   lambda: deadlines.override(record.id, answer[0], answer[1], record.version),
                   self._changes(record.matter_id, row.client_id), on_error=self._failed)

    # --- slots ---------------------------------------------------------------------------------------

    def _on_current_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_table_activated(self, _index: QModelIndex) -> None:
        row = self.selected()
        if row is not None and self.client_id is not None:
            self.open_matter_requested.emit(row.record.matter_id)
