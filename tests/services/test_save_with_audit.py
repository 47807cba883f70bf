"""Editing a record writes one audit row naming what changed, and none when nothing did (the
services' one save-with-audit step)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from kantor_cases.db.models import AuditEvent
from kantor_cases.domain.calendars import get_calendar
from kantor_cases.domain.records import (
    AgencyFilingDraft,
    ClientDraft,
    EmploymentClaimDraft,
    HearingDraft,
    MatterDraft,
    RemovalCaseDraft,
)


def audit_rows(office, entity: str) -> list[tuple[str, str, str, int | None]]:
    with office.database.read() as session:
        return [(r.action, r.summary, r.changes, r.client_id) for r in session.scalars(
            select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id))]


def test_a_hearing_saved_unchanged_leaves_no_audit_row_and_a_change_leaves_one(office):
    client = office.clients.create(ClientDraft(given_name="Guadalupe", family_name="Ortiz"))
    court = next(c for c in office.settings.courts() if c.code == "LOS")
    matter = office.matters.create(client.id, MatterDraft(kind="removal", removal=RemovalCaseDraft(
        court_id=court.id, custody="released")))
    day = get_calendar("federal").next_business_day(office.clock.today() + timedelta(days=12))  # courts sit
    starts = datetime.combine(day, datetime.min.time()).replace(hour=8, minute=30)
    draft = HearingDraft(starts_at=starts, hearing_type="master", court_id=court.id, courtroom="Courtroom 15")
    hearing = office.hearings.add_hearing(matter.id, draft)

    same = office.hearings.update_hearing(hearing.id, draft, hearing.version)
    assert [action for action, *_ in audit_rows(office, "hearing")] == ["create"]

    office.hearings.update_hearing(hearing.id, HearingDraft(
        starts_at=starts, hearing_type="master", court_id=court.id, courtroom="Courtroom 16"), same.version)
    action, summary, changes, client_id = audit_rows(office, "hearing")[-1]
    assert (action, summary, client_id) == ("update", "edited a hearing", client.id)
    assert changes == '{"courtroom": ["Courtroom 15", "Courtroom 16"]}'


def test_a_right_to_sue_date_changed_on_a_filing_is_audited_and_starts_its_deadline_once(office):
    client = office.clients.create(ClientDraft(given_name="Rowena", family_name="Santos"))
    matter = office.matters.create(client.id, MatterDraft(kind="employment", employment=EmploymentClaimDraft(
        claim_types=("feha",))))
    filing = office.employment.add_agency_filing(matter.id, AgencyFilingDraft(
        agency="crd", number="202611-123456", filed_on=date.today() - timedelta(days=40)))
    issued = AgencyFilingDraft(agency="crd", number="202611-123456", filed_on=date.today() - timedelta(days=40),
                               right_to_sue_issued_on=date.today() - timedelta(days=3))

    saved = office.employment.update_agency_filing(filing.id, issued, filing.version)
    office.employment.update_agency_filing(filing.id, issued, saved.version)  # saved again, unchanged

    updates = [row for row in audit_rows(office, "agency_filing") if row[0] == "update"]
    assert len(updates) == 1 and "right_to_sue_issued_on" in updates[0][2]
    deadlines = [d for d in office.deadlines.for_matter(matter.id) if d.trigger_event == "crd_right_to_sue_issued"]
    assert len(deadlines) == 1 and deadlines[0].trigger_date == date.today() - timedelta(days=3)
