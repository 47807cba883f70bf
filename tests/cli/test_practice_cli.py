"""The practice commands as staff script them: exit codes, JSON shapes, plain errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from plain_office import plain_office

from kantor_cases.cli import main

HEADER = ("first_name,middle_name,last_name,second_last_name,a_number,date_of_birth,country_of_birth,"
          "preferred_language,phone,email,street,city,state,postal_code,notes")


@pytest.fixture
def db(tmp_path: Path) -> str:
    return plain_office(tmp_path / "k.sqlite3")


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


def test_a_dry_run_of_a_clean_file_exits_0_and_says_what_would_happen(capsys, db, tmp_path):
    clean = tmp_path / "clean.csv"
    clean.write_text(HEADER + "\nAna,,Ruiz,,,,,,,,,,,,\nLuis,,Vega,,,,,,,,,,,,\n", encoding="utf-8")
    code, out, _ = run(capsys, "--db", db, "clients", "import", str(clean), "--dry-run")
    assert code == 0 and "Dry run: 2 rows, 2 would be imported (0 invalid, 0 duplicates)" in out


def test_a_file_that_cannot_be_read_whole_exits_2_and_imports_nothing(capsys, db, tmp_path):
    rows = "".join(f"Persona{n},,Ruiz,,,,,,,,,,,,\n" for n in range(30))
    unclosed = tmp_path / "quote.csv"
    unclosed.write_text(HEADER + "\nAna,,Ruiz,,,,,,,,,,,,\"never closed\n" + rows, encoding="utf-8")
    cp1252 = tmp_path / "excel.csv"
    cp1252.write_bytes((HEADER + "\nJosé,,Núñez,,,,,,,,,,,,\n").encode("cp1252"))
    twice = tmp_path / "twice.csv"
    twice.write_text("first_name,last_name,last_name\nAna,Ruiz,Vega\n", encoding="utf-8")
    for path, said in ((unclosed, "line 2 and never closes"), (cp1252, "is not UTF-8: line 2 has the byte 0xE9"),
                       (twice, "more than once")):
        code, out, err = run(capsys, "--db", db, "clients", "import", str(path))
        assert (code, out) == (2, "") and said in err and "Traceback" not in err
    code, out, _ = run(capsys, "--db", db, "clients", "import", str(cp1252), "--encoding", "cp1252")
    assert code == 0 and "Imported 1 of 1" in out
    code, out, _ = run(capsys, "--db", db, "clients", "show", "1")
    assert "José Núñez" in out


def test_a_huge_cell_fails_its_row_and_says_so(capsys, db, tmp_path):
    big = tmp_path / "bigfield.csv"
    big.write_text(HEADER + "\nAna,,Ruiz,,,,,,,,,,,,\nBig,,Notes,,,,,,,,,,,," + "x" * 140_000 + "\n"
                   + "".join(f"Persona{n},,Vega,,,,,,,,,,,,\n" for n in range(3)), encoding="utf-8")
    code, out, _ = run(capsys, "--db", db, "clients", "import", str(big))
    assert code == 1 and "row 3, column notes: is 140,000 characters long" in out
    assert "Nothing was imported: 1 of 5 rows are invalid" in out
    code, out, _ = run(capsys, "--db", db, "clients", "import", str(big), "--skip-invalid")
    assert code == 1 and "Imported 4 of 5 rows (1 invalid, 0 duplicates skipped)" in out


def test_extra_columns_are_refused_or_left_out_and_the_summary_is_true(capsys, db, tmp_path):
    extra = tmp_path / "extra.csv"
    extra.write_text("first_name,last_name,tags\nAna,Ruiz,VIP\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", db, "clients", "import", str(extra))
    assert code == 2 and "--ignore-extra-columns" in err
    code, out, _ = run(capsys, "--db", db, "clients", "import", str(extra), "--ignore-extra-columns")
    assert code == 0 and "column tags: not a column this import knows; left out" in out
    assert "Imported 1 of 1 rows" in out and "Nothing was imported" not in out


def test_export_refuses_to_replace_a_file_without_force_and_the_database_always(capsys, db, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "\n=HYPERLINK(\"http://x\"),,García,,,,,,,,,,,,\n", encoding="utf-8")
    assert run(capsys, "--db", db, "clients", "import", str(good))[0] == 0
    code, _, err = run(capsys, "--db", db, "clients", "export", str(good))
    assert code == 2 and "already exists" in err and "--force" in err
    assert good.read_text(encoding="utf-8").startswith(HEADER)
    code, _, err = run(capsys, "--db", db, "clients", "export", db, "--force")
    assert code == 2 and "office's database" in err
    assert Path(db).read_bytes()[:15] == b"SQLite format 3"
    code, out, _ = run(capsys, "--db", db, "clients", "export", str(good), "--force")
    assert code == 0 and "Exported 1 clients" in out
    exported = list(csv.reader(good.read_text(encoding="utf-8-sig").splitlines()))
    assert exported[1][:3] == ["'=HYPERLINK(\"http://x\")", "", "García"], "a spreadsheet would run the cell"


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
