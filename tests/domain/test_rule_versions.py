"""Issue 14 item 1: a rule is a list of versions; the trigger date chooses one, and the result names it."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from kantor_cases.domain.deadline_rules import (
    RULES,
    FirmRules,
    Period,
    RuleVersion,
    Unit,
    compute_deadline,
    get_rule,
    select_version,
)

D = date
TEN_DAYS = FirmRules(switches=frozenset({"bia-appeal-10-day"}))


def test_bia_appeal_stays_30_days_and_carries_the_watch_note() -> None:
    result = compute_deadline("bia-appeal", D(2026, 5, 20))
    assert result.version == "30 days (8 CFR 1003.38(b))"
    assert str(result.period) == "30 days"
    for fact in ("6 Feb 2026", "9 Mar 2026", "vacated", "8 Mar 2026", "bia-appeal-10-day"):
        assert fact in result.version_note
    assert result.last_reviewed == D(2026, 12, 6)
    assert result.as_dict()["version"] == result.version


def test_one_switch_puts_the_stored_10_day_version_in_use_for_decisions_from_9_march_2026() -> None:
    # Wed 20 May 2026 + 10 days = Sat 30 May 2026 -> Mon 1 Jun 2026.
    result = compute_deadline("bia-appeal", D(2026, 5, 20), firm=TEN_DAYS)
    assert (result.raw_due, result.due) == (D(2026, 5, 30), D(2026, 6, 1))
    assert result.version.startswith("10 days") and "8 Mar 2026" in result.version_note
    assert "interim final rule" in result.citation
    # A decision before 9 Mar 2026 keeps 30 days even with the switch on.
    assert compute_deadline("bia-appeal", D(2026, 3, 8), firm=TEN_DAYS).version.startswith("30 days")


def test_every_version_is_listed_and_says_whether_it_is_in_use() -> None:
    versions = get_rule("bia-appeal").versions
    assert [version.as_dict()["in_use"] for version in versions] == [True, False]
    assert [version.as_dict(TEN_DAYS.switches)["in_use"] for version in versions] == [True, True]
    assert versions[1].as_dict()["effective_from"] == "2026-03-09"
    for rule in RULES.values():
        assert rule.versions[0].label and rule.versions[0].last_reviewed


def test_a_firm_version_applies_to_triggers_from_its_effective_date() -> None:
    local = RuleVersion("firm: 60 days", Period(60, Unit.DAYS), "Firm practice", effective_from=D(2026, 7, 1),
                        note="Court order in our district", source="firm")
    firm = FirmRules(versions=(("ij-motion-reopen", local),))
    before = compute_deadline("ij-motion-reopen", D(2026, 6, 30), firm=firm)
    after = compute_deadline("ij-motion-reopen", D(2026, 7, 1), firm=firm)
    assert str(before.period) == "90 days" and before.version == "in force"
    assert str(after.period) == "60 days" and after.version == "firm: 60 days"
    assert after.citation == "Firm practice" and after.version_note == "Court order in our district"
    # Other rules are untouched.
    assert compute_deadline("ij-motion-reconsider", D(2026, 7, 1), firm=firm).version == "in force"


SWITCHES = sorted({version.switch for rule in RULES.values() for version in rule.versions if version.switch})


@given(trigger=st.dates(min_value=D(2002, 1, 1), max_value=D(2190, 12, 31)),
       rule_id=st.sampled_from(sorted(RULES)),
       switches=st.frozensets(st.sampled_from(SWITCHES)))
def test_the_chosen_version_is_in_use_and_covers_the_trigger(trigger: date, rule_id: str,
                                                             switches: frozenset[str]) -> None:
    rule = RULES[rule_id]
    version = select_version(rule, trigger, FirmRules(switches=switches))
    assert version in rule.versions
    assert not version.switch or version.switch in switches
    if any(v.covers(trigger) and (not v.switch or v.switch in switches) for v in rule.versions):
        assert version.covers(trigger)
