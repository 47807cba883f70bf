"""Follow-ups: my open follow-ups (and those escalated to me), or the whole office's open follow-ups
of one automatic rule (Today's "open list"); a new follow-up about any client or matter (Ctrl+Shift+F,
with a search-as-you-type picker), "remind me in N days".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain.agenda_records import REMIND_IN_DAYS, SNOOZE_DAYS, FollowUpRecord
from kantor_cases.domain.automatic_follow_ups import RULES, RULES_BY_ID
from kantor_cases.domain.changes import CLIENTS, FOLLOW_UPS, MATTERS
from kantor_cases.domain.errors import KantorError
from kantor_cases.ui.follow_ups.follow_ups_table_model import FollowUpsTableModel
from kantor_cases.ui.widgets import follow_up_actions
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.follow_up_dialog import FollowUpDialog
from kantor_cases.ui.widgets.operations import run_change, watch
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.shortcuts import add_new_follow_up_shortcut
from kantor_cases.ui.widgets.tasks import Tasks

if TYPE_CHECKING:
    from kantor_cases.services.office import Office


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
        self.show_combo = QComboBox()
        self.show_combo.addItem("My follow-ups", None)
        for rule in RULES:
            self.show_combo.addItem(f"Automatic: {rule.plural} (whole office)", rule.id)
        self.table = RecordTable(self.model, "follow_ups", sortable=False)
        self.empty_label = QLabel("No open follow-ups. <i>New follow-up…</i> adds one.")

        self.new_button = QPushButton("&New follow-up… (Ctrl+Shift+F)")
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
        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.show_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)

        shortcut = QShortcut(QKeySequence("D"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.mark_selected_done)
        add_new_follow_up_shortcut(self, self._on_new_clicked)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.show_combo.currentIndexChanged.connect(self._on_show_changed)
        self.done_button.clicked.connect(self.mark_selected_done)
        self.open_button.clicked.connect(self.open_selected)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        watch(self, (FOLLOW_UPS, CLIENTS, MATTERS), lambda _changes: self.refresh())
        self.refresh()

    @property
    def busy(self) -> bool:
        return self.tasks.busy

    def show_rule(self, rule_id: str | None) -> None:
        """List one automatic rule's open follow-ups for the whole office (None: my follow-ups)."""
        self.show_combo.setCurrentIndex(max(0, self.show_combo.findData(rule_id)))

    def refresh(self) -> None:
        selected = self.selected_record()
        today = self._today()
        rule = RULES_BY_ID.get(self.show_combo.currentData() or "")
        self.model.rule_id = rule.id if rule else None
        heading = f"Automatic follow-ups: {rule.plural}" if rule else "My follow-ups"
        try:
            # Paged in SQL: the first page and the counts are quick at any size (benchmarks/).
            self.model.refresh_for(today)
            overdue = 0 if rule else self.office.follow_ups.count_open_for(self.office.user, due_before=today)
        except KantorError as error:
            # Never "0 open": the list is not known, and the person is told why.
            self.title_label.setText(f"<h2>{heading}</h2><span style='color:#a40000'>This list could not be "
                                     f"brought up to date. {escape(str(error))}</span>")
            return
        total = self.model.total
        who = "in the whole office" if rule else f"for {escape(self.office.user)}"
        self.title_label.setText(f"<h2>{heading}</h2>{total:,} open {who}"
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
        """A new follow-up about whichever client or matter the person picks (not the selected line's)."""
        return FollowUpDialog(self.office, parent=self, today=self._today())

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
                   follow_up_actions.follow_up_changes(record), on_error=self._action_failed)

    def mark_selected_done(self) -> None:
        record = self.selected_record()
        if record is None:
            return
        note = self.ask_note("Done", f"Done: {record.note.splitlines()[0] if record.note else ''}\nNote:")
        if note is None:
            return
        follow_up_actions.mark_done(self, self.office, record, note, self._today(), self._action_failed)

    def snooze_selected(self, days: int) -> None:
        record = self.selected_record()
        if record is None:
            return
        follow_up_actions.snooze(self, self.office, record, days, self._today(), self._action_failed)

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

    def _on_show_changed(self, _index: int) -> None:
        self.refresh()

    def _on_table_activated(self, _index: QModelIndex) -> None:
        self.open_selected()

    def _on_current_changed(self, *_args: object) -> None:
        self._update_buttons()
