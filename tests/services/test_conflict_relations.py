"""Conflict hits say whose record they are (issue 15 point 6): the family member's client, the
organisation's matter and its client, by name and number; a restricted client stays unnamed."""

from __future__ import annotations

from agenda_data import add_matter, add_user

from kantor_cases.domain.records import (
    ClientDraft,
    ConflictCandidate,
    EmploymentClaimDraft,
    MatterDraft,
    PartyDraft,
    RelatedPersonDraft,
)


def test_a_family_member_hit_names_the_client_it_belongs_to(office):
    maria = office.clients.create(ClientDraft(given_name="María", family_name="García", second_family_name="López"))
    office.clients.add_related_person(maria.id, RelatedPersonDraft(given_name="José", family_name="García",
                                                                   relationship="spouse"))
    report = office.conflicts.check(ConflictCandidate("José García"))
    [hit] = [h for h in report.hits if h.kind == "related"]
    assert hit.relation == f"spouse of María García López, client {maria.id}"
    assert hit.client_id == maria.id


def test_an_organisation_hit_names_the_matter_it_is_a_party_in(office):
    rowena = office.clients.create(ClientDraft(given_name="Rowena", family_name="Santos"))
    employer = office.settings.save_party(PartyDraft(kind="employer", name="Harbor Home Care LLC"))
    matter = office.matters.create(rowena.id, MatterDraft(kind="employment", employment=EmploymentClaimDraft(
        claim_types=("wage_hour",), employer_id=employer.id)))
    office.settings.save_party(PartyDraft(kind="employer", name="Harbor Bakery LLC"))

    report = office.conflicts.check(ConflictCandidate("Carlos Vega", employer="Harbor Home Care"))
    [hit] = [h for h in report.hits if h.kind == "party" and h.id == employer.id]
    assert hit.relation == f"opposing party (employer) in matter {matter.id} of Rowena Santos, client {rowena.id}"
    assert hit.matter_id == matter.id


def test_an_organisation_in_no_matter_says_so(office):
    office.settings.save_party(PartyDraft(kind="employer", name="Sunrise Car Wash LLC"))
    report = office.conflicts.check(ConflictCandidate("Carlos Vega", employer="Sunrise Car Wash"))
    [hit] = [h for h in report.hits if h.kind == "party"]
    assert hit.relation == "employer on file, in no matter" and hit.matter_id is None


def test_a_client_hit_gives_its_number(office):
    maria = office.clients.create(ClientDraft(given_name="María", family_name="García"))
    [hit] = office.conflicts.check(ConflictCandidate("Maria Garcia")).hits
    assert hit.relation == f"a client of the office, client {maria.id}"


def test_a_restricted_clients_relative_and_matter_are_never_named_to_staff(office):
    attorney = add_user(office, "Rosa Kantor", "attorney")
    add_user(office, "Sam Staff", "staff")
    secret = office.clients.create(ClientDraft(given_name="Zoila", family_name="Quintanilla"))
    office.clients.add_related_person(secret.id, RelatedPersonDraft(given_name="Lan", family_name="Pham",
                                                                    relationship="spouse"))
    employer = office.settings.save_party(PartyDraft(kind="employer", name="Harbor Home Care LLC"))
    office.matters.create(secret.id, MatterDraft(kind="employment", employment=EmploymentClaimDraft(
        claim_types=("wage_hour",), employer_id=employer.id)))
    add_matter(office, secret.id, attorney_id=attorney)
    office.clients.restrict(secret.id, [])

    office.user = "Sam Staff"
    report = office.conflicts.check(ConflictCandidate("Lan Pham", employer="Harbor Home Care"))
    shown = " | ".join(f"{h.name} {h.relation} {h.detail}" for h in report.hits)
    assert "Quintanilla" not in shown and str(secret.id) not in shown.replace("Harbor", "")
    assert "restricted client — ask Rosa Kantor" in shown
    [party] = [h for h in report.hits if h.kind == "party"]
    assert party.matter_id is None
