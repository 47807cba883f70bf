"""Encryption at rest and sign-in (issue 12), below the window: set-up, passwords, recovery, backups."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlcipher3
from plain_office import plain_office

from kantor_cases.db import office_keys
from kantor_cases.db.office_keys import KdfParameters
from kantor_cases.domain.errors import DatabaseError, KantorError, SignInDelayedError, WrongPasswordError
from kantor_cases.services import accounts, locations
from kantor_cases.services.office import Office
from kantor_cases.services.sign_in import OfficeState, SignInRequired, office_state, office_users

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap_key_derivation(monkeypatch):
    # The real parameters take ~0.4 s per derivation by design; the tests need many.
    monkeypatch.setattr(office_keys, "DEFAULT_KDF", KdfParameters(1, 1024, 1))


@pytest.fixture
def place(db_path: Path) -> locations.Locations:
    return locations.resolve(str(db_path))


@pytest.fixture
def new_office(place):
    made = accounts.set_up_office(place, "Kantor Law", "mk", "Miriam Kantor", PASSWORD)
    yield made
    made.office.close()


def _unreadable_by_sqlite(path: Path) -> bool:
    connection = sqlite3.connect(path)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError:
        return True
    finally:
        connection.close()
    return False


def _file_bytes(path: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.parent.glob(path.name + "*")) if not p.name.endswith((".keys", ".lock"))}


def test_a_new_office_and_its_backups_cannot_be_read_without_the_key(new_office, place):
    office = new_office.office
    assert office.encrypted
    assert office_state(place) is OfficeState.ENCRYPTED
    backup = office.backups.back_up().path
    office.close()
    assert _unreadable_by_sqlite(place.database_path)
    assert _unreadable_by_sqlite(backup)
    assert office_keys.keys_path(backup).is_file()  # the backup carries its keys
    # The backup opens with its own keys file and the same password, as an office of its own.
    copy = locations.resolve(str(backup))
    reopened = Office.open(copy, "mk", password=PASSWORD)
    assert [u.name for u in reopened.settings.users()] == ["mk"]
    reopened.close()


def test_signing_in_lists_the_users_and_opens_with_the_right_password(new_office, place):
    new_office.office.close()
    assert [(u.name, u.full_name, u.role) for u in office_users(place)] == [("mk", "Miriam Kantor", "admin")]
    office = Office.open(place, "mk", password=PASSWORD)
    assert office.settings.firm().firm_name == "Kantor Law"
    office.close()


def test_a_wrong_password_opens_nothing_and_changes_nothing(new_office, place):
    new_office.office.close()
    before = _file_bytes(place.database_path)
    with pytest.raises(WrongPasswordError, match="^The password is wrong.$"):
        Office.open(place, "mk", password="not the password")
    with pytest.raises(SignInRequired):
        Office.open(place, "mk")
    with pytest.raises(SignInRequired):
        Office.open(place, None, password=PASSWORD)
    assert _file_bytes(place.database_path) == before
    # The next successful sign-in writes the failure to the audit trail.
    office = Office.open(place, "mk", password=PASSWORD)
    with office.database.read() as session:
        rows = session.connection().exec_driver_sql(
            "SELECT user_name, action FROM audit_events WHERE action = 'sign-in failed'").fetchall()
    office.close()
    assert rows == [("mk", "sign-in failed")]
    assert office_keys.OfficeKeys.load(place.database_path).failed_sign_ins == []


def test_after_five_wrong_passwords_each_try_waits_longer(new_office, place):
    new_office.office.close()
    path = place.database_path
    start = datetime(2026, 12, 6, 9, 0)
    for attempt in range(5):
        with pytest.raises(WrongPasswordError):
            office_keys.unlock(path, "mk", "guess", start + timedelta(seconds=attempt))
    last = start + timedelta(seconds=4)
    with pytest.raises(SignInDelayedError, match="try again in 30 seconds"):
        office_keys.unlock(path, "mk", PASSWORD, last)  # not even the right password gets in now
    with pytest.raises(WrongPasswordError):
        office_keys.unlock(path, "mk", "guess", last + timedelta(seconds=31))
    with pytest.raises(SignInDelayedError, match="try again in 60 seconds"):
        office_keys.unlock(path, "mk", PASSWORD, last + timedelta(seconds=31))
    key, failed = office_keys.unlock(path, "mk", PASSWORD, last + timedelta(seconds=92))
    assert len(key) == 32 and len(failed) == 6
    assert office_keys.OfficeKeys.load(path).users["mk"].failures == 0


def test_the_recovery_key_resets_a_password(new_office, place, tmp_path):
    new_office.office.close()
    with pytest.raises(WrongPasswordError):
        accounts.reset_with_recovery_key(place, "mk", "AAAA-" * 12 + "AAAA", "a brand new password")
    accounts.reset_with_recovery_key(place, "mk", new_office.recovery_key.lower().replace("-", " "),
                                     "a brand new password")
    with pytest.raises(WrongPasswordError):
        Office.open(place, "mk", password=PASSWORD)
    Office.open(place, "mk", password="a brand new password").close()


def test_users_are_added_by_an_administrator_and_change_their_own_password(new_office, place):
    service = accounts.AccountService.for_office(new_office.office)
    service.add("ruth", "Ruth Ortiz", "attorney", "ruths password")
    with pytest.raises(KantorError, match="already a user"):
        service.add("Ruth", "Ruth Again", "staff", "another password")
    new_office.office.close()
    assert [u.name for u in office_users(place)] == ["mk", "ruth"]
    ruth = Office.open(place, "ruth", password="ruths password")
    as_ruth = accounts.AccountService.for_office(ruth)
    with pytest.raises(KantorError, match="cannot add or change users; ask an administrator"):
        as_ruth.add("eve", "Eve", "staff", "eves password!")
    with pytest.raises(KantorError, match="cannot add or change users; ask an administrator"):
        as_ruth.set_password("mk", "taking over the office")
    as_ruth.set_password("ruth", "ruths new password")
    assert [(a.name, a.role, a.can_sign_in) for a in as_ruth.list()] == [("mk", "admin", True),
                                                                         ("ruth", "attorney", True)]
    ruth.close()
    with pytest.raises(WrongPasswordError):
        Office.open(place, "ruth", password="ruths password")
    Office.open(place, "ruth", password="ruths new password").close()
    # Changing a password re-wraps a key; the database itself is the same file, the same data key.
    assert office_keys.OfficeKeys.load(place.database_path).unlock("mk", PASSWORD) == \
        office_keys.OfficeKeys.load(place.database_path).unlock("ruth", "ruths new password")


def test_a_restore_brings_back_the_keys_of_the_backups_moment(new_office, place):
    office = new_office.office
    backup = office.backups.back_up().path
    accounts.AccountService.for_office(office).set_password("mk", "a later password")
    office.close()
    office = Office.open(place, "mk", password="a later password")
    office.backups.restore(backup)
    office.close()
    Office.open(place, "mk", password=PASSWORD).close()


def test_an_encrypted_office_refuses_to_take_back_a_plain_backup(new_office, tmp_path):
    plain = locations.resolve(str(tmp_path / "plain" / "kantor-cases.sqlite3"))
    other = Office.open(plain, "Ana")
    plain_backup = other.backups.back_up().path
    other.close()
    with pytest.raises(DatabaseError, match="from before this office was encrypted"):
        new_office.office.backups.restore(plain_backup)


def test_keys_of_another_office_are_named_as_such_not_as_a_damaged_file(new_office, place, tmp_path):
    new_office.office.close()
    second = locations.resolve(str(tmp_path / "second" / "kantor-cases.sqlite3"))
    accounts.set_up_office(second, "Other Firm", "mk", "", PASSWORD).office.close()
    os.replace(office_keys.keys_path(second.database_path), office_keys.keys_path(place.database_path))
    with pytest.raises(DatabaseError, match="belongs to another office") as refused:
        Office.open(place, "mk", password=PASSWORD)
    assert "not a database" not in str(refused.value)


def test_a_plain_office_converts_and_every_row_survives(tmp_path):
    from kantor_cases.cli import main as cli_main
    from kantor_cases.db.conversion import table_fingerprints

    path = tmp_path / "office" / "kantor-cases.sqlite3"
    assert cli_main(["--db", plain_office(path), "demo", "--clients", "60", "--seed", "4"]) == 0
    plain_place = locations.resolve(str(path))
    reader = sqlcipher3.connect(str(path))  # the stdlib's SQLite has no trigram tokenizer for the search index
    before = table_fingerprints(reader)
    reader.close()
    office = Office.open(plain_place, "boss")
    assert not office.encrypted
    done = accounts.encrypt_office(office, "The Boss", PASSWORD)
    assert _unreadable_by_sqlite(path)
    assert [p.name for p in done.plain_backups] == [done.safety_backup.name]
    encrypted = Office.open(plain_place, "boss", password=PASSWORD)
    with encrypted.database.engine.connect() as connection:
        after = table_fingerprints(connection.connection.driver_connection)
    encrypted.close()
    # The encrypting user was added as administrator, and the encryption audited, before and after.
    changed = {name for name in before if before[name] != after[name]}
    assert changed <= {"users", "audit_events"}
    assert all(after[name][0] >= before[name][0] for name in before)
    assert sum(count for count, _ in before.values()) > 500
    accounts.remove_plain_backups(done.plain_backups)
    assert not done.safety_backup.exists()


def test_a_plain_copy_of_an_encrypted_office_is_readable_and_never_overwrites(new_office, tmp_path):
    out = tmp_path / "plain-copy.sqlite3"
    rows = accounts.decrypt_copy(new_office.office, out)
    with sqlite3.connect(out) as reader:
        assert reader.execute("SELECT name FROM users").fetchall() == [("mk",)]
    assert rows > 0
    assert out.stat().st_mode & 0o777 == 0o600
    with pytest.raises(FileExistsError):
        accounts.decrypt_copy(new_office.office, out)


def test_automatic_backups_of_an_encrypted_office_see_that_nothing_changed(new_office):
    automatic = new_office.office.backups.automatic
    assert automatic.back_up_if_changed("auto").taken
    again = automatic.back_up_if_changed("auto")
    assert not again.taken and "nothing changed" in again.skipped


def test_rotation_and_the_start_up_clean_up_take_the_keys_with_their_backups(new_office, place):
    import time

    from kantor_cases.db import backup as backup_files

    office = new_office.office
    first = office.backups.back_up(reason="auto").path
    assert office_keys.keys_path(first).exists()
    office.backups.back_up(reason="auto")  # the newest automatic backup of the hour is the one kept
    assert not first.exists()
    assert not office_keys.keys_path(first).exists()
    # Keys whose backup never got its name (a kill between the two) go at a later start.
    orphan = place.backups / "kantor-cases-20261130-101010.000-manual.sqlite3.keys"
    orphan.write_bytes(office_keys.keys_path(place.database_path).read_bytes())
    two_hours_ago = time.time() - 7200
    os.utime(orphan, (two_hours_ago, two_hours_ago))
    assert backup_files.remove_abandoned_partials(place.backups) == [orphan]
    assert all(office_keys.keys_path(info.path).exists() for info in office.backups.list())


def test_encrypting_an_office_open_elsewhere_leaves_it_plain_and_whole(tmp_path):
    plain_place = locations.resolve(str(tmp_path / "office" / "kantor-cases.sqlite3"))
    elsewhere = Office.open(plain_place, "Ana")  # another desk, or the window
    elsewhere.clients  # noqa: B018 - the other desk has been working in the office
    with elsewhere.database.read() as session:
        session.connection().exec_driver_sql("SELECT count(*) FROM clients").fetchall()
    office = Office.open(plain_place, "boss")
    try:
        with pytest.raises(KantorError, match="open in another program or on another desk"):
            accounts.encrypt_office(office, "", PASSWORD)
        assert not _unreadable_by_sqlite(plain_place.database_path)
        assert not office_keys.keys_path(plain_place.database_path).exists()
        assert list(plain_place.database_path.parent.glob("*.partial")) == []
    finally:
        elsewhere.close()
    reopened = Office.open(plain_place, "Ana")
    assert not reopened.encrypted
    reopened.close()
