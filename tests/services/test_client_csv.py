"""CSV import and export as an office does it with Excel: encodings, bad rows, duplicates, backups."""

from __future__ import annotations

from pathlib import Path

import pytest

from kantor_cases.domain.errors import KantorError
from kantor_cases.services import locations
from kantor_cases.services.office import Office

HEADER = ("first_name,middle_name,last_name,second_last_name,a_number,date_of_birth,country_of_birth,"
          "preferred_language,phone,email,street,city,state,postal_code,notes")

GOOD = [
    "María,,García,López,A 012-345-678,1980-04-02,Mexico,es,(213) 555-0134,maria@example.com,1 Main St,"
    "Los Angeles,CA,90012,Referred by church",
    "Armen,,Petrosyan,,087654321,7/4/1975,Armenia,en,818-555-0101,,22 Brand Blvd,Glendale,ca,91203,",
    'Hương,Thị,Nguyễn,,,3/1/1990,Vietnam,en,,,"5 Bolsa Ave, Apt 2",Westminster,CA,92683,"says ""hi"""',
]


def write(path: Path, lines: list[str], encoding: str = "utf-8", bom: bool = False, newline: str = "\r\n") -> Path:
    data = newline.join([HEADER, *lines]) + newline
    raw = data.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + raw)
    return path


def test_a_clean_file_imports_every_row_and_takes_a_backup(office, tmp_path):
    report = office.client_csv.import_file(write(tmp_path / "c.csv", GOOD, bom=True))
    assert (report.rows, report.imported, report.rejected) == (3, 3, 0)
    assert Path(report.backup).exists() and "before-import" in report.backup
    assert office.search.search("A012345678")[0].name == "María García López"
    hương = office.search.search("nguyen")[0]
    assert office.clients.get(hương.id).street == "5 Bolsa Ave, Apt 2"


def test_windows_1252_from_excel_is_read_when_asked_and_refused_otherwise(office, tmp_path):
    lines = ["José,,Núñez,,,1/2/1970,Mexico,es,,,,,CA,,"]
    path = write(tmp_path / "w.csv", lines, encoding="cp1252")
    with pytest.raises(KantorError, match="is not UTF-8: line 2 has the byte 0xE9"):
        office.client_csv.import_file(path)
    report = office.client_csv.import_file(path, encoding="cp1252")
    assert report.imported == 1
    assert office.search.search("jose nunez")[0].name == "José Núñez"


def test_one_bad_row_means_nothing_is_written_and_every_problem_is_listed(office, tmp_path):
    bad = [*GOOD,
           ",,,,,,,,,,,,,,",  # blank row: ignored
           "Bad,,Date,,A12,2026-02-30,,,,,,,,,",  # two problems in one row: both are listed
           "Bad,,Anumber,,A12,,,,,,,,,,",
           "Bad,,Email,,,,,,,not-an-email,,,,,",
           "Bad,,Future,,,2099-01-01,,,,,,,,,",
           "Too,,Many,,,,,,,,,,,,,extra,cells"]
    report = office.client_csv.import_file(write(tmp_path / "bad.csv", bad))
    assert report.imported == 0 and office.clients.count() == 0
    assert report.backup == "" and office.backups.list() == [], "a backup of an import that did not happen was kept"
    problems = {(p.row, p.column) for p in report.problems}
    assert {(6, "date_of_birth"), (6, "a_number"), (7, "a_number"), (8, "email"), (9, "date_of_birth")} <= problems
    assert any(p.row == 10 and "cells" in p.reason for p in report.problems)


def test_skip_invalid_imports_the_good_rows_and_still_lists_the_bad(office, tmp_path):
    report = office.client_csv.import_file(write(tmp_path / "mix.csv", [*GOOD, "Bad,,Anumber,,A12,,,,,,,,,,"]),
                                           skip_invalid=True)
    assert report.imported == 3 and report.rejected == 1 and office.clients.count() == 3


def test_dry_run_writes_nothing(office, tmp_path):
    report = office.client_csv.import_file(write(tmp_path / "dry.csv", GOOD), dry_run=True)
    assert report.dry_run and report.imported == 0 and office.clients.count() == 0
    assert office.backups.list() == []


def test_duplicates_in_the_file_and_in_the_database_are_never_inserted_twice(office, tmp_path):
    file = write(tmp_path / "dup.csv", [*GOOD, GOOD[0].replace("María", "Maria"),
                                        "Armen,,Petrosyan,,,7/4/1975,Armenia,en,,,,,,,"])
    first = office.client_csv.import_file(file)
    assert first.imported == 3 and first.skipped_duplicates == 2
    again = office.client_csv.import_file(file)
    assert again.imported == 0 and again.skipped_duplicates == 5
    assert office.clients.count() == 3


def test_missing_or_headerless_files_are_plain_errors(office, tmp_path):
    with pytest.raises(KantorError, match="does not exist"):
        office.client_csv.import_file(tmp_path / "nope.csv")
    headerless = tmp_path / "headerless.csv"
    headerless.write_text("María,García\n")
    with pytest.raises(KantorError, match="first row must name the columns"):
        office.client_csv.import_file(headerless)


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_file(office, tmp_path):
    office.client_csv.import_file(write(tmp_path / "c.csv", GOOD))
    first_export = tmp_path / "first.csv"
    assert office.client_csv.export_file(first_export) == 3
    fresh = Office.open(locations.resolve(str(tmp_path / "fresh" / "k.sqlite3")), "Ana")
    try:
        assert fresh.client_csv.import_file(first_export).imported == 3
        second_export = tmp_path / "second.csv"
        fresh.client_csv.export_file(second_export)
    finally:
        fresh.close()
    assert first_export.read_bytes() == second_export.read_bytes()
    assert "Nguyễn" in first_export.read_text(encoding="utf-8-sig")


def test_an_import_whose_safety_backup_fails_writes_nothing(office, tmp_path):
    def broken_backup(reason: str, should_stop=None, copied=None, **_more) -> None:
        raise KantorError("Cannot write the backup: the disk is full.")

    office.client_csv._backup = broken_backup
    with pytest.raises(KantorError, match="disk is full"):
        office.client_csv.import_file(write(tmp_path / "c.csv", GOOD))
    assert office.clients.count() == 0 and office.search.search("García") == []


def test_a_cancelled_import_writes_nothing_and_leaves_no_backup_behind(office, tmp_path):
    with pytest.raises(KantorError, match="cancelled"):
        office.client_csv.import_file(write(tmp_path / "c.csv", GOOD), progress=lambda done, total: False)
    assert office.clients.count() == 0 and office.backups.list() == []
    assert office.client_csv.import_file(write(tmp_path / "c.csv", GOOD)).imported == 3


def test_an_export_in_privacy_mode_masks_sensitive_clients_only(office, tmp_path):
    import csv as csv_module

    from kantor_cases.domain.records import ClientDraft

    office.client_csv.import_file(write(tmp_path / "c.csv", GOOD))
    office.clients.create(ClientDraft(given_name="Thảo", family_name="Trần", a_number="A098765432", sensitive=True,
                                      city="Westminster"))
    masked = tmp_path / "masked.csv"
    assert office.client_csv.export_file(masked, mask_sensitive=True) == 4
    rows = list(csv_module.DictReader(masked.read_text(encoding="utf-8-sig").splitlines()))
    thao = rows[-1]
    assert (thao["first_name"], thao["last_name"], thao["a_number"]) == ("(confidential)", "", "")
    assert thao["city"] == "Westminster"
    assert "Trần" not in masked.read_text(encoding="utf-8-sig") and "098765432" not in masked.read_text(
        encoding="utf-8-sig")
    assert rows[0]["last_name"] == "García" and rows[0]["a_number"] == "A012345678", "other clients were masked"
    plain = tmp_path / "plain.csv"
    office.client_csv.export_file(plain)
    assert "Trần" in plain.read_text(encoding="utf-8-sig")


def test_a_big_import_written_while_its_backup_is_checked_commits_nothing_if_the_check_fails(
        office, tmp_path, monkeypatch):
    """From OVERLAP_CHECK_ROWS rows on, the rows are written while the copy is checked; a copy that
    fails its check (the office is damaged) means the rows are rolled back, not committed."""
    from kantor_cases.domain.errors import DamagedDatabaseError
    from kantor_cases.services import client_csv

    monkeypatch.setattr(client_csv, "OVERLAP_CHECK_ROWS", 1)
    written_before_verdict = []

    def backup_whose_check_fails(reason: str, should_stop=None, copied=None, **_more) -> None:
        copied()
        written_before_verdict.append(True)
        raise DamagedDatabaseError("The backup just taken failed its check.")

    office.client_csv._backup = backup_whose_check_fails
    with pytest.raises(DamagedDatabaseError):
        office.client_csv.import_file(write(tmp_path / "c.csv", GOOD))
    assert written_before_verdict and office.clients.count() == 0 and office.search.search("García") == []


def test_a_big_import_commits_once_its_backups_pages_are_checked(office, tmp_path, monkeypatch):
    from kantor_cases.services import client_csv

    monkeypatch.setattr(client_csv, "OVERLAP_CHECK_ROWS", 1)
    report = office.client_csv.import_file(write(tmp_path / "c.csv", GOOD))
    assert report.imported == 3 and Path(report.backup).exists() and office.clients.count() == 3
    assert office.integrity_checked and office.damage_notice() == ""
    assert report.backup_check is not None and report.backup_check() == report.backup


def test_a_write_the_database_refuses_for_another_reason_is_not_blamed_on_another_desk(office, tmp_path):
    """Only the A-number index means "another desk saved one of these clients"; anything else the
    database refuses is said as what it is, without the rows' contents, and nothing is written."""
    with office.database.write() as session:
        session.connection().exec_driver_sql(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON clients WHEN NEW.family_name = 'Petrosyan' "
            "BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END")
    with pytest.raises(KantorError) as raised:
        office.client_csv.import_file(write(tmp_path / "c.csv", GOOD))
    message = str(raised.value)
    assert "Another desk" not in message and "nothing was imported" in message
    assert "Petrosyan" not in message and "refused by a test trigger" not in message
    assert office.clients.count() == 0


def test_an_a_number_the_checks_missed_is_caught_by_the_unique_index_and_said_so(office, tmp_path, monkeypatch):
    from kantor_cases.domain.records import ClientDraft
    from kantor_cases.services import client_csv

    office.clients.create(ClientDraft(given_name="Otra", family_name="Persona", a_number="A012345678"))
    # As if another desk's save had slipped past the check made under the write lock.
    monkeypatch.setattr(client_csv, "_without_duplicates", lambda _existing, rows: (rows, []))
    with pytest.raises(KantorError, match="Another desk saved a client with one of these A-numbers"):
        office.client_csv.import_file(write(tmp_path / "c.csv", GOOD))
    assert office.clients.count() == 1
