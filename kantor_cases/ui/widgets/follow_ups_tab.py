"""The Follow-ups tab of a client's or a matter's window: that record's open follow-ups, with New
follow-up (Ctrl+Shift+F anywhere in the window), Done and Snooze as on the Follow-ups screen.

It loads off the window's thread and reloads whenever a change touching its client or matter is
announced (a follow-up done on Today, raised by the daily check, closed by a printed reminder).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QMenu, QPushButton, QVBoxLayout, QWidget

from kantor_cases.domain import permissions
from kantor_cases.domain.agenda_records import SNOOZE_DAYS, FollowUpRecord
from kantor_cases.domain.changes import FOLLOW_UPS, Changes
from kantor_cases.domain.errors import KantorError
from kantor_cases.ui.widgets import follow_up_actions
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.follow_up_dialog import FollowUpDialog
from kantor_cases.ui.widgets.operations import run_query, watch
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.record_table_model import RecordColumn, RecordTableModel
from kantor_cases.ui.widgets.roles import allow
from kantor_cases.ui.widgets.shortcuts import add_new_follow_up_shortcut

if TYPE_CHECKING:
    from kantor_cases.services.office import Office


def _date(value: date | None) -> str:
    return f"{value:%d %b %Y}" if value else ""


class FollowUpsTab(QWidget):
    """Open follow-ups of `client_id` (all its matters' too) or of `matter_id`."""

    def __init__(self, office: Office, *, client_id: int | None = None, matter_id: int | None = None,
                 about: str = "", shortcut_owner: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.client_id, self.matter_id = client_id, matter_id
        self.about = about
        self.loaded = False
        self.model = RecordTableModel([
            RecordColumn("Due", lambda f: _date(f.due), 100, sort_value=lambda f: f.due),
            RecordColumn("Note", lambda f: f.note.splitlines()[0] if f.note else "", 320),
            RecordColumn("Assigned to", lambda f: f.assignee, 120),
            RecordColumn("Repeats", lambda f: f"every {f.recurrence_days} days" if f.recurrence_days else "", 100),
            RecordColumn("Snoozed until", lambda f: _date(f.snoozed_until), 100),
            RecordColumn("From", lambda f: "automatic" if f.automatic else "", 80),
        ], parent=self)
        self.table = RecordTable(self.model, "matter/follow_ups" if matter_id else "client/follow_ups")
        self.status_label = QLabel()
        self.new_button = QPushButton("&New follow-up… (Ctrl+Shift+F)")
        self.done_button = QPushButton("Done…")
        self.snooze_button = QPushButton("Snooze")
        menu = QMenu(self)
        for days in SNOOZE_DAYS:
            action = menu.addAction(f"{days} day{'s' if days > 1 else ''}")
            action.triggered.connect(lambda _checked=False, d=days: self.snooze_selected(d))
        self.snooze_button.setMenu(menu)
        row = QHBoxLayout()
        row.addWidget(self.status_label, 1)
        for button in (self.new_button, self.done_button, self.snooze_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        add_new_follow_up_shortcut(shortcut_owner or self, self.open_new_dialog)
        self.new_button.clicked.connect(self.open_new_dialog)
        self.done_button.clicked.connect(self.mark_selected_done)
        self.table.selectionModel().currentRowChanged.connect(lambda *_args: self._update_buttons())
        watch(self, (FOLLOW_UPS,), self._on_changed)
        self._role = permissions.READ_ONLY
        self.reload()

    def reload(self) -> None:
        office, client_id, matter_id = self.office, self.client_id, self.matter_id

        def load() -> tuple[list[FollowUpRecord], str]:
            found = (office.follow_ups.for_matter(matter_id) if matter_id is not None
                     else office.follow_ups.for_client(client_id or 0))
            return found, office.role()

        run_query(self, load, self._show, self._load_failed)

    def _show(self, loaded: tuple[list[FollowUpRecord], str]) -> None:
        records, self._role = loaded
        self.model.set_records(records)
        self.status_label.setText(f"{len(records):,} open" if records else "No open follow-ups.")
        if records and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.loaded = True
        self._update_buttons()

    def _load_failed(self, error: BaseException) -> None:
        if not isinstance(error, KantorError):
            show_error(self, error)
        self.status_label.setText("This list could not be brought up to date.")

    def selected(self) -> FollowUpRecord | None:
        index = self.table.currentIndex()
        record = self.model.record(index.row()) if index.isValid() else None
        return record if isinstance(record, FollowUpRecord) else None

    def _update_buttons(self) -> None:
        allow(self.new_button, self._role, "follow_ups.edit")
        for button in (self.done_button, self.snooze_button):
            allow(button, self._role, "follow_ups.edit", usable=self.selected() is not None)

    def new_dialog(self) -> FollowUpDialog:
        return FollowUpDialog(self.office, client_id=None if self.matter_id else self.client_id,
                              matter_id=self.matter_id, parent=self, about=self.about)

    def open_new_dialog(self) -> None:
        self.new_dialog().exec()  # the dialog saves and announces the follow-up itself

    def ask_note(self, title: str, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, prompt)
        return text if ok else None

    def mark_selected_done(self) -> None:
        record = self.selected()
        if record is None:
            return
        note = self.ask_note("Done", f"Done: {record.note.splitlines()[0] if record.note else ''}\nNote:")
        if note is None:
            return
        follow_up_actions.mark_done(self, self.office, record, note, self.office.clock.today(), self._action_failed)

    def snooze_selected(self, days: int) -> None:
        record = self.selected()
        if record is None:
            return
        follow_up_actions.snooze(self, self.office, record, days, self.office.clock.today(), self._action_failed)

    def _action_failed(self, error: BaseException) -> None:
        show_error(self, error)
        self.reload()

    def _on_changed(self, changes: Changes) -> None:
        if (changes.touches_matter(self.matter_id) if self.matter_id is not None
                else changes.touches_client(self.client_id or 0)):
            self.reload()
