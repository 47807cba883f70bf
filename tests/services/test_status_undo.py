"""Undoing a status change (issue 15): only the acting user's own latest change of this sitting,
audited as its own event; a decision's deadlines are taken back with it, the ones it replaced return."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from agenda_data import add_matter, add_user
from sqlalchemy import select

from kantor_cases.db.models import AuditEvent
from kantor_cases.domain import statuses as st
from kantor_cases.domain.clock import FixedClock
from kantor_cases.domain.errors import StatusChangeError, ValidationError
from kantor_cases.domain.records import PdRequestDraft

TODAY = date(2026, 12, 7)


@pytest.fixture
def office(db_path):
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    opened = Office.open(locations.resolve(str(db_path)), "Ana", clock=FixedClock(datetime(2026, 12, 7, 9, 0)))
    yield opened
    opened.close()


def audit_of(office, action: str) -> list[AuditEvent]:
    with office.database.read() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def ordered_removed(office, decided: date = date(2026, 12, 4)):
    matter = add_matter(office)
    details = office.matters.record_government_status(matter, "master_set", "", office.matters.get(matter).version)
    recorded = office.matters.record_government_status(matter, "removal_ordered", "oral decision",
                                                       details.details.version, decision_date=decided)
    return matter, recorded


def test_a_decision_says_which_deadlines_it_created(office):
    _matter, recorded = ordered_removed(office)
    by_rule = {record.rule_id: record for record in recorded.deadlines}
    assert set(by_rule) == {"bia-appeal", "ij-motion-reconsider", "ij-motion-reopen"}
    assert by_rule["bia-appeal"].due == date(2027, 1, 4) and by_rule["bia-appeal"].citation == "8 CFR 1003.38(b)"


def test_undo_puts_the_status_back_and_takes_back_the_deadlines_audited_both_ways(office):
    matter, recorded = ordered_removed(office)
    undone = office.matters.undo_status_change(recorded.change_id)
    assert undone.details.government_status == "master_set"
    assert {record.rule_id for record in undone.withdrawn} == {"bia-appeal", "ij-motion-reconsider",
                                                               "ij-motion-reopen"}
    assert office.deadlines.for_matter(matter, include_history=False) == []
    # Kept as history, not deleted.
    assert len(office.deadlines.for_matter(matter)) == 3
    assert office.deadlines.upcoming_count(90) == 0
    [status_row] = [row for row in audit_of(office, "status") if "Decision: removal ordered" in row.summary]
    [undo_row] = audit_of(office, "undo")
    assert undo_row.entity_id == matter and "removal ordered" in undo_row.summary.lower()
    assert "withdrew BIA appeal" in undo_row.summary or "withdrew" in undo_row.summary
    assert status_row.id < undo_row.id
    history = office.matters.get(matter).history
    assert (history[-1].from_status, history[-1].to_status) == ("removal_ordered", "master_set")
    assert "undo" in history[-1].note
    # It was the last one: there is nothing more to undo from that change.
    with pytest.raises(StatusChangeError):
        office.matters.undo_status_change(recorded.change_id)


def test_undo_brings_back_the_deadlines_a_new_decision_date_had_replaced(office):
    matter = add_matter(office)
    office.deadlines.record_event(matter, "ij_decision", date(2026, 12, 1))
    version = office.matters.get(matter).version
    version = office.matters.record_government_status(matter, "master_set", "", version).details.version
    recorded = office.matters.record_government_status(matter, "removal_ordered", "", version,
                                                       decision_date=date(2026, 12, 4))
    assert {r.trigger_date for r in office.deadlines.for_matter(matter, include_history=False)} == {date(2026, 12, 4)}
    office.matters.undo_status_change(recorded.change_id)
    current = office.deadlines.for_matter(matter, include_history=False)
    assert {r.trigger_date for r in current} == {date(2026, 12, 1)} and len(current) == 3


def test_a_deadline_acted_on_since_blocks_the_undo_and_nothing_changes(office):
    matter, recorded = ordered_removed(office)
    appeal = next(r for r in recorded.deadlines if r.rule_id == "bia-appeal")
    office.deadlines.mark_done(appeal.id, "appeal filed")
    with pytest.raises(ValidationError, match="marked done"):
        office.matters.undo_status_change(recorded.change_id)
    assert office.matters.get(matter).government_status == "removal_ordered"
    assert audit_of(office, "undo") == []


def test_only_the_latest_change_of_the_track_and_only_ones_own(office):
    matter = add_matter(office)
    version = office.matters.get(matter).version
    first = office.matters.record_government_status(matter, "master_set", "", version)
    second = office.matters.record_government_status(matter, "continued", "", first.details.version)
    with pytest.raises(StatusChangeError, match="changed again"):
        office.matters.undo_status_change(first.change_id)
    add_user(office, "Rosa Kantor", "attorney")
    office.user = "Rosa Kantor"
    with pytest.raises(StatusChangeError, match="since you signed in"):
        office.matters.undo_status_change(second.change_id)
    assert office.matters.last_undoable() is None
    office.user = "Ana"
    offer = office.matters.last_undoable(matter_id=matter)
    assert offer is not None and offer.change_id == second.change_id and "Continued" in offer.describe()
    office.matters.undo_status_change(second.change_id)
    assert office.matters.get(matter).government_status == "master_set"


def test_a_pd_denial_and_a_closing_can_be_undone(office):
    matter = add_matter(office)
    request = office.pd_requests.create_pd_request(matter, PdRequestDraft(regime="doyle-2022",
                                                                          action_requested="dismissal"))
    submitted = office.pd_requests.change_pd_status(request.id, "submitted", "", request.version)
    office.pd_requests.change_pd_status(request.id, "denied", "", submitted.version)
    offer = office.matters.last_undoable()
    assert offer is not None and offer.track == "pd" and offer.to_label == "Denied"
    office.matters.undo_status_change(offer.change_id)
    assert office.pd_requests.get_pd_request(request.id).status == "submitted"

    closed = office.matters.record_firm_status(matter, "closed", "", office.matters.get(matter).version)
    assert closed.details.closed_on == TODAY
    office.matters.undo_status_change(closed.change_id)
    details = office.matters.get(matter)
    assert details.firm_status == "active" and details.closed_on is None


def test_another_user_cannot_undo_ones_decision(office):
    matter, recorded = ordered_removed(office)
    add_user(office, "Sam Staff", "staff")
    # Sam cannot even see it as his: it was Ana's change.
    office.user = "Sam Staff"
    with pytest.raises(StatusChangeError):
        office.matters.undo_status_change(recorded.change_id)


def test_final_outcomes_come_from_the_status_tables():
    assert {"dismissed", "terminated", "removal_ordered"} <= st.final_outcomes("removal", "government")
    assert "master_set" not in st.final_outcomes("removal", "government")
    assert {"denied", "granted", "withdrawn"} <= st.final_outcomes("removal", "pd")
    assert "submitted" not in st.final_outcomes("removal", "pd")
    assert st.final_outcomes("removal", "firm") == {"closed"}
