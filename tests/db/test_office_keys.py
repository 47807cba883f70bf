"""The keys file and the recovery key (issue 12): round trips, and garbage refused in a plain sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kantor_cases.db import office_keys
from kantor_cases.db.office_keys import KdfParameters, OfficeKeys
from kantor_cases.domain.errors import DatabaseError, WrongPasswordError

CHEAP = KdfParameters(1, 1024, 1)


@given(st.binary(min_size=32, max_size=32))
def test_a_recovery_key_reads_back_however_it_is_typed(key: bytes):
    shown = office_keys.format_recovery_key(key)
    assert len(shown.split("-")) == 13
    assert office_keys.parse_recovery_key(shown) == key
    assert office_keys.parse_recovery_key(shown.lower().replace("-", " ") + "\n") == key


@pytest.mark.parametrize("typed", ["", "ABCD-EFGH", "not a key at all, clearly not", "1" * 52])
def test_what_is_not_a_recovery_key_is_refused_plainly(typed: str):
    with pytest.raises(WrongPasswordError, match="not a recovery key"):
        office_keys.parse_recovery_key(typed)


def test_the_keys_file_round_trips_and_unlocks_only_with_the_password(tmp_path: Path):
    data_key, recovery = office_keys.new_data_key(), office_keys.new_data_key()
    keys = OfficeKeys.create(data_key, recovery, "mk", "Miriam Kantor", "correct horse battery", CHEAP)
    keys.set_password("ruth", "ruths password", data_key, full_name="Ruth Ortiz", role="attorney", kdf=CHEAP)
    database = tmp_path / "kantor-cases.sqlite3"
    keys.save(database)
    again = OfficeKeys.load(database)
    assert again == keys
    assert again.unlock("ruth", "ruths password") == data_key
    assert again.unlock_with_recovery(recovery) == data_key
    with pytest.raises(WrongPasswordError, match="^The password is wrong.$"):
        again.unlock("ruth", "correct horse battery")
    with pytest.raises(WrongPasswordError, match="no user eve"):
        again.unlock("eve", "anything")
    # One user's wrapped key moved onto another's name does not open: the user name is bound in.
    again.users["eve"] = again.users["ruth"]
    with pytest.raises(WrongPasswordError):
        again.unlock("eve", "ruths password")


@pytest.mark.parametrize("content", [b"", b"not json", b"[]", b'{"format": "kantor-cases-keys", "version": 1}',
                                     b'{"format": "something else"}'])
def test_a_damaged_keys_file_is_refused_in_one_sentence(tmp_path: Path, content: bytes):
    database = tmp_path / "kantor-cases.sqlite3"
    office_keys.keys_path(database).write_bytes(content)
    with pytest.raises(DatabaseError, match="is not a Kantor Cases keys file"):
        OfficeKeys.load(database)


def test_a_missing_keys_file_names_the_remedy(tmp_path: Path):
    with pytest.raises(DatabaseError, match="is missing.*restore it"):
        OfficeKeys.load(tmp_path / "kantor-cases.sqlite3")


def test_a_password_wrapped_at_an_older_cost_is_wrapped_again_at_todays_when_its_user_signs_in(tmp_path, monkeypatch):
    from datetime import datetime

    older, today = KdfParameters(1, 1024, 1), KdfParameters(2, 2048, 1)
    data_key = office_keys.new_data_key()
    database = tmp_path / "kantor-cases.sqlite3"
    keys = OfficeKeys.create(data_key, office_keys.new_data_key(), "mk", "Miriam Kantor", "correct horse battery", older)
    keys.set_password("ruth", "ruths password", data_key, full_name="Ruth Ortiz", role="attorney", kdf=older)
    keys.save(database)
    monkeypatch.setattr(office_keys, "DEFAULT_KDF", today)

    with pytest.raises(WrongPasswordError):
        office_keys.unlock(database, "mk", "a wrong guess", datetime(2026, 12, 7))
    assert OfficeKeys.load(database).entry("mk").kdf == older, "a wrong password re-wrapped nothing"

    key, _audit = office_keys.unlock(database, "mk", "correct horse battery", datetime(2026, 12, 7))
    assert key == data_key
    again = OfficeKeys.load(database)
    assert again.entry("mk").kdf == today
    assert again.unlock("mk", "correct horse battery") == data_key
    assert again.entry("ruth").kdf == older, "only the person signing in is re-wrapped"
    before = again.entry("mk")
    office_keys.unlock(database, "mk", "correct horse battery", datetime(2026, 12, 7))
    assert OfficeKeys.load(database).entry("mk") == before, "wrapped once, not at every sign-in"


def test_a_keys_file_that_cannot_be_written_keeps_its_older_wrapping_and_still_signs_in(tmp_path, monkeypatch, caplog):
    from datetime import datetime

    older, today = KdfParameters(1, 1024, 1), KdfParameters(2, 2048, 1)
    data_key = office_keys.new_data_key()
    database = tmp_path / "kantor-cases.sqlite3"
    OfficeKeys.create(data_key, office_keys.new_data_key(), "mk", "Miriam Kantor", "correct horse battery",
                      older).save(database)
    before = office_keys.keys_path(database).read_bytes()
    monkeypatch.setattr(office_keys, "DEFAULT_KDF", today)

    def read_only(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(OfficeKeys, "save", read_only)
    key, _audit = office_keys.unlock(database, "mk", "correct horse battery", datetime(2026, 12, 7))
    assert key == data_key
    assert office_keys.keys_path(database).read_bytes() == before
    assert "stays wrapped at its older cost" in caplog.text and "Permission denied" in caplog.text
