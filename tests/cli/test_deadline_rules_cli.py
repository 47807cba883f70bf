"""Issue 14 at the command line: every rule version listed, compute shows the version, citation, roll
reason and alternative date, takes a judge's period or a notice's date, and the firm's one-step switch."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from agenda_data import add_matter, add_user

from kantor_cases.cli import main
from kantor_cases.domain.deadline_rules import RULES
from kantor_cases.services import locations
from kantor_cases.services.office import Office


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_rules_json_lists_every_version_with_its_dates_and_review(capsys, tmp_path: Path):
    code, out, err = run(capsys, "--db", str(tmp_path / "none.sqlite3"), "deadlines", "rules", "--json")
    assert code == 0, err
    rows = {row["id"]: row for row in json.loads(out)}
    assert set(rows) == set(RULES)
    appeal = rows["bia-appeal"]
    assert [version["period"] for version in appeal["versions"]] == ["30 days", "10 days"]
    assert [version["in_use"] for version in appeal["versions"]] == [True, False]
    assert appeal["versions"][1]["effective_from"] == "2026-03-09"
    assert appeal["versions"][1]["switch"] == "bia-appeal-10-day"
    assert "vacated" in appeal["watch"]
    assert all(row["versions"] and row["versions"][0]["last_reviewed"] for row in rows.values())
    assert not (tmp_path / "none.sqlite3").exists()  # listing rules creates no office


def test_compute_shows_version_citation_roll_reason_and_alternative(capsys, tmp_path: Path):
    db = str(tmp_path / "none.sqlite3")
    code, out, err = run(capsys, "--db", db, "deadlines", "compute", "petition-for-review", "--trigger", "2026-10-28")
    assert code == 0, err
    assert "Due:       Fri 27 Nov 2026" in out and "Or:        Mon 30 Nov 2026" in out
    assert "Version:   in force (last reviewed 06 Dec 2026)" in out and "FRAP 26(a)" in out
    code, out, err = run(capsys, "--db", db, "deadlines", "compute", "vd-departure", "--trigger", "2021-10-12",
                         "--period", "60", "--json")
    result = json.loads(out)
    assert (result["due"], result["raw_due"]) == ("2021-12-13", "2021-12-11")
    assert "Monsalvo" in result["rolled"] and result["version"] and result["last_reviewed"] == "2026-12-06"
    code, out, err = run(capsys, "--db", db, "deadlines", "compute", "uscis-rfe-response", "--trigger",
                         "2026-09-01", "--due", "2026-11-28", "--json")
    result = json.loads(out)
    assert (result["due"], result["alternative_due"]) == ("2026-11-28", "2026-11-30")
    assert result["reminders"] == ["2026-10-29", "2026-11-14", "2026-11-21"]


def test_compute_refuses_a_missing_notice_date_in_one_line(capsys, tmp_path: Path):
    code, out, err = run(capsys, "--db", str(tmp_path / "none.sqlite3"), "deadlines", "compute",
                         "tps-reregistration", "--trigger", "2026-09-01")
    assert code == 2 and out == ""
    assert "Federal Register notice" in err and len(err.strip().splitlines()) == 1


def test_the_attorney_switches_on_the_10_day_bia_appeal_in_one_step(capsys, tmp_path: Path):
    db = str(tmp_path / "k.sqlite3")
    office = Office.open(locations.resolve(db), "Ana")
    add_user(office, "Ana", role="staff")
    add_user(office, "Rosa Kantor")
    matter = add_matter(office)
    office.deadlines.record_event(matter, "ij_decision", date(2026, 5, 20))
    office.close()
    code, out, err = run(capsys, "--db", db, "--user", "Ana", "deadlines", "rule-switch", "bia-appeal-10-day",
                         "--on", "--reason", "vacatur stayed")
    assert code == 2 and err == "Error: Staff cannot change a deadline rule; ask an attorney.\n"
    code, out, err = run(capsys, "--db", db, "--user", "Rosa Kantor", "deadlines", "rule-switch",
                         "bia-appeal-10-day", "--on", "--reason", "vacatur stayed")
    assert code == 0, err
    assert "1 open deadlines recomputed" in out and "2026-06-01" in out
    code, out, err = run(capsys, "--db", db, "deadlines", "compute", "bia-appeal", "--trigger", "2026-05-20")
    assert "Due:       Mon 1 Jun 2026" in out and "Version:   10 days" in out
    code, out, err = run(capsys, "--db", db, "deadlines", "compute", "bia-appeal", "--trigger", "2026-05-20",
                         "--built-in")
    assert "Due:       Mon 22 Jun 2026" in out
    code, out, err = run(capsys, "--db", db, "deadlines", "list", str(matter), "--history", "--json")
    dues = sorted(record["due"] for record in json.loads(out) if record["rule_id"] == "bia-appeal")
    assert dues == ["2026-06-01", "2026-06-22"]


def test_deadlines_add_puts_a_notice_date_on_a_matter(capsys, tmp_path: Path):
    db = str(tmp_path / "k.sqlite3")
    office = Office.open(locations.resolve(db), "Ana")
    matter = add_matter(office, kind="benefit")
    office.close()
    code, out, err = run(capsys, "--db", db, "deadlines", "add", str(matter), "uscis-rfe-response", "--trigger",
                         "2026-09-01", "--due", "2026-11-28", "--json")
    assert code == 0, err
    record = json.loads(out)
    assert (record["rule_id"], record["due"]) == ("uscis-rfe-response", "2026-11-28")
    assert "Mon 30 Nov 2026" in record["ambiguity"]
