"""A big import runs its conflict check in a worker thread, on a read connection of its own, while
the rows are written: the report lists what the check made before the write would have listed, a
check that fails writes nothing, and the cycle collector, paused while an import works, is on again
afterwards."""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path

import pytest
from test_import_conflicts import records, write

from kantor_cases.domain.errors import DatabaseError, KantorError
from kantor_cases.services import client_csv
from kantor_cases.services.conflicts import BatchStopped

ROWS = [
    ["Jose", "Garcia", "", ""],  # the spouse's name
    ["Pedro", "Ruiz", "011-111-111", ""],  # the spouse's A-number
    ["Lan", "Pham", "", ""],  # an organisation's name
    ["Maria", "Garcia", "", "1970-01-01"],  # a client's name, another birthday
    ["Ana", "Ruiz", "", ""],  # nobody
]


@pytest.fixture
def big(monkeypatch):
    """Every import counts as big: its conflict check goes to the worker."""
    monkeypatch.setattr(client_csv, "OVERLAP_CHECK_ROWS", 1)


def test_a_big_import_lists_the_conflicts_a_dry_run_lists(office, tmp_path, big):
    maria, party = records(office)
    path = write(tmp_path / "in.csv", ROWS)
    dry = office.client_csv.import_file(path, dry_run=True)
    report = office.client_csv.import_file(path)
    assert report.imported == 5 and report.conflicts == dry.conflicts
    assert [(c.row, c.reason) for c in report.conflicts] == [
        (2, f"same name as the spouse of client {maria}"),
        (3, f"same A-number as the spouse of client {maria}"),
        (4, f"same name as an organisation on file (employer, no. {party})"),
        (5, f"same name as client {maria}"),
    ]


def test_the_conflicts_of_rows_found_to_be_late_duplicates_are_left_out(office, tmp_path, big, monkeypatch):
    maria, _party = records(office)
    check = client_csv._without_duplicates
    checks = []

    def check_then_another_desk_saves(existing, rows):
        checks.append(check(existing, rows))
        if len(checks) == 1:  # passed while reading; now another desk saves the spouse's namesake
            from kantor_cases.domain.records import ClientDraft
            office.clients.create(ClientDraft(given_name="Jose", family_name="Garcia", a_number="A022222222"))
        return checks[-1]

    monkeypatch.setattr(client_csv, "_without_duplicates", check_then_another_desk_saves)
    report = office.client_csv.import_file(write(tmp_path / "in.csv", [["Jose", "Garcia", "022-222-222", ""],
                                                                       ["Maria", "Garcia", "", ""]]))
    assert (report.imported, [d.row for d in report.duplicates]) == (1, [2])
    assert [(c.row, c.reason) for c in report.conflicts] == [(3, f"same name as client {maria}")]


def test_a_conflict_check_that_fails_in_the_worker_writes_nothing(office, tmp_path, big, monkeypatch):
    records(office)
    before = office.clients.count()

    def fails(*_args, **_kwargs):
        raise DatabaseError("The office database is locked by another program.")

    monkeypatch.setattr(client_csv, "batch_matches", fails)
    with pytest.raises(DatabaseError):
        office.client_csv.import_file(write(tmp_path / "in.csv", ROWS))
    assert office.clients.count() == before and office.search.search("Pedro Ruiz") == []
    assert not list(Path(office.database.path).parent.glob("**/*before-import*")), "its backup was kept"


def test_the_collector_is_on_again_after_an_import_and_after_a_refused_one(office, tmp_path):
    was = gc.isenabled()  # off while the window's tests run (their collector runs on the GUI thread)
    gc.enable()
    try:
        office.client_csv.import_file(write(tmp_path / "in.csv", ROWS))
        assert gc.isenabled()
        bad = tmp_path / "bad.csv"
        bad.write_text("no,header\n", encoding="utf-8")
        with pytest.raises(client_csv.CsvRefused):
            office.client_csv.import_file(bad)
        assert gc.isenabled()
    finally:
        if not was:
            gc.disable()


def test_a_collector_someone_else_turned_off_stays_off(office, tmp_path):
    gc.disable()
    try:
        office.client_csv.import_file(write(tmp_path / "in.csv", ROWS))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_cancelled_big_import_tells_its_conflict_check_to_stop(office, tmp_path, big, monkeypatch):
    """The user who cancels does not wait for the rest of the check: it is told to stop, and does."""
    told = threading.Event()

    def a_long_check(connection, people, should_stop):
        for _step in range(600):  # stops within a look-up of being told (a minute if it never is)
            if should_stop():
                told.set()
                raise BatchStopped()
            time.sleep(0.1)
        raise AssertionError("never told to stop")

    monkeypatch.setattr(client_csv, "batch_matches", a_long_check)
    with pytest.raises(KantorError, match="Import cancelled; nothing was imported"):
        office.client_csv.import_file(write(tmp_path / "in.csv", ROWS), progress=lambda _done, _total: False)
    assert told.is_set() and office.clients.count() == 0


def test_the_batch_check_stops_before_its_next_look_up_when_told(office):
    from kantor_cases.services.conflicts import BatchPerson, batch_conflicts

    people = [BatchPerson(2, "ana ruiz", "ana ruiz", None)]
    with office.database.read() as session, pytest.raises(BatchStopped):
        batch_conflicts(session.connection(), people, frozenset(), lambda: True)
    with office.database.read() as session:
        assert batch_conflicts(session.connection(), people, frozenset(), lambda: False) == []



class _Timeline:
    """When the conflict check first reads the office: were the rows in (their search index being
    built), were they written, and had the safety backup's pages passed their check?"""

    def __init__(self, monkeypatch):
        from kantor_cases.services import conflicts

        self.rows_in = threading.Event()
        self.rows_written = threading.Event()
        self.pages_checked = threading.Event()
        self.looking = threading.Event()
        self.seen: list[tuple[bool, bool, bool]] = []
        write_rows = client_csv.ClientCsvService._write_rows
        pages_sound = client_csv._SafetyBackup._pages_sound

        def writing(service, connection, rows, entries, source, progress, rows_in=None):
            def in_now():
                self.rows_in.set()
                if rows_in is not None:
                    rows_in()
                self.while_indexing()

            write_rows(service, connection, rows, entries, source, progress, in_now)
            self.rows_written.set()

        def checked(backup, path):
            self.before_pages_sound()
            self.pages_checked.set()
            pages_sound(backup, path)

        def looking(connection, people, should_stop=None):
            self.seen.append((self.rows_in.is_set(), self.rows_written.is_set(), self.pages_checked.is_set()))
            self.looking.set()
            return conflicts.batch_matches(connection, people, should_stop)

        monkeypatch.setattr(client_csv.ClientCsvService, "_write_rows", writing)
        monkeypatch.setattr(client_csv._SafetyBackup, "_pages_sound", checked)
        monkeypatch.setattr(client_csv, "batch_matches", looking)

    def while_indexing(self):
        pass

    def before_pages_sound(self):
        pass


def test_the_conflict_check_waits_for_the_backups_page_check_and_the_rows_to_be_in(office, tmp_path, big,
                                                                                   monkeypatch):
    """The backup's core is busy with the copy and its check until then (a third busy thread on two
    cores slowed all three), and the rows' inserts need the GIL back after every row: the check reads
    the office while the search index takes the rows, in one statement that lets go of the GIL."""
    records(office)
    timeline = _Timeline(monkeypatch)
    timeline.before_pages_sound = lambda: time.sleep(0.5)  # a page check slower than the reading
    timeline.while_indexing = lambda: timeline.looking.wait(30)  # a search index that takes a while
    report = office.client_csv.import_file(write(tmp_path / "in.csv", ROWS))
    assert report.imported == 5 and len(report.conflicts) == 4
    assert timeline.seen == [(True, False, True)]


def test_the_conflict_check_starts_once_the_rows_are_written_if_the_page_check_is_slower(office, tmp_path, big,
                                                                                          monkeypatch):
    records(office)
    timeline = _Timeline(monkeypatch)
    timeline.before_pages_sound = lambda: timeline.looking.wait(30)
    report = office.client_csv.import_file(write(tmp_path / "in.csv", ROWS))
    assert report.imported == 5 and len(report.conflicts) == 4
    assert timeline.seen == [(True, True, False)]


def test_the_conflict_check_waits_for_the_rows_to_be_in_even_when_the_copy_is_sound_at_once(
        office, db_path, tmp_path, big, monkeypatch):
    """In an office whose start-up check has passed the copy is sound as soon as it is made: the
    check still waits until the rows are in, since the reading, the search entries and the inserts
    need the GIL its own Python would take."""
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    records(office)
    office.close()
    reopened = Office.open(locations.resolve(str(db_path)), "Ana")
    try:
        assert reopened.database.integrity.verdict() == []
        timeline = _Timeline(monkeypatch)
        reading = client_csv.ClientCsvService._read

        def slow_reading(service, *args, **kwargs):
            parsed = reading(service, *args, **kwargs)
            assert timeline.pages_checked.wait(30)  # the copy is sound before the rows are even read
            return parsed

        search_entry = client_csv._search_entry

        def slow_search_entry(row):  # the search entries take a while, as 100,000 of them do
            time.sleep(0.1)
            return search_entry(row)

        monkeypatch.setattr(client_csv.ClientCsvService, "_read", slow_reading)
        monkeypatch.setattr(client_csv, "_search_entry", slow_search_entry)
        timeline.while_indexing = lambda: timeline.looking.wait(30)
        report = reopened.client_csv.import_file(write(tmp_path / "in.csv", ROWS))
        assert report.imported == 5 and len(report.conflicts) == 4
        assert timeline.seen == [(True, False, True)]
    finally:
        reopened.close()
