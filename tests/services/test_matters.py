"""Matters: status changes along allowed paths with history, removal cases, hearings, PD requests,
employment claims — every change audited."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from kantor_cases.db.models import AuditEvent
from kantor_cases.domain.calendars import get_calendar
from kantor_cases.domain.errors import ConflictError, StatusChangeError, ValidationError
from kantor_cases.domain.records import (
    AgencyFilingDraft,
    ClientDraft,
    EmploymentClaimDraft,
    HearingDraft,
    MatterDraft,
    PartyDraft,
    PdRequestDraft,
    RemovalCaseDraft,
)


@pytest.fixture
def removal(office):
    client = office.clients.create(ClientDraft(given_name="Guadalupe", family_name="Ortiz"))
    court = next(c for c in office.settings.courts() if c.code == "LOS")
    return office.matters.create(client.id, MatterDraft(kind="removal", removal=RemovalCaseDraft(
        court_id=court.id, judge="Hon. A. Whitfield", custody="released", relief_sought=("asylum", "withholding"))))


def test_a_removal_matter_starts_with_both_statuses_and_its_history(removal):
    assert removal.firm_status == "intake" and removal.government_status == "nta_served"
    assert removal.removal.court_code == "LOS" and removal.removal.relief_sought == ("asylum", "withholding")
    assert [(h.track, h.to_status) for h in removal.history] == [("firm", "intake"), ("government", "nta_served")]


def test_status_changes_follow_the_allowed_paths_and_are_recorded(office, removal):
    office.user = "Ruth"
    engaged = office.matters.change_firm_status(removal.id, "engaged", "retainer signed", removal.version)
    assert engaged.firm_status == "engaged"
    assert engaged.history[-1].user_name == "Ruth" and engaged.history[-1].note == "retainer signed"
    with pytest.raises(StatusChangeError, match="cannot go from “engaged” to “intake”"):
        office.matters.change_firm_status(removal.id, "intake", "", engaged.version)
    with pytest.raises(StatusChangeError):
        office.matters.change_government_status(removal.id, "bia_dismissed", "", engaged.version)
    court = office.matters.change_government_status(removal.id, "master_set", "MCH set", engaged.version)
    assert "individual_set" in court.allowed_government_next
    with office.database.read() as session:
        summaries = list(session.scalars(select(AuditEvent.summary).where(AuditEvent.entity == "matter")))
    assert any("Pending, master calendar set" in s for s in summaries)


def test_a_stale_status_change_is_a_conflict(office, removal):
    office.matters.change_firm_status(removal.id, "engaged", "", removal.version)
    with pytest.raises(ConflictError):
        office.matters.change_firm_status(removal.id, "closed", "", removal.version)


def test_verify_with_eoir_records_date_and_channel(office, removal):
    verified = office.matters.verify_eoir(removal.id, "hotline")
    assert verified.removal.last_verified_on == date.today() and verified.removal.last_verified_via == "hotline"
    with pytest.raises(ValidationError):
        office.matters.verify_eoir(removal.id, "carrier pigeon")


def test_hearings_are_added_edited_and_listed_across_the_office(office, removal):
    # a day the immigration courts sit: the service refuses a weekend or court holiday
    day = get_calendar("federal").next_business_day(office.clock.today() + timedelta(days=12))
    starts = datetime.combine(day, time(8, 30))
    hearing = office.hearings.add_hearing(removal.id, HearingDraft(starts_at=starts, hearing_type="master",
                                                                   courtroom="Courtroom 15"))
    assert hearing.court_code == "LOS" and not hearing.reminder_sent
    upcoming = office.hearings.upcoming_hearings(30)
    assert [h.id for h in upcoming] == [hearing.id]
    assert office.hearings.upcoming_hearings(7) == []
    edited = office.hearings.update_hearing(hearing.id, HearingDraft(
        starts_at=starts, hearing_type="individual", court_id=hearing.court_id, courtroom="Courtroom 16",
        result="Continued", next_step="Individual hearing set"), hearing.version)
    assert edited.hearing_type == "individual" and edited.courtroom == "Courtroom 16"
    with pytest.raises(ValidationError):
        office.hearings.add_hearing(removal.id, HearingDraft(starts_at=datetime(1990, 1, 1), hearing_type="master"))


def test_pd_request_moves_only_along_its_path_and_is_counted(office, removal):
    request = office.pd_requests.create_pd_request(removal.id, PdRequestDraft(
        regime="doyle-2022", action_requested="dismissal", positive_factors=("long_presence", "usc_lpr_family"),
        negative_factors=("criminal_history",), exhibits=("Birth certificate of USC child",)))
    assert request.status == "draft" and request.allowed_next == ("submitted", "withdrawn")
    with pytest.raises(StatusChangeError):
        office.pd_requests.change_pd_status(request.id, "granted", "", request.version)
    submitted = office.pd_requests.change_pd_status(request.id, "submitted", "e-mailed to OPLA", request.version)
    assert submitted.submitted_on == date.today()
    offer = office.pd_requests.change_pd_status(submitted.id, "offer_received", "", submitted.version)
    check = office.pd_requests.change_pd_status(offer.id, "background_check", "", offer.version)
    assert check.background_check == "pending"
    assert [h.to_status for h in check.history] == ["draft", "submitted", "offer_received", "background_check"]
    assert office.pd_requests.pd_status_counts()["background_check"] == 1
    assert office.pd_requests.has_pending_pd(removal.id)
    rows = office.pd_requests.pd_requests()
    assert rows[0].next_step.startswith("Wait for the background check")
    with pytest.raises(ValidationError):
        office.pd_requests.create_pd_request(removal.id, PdRequestDraft(regime="made-up", action_requested="dismissal"))


def test_employment_claim_with_agency_filings(office):
    client = office.clients.create(ClientDraft(given_name="Rowena", family_name="Santos"))
    employer = office.settings.save_party(PartyDraft(kind="employer", name="Harbor Home Care LLC"))
    matter = office.matters.create(client.id, MatterDraft(kind="employment", employment=EmploymentClaimDraft(
        claim_types=("wage_hour", "feha"), employer_id=employer.id)))
    assert matter.employment.employer_name == "Harbor Home Care LLC"
    office.employment.add_agency_filing(matter.id, AgencyFilingDraft(agency="crd", number="202611-123456",
                                                                     filed_on=date.today() - timedelta(days=40)))
    with pytest.raises(ValidationError, match="NLRB"):
        office.employment.add_agency_filing(matter.id, AgencyFilingDraft(agency="nlrb", number="nonsense"))
    refreshed = office.matters.get(matter.id)
    assert [f.number for f in refreshed.employment.filings] == ["202611-123456"]
    with pytest.raises(ValidationError, match="received before it was issued"):
        office.employment.update_employment(matter.id, EmploymentClaimDraft(
            right_to_sue_issued_on=date(2026, 5, 2), right_to_sue_received_on=date(2026, 5, 1)),
            refreshed.employment.version)


def test_an_ij_decision_sets_the_appeal_deadline_with_its_citation_and_moving_it_follows(office, removal):
    matter = office.matters.change_government_status(removal.id, "master_set", "", removal.version)
    matter = office.matters.change_government_status(removal.id, "individual_set", "", matter.version)
    office.matters.change_government_status(removal.id, "removal_ordered", "oral decision", matter.version,
                                            decision_date=date(2026, 5, 20))
    deadlines = {d.rule_id: d for d in office.deadlines.for_matter(removal.id) if d.superseded_at is None}
    appeal = deadlines["bia-appeal"]
    # 30 days after Wed 20 May 2026 is Fri 19 Jun 2026, Juneteenth: the appeal is due Mon 22 Jun.
    assert appeal.raw_due == date(2026, 6, 19) and appeal.due == date(2026, 6, 22)
    assert "1003.38" in appeal.citation and "Juneteenth" in appeal.rolled
    assert {"ij-motion-reconsider", "ij-motion-reopen"} <= set(deadlines)
    office.deadlines.change_trigger(removal.id, "ij_decision", new_date=date(2026, 5, 21))
    current = {d.rule_id: d for d in office.deadlines.for_matter(removal.id) if d.superseded_at is None}
    assert current["bia-appeal"].due == date(2026, 6, 22)
    assert current["bia-appeal"].trigger_date == date(2026, 5, 21)
    assert any(d.superseded_at is not None for d in office.deadlines.for_matter(removal.id))


def test_voluntary_departure_also_sets_the_bond_deadline(office, removal):
    matter = office.matters.change_government_status(removal.id, "master_set", "", removal.version)
    office.matters.change_government_status(removal.id, "voluntary_departure", "", matter.version,
                                            decision_date=date(2026, 11, 20))
    rules = {d.rule_id for d in office.deadlines.for_matter(removal.id)}
    assert {"bia-appeal", "vd-bond"} <= rules


def test_matters_list_tail_is_read_from_the_end_in_the_same_order(office):
    client = office.clients.create(ClientDraft(given_name="Marites", family_name="Bautista"))
    ids = [office.matters.create(client.id, MatterDraft(kind="other", title=f"Matter {i}")).id for i in range(7)]
    newest_first = list(reversed(ids))
    total = office.matters.count()
    assert [m.id for m in office.matters.page(0, 3, total=total)] == newest_first[:3]
    assert [m.id for m in office.matters.page(5, 2, total=total)] == newest_first[5:]


def test_a_new_employer_typed_at_intake_is_saved_with_the_matter_or_not_at_all(office):
    from kantor_cases.domain.records import ConflictCandidate

    draft = ClientDraft(given_name="Analyn", family_name="Ramos")
    report = office.conflicts.check(ConflictCandidate("Analyn Ramos"))
    bad_matter = MatterDraft(kind="employment", opened_on=date.today() + timedelta(days=30),
                             employment=EmploymentClaimDraft(employer_name="Canyon Bakery Co."))
    with pytest.raises(ValidationError):
        office.intake.intake(draft, report, True, bad_matter)
    assert office.settings.parties("employer") == [] and office.clients.count() == 0
    good_matter = MatterDraft(kind="employment", employment=EmploymentClaimDraft(employer_name="Canyon Bakery Co."))
    client, matter = office.intake.intake(draft, report, True, good_matter)
    assert matter.employment.employer_name == "Canyon Bakery Co."
    assert [p.name for p in office.settings.parties("employer")] == ["Canyon Bakery Co."]
    office.intake.intake(ClientDraft(given_name="Jun-Jun", family_name="Ramos"), report, True, good_matter)
    assert len(office.settings.parties("employer")) == 1  # the same employer is found, not added twice
