"""The hearing rules every screen and batch share: which hearings are upcoming, and which court
decisions start deadline clocks."""

from __future__ import annotations

from datetime import date, datetime

from kantor_cases.domain.decisions import decision_events
from kantor_cases.domain.hearing_rules import upcoming_start, upcoming_window


def test_upcoming_hearings_are_counted_from_the_start_of_today_to_the_end_of_the_last_day():
    assert upcoming_start(date(2026, 6, 1)) == datetime(2026, 6, 1)
    assert upcoming_window(date(2026, 6, 1), 0) == (datetime(2026, 6, 1), datetime(2026, 6, 2))
    assert upcoming_window(date(2026, 6, 1), 7) == (datetime(2026, 6, 1), datetime(2026, 6, 9))


def test_only_a_removal_matters_court_decisions_start_deadline_clocks():
    assert decision_events("removal", "voluntary_departure") == ("ij_decision", "vd_granted")
    assert decision_events("removal", "bia_remanded") == ("bia_decision",)
    assert decision_events("removal", "individual_set") == ()
    assert decision_events("benefit", "relief_granted") == ()
