"""Deadline rules: every rule on a hand-checked example, rolling, clamping, business days, ambiguity.

Each expected date was worked out by hand from the rule (count the days, look up the weekday, apply
the calendar) - never by running the code.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from kantor_cases.domain.calendars import UnknownCalendarError
from kantor_cases.domain.deadline_rules import (
    RULES,
    DeadlineRule,
    Period,
    RuleKind,
    Unit,
    UnknownRuleError,
    add_months,
    compute_deadline,
    get_rule,
)

D = date

# rule id, trigger, raw due (trigger + period), due (after rolling), why
HAND_CHECKED = [
    ("bia-appeal", D(2026, 5, 20), D(2026, 6, 19), D(2026, 6, 22),
     "30th day is Fri 19 Jun (Juneteenth), then the weekend"),
    ("ij-motion-reconsider", D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 31),
     "Cesar Chavez Day is not a federal holiday"),
    ("ij-motion-reopen", D(2026, 1, 12), D(2026, 4, 12), D(2026, 4, 13), "90th day is a Sunday"),
    ("bia-motion-reconsider", D(2026, 10, 12), D(2026, 11, 11), D(2026, 11, 12), "30th day is Veterans Day"),
    ("bia-motion-reopen", D(2026, 7, 14), D(2026, 10, 12), D(2026, 10, 13), "90th day is Columbus Day"),
    ("in-absentia-rescission", D(2026, 1, 5), D(2026, 7, 4), D(2026, 7, 6),
     "180th day is Sat 4 Jul, then Sunday"),
    ("petition-for-review", D(2026, 3, 1), D(2026, 3, 31), D(2026, 4, 1),
     "30th day is Cesar Chavez Day: open federally, a California state holiday (FRAP 26(a)(6)(C))"),
    ("asylum-one-year", D(2026, 6, 19), D(2027, 6, 19), D(2027, 6, 21), "anniversary is a Saturday"),
    ("vd-bond", D(2026, 11, 23), D(2026, 12, 1), D(2026, 12, 1),
     "Tue 24, Wed 25, Fri 27, Mon 30, Tue 1 Dec - Thanksgiving and the weekend not counted"),
    ("eeoc-charge-ca", D(2026, 3, 2), D(2026, 12, 27), D(2026, 12, 28), "300th day is a Sunday"),
    ("eeoc-suit", D(2026, 4, 4), D(2026, 7, 3), D(2026, 7, 6),
     "90th day is Fri 3 Jul, Independence Day observed (FRCP 6(a)(6)(A)), then the weekend"),
    ("crd-complaint", D(2026, 3, 31), D(2029, 3, 31), D(2029, 4, 2),
     "31 Mar 2029 is Cesar Chavez Day on a Saturday, then Sunday"),
    ("crd-suit", D(2027, 2, 11), D(2028, 2, 11), D(2028, 2, 14),
     "Fri 11 Feb 2028 courts closed for Lincoln Day (CRC 1.11; CCP 12b), then the weekend"),
    ("nlrb-charge", D(2026, 5, 26), D(2026, 11, 26), D(2026, 11, 27),
     "6 months is Thanksgiving; the day after is a federal business day"),
    ("paga-notice", D(2026, 9, 24), D(2027, 9, 24), D(2027, 9, 27),
     "1 year is Native American Day, then the weekend"),
    ("paga-wait", D(2026, 9, 23), D(2026, 11, 27), D(2026, 11, 30),
     "65th day is the day after Thanksgiving, then the weekend"),
    ("wrongful-termination", D(2025, 12, 24), D(2027, 12, 24), D(2027, 12, 27),
     "Fri 24 Dec 2027 courts closed for Christmas (court filing: CCP 12b), then the weekend"),
    ("wage-claim", D(2024, 2, 29), D(2027, 2, 28), D(2027, 3, 1),
     "29 Feb clamps to 28 Feb 2027, a Sunday"),
]


@pytest.mark.parametrize(("rule_id", "trigger", "raw_due", "due", "why"), HAND_CHECKED,
                         ids=[case[0] for case in HAND_CHECKED])
def test_every_rule_on_a_hand_checked_example(rule_id: str, trigger: date, raw_due: date, due: date,
                                              why: str) -> None:
    result = compute_deadline(rule_id, trigger)
    assert (result.raw_due, result.due) == (raw_due, due), why
    assert result.alternative_due is None
    assert result.ambiguity is None
    assert result.rule_id == rule_id and result.trigger == trigger
    assert result.citation == RULES[rule_id].citation
    if rule_id != "vd-bond":  # business days never roll; its reason text is tested below
        assert (result.rolled is None) == (raw_due == due)


def test_the_examples_cover_exactly_the_domain_rule_ids() -> None:
    domain_ids = {
        "bia-appeal", "ij-motion-reconsider", "ij-motion-reopen", "bia-motion-reconsider",
        "bia-motion-reopen", "in-absentia-rescission", "petition-for-review", "asylum-one-year", "vd-bond",
        "eeoc-charge-ca", "eeoc-suit", "crd-complaint", "crd-suit", "nlrb-charge", "paga-notice",
        "paga-wait", "wrongful-termination", "wage-claim",
    }
    added_by_issue_14 = {  # hand-checked in test_added_deadline_rules.py
        "vd-departure", "vd-bond-proof-bia", "bia-brief", "uscis-rfe-response", "i751-window",
        "daca-renewal-window", "tps-reregistration", "gov-claim-911", "labor-retaliation-98-7",
        "filing-before-master", "filing-before-individual", "motion-response",
    }
    assert set(RULES) == domain_ids | added_by_issue_14
    assert {case[0] for case in HAND_CHECKED} == domain_ids


RULE_TABLE = {  # DOMAIN.md §5: period, calendars, citation must read
    "bia-appeal": ("30 days", ("federal",), "8 CFR 1003.38(b)"),
    "ij-motion-reconsider": ("30 days", ("federal",), "8 CFR 1003.23(b)(1)"),
    "ij-motion-reopen": ("90 days", ("federal",), "8 CFR 1003.23(b)(1)"),
    "bia-motion-reconsider": ("30 days", ("federal",), "8 CFR 1003.2(b)(2)"),
    "bia-motion-reopen": ("90 days", ("federal",), "8 CFR 1003.2(c)(2)"),
    "in-absentia-rescission": ("180 days", ("federal",), "INA 240(b)(5)(C)(i)"),
    "petition-for-review": ("30 days", ("federal", "california-courts"), "INA 242(b)(1)"),
    "asylum-one-year": ("1 year", ("federal",), "INA 208(a)(2)(B)"),
    "vd-bond": ("5 business days", ("federal",), "8 CFR 1240.26(c)(3)"),
    "eeoc-charge-ca": ("300 days", ("federal",), "42 USC 2000e-5(e)(1)"),
    "eeoc-suit": ("90 days", ("federal",), "42 USC 2000e-5(f)(1)"),
    "crd-complaint": ("3 years", ("california-courts",), "Gov. Code 12960(e)"),
    "crd-suit": ("1 year", ("california-courts",), "Hall v. Goodwill"),
    "nlrb-charge": ("6 months", ("federal",), "29 USC 160(b)"),
    "paga-notice": ("1 year", ("california-courts",), "CCP 340(a)"),
    "paga-wait": ("65 days", ("california-courts",), "Labor Code 2699.3(a)(2)"),
    "wrongful-termination": ("2 years", ("california-courts",), "CCP 335.1"),
    "wage-claim": ("3 years", ("california-courts",), "CCP 338(a)"),
}


@pytest.mark.parametrize("rule_id", sorted(RULE_TABLE))
def test_rule_data_matches_the_domain_table(rule_id: str) -> None:
    period, calendar_ids, citation_part = RULE_TABLE[rule_id]
    rule = get_rule(rule_id)
    assert str(rule.period) == period
    assert rule.calendar_ids == calendar_ids
    assert citation_part in rule.citation
    assert rule.title and rule.trigger and rule.notes


def test_notes_carry_the_receipt_and_issuance_nuances() -> None:
    assert "RECEIVED by the BIA" in get_rule("bia-appeal").notes
    assert "not filing" in get_rule("bia-appeal").notes
    assert "RECEIPT" in get_rule("eeoc-suit").trigger
    assert "ISSUANCE" in get_rule("crd-suit").trigger
    assert "ISSUED" in get_rule("crd-suit").notes
    assert "SERVED" in get_rule("nlrb-charge").notes
    assert get_rule("paga-wait").kind is RuleKind.WAITING


def test_reason_names_every_closed_day_skipped() -> None:
    result = compute_deadline("bia-appeal", D(2026, 5, 20))
    assert result.rolled == (
        "30th day is Fri 19 Jun 2026 (Juneteenth); also closed: Sat 20 Jun 2026 (Saturday), "
        "Sun 21 Jun 2026 (Sunday); rolled to Mon 22 Jun 2026 (8 CFR 1003.38(b))"
    )


def test_observed_holiday_followed_by_a_weekend_rolls_to_monday() -> None:
    # Wed 3 Jun 2026 + 30 days = Fri 3 Jul 2026, the federal observance of Sat 4 Jul; FRAP 26(a)(6)(A)
    # counts "the day set aside by statute for observing" a holiday, so the petition is due Mon 6 Jul.
    result = compute_deadline("petition-for-review", D(2026, 6, 3))
    assert (result.raw_due, result.due) == (D(2026, 7, 3), D(2026, 7, 6))
    assert result.rolled == (
        "30th day is Fri 3 Jul 2026 (Independence Day (observed)); also closed: "
        "Sat 4 Jul 2026 (Independence Day), Sun 5 Jul 2026 (Sunday); rolled to Mon 6 Jul 2026 (FRAP 26(a)(1)(C))"
    )
    assert result.ambiguity is None


def test_petition_for_review_rolls_past_california_holidays_but_other_federal_rules_do_not() -> None:
    # Tue 13 Jan 2026 + 30 days = Thu 12 Feb 2026, Lincoln Day: closed in California only.
    assert compute_deadline("petition-for-review", D(2026, 1, 13)).due == D(2026, 2, 13)
    assert compute_deadline("bia-appeal", D(2026, 1, 13)).due == D(2026, 2, 12)
    rolled = compute_deadline("petition-for-review", D(2026, 3, 1)).rolled
    assert rolled is not None and "Cesar Chavez Day [california-courts]" in rolled


def test_petition_for_review_on_the_day_after_thanksgiving_shows_the_friday_and_the_monday() -> None:
    # Wed 28 Oct 2026 + 30 days = Fri 27 Nov 2026: open federally, a California court holiday only
    # (CCP 135). Whether FRAP 26(a)(6)(C) rolls past it is unconfirmed, so the Friday is due and the
    # Monday is the alternative, with the reason (issue 14 item 2; DOMAIN §5).
    result = compute_deadline("petition-for-review", D(2026, 10, 28))
    assert (result.raw_due, result.due, result.alternative_due) == (D(2026, 11, 27), D(2026, 11, 27),
                                                                     D(2026, 11, 30))
    assert result.rolled is None
    assert result.ambiguity is not None
    assert result.ambiguity.startswith("Fri 27 Nov 2026 is Day after Thanksgiving [california-courts]: ")
    assert "FRAP 26(a)(6)(C)" in result.ambiguity and "CCP 135" in result.ambiguity
    assert "File by Wed 25 Nov 2026" in result.ambiguity and "the last day is Mon 30 Nov 2026" in result.ambiguity


def test_uncertain_observed_day_keeps_the_earlier_date_and_says_so() -> None:
    # Same trigger as the petition above, but 8 CFR 1001.1(h) / 1003.38(b) may not treat an observed
    # day as a legal holiday: the BIA appeal stays due Fri 3 Jul, with Mon 6 Jul as the alternative.
    result = compute_deadline("bia-appeal", D(2026, 6, 3))
    assert (result.raw_due, result.due, result.alternative_due) == (D(2026, 7, 3), D(2026, 7, 3), D(2026, 7, 6))
    assert result.rolled is None
    assert result.ambiguity is not None
    assert "Independence Day (observed)" in result.ambiguity
    assert "Thu 2 Jul 2026" in result.ambiguity and "Mon 6 Jul 2026" in result.ambiguity


def test_roll_that_stops_on_an_observed_monday() -> None:
    # Thu 3 Jun 2027 + 30 days = Sat 3 Jul 2027; Sun 4 Jul is Independence Day; Mon 5 Jul its observance.
    result = compute_deadline("ij-motion-reconsider", D(2027, 6, 3))
    assert (result.raw_due, result.due, result.alternative_due) == (D(2027, 7, 3), D(2027, 7, 5), D(2027, 7, 6))
    assert result.rolled is not None and "Sun 4 Jul 2027 (Independence Day)" in result.rolled
    assert result.ambiguity is not None and "Tue 6 Jul 2027" in result.ambiguity


def test_asylum_anniversary_on_an_observed_christmas() -> None:
    # 24 Dec 2026 + 1 year = Fri 24 Dec 2027, federal observance of Christmas (Sat 25 Dec).
    result = compute_deadline("asylum-one-year", D(2026, 12, 24))
    assert (result.due, result.alternative_due) == (D(2027, 12, 24), D(2027, 12, 27))


def test_court_filing_rolls_past_a_court_friday_closure_but_an_agency_filing_does_not() -> None:
    # Both land on Fri 11 Feb 2028, the courts' observance of Lincoln Day (Sat 12 Feb 2028).
    court = compute_deadline("crd-suit", D(2027, 2, 11))
    agency = compute_deadline("crd-complaint", D(2025, 2, 11))
    assert court.due == D(2028, 2, 14) and court.alternative_due is None
    assert agency.raw_due == D(2028, 2, 11)
    assert (agency.due, agency.alternative_due) == (D(2028, 2, 11), D(2028, 2, 14))


def test_waiting_period_shows_the_later_date_when_unclear() -> None:
    # Wed 29 Apr 2026 + 65 days = Fri 3 Jul 2026 (courts' Independence Day observance): waiting until
    # after Mon 6 Jul is the safe side; Fri 3 Jul is the alternative.
    result = compute_deadline("paga-wait", D(2026, 4, 29))
    assert (result.raw_due, result.due, result.alternative_due) == (D(2026, 7, 3), D(2026, 7, 6), D(2026, 7, 3))
    assert result.kind is RuleKind.WAITING
    assert result.ambiguity is not None and "waiting longer is the safe side" in result.ambiguity


def test_business_days_skip_a_holiday() -> None:
    result = compute_deadline("vd-bond", D(2026, 11, 23))
    assert result.due == result.raw_due == D(2026, 12, 1)
    assert result.rolled == "counted 5 business days; not counted: Thu 26 Nov 2026 (Thanksgiving Day)"


def test_business_days_with_only_weekends_skipped_need_no_reason() -> None:
    # Thu 5 Mar 2026: Fri 6, Mon 9, Tue 10, Wed 11, Thu 12.
    result = compute_deadline("vd-bond", D(2026, 3, 5))
    assert result.due == D(2026, 3, 12)
    assert result.rolled is None


def test_business_days_count_an_observed_day_but_flag_it() -> None:
    # Tue 30 Jun 2026: Wed 1, Thu 2, Fri 3 (observed - counted, earlier), Mon 6, Tue 7 Jul.
    result = compute_deadline("vd-bond", D(2026, 6, 30))
    assert (result.due, result.alternative_due) == (D(2026, 7, 7), D(2026, 7, 8))
    assert result.ambiguity is not None and "Fri 3 Jul 2026" in result.ambiguity


def _monthly(calendar_id: str = "federal") -> DeadlineRule:
    return DeadlineRule("test-month", "One month", Period(1, Unit.MONTHS), "test", (calendar_id,), "none", "")


def test_month_end_clamping() -> None:
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2027, 1, 31), 1) == D(2027, 2, 28)
    assert add_months(D(2025, 10, 31), 4) == D(2026, 2, 28)
    assert add_months(D(2026, 12, 15), 2) == D(2027, 2, 15)
    leap = compute_deadline(_monthly(), D(2028, 1, 31))
    assert (leap.raw_due, leap.due) == (D(2028, 2, 29), D(2028, 2, 29))
    assert "there is no 31 Feb 2028" in leap.explanation
    common = compute_deadline(_monthly(), D(2027, 1, 31))
    assert (common.raw_due, common.due) == (D(2027, 2, 28), D(2027, 3, 1))  # 28 Feb 2027 is a Sunday


def test_six_months_from_31_august_clamps_then_rolls() -> None:
    result = compute_deadline("nlrb-charge", D(2025, 8, 31))
    assert (result.raw_due, result.due) == (D(2026, 2, 28), D(2026, 3, 2))
    assert result.rolled is not None and result.rolled.startswith("6 months after the trigger is Sat 28 Feb 2026")


def test_leap_day_plus_one_year_is_28_february() -> None:
    result = compute_deadline("asylum-one-year", D(2024, 2, 29))
    assert (result.raw_due, result.due) == (D(2025, 2, 28), D(2025, 2, 28))


def test_crd_complaint_before_ab_9_warns() -> None:
    result = compute_deadline("crd-complaint", D(2018, 5, 1))
    assert result.ambiguity is not None and "AB 9" in result.ambiguity
    assert compute_deadline("crd-complaint", D(2019, 5, 1)).ambiguity is None


def test_as_dict_is_json_ready() -> None:
    data = compute_deadline("petition-for-review", D(2026, 6, 3)).as_dict()
    assert {"rule", "trigger", "due", "raw_due", "calendar", "citation", "rolled"} <= set(data)
    assert data["rule"] == "petition-for-review"
    assert data["trigger"] == "2026-06-03"
    assert data["raw_due"] == "2026-07-03"
    assert data["due"] == "2026-07-06"
    assert data["calendar"] == "federal + california-courts"
    assert data["alternative_due"] is None
    assert json.loads(json.dumps(data)) == data
    flagged = compute_deadline("bia-appeal", D(2026, 6, 3)).as_dict()
    assert flagged["alternative_due"] == "2026-07-06"


def test_rule_object_or_id_and_case_insensitive_id() -> None:
    rule = get_rule(" BIA-Appeal ")
    assert compute_deadline(rule, D(2026, 5, 20)) == compute_deadline("bia-appeal", D(2026, 5, 20))


def test_unknown_rule_id() -> None:
    with pytest.raises(UnknownRuleError) as caught:
        get_rule("bia-apeal")
    error = caught.value
    assert isinstance(error, KeyError)
    assert str(error).startswith("Unknown deadline rule 'bia-apeal'. Valid rule ids: bia-appeal, ")
    for rule_id in RULES:
        assert rule_id in str(error)
    with pytest.raises(UnknownRuleError):
        compute_deadline("no-such-rule", D(2026, 1, 1))


def test_bad_inputs() -> None:
    with pytest.raises(TypeError):
        compute_deadline("bia-appeal", datetime(2026, 5, 20, 9, 0))  # a datetime is not a date here
    with pytest.raises(ValueError):
        Period(0, Unit.DAYS)
    with pytest.raises(ValueError):
        Period(3, "fortnights")  # type: ignore[arg-type]
    with pytest.raises(UnknownCalendarError):
        _monthly("texas")
    with pytest.raises(ValueError):
        DeadlineRule("x", "x", Period(1, Unit.DAYS), "x", ("federal",), "x", "",
                     observed_days_extend=("california-courts",))


def test_results_are_frozen() -> None:
    result = compute_deadline("bia-appeal", D(2026, 5, 20))
    with pytest.raises(AttributeError):
        result.due = D(2030, 1, 1)  # type: ignore[misc]
