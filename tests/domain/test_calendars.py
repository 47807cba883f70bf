"""The federal and California-courts calendars, holiday by holiday, written out by hand for 2025-2028.

Expected dates come from the rules (5 USC 6103; CCP 135; CRC 1.11; Gov. Code 6701), not from running
the code: e.g. 4 Jul 2026 is a Saturday, so federal offices and the California courts close Fri 3 Jul.
"""

from __future__ import annotations

from datetime import date

import pytest

from kantor_cases.domain.calendars import (
    CALENDARS,
    ClosureKind,
    UnknownCalendarError,
    format_day,
    get_calendar,
)

FEDERAL = get_calendar("federal")
CALIFORNIA = get_calendar("california-courts")

FEDERAL_HOLIDAYS = {
    2025: {
        date(2025, 1, 1): "New Year's Day",
        date(2025, 1, 20): "Martin Luther King Jr. Day",
        date(2025, 2, 17): "Washington's Birthday",
        date(2025, 5, 26): "Memorial Day",
        date(2025, 6, 19): "Juneteenth",
        date(2025, 7, 4): "Independence Day",
        date(2025, 9, 1): "Labor Day",
        date(2025, 10, 13): "Columbus Day",
        date(2025, 11, 11): "Veterans Day",
        date(2025, 11, 27): "Thanksgiving Day",
        date(2025, 12, 25): "Christmas Day",
    },
    2026: {
        date(2026, 1, 1): "New Year's Day",
        date(2026, 1, 19): "Martin Luther King Jr. Day",
        date(2026, 2, 16): "Washington's Birthday",
        date(2026, 5, 25): "Memorial Day",
        date(2026, 6, 19): "Juneteenth",
        date(2026, 7, 3): "Independence Day (observed)",  # 4 Jul 2026 is a Saturday
        date(2026, 7, 4): "Independence Day",
        date(2026, 9, 7): "Labor Day",
        date(2026, 10, 12): "Columbus Day",
        date(2026, 11, 11): "Veterans Day",
        date(2026, 11, 26): "Thanksgiving Day",
        date(2026, 12, 25): "Christmas Day",
    },
    2027: {
        date(2027, 1, 1): "New Year's Day",
        date(2027, 1, 18): "Martin Luther King Jr. Day",
        date(2027, 2, 15): "Washington's Birthday",
        date(2027, 5, 31): "Memorial Day",
        date(2027, 6, 18): "Juneteenth (observed)",  # 19 Jun 2027 is a Saturday
        date(2027, 6, 19): "Juneteenth",
        date(2027, 7, 4): "Independence Day",
        date(2027, 7, 5): "Independence Day (observed)",  # 4 Jul 2027 is a Sunday
        date(2027, 9, 6): "Labor Day",
        date(2027, 10, 11): "Columbus Day",
        date(2027, 11, 11): "Veterans Day",
        date(2027, 11, 25): "Thanksgiving Day",
        date(2027, 12, 24): "Christmas Day (observed)",  # 25 Dec 2027 is a Saturday
        date(2027, 12, 25): "Christmas Day",
        date(2027, 12, 31): "New Year's Day (observed)",  # 1 Jan 2028 is a Saturday
    },
    2028: {
        date(2028, 1, 1): "New Year's Day",  # observed the Friday before, in 2027
        date(2028, 1, 17): "Martin Luther King Jr. Day",
        date(2028, 2, 21): "Washington's Birthday",
        date(2028, 5, 29): "Memorial Day",
        date(2028, 6, 19): "Juneteenth",
        date(2028, 7, 4): "Independence Day",
        date(2028, 9, 4): "Labor Day",
        date(2028, 10, 9): "Columbus Day",
        date(2028, 11, 10): "Veterans Day (observed)",  # 11 Nov 2028 is a Saturday
        date(2028, 11, 11): "Veterans Day",
        date(2028, 11, 23): "Thanksgiving Day",
        date(2028, 12, 25): "Christmas Day",
    },
}

CALIFORNIA_HOLIDAYS = {
    # Same list as the San Bernardino Superior Court's published 2025 and 2026 calendars.
    2025: {
        date(2025, 1, 1): "New Year's Day",
        date(2025, 1, 20): "Martin Luther King Jr. Day",
        date(2025, 2, 12): "Lincoln Day",
        date(2025, 2, 17): "Washington's Birthday",
        date(2025, 3, 31): "Cesar Chavez Day",
        date(2025, 5, 26): "Memorial Day",
        date(2025, 6, 19): "Juneteenth",
        date(2025, 7, 4): "Independence Day",
        date(2025, 9, 1): "Labor Day",
        date(2025, 9, 26): "Native American Day",
        date(2025, 11, 11): "Veterans Day",
        date(2025, 11, 27): "Thanksgiving Day",
        date(2025, 11, 28): "Day after Thanksgiving",
        date(2025, 12, 25): "Christmas Day",
    },
    2026: {
        date(2026, 1, 1): "New Year's Day",
        date(2026, 1, 19): "Martin Luther King Jr. Day",
        date(2026, 2, 12): "Lincoln Day",
        date(2026, 2, 16): "Washington's Birthday",
        date(2026, 3, 31): "Cesar Chavez Day",
        date(2026, 5, 25): "Memorial Day",
        date(2026, 6, 19): "Juneteenth",
        date(2026, 7, 3): "Independence Day (observed)",
        date(2026, 7, 4): "Independence Day",
        date(2026, 9, 7): "Labor Day",
        date(2026, 9, 25): "Native American Day",
        date(2026, 11, 11): "Veterans Day",
        date(2026, 11, 26): "Thanksgiving Day",
        date(2026, 11, 27): "Day after Thanksgiving",
        date(2026, 12, 25): "Christmas Day",
    },
    2027: {
        date(2027, 1, 1): "New Year's Day",
        date(2027, 1, 18): "Martin Luther King Jr. Day",
        date(2027, 2, 12): "Lincoln Day",
        date(2027, 2, 15): "Washington's Birthday",
        date(2027, 3, 31): "Cesar Chavez Day",
        date(2027, 5, 31): "Memorial Day",
        date(2027, 6, 18): "Juneteenth (observed)",
        date(2027, 6, 19): "Juneteenth",
        date(2027, 7, 4): "Independence Day",
        date(2027, 7, 5): "Independence Day (observed)",
        date(2027, 9, 6): "Labor Day",
        date(2027, 9, 24): "Native American Day",
        date(2027, 11, 11): "Veterans Day",
        date(2027, 11, 25): "Thanksgiving Day",
        date(2027, 11, 26): "Day after Thanksgiving",
        date(2027, 12, 24): "Christmas Day (observed)",
        date(2027, 12, 25): "Christmas Day",
        date(2027, 12, 31): "New Year's Day (observed)",
    },
    2028: {
        date(2028, 1, 1): "New Year's Day",
        date(2028, 1, 17): "Martin Luther King Jr. Day",
        date(2028, 2, 11): "Lincoln Day (observed)",  # 12 Feb 2028 is a Saturday
        date(2028, 2, 12): "Lincoln Day",
        date(2028, 2, 21): "Washington's Birthday",
        date(2028, 3, 31): "Cesar Chavez Day",
        date(2028, 5, 29): "Memorial Day",
        date(2028, 6, 19): "Juneteenth",
        date(2028, 7, 4): "Independence Day",
        date(2028, 9, 4): "Labor Day",
        date(2028, 9, 22): "Native American Day",
        date(2028, 11, 10): "Veterans Day (observed)",
        date(2028, 11, 11): "Veterans Day",
        date(2028, 11, 23): "Thanksgiving Day",
        date(2028, 11, 24): "Day after Thanksgiving",
        date(2028, 12, 25): "Christmas Day",
    },
}


@pytest.mark.parametrize("year", sorted(FEDERAL_HOLIDAYS))
def test_federal_holidays_listed_in_full(year: int) -> None:
    assert FEDERAL.holidays(year) == FEDERAL_HOLIDAYS[year]


@pytest.mark.parametrize("year", sorted(CALIFORNIA_HOLIDAYS))
def test_california_court_holidays_listed_in_full(year: int) -> None:
    assert CALIFORNIA.holidays(year) == CALIFORNIA_HOLIDAYS[year]


@pytest.mark.parametrize("year", sorted(FEDERAL_HOLIDAYS))
def test_every_listed_holiday_is_closed_with_its_name(year: int) -> None:
    for calendar, table in ((FEDERAL, FEDERAL_HOLIDAYS[year]), (CALIFORNIA, CALIFORNIA_HOLIDAYS[year])):
        for day, name in table.items():
            assert not calendar.is_business_day(day)
            assert calendar.why_closed(day) == name


def test_new_year_on_a_saturday_is_observed_on_31_december_of_the_year_before() -> None:
    # 5 USC 6103(b)(1): 1 Jan 2022 was a Saturday, observed Fri 31 Dec 2021.
    assert FEDERAL.why_closed(date(2021, 12, 31)) == "New Year's Day (observed)"
    assert date(2021, 12, 31) not in FEDERAL.holidays(2022)
    assert FEDERAL.why_closed(date(2027, 12, 31)) == "New Year's Day (observed)"


def test_juneteenth_is_federal_from_2021_and_a_california_court_holiday_from_2023() -> None:
    assert FEDERAL.is_business_day(date(2020, 6, 19))  # a Friday, before the 2021 Act
    assert FEDERAL.why_closed(date(2021, 6, 18)) == "Juneteenth (observed)"  # 19 Jun 2021 was a Saturday
    # 19 Jun 2022 was a Sunday: federal offices closed Mon 20 Jun; the California courts did not (AB 1655
    # took effect in 2023).
    assert FEDERAL.why_closed(date(2022, 6, 20)) == "Juneteenth (observed)"
    assert CALIFORNIA.is_business_day(date(2022, 6, 20))
    assert CALIFORNIA.why_closed(date(2023, 6, 19)) == "Juneteenth"


def test_columbus_day_is_absent_from_the_california_court_calendar() -> None:
    for columbus_day in (date(2025, 10, 13), date(2026, 10, 12), date(2027, 10, 11), date(2028, 10, 9)):
        assert FEDERAL.why_closed(columbus_day) == "Columbus Day"
        assert CALIFORNIA.is_business_day(columbus_day)
        assert CALIFORNIA.why_closed(columbus_day) is None
    # Before AB 855 (in force 2022) it was a judicial holiday, and Native American Day was not.
    assert CALIFORNIA.why_closed(date(2021, 10, 11)) == "Columbus Day"
    assert CALIFORNIA.is_business_day(date(2021, 9, 24))


def test_california_only_holidays_are_open_federal_days() -> None:
    for day in (date(2026, 2, 12), date(2026, 3, 31), date(2026, 9, 25), date(2026, 11, 27)):
        assert FEDERAL.is_business_day(day)
        assert not CALIFORNIA.is_business_day(day)
    assert CALIFORNIA.why_closed(date(2026, 2, 12)) == "Lincoln Day"
    assert CALIFORNIA.why_closed(date(2026, 3, 31)) == "Cesar Chavez Day"
    assert CALIFORNIA.why_closed(date(2026, 9, 25)) == "Native American Day"
    assert CALIFORNIA.why_closed(date(2026, 11, 27)) == "Day after Thanksgiving"


def test_native_american_day_is_the_fourth_friday_of_september() -> None:
    expected = [date(2025, 9, 26), date(2026, 9, 25), date(2027, 9, 24), date(2028, 9, 22)]
    found = [day for year in (2025, 2026, 2027, 2028) for day, name in CALIFORNIA.holidays(year).items()
             if name == "Native American Day"]
    assert found == expected


def test_cesar_chavez_day_on_a_saturday_in_2029() -> None:
    # 31 Mar 2029 is a Saturday: a holiday anyway (CCP 12a), and the courts close Fri 30 Mar (CRC 1.11).
    assert CALIFORNIA.why_closed(date(2029, 3, 31)) == "Cesar Chavez Day"
    assert CALIFORNIA.why_closed(date(2029, 3, 30)) == "Cesar Chavez Day (observed)"
    assert CALIFORNIA.closure(date(2029, 3, 30)).kind is ClosureKind.OBSERVED  # type: ignore[union-attr]
    assert CALIFORNIA.is_business_day(date(2029, 4, 2))
    assert FEDERAL.is_business_day(date(2029, 3, 30))


def test_substitute_days_made_holidays_by_statute_are_not_mere_observances() -> None:
    # Gov. Code 6701: the Monday after a Sunday 4 July, and the Friday before a Saturday 11 November.
    assert CALIFORNIA.closure(date(2027, 7, 5)).kind is ClosureKind.HOLIDAY  # type: ignore[union-attr]
    assert CALIFORNIA.closure(date(2028, 11, 10)).kind is ClosureKind.HOLIDAY  # type: ignore[union-attr]
    # CRC 1.11 alone closes the courts on the Friday before a Saturday Lincoln Day.
    assert CALIFORNIA.closure(date(2028, 2, 11)).kind is ClosureKind.OBSERVED  # type: ignore[union-attr]
    # Federal substitute days rest on 5 USC 6103(b) / EO 11582 only.
    assert FEDERAL.closure(date(2027, 7, 5)).kind is ClosureKind.OBSERVED  # type: ignore[union-attr]
    assert FEDERAL.closure(date(2026, 7, 4)).kind is ClosureKind.HOLIDAY  # type: ignore[union-attr]


def test_weekends() -> None:
    assert FEDERAL.why_closed(date(2026, 3, 7)) == "Saturday"
    assert FEDERAL.why_closed(date(2026, 3, 8)) == "Sunday"
    assert CALIFORNIA.why_closed(date(2026, 3, 7)) == "Saturday"
    assert FEDERAL.closure(date(2026, 3, 7)).kind is ClosureKind.WEEKEND  # type: ignore[union-attr]
    assert FEDERAL.why_closed(date(2026, 3, 9)) is None
    assert FEDERAL.is_business_day(date(2026, 3, 9))


def test_business_day_helpers() -> None:
    assert FEDERAL.next_business_day(date(2026, 7, 3)) == date(2026, 7, 6)
    assert FEDERAL.next_business_day(date(2026, 7, 6)) == date(2026, 7, 6)
    assert FEDERAL.previous_business_day(date(2026, 7, 6)) == date(2026, 7, 2)
    # Mon 23 Nov 2026 + 3 business days: Tue 24, Wed 25, (Thanksgiving Thu 26), Fri 27.
    assert FEDERAL.add_business_days(date(2026, 11, 23), 3) == date(2026, 11, 27)
    # The courts also close the day after Thanksgiving: Tue 24, Wed 25, Mon 30.
    assert CALIFORNIA.add_business_days(date(2026, 11, 23), 3) == date(2026, 11, 30)


def test_holiday_tables_are_cached_but_not_shared() -> None:
    first = FEDERAL.holidays(2026)
    first[date(2026, 3, 9)] = "vandalism"
    assert date(2026, 3, 9) not in FEDERAL.holidays(2026)
    assert FEDERAL.is_business_day(date(2026, 3, 9))


def test_years_outside_the_modelled_range_are_refused() -> None:
    with pytest.raises(ValueError, match="2001"):
        FEDERAL.holidays(1999)


def test_registry_and_unknown_calendar() -> None:
    assert set(CALENDARS) == {"federal", "california-courts"}
    assert FEDERAL.id == "federal" and FEDERAL.name
    with pytest.raises(UnknownCalendarError) as caught:
        get_calendar("texas")
    assert isinstance(caught.value, KeyError)
    assert str(caught.value) == "Unknown calendar 'texas'. Valid calendar ids: california-courts, federal."


def test_format_day_is_english_whatever_the_locale() -> None:
    assert format_day(date(2026, 6, 19)) == "Fri 19 Jun 2026"
