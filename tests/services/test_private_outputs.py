"""Letters, batches, exports, calendars and the recovery sheet (issue 12 item 5): named by client
number, never by name, and created 0600 in 0700 folders by the services themselves — a script or a
test calling them runs under its own umask (022 here), not the 077 the program sets at start-up."""

from __future__ import annotations

import os
import stat
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from kantor_cases.domain.calendars import get_calendar
from kantor_cases.domain.records import ClientDraft, HearingDraft, MatterDraft, RemovalCaseDraft
from kantor_cases.services import accounts

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _add_case(office, given: str, family: str, a_number: str) -> tuple[int, int]:
    client = office.clients.create(ClientDraft(given_name=given, family_name=family, preferred_language="es",
                                               a_number=a_number, street="1457 W. Temple Street",
                                               city="Los Angeles", state="CA", postal_code="90026"))
    court = next(c for c in office.settings.courts(include_closed=True) if c.code == "LOS")
    matter = office.matters.create(client.id, MatterDraft(kind="removal", removal=RemovalCaseDraft(
        court_id=court.id, judge="Hon. A. Whitfield", custody="released")))
    day = get_calendar("federal").next_business_day(office.clock.today() + timedelta(days=5))
    office.hearings.add_hearing(matter.id, HearingDraft(starts_at=datetime.combine(day, time(8, 30)),
                                                        hearing_type="master", courtroom="Courtroom 12"))
    return client.id, matter.id


def test_a_letter_and_a_batch_are_filed_by_client_number_without_the_name(letterhead):
    office = letterhead
    client_id, matter_id = _add_case(office, "María", "García", "A012345678")

    letter = office.letters.generate("hearing-reminder", matter_id=matter_id)
    batch = office.letters.run_batch("hearing-reminder", hearings_within_days=30, force=True)

    paths = [letter.file_path, *(row.file_path for row in batch.letters), batch.combined_path]
    assert Path(letter.file_path).parent == office.locations.documents / f"client-{client_id:06d}"
    assert Path(batch.letters[0].file_path).name.startswith(f"client-{client_id:06d} ")
    for path in paths:
        relative = str(Path(path).relative_to(office.locations.documents))
        assert not {"María", "Maria", "García", "Garcia"} & set(relative.replace("/", " ").split()), relative
        assert Path(path).is_file()


def test_letters_batches_exports_calendars_and_the_recovery_sheet_are_private_under_umask_022(
        letterhead, tmp_path, umask_022):
    office = letterhead
    _client_id, matter_id = _add_case(office, "Zyxwvut", "Qqqplorn", "A098765432")
    outside = tmp_path / "desk"
    outside.mkdir()

    letter = Path(office.letters.generate("hearing-reminder", matter_id=matter_id).file_path)
    batch = office.letters.run_batch("hearing-reminder", hearings_within_days=30, force=True)
    chosen_batch = office.letters.run_batch("hearing-reminder", hearings_within_days=30, force=True,
                                            out_dir=outside / "reminders" / "june")
    copy = office.letters.write_copy(outside / "copy.pdf", letter.read_bytes())
    office.client_csv.export_file(outside / "clients.csv")
    office.agenda.export_ics(outside / "office.ics")
    sheet = accounts.write_recovery_sheet(office.locations, outside / "recovery.pdf", "Kantor Law",
                                          "ABCD-EFGH", date(2026, 6, 1))

    files = [letter, *(Path(row.file_path) for row in (*batch.letters, *chosen_batch.letters)),
             Path(batch.combined_path), Path(chosen_batch.combined_path), copy, outside / "clients.csv",
             outside / "office.ics", sheet]
    assert {str(p): _mode(p) for p in files} == {str(p): 0o600 for p in files}
    documents = office.locations.documents
    made = [documents, letter.parent, documents / "Batches", Path(batch.folder), outside / "reminders",
            Path(chosen_batch.folder)]
    assert {str(p): _mode(p) for p in made} == {str(p): 0o700 for p in made}
    assert _mode(outside) == 0o755, "a folder the user made is theirs to set"


def test_a_lost_letter_written_back_keeps_its_recorded_path_even_one_with_a_name(letterhead, umask_022):
    office = letterhead
    _client_id, matter_id = _add_case(office, "María", "García", "A012345678")
    letter = office.letters.generate("hearing-reminder", matter_id=matter_id)
    # A letter filed before folders were named by number: the log holds that path, name and all.
    old = office.locations.documents / "1 María García" / Path(letter.file_path).name
    from sqlalchemy import update

    from kantor_cases.db.models import Letter

    with office.database.write() as session:
        session.execute(update(Letter).where(Letter.id == letter.id).values(file_path=str(old)))
    Path(letter.file_path).unlink()

    again = office.letters.regenerate(letter.id)

    assert again.restored and old.is_file()
    assert _mode(old) == 0o600 and _mode(old.parent) == 0o700
