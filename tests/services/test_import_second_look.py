"""Under the write lock an import looks for duplicates again only if something was committed since
its first look (SQLite's data_version says so): whoever commits in between — another desk, this
desk's own other window, another program writing the file without the app — is still caught."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kantor_cases.db import office_keys
from kantor_cases.domain.records import ClientDraft
from kantor_cases.services import client_csv, locations
from kantor_cases.services.office import Office


def write(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([["first_name", "last_name", "a_number", "date_of_birth"], *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def looks(monkeypatch):
    """Every duplicate look the import makes; `between` runs right after the first."""
    check = client_csv._without_duplicates
    made: list[int] = []
    between: list = []

    def counted(existing, rows):
        found = check(existing, rows)
        made.append(len(rows))
        if len(made) == 1 and between:
            between[0]()
        return found

    monkeypatch.setattr(client_csv, "_without_duplicates", counted)
    return made, between


def test_with_nothing_committed_in_between_the_rows_are_looked_up_once(office, tmp_path, looks):
    # Without the safety backup: its checkpoint empties the -wal, which SQLite counts as a change
    # (a big file's reading takes long enough for the checkpoint to come first; two rows' does not).
    office.client_csv._backup = None
    made, _between = looks
    office.clients.create(ClientDraft(given_name="Ana", family_name="Ruiz", a_number="A012345678"))
    report = office.client_csv.import_file(write(tmp_path / "in.csv", [["Ana", "Ruiz", "A012345678", ""],
                                                                       ["Luis", "Mora", "", ""]]))
    assert (report.imported, report.skipped_duplicates, made) == (1, 1, [2])


def test_a_save_through_the_same_office_in_between_is_caught(office, tmp_path, looks):
    made, between = looks
    between.append(lambda: office.clients.create(ClientDraft(given_name="Otra", family_name="Persona",
                                                             a_number="A022222222")))
    report = office.client_csv.import_file(write(tmp_path / "in.csv", [["Luis", "Mora", "A022222222", ""],
                                                                       ["Ana", "Ruiz", "", ""]]))
    assert (report.imported, made) == (1, [2, 2])
    assert [(d.row, d.reason) for d in report.duplicates] == [(2, "A022-222-222 is already client 1")]


def test_another_program_writing_the_file_in_between_is_caught(db_path, tmp_path, looks):
    """No audit row, no app: a name and birthday changed with plain SQL still counts as a commit."""
    made, between = looks
    Office.open(locations.resolve(str(db_path)), "Ana").close()
    office = Office.open(locations.resolve(str(db_path)), "Ana")
    try:
        other = office.clients.create(ClientDraft(given_name="Otra", family_name="Persona"))

        def another_program() -> None:
            connection = office_keys.connect(db_path, None)
            with connection:
                connection.execute("UPDATE clients SET name_folded = 'ana ruiz', date_of_birth = '1980-02-02' "
                                   "WHERE id = ?", (other.id,))
            connection.close()

        between.append(another_program)
        report = office.client_csv.import_file(write(tmp_path / "in.csv", [["Ana", "Ruiz", "", "1980-02-02"]]))
        assert (report.imported, made) == (0, [1, 1])
        assert [d.reason for d in report.duplicates] == [f"same name and date of birth as client {other.id}"]
    finally:
        office.close()


def test_a_big_files_search_entries_are_worked_out_while_its_duplicates_are_looked_up(office, tmp_path,
                                                                                     monkeypatch):
    """The look-up is two statements SQLite works out without the GIL, on a connection of its own; the
    entries are Python. A look-up that waits for the first entry would wait in vain if they took turns."""
    import threading

    monkeypatch.setattr(client_csv, "OVERLAP_CHECK_ROWS", 1)
    office.clients.create(ClientDraft(given_name="Ana", family_name="Ruiz", a_number="A011111111"))
    entries_begun = threading.Event()
    search_entry, existing_clients = client_csv._search_entry, client_csv._existing_clients
    waited: list[bool] = []

    def entry(row):
        entries_begun.set()
        return search_entry(row)

    def looking(connection, rows):
        waited.append(entries_begun.wait(10))
        return existing_clients(connection, rows)

    monkeypatch.setattr(client_csv, "_search_entry", entry)
    monkeypatch.setattr(client_csv, "_existing_clients", looking)
    report = office.client_csv.import_file(write(tmp_path / "in.csv", [["Eva", "Sol", "", ""],
                                                                       ["Ana", "Ruiz", "011-111-111", ""]]))
    assert waited[0] is True
    assert (report.imported, [d.row for d in report.duplicates]) == (1, [3])
    assert "A011-111-111 is already client 1" in report.duplicates[0].reason


def test_the_duplicate_look_ups_seek_each_key_in_its_index(office):
    """Every key of a 100,000-row file goes to SQLite in one JSON text per look-up: each statement must
    drive from the keys into the A-number and name-and-birth-date indexes, never read the clients."""
    from datetime import date

    from sqlalchemy import event

    office.clients.create(ClientDraft(given_name="Ana", family_name="Ruiz", a_number="A011111111"))
    rows = [client_csv.ParsedRow(2, ClientDraft(given_name="Eva", family_name="Sol", a_number="A011111111",
                                                date_of_birth=date(1980, 1, 2)),
                                 {"name_folded": "eva sol"})]
    statements: list[tuple[str, tuple]] = []

    def seen(_connection, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event.listen(office.database.engine, "before_cursor_execute", seen)
    try:
        with office.database.read() as session:
            existing = client_csv._existing_clients(session.connection(), rows)
            plans = [" ".join(row[3] for row in session.connection().exec_driver_sql(
                f"EXPLAIN QUERY PLAN {statement}", parameters)) for statement, parameters in list(statements)
                if "json_each" in statement]
    finally:
        event.remove(office.database.engine, "before_cursor_execute", seen)
    assert existing == ({"A011111111": 1}, {})
    assert len(plans) == 2
    assert "USING COVERING INDEX ix_clients_a_number (a_number=?)" in plans[0]
    assert "USING COVERING INDEX ix_clients_name_dob (name_folded=? AND date_of_birth=?)" in plans[1]
    assert not any("SCAN c" in plan or "SCAN clients" in plan for plan in plans)
