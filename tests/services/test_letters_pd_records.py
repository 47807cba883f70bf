"""The PD cover letter from the records (issue 14 item 8): its structure follows the regime stored on
the request, the equities are facts about this client, the attorney can rewrite them, and the
attorney's checklist (never the letter) warns about dismissal and expedited removal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_letters import add_case, flat, text_of

from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.records import PartyDraft, PdRequestDraft, RelatedPersonDraft, RemovalCaseDraft


@pytest.fixture
def firm_office(letterhead):
    office = letterhead
    office.settings.save_party(PartyDraft(kind="opla", name="ICE OPLA Los Angeles Field Office",
                                          street="606 S. Olive Street, 8th Floor", city="Los Angeles",
                                          state="CA", postal_code="90014"))
    return office


def _years_ago(years: int, today: date | None = None) -> date:
    today = today or date.today()
    return today.replace(year=today.year - years, day=min(today.day, 28)) if today.month != 2 else \
        date(today.year - years, 3, 1)


def _request(office, regime, action="admin_closure", positive=("usc_lpr_family", "other_relief"), notes="",
             a_number="A208456123"):
    client_id, matter_id, _ = add_case(office, "Armen", "Petrosyan", "en", a_number)
    matter = office.matters.get(matter_id)
    office.matters.update_removal(matter_id, RemovalCaseDraft(
        court_id=matter.removal.court_id, judge=matter.removal.judge, custody="released",
        relief_sought=("cancellation_non_lpr",)), matter.removal.version)
    office.clients.add_related_person(client_id, RelatedPersonDraft(
        "Lilit", "Petrosyan", "spouse", "lpr", date_of_birth=_years_ago(40)))
    for years in (12, 9):
        office.clients.add_related_person(client_id, RelatedPersonDraft(
            "Child", "Petrosyan", "child", "usc", date_of_birth=_years_ago(years)))
    opla = office.settings.parties(kind="opla")[0]
    office.pd_requests.create_pd_request(matter_id, PdRequestDraft(
        regime=regime, action_requested=action, opla_office_id=opla.id, positive_factors=positive,
        factors_notes=notes, exhibits=("Birth certificates of USC children",)))
    return matter_id


def test_equities_are_written_as_facts_from_the_records(firm_office):
    office = firm_office
    matter_id = _request(office, "post-2025")
    plan = office.letters.plan("pd-request", matter_id=matter_id)
    assert plan.fields["pd.positive_equities"] == [
        "The Respondent has a lawful permanent resident spouse, age 40; and two United States citizen children, "
        "ages 9 and 12.",
        "The Respondent is pursuing relief in these proceedings: cancellation of removal for non-LPRs (EOIR-42B).",
    ]
    assert not plan.problems and plan.fields["pd.priorities"] is False
    text = flat(text_of(Path(office.letters.generate("pd-request", matter_id=matter_id).file_path).read_bytes()))
    assert "two United States citizen children, ages 9 and 12" in text
    assert "priority" not in text.lower() and "equities and humanitarian factors" in text
    assert "US-citizen or LPR spouse" not in text  # the checklist label is never printed


def test_a_factor_the_records_cannot_support_is_the_attorneys_to_write(firm_office):
    office = firm_office
    matter_id = _request(office, "post-2025", positive=("long_presence", "usc_lpr_family"))
    plan = office.letters.plan("pd-request", matter_id=matter_id)
    assert "long presence in the united states" in plan.problems["pd.positive_equities"]
    with pytest.raises(ValidationError, match="long presence"):
        office.letters.generate("pd-request", matter_id=matter_id)
    written = [*plan.fields["pd.positive_equities"], "He has lived in Los Angeles since 1998."]
    letter = office.letters.generate("pd-request", matter_id=matter_id, fields={
        "pd.positive_equities": written, "pd.argument": "The family depends on him entirely."})
    text = flat(text_of(Path(letter.file_path).read_bytes()))
    assert "He has lived in Los Angeles since 1998." in text and "The family depends on him entirely." in text


def test_a_request_under_guidance_with_priorities_says_why_the_client_is_not_one(firm_office):
    office = firm_office
    matter_id = _request(office, "doyle-2022", notes="No criminal record.\nIn the United States since 2003.")
    text = flat(text_of(Path(office.letters.generate("pd-request", matter_id=matter_id).file_path).read_bytes()))
    assert "Why the Respondent is not an enforcement priority" in text and "No criminal record." in text
    assert "Kerry E. Doyle" in text and "Form G-28 is enclosed" in text and "EOIR-28" in text


def test_the_attorneys_checklist_warns_about_dismissal_and_the_letter_does_not(firm_office):
    office = firm_office
    matter_id = _request(office, "post-2025", action="dismissal")
    checklist = " ".join(office.letters.attorney_checklist("pd-request", matter_id))
    assert "expedited removal" in checklist
    text = flat(text_of(Path(office.letters.generate("pd-request", matter_id=matter_id).file_path).read_bytes()))
    assert "expedited" not in text.lower()
    closure = _request(office, "post-2025", action="admin_closure", a_number="A208456124")
    assert "expedited removal" not in " ".join(office.letters.attorney_checklist("pd-request", closure))
    assert office.letters.attorney_checklist("hearing-reminder", matter_id) == []
