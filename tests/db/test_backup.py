"""Backups: online backup, verification, rotation, and the backup → restore round trip."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kantor_cases.db.backup import BackupInfo, RotationPolicy, backups_to_delete
from kantor_cases.domain.errors import DatabaseError
from tests.faults.fault_checks import client_count


@pytest.fixture
def office(office):
    """The office acting as Ruth, its administrator once added (restoring a backup is an administrator's)."""
    office.user = "Ruth"
    return office


def add_user(office, name: str) -> None:
    with office.database.write() as session:
        session.execute(__import__("sqlalchemy").text(
            "INSERT INTO users (name, initials, role, email, bar_number, active, version, created_at, "
            "created_by, updated_at, updated_by) VALUES (:n, '', :r, '', '', 1, 1, '2026-01-01', 'x', "
            "'2026-01-01', 'x')"), {"n": name, "r": "admin" if name == "Ruth" else "staff"})


def user_names(office) -> list[str]:
    with office.database.read() as session:
        return list(session.execute(__import__("sqlalchemy").text("SELECT name FROM users ORDER BY name"))
                    .scalars())


def test_backup_then_restore_brings_back_the_data(office, tmp_path: Path):
    add_user(office, "Ruth")
    result = office.backups.back_up()
    assert result.row_counts["users"] == 1
    add_user(office, "Mallory")
    assert user_names(office) == ["Mallory", "Ruth"]

    restored = office.backups.restore(result.path)

    assert user_names(office) == ["Ruth"]
    # The data that was replaced is kept in a safety backup.
    assert restored.path.exists() and "before-restore" in restored.path.name


def test_a_restore_is_in_the_restored_offices_audit_trail_with_who_did_it(office):
    from kantor_cases.services import audit

    result = office.backups.back_up()
    office.backups.restore(result.path)
    [restore] = [entry for entry in audit.events(office.database) if entry.action == "restore"]
    assert restore.user_name == office.user and result.path.name in restore.summary


def test_restore_refuses_a_file_that_is_not_a_backup(office, tmp_path: Path):
    add_user(office, "Ruth")
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("hello")
    with pytest.raises(DatabaseError):
        office.backups.restore(bogus)
    assert user_names(office) == ["Ruth"]


def test_rotation_keeps_one_per_period_and_never_touches_safety_or_manual_backups():
    start = datetime(2026, 11, 29, 12, 0)
    infos = [BackupInfo(Path(f"b{i}"), start - timedelta(minutes=20 * i), 1, "auto") for i in range(400)]
    infos.append(BackupInfo(Path("upgrade"), start - timedelta(days=300), 1, "before-upgrade-0001"))
    infos.append(BackupInfo(Path("manual"), start - timedelta(days=200), 1, "manual"))
    doomed = {info.path for info in backups_to_delete(infos, RotationPolicy(hourly=3, daily=2, weekly=1,
                                                                            monthly=1))}
    kept = [info for info in infos if info.path not in doomed]
    assert {Path("upgrade"), Path("manual")} <= {info.path for info in kept}
    # 3 hourly (12:00, 11:40→11:00 bucket, 10:xx) and 2 daily overlap with the newest; far fewer remain.
    assert 5 <= len(kept) <= 9
    assert kept[0].path == Path("b0")


def test_two_offices_in_one_folder_keep_their_backups_and_letters_apart(tmp_path: Path):
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    default = locations.resolve(str(tmp_path / "kantor-cases.sqlite3"))
    other = locations.resolve(str(tmp_path / "training.sqlite3"))
    assert default.backups == tmp_path / "backups" and default.documents == tmp_path / "documents"
    assert other.backups == tmp_path / "backups" / "training"
    assert other.documents == tmp_path / "documents" / "training"
    first, second = Office.open(default, "Ana"), Office.open(other, "Ana")
    try:
        first.backups.back_up()
        assert len(first.backups.list()) == 1 and second.backups.list() == []
    finally:
        first.close()
        second.close()


def test_a_backup_asked_to_stop_half_way_leaves_nothing_behind(office, tmp_path: Path, monkeypatch):
    from kantor_cases.db import backup as backup_module
    from kantor_cases.domain.records import ClientDraft

    for number in range(300):
        office.clients.create(ClientDraft(given_name=f"Client{number}", family_name="Reyes", notes="x" * 2000))
    monkeypatch.setattr(backup_module, "STOPPABLE_STEP_PAGES", 8)  # many steps even for a small office
    steps = []

    def stop_after_two_steps() -> bool:
        steps.append(1)
        return len(steps) > 2

    target = tmp_path / "copies" / "copy.sqlite3"
    with pytest.raises(backup_module.BackupStopped):
        backup_module.verified_online_backup(office.database.path, target, stop_after_two_steps)
    assert list(target.parent.iterdir()) == [], "a partial backup was left behind"
    # Not asked to stop, the same step-wise copy is whole and checked.
    counts = backup_module.verified_online_backup(office.database.path, target, lambda: False)
    assert counts["clients"] == 300 and target.exists()


# --- every backup is a file of its own ---------------------------------------------------------------


def freeze_clock(monkeypatch, when: datetime = datetime(2026, 12, 6, 16, 4, 53, 123_456)) -> datetime:
    """Every backup from now on is taken "in the same millisecond"."""
    from kantor_cases.db import backup as backup_module

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN206 - datetime's own signature
            return when

    monkeypatch.setattr(backup_module, "datetime", Frozen)
    return when


def test_two_restores_in_the_same_instant_keep_both_safety_copies(office, monkeypatch):
    add_user(office, "Ruth")
    older = office.backups.back_up()
    add_user(office, "Mallory")
    freeze_clock(monkeypatch)

    first = office.backups.restore(older.path)  # its safety copy is the only one holding Mallory
    second = office.backups.restore(older.path)

    assert first.path != second.path and first.path.exists() and second.path.exists()
    office.backups.restore(first.path)
    assert user_names(office) == ["Mallory", "Ruth"]


def test_two_backups_taken_at_once_in_one_millisecond_are_two_whole_files(office, monkeypatch):
    """Two imports at once: each safety backup is written, checked and kept on its own."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from kantor_cases.db.backup import verify_backup

    add_user(office, "Ruth")
    freeze_clock(monkeypatch)
    together = threading.Barrier(2)

    def take():
        together.wait(10)
        return office.backups.back_up(reason="before-import")

    with ThreadPoolExecutor(2) as pool:
        results = [future.result() for future in [pool.submit(take), pool.submit(take)]]

    assert len({result.path for result in results}) == 2
    assert [verify_backup(result.path)["users"] for result in results] == [1, 1]
    assert sorted(info.path for info in office.backups.list()) == sorted(result.path for result in results)
    assert not list(office.backups.folder.glob("*.partial*"))


def test_a_backup_never_replaces_a_file_that_has_its_name(office, monkeypatch):
    """Another desk (or process) took a backup in the same millisecond: both stay."""
    from kantor_cases.db.backup import backup_file_name

    when = freeze_clock(monkeypatch)
    theirs = office.backups.folder / backup_file_name("manual", when)
    theirs.parent.mkdir(parents=True, exist_ok=True)
    theirs.write_bytes(b"another desk's backup")
    add_user(office, "Ruth")

    mine = office.backups.back_up()

    assert theirs.read_bytes() == b"another desk's backup"
    assert mine.path != theirs and mine.row_counts["users"] == 1
    assert {info.path for info in office.backups.list()} == {theirs, mine.path}


def test_backup_out_never_replaces_a_file_even_one_that_appears_during_the_copy(office, tmp_path, monkeypatch):
    from kantor_cases.db import backup as backup_module
    from kantor_cases.domain.errors import KantorError
    from kantor_cases.domain.records import ClientDraft

    existing = tmp_path / "mine.sqlite3"
    existing.write_bytes(b"my thesis")
    with pytest.raises(KantorError, match="already exists"):
        office.backups.back_up(existing)
    assert existing.read_bytes() == b"my thesis"

    for number in range(50):
        office.clients.create(ClientDraft(given_name=f"Client{number}", family_name="Reyes", notes="x" * 2000))
    monkeypatch.setattr(backup_module, "STOPPABLE_STEP_PAGES", 8)
    late = tmp_path / "late.sqlite3"

    def someone_writes_it_meanwhile() -> bool:
        late.write_bytes(b"written meanwhile")
        return False

    with pytest.raises(KantorError, match="already exists"):
        office.backups.back_up(late, should_stop=someone_writes_it_meanwhile)
    assert late.read_bytes() == b"written meanwhile"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["late.sqlite3", "mine.sqlite3", "office"]


def test_on_a_file_system_without_hard_links_backups_are_still_never_replaced(office, monkeypatch):
    """FAT and some network shares refuse hard links (EPERM): names are then claimed with O_EXCL."""
    import errno
    import os

    from kantor_cases.db.backup import backup_file_name

    def no_hard_links(*_args, **_kwargs):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_hard_links)
    when = freeze_clock(monkeypatch)
    theirs = office.backups.folder / backup_file_name("manual", when)
    theirs.parent.mkdir(parents=True, exist_ok=True)
    theirs.write_bytes(b"another desk's backup")
    add_user(office, "Ruth")

    first, second = office.backups.back_up(), office.backups.back_up()

    assert theirs.read_bytes() == b"another desk's backup"
    assert len({theirs, first.path, second.path}) == 3
    assert first.row_counts["users"] == second.row_counts["users"] == 1
    assert not list(office.backups.folder.glob("*.partial*"))


# --- unfinished copies -------------------------------------------------------------------------------------

_KILLED_DURING_ITS_CHECK = """
import os, signal, sys
from pathlib import Path
import sqlcipher3
from kantor_cases.db import backup
real_connect = sqlcipher3.connect
def connect(database, *args, **kwargs):
    if kwargs.get("uri"):  # the check of the finished copy opens it read-only: killed right then
        os.kill(os.getpid(), signal.SIGKILL)
    return real_connect(database, *args, **kwargs)
sqlcipher3.connect = connect
backup.verified_online_backup(Path(sys.argv[1]), Path(sys.argv[2]) / backup.backup_file_name("before-import"))
"""


def test_a_copy_left_by_an_import_killed_during_its_backup_is_removed_at_the_next_start(db_path):
    import os
    import subprocess
    import sys
    import time

    import sqlcipher3

    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    place = locations.resolve(str(db_path))
    office = Office.open(place, "Ana")
    add_user(office, "Ruth")
    office.close()
    killed = subprocess.run([sys.executable, "-c", _KILLED_DURING_ITS_CHECK, str(db_path), str(place.backups)],
                            check=False)
    assert killed.returncode == -9
    [left] = place.backups.iterdir()
    assert left.name.endswith(".partial")
    reader = sqlcipher3.connect(f"file:{left}?mode=ro", uri=True)
    assert reader.execute("SELECT name FROM users").fetchall() == [("Ruth",)]  # the whole office, readable
    reader.close()
    # The name an older version gave its unfinished copy, from a process killed two hours ago.
    older = place.backups / "kantor-cases-20261130-101010-before-import.sqlite3.partial"
    older.write_bytes(left.read_bytes())
    two_hours_ago = time.time() - 7200
    os.utime(older, (two_hours_ago, two_hours_ago))

    Office.open(place, "Ana").close()

    assert list(place.backups.iterdir()) == []


def test_a_backup_in_progress_survives_another_desk_starting(office, db_path, monkeypatch):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from kantor_cases.db import backup as backup_module
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    add_user(office, "Ruth")
    monkeypatch.setattr(backup_module, "STOPPABLE_STEP_PAGES", 1)
    copying, other_desk_started = threading.Event(), threading.Event()

    def wait_for_the_other_desk() -> bool:
        copying.set()
        other_desk_started.wait(10)
        return False

    with ThreadPoolExecutor(1) as pool:
        taking = pool.submit(office.backups.back_up, reason="before-import", should_stop=wait_for_the_other_desk)
        assert copying.wait(10)
        assert list(office.backups.folder.glob("*.partial"))
        Office.open(locations.resolve(str(db_path)), "Ben").close()
        other_desk_started.set()
        result = taking.result(10)
    assert result.row_counts["users"] == 1 and result.path.exists()


# --- verification: integrity_check, foreign_key_check, row counts ------------------------------------------


def _pragma(path: Path, pragma: str) -> list[str]:
    import sqlcipher3

    connection = sqlcipher3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute(f"PRAGMA {pragma}")]
    finally:
        connection.close()


def damage_an_index(path: Path, family_folded: str) -> None:
    """Change one key inside the family-name index of a closed database file: every page stays
    well-formed (quick_check passes), but the index no longer matches the table."""
    import sqlcipher3

    connection = sqlcipher3.connect(str(path))
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_clients_family_folded'").fetchone()[0]
    connection.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    at = data.index(family_folded.encode(), start, start + page_size)
    data[at] = ord("z")
    path.write_bytes(bytes(data))
    assert _pragma(path, "quick_check") == ["ok"]
    assert _pragma(path, "integrity_check")[0].endswith("missing from index ix_clients_family_folded")


def open_office_with_a_damaged_index(db_path: Path):
    """An office of three clients whose family-name index no longer matches its table (every page
    sound), opened as Ana; the caller closes it."""
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    place = locations.resolve(str(db_path))
    office = Office.open(place, "Ana")
    add_clients(office)
    office.close()  # the last connection folds the WAL into the file
    damage_an_index(db_path, "reyes1")
    return Office.open(place, "Ana")


def add_clients(office, count: int = 3) -> None:
    from kantor_cases.domain.records import ClientDraft

    for number in range(count):
        office.clients.create(ClientDraft(given_name="María", family_name=f"Reyes{number}"))


def office_files(db_path: Path) -> dict[str, bytes]:
    # Not the -shm: it is the readers' shared index, and reading who is restoring (their role) marks it.
    return {path.name: path.read_bytes() for path in db_path.parent.iterdir()
            if path.is_file() and not path.name.endswith("-shm")}


def test_restore_refuses_a_backup_with_a_damaged_index_and_changes_nothing(office, db_path):
    add_clients(office)
    damaged = office.backups.back_up().path
    damage_an_index(damaged, "reyes1")
    add_user(office, "Ruth")
    before = office_files(db_path)

    with pytest.raises(DatabaseError, match="integrity_check.*nothing was changed: choose another backup") as refused:
        office.backups.restore(damaged)

    assert "ix_clients_family_folded" in str(refused.value)
    assert office_files(db_path) == before
    assert [info.path for info in office.backups.list()] == [damaged]  # no safety copy was taken
    assert user_names(office) == ["Ruth"]


def test_restore_refuses_a_backup_with_a_row_pointing_at_nothing(office, db_path):
    import sqlcipher3

    from kantor_cases.domain.records import MatterDraft

    add_clients(office, 1)
    with office.database.read() as session:
        client_id = session.execute(__import__("sqlalchemy").text("SELECT id FROM clients")).scalar_one()
    office.matters.create(client_id, MatterDraft(kind="benefit", title="Work permit"))
    broken = office.backups.back_up().path
    connection = sqlcipher3.connect(str(broken), isolation_level=None)
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute("UPDATE matters SET client_id = 999")
    connection.close()
    before = office_files(db_path)

    with pytest.raises(DatabaseError, match="foreign_key_check: matters row 1 points to a missing clients row"):
        office.backups.restore(broken)
    assert office_files(db_path) == before


def test_a_backup_that_fails_its_check_is_deleted_and_reported(db_path):
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    place = locations.resolve(str(db_path))
    office = Office.open(place, "Ana")
    add_clients(office)
    office.close()  # the last connection folds the WAL into the file
    damage_an_index(db_path, "reyes1")
    office = Office.open(place, "Ana")
    try:
        with pytest.raises(DatabaseError, match="failed its check.*deleted.*kantor-cases check"):
            office.backups.back_up()
        assert not place.backups.exists() or list(place.backups.iterdir()) == []
    finally:
        office.close()


def test_an_office_file_sqlite_cannot_read_is_reported_plainly_when_backed_up(tmp_path: Path):
    from types import SimpleNamespace

    from kantor_cases.domain.errors import KantorError
    from kantor_cases.services.backups import BackupService

    garbage = tmp_path / "kantor-cases.sqlite3"
    garbage.write_bytes(b"this was an office once" * 500)
    service = BackupService(SimpleNamespace(path=garbage, key=None), tmp_path / "backups",  # type: ignore[arg-type]
                            require=lambda action: None)
    with pytest.raises(KantorError, match="could not be taken: file is not a database"):
        service.back_up()
    assert list((tmp_path / "backups").iterdir()) == []


# --- the copy: the file as stored when it is at rest, else page by page --------------------------------


def test_a_backup_holds_the_saves_still_in_the_wal(office, db_path):
    add_clients(office, 3)
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.stat().st_size > 0, "the saves are in the -wal, not yet in the file"

    result = office.backups.back_up()

    assert result.row_counts["clients"] == 3 and client_count(result.path) == 3
    assert not result.path.with_name(result.path.name + "-wal").exists()


def test_a_backup_taken_while_another_desk_reads_an_older_state_holds_every_save(office, db_path):
    """The reader keeps the -wal from being emptied, so the copy is made page by page; it still
    holds the save made after the reader began."""
    import sqlcipher3

    add_clients(office, 2)
    reader = sqlcipher3.connect(str(db_path), isolation_level=None)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM clients").fetchone()[0] == 2
        add_clients(office, 1)

        result = office.backups.back_up()

        assert reader.execute("SELECT count(*) FROM clients").fetchone()[0] == 2  # its state, untouched
    finally:
        reader.close()
    assert result.row_counts["clients"] == 3 and client_count(result.path) == 3


def test_a_save_made_while_the_file_is_copied_waits_and_is_kept(office, db_path, monkeypatch):
    """A save from another desk during the copy neither lands half in the backup nor is lost: it
    waits for the copy, then is saved in the office (and not in the backup taken before it)."""
    import threading

    from kantor_cases.db import backup as backup_module
    from kantor_cases.domain.records import ClientDraft

    add_clients(office, 20)
    monkeypatch.setattr(backup_module, "STOPPABLE_STEP_PAGES", 8)
    saving = threading.Thread(target=lambda: office.clients.create(ClientDraft(given_name="Late", family_name="Save")))
    started = []

    def start_a_save_on_the_first_step() -> bool:
        if not started:
            started.append(True)
            saving.start()
            saving.join(0.5)
            assert saving.is_alive(), "the save went in while the file was being copied"
        return False

    result = office.backups.back_up(should_stop=start_a_save_on_the_first_step)
    saving.join(10)

    assert started and not saving.is_alive()
    assert result.row_counts["clients"] == 20 and client_count(result.path) == 20
    with office.database.read() as session:
        assert session.execute(__import__("sqlalchemy").text("SELECT count(*) FROM clients")).scalar_one() == 21


def test_a_backup_checked_in_two_steps_has_its_name_once_its_pages_are_sound(office):
    from kantor_cases.db import backup as backup_module

    add_clients(office, 3)
    told = []

    def pages_sound(path: Path) -> None:
        told.append((path, path.exists(), list(office.backups.folder.glob("*.partial"))))

    path, counts = backup_module.take_backup(office.database.path, office.backups.folder, "before-import",
                                             pages_sound=pages_sound)

    assert told == [(path, True, [])]  # a process killed from here on leaves the backup, not a partial
    assert counts["clients"] == 3 and client_count(path) == 3


def test_a_backup_whose_rows_fail_the_second_step_is_deleted_after_its_pages_passed(db_path):
    from kantor_cases.db import backup as backup_module
    from kantor_cases.domain.errors import DamagedDatabaseError
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    place = locations.resolve(str(db_path))
    office = Office.open(place, "Ana")
    add_clients(office)
    office.close()  # the last connection folds the WAL into the file
    damage_an_index(db_path, "reyes1")  # every page sound: only the rows-against-index check sees it
    told = []
    with pytest.raises(DamagedDatabaseError, match="ix_clients_family_folded.*deleted"):
        backup_module.take_backup(db_path, place.backups, "before-import", pages_sound=told.append)
    assert len(told) == 1 and not told[0].exists()
    assert list(place.backups.iterdir()) == []


def test_a_backup_no_longer_wanted_once_its_pages_passed_is_removed(office):
    """An import that fails after the commit waited for the backup's pages does not keep it."""
    import threading

    from kantor_cases.db import backup as backup_module

    add_clients(office, 2)
    idle, stop, told = threading.Event(), threading.Event(), []

    def pages_sound(path: Path) -> None:
        told.append(path)
        stop.set()
        idle.set()

    with pytest.raises(backup_module.BackupStopped):
        backup_module.take_backup(office.database.path, office.backups.folder, "before-import",
                                  should_stop=stop.is_set, caller_idle=idle, pages_sound=pages_sound)
    assert len(told) == 1 and not told[0].exists()
    assert list(office.backups.folder.iterdir()) == []


def test_an_office_too_big_to_copy_under_the_lock_is_copied_without_holding_other_desks_up(office, monkeypatch):
    """Over COPY_AT_REST_MAX_BYTES the copy goes page by page: a save made meanwhile goes in at once
    (and the copy, started again, is still one consistent state)."""
    import threading

    from kantor_cases.db import backup as backup_module
    from kantor_cases.domain.records import ClientDraft

    add_clients(office, 20)
    monkeypatch.setattr(backup_module, "COPY_AT_REST_MAX_BYTES", 0)
    monkeypatch.setattr(backup_module, "STOPPABLE_STEP_PAGES", 8)
    saving = threading.Thread(target=lambda: office.clients.create(ClientDraft(given_name="Late", family_name="Save")))
    waited = []

    def start_a_save_on_the_first_step() -> bool:
        if not waited:
            saving.start()
            saving.join(5)
            waited.append(saving.is_alive())
        return False

    result = office.backups.back_up(should_stop=start_a_save_on_the_first_step)

    assert waited == [False], "the save waited for the copy"
    assert result.row_counts["clients"] in (20, 21) and client_count(result.path) == result.row_counts["clients"]
    assert office.clients.count() == 21


def _examined(monkeypatch) -> list[tuple[bool, bool]]:
    """The steps of a backup's check, as (pages, rows), in the order they ran."""
    from kantor_cases.db import backup as backup_module

    steps = []
    examine = backup_module._examine

    def noting(path, key=None, pages=True, rows=True):
        steps.append((pages, rows))
        return examine(path, key, pages, rows)

    monkeypatch.setattr(backup_module, "_examine", noting)
    return steps


def test_a_copy_of_an_office_checked_in_this_process_is_sound_at_once_and_checked_whole_after(office, monkeypatch):
    """The office's pages passed its own quick_check; the copy read back equal to them needs no second
    quick_check before the caller goes on: the whole check (pages and rows) comes after."""
    from kantor_cases.db import backup as backup_module

    add_clients(office, 3)
    steps = _examined(monkeypatch)
    told = []
    path, counts = backup_module.take_backup(office.database.path, office.backups.folder, "before-import",
                                             key=office.database.key,
                                             pages_sound=lambda p: told.append(list(steps)),
                                             office_checked=lambda: True)
    assert told == [[]] and steps == [(True, True)]
    assert counts["clients"] == 3 and path.exists()


def test_a_copy_of_an_office_not_yet_checked_has_its_pages_checked_first(office, monkeypatch):
    from kantor_cases.db import backup as backup_module

    steps = _examined(monkeypatch)
    told = []
    backup_module.take_backup(office.database.path, office.backups.folder, "before-import", key=office.database.key,
                              pages_sound=lambda p: told.append(list(steps)), office_checked=lambda: False)
    assert told == [[(True, False)]] and steps == [(True, False), (False, True)]


def test_a_copy_that_reads_back_different_from_the_office_is_refused_and_removed(office, monkeypatch):
    """What the kernel copied is read back under the same lock: a copy that went wrong is never
    taken for the checked office's pages."""
    from kantor_cases.db import backup as backup_module

    add_clients(office, 3)
    copy_file = backup_module._copy_file

    def copying_wrongly(source, destination, should_stop):
        copy_file(source, destination, should_stop)
        with destination.open("r+b") as copy:
            copy.seek(5000)
            byte = copy.read(1)
            copy.seek(5000)
            copy.write(bytes([byte[0] ^ 0xFF]))

    monkeypatch.setattr(backup_module, "_copy_file", copying_wrongly)
    with pytest.raises(OSError, match="differs from the office"):
        backup_module.take_backup(office.database.path, office.backups.folder, "before-import",
                                  key=office.database.key, pages_sound=lambda p: None, office_checked=lambda: True)
    assert list(office.backups.folder.iterdir()) == []
