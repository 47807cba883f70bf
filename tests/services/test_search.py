"""The search box as a receptionist uses it: accents, A-numbers in any form, phones, hostile text."""

from __future__ import annotations

import pytest

from kantor_cases.domain.records import (
    BenefitApplicationDraft,
    ClientDraft,
    EmploymentClaimDraft,
    MatterDraft,
    PartyDraft,
    RelatedPersonDraft,
)


@pytest.fixture
def people(office):
    jose = office.clients.create(ClientDraft(given_name="José", family_name="Núñez", second_family_name="García",
                                             a_number="A012345678", phone="(213) 555-0134",
                                             email="jose.nunez@example.com", aliases=("Pepe Núñez",)))
    other = office.clients.create(ClientDraft(given_name="Josefina", family_name="Nuñez", a_number="A099999999"))
    armen = office.clients.create(ClientDraft(given_name="Armen", family_name="Петросян"))
    return {"jose": jose, "other": other, "armen": armen}


def names_of(hits):
    return [h.name for h in hits]


def test_accent_insensitive_names_and_second_surname(office, people):
    assert names_of(office.search.search("jose nunez"))[0] == "José Núñez García"
    assert "José Núñez García" in names_of(office.search.search("garcia"))
    assert "José Núñez García" in names_of(office.search.search("NÚÑEZ GARCÍA"))
    assert names_of(office.search.search("петросян")) == ["Armen Петросян"]


def test_aliases_find_the_client(office, people):
    assert "José Núñez García" in names_of(office.search.search("pepe"))


@pytest.mark.parametrize("typed", ["A 012-345-678", "012345678", "a012345678", "12345678", "A012-345-678"])
def test_a_number_in_any_written_form_ranks_the_exact_match_first(office, people, typed):
    hits = office.search.search(typed)
    assert hits[0].id == people["jose"].id and hits[0].kind == "client"


def test_a_number_fragment_and_phone_and_email(office, people):
    assert people["jose"].id in [h.id for h in office.search.search("2345678")]
    assert names_of(office.search.search("(213) 555-0134")) == ["José Núñez García"]
    assert names_of(office.search.search("555-0134")) == ["José Núñez García"]
    assert names_of(office.search.search("jose.nunez@example.com")) == ["José Núñez García"]


@pytest.mark.parametrize("typed", ["022-222-222", "022222222", "A022222222"])
def test_a_family_members_a_number_is_found_typed_with_or_without_its_a(office, people, typed):
    """The index holds each A-number once, with its "A": the digits alone are found inside it."""
    office.clients.add_related_person(people["other"].id, RelatedPersonDraft(
        given_name="Luis", family_name="Nuñez", relationship="spouse", a_number="A022222222"))
    assert [(h.kind, h.name) for h in office.search.search(typed)] == [("related", "Luis Nuñez")]


def test_short_queries_use_the_name_prefix(office, people):
    assert set(names_of(office.search.search("nu"))) == {"José Núñez García", "Josefina Nuñez"}
    assert "Armen Петросян" in names_of(office.search.search("ar"))


@pytest.mark.parametrize("hostile", ['"', "*", "AND", "NEAR(", "(", ")", "-", "jose AND", 'jo"se', "OR OR",
                                     "NOT nunez", "^", "nunez*", "{col}: x", "'; DROP TABLE clients; --", "\x00",
                                     " ", "😀", "a" * 5000])
def test_any_text_is_a_safe_query(office, people, hostile):
    office.search.search(hostile)  # must not raise
    assert office.clients.count() == 3


def test_hostile_text_around_a_real_name_still_finds_it(office, people):
    assert "José Núñez García" in names_of(office.search.search('"nunez" AND'))
    assert "José Núñez García" in names_of(office.search.search("nunez*"))


def test_receipt_numbers_and_employers_find_their_matters(office, people):
    benefit = office.matters.create(people["jose"].id, MatterDraft(
        kind="benefit", benefit=BenefitApplicationDraft(form="I-130", receipt_number="IOE-091-234-5678")))
    employer = office.settings.save_party(PartyDraft(kind="employer", name="Pacific Garment Works Inc."))
    claim = office.matters.create(people["other"].id, MatterDraft(
        kind="employment", employment=EmploymentClaimDraft(employer_id=employer.id)))
    receipt_hits = office.search.search("IOE0912345678")
    assert (receipt_hits[0].kind, receipt_hits[0].id) == ("matter", benefit.id)
    garment_hits = office.search.search("pacific garment")
    assert ("matter", claim.id) in [(h.kind, h.id) for h in garment_hits]
    assert ("party", employer.id) in [(h.kind, h.id) for h in garment_hits]


def test_edits_keep_the_index_in_step(office, people):
    from kantor_cases.services.clients import with_changes

    jose = people["jose"]
    office.clients.update(jose.id, with_changes(jose, family_name="Valenzuela"), jose.version)
    assert "José Valenzuela García" in names_of(office.search.search("valenzuela"))
    assert "José Núñez García" not in names_of(office.search.search("nunez garcia"))
