"""Court calendars: on which days a filing office is closed, so that a deadline can be rolled forward.

Two calendars are built here, deliberately and by hand (the `holidays` package's California list is
*not* the courts' list, and the domain layer is standard library only):

* ``federal`` — the legal public holidays of 5 USC 6103(a) and the weekday on which federal offices
  (immigration courts, the BIA, the Ninth Circuit clerk, the EEOC, the NLRB) close when one of them
  falls on a weekend (5 USC 6103(b); Executive Order 11582).
* ``california-courts`` — the California judicial holidays of CCP 135, the weekday the courts close
  instead when one falls on a weekend (CRC 1.11; Gov. Code 6701), and every Saturday (CCP 12a, 135).

Each closed day is a `Closure` with a *kind*, because the kind decides whether a deadline may be
rolled past it.  A Saturday, a Sunday or the holiday itself always extends a last day; a weekday on
which offices close only *instead of* a weekend holiday (``observed``) does for some rules (FRAP 26(a),
FRCP 6(a), a court clerk's office under CCP 12b) and is unconfirmed for others (8 CFR 1001.1(h)); that
choice belongs to the rule (see ``deadline_rules``), not to the calendar.

Not modelled, on purpose, because a day *missing* from a calendar only ever makes a deadline earlier:
closures the President orders at short notice (e.g. 24 December in some years), emergency closures,
California state holidays that are not judicial holidays (Admission Day, Lunar New Year, Genocide
Remembrance Day, Good Friday afternoon).  The attorney records those by overriding a deadline.

Years 2001-2199 are covered (Cesar Chavez Day dates from 2001; earlier holiday law is not modelled).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from kantor_cases.domain.errors import KantorError

__all__ = [
    "CALENDARS",
    "MAX_YEAR",
    "MIN_YEAR",
    "Calendar",
    "Closure",
    "ClosureKind",
    "UnknownCalendarError",
    "format_day",
    "get_calendar",
    "month_abbreviation",
]

MIN_YEAR = 2001
MAX_YEAR = 2199

_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MON, _THU, _FRI, _SAT, _SUN = 0, 3, 4, 5, 6


def month_abbreviation(month: int) -> str:
    """'Jan' … 'Dec', whatever locale the desktop runs in."""
    return _MONTH_NAMES[month - 1]


def format_day(day: date) -> str:
    """'Fri 19 Jun 2026' — fixed English abbreviations, whatever locale the desktop runs in."""
    return f"{_WEEKDAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


class ClosureKind(StrEnum):
    """Why a day is closed, which decides whether a deadline may be rolled past it."""

    WEEKEND = "weekend"
    """Saturday or Sunday: every rule used here rolls past it (FRAP 26(a)(1)(C); 8 CFR 1001.1(h);
    CCP 12a counts every Saturday as a holiday)."""
    HOLIDAY = "holiday"
    """The holiday itself, or a substitute day a statute itself makes a holiday (Gov. Code 6701)."""
    OBSERVED = "observed"
    """A weekday offices close *instead of* a weekend holiday (5 USC 6103(b) / EO 11582; CRC 1.11).
    Whether it extends a deadline depends on the rule."""


@dataclass(frozen=True)
class Closure:
    """One closed day on one calendar."""

    day: date
    reason: str  # "Saturday", "Juneteenth", "Independence Day (observed)"
    kind: ClosureKind
    calendar_id: str


@dataclass(frozen=True)
class _HolidaySpec:
    """One holiday of a calendar: its name, how to find it in a year, and the years it existed."""

    name: str
    when: Callable[[int], date]
    since: int = MIN_YEAR
    until: int = MAX_YEAR
    # What the weekday substitute is when the holiday falls on a weekend (Monday holidays never do).
    saturday_substitute: ClosureKind = ClosureKind.OBSERVED
    sunday_substitute: ClosureKind = ClosureKind.OBSERVED


def _fixed(month: int, day: int) -> Callable[[int], date]:
    return lambda year: date(year, month, day)


def _nth_weekday(month: int, weekday: int, n: int) -> Callable[[int], date]:
    def find(year: int) -> date:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))

    return find


def _last_weekday(month: int, weekday: int) -> Callable[[int], date]:
    def find(year: int) -> date:
        last = date(year, month, _stdlib_calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)

    return find


def _day_after(find: Callable[[int], date]) -> Callable[[int], date]:
    return lambda year: find(year) + timedelta(days=1)


class UnknownCalendarError(KantorError, KeyError):
    """A calendar id that is not in `CALENDARS`."""

    def __init__(self, calendar_id: str) -> None:
        self.calendar_id = calendar_id
        self.message = (
            f"Unknown calendar {calendar_id!r}. Valid calendar ids: {', '.join(sorted(CALENDARS))}."
        )
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would print the message inside quotes
        return self.message


class Calendar:
    """The closed days of one forum.  Per-year holiday tables are computed once and cached."""

    def __init__(self, calendar_id: str, name: str, citation: str, specs: Iterable[_HolidaySpec]) -> None:
        self.id = calendar_id
        self.name = name
        self.citation = citation
        self._specs = tuple(specs)
        self._tables: dict[int, dict[date, Closure]] = {}

    def __repr__(self) -> str:
        return f"Calendar({self.id!r})"

    # -- per-year tables -------------------------------------------------------------------------

    def closures(self, year: int) -> dict[date, Closure]:
        """The holidays and observed days (not the plain weekends) falling in `year`, by date."""
        _check_year(year)
        return dict(self._table(year))

    def holidays(self, year: int) -> dict[date, str]:
        """Date → holiday name for `year`, observed days included ("Independence Day (observed)").

        A holiday that falls on a weekend appears twice: on its own date and on the weekday offices
        close instead.  New Year's Day on a Saturday is observed on 31 December of the year before,
        so it appears in that year's table (5 USC 6103(b)(1)).
        """
        return {day: closure.reason for day, closure in self.closures(year).items()}

    def _table(self, year: int) -> dict[date, Closure]:
        table = self._tables.get(year)
        if table is None:
            table = self._build(year)
            self._tables[year] = table  # a race only computes the same table twice
        return table

    def _build(self, year: int) -> dict[date, Closure]:
        found: dict[date, Closure] = {}
        # The neighbouring years matter only for a substitute day that crosses 1 January.
        for source_year in (year - 1, year, year + 1):
            for spec in self._specs:
                if not spec.since <= source_year <= spec.until:
                    continue
                actual = spec.when(source_year)
                _add(found, Closure(actual, spec.name, ClosureKind.HOLIDAY, self.id), year)
                if actual.weekday() == _SAT:
                    substitute = Closure(actual - timedelta(days=1), f"{spec.name} (observed)",
                                         spec.saturday_substitute, self.id)
                    _add(found, substitute, year)
                elif actual.weekday() == _SUN:
                    substitute = Closure(actual + timedelta(days=1), f"{spec.name} (observed)",
                                         spec.sunday_substitute, self.id)
                    _add(found, substitute, year)
        return dict(sorted(found.items()))

    # -- single days -----------------------------------------------------------------------------

    def closure(self, day: date) -> Closure | None:
        """Why `day` is closed on this calendar, or None if it is open."""
        _check_year(day.year)
        holiday = self._table(day.year).get(day)
        if holiday is not None:
            return holiday
        if day.weekday() == _SAT:
            return Closure(day, "Saturday", ClosureKind.WEEKEND, self.id)
        if day.weekday() == _SUN:
            return Closure(day, "Sunday", ClosureKind.WEEKEND, self.id)
        return None

    def why_closed(self, day: date) -> str | None:
        """'Saturday', 'Sunday', 'Juneteenth', 'Christmas Day (observed)' … or None if open."""
        closure = self.closure(day)
        return closure.reason if closure is not None else None

    def is_business_day(self, day: date) -> bool:
        """True if the forum is open: not a weekend, holiday or observed day."""
        return self.closure(day) is None

    def next_business_day(self, day: date) -> date:
        """`day` itself if open, else the first open day after it."""
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def previous_business_day(self, day: date) -> date:
        """The last open day strictly before `day`."""
        day -= timedelta(days=1)
        while not self.is_business_day(day):
            day -= timedelta(days=1)
        return day

    def add_business_days(self, day: date, count: int) -> date:
        """The `count`-th open day after `day` (`day` itself is not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        while count:
            day += timedelta(days=1)
            if self.is_business_day(day):
                count -= 1
        return day


def _add(found: dict[date, Closure], closure: Closure, year: int) -> None:
    if closure.day.year != year:
        return
    existing = found.get(closure.day)
    if existing is None:
        found[closure.day] = closure
        return
    # Two holidays on one day: keep both names; the day is a true holiday if either makes it one.
    kind = ClosureKind.HOLIDAY if ClosureKind.HOLIDAY in (existing.kind, closure.kind) else closure.kind
    found[closure.day] = Closure(closure.day, f"{existing.reason} / {closure.reason}", kind, closure.calendar_id)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"Court calendars cover the years {MIN_YEAR}-{MAX_YEAR}, not {year}.")


# -- federal: 5 USC 6103 ------------------------------------------------------------------------------
# 5 USC 6103(a) lists the holidays.  6103(b) and Executive Order 11582 move a Saturday holiday to the
# Friday before and a Sunday holiday to the Monday after for Monday-Friday employees, so every federal
# office - immigration courts, the BIA, the Ninth Circuit clerk - is closed on that weekday.  Those
# substitutes are OBSERVED days: FRAP 26(a)(6)(A) / FRCP 6(a)(6)(A) ("the day set aside by statute for
# observing" the holiday) count them, whereas whether 8 CFR 1001.1(h)'s "legal holiday" does is
# unconfirmed (domain-research §4.2) - the rule decides.
_FEDERAL = (
    _HolidaySpec("New Year's Day", _fixed(1, 1)),
    _HolidaySpec("Martin Luther King Jr. Day", _nth_weekday(1, _MON, 3)),
    _HolidaySpec("Washington's Birthday", _nth_weekday(2, _MON, 3)),
    _HolidaySpec("Memorial Day", _last_weekday(5, _MON)),
    # Juneteenth National Independence Day Act, Pub. L. 117-17, signed 17 Jun 2021; first observed
    # Fri 18 Jun 2021 because 19 Jun 2021 was a Saturday.
    _HolidaySpec("Juneteenth", _fixed(6, 19), since=2021),
    _HolidaySpec("Independence Day", _fixed(7, 4)),
    _HolidaySpec("Labor Day", _nth_weekday(9, _MON, 1)),
    _HolidaySpec("Columbus Day", _nth_weekday(10, _MON, 2)),
    _HolidaySpec("Veterans Day", _fixed(11, 11)),
    _HolidaySpec("Thanksgiving Day", _nth_weekday(11, _THU, 4)),
    _HolidaySpec("Christmas Day", _fixed(12, 25)),
)

# -- California courts: CCP 135 -------------------------------------------------------------------------
# CCP 135 makes every full-day holiday of Gov. Code 6700 a judicial holiday except Admission Day
# (9 Sep), Columbus Day and days appointed by the President only, and adds every Saturday and the
# day after Thanksgiving.  AB 855 (Stats. 2021, ch. 283, in force 1 Jan 2022) dropped Columbus Day and
# made Native American Day a judicial holiday; AB 1655 (Stats. 2022) made Juneteenth a state - hence
# judicial - holiday from 2023 (the courts closed for it for the first time on 19 Jun 2023).  Lunar
# New Year and Genocide Remembrance Day are state holidays CCP 135 excludes from the courts' list.
# (Native American Day may also have been a court holiday in 2015, before CCP 135 excluded it; that
# year is not modelled - leaving a day out only makes a deadline earlier.)
#
# Weekend holidays (CRC 1.11): on a Saturday the courts close the Friday before, on a Sunday the
# Monday after.  Gov. Code 6701 itself makes the Monday after a Sunday 1 Jan, 12 Feb, 31 Mar, 4 Jul,
# 11 Nov or 25 Dec a holiday, and the Friday before a Saturday 11 Nov - those substitutes are true
# HOLIDAYs for every California rule.  The other Friday closures exist by court rule (CRC 1.11):
# OBSERVED, which extends a filing due at a court clerk's office (CCP 12b: an office closed all day)
# but is not certain to extend a filing due at an agency (CRD, LWDA, Labor Commissioner).
_STATUTORY = ClosureKind.HOLIDAY
_CALIFORNIA_COURTS = (
    _HolidaySpec("New Year's Day", _fixed(1, 1), sunday_substitute=_STATUTORY),
    _HolidaySpec("Martin Luther King Jr. Day", _nth_weekday(1, _MON, 3)),
    _HolidaySpec("Lincoln Day", _fixed(2, 12), sunday_substitute=_STATUTORY),
    _HolidaySpec("Washington's Birthday", _nth_weekday(2, _MON, 3)),
    _HolidaySpec("Cesar Chavez Day", _fixed(3, 31), sunday_substitute=_STATUTORY),
    _HolidaySpec("Memorial Day", _last_weekday(5, _MON)),
    # Gov. Code 6701 is not known to list 19 June, so its substitutes are CRC 1.11 closures only.
    _HolidaySpec("Juneteenth", _fixed(6, 19), since=2023),
    _HolidaySpec("Independence Day", _fixed(7, 4), sunday_substitute=_STATUTORY),
    _HolidaySpec("Labor Day", _nth_weekday(9, _MON, 1)),
    _HolidaySpec("Native American Day", _nth_weekday(9, _FRI, 4), since=2022),
    _HolidaySpec("Columbus Day", _nth_weekday(10, _MON, 2), until=2021),
    _HolidaySpec("Veterans Day", _fixed(11, 11), saturday_substitute=_STATUTORY,
                 sunday_substitute=_STATUTORY),
    _HolidaySpec("Thanksgiving Day", _nth_weekday(11, _THU, 4)),
    _HolidaySpec("Day after Thanksgiving", _day_after(_nth_weekday(11, _THU, 4))),
    _HolidaySpec("Christmas Day", _fixed(12, 25), sunday_substitute=_STATUTORY),
)

CALENDARS: dict[str, Calendar] = {
    calendar.id: calendar
    for calendar in (
        Calendar("federal", "Federal legal public holidays", "5 USC 6103; EO 11582", _FEDERAL),
        Calendar("california-courts", "California judicial holidays",
                 "CCP 12a, 135; CRC 1.11; Gov. Code 6700, 6701", _CALIFORNIA_COURTS),
    )
}


def get_calendar(calendar_id: str) -> Calendar:
    """The calendar with this id; `UnknownCalendarError` (a KeyError) names the valid ids."""
    try:
        return CALENDARS[calendar_id]
    except KeyError:
        raise UnknownCalendarError(calendar_id) from None
