"""The deadline, agenda and calendar commands as a user types them: output, JSON keys, exit codes."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from agenda_data import add_hearing, add_matter, add_user
from plain_office import plain_office

from kantor_cases.cli import main
from kantor_cases.domain.deadline_rules import RULES
from kantor_cases.services import locations
from kantor_cases.services.office import Office, fallback_user


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return Path(plain_office(tmp_path / "k.sqlite3"))


@pytest.fixture
def filled(db: Path):
    """An office with a removal matter whose appeal falls due in 3 to 6 days, and a hearing in 3 days."""
    office = Office.open(locations.resolve(str(db)), fallback_user())  # who the commands act as
    rosa = add_user(office, "Rosa Kantor")
    matter = add_matter(office, attorney_id=rosa)
    office.deadlines.record_event(matter, "ij_decision", date.today() - timedelta(days=27))
    hearing = add_hearing(office, matter, datetime.combine(date.today() + timedelta(days=3), datetime.min.time())
                          .replace(hour=9))
    office.close()
    return {"matter": matter, "hearing": hearing}


def test_rules_lists_every_rule(capsys):
    code, out, _ = run(capsys, "deadlines", "rules")
    assert code == 0
    assert len([line for line in out.splitlines() if not line.startswith(" ")]) == len(RULES)
    assert "bia-appeal" in out and "8 CFR 1003.38(b)" in out and "california-courts" in out
    code, out, _ = run(capsys, "deadlines", "rules", "--json")
    rows = json.loads(out)
    assert {row["id"] for row in rows} == set(RULES)
    assert {"id", "period", "calendar", "citation"} <= set(rows[0])


def test_compute_json_has_the_promised_keys(capsys):
    code, out, err = run(capsys, "deadlines", "compute", "bia-appeal", "--trigger", "2026-05-20", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert {"rule", "trigger", "due", "raw_due", "calendar", "citation", "rolled"} <= set(result)
    assert result["rule"] == "bia-appeal" and result["trigger"] == "2026-05-20"
    assert result["raw_due"] == "2026-06-19" and result["due"] == "2026-06-22"
    assert "Juneteenth" in result["rolled"] and result["calendar"] == "federal"
    code, out, _ = run(capsys, "deadlines", "compute", "ij-motion-reopen", "--trigger", "2026-05-20", "--json")
    assert json.loads(out)["rolled"] is None


def test_compute_reads_as_text(capsys):
    code, out, _ = run(capsys, "deadlines", "compute", "bia-appeal", "--trigger", "2026-05-20")
    assert code == 0
    assert "Due:       Mon 22 Jun 2026" in out and "Juneteenth" in out and "8 CFR 1003.38(b)" in out


@pytest.mark.parametrize("args, words", [
    (("deadlines", "compute", "bia-apeal", "--trigger", "2026-05-20"), "Unknown deadline rule 'bia-apeal'"),
    (("deadlines", "compute", "bia-appeal", "--trigger", "2026-02-30"), "not a real date"),
    (("deadlines", "compute", "bia-appeal", "--trigger", "tomorrow"), "not a date"),
    (("deadlines", "compute", "bia-appeal"), "Missing option '--trigger'"),
    (("deadlines", "compute", "bia-appeal", "--trigger", "1850-01-01"), "Court calendars cover"),
])
def test_user_mistakes_are_one_line_and_exit_2(capsys, args, words):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert words in err and "Traceback" not in err
    assert out == ""


def test_agenda_text_and_json(capsys, db, filled):
    code, out, err = run(capsys, "--db", str(db), "agenda")
    assert code == 0, err
    assert "This week:" in out and "Hearing" in out and "8 CFR 1003.38(b)" in out
    code, out, _ = run(capsys, "--db", str(db), "agenda", "--json", "--days", "10")
    data = json.loads(out)
    kinds = {item["kind"] for item in data["items"]}
    assert kinds == {"deadline", "hearing"} and data["days"] == 10
    appeal = next(item for item in data["items"] if item["code"] == "bia-appeal")
    assert {"id", "due", "title", "client_name", "matter_id", "client_id", "assignee", "citation"} <= set(appeal)
    assert appeal["matter_id"] == filled["matter"] and appeal["assignee"] == "Rosa Kantor"
    code, out, _ = run(capsys, "--db", str(db), "agenda", "--user", "Luis", "--json")
    assert json.loads(out)["items"] == []
    code, _, err = run(capsys, "--db", str(db), "agenda", "--days", "0")
    assert code == 2 and "--days" in err


def test_calendar_export_writes_an_ics_that_reimports_with_the_same_uids(capsys, db, filled, tmp_path):
    target = tmp_path / "kantor.ics"
    code, out, err = run(capsys, "--db", str(db), "calendar", "export", str(target), "--days", "30")
    assert code == 0, err
    assert f"to {target}" in out
    first = {str(e["UID"]) for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")}
    assert f"hearing-{filled['hearing']}@kantor-cases" in first
    code, out, err = run(capsys, "--db", str(db), "calendar", "export", str(target), "--days", "30", "--force")
    assert code == 0, err
    assert {str(e["UID"]) for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")} == first


def test_calendar_export_refuses_an_existing_file_unless_forced(capsys, db, tmp_path):
    target = tmp_path / "outlook.ics"
    target.write_text("BEGIN:VCALENDAR\r\nX-MINE:the attorney's own calendar\r\nEND:VCALENDAR\r\n")
    before = target.read_bytes()
    code, out, err = run(capsys, "--db", str(db), "calendar", "export", str(target))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"{target} already exists" in err and "--force" in err
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_calendar_export_never_writes_into_the_backups_folder(capsys, db):
    backups = locations.resolve(str(db)).backups
    backups.mkdir(parents=True, exist_ok=True)
    code, _, err = run(capsys, "--db", str(db), "calendar", "export", str(backups / "kantor.ics"), "--force")
    assert code == 2 and "backups folder" in err and err.count("\n") == 1
    assert not (backups / "kantor.ics").exists()


@pytest.mark.parametrize("name, words", [("kantor.txt", "should end in .ics"),
                                         ("missing/kantor.ics", "does not exist")])
def test_calendar_export_mistakes_are_exit_2(capsys, db, tmp_path, name, words):
    code, _, err = run(capsys, "--db", str(db), "calendar", "export", str(tmp_path / name))
    assert code == 2 and words in err


def test_event_list_and_done_on_a_matter(capsys, db, filled):
    matter = str(filled["matter"])
    code, out, err = run(capsys, "--db", str(db), "deadlines", "event", matter, "vd_granted", "--date", "2026-06-30")
    assert code == 0, err
    assert "vd-bond" in out and "2026-07-07" in out
    code, out, _ = run(capsys, "--db", str(db), "deadlines", "list", matter, "--json")
    records = json.loads(out)
    assert {r["rule_id"] for r in records} == {"bia-appeal", "ij-motion-reconsider", "ij-motion-reopen", "vd-bond"}
    bond = next(r for r in records if r["rule_id"] == "vd-bond")
    code, out, _ = run(capsys, "--db", str(db), "deadlines", "done", str(bond["id"]), "--note", "bond posted")
    assert code == 0 and "Done:" in out
    code, _, err = run(capsys, "--db", str(db), "deadlines", "done", str(bond["id"]))
    assert code == 2 and "already marked done" in err
    code, _, err = run(capsys, "--db", str(db), "deadlines", "event", matter, "sentencing", "--date", "2026-06-30")
    assert code == 2 and "sentencing" in err


def test_daily_follow_up_check(capsys, db, filled):
    code, out, err = run(capsys, "--db", str(db), "follow-ups", "daily", "--json")
    assert code == 0, err
    result = json.loads(out)
    # The removal case was never verified with EOIR, and the hearing in 3 days has no reminder letter.
    assert result["eoir_unverified"] == 1 and result["hearing_reminders"] == 1
    code, out, _ = run(capsys, "--db", str(db), "follow-ups", "daily", "--json")
    assert json.loads(out)["eoir_unverified"] == 0
