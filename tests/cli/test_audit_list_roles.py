"""The office-wide audit list names every client, restricted ones too: administrators only."""

from __future__ import annotations

from plain_office import plain_office

from kantor_cases.cli import main
from kantor_cases.services import locations
from kantor_cases.services.office import Office, fallback_user


def test_staff_cannot_read_the_whole_audit_trail_and_an_administrator_can(tmp_path, capsys):
    path = plain_office(tmp_path / "office.sqlite3")
    office = Office.open(locations.resolve(path), fallback_user())
    office.settings.save_user("beto", role="staff")
    office.close()
    capsys.readouterr()
    assert main(["--db", path, "--user", "beto", "audit", "list"]) == 2
    assert capsys.readouterr().err == "Error: Staff cannot see the whole office's audit trail; ask an administrator.\n"
    assert main(["--db", path, "audit", "list", "--json"]) == 0
