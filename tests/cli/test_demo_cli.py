"""`demo` (issue 12 item 3): a new path gets an encrypted demo office whose demo users all share the
administrator's password (said as demo only); a just-set-up encrypted office with no clients is
filled; a plain office is filled as before."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from plain_office import plain_office

from kantor_cases.cli import main
from kantor_cases.db import office_keys
from kantor_cases.db.office_keys import KdfParameters
from kantor_cases.services import locations
from kantor_cases.services.office import Office
from kantor_cases.services.sign_in import OfficeState, office_state

PASSWORD = "demo password 123"
DEMO_USERS = ["Ana Morales", "Daniel Reyes", "Luis Ortega", "Ruth Kantor"]


@pytest.fixture(autouse=True)
def cheap_key_derivation(monkeypatch):
    monkeypatch.setattr(office_keys, "DEFAULT_KDF", KdfParameters(1, 1024, 1))


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "office" / "demo.sqlite3"


def _password_file(tmp_path: Path, name: str, password: str) -> str:
    file = tmp_path / name
    file.write_text(password + "\n", encoding="utf-8")
    return str(file)


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _readable_by_sqlite(path: Path) -> bool:
    connection = sqlite3.connect(path)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError:
        return False
    finally:
        connection.close()
    return True


def _signed_in_clients(path: Path, user: str, password: str) -> int:
    office = Office.open(locations.resolve(str(path)), user, password=password)
    try:
        return office.clients.count()
    finally:
        office.close()


def test_a_new_path_gets_an_encrypted_demo_office_every_demo_user_signs_in_with_the_same_password(
        path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", _password_file(tmp_path, "new", PASSWORD))

    code, out, err = _run(capsys, "--db", str(path), "demo", "--clients", "20", "--seed", "2")

    assert code == 0, err
    assert office_state(locations.resolve(str(path))) is OfficeState.ENCRYPTED and not _readable_by_sqlite(path)
    assert "Demo office ready" in out and "20 clients" in out
    assert "demo only: every demo user has the same password" in out
    assert "Recovery key (shown only this once): " in out
    for user in ["admin", *DEMO_USERS]:
        assert user in out
        assert _signed_in_clients(path, user, PASSWORD) == 20
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", _password_file(tmp_path, "pw", PASSWORD))
    code, out, _ = _run(capsys, "--db", str(path), "--user", "admin", "users", "list")
    assert code == 0 and "no password yet" not in out and "admin" in out


def test_the_administrator_is_the_user_given_with_the_sign_in_password_file(path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", _password_file(tmp_path, "pw", PASSWORD))
    code, out, err = _run(capsys, "--db", str(path), "--user", "boss", "demo", "--clients", "5")
    assert code == 0, err
    code, out, _ = _run(capsys, "--db", str(path), "--user", "boss", "users", "list")
    assert code == 0 and any(line.split()[:2] == ["boss", "admin"] for line in out.splitlines())


def test_without_a_password_nothing_is_made(path, capsys):
    code, out, err = _run(capsys, "--db", str(path), "demo", "--clients", "5")
    assert code == 2 and "KANTOR_CASES_NEW_PASSWORD_FILE" in err and len(err.strip().splitlines()) == 1
    assert not path.exists() and not office_keys.keys_path(path).exists()


def test_a_just_set_up_office_is_filled_signed_in_as_its_administrator_once(path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", _password_file(tmp_path, "new", PASSWORD))
    assert main(["--db", str(path), "setup", "--firm", "Kantor Law", "--admin", "mk"]) == 0
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", _password_file(tmp_path, "pw", PASSWORD))
    capsys.readouterr()

    code, out, err = _run(capsys, "--db", str(path), "--user", "mk", "demo", "--clients", "12")

    assert code == 0, err
    assert "12 clients" in out and "demo only: every demo user has the same password" in out
    assert "Recovery key" not in out, "the office's recovery key was shown at its set-up"
    assert _signed_in_clients(path, "Luis Ortega", PASSWORD) == 12
    code, _, err = _run(capsys, "--db", str(path), "--user", "mk", "demo", "--clients", "12")
    assert code == 2 and "already has clients" in err


def test_only_an_administrator_fills_an_encrypted_office(path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", _password_file(tmp_path, "new", PASSWORD))
    assert main(["--db", str(path), "setup", "--firm", "Kantor Law", "--admin", "mk"]) == 0
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", _password_file(tmp_path, "pw", PASSWORD))
    assert main(["--db", str(path), "--user", "mk", "users", "add", "eve", "--full-name", "Eve",
                 "--role", "staff"]) == 0
    capsys.readouterr()

    code, _, err = _run(capsys, "--db", str(path), "--user", "eve", "demo", "--clients", "5")

    assert code == 2 and "Only an administrator may fill an encrypted office with the demo" in err
    assert _signed_in_clients(path, "mk", PASSWORD) == 0


def test_a_plain_office_is_filled_as_it_is(path, capsys):
    code, out, err = _run(capsys, "--db", plain_office(path), "demo", "--clients", "5")
    assert code == 0, err
    assert "5 clients" in out and "same password" not in out
    assert office_state(locations.resolve(str(path))) is OfficeState.PLAIN and _readable_by_sqlite(path)
