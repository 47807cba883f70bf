"""Restricted clients on the command line: `clients restrict ID --allow USER…` and `clients
unrestrict ID`, refused to staff; `search`, `clients show` and `clients export` as a user not named
on the client; the conflict check's "restricted client — ask ATTORNEY"."""

from __future__ import annotations

from pathlib import Path

import pytest
from agenda_data import add_matter, add_user

from kantor_cases.cli import main
from kantor_cases.domain.records import ClientDraft
from kantor_cases.services import locations
from kantor_cases.services.office import Office


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> tuple[str, int]:
    path = str(tmp_path / "k.sqlite3")
    office = Office.open(locations.resolve(path), "Ada")
    add_user(office, "Ada", role="admin")
    attorney = add_user(office, "Rosa", role="attorney")
    add_user(office, "Sam", role="staff")
    add_user(office, "Paz", role="staff")
    secret = office.clients.create(ClientDraft(given_name="Zoila", family_name="Quintanilla",
                                               a_number="A123456789")).id
    office.clients.create(ClientDraft(given_name="Zoila", family_name="Quintanar"))
    add_matter(office, secret, attorney_id=attorney)
    office.close()
    return path, secret


def test_restrict_and_unrestrict(capsys, db, tmp_path):
    path, secret = db
    code, out, err = run(capsys, "--db", path, "--user", "Sam", "clients", "restrict", str(secret), "--allow", "Paz")
    assert (code, out, err) == (2, "", "Error: Staff cannot restrict a client or change who may see them; "
                                       "ask an attorney.\n")
    code, out, err = run(capsys, "--db", path, "--user", "Rosa", "clients", "restrict", str(secret), "--allow", "Paz")
    assert (code, out) == (0, f"Client {secret} is restricted: visible only to administrators and Paz, Rosa.\n")

    code, out, _ = run(capsys, "--db", path, "--user", "Sam", "search", "A123456789")
    assert (code, out) == (0, "No matches.\n1 restricted record not shown.\n")
    code, out, err = run(capsys, "--db", path, "--user", "Sam", "clients", "show", str(secret))
    assert code != 0 and "Quintanilla" not in out + err
    code, out, _ = run(capsys, "--db", path, "--user", "Sam", "conflicts", "Zoila", "Quintanilla",
                       "--a-number", "A123456789")
    hit_lines = out.splitlines()[1:]  # the first line repeats the name asked about
    assert "restricted client — ask Rosa" in hit_lines[0] and "Quintanilla" not in "\n".join(hit_lines)
    code, out, _ = run(capsys, "--db", path, "--user", "Sam", "clients", "export", str(tmp_path / "out.csv"))
    assert out.splitlines() == [f"Exported 1 clients to {tmp_path / 'out.csv'}.",
                                "1 restricted record not shown (restricted clients you are not named on)."]
    assert "Quintanilla" not in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")

    code, out, _ = run(capsys, "--db", path, "--user", "Paz", "clients", "show", str(secret))
    assert code == 0 and "Zoila Quintanilla" in out
    code, out, _ = run(capsys, "--db", path, "--user", "Ada", "audit", "list", "--client", str(secret))
    assert code == 0 and "Paz" in out

    code, out, _ = run(capsys, "--db", path, "--user", "Rosa", "clients", "unrestrict", str(secret))
    assert (code, out) == (0, f"Client {secret} is no longer restricted.\n")
    code, out, _ = run(capsys, "--db", path, "--user", "Sam", "search", "A123456789")
    assert code == 0 and "Zoila Quintanilla" in out
