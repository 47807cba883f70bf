"""Two rules about hearings that the Hearings screen, the clients list and the letter batches must
agree on: which hearings are "upcoming", and when a hearing's reminder counts as sent.

Upcoming: the hearings in the next N days are those from the start of today (a hearing this
morning is still on today's list, so the desk sees the whole day) to the end of the day N days
from today — N = 0 is today alone. "Today" is the office's clock's (`domain.clock`).

Reminder sent: a hearing's reminder counts as sent once a letter of `REMINDER_TEMPLATE` for that
hearing is in the letter log — printed by hand or in a batch, in any language, on any day. A
printed letter is logged only once its file is on the disk, so "in the log" means "printed". Any
other letter that mentions the hearing (a status update) is not its reminder.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

REMINDER_TEMPLATE = "hearing-reminder"


def upcoming_start(today: date) -> datetime:
    """The first moment an upcoming hearing may start: midnight at the start of `today`."""
    return datetime.combine(today, time())


def upcoming_window(today: date, days: int) -> tuple[datetime, datetime]:
    """[start, end) of the hearings in the next `days` days, counted from the start of `today`."""
    start = upcoming_start(today)
    return start, start + timedelta(days=days + 1)
