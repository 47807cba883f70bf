"""Conflict checks report the people and parties a lawyer must look at, with the reason why."""

from __future__ import annotations

from datetime import date

from kantor_cases.domain.records import ClientDraft, ConflictCandidate, PartyDraft, RelatedPersonDraft


def reasons_for(report, name):
    return [reason for hit in report.hits if hit.name == name for reason in hit.reasons]


def test_second_surname_dropped_swapped_order_fuzzy_and_phonetic(office):
    office.clients.create(ClientDraft(given_name="María", family_name="García", second_family_name="López",
                                      date_of_birth=date(1980, 4, 2)))
    office.clients.create(ClientDraft(given_name="Jose", family_name="Gonzales"))
    office.clients.create(ClientDraft(given_name="Jon", family_name="Smyth"))
    office.clients.create(ClientDraft(given_name="Petra", family_name="Unrelated"))

    report = office.conflicts.check(ConflictCandidate("Maria Garcia", date_of_birth=date(1980, 4, 2)))
    assert any("dropped" in r for r in reasons_for(report, "María García López"))
    assert "same date of birth" in reasons_for(report, "María García López")

    report = office.conflicts.check(ConflictCandidate("Garcia Lopez Maria"))
    assert any("order swapped" in r for r in reasons_for(report, "María García López"))

    report = office.conflicts.check(ConflictCandidate("José González"))
    assert any("similar spelling" in r or "sounds alike" in r for r in reasons_for(report, "Jose Gonzales"))

    report = office.conflicts.check(ConflictCandidate("John Smith"))
    assert "sounds alike" in reasons_for(report, "Jon Smyth")
    assert all(hit.name != "Petra Unrelated" for hit in report.hits)


def test_same_a_number_is_the_strongest_reason(office):
    client = office.clients.create(ClientDraft(given_name="Ani", family_name="Sargsyan", a_number="A087654321"))
    report = office.conflicts.check(ConflictCandidate("Somebody Else", a_number="087-654-321"))
    assert report.hits[0].id == client.id and report.hits[0].reasons == ("same A-number",)


def test_related_persons_and_opposing_parties_are_checked(office):
    client = office.clients.create(ClientDraft(given_name="Tuấn", family_name="Trần"))
    office.clients.add_related_person(client.id, RelatedPersonDraft(given_name="Lan", family_name="Phạm",
                                                                    relationship="spouse"))
    office.settings.save_party(PartyDraft(kind="employer", name="Sunrise Car Wash LLC"))
    report = office.conflicts.check(ConflictCandidate("Lan Pham"))
    assert [(h.kind, h.client_id) for h in report.hits] == [("related", client.id)]
    report = office.conflicts.check(ConflictCandidate("Carlos Vega", employer="Sunrise Car Wash"))
    assert any(h.kind == "party" and "employer" in " ".join(h.reasons) for h in report.hits)


def test_a_clean_name_is_clear(office):
    office.clients.create(ClientDraft(given_name="María", family_name="García"))
    assert office.conflicts.check(ConflictCandidate("Xochitl Wojciechowski")).clear
