"""The practice commands as staff script them: exit codes, JSON shapes, plain errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kantor_cases.cli import main

HEADER = ("first_name,middle_name,last_name,second_last_name,a_number,date_of_birth,country_of_birth,"
          "preferred_language,phone,email,street,city,state,postal_code,notes")


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "k.sqlite3")


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_exit_codes(capsys, db, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "\nMaría,,García,López,A012345678,1980-04-02,,es,,,,,,,\n", encoding="utf-8")
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(HEADER + "\nAna,,Ruiz,,,,,,,,,,,,\nBad,,Row,,A1,,,,,,,,,,\n", encoding="utf-8")
    code, out, _ = run(capsys, "--db", db, "clients", "import", str(good))
    assert code == 0 and "Imported 1 of 1" in out
    code, out, _ = run(capsys, "--db", db, "clients", "import", str(mixed), "--json")
    report = json.loads(out)
    assert code == 1 and report["imported"] == 0 and report["problems"][0]["row"] == 3
    code, out, _ = run(capsys, "--db", db, "clients", "import", str(mixed), "--skip-invalid")
    assert code == 1 and "Imported 1 of 2" in out
    code, _, err = run(capsys, "--db", db, "clients", "import", str(tmp_path / "missing.csv"))
    assert code == 2 and "does not exist" in err
    code, out, _ = run(capsys, "--db", db, "clients", "import", str(good), "--dry-run")
    assert code == 1 and "duplicates" in out


def test_search_show_and_conflicts_json(capsys, db, tmp_path):
    assert main(["--db", db, "demo", "--clients", "300", "--seed", "7"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--db", db, "clients", "show", "1", "--json")
    client = json.loads(out)
    assert code == 0 and client["id"] == 1 and "matters" in client and "full_name" in client
    family = client["family_name"]
    code, out, _ = run(capsys, "--db", db, "search", family, "--json", "--limit", "5")
    hits = json.loads(out)
    assert code == 0 and 0 < len(hits) <= 5 and {"kind", "id", "name"} <= set(hits[0])
    code, out, _ = run(capsys, "--db", db, "conflicts", client["full_name"], "--json")
    report = json.loads(out)
    assert code == 0 and any(h["id"] == 1 and h["kind"] == "client" for h in report["hits"])
    matter_id = client["matters"][0]["id"]
    code, out, _ = run(capsys, "--db", db, "matters", "show", str(matter_id), "--json")
    assert code == 0 and json.loads(out)["client_id"] == 1


def test_mistakes_are_one_line_and_exit_2(capsys, db):
    code, _, err = run(capsys, "--db", db, "clients", "show", "99999")
    assert code == 2 and "does not exist" in err and "Traceback" not in err
    code, _, err = run(capsys, "--db", db, "conflicts", "Ana", "--dob", "2026-02-30")
    assert code == 2 and "not a real date" in err
    code, _, err = run(capsys, "--db", db, "conflicts", "Ana", "--a-number", "A12")
    assert code == 2 and "A-number" in err
    code, _, err = run(capsys, "--db", db, "search", '"NEAR(', "--json")
    assert code == 0


def test_demo_refuses_a_database_that_already_has_clients(capsys, db):
    assert main(["--db", db, "demo", "--clients", "5"]) == 0
    code, _, err = run(capsys, "--db", db, "demo", "--clients", "5")
    assert code == 2 and "already has clients" in err
