"""Today: what is overdue, due today and due this week - deadlines, follow-ups and hearings together.

The window opens on it. One key or click per action: D marks done (with a note), S snoozes a
follow-up (1, 3 or 7 days), Enter or a double click opens the matter (or the client). A deadline's
trigger date can be moved here, and its date overridden with a reason; the line follows at once.
Once a day, when first shown, it runs the office's follow-up check (automatic follow-ups and
escalation) off the GUI thread. The automatic follow-ups are not listed line by line (a big office
has thousands): a line per rule above the list counts them exactly ("118 EOIR status checks due")
and links to the Follow-ups screen showing that rule's. Ctrl+Shift+F adds a follow-up about any
client or matter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain import permissions
from kantor_cases.domain.agenda_records import (
    AGENDA_LIMIT,
    DEADLINE,
    FOLLOW_UP,
    SNOOZE_DAYS,
    TRIGGER_EVENTS,
    AgendaItem,
    TodayView,
)
from kantor_cases.domain.changes import CLIENTS, DEADLINES, FOLLOW_UPS, HEARINGS, MATTERS, Changes
from kantor_cases.domain.errors import DamagedDatabaseError, KantorError
from kantor_cases.ui.widgets.agenda_table_model import AGENDA_COLUMNS, ItemTableModel, day_text
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.layouts import WrappingRow
from kantor_cases.ui.widgets.operations import announce, run_change, run_query, watch
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.roles import allow
from kantor_cases.ui.widgets.shortcuts import add_new_follow_up_shortcut
from kantor_cases.ui.widgets.tasks import Tasks

if TYPE_CHECKING:
    from kantor_cases.services.office import Office
    from kantor_cases.ui.widgets.follow_up_dialog import FollowUpDialog

log = logging.getLogger(__name__)

AGENDA_DAYS = 7
DAILY_CHECK_DELAY_MS = 2000  # after the window is up


class TodayPanel(QWidget):
    open_client_requested = Signal(int)
    open_matter_requested = Signal(int)
    # An automatic rule's "open list": the shell shows the Follow-ups screen filtered to that rule.
    follow_ups_rule_requested = Signal(str)

    def __init__(self, office: Office, parent: QWidget | None = None, tasks: Tasks | None = None,
                 today: Callable[[], date] | None = None, daily_check: bool = True) -> None:
        super().__init__(parent)
        self.office = office
        self.tasks = tasks or Tasks(self)
        self._today = today or office.clock.today
        self._daily_check = daily_check
        self._checked_on: date | None = None
        self.model = ItemTableModel(AGENDA_COLUMNS, self)

        self.title_label = QLabel()
        self.me_button = QRadioButton("Me")
        self.office_button = QRadioButton("Whole office")
        self.me_button.setChecked(True)
        scope = QButtonGroup(self)
        scope.addButton(self.me_button)
        scope.addButton(self.office_button)
        self.summary_label = QLabel()
        self.automatic_label = QLabel()
        self.automatic_label.setTextFormat(Qt.TextFormat.RichText)
        self.automatic_label.setWordWrap(True)
        self.automatic_label.linkActivated.connect(self.follow_ups_rule_requested)
        self.automatic_label.hide()

        self.table = RecordTable(self.model, "today", sortable=False)
        self.new_follow_up_button = QPushButton("&New follow-up… (Ctrl+Shift+F)")

        self.done_button = QPushButton("&Done… (D)")
        self.snooze_button = QPushButton("&Snooze (S)")
        self.snooze_menu = QMenu(self)
        self.snooze_actions: dict[int, QAction] = {}
        for days in SNOOZE_DAYS:
            action = self.snooze_menu.addAction(f"{days} day{'s' if days > 1 else ''}")
            action.triggered.connect(lambda _checked=False, d=days: self.snooze_selected(d))
            self.snooze_actions[days] = action
        self.snooze_button.setMenu(self.snooze_menu)
        self.open_button = QPushButton("&Open (Enter)")
        self.trigger_button = QPushButton("Move &trigger date…")
        self.override_button = QPushButton("O&verride date…")
        self.refresh_button = QPushButton("Refresh (F5)")
        self.undo_button = QPushButton("&Undo done (Ctrl+Z)")
        self.undo_button.setEnabled(False)
        # What the last Done changed, so a slip of the key can be taken back: (kind, id, version, next id).
        self._last_done: tuple[str, int, int, int | None] | None = None

        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.me_button)
        top.addWidget(self.office_button)
        buttons = WrappingRow()  # wraps on a narrow window instead of widening it
        for button in (self.done_button, self.undo_button, self.snooze_button, self.open_button,
                       self.trigger_button, self.override_button, self.new_follow_up_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.automatic_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        for key, slot in (("D", self.mark_selected_done), ("S", self._on_snooze_key), ("F5", self.refresh),
                          ("Ctrl+Z", self.undo_last_done)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.me_button.toggled.connect(self._on_scope_toggled)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.done_button.clicked.connect(self.mark_selected_done)
        self.undo_button.clicked.connect(self.undo_last_done)
        self.open_button.clicked.connect(self.open_selected)
        self.trigger_button.clicked.connect(self.move_selected_trigger)
        self.override_button.clicked.connect(self.override_selected)
        self.refresh_button.clicked.connect(self.refresh)
        self.new_follow_up_button.clicked.connect(self.open_new_follow_up)
        add_new_follow_up_shortcut(self, self.open_new_follow_up)
        watch(self, (HEARINGS, DEADLINES, FOLLOW_UPS, CLIENTS, MATTERS), self.refresh)
        self._generation = 0
        # The acting user's role, read with each load (nothing is allowed before the first).
        self._role = permissions.READ_ONLY
        self.refresh()

    # --- what is shown ----------------------------------------------------------------------------------

    @property
    def whole_office(self) -> bool:
        return self.office_button.isChecked()

    def set_whole_office(self, on: bool) -> None:
        (self.office_button if on else self.me_button).setChecked(True)

    @property
    def busy(self) -> bool:
        """Loading or saving is under way (tests wait for it; the list is shown when it ends)."""
        return self.tasks.busy

    def refresh(self, _changes: Changes | None = None) -> None:
        today = self._today()
        user = None if self.whole_office else self.office.user
        # Only the latest load is shown: an earlier one that ends later would show an older list.
        self._generation += 1
        generation = self._generation
        office = self.office
        # office.agenda is first built (and its module, with the ORM models, imported) on the thread
        # pool: at start-up that is 0.4 s the first paint does not wait for.
        run_query(self, lambda: (office.agenda.today(days=AGENDA_DAYS, user=user, today=today, limit=AGENDA_LIMIT),
                                 office.role()),
                  lambda loaded: self._show(generation, *loaded, today), self._show_load_failure)

    def _show(self, generation: int, view: TodayView, role: str, today: date) -> None:
        if generation != self._generation:
            return
        self._role = role
        selected = self.selected_item()
        self.summary_label.setStyleSheet("")
        self.model.set_records(list(view.items), today)
        counts = view.counts
        who = "the whole office" if self.whole_office else self.office.user
        self.title_label.setText(f"<h2>Today — {day_text(today)}</h2>")
        self._show_automatic(view)
        if view.total:
            # Exact counts (counted in SQL); the list itself stops at AGENDA_LIMIT lines of each kind.
            self.summary_label.setText(
                f"For {who}: {counts['overdue']:,} overdue, {counts['today']:,} due today, "
                f"{counts['upcoming']:,} in the next {AGENDA_DAYS - 1} days."
                + (f" {counts['ahead']:,} {'reminder' if counts['ahead'] == 1 else 'reminders'} of deadlines "
                   "further ahead." if counts.get("ahead") else "")
                + ("" if view.listed_all else f" Listed: the earliest {AGENDA_LIMIT:,} of each kind."))
        else:
            self.summary_label.setText(f"Nothing else overdue or due this week for {who}." if view.automatic
                                       else f"Nothing overdue or due this week for {who}.")
        self._select(selected)
        self._update_buttons()

    def _show_automatic(self, view: TodayView) -> None:
        """A line per automatic rule with follow-ups due, its count exact, linking to its list."""
        lines = []
        for count in view.automatic:
            parts = [f"{count.overdue:,} overdue" if count.overdue else "",
                     f"{count.today:,} today" if count.today else "",
                     f"{count.upcoming:,} later this week" if count.upcoming else ""]
            lines.append(f"<b>{count.total:,}</b> {escape(count.rule.plural if count.total != 1 else count.rule.label)} "
                         f"due ({', '.join(part for part in parts if part)}) — "
                         f"<a href='{escape(count.rule.id)}'>open list</a>")
        self.automatic_label.setText("<b>Automatic follow-ups</b><br>" + "<br>".join(lines) if lines else "")
        self.automatic_label.setVisible(bool(lines))

    def _show_load_failure(self, error: BaseException) -> None:
        # Never an empty list that reads as "nothing due": the last list stays, with why it is old.
        if not isinstance(error, KantorError):
            show_error(self, error)
        self.summary_label.setStyleSheet("color:#a40000;")
        self.summary_label.setText(f"This list could not be brought up to date. {error}"
                                   if isinstance(error, KantorError) else
                                   "This list could not be brought up to date (see the message).")

    def selected_item(self) -> AgendaItem | None:
        index = self.table.currentIndex()
        record = self.model.record(index.row()) if index.isValid() else None
        return record if isinstance(record, AgendaItem) else None

    def select_row(self, row: int) -> None:
        self.table.setCurrentIndex(self.model.index(row, 0))

    def _select(self, previous: AgendaItem | None) -> None:
        rows = self.model.records()
        if not rows:
            return
        row = 0
        if previous is not None:
            row = next((n for n, item in enumerate(rows) if (item.kind, item.id) == (previous.kind, previous.id)),
                       0)
        self.select_row(row)

    def _update_buttons(self) -> None:
        item = self.selected_item()
        role = self._role
        allow(self.done_button, role, "follow_ups.edit" if item is not None and item.kind == FOLLOW_UP
              else "deadlines.edit", usable=item is not None and item.kind in (DEADLINE, FOLLOW_UP))
        allow(self.snooze_button, role, "follow_ups.edit", usable=item is not None and item.kind == FOLLOW_UP)
        self.open_button.setEnabled(item is not None)
        can_move = item is not None and item.kind == DEADLINE and bool(item.code)
        allow(self.trigger_button, role, "deadline.override", usable=can_move,
              tip="The event's date was wrong or changed: recompute its deadlines")
        allow(self.override_button, role, "deadline.override", usable=item is not None and item.kind == DEADLINE)
        allow(self.new_follow_up_button, role, "follow_ups.edit")

    # --- actions (also the tests' way in) ---------------------------------------------------------------

    def ask_note(self, title: str, prompt: str) -> str | None:
        """The note for Done; None when the user cancels."""
        text, ok = QInputDialog.getText(self, title, prompt)
        return text if ok else None

    def ask_date(self, title: str, prompt: str, value: date, ask_reason: bool) -> tuple[date, str] | None:
        from kantor_cases.ui.widgets.date_reason_dialog import ask_date  # not needed before the first paint

        return ask_date(self, title, prompt, value, ask_reason)

    @staticmethod
    def _changes_for(item: AgendaItem) -> Changes:
        return Changes.of(DEADLINES if item.kind == DEADLINE else FOLLOW_UPS,
                          clients=[item.client_id] if item.client_id else [],
                          matters=[item.matter_id] if item.matter_id else [])

    def _action_failed(self, error: BaseException) -> None:
        show_error(self, error)
        self.refresh()  # e.g. someone changed it meanwhile: show it as it is now

    def mark_selected_done(self) -> None:
        item = self.selected_item()
        if item is None or item.kind not in (DEADLINE, FOLLOW_UP):
            return
        note = self.ask_note("Done", f"Done: {item.title}\nNote (what was done):")
        if note is None:
            return
        office, today = self.office, self._today()

        def mark_done() -> tuple[str, int, int, int | None]:
            if item.kind == DEADLINE:
                done = office.deadlines.mark_done(item.id, note, item.version)
                return (DEADLINE, done.id, done.version, None)
            record, following = office.follow_ups.mark_done(item.id, note, item.version, today=today)
            return (FOLLOW_UP, record.id, record.version, following.id if following else None)

        def remember(done: tuple[str, int, int, int | None]) -> None:
            self._last_done = done
            self.undo_button.setEnabled(True)
            self.undo_button.setToolTip(f"Open again: {item.title}")

        run_change(self, "Marking done…", mark_done, self._changes_for(item), remember, self._action_failed)

    def undo_last_done(self) -> None:
        """Open again what the last Done closed (and drop the next occurrence it created, if untouched)."""
        if self._last_done is None:
            return
        kind, ident, version, next_id = self._last_done
        self._last_done = None
        self.undo_button.setEnabled(False)
        self.undo_button.setToolTip("")
        office = self.office

        def reopen() -> object:
            if kind == DEADLINE:
                return office.deadlines.reopen(ident, version)
            return office.follow_ups.reopen(ident, version, next_id=next_id)

        run_change(self, "Opening again…", reopen, Changes.of(DEADLINES if kind == DEADLINE else FOLLOW_UPS),
                   on_error=self._action_failed)

    def snooze_selected(self, days: int) -> None:
        item = self.selected_item()
        if item is None or item.kind != FOLLOW_UP:
            return
        today, follow_ups = self._today(), self.office.follow_ups
        run_change(self, "Snoozing…",
                   lambda: follow_ups.snooze(item.id, today + timedelta(days=days), item.version, today=today),
                   self._changes_for(item), on_error=self._action_failed)

    def open_selected(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        if item.matter_id:
            self.open_matter_requested.emit(item.matter_id)
        elif item.client_id:
            self.open_client_requested.emit(item.client_id)

    def move_selected_trigger(self) -> None:
        item = self.selected_item()
        if item is None or item.kind != DEADLINE or item.matter_id is None:
            return
        try:
            record = self.office.deadlines.get(item.id)
        except KantorError as error:
            show_error(self, error)
            return
        event = TRIGGER_EVENTS.get(record.trigger_event)
        if event is None or record.trigger_date is None:
            return
        answer = self.ask_date("Move the trigger date", f"{event.label} — the date it really happened.\n"
                               "Its open deadlines are recomputed; the old ones stay in the history.",
                               record.trigger_date, ask_reason=False)
        if answer is None:
            return
        deadlines, matter_id = self.office.deadlines, item.matter_id
        run_change(self, "Recomputing the deadlines…",
                   lambda: deadlines.change_trigger(matter_id, event.id, answer[0], old_date=record.trigger_date),
                   self._changes_for(item), on_error=self._action_failed)

    def override_selected(self) -> None:
        item = self.selected_item()
        if item is None or item.kind != DEADLINE:
            return
        answer = self.ask_date("Override the due date",
                               f"{item.title}\nComputed by {item.citation or 'hand'}: {day_text(item.due)}.",
                               item.due, ask_reason=True)
        if answer is None:
            return
        deadlines = self.office.deadlines
        run_change(self, "Saving the date…", lambda: deadlines.override(item.id, answer[0], answer[1], item.version),
                   self._changes_for(item), on_error=self._action_failed)

    def new_follow_up_dialog(self) -> FollowUpDialog:
        """A new follow-up about whichever client or matter the person picks."""
        from kantor_cases.ui.widgets.follow_up_dialog import (
            FollowUpDialog,  # not needed before the first paint
        )

        return FollowUpDialog(self.office, parent=self, today=self._today())

    def open_new_follow_up(self) -> None:
        self.new_follow_up_dialog().exec()  # the dialog saves and announces it; Today reloads

    def run_daily_check(self) -> None:
        """Raise the automatic follow-ups and escalate overdue ones (once a day), then refresh."""
        today = self._today()
        self._checked_on = today
        follow_ups = self.office.follow_ups
        self.tasks.run("Checking follow-ups…", lambda progress: follow_ups.run_daily(today, progress),
                       self._on_daily_check_done, self._on_daily_check_failed, cancellable=False, quiet=True)

    # --- slots -----------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        # Coming back to Today shows what changed elsewhere (a follow-up added on a client's screen).
        self.refresh()
        if self._daily_check and self._checked_on != self._today():
            # A moment later: work nobody asked for must not slow the window's first seconds.
            QTimer.singleShot(DAILY_CHECK_DELAY_MS, self._run_daily_check_if_due)

    def _run_daily_check_if_due(self) -> None:
        if shiboken6.isValid(self) and self._checked_on != self._today():
            self.run_daily_check()

    def _on_daily_check_done(self, _result: object) -> None:
        # The check runs on a worker thread; the panel may have been closed by the time it ends.
        if shiboken6.isValid(self):
            announce(Changes.of(FOLLOW_UPS))

    def _on_daily_check_failed(self, error: BaseException) -> None:
        # Not a dialog: the check runs by itself, and Today is still right without it.
        log.error("The daily follow-up check failed: %s", error, exc_info=error)
        if isinstance(error, DamagedDatabaseError):
            return  # the window's banner already says so, and what to do
        if shiboken6.isValid(self):
            self._checked_on = None
            self.summary_label.setText(f"{self.summary_label.text()}  (The daily follow-up check failed: {error})")

    def _on_scope_toggled(self, _checked: bool) -> None:
        self.refresh()

    def _on_table_activated(self, _index: QModelIndex) -> None:
        self.open_selected()

    def _on_current_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_snooze_key(self) -> None:
        item = self.selected_item()
        if item is None or item.kind != FOLLOW_UP:
            return
        rect = self.table.visualRect(self.table.currentIndex())
        self.snooze_menu.popup(self.table.viewport().mapToGlobal(rect.bottomLeft()))

