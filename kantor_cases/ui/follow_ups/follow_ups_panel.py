"""Follow-ups: my open follow-ups (and those escalated to me), a new follow-up, "remind me in N days".

`FollowUpDialog` is also what a client's or matter's screen opens to add a follow-up there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain.agenda_records import REMIND_IN_DAYS, SNOOZE_DAYS, FollowUpRecord
from kantor_cases.domain.changes import CLIENTS, FOLLOW_UPS, MATTERS, Changes
from kantor_cases.domain.errors import KantorError
from kantor_cases.ui.follow_ups.follow_ups_table_model import FollowUpsTableModel
from kantor_cases.ui.widgets.date_field import from_qdate, to_qdate
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.operations import announce, run_change, watch
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.tasks import Tasks

if TYPE_CHECKING:
    from kantor_cases.services.office import Office


class FollowUpDialog(QDialog):
    """A new follow-up on a client or matter: what, when (or "in N days"), who, how often."""

    def __init__(self, office: Office, client_id: int | None = None, matter_id: int | None = None,
                 parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.today = today or office.clock.today()
        self.created: FollowUpRecord | None = None
        self.setWindowTitle("New follow-up")

        self.client_spin = QSpinBox()
        self.matter_spin = QSpinBox()
        for spin, value in ((self.client_spin, client_id), (self.matter_spin, matter_id)):
            spin.setRange(0, 2_000_000_000)
            spin.setSpecialValueText("—")
            spin.setValue(value or 0)
        fixed_subject = client_id is not None or matter_id is not None
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("What needs to be done")
        self.note_edit.setTabChangesFocus(True)
        self.due_edit = QDateEdit(to_qdate(self.today + timedelta(days=1)))
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat("ddd d MMM yyyy")
        quick = QHBoxLayout()
        self.quick_buttons: dict[int, QPushButton] = {}
        for days in REMIND_IN_DAYS:
            button = QPushButton(f"{days} d")
            button.setToolTip(f"Due in {days} day{'s' if days > 1 else ''}")
            button.clicked.connect(lambda _checked=False, d=days: self.due_in(d))
            quick.addWidget(button)
            self.quick_buttons[days] = button
        self.assignee_combo = QComboBox()
        self.assignee_combo.setEditable(True)
        # The acting user first; any other name may be typed in (a user not set up yet).
        names = [office.user] + [user.name for user in office.settings.users() if user.name != office.user]
        self.assignee_combo.addItems(names)
        self.repeat_spin = QSpinBox()
        self.repeat_spin.setRange(0, 366)
        self.repeat_spin.setSpecialValueText("does not repeat")
        self.repeat_spin.setSuffix(" days")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)

        form = QFormLayout(self)
        if fixed_subject:
            what = f"matter no. {matter_id}" if matter_id else f"client no. {client_id}"
            form.addRow("About:", QLabel(what))
        else:
            form.addRow("Matter no.:", self.matter_spin)
            form.addRow("or client no.:", self.client_spin)
        form.addRow("Note:", self.note_edit)
        form.addRow("Due:", self.due_edit)
        form.addRow("Due in:", quick)
        form.addRow("Assigned to:", self.assignee_combo)
        form.addRow("Repeat every:", self.repeat_spin)
        form.addRow(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def due_in(self, days: int) -> None:
        self.due_edit.setDate(to_qdate(self.today + timedelta(days=days)))

    def save(self) -> None:
        try:
            self.created = self.office.follow_ups.create(
                from_qdate(self.due_edit.date()), self.note_edit.toPlainText(),
                client_id=self.client_spin.value() or None, matter_id=self.matter_spin.value() or None,
                assignee=self.assignee_combo.currentText(), recurrence_days=self.repeat_spin.value() or None,
            )
        except KantorError as error:
            self.error_label.setText(str(error))
            return
        announce(Changes.of(FOLLOW_UPS, clients=[self.created.client_id] if self.created.client_id else [],
                            matters=[self.created.matter_id] if self.created.matter_id else []))
        self.accept()


class FollowUpsPanel(QWidget):
    open_client_requested = Signal(int)
    open_matter_requested = Signal(int)

    def __init__(self, office: Office, parent: QWidget | None = None,
                 today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.tasks = Tasks(self)
        self._today = today or office.clock.today
        # Paged in SQL: on a big office one attorney can have tens of thousands of open follow-ups.
        self.model = FollowUpsTableModel(office.follow_ups, lambda: self.office.user, self)

        self.title_label = QLabel()
        self.table = RecordTable(self.model, "follow_ups", sortable=False)
        self.empty_label = QLabel("No open follow-ups. <i>New follow-up…</i> adds one.")

        self.new_button = QPushButton("&New follow-up…")
        self.remind_button = QPushButton("&Remind me in")
        self.remind_menu = QMenu(self)
        for days in REMIND_IN_DAYS:
            action = self.remind_menu.addAction(f"{days} day{'s' if days > 1 else ''}")
            action.triggered.connect(lambda _checked=False, d=days: self.remind_me(d))
        self.remind_button.setMenu(self.remind_menu)
        self.remind_button.setToolTip("A follow-up for you on the same client or matter")
        self.done_button = QPushButton("&Done… (D)")
        self.snooze_button = QPushButton("&Snooze")
        snooze_menu = QMenu(self)
        for days in SNOOZE_DAYS:
            action = snooze_menu.addAction(f"{days} day{'s' if days > 1 else ''}")
            action.triggered.connect(lambda _checked=False, d=days: self.snooze_selected(d))
        self.snooze_button.setMenu(snooze_menu)
        self.open_button = QPushButton("&Open (Enter)")

        buttons = QHBoxLayout()
        for button in (self.new_button, self.remind_button, self.done_button, self.snooze_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)

        shortcut = QShortcut(QKeySequence("D"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.mark_selected_done)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.done_button.clicked.connect(self.mark_selected_done)
        self.open_button.clicked.connect(self.open_selected)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        watch(self, (FOLLOW_UPS, CLIENTS, MATTERS), lambda _changes: self.refresh())
        self.refresh()

    @property
    def busy(self) -> bool:
        return self.tasks.busy

    def refresh(self) -> None:
        selected = self.selected_record()
        today = self._today()
        try:
            # Paged in SQL: the first page and the counts are quick at any size (benchmarks/).
            self.model.refresh_for(today)
            overdue = self.office.follow_ups.count_open_for(self.office.user, due_before=today)
        except KantorError as error:
            # Never "0 open": the list is not known, and the person is told why.
            self.title_label.setText(f"<h2>My follow-ups</h2><span style='color:#a40000'>This list could not be "
                                     f"brought up to date. {escape(str(error))}</span>")
            return
        total = self.model.total
        self.title_label.setText(f"<h2>My follow-ups</h2>{total:,} open for {escape(self.office.user)}"
                                 + (f", {overdue:,} overdue" if overdue else ""))
        self.empty_label.setVisible(not total)
        if total:
            # The selection stays on its follow-up when it is on the first screen (else: the first line).
            row = next((n for n in range(min(total, self.model.PAGE_SIZE))
                        if selected and (record := self.model.record(n)) and record.id == selected.id), 0)
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._update_buttons()

    def selected_record(self) -> FollowUpRecord | None:
        index = self.table.currentIndex()
        record = self.model.record(index.row()) if index.isValid() else None
        return record if isinstance(record, FollowUpRecord) else None

    def _update_buttons(self) -> None:
        has = self.selected_record() is not None
        for button in (self.remind_button, self.done_button, self.snooze_button, self.open_button):
            button.setEnabled(has)

    # --- actions ------------------------------------------------------------------------------------

    def new_follow_up_dialog(self) -> FollowUpDialog:
        """On the selected follow-up's matter (or client), or asking which one when nothing is selected."""
        record = self.selected_record()
        if record is None:
            return FollowUpDialog(self.office, parent=self, today=self._today())
        return FollowUpDialog(self.office, client_id=None if record.matter_id else record.client_id,
                              matter_id=record.matter_id, parent=self, today=self._today())

    def ask_note(self, title: str, prompt: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self, title, prompt, text=text)
        return value if ok else None

    def remind_me(self, days: int) -> None:
        record = self.selected_record()
        if record is None:
            return
        note = self.ask_note(f"Remind me in {days} days", "About:", record.note.splitlines()[0] if record.note else "")
        if note is None:
            return
        follow_ups, today = self.office.follow_ups, self._today()
        run_change(self, "Saving the follow-up…",
                   lambda: follow_ups.remind_me(days, note, client_id=None if record.matter_id else record.client_id,
                                                matter_id=record.matter_id, today=today),
                   self._changes_for(record), on_error=self._action_failed)

    def mark_selected_done(self) -> None:
        record = self.selected_record()
        if record is None:
            return
        note = self.ask_note("Done", f"Done: {record.note.splitlines()[0] if record.note else ''}\nNote:")
        if note is None:
            return
        follow_ups, today = self.office.follow_ups, self._today()
        run_change(self, "Marking done…", lambda: follow_ups.mark_done(record.id, note, record.version, today=today),
                   self._changes_for(record), on_error=self._action_failed)

    def snooze_selected(self, days: int) -> None:
        record = self.selected_record()
        if record is None:
            return
        follow_ups, today = self.office.follow_ups, self._today()
        run_change(self, "Snoozing…",
                   lambda: follow_ups.snooze(record.id, today + timedelta(days=days), record.version, today=today),
                   self._changes_for(record), on_error=self._action_failed)

    @staticmethod
    def _changes_for(record: FollowUpRecord) -> Changes:
        return Changes.of(FOLLOW_UPS, clients=[record.client_id] if record.client_id else [],
                          matters=[record.matter_id] if record.matter_id else [])

    def _action_failed(self, error: BaseException) -> None:
        show_error(self, error)
        self.refresh()  # e.g. someone changed it meanwhile: show it as it is now

    def open_selected(self) -> None:
        record = self.selected_record()
        if record is None:
            return
        if record.matter_id:
            self.open_matter_requested.emit(record.matter_id)
        elif record.client_id:
            self.open_client_requested.emit(record.client_id)

    # --- slots ------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()

    def _on_new_clicked(self) -> None:
        dialog = self.new_follow_up_dialog()
        dialog.exec()  # a saved follow-up is announced by the dialog

    def _on_table_activated(self, _index: QModelIndex) -> None:
        self.open_selected()

    def _on_current_changed(self, *_args: object) -> None:
        self._update_buttons()
