"""A big import's safety backup is checked in two steps: the rows are committed once the copy's pages
are sound, and the copy's tables are checked against their indexes after that — a failure there is
still said, and the copy deleted."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from tests.db.test_backup import open_office_with_a_damaged_index
from tests.services.test_client_csv import GOOD, write


@pytest.fixture
def big(monkeypatch):
    """Every import counts as big (from OVERLAP_CHECK_ROWS rows on)."""
    from kantor_cases.services import client_csv

    monkeypatch.setattr(client_csv, "OVERLAP_CHECK_ROWS", 1)


def test_a_big_import_is_in_the_office_before_its_backups_tables_are_checked(office, tmp_path, big, monkeypatch):
    from kantor_cases.db import backup

    clients_when_tables_checked = []
    examine = backup._examine

    def watching(path, key=None, pages=True, rows=True):
        if rows:
            clients_when_tables_checked.append(office.clients.count())
        return examine(path, key, pages, rows)

    monkeypatch.setattr(backup, "_examine", watching)

    report = office.client_csv.import_file(write(tmp_path / "c.csv", GOOD))
    assert report.imported == 3 and office.clients.count() == 3
    assert report.backup_check is not None
    assert report.backup_check() == report.backup and Path(report.backup).exists()
    assert clients_when_tables_checked == [3]
    copy = sqlcipher3.connect(f"file:{report.backup}?mode=ro", uri=True)  # the office before the import
    try:
        assert copy.execute("SELECT count(*) FROM clients").fetchone() == (0,)
    finally:
        copy.close()


def test_a_small_import_waits_for_the_whole_check_before_it_writes(office, tmp_path):
    report = office.client_csv.import_file(write(tmp_path / "c.csv", GOOD))
    assert report.imported == 3 and report.backup_check is None and Path(report.backup).exists()


def test_a_big_import_into_an_office_whose_index_is_damaged_is_in_and_the_damage_is_said(db_path, tmp_path,
                                                                                        monkeypatch, big):
    """Only each table's check against its indexes sees the damage (every page is sound): it comes
    after the commit, so the rows are in; the copy of a damaged office is deleted and the person told
    to run check."""
    from kantor_cases.domain.errors import DamagedDatabaseError

    office = open_office_with_a_damaged_index(db_path)
    try:
        report = office.client_csv.import_file(write(tmp_path / "c.csv", GOOD))
        assert report.imported == 3 and office.clients.count() == 6
        with pytest.raises(DamagedDatabaseError, match="ix_clients_family_folded.*deleted.*kantor-cases check"):
            report.backup_check()
        assert office.backups.list() == []
    finally:
        office.close()


def test_after_a_big_import_the_office_checkpoints_as_before_and_the_rows_reach_the_file(office, tmp_path, big,
                                                                                          db_path):
    """The import's commit leaves its pages in the -wal (no checkpoint inside the commit); they are
    folded into the file just after, and the connection it used checkpoints on its own again."""
    import threading

    from sqlalchemy import text

    report = office.client_csv.import_file(write(tmp_path / "c.csv", GOOD))
    report.backup_check()
    for thread in threading.enumerate():
        if thread.name == "import-checkpoint":
            thread.join(10)
    # Every pooled connection (the import's among them) is back to SQLite's automatic checkpoints.
    sessions = [office.database.read() for _ in range(3)]
    try:
        settings = [session.__enter__().execute(text("PRAGMA wal_autocheckpoint")).scalar_one() for session in sessions]
    finally:
        for session in reversed(sessions):
            session.__exit__(None, None, None)
    assert settings == [1000, 1000, 1000]
    # The database file on its own (without its -wal) holds the imported rows.
    alone = tmp_path / "file-alone.sqlite3"
    alone.write_bytes(db_path.read_bytes())
    reader = sqlcipher3.connect(str(alone))
    try:
        assert reader.execute("SELECT count(*) FROM clients").fetchone() == (3,)
    finally:
        reader.close()



@pytest.fixture(params=[False])
def reopened(request, office, db_path):
    """The office opened again, as every start after the first opens it: with its start-up check
    (started, or with the parameter True not started yet, as the window leaves it until it has
    painted)."""
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    office.close()
    again = Office.open(locations.resolve(str(db_path)), "Ana", check_later=request.param)
    yield again
    again.close()


def _steps_of_the_check(monkeypatch, office) -> list[tuple[bool, bool, int | None]]:
    """Each step of the safety backup's check as (pages, rows, clients in the office when it ran)."""
    from kantor_cases.db import backup

    steps = []
    examine = backup._examine

    def watching(path, key=None, pages=True, rows=True):
        steps.append((pages, rows, office.clients.count()))
        return examine(path, key, pages, rows)

    monkeypatch.setattr(backup, "_examine", watching)
    return steps


def test_a_big_import_into_an_office_already_checked_checks_the_copy_whole_after_the_commit(
        reopened, tmp_path, big, monkeypatch):
    """As in the window, where the office's own quick_check ran at sign-in: the copy, read back equal
    to those pages, is checked whole after the commit instead of page by page before it."""
    assert reopened.database.integrity.verdict() == []  # the start-up check is done
    steps = _steps_of_the_check(monkeypatch, reopened)
    report = reopened.client_csv.import_file(write(tmp_path / "c.csv", GOOD))
    assert report.imported == 3 and report.backup_check() == report.backup
    assert steps == [(True, True, 3)]


@pytest.mark.parametrize("reopened", [True], indirect=True)  # its start-up check not done yet
def test_a_big_import_into_an_office_still_being_checked_checks_the_copys_pages_first(reopened, tmp_path, big,
                                                                                       monkeypatch):
    assert not reopened.database.integrity.passed()
    steps = _steps_of_the_check(monkeypatch, reopened)
    report = reopened.client_csv.import_file(write(tmp_path / "c.csv", GOOD))
    assert report.imported == 3 and report.backup_check() == report.backup
    assert steps == [(True, False, 0), (False, True, 3)]
