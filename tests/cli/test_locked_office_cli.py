"""The command line of an encrypted office: setup, signing in, users, db encrypt/decrypt (issue 12)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from plain_office import plain_office

from kantor_cases.cli import main
from kantor_cases.db import office_keys
from kantor_cases.db.office_keys import KdfParameters

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap_key_derivation(monkeypatch):
    monkeypatch.setattr(office_keys, "DEFAULT_KDF", KdfParameters(1, 1024, 1))
    # Never the real key store of whoever runs the tests.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    for variable in ("KANTOR_CASES_PASSWORD_FILE", "KANTOR_CASES_NEW_PASSWORD_FILE", "KANTOR_CASES_USER"):
        monkeypatch.delenv(variable, raising=False)


def _password_file(tmp_path: Path, name: str, password: str) -> Path:
    path = tmp_path / name
    path.write_text(password + "\n", encoding="utf-8")
    return path


@pytest.fixture
def encrypted(tmp_path, monkeypatch, capsys) -> Path:
    path = tmp_path / "office" / "kantor-cases.sqlite3"
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", str(_password_file(tmp_path, "admin-pw", PASSWORD)))
    assert main(["--db", str(path), "setup", "--firm", "Kantor Law", "--admin", "mk",
                 "--full-name", "Miriam Kantor"]) == 0
    monkeypatch.delenv("KANTOR_CASES_NEW_PASSWORD_FILE")
    capsys.readouterr()
    return path


def test_setup_shows_the_recovery_key_once_and_writes_the_sheet(tmp_path, monkeypatch, capsys):
    from pypdf import PdfReader

    path = tmp_path / "office" / "kantor-cases.sqlite3"
    sheet = tmp_path / "recovery.pdf"
    sheet.write_bytes(b"something of the user's")
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", str(_password_file(tmp_path, "pw", PASSWORD)))
    args = ["--db", str(path), "setup", "--firm", "Kantor Law", "--admin", "mk", "--recovery-sheet", str(sheet)]
    assert main(args) == 2
    assert "already exists" in capsys.readouterr().err
    assert not path.exists() and sheet.read_bytes() == b"something of the user's"
    assert main([*args, "--force"]) == 0
    out = capsys.readouterr().out
    recovery_key = out.split("keep it in the office safe):\n", 1)[1].split()[0]
    assert len(recovery_key.replace("-", "")) == 52
    text = "".join(page.extract_text() for page in PdfReader(sheet).pages)
    assert "Kantor Law" in text and recovery_key.split("-")[0] in text
    assert sheet.stat().st_mode & 0o777 == 0o600
    assert main(args) == 2  # never over an existing office
    assert "already exists" in capsys.readouterr().err


def test_a_wrong_or_missing_password_is_exit_2_with_one_line(encrypted, tmp_path, monkeypatch, capsys):
    before = encrypted.read_bytes()
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", str(_password_file(tmp_path, "bad", "not the password")))
    assert main(["--db", str(encrypted), "--user", "mk", "search", "Reyes"]) == 2
    assert capsys.readouterr().err == "Error: The password is wrong.\n"
    monkeypatch.delenv("KANTOR_CASES_PASSWORD_FILE")
    assert main(["--db", str(encrypted), "--user", "mk", "db", "status"]) == 2  # no file, no terminal
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no password was given for mk" in err
    assert main(["--db", str(encrypted), "db", "status"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert encrypted.read_bytes() == before


def test_a_password_is_never_taken_from_the_command_line(encrypted, capsys):
    assert main(["--db", str(encrypted), "--user", "mk", "--password", PASSWORD, "db", "status"]) == 2
    assert "No such option" in capsys.readouterr().err
    for command in (["setup"], ["users", "add"], ["users", "passwd"], ["users", "reset"], ["db", "encrypt"]):
        assert main([*command, "--help"]) == 0
        assert "--password" not in capsys.readouterr().out


def test_users_are_added_listed_and_sign_in(encrypted, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", str(_password_file(tmp_path, "pw", PASSWORD)))
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", str(_password_file(tmp_path, "ruth", "ruths password")))
    assert main(["--db", str(encrypted), "--user", "mk", "users", "add", "ruth", "--full-name", "Ruth Ortiz",
                 "--role", "attorney"]) == 0
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", str(tmp_path / "ruth"))
    monkeypatch.setenv("KANTOR_CASES_USER", "ruth")
    capsys.readouterr()
    assert main(["--db", str(encrypted), "users", "list", "--json"]) == 0
    import json

    listed = json.loads(capsys.readouterr().out)
    assert [(u["name"], u["role"], u["full_name"]) for u in listed] == [("mk", "admin", "Miriam Kantor"),
                                                                          ("ruth", "attorney", "Ruth Ortiz")]
    assert main(["--db", str(encrypted), "users", "add", "eve", "--full-name", "Eve", "--role", "staff"]) == 2
    assert "Attorneys cannot add or change users; ask an administrator." in capsys.readouterr().err


def test_db_encrypt_and_decrypt(tmp_path, monkeypatch, capsys):
    path = tmp_path / "office" / "kantor-cases.sqlite3"
    assert main(["--db", plain_office(path), "demo", "--clients", "30", "--seed", "5"]) == 0
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", str(_password_file(tmp_path, "pw", PASSWORD)))
    capsys.readouterr()
    assert main(["--db", str(path), "--user", "boss", "db", "encrypt"]) == 0
    out = capsys.readouterr().out
    assert "is now encrypted" in out and "NOT encrypted" in out and "They were kept" in out
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", str(tmp_path / "pw"))
    copy = tmp_path / "plain.sqlite3"
    assert main(["--db", str(path), "--user", "boss", "db", "decrypt", "--out", str(copy)]) == 2  # asks; no terminal
    assert not copy.exists()
    assert main(["--db", str(path), "--user", "boss", "db", "decrypt", "--out", str(copy), "--yes"]) == 0
    with sqlite3.connect(copy) as reader:
        assert reader.execute("SELECT count(*) FROM clients").fetchone() == (30,)
    assert main(["--db", str(path), "--user", "boss", "db", "decrypt", "--out", str(copy), "--yes"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_a_remembered_password_signs_in_and_no_key_store_is_said_plainly(encrypted, tmp_path, monkeypatch, capsys):
    import keyring
    from keyring.backend import KeyringBackend

    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", str(_password_file(tmp_path, "pw", PASSWORD)))
    args = ["--db", str(encrypted), "--user", "mk"]
    assert main([*args, "users", "remember"]) == 2  # the null key store of these tests
    assert "has no key store" in capsys.readouterr().err

    class MemoryKeyring(KeyringBackend):
        priority = 1
        stored: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.stored.get((service, username))

        def set_password(self, service, username, password):
            self.stored[(service, username)] = password

        def delete_password(self, service, username):
            self.stored.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        assert main([*args, "users", "remember"]) == 0
        assert list(MemoryKeyring.stored.values()) == [PASSWORD]
        monkeypatch.delenv("KANTOR_CASES_PASSWORD_FILE")
        assert main([*args, "db", "status"]) == 0  # no file, no terminal: the key store answers
        assert main([*args, "users", "forget"]) == 0
        assert main([*args, "db", "status"]) == 2
    finally:
        keyring.set_keyring(previous)


def test_a_command_line_sign_in_is_in_the_audit_trail_with_the_command_but_not_its_arguments(
        encrypted, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", str(_password_file(tmp_path, "pw", PASSWORD)))
    assert main(["--db", str(encrypted), "--user", "mk", "search", "García"]) == 0
    capsys.readouterr()
    assert main(["--db", str(encrypted), "--user", "mk", "audit", "list", "--json"]) == 0
    import json

    rows = json.loads(capsys.readouterr().out)
    sign_ins = [row for row in rows if row["action"] == "sign-in"]
    summaries = {row["summary"] for row in sign_ins}
    assert "signed in at the command line (kantor-cases search)" in summaries
    assert all(row["user"] == "mk" for row in sign_ins)
    assert not any("García" in json.dumps(row, ensure_ascii=False) for row in sign_ins)
