"""A scripted desk's key derivation starts before the program has imported, and the sign-in uses it
instead of deriving again (issue 12: start-up of an encrypted office)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import argon2.low_level
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kantor_cases import app
from kantor_cases.db import office_keys
from kantor_cases.db.office_keys import KdfParameters, OfficeKeys
from kantor_cases.domain.errors import WrongPasswordError
from kantor_cases.services.locations import ENV_PASSWORD_FILE, ENV_USER

CHEAP = KdfParameters(1, 1024, 1)
PASSWORD = "correct horse battery"


@pytest.fixture
def keys_file(tmp_path: Path, monkeypatch) -> tuple[Path, bytes]:
    monkeypatch.setattr(office_keys, "DEFAULT_KDF", CHEAP)  # today's cost: signing in wraps nothing again
    data_key = office_keys.new_data_key()
    database = tmp_path / "kantor-cases.sqlite3"
    OfficeKeys.create(data_key, office_keys.new_data_key(), "mk", "Miriam Kantor", PASSWORD, CHEAP).save(database)
    return database, data_key


@pytest.fixture
def derivations(monkeypatch) -> list[bytes]:
    """Every Argon2id derivation run from now on (its salt)."""
    seen: list[bytes] = []
    real = argon2.low_level.hash_secret_raw

    def counted(secret, salt, *rest):
        seen.append(salt)
        return real(secret, salt, *rest)

    monkeypatch.setattr(argon2.low_level, "hash_secret_raw", counted)
    monkeypatch.setattr(office_keys, "_early_derivations", {})
    return seen


def scripted(monkeypatch, tmp_path: Path, password: str, user: str = "mk") -> None:
    password_file = tmp_path / "password"
    password_file.write_text(password + "\n", encoding="utf-8")
    monkeypatch.setenv(ENV_PASSWORD_FILE, str(password_file))
    monkeypatch.setenv(ENV_USER, user)


def test_the_sign_in_takes_the_key_derived_while_the_program_imported(keys_file, derivations, monkeypatch, tmp_path):
    database, data_key = keys_file
    scripted(monkeypatch, tmp_path, PASSWORD)
    thread = app.start_scripted_sign_in(["--db", str(database), "search", "--db", "elsewhere"])
    assert thread is not None
    thread.join()
    assert len(derivations) == 1
    key, _audit = office_keys.unlock(database, "mk", PASSWORD, datetime(2026, 12, 6))
    assert key == data_key
    assert len(derivations) == 1, "the sign-in derived the key again"


def test_an_early_derivation_of_a_wrong_password_unlocks_nothing(keys_file, derivations, monkeypatch, tmp_path):
    database, data_key = keys_file
    scripted(monkeypatch, tmp_path, "not the password")
    thread = app.start_scripted_sign_in(["--db", str(database)])
    assert thread is not None
    thread.join()
    with pytest.raises(WrongPasswordError):
        OfficeKeys.load(database).unlock("mk", PASSWORD + " ")
    assert OfficeKeys.load(database).unlock("mk", PASSWORD) == data_key
    assert len(derivations) == 3  # the early one was for another password: both tries derived their own


def test_nothing_starts_without_a_scripted_sign_in_or_a_keys_file(keys_file, monkeypatch, tmp_path):
    database, _ = keys_file
    monkeypatch.delenv(ENV_PASSWORD_FILE, raising=False)
    monkeypatch.setenv(ENV_USER, "mk")
    assert app.start_scripted_sign_in(["--db", str(database)]) is None
    scripted(monkeypatch, tmp_path, PASSWORD)
    assert app.start_scripted_sign_in(["--db", str(tmp_path / "plain.sqlite3")]) is None
    monkeypatch.setenv(ENV_PASSWORD_FILE, str(tmp_path / "missing"))
    assert app.start_scripted_sign_in(["--db", str(database)]) is None


@pytest.mark.parametrize(("argv", "expected"), [
    (["--db", "a.sqlite3", "search", "x"], "a.sqlite3"),
    (["--db=b.sqlite3"], "b.sqlite3"),
    (["--user", "mk", "--db", "c"], "c"),
    (["search", "--db", "d"], None),
    (["--user", "--db", "clients"], None),
    (["--db"], None),
])
def test_the_global_option_is_read_before_the_command_only(argv, expected):
    assert app.global_option(argv, "--db") == expected


@given(st.lists(st.text(min_size=1, max_size=8).filter(lambda t: not t.startswith("-")), min_size=1, max_size=4),
       st.lists(st.text(max_size=8), max_size=6))
def test_what_follows_the_command_is_never_taken_for_a_global_option(command, rest):
    assert app.global_option([*command, *rest], "--db") is None


def test_signing_in_without_failed_tries_to_audit_leaves_the_models_for_later(tmp_path, monkeypatch):
    """The window waits for the sign-in; the ORM models (0.3 s to import) are not needed for it when
    there is no wrong password to write to the audit trail."""
    import subprocess
    import sys

    from kantor_cases.cli import main

    monkeypatch.setattr(office_keys, "DEFAULT_KDF", CHEAP)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    database = tmp_path / "office" / "kantor-cases.sqlite3"
    new_password = tmp_path / "new-password"
    new_password.write_text(PASSWORD + "\n", encoding="utf-8")
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", str(new_password))
    assert main(["--db", str(database), "setup", "--firm", "Kantor Law", "--admin", "mk"]) == 0
    child = ("import sys; from kantor_cases.services import locations; "
             "from kantor_cases.services.office import Office; "
             f"office = Office.open(locations.resolve(sys.argv[1]), 'mk', check_later=True, password={PASSWORD!r}); "
             "print('kantor_cases.db.models' in sys.modules); office.close()")
    result = subprocess.run([sys.executable, "-c", child, str(database)], capture_output=True, text=True,
                            timeout=120, env={**__import__("os").environ, "XDG_STATE_HOME": str(tmp_path / "state")})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "False"
