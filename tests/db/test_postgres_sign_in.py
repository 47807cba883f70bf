"""A PostgreSQL office's users and passwords (issue 12 item 6): set up on an empty database, every
command signs in against the users table's Argon2id hashes, wrong passwords are refused, counted,
delayed after five and audited; an office from before passwords opens as it did until one is given.
The database password never shows: not in output, errors or the log."""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from keyring.backend import KeyringBackend
from postgres_support import empty_test_schema
from sqlalchemy import URL, create_engine, make_url, text

from kantor_cases.cli import loggable_command, main
from kantor_cases.db import engine as engine_module
from kantor_cases.db import office_keys
from kantor_cases.db.engine import database_password_account, make_engine, unverified_connection_warning
from kantor_cases.db.office_keys import KdfParameters
from kantor_cases.domain.errors import DatabaseError, KantorError, SignInDelayedError, WrongPasswordError
from kantor_cases.services import locations
from kantor_cases.services.office import Office
from kantor_cases.services.sign_in import (
    OfficeState,
    check_server_password,
    office_state,
    office_users,
    shown_database,
    sign_in,
)

URL_TEXT = os.environ.get("KANTOR_TEST_POSTGRES_URL", "")
needs_postgres = pytest.mark.skipif(not URL_TEXT, reason="set KANTOR_TEST_POSTGRES_URL (CI starts a PostgreSQL server)")
PASSWORD = "correct horse battery"
NOW = datetime(2026, 6, 1, 9, 0)


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    # The hashes cost what an encrypted office's keys cost: ~0.4 s each by design.
    monkeypatch.setattr(office_keys, "DEFAULT_KDF", KdfParameters(1, 1024, 1))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    for variable in ("KANTOR_CASES_PASSWORD_FILE", "KANTOR_CASES_NEW_PASSWORD_FILE", "KANTOR_CASES_USER",
                     "KANTOR_CASES_DB", "PGSSLMODE"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def server() -> str:
    empty_test_schema(URL_TEXT)
    return URL_TEXT


def _password_file(tmp_path: Path, name: str, password: str) -> str:
    path = tmp_path / name
    path.write_text(password + "\n", encoding="utf-8")
    return str(path)


def _audited_failures(url: str) -> list[tuple[str, int | None]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT user_name, entity_id FROM audit_events "
                                       "WHERE action = 'sign-in failed' ORDER BY id")).all()
    engine.dispose()
    return [(name, entity_id) for name, entity_id in rows]


@pytest.fixture
def set_up(server, tmp_path, monkeypatch, capsys) -> str:
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", _password_file(tmp_path, "boss-new", PASSWORD))
    assert main(["--db", server, "setup", "--firm", "Kantor Law", "--admin", "boss", "--full-name", "Ana Boss"]) == 0
    out = capsys.readouterr().out
    assert "boss is its administrator" in out and "no recovery key" in out
    monkeypatch.delenv("KANTOR_CASES_NEW_PASSWORD_FILE")
    return server


@needs_postgres
def test_setup_then_every_command_signs_in_and_a_wrong_password_changes_nothing(set_up, tmp_path, monkeypatch,
                                                                                  capsys):
    place = locations.resolve(set_up)
    assert office_state(place) is OfficeState.SERVER
    assert [(u.name, u.full_name, u.role) for u in office_users(place)] == [("boss", "Ana Boss", "admin")]

    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", _password_file(tmp_path, "boss", PASSWORD))
    assert main(["--db", set_up, "--user", "boss", "users", "list"]) == 0
    assert "Ana Boss" in capsys.readouterr().out

    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", _password_file(tmp_path, "wrong", "not the password"))
    assert main(["--db", set_up, "--user", "boss", "users", "add", "mallory", "--full-name", "M",
                 "--role", "admin"]) == 2
    assert capsys.readouterr().err == "Error: The password is wrong.\n"
    assert main(["--db", set_up, "users", "list"]) == 2
    assert "say who you are" in capsys.readouterr().err
    assert _audited_failures(set_up) == [("boss", 1)]

    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", _password_file(tmp_path, "boss", PASSWORD))
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", _password_file(tmp_path, "ruth-new", "ruth's first one"))
    assert main(["--db", set_up, "--user", "boss", "users", "add", "ruth", "--full-name", "Ruth Díaz",
                 "--role", "staff"]) == 0
    assert main(["--db", set_up, "--user", "boss", "users", "list", "--json"]) == 0
    listed = capsys.readouterr().out
    assert '"Ruth Díaz"' in listed and "mallory" not in listed

    # An administrator sets Ruth a new password: the old one no longer signs her in.
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", _password_file(tmp_path, "ruth-next", "ruth's second one"))
    assert main(["--db", set_up, "--user", "boss", "users", "passwd", "ruth"]) == 0
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", _password_file(tmp_path, "ruth-old", "ruth's first one"))
    assert main(["--db", set_up, "--user", "ruth", "db", "status"]) == 2
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", _password_file(tmp_path, "ruth", "ruth's second one"))
    assert main(["--db", set_up, "--user", "ruth", "db", "status"]) == 0

    # Set-up makes a new office only.
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", _password_file(tmp_path, "other", PASSWORD))
    capsys.readouterr()
    assert main(["--db", set_up, "setup", "--firm", "Other", "--admin", "eve"]) == 2
    assert "already has an office" in capsys.readouterr().err


@needs_postgres
def test_after_five_wrong_passwords_each_try_waits_longer(set_up):
    database = Office.open(locations.resolve(set_up), "boss", password=PASSWORD).database
    try:
        for _ in range(5):
            with pytest.raises(WrongPasswordError):
                check_server_password(database, "boss", "not the password", NOW)
        with pytest.raises(SignInDelayedError) as delayed:
            check_server_password(database, "boss", PASSWORD, NOW + timedelta(seconds=10))
        assert delayed.value.seconds == 20
        check_server_password(database, "boss", PASSWORD, NOW + timedelta(seconds=31))
        # Forgotten after a good one: the next wrong password is the first of a new run.
        with pytest.raises(WrongPasswordError):
            check_server_password(database, "boss", "not the password", NOW + timedelta(seconds=32))
        check_server_password(database, "boss", PASSWORD, NOW + timedelta(seconds=33))
        with pytest.raises(WrongPasswordError, match="no user"):
            check_server_password(database, "nobody", PASSWORD, NOW)
    finally:
        database.dispose()
    assert _audited_failures(set_up) == [("boss", 1)] * 6 + [("nobody", None)]


@needs_postgres
def test_an_office_from_before_passwords_opens_as_before_until_someone_has_one(server, tmp_path, monkeypatch,
                                                                                  capsys):
    office = Office.open(locations.resolve(server), "boss")
    office.settings.save_user("boss", "B", "admin", full_name="Ana Boss")
    office.close()
    assert office_users(locations.resolve(server)) == []
    assert main(["--db", server, "--user", "boss", "users", "list"]) == 0
    assert "no password yet" in capsys.readouterr().out

    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", _password_file(tmp_path, "boss-new", PASSWORD))
    assert main(["--db", server, "--user", "boss", "users", "passwd", "boss"]) == 0
    capsys.readouterr()
    assert main(["--db", server, "--user", "boss", "users", "list"]) == 2  # no password given any more
    assert "No password was given for boss" in capsys.readouterr().err
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", _password_file(tmp_path, "boss", PASSWORD))
    assert main(["--db", server, "--user", "boss", "users", "list"]) == 0


@needs_postgres
def test_the_database_password_shows_nowhere(server, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    url = make_url(server)
    secret = "Zebra-Secret-4711"
    wrong = url.set(password=secret).render_as_string(hide_password=False)
    for command in (["db", "status"], ["check"], ["check", "--json"], ["users", "list"]):
        assert main(["--db", wrong, "--user", "boss", *command]) == 2
    right = url.render_as_string(hide_password=False)
    assert main(["--db", right, "--user", "boss", "db", "status"]) == 0
    assert main(["--db", right, "--user", "boss", "db", "status", "--json"]) == 0
    assert main(["--db", right, "--user", "boss", "check", "--json"]) == 0
    shown = capsys.readouterr()
    everything = shown.out + shown.err + caplog.text
    assert "password authentication failed" in shown.err
    assert secret not in everything
    assert f":{url.password}@" not in everything
    assert f"{url.username}:***@" in shown.out


@needs_postgres
def test_a_url_without_a_password_takes_the_one_kept_in_the_key_store(server, tmp_path, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    url = make_url(server)
    bare = URL.create(url.drivername, username=url.username, host=url.host, port=url.port,
                      database=url.database).render_as_string(hide_password=False)
    asked: list[str] = []
    monkeypatch.setattr(engine_module, "stored_database_password", lambda _url: None)
    with pytest.raises(DatabaseError, match="no password supplied"):
        Office.open(locations.resolve(bare), "boss")

    def kept(for_url: URL) -> str | None:
        asked.append(database_password_account(for_url))
        return url.password

    monkeypatch.setattr(engine_module, "stored_database_password", kept)
    office = Office.open(locations.resolve(bare), "boss")
    office.close()
    assert asked and asked[0] == f"{url.username}@{url.host}:{url.port or 5432}/{url.database}"


@needs_postgres
def test_sslmode_verify_full_in_the_url_is_honoured(server):
    # The test server speaks no TLS: a URL that demands a verified connection is refused, not downgraded.
    with pytest.raises(DatabaseError, match="SSL"):
        Office.open(locations.resolve(f"{server}?sslmode=verify-full"), "boss")


def test_the_commands_for_an_office_file_name_no_database_password(tmp_path, monkeypatch, capsys):
    url = "postgresql+psycopg://kantor:Zebra-Secret-4711@localhost/kantor_test"
    keys = tmp_path / "recovery-key.txt"
    keys.write_text("ABCD-EFGH\n", encoding="utf-8")
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", _password_file(tmp_path, "new", PASSWORD))
    assert main(["--db", url, "users", "reset", "boss", "--recovery-key-file", str(keys)]) == 2
    assert main(["--db", url, "db", "decrypt", "--out", str(tmp_path / "copy.sqlite3"), "--yes"]) == 2
    shown = capsys.readouterr()
    assert "no recovery key" in shown.err
    assert "Zebra-Secret-4711" not in shown.out + shown.err
    with pytest.raises(KantorError) as refused:
        sign_in(locations.resolve(url), "boss", PASSWORD)
    assert "Zebra-Secret-4711" not in str(refused.value)


class _MemoryKeyStore(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@needs_postgres
def test_db_remember_password_keeps_it_for_a_url_without_one(server, tmp_path, monkeypatch, capsys):
    import keyring

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    url = make_url(server)
    bare = URL.create(url.drivername, username=url.username, host=url.host, port=url.port,
                      database=url.database).render_as_string(hide_password=False)
    store = _MemoryKeyStore()
    before = keyring.get_keyring()
    keyring.set_keyring(store)
    try:
        monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", _password_file(tmp_path, "wrong", "not it"))
        assert main(["--db", bare, "db", "remember-password"]) == 2
        assert "did not take that password" in capsys.readouterr().err and store.kept == {}
        monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", _password_file(tmp_path, "db", str(url.password)))
        assert main(["--db", bare, "db", "remember-password"]) == 0
        assert main(["--db", bare, "--user", "boss", "db", "status"]) == 0
        shown = capsys.readouterr()
        assert "Revision:" in shown.out and f":{url.password}@" not in shown.out + shown.err
    finally:
        keyring.set_keyring(before)


@needs_postgres
def test_a_password_remembered_in_the_key_store_signs_in(set_up, tmp_path, monkeypatch, capsys):
    import keyring

    before = keyring.get_keyring()
    keyring.set_keyring(_MemoryKeyStore())
    try:
        monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", _password_file(tmp_path, "boss", PASSWORD))
        assert main(["--db", set_up, "--user", "boss", "users", "remember"]) == 0
        monkeypatch.delenv("KANTOR_CASES_PASSWORD_FILE")
        assert main(["--db", set_up, "--user", "boss", "users", "list"]) == 0
        assert "Ana Boss" in capsys.readouterr().out
        assert main(["--db", set_up, "--user", "boss", "users", "forget"]) == 0
        assert main(["--db", set_up, "--user", "boss", "users", "list"]) == 2
    finally:
        keyring.set_keyring(before)


def test_a_server_on_another_computer_without_sslmode_is_warned_about(monkeypatch):
    monkeypatch.delenv("PGSSLMODE", raising=False)
    assert unverified_connection_warning("postgresql+psycopg://k:pw@localhost/office") is None
    assert unverified_connection_warning("postgresql+psycopg://k@/office?host=/var/run/postgresql") is None
    assert unverified_connection_warning("postgresql+psycopg://k:pw@db.example.org/office?sslmode=verify-full") is None
    warning = unverified_connection_warning("postgresql+psycopg://k:pw@db.example.org/office")
    assert warning is not None and "db.example.org" in warning and "pw" not in warning
    monkeypatch.setenv("PGSSLMODE", "verify-full")
    assert unverified_connection_warning("postgresql+psycopg://k:pw@db.example.org/office") is None


def test_the_command_line_warns_once_of_an_unverified_server(monkeypatch, capsys):
    monkeypatch.delenv("PGSSLMODE", raising=False)
    url = "postgresql+psycopg://k:Zebra-Secret-4711@db.example.invalid/office?connect_timeout=2"
    assert main(["--db", url, "--user", "boss", "db", "status"]) == 2
    err = capsys.readouterr().err
    assert err.count("Warning:") == 1 and "not verified" in err
    assert "Zebra-Secret-4711" not in err


@given(password=st.text(st.characters(exclude_categories=["Cs"]), min_size=1).map(lambda t: "§" + t))
def test_no_password_in_a_url_survives_masking(password):
    url = URL.create("postgresql+psycopg", username="kantor", password=password, host="db.example.org",
                     database="office").render_as_string(hide_password=False)
    engine = make_engine(url)
    try:
        shown = [database_password_account(url), unverified_connection_warning(url) or "",
                 loggable_command(["--db", url, "db", "status"]), engine.url.render_as_string(hide_password=True)]
    finally:
        engine.dispose()
    shown.append(shown_database(locations.resolve(url)))
    encoded = url.split("kantor:", 1)[1].rsplit("@db.example.org", 1)[0]
    for text_shown in shown:
        assert password not in text_shown and encoded not in text_shown
