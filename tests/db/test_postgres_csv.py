"""CSV import on PostgreSQL, where writers do not queue behind one file lock: two imports of one file
at once, the duplicate look-ups' typed dates, and the unique A-number index behind a racing save."""

from __future__ import annotations

import threading

import pytest
from postgres_support import URL, emptied_office, needs_postgres

from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.records import ClientDraft
from kantor_cases.services import locations
from kantor_cases.services.office import Office

pytestmark = needs_postgres
CSV = "first_name,last_name,a_number,date_of_birth\n" + "".join(
    f"Persona{n},Núñez,A{300_000_000 + n:09d},1980-01-{n % 28 + 1:02d}\n" for n in range(40))


@pytest.fixture
def desks():
    emptied_office().close()
    opened = [Office.open(locations.resolve(URL), user) for user in ("Ana", "Ruth")]
    yield opened
    for desk in opened:
        desk.close()


def test_two_imports_of_one_file_at_once_insert_every_client_once(desks, tmp_path):
    path = tmp_path / "same.csv"
    path.write_text(CSV, encoding="utf-8")
    start = threading.Barrier(2)
    reports = []

    def run(desk: Office) -> None:
        start.wait()
        reports.append(desk.client_csv.import_file(path))

    threads = [threading.Thread(target=run, args=(desk,)) for desk in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert desks[0].clients.count() == 40
    assert sorted(r.imported for r in reports) == [0, 40]
    assert sorted(r.skipped_duplicates for r in reports) == [0, 40]


def test_a_client_with_the_same_name_and_date_of_birth_is_a_duplicate(desks, tmp_path):
    from datetime import date

    desks[0].clients.create(ClientDraft(given_name="Persona3", family_name="Nunez", date_of_birth=date(1980, 1, 4)))
    path = tmp_path / "clients.csv"
    path.write_text(CSV, encoding="utf-8")
    report = desks[1].client_csv.import_file(path)
    assert (report.imported, report.skipped_duplicates) == (39, 1)
    assert report.duplicates[0].row == 5 and "same name and date of birth as client 1" in report.duplicates[0].reason


def test_a_save_racing_another_desks_a_number_is_refused_by_the_index(desks, monkeypatch):
    first = desks[0].clients.create(ClientDraft(given_name="Ana", family_name="Ruiz", a_number="A012345678"))
    monkeypatch.setattr(type(desks[1].clients), "_refuse_duplicate_a_number", lambda *args: None)
    with pytest.raises(ValidationError, match=f"client {first.id}"):
        desks[1].clients.create(ClientDraft(given_name="Luis", family_name="Vega", a_number="A012345678"))
    assert desks[1].clients.count() == 1


def test_a_common_name_lists_its_first_three_matches_as_on_sqlite(desks, tmp_path):
    """PostgreSQL answers the import's conflict look-ups in rows, SQLite in one JSON text each: the
    report reads the same (tests/services/test_import_conflicts.py)."""
    from kantor_cases.domain.records import PartyDraft, RelatedPersonDraft

    office = desks[0]
    namesakes = [office.clients.create(ClientDraft(given_name="Ana", family_name="Ruiz")).id for _ in range(5)]
    holder = office.clients.create(ClientDraft(given_name="Eva", family_name="Sol")).id
    office.clients.add_related_person(holder, RelatedPersonDraft(given_name="José", family_name="García",
                                                                 relationship="child", a_number="A022222222"))
    parties = [office.settings.save_party(PartyDraft(kind="employer", name="Lan Pham")).id for _ in range(4)]
    path = tmp_path / "in.csv"
    path.write_text("first_name,last_name,a_number\nAna,Ruiz,\nJose,Garcia,A022222222\nLan,Pham,\n", encoding="utf-8")
    report = office.client_csv.import_file(path, dry_run=True)
    first = ", ".join(f"client {number}" for number in namesakes[:3])
    employers = "; ".join(f"employer, no. {number}" for number in parties[:3])
    assert [(c.row, c.reason) for c in report.conflicts] == [
        (2, f"same name as {first} and 2 other clients"),
        (3, f"same A-number as the child of client {holder}; same name as the child of client {holder}"),
        (4, f"same name as an organisation on file ({employers}; 1 more)"),
    ]
