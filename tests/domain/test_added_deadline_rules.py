"""Issue 14 item 4: the rules added to DOMAIN §5, each on a hand-checked example with citation and
calendar, and the rules whose period or date comes from a judge or a notice.

Every expected date was worked out by hand (count the days, look up the weekday, apply the calendar).
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kantor_cases.domain.deadline_rules import RULES, compute_deadline, get_rule
from kantor_cases.domain.errors import ValidationError

D = date

ADDED = {  # rule id: (calendar ids, a part of the citation)
    "vd-departure": (("federal",), "Monsalvo Velázquez v. Bondi"),
    "vd-bond-proof-bia": (("federal",), "8 CFR 1240.26(c)(3)(ii)"),
    "bia-brief": (("federal",), "8 CFR 1003.3(c)(1)"),
    "uscis-rfe-response": (("federal",), "8 CFR 103.2(b)(8)(iv)"),
    "i751-window": (("federal",), "INA 216(d)(2)(A)"),
    "daca-renewal-window": (("federal",), "150 to 120 days"),
    "tps-reregistration": (("federal",), "8 CFR 244.17"),
    "gov-claim-911": (("california-courts",), "Gov. Code 911.2"),
    "labor-retaliation-98-7": (("california-courts",), "Lab. Code 98.7"),
    "filing-before-master": (("federal",), "Part II, ch. 3.1(b)(1)"),
    "filing-before-individual": (("federal",), "Part II, ch. 3.1(b)(2)"),
    "motion-response": (("federal",), "Appendix C"),
}


@pytest.mark.parametrize("rule_id", sorted(ADDED))
def test_each_added_rule_has_its_citation_calendar_note_and_review_date(rule_id: str) -> None:
    calendar_ids, citation_part = ADDED[rule_id]
    rule = get_rule(rule_id)
    assert rule.calendar_ids == calendar_ids
    assert citation_part in rule.citation
    assert rule.notes and rule.title and rule.trigger
    assert rule.last_reviewed == D(2026, 12, 6)


def test_voluntary_departure_ending_on_a_saturday_runs_to_monday_as_in_monsalvo() -> None:
    # The case itself: 60 days from Tue 12 Oct 2021 ended on Sat 11 Dec 2021; the motion to reopen
    # filed Mon 13 Dec was in time.
    result = compute_deadline("vd-departure", D(2021, 10, 12))
    assert (result.raw_due, result.due) == (D(2021, 12, 11), D(2021, 12, 13))
    assert result.rolled is not None and "Monsalvo" in result.rolled
    assert "the usual 60 days" in result.explanation


def test_voluntary_departure_takes_the_period_the_judge_granted() -> None:
    # Fri 2 Jan 2026 + 120 days = Sat 2 May 2026 -> Mon 4 May 2026.
    result = compute_deadline("vd-departure", D(2026, 1, 2), period_days=120)
    assert (result.raw_due, result.due) == (D(2026, 5, 2), D(2026, 5, 4))
    assert str(result.period) == "120 days" and "usual" not in result.explanation
    assert result.reminders == (D(2026, 4, 4), D(2026, 4, 20), D(2026, 4, 27))
    with pytest.raises(ValidationError, match="1 to 120 days"):
        compute_deadline("vd-departure", D(2026, 1, 2), period_days=121)


def test_vd_bond_proof_rolls_past_christmas_week_end() -> None:
    # Thu 26 Nov 2026 + 30 days = Sat 26 Dec 2026 -> Mon 28 Dec 2026.
    result = compute_deadline("vd-bond-proof-bia", D(2026, 11, 26))
    assert (result.raw_due, result.due) == (D(2026, 12, 26), D(2026, 12, 28))


def test_bia_brief_21st_day_on_thanksgiving_rolls_to_friday() -> None:
    result = compute_deadline("bia-brief", D(2026, 11, 5))
    assert (result.raw_due, result.due) == (D(2026, 11, 26), D(2026, 11, 27))
    assert "one extension" in result.notes.lower()


def test_rfe_response_is_due_on_the_printed_date_with_reminders_and_paper_alternative() -> None:
    result = compute_deadline("uscis-rfe-response", D(2026, 9, 1), due=D(2026, 11, 28))
    assert (result.due, result.alternative_due) == (D(2026, 11, 28), D(2026, 11, 30))  # a Saturday
    assert result.reminders == (D(2026, 10, 29), D(2026, 11, 14), D(2026, 11, 21))
    assert result.ambiguity is not None and "paper" in result.ambiguity and "File by Fri 27 Nov 2026" in result.ambiguity
    with pytest.raises(ValidationError, match="printed on the RFE or NOID"):
        compute_deadline("uscis-rfe-response", D(2026, 9, 1))
    with pytest.raises(ValidationError, match="after the trigger"):
        compute_deadline("uscis-rfe-response", D(2026, 9, 1), due=D(2026, 8, 1))


def test_tps_window_is_the_one_of_the_notice() -> None:
    result = compute_deadline("tps-reregistration", D(2026, 9, 1), due=D(2026, 10, 30))
    assert (result.due, result.alternative_due, result.ambiguity) == (D(2026, 10, 30), None, None)
    assert result.reminders == (D(2026, 9, 30), D(2026, 10, 16), D(2026, 10, 23))


def test_i751_window_opens_90_days_before_the_second_anniversary() -> None:
    # Conditional residence from Sat 15 Mar 2025: anniversary Mon 15 Mar 2027.
    result = compute_deadline("i751-window", D(2025, 3, 15))
    assert result.window_opens == D(2026, 12, 15)
    assert result.due == D(2027, 3, 14)
    assert result.rolled is None


def test_daca_renewal_window_is_150_to_120_days_before_expiry() -> None:
    result = compute_deadline("daca-renewal-window", D(2027, 5, 1))
    assert (result.window_opens, result.due) == (D(2026, 12, 2), D(2027, 1, 1))
    assert result.reminders == (D(2026, 12, 2), D(2026, 12, 18), D(2026, 12, 25))
    assert result.as_dict()["period"] is None and result.as_dict()["window_opens"] == "2026-12-02"


def test_government_claim_six_months_rolls_past_the_day_after_thanksgiving() -> None:
    # Wed 27 May 2026 + 6 months = Fri 27 Nov 2026, a CCP 135 holiday that CCP 12a rolls past.
    result = compute_deadline("gov-claim-911", D(2026, 5, 27))
    assert (result.raw_due, result.due, result.alternative_due) == (D(2026, 11, 27), D(2026, 11, 30), None)


def test_labor_retaliation_is_one_year_and_six_months_for_acts_before_ab_1947() -> None:
    result = compute_deadline("labor-retaliation-98-7", D(2026, 3, 2))
    assert (result.raw_due, result.due) == (D(2027, 3, 2), D(2027, 3, 2))
    assert result.version == "1 year (AB 1947)"
    # Mon 3 Aug 2020 + 6 months = Wed 3 Feb 2021.
    old = compute_deadline("labor-retaliation-98-7", D(2020, 8, 3))
    assert (old.due, old.version, str(old.period)) == (D(2021, 2, 3), "6 months (before AB 1947)", "6 months")
    assert "not settled" in old.version_note
    assert compute_deadline("labor-retaliation-98-7", D(2021, 1, 1)).version == "1 year (AB 1947)"


def test_period_and_due_are_refused_where_the_rule_sets_them_itself() -> None:
    with pytest.raises(ValidationError, match="fixed period"):
        compute_deadline("bia-appeal", D(2026, 1, 5), period_days=10)
    with pytest.raises(ValidationError, match="computes its own due date"):
        compute_deadline("bia-appeal", D(2026, 1, 5), due=D(2026, 2, 1))


@given(trigger=st.dates(min_value=D(2002, 1, 1), max_value=D(2190, 12, 31)),
       days=st.integers(min_value=1, max_value=120))
def test_a_granted_period_never_ends_before_its_last_day_nor_on_a_closed_day(trigger: date, days: int) -> None:
    result = compute_deadline("vd-departure", trigger, period_days=days)
    assert (result.raw_due - trigger).days == days
    assert result.due >= result.raw_due
    assert result.due.weekday() < 5
    assert all(trigger < reminder < result.due for reminder in result.reminders)


@given(trigger=st.dates(min_value=D(2002, 1, 1), max_value=D(2190, 12, 31)),
       ahead=st.integers(min_value=1, max_value=400))
def test_a_notice_date_is_never_moved_earlier_or_later(trigger: date, ahead: int) -> None:
    from datetime import timedelta

    printed = trigger + timedelta(days=ahead)
    result = compute_deadline("uscis-rfe-response", trigger, due=printed)
    assert result.due == printed
    assert result.alternative_due is None or result.alternative_due > printed


def test_every_rule_in_the_table_computes() -> None:
    for rule_id, rule in RULES.items():
        due = D(2026, 12, 1) if rule.due_from_notice else None
        assert compute_deadline(rule_id, D(2026, 6, 1), due=due).due


def test_filing_before_a_master_hearing_counts_back_15_days_with_the_hearing_as_day_0() -> None:
    # Wed 9 Dec 2026 - 15 days = Tue 24 Nov 2026, open.
    result = compute_deadline("filing-before-master", D(2026, 12, 9))
    assert (result.raw_due, result.due, result.alternative_due, result.rolled) == (
        D(2026, 11, 24), D(2026, 11, 24), None, None)
    assert "day 0" in result.explanation


def test_a_counted_back_day_on_a_weekend_shows_the_preceding_business_day_and_the_manuals_next_one() -> None:
    # Mon 14 Dec 2026 - 15 days = Sun 29 Nov 2026: file by Fri 27 Nov (Thu 26 is Thanksgiving, but
    # the Friday is open federally); ch. 3.1(c) reads it as Mon 30 Nov.
    result = compute_deadline("filing-before-master", D(2026, 12, 14))
    assert (result.raw_due, result.due, result.alternative_due) == (D(2026, 11, 29), D(2026, 11, 27),
                                                                    D(2026, 11, 30))
    assert result.rolled is not None and "preceding business day, Fri 27 Nov 2026" in result.rolled
    assert result.ambiguity is not None and "next business day, Mon 30 Nov 2026" in result.ambiguity
    assert "3.1(c)" in result.ambiguity


def test_filing_before_an_individual_hearing_is_30_days_before_it() -> None:
    # Fri 26 Feb 2027 - 30 days = Wed 27 Jan 2027.
    result = compute_deadline("filing-before-individual", D(2027, 2, 26))
    assert result.due == D(2027, 1, 27)
    # Mon 25 Jan 2027 - 30 days = Sat 26 Dec 2026: Fri 25 Dec is Christmas, so file by Thu 24 Dec.
    christmas = compute_deadline("filing-before-individual", D(2027, 1, 25))
    assert (christmas.due, christmas.alternative_due) == (D(2026, 12, 24), D(2026, 12, 28))


def test_a_motion_response_is_due_10_days_after_the_court_received_the_motion() -> None:
    # Mon 16 Nov 2026 + 10 days = Thanksgiving -> Fri 27 Nov 2026.
    result = compute_deadline("motion-response", D(2026, 11, 16))
    assert (result.raw_due, result.due) == (D(2026, 11, 26), D(2026, 11, 27))


@given(hearing=st.dates(min_value=D(2002, 3, 1), max_value=D(2190, 12, 31)),
       rule_id=st.sampled_from(["filing-before-master", "filing-before-individual"]))
def test_a_counted_back_deadline_is_an_open_day_no_later_than_the_counted_day(hearing: date, rule_id: str) -> None:
    from kantor_cases.domain.calendars import get_calendar

    result = compute_deadline(rule_id, hearing)
    federal = get_calendar("federal")
    assert (hearing - result.raw_due).days == RULES[rule_id].period.amount  # type: ignore[union-attr]
    assert result.due <= result.raw_due < hearing
    assert federal.is_business_day(result.due)
    assert (result.alternative_due is None) == (result.due == result.raw_due)
    if result.alternative_due is not None:
        assert federal.is_business_day(result.alternative_due) and result.alternative_due > result.raw_due
