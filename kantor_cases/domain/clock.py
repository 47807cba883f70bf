"""What time it is at the office, as one object passed down from `Office`.

Nothing below `Office` asks the operating system for the date: services, rules and letters take
"today" and "now" from the clock they were given, so a test (or a demo) pins a day by handing in a
`FixedClock`, and the whole office agrees on it. Elapsed-time measurements (how long a batch took)
are not the office's time and use `time.monotonic()` instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


class Clock:
    """The office's wall clock: local time, as the office works in one time zone (DOMAIN)."""

    def now(self) -> datetime:
        return datetime.now()

    def today(self) -> date:
        return self.now().date()

    def start_of_today(self) -> datetime:
        return datetime.combine(self.today(), datetime.min.time())


@dataclass
class FixedClock(Clock):
    """A clock that shows `moment` until told otherwise (tests, and a demo pinned to a day)."""

    moment: datetime

    def now(self) -> datetime:
        return self.moment

    def advance(self, by: timedelta) -> None:
        self.moment += by


SYSTEM_CLOCK = Clock()
