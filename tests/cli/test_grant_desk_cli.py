"""`db grant-desk ROLE` is a shared PostgreSQL office's (tests/db/test_postgres_audit_roles.py): an
office file has no database roles and says so."""

from __future__ import annotations

from kantor_cases.cli import main
from kantor_cases.services import locations
from kantor_cases.services.office import Office


def test_an_office_file_has_no_desk_roles_to_grant(capsys, tmp_path):
    path = str(tmp_path / "k.sqlite3")
    Office.open(locations.resolve(path), "Ada").close()
    assert main(["--db", path, "--user", "Ada", "db", "grant-desk", "front_desk"]) == 2
    assert "Only a PostgreSQL office" in capsys.readouterr().err
