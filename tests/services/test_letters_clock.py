"""A day pinned through `Office(clock=...)` is the day letters are dated and hearings counted from:
the wall clock never agrees with it, so anything still reading the wall clock shows."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from kantor_cases.domain.clock import FixedClock
from kantor_cases.domain.records import ClientDraft, HearingDraft, MatterDraft, RemovalCaseDraft
from kantor_cases.services import locations
from kantor_cases.services.office import Office

MONDAY = datetime(2026, 6, 1, 10, 0)  # long past the day these tests run


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY)


@pytest.fixture
def office(db_path, clock):
    opened = Office.open(locations.resolve(str(db_path)), "Ana", clock=clock)
    yield opened
    opened.close()


def text_of(path: str) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(Path(path).read_bytes())).pages)
                    .split())


def add_case(office, hearing_at: datetime) -> tuple[int, int, int]:
    client = office.clients.create(ClientDraft(given_name="Armen", family_name="Petrosyan", preferred_language="en",
                                               a_number="A012345002", street="1457 W. Temple Street",
                                               city="Los Angeles", state="CA", postal_code="90026"))
    court = next(c for c in office.settings.courts(include_closed=True) if c.code == "LOS")
    matter = office.matters.create(client.id, MatterDraft(kind="removal", removal=RemovalCaseDraft(
        court_id=court.id, judge="Hon. A. Whitfield", custody="released")))
    hearing = office.hearings.add_hearing(matter.id, HearingDraft(starts_at=hearing_at, hearing_type="master",
                                                                  courtroom="Courtroom 12"))
    return client.id, matter.id, hearing.id


def test_a_letter_is_dated_the_pinned_day(letterhead):
    office = letterhead
    client_id, _matter_id, _hearing_id = add_case(office, datetime(2026, 6, 3, 8, 30))

    letter = office.letters.generate("document-request", client_id=client_id)

    assert Path(letter.file_path).name == "2026-06-01 document-request en.pdf"
    assert letter.fields["letter.date"] == "2026-06-01"
    assert "June 1, 2026" in text_of(letter.file_path)
    assert office.letters.regenerate(letter.id).matches


def test_the_upcoming_hearings_and_their_reminders_are_counted_from_the_pinned_day(letterhead, clock, tmp_path):
    office = letterhead
    _client_id, matter_id, wednesday = add_case(office, datetime(2026, 6, 3, 8, 30))

    assert [h.id for h in office.hearings.upcoming_hearings(7)] == [wednesday]
    assert office.letters.plan("hearing-reminder", matter_id=matter_id).hearing_id == wednesday
    result = office.letters.run_batch("hearing-reminder", hearings_within_days=7, out_dir=tmp_path)
    [letter] = result.letters
    assert letter.hearing_id == wednesday and Path(letter.file_path).parent == tmp_path
    assert office.letters.get(letter.id).fields["letter.date"] == "2026-06-01"
    assert "June 1, 2026" in text_of(letter.file_path) and "June 3, 2026" in text_of(letter.file_path)
    assert Path(result.combined_path).name.startswith("2026-06-01 hearing-reminder")

    clock.advance(timedelta(days=3))  # Thursday: Wednesday's hearing is past
    assert office.hearings.upcoming_hearings(7) == []
    assert office.letters.batch_candidates("hearing-reminder", 7) == (0, 0)
    assert office.clock.today() == date(2026, 6, 4)
