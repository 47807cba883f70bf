"""Users' full names live in the users table (migration 0011); an encrypted office's keys file keeps the
copy its sign-in list shows, in step when a name changes in Settings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from kantor_cases.db import migrate, office_keys
from kantor_cases.db.engine import make_engine
from kantor_cases.db.office_keys import KdfParameters
from kantor_cases.db.startup import open_database
from kantor_cases.domain.errors import ValidationError
from kantor_cases.services import accounts, locations
from kantor_cases.services.accounts import AccountService
from kantor_cases.services.sign_in import office_users

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap_key_derivation(monkeypatch):
    monkeypatch.setattr(office_keys, "DEFAULT_KDF", KdfParameters(1, 1024, 1))


@pytest.fixture
def encrypted(db_path: Path):
    made = accounts.set_up_office(locations.resolve(str(db_path)), "Kantor Law", "mk", "Miriam Kantor", PASSWORD)
    yield made.office
    made.office.close()


def test_existing_users_get_their_user_name_as_full_name(tmp_path):
    path = tmp_path / "office.sqlite3"
    open_database(path).dispose()
    connection = make_engine(path).connect()
    migrate.downgrade(connection, "0010")
    connection.execute(text("INSERT INTO users (name, initials, role, email, bar_number, active, version, created_at, "
                            "created_by, updated_at, updated_by) VALUES ('Ruth', 'R', 'staff', '', '', 1, 1, "
                            "'2026-01-05 09:00:00', 'x', '2026-01-05 09:00:00', 'x')"))
    connection.commit()
    migrate.upgrade(connection)
    connection.commit()
    row = connection.execute(text("SELECT full_name, password_hash, sign_in_failures FROM users")).one()
    connection.close()
    assert tuple(row) == ("Ruth", None, 0)


def test_a_full_name_changed_in_settings_is_what_the_sign_in_list_shows(encrypted):
    mk = encrypted.settings.user_by_name("mk")
    assert mk is not None and mk.full_name == "Miriam Kantor"
    encrypted.settings.save_user("mk", mk.initials, mk.role, user_id=mk.id, expected_version=mk.version,
                                 full_name="Miriam R. Kantor")
    assert [u.full_name for u in office_users(encrypted.locations)] == ["Miriam R. Kantor"]
    assert [a.full_name for a in AccountService.for_office(encrypted).list()] == ["Miriam R. Kantor"]


def test_a_user_added_with_a_password_keeps_the_full_name_in_the_table(encrypted):
    AccountService.for_office(encrypted).add("ruth", "Ruth Díaz", "staff", PASSWORD)
    ruth = encrypted.settings.user_by_name("ruth")
    assert ruth is not None and ruth.full_name == "Ruth Díaz"
    # An edit that does not name the full name leaves it as it was.
    encrypted.settings.save_user("ruth", "RD", "staff", user_id=ruth.id, expected_version=ruth.version)
    assert encrypted.settings.user_by_name("ruth") == replace(ruth, initials="RD", version=ruth.version + 1)


def test_a_user_who_signs_in_to_an_encrypted_office_keeps_the_user_name(encrypted):
    mk = encrypted.settings.user_by_name("mk")
    assert mk is not None
    with pytest.raises(ValidationError, match="cannot change"):
        encrypted.settings.save_user("miriam", mk.initials, mk.role, user_id=mk.id, expected_version=mk.version)
    assert [u.name for u in office_users(encrypted.locations)] == ["mk"]
    assert encrypted.settings.user_by_name("mk") is not None


def test_a_plain_office_user_may_be_renamed(office):
    office.settings.save_user(office.user, "A", "admin")
    saved = office.settings.save_user("Ruth", "R", "staff")
    assert saved.full_name == "Ruth"
    renamed = office.settings.save_user("Ruth D", "RD", "staff", user_id=saved.id, expected_version=saved.version)
    assert renamed.name == "Ruth D"
