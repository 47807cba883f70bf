"""Marking a follow-up done and snoozing it, as the Follow-ups screen and a record window's
Follow-ups tab both do: off the window's thread, announced to every screen that shows it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from kantor_cases.domain.agenda_records import FollowUpRecord
from kantor_cases.domain.changes import FOLLOW_UPS, Changes
from kantor_cases.ui.widgets.operations import run_change

if TYPE_CHECKING:
    from kantor_cases.services.office import Office


def follow_up_changes(record: FollowUpRecord) -> Changes:
    return Changes.of(FOLLOW_UPS, clients=[record.client_id] if record.client_id else [],
                      matters=[record.matter_id] if record.matter_id else [])


def mark_done(owner: QWidget, office: Office, record: FollowUpRecord, note: str, today: date,
              on_error: Callable[[BaseException], None]) -> None:
    follow_ups = office.follow_ups
    run_change(owner, "Marking done…", lambda: follow_ups.mark_done(record.id, note, record.version, today=today),
               follow_up_changes(record), on_error=on_error)


def snooze(owner: QWidget, office: Office, record: FollowUpRecord, days: int, today: date,
           on_error: Callable[[BaseException], None]) -> None:
    follow_ups = office.follow_ups
    run_change(owner, "Snoozing…",
               lambda: follow_ups.snooze(record.id, today + timedelta(days=days), record.version, today=today),
               follow_up_changes(record), on_error=on_error)
