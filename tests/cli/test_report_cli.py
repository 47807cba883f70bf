"""`kantor-cases reports list` and `reports run`: the JSON's shape, CSV and PDF files, refusals."""

from __future__ import annotations

import json

import pytest
from report_office import build

from kantor_cases.cli import main


@pytest.fixture
def path(tmp_path):
    made = build(str(tmp_path / "office.sqlite3"))
    made.office.close()
    return str(tmp_path / "office.sqlite3")


def run(path: str, *args: str) -> int:
    return main(["--db", path, "--user", "Ada", "reports", *args])


def test_list_names_the_six_reports(path, capsys):
    capsys.readouterr()
    assert run(path, "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [item["id"] for item in listed] == ["caseload", "hearings", "pd-outcomes", "deadlines-kept", "employment",
                                               "intake"]


def test_run_json_has_the_agreed_shape(path, capsys):
    capsys.readouterr()
    assert run(path, "run", "pd-outcomes", "--from", "2025-01-01", "--to", "2026-06-01", "--json") == 0
    printed = json.loads(capsys.readouterr().out)
    assert {"report", "filters", "generated_at", "rows", "totals"} <= set(printed)
    assert printed["report"] == "pd-outcomes"
    assert printed["filters"] == {"from": "2025-01-01", "to": "2026-06-01", "attorney": None, "kind": None,
                                  "stall_days": 90}
    assert printed["totals"]["requests"] == 9 and printed["totals"]["closed"] == 2
    first = printed["tables"][0]
    assert printed["rows"] == [dict(zip(first["columns"], row, strict=True)) for row in first["rows"]]
    assert printed["rows"][0].keys() == {"Regime", "Status", "Requests"}
    assert sum(row["Requests"] for row in printed["rows"]) == 9
    assert [table["title"] for table in printed["tables"]][:2] == ["Requests by regime and status",
                                                                    "Requests that reached each step"]


def test_staff_gets_the_restricted_note_in_the_json(path, capsys):
    capsys.readouterr()
    assert main(["--db", path, "--user", "Sam", "reports", "run", "caseload", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["notes"] == ["2 restricted matters not shown."]


def test_csv_and_pdf_are_written_once_and_replaced_only_with_force(path, tmp_path, capsys):
    target = tmp_path / "caseload.pdf"
    assert run(path, "run", "caseload", "--pdf", str(target)) == 0
    assert target.read_bytes().startswith(b"%PDF")
    made = target.stat().st_mtime_ns
    capsys.readouterr()
    assert run(path, "run", "caseload", "--pdf", str(target)) == 2
    assert "already exists" in capsys.readouterr().err
    assert target.stat().st_mtime_ns == made
    assert run(path, "run", "caseload", "--pdf", str(target), "--force") == 0
    sheet = tmp_path / "intake.csv"
    assert run(path, "run", "intake", "--csv", str(sheet)) == 0
    assert "New clients by language" in sheet.read_text("utf-8-sig")


@pytest.mark.parametrize(("args", "words"), [
    (("run", "caseload"), "Give exactly one of --json, --csv FILE or --pdf FILE."),
    (("run", "caseload", "--json", "--pdf", "x.pdf"), "Give exactly one of"),
    (("run", "caseload", "--attorney", "Nobody", "--json"), "There is no user called “Nobody”"),
    (("run", "caseload", "--from", "2026-05-01", "--to", "2026-01-01", "--json"), "swap the two dates"),
    (("run", "payroll", "--json"), "payroll"),
])
def test_mistakes_exit_2_with_one_line(path, capsys, args, words):
    capsys.readouterr()
    assert run(path, *args) == 2
    assert words in capsys.readouterr().err
