"""Roles on the command line: a command the acting role may not run is refused with the permission
table's sentence on one line, exit 2, and nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from agenda_data import add_matter, add_user

from kantor_cases.cli import main
from kantor_cases.services import locations
from kantor_cases.services.office import Office


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "k.sqlite3")
    office = Office.open(locations.resolve(path), "Ada")
    add_user(office, "Ada", role="admin")
    add_user(office, "Rosa Kantor", role="attorney")
    add_user(office, "Rita", role="read-only")
    add_matter(office)
    office.close()
    return path


def test_an_attorney_cannot_restore_a_backup(capsys, db, tmp_path):
    office = Office.open(locations.resolve(db), "Ada")
    backup = office.backups.back_up(out=tmp_path / "copy.sqlite3").path
    office.close()
    code, out, err = run(capsys, "--db", db, "--user", "Rosa Kantor", "restore", str(backup), "--yes")
    assert (code, out, err) == (2, "", "Error: Attorneys cannot restore a backup; ask an administrator.\n")
    code, out, err = run(capsys, "--db", db, "--user", "Ada", "restore", str(backup), "--yes")
    assert code == 0, err


def test_a_name_that_is_not_a_user_is_read_only(capsys, db):
    code, out, err = run(capsys, "--db", db, "--user", "Mallory", "deadlines", "add", "1", "vd-departure",
                         "--trigger", "2026-06-01", "--period", "60")
    assert (code, out, err) == (2, "", "Error: Read-only users cannot add, assign or complete a deadline; ask a "
                                       "staff member or an attorney.\n")
    code, out, err = run(capsys, "--db", db, "--user", "Mallory", "deadlines", "list", "1", "--json")
    assert code == 0 and out.strip() == "[]"  # reading is everyone's, and nothing was added


def test_a_read_only_user_cannot_export_the_clients(capsys, db, tmp_path):
    target = tmp_path / "clients.csv"
    code, out, err = run(capsys, "--db", db, "--user", "Rita", "clients", "export", str(target))
    assert (code, err) == (2, "Error: Read-only users cannot export the client list; ask a staff member or an "
                              "attorney.\n")
    assert not target.exists()
