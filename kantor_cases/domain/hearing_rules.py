"""Two rules about hearings that the Hearings screen, the clients list and the letter batches must
agree on: which hearings are "upcoming", and when a hearing's reminder counts as sent.

Upcoming: the hearings in the next N days are those from the start of today (a hearing this
morning is still on today's list, so the desk sees the whole day) to the end of the day N days
from today — N = 0 is today alone. "Today" is the office's clock's (`domain.clock`).

Reminder sent: a hearing's reminder counts as sent once a letter of `REMINDER_TEMPLATE` for that
hearing is in the letter log — printed by hand or in a batch, in any language, on any day. A
printed letter is logged only once its file is on the disk, so "in the log" means "printed". Any
other letter that mentions the hearing (a status update) is not its reminder.

Courtroom: the desk types what the notice says ("15", "Courtroom 15", "Room 15", "Sala 15"); the
calendar writes it once as "Courtroom 15", never "Courtroom Courtroom 15".
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

REMINDER_TEMPLATE = "hearing-reminder"


def upcoming_start(today: date) -> datetime:
    """The first moment an upcoming hearing may start: midnight at the start of `today`."""
    return datetime.combine(today, time())


def upcoming_window(today: date, days: int) -> tuple[datetime, datetime]:
    """[start, end) of the hearings in the next `days` days, counted from the start of `today`."""
    start = upcoming_start(today)
    return start, start + timedelta(days=days + 1)


_COURTROOM_PREFIX = re.compile(r"(?i)^(?:courtroom|court room|room|sala)\b\s*(?:no\.?|#)?\s*")
_COURTROOM_NUMBER = re.compile(r"[\w-]{1,8}")


def courtroom_label(typed: str) -> str:
    """"Courtroom 15" for "15", "Courtroom 15", "room #15" or "Sala 15"; anything else (a floor, a
    note) as typed."""
    typed = " ".join(typed.split())
    number = _COURTROOM_PREFIX.sub("", typed)
    if number and _COURTROOM_NUMBER.fullmatch(number):
        return f"Courtroom {number}"
    return typed
