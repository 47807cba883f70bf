"""Deadlines on matters as the office uses them: created by events, recomputed, overridden, done."""

from __future__ import annotations

import json
from datetime import date

import pytest
from agenda_data import add_matter, add_user
from sqlalchemy import func, select

from kantor_cases.db.models import AuditEvent, Deadline
from kantor_cases.domain.agenda_records import TRIGGER_EVENTS, USER_INPUT_RULES
from kantor_cases.domain.deadline_rules import RULES
from kantor_cases.domain.errors import ConflictError, NotFoundError, ValidationError
from kantor_cases.services import deadlines as deadline_module

IJ_DECISION = date(2026, 5, 20)  # 30 days later is Fri 19 Jun 2026, Juneteenth


def audit_rows(office, deadline_id: int) -> list[AuditEvent]:
    with office.database.read() as session:
        return list(session.scalars(select(AuditEvent).where(
            AuditEvent.entity == "deadline", AuditEvent.entity_id == deadline_id).order_by(AuditEvent.id)))


def by_rule(records):
    return {record.rule_id: record for record in records}


def test_every_rule_is_set_off_by_some_event():
    produced = {rule_id for event in TRIGGER_EVENTS.values() for rule_id in event.rule_ids}
    # Hearing-counted rules are set off by hearings (test_deadlines_hearings.py).
    assert produced == set(RULES) - USER_INPUT_RULES - {"filing-before-master", "filing-before-individual"}


def test_an_ij_decision_creates_the_appeal_and_motion_deadlines_with_rule_and_citation(office):
    attorney = add_user(office, "Rosa Kantor")
    matter = add_matter(office, attorney_id=attorney)
    created = by_rule(office.deadlines.record_event(matter, "ij_decision", IJ_DECISION))
    assert set(created) == {"bia-appeal", "ij-motion-reconsider", "ij-motion-reopen"}
    appeal = created["bia-appeal"]
    assert appeal.raw_due == date(2026, 6, 19)
    assert appeal.due == appeal.computed_due == date(2026, 6, 22)
    assert "Juneteenth" in appeal.rolled
    assert appeal.citation == "8 CFR 1003.38(b)" and appeal.calendar == "federal"
    assert "RECEIVED" in appeal.notes
    # The responsible attorney is on it by default, not whoever typed the decision in.
    assert appeal.assignee == "Rosa Kantor"
    assert created["ij-motion-reopen"].due == date(2026, 8, 18)
    assert all(audit_rows(office, record.id) for record in created.values())


def test_without_a_responsible_attorney_the_acting_user_is_assigned(office):
    matter = add_matter(office)
    [bond] = office.deadlines.record_event(matter, "vd_granted", date(2026, 6, 30))
    assert bond.assignee == "Ana"
    # The uncertain observed-day reading is carried with the date, not lost.
    assert bond.due == date(2026, 7, 7)
    assert bond.ambiguity and "8 Jul 2026" in bond.ambiguity
    assert not bond.notes.startswith("Uncertain")


def test_entering_the_same_event_twice_creates_nothing_new(office):
    matter = add_matter(office)
    first = office.deadlines.record_event(matter, "ij_decision", IJ_DECISION)
    again = office.deadlines.record_event(matter, "ij_decision", IJ_DECISION)
    assert [r.id for r in first] == [r.id for r in again]
    assert len(office.deadlines.for_matter(matter)) == 3


def test_changing_the_trigger_supersedes_the_old_rows_and_keeps_them(office):
    matter = add_matter(office)
    old = by_rule(office.deadlines.record_event(matter, "ij_decision", IJ_DECISION))
    new = by_rule(office.deadlines.change_trigger(matter, "ij_decision", date(2026, 5, 26)))
    assert new["bia-appeal"].due == date(2026, 6, 25)
    assert new["ij-motion-reopen"].due == date(2026, 8, 24)
    history = {r.id: r for r in office.deadlines.for_matter(matter)}
    assert len(history) == 6
    old_appeal = history[old["bia-appeal"].id]
    assert old_appeal.superseded and old_appeal.superseded_by_id == new["bia-appeal"].id
    assert old_appeal.due == date(2026, 6, 22)  # the history still says what it was
    current = office.deadlines.for_matter(matter, include_history=False)
    assert {r.id for r in current} == {r.id for r in new.values()}
    summaries = [row.summary for row in audit_rows(office, old_appeal.id)]
    assert any("25 Jun 2026" in s and "22 Jun 2026" in s for s in summaries)


def test_a_superseded_deadline_cannot_be_worked_on(office):
    matter = add_matter(office)
    old = by_rule(office.deadlines.record_event(matter, "ij_decision", IJ_DECISION))["bia-appeal"]
    office.deadlines.change_trigger(matter, "ij_decision", date(2026, 5, 26))
    with pytest.raises(ValidationError, match="replaced"):
        office.deadlines.mark_done(old.id, "filed")


def test_a_new_decision_date_from_the_matter_service_replaces_instead_of_duplicating(office):
    matter = add_matter(office)
    with office.database.write() as session:
        deadline_module.apply_event(session, "Ana", matter, "ij_decision", IJ_DECISION)
    with office.database.write() as session:
        deadline_module.apply_event(session, "Ana", matter, "ij_decision", date(2026, 5, 26))
    current = office.deadlines.for_matter(matter, include_history=False)
    assert sorted(r.due for r in current if r.rule_id == "bia-appeal") == [date(2026, 6, 25)]


def test_a_recurring_event_adds_deadlines_beside_the_earlier_ones(office):
    matter = add_matter(office, kind="employment")
    office.deadlines.record_event(matter, "discriminatory_act", date(2026, 1, 5))
    office.deadlines.record_event(matter, "discriminatory_act", date(2026, 2, 9))
    current = office.deadlines.for_matter(matter, include_history=False)
    assert len([r for r in current if r.rule_id == "eeoc-charge-ca"]) == 2
    with pytest.raises(ValidationError, match="several dates"):
        office.deadlines.change_trigger(matter, "discriminatory_act", date(2026, 1, 6))
    moved = office.deadlines.change_trigger(matter, "discriminatory_act", date(2026, 1, 6),
                                            old_date=date(2026, 1, 5))
    assert {r.trigger_date for r in moved} == {date(2026, 1, 6)}


def test_a_done_deadline_stays_done_when_the_trigger_moves(office):
    matter = add_matter(office)
    appeal = by_rule(office.deadlines.record_event(matter, "ij_decision", IJ_DECISION))["bia-appeal"]
    office.deadlines.mark_done(appeal.id, "EOIR-26 filed and received")
    moved = by_rule(office.deadlines.change_trigger(matter, "ij_decision", date(2026, 5, 26)))
    assert "bia-appeal" not in moved
    kept = office.deadlines.get(appeal.id)
    assert kept.done and not kept.superseded


def test_override_needs_a_reason_keeps_the_computed_date_and_is_audited(office):
    matter = add_matter(office)
    appeal = by_rule(office.deadlines.record_event(matter, "ij_decision", IJ_DECISION))["bia-appeal"]
    with pytest.raises(ValidationError) as error:
        office.deadlines.override(appeal.id, date(2026, 6, 18), "  ", appeal.version)
    assert "reason" in error.value.fields
    changed = office.deadlines.override(appeal.id, date(2026, 6, 18), "file before the holiday weekend",
                                        appeal.version)
    assert changed.due == date(2026, 6, 18) and changed.computed_due == date(2026, 6, 22)
    assert changed.overridden and changed.override_reason == "file before the holiday weekend"
    last = audit_rows(office, appeal.id)[-1]
    assert last.user_name == "Ana" and "holiday weekend" in last.summary
    assert json.loads(last.changes)["due_on"] == ["2026-06-22", "2026-06-18"]
    # Someone working from the version before the override is refused, not silently applied.
    with pytest.raises(ConflictError):
        office.deadlines.override(appeal.id, date(2026, 6, 17), "earlier still", appeal.version)


def test_done_is_recorded_and_never_deletes(office):
    matter = add_matter(office)
    records = office.deadlines.record_event(matter, "ij_decision", IJ_DECISION)
    done = office.deadlines.mark_done(records[0].id, "appeal received by the BIA")
    assert done.done and done.done_by == "Ana" and done.done_note == "appeal received by the BIA"
    with office.database.read() as session:
        assert session.scalar(select(func.count()).select_from(Deadline)) == 3
    with pytest.raises(ValidationError, match="already marked done"):
        office.deadlines.mark_done(records[0].id)
    # A slip of the key is taken back; the audit trail keeps both steps.
    again = office.deadlines.reopen(done.id, done.version)
    assert not again.done and again.done_by == "" and again.done_note == ""
    assert [row.summary.split(":")[0] for row in audit_rows(office, done.id)][-2:] == ["Done", "Open again"]
    with pytest.raises(ValidationError, match="not marked done"):
        office.deadlines.reopen(done.id)


def test_assign_changes_the_owner_and_is_audited(office):
    matter = add_matter(office)
    [bond] = office.deadlines.record_event(matter, "vd_granted", date(2026, 6, 30))
    assigned = office.deadlines.assign(bond.id, "Luis")
    assert assigned.assignee == "Luis"
    assert "Luis" in audit_rows(office, bond.id)[-1].summary


def test_mistakes_are_plain_errors(office):
    matter = add_matter(office)
    with pytest.raises(ValidationError, match="Unknown trigger event"):
        office.deadlines.record_event(matter, "sentencing", IJ_DECISION)
    with pytest.raises(NotFoundError):
        office.deadlines.record_event(999, "ij_decision", IJ_DECISION)
    with pytest.raises(NotFoundError):
        office.deadlines.change_trigger(matter, "bia_decision", IJ_DECISION)
    with pytest.raises(NotFoundError):
        office.deadlines.mark_done(4242)


def test_a_deadline_typed_in_by_hand(office):
    matter = add_matter(office)
    record = office.deadlines.add_manual(matter, "Pre-hearing brief (scheduling order)", date(2026, 7, 1))
    assert record.rule_id == "" and record.due == date(2026, 7, 1) and record.trigger_event == "manual"


def test_the_new_users_path_through_the_matter_service(office):
    """Enter an IJ decision on a removal matter: the appeal shows on Today with its citation and follows a
    corrected decision date."""
    from datetime import timedelta

    from kantor_cases.domain.records import ClientDraft, MatterDraft

    client = office.clients.create(ClientDraft(given_name="María", family_name="García")).id
    matter = office.matters.create(client, MatterDraft(kind="removal"))
    matter = office.matters.change_government_status(matter.id, "master_set", "", matter.version)
    decided = date.today() - timedelta(days=3)
    office.matters.change_government_status(matter.id, "removal_ordered", "IJ ordered removal", matter.version,
                                            decision_date=decided)
    appeal = next(item for item in office.agenda.agenda(days=40) if item.code == "bia-appeal")
    assert appeal.citation == "8 CFR 1003.38(b)" and appeal.client_name == "María García"
    assert 27 <= (appeal.due - date.today()).days <= 31
    office.deadlines.change_trigger(matter.id, "ij_decision", decided + timedelta(days=1))
    moved = next(item for item in office.agenda.agenda(days=40) if item.code == "bia-appeal")
    assert moved.id != appeal.id and moved.due >= appeal.due
    assert office.deadlines.get(moved.id).trigger_date == decided + timedelta(days=1)
    assert [r.rule_id for r in office.deadlines.for_matter(matter.id) if r.superseded].count("bia-appeal") == 1
