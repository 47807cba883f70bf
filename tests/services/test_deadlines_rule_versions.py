"""Issue 14 item 1: the firm changes a rule (a switch for a stored version, or its own version); the open
deadlines it reaches are recomputed with the old dates kept as history, attorneys only, all audited."""

from __future__ import annotations

from datetime import date

import pytest
from agenda_data import add_matter, add_user
from sqlalchemy import select

from kantor_cases.db.models import AuditEvent
from kantor_cases.domain.deadline_rules import Period, Unit
from kantor_cases.domain.errors import KantorError, ValidationError

IJ_DECISION = date(2026, 5, 20)  # 30 days: Fri 19 Jun (Juneteenth) -> Mon 22 Jun; 10 days: Sat 30 May -> Mon 1 Jun


@pytest.fixture
def attorney_office(office):
    add_user(office, "Rosa Kantor")
    add_user(office, "Sam Staff", role="staff")
    office.user = "Rosa Kantor"
    return office


def by_rule(records):
    return {record.rule_id: record for record in records}


def rule_audit(office) -> list[str]:
    with office.database.read() as session:
        return list(session.scalars(select(AuditEvent.summary).where(AuditEvent.entity == "deadline_rule_change")
                                    .order_by(AuditEvent.id)))


def test_one_switch_moves_open_bia_appeals_to_the_10_day_version_and_keeps_the_old_date(attorney_office):
    office = attorney_office
    matter = add_matter(office)
    appeal = by_rule(office.deadlines.record_event(matter, "ij_decision", IJ_DECISION))["bia-appeal"]
    early = add_matter(office)  # a decision before 9 Mar 2026 keeps 30 days
    office.deadlines.record_event(early, "ij_decision", date(2026, 3, 2))
    assert appeal.due == date(2026, 6, 22) and "Rule version: 30 days" in appeal.notes

    moved = office.deadlines.turn_on_version("bia-appeal-10-day", "D.C. Circuit stayed the vacatur")
    assert [(record.matter_id, record.due) for record in moved] == [(matter, date(2026, 6, 1))]
    assert "interim final rule" in moved[0].citation and "Rule version: 10 days" in moved[0].notes
    history = office.deadlines.for_matter(matter)
    old = next(record for record in history if record.id == appeal.id)
    assert old.superseded and old.superseded_by_id == moved[0].id and old.due == date(2026, 6, 22)
    assert [r.due for r in office.deadlines.for_matter(early, include_history=False) if r.rule_id == "bia-appeal"] \
        == [date(2026, 4, 1)]
    # A new decision now gets 10 days at once.
    later = add_matter(office)
    assert by_rule(office.deadlines.record_event(later, "ij_decision", IJ_DECISION))["bia-appeal"].due \
        == date(2026, 6, 1)
    assert rule_audit(office) == ["Turned on bia-appeal version '10 days (EOIR interim final rule, 6 Feb 2026)' "
                                  "because D.C. Circuit stayed the vacatur"]

    back = office.deadlines.turn_off_version("bia-appeal-10-day", "stay lifted")
    assert sorted(record.due for record in back) == [date(2026, 6, 22), date(2026, 6, 22)]
    assert office.deadlines.firm_rules().switches == frozenset()


def test_only_an_attorney_changes_a_rule(attorney_office):
    office = attorney_office
    office.user = "Sam Staff"
    with pytest.raises(KantorError, match="Staff cannot change a deadline rule; ask an attorney."):
        office.deadlines.turn_on_version("bia-appeal-10-day", "because")
    with pytest.raises(KantorError, match="Staff cannot change a deadline rule; ask an attorney."):
        office.deadlines.add_rule_version("ij-motion-reopen", Period(60, Unit.DAYS), "x", date(2026, 7, 1), "y")
    assert rule_audit(office) == []


def test_a_firm_version_applies_from_its_date_and_recomputes_only_what_it_reaches(attorney_office):
    office = attorney_office
    before, after = add_matter(office), add_matter(office)
    office.deadlines.record_event(before, "ij_decision", date(2026, 6, 1))
    done_matter = add_matter(office)
    [done] = [r for r in office.deadlines.record_event(done_matter, "ij_decision", date(2026, 7, 6))
              if r.rule_id == "ij-motion-reopen"]
    office.deadlines.mark_done(done.id, "filed")
    reopen = by_rule(office.deadlines.record_event(after, "ij_decision", date(2026, 7, 6)))["ij-motion-reopen"]
    assert reopen.due == date(2026, 10, 5)  # Mon 6 Jul + 90 days = Sun 4 Oct -> Mon 5 Oct

    moved = office.deadlines.add_rule_version("ij-motion-reopen", Period(60, Unit.DAYS), "Standing order 26-4",
                                              date(2026, 7, 1), "the court's standing order")
    # Only the open deadline from a trigger on or after 1 Jul 2026: Mon 6 Jul + 60 days = Fri 4 Sep.
    assert [(record.matter_id, record.due, record.citation) for record in moved] == [
        (after, date(2026, 9, 4), "Standing order 26-4")]
    assert "firm version from 01 Jul 2026: 60 days" in moved[0].notes
    assert "the court's standing order" in moved[0].notes
    assert any(r.id == reopen.id and r.superseded for r in office.deadlines.for_matter(after))
    assert office.deadlines.get(done.id).due == done.due and not office.deadlines.get(done.id).superseded
    assert "Added ij-motion-reopen firm version" in rule_audit(office)[0]


def test_rule_changes_need_a_known_switch_and_a_reason(attorney_office):
    office = attorney_office
    with pytest.raises(ValidationError, match="Known switches: bia-appeal-10-day"):
        office.deadlines.turn_on_version("bia-appeal-7-day", "because")
    with pytest.raises(ValidationError, match="Say why"):
        office.deadlines.turn_on_version("bia-appeal-10-day", " ")
    with pytest.raises(ValidationError, match="notice or a window"):
        office.deadlines.add_rule_version("uscis-rfe-response", Period(30, Unit.DAYS), "x", date(2026, 1, 1), "y")
    with pytest.raises(ValidationError, match="in days"):
        office.deadlines.add_rule_version("filing-before-master", Period(1, Unit.MONTHS), "x", date(2026, 1, 1), "y")
    office.deadlines.turn_on_version("bia-appeal-10-day", "stay")
    with pytest.raises(ValidationError, match="already on"):
        office.deadlines.turn_on_version("bia-appeal-10-day", "stay")
