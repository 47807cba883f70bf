"""`follow-ups add` and `follow-ups list` as a person types them: what is saved, what is printed, the
true count however many there are, and one sentence with a non-zero exit for what the office does
not know (a client, a user) or a due date that cannot be."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from agenda_data import add_client, add_matter, add_user
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kantor_cases.cli import main
from kantor_cases.db.models import FollowUp, Letter
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.follow_up_due import MAX_DAYS_AHEAD, due_date
from kantor_cases.services import locations
from kantor_cases.services.office import Office, fallback_user


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office_ids(tmp_path: Path) -> dict[str, object]:
    path = tmp_path / "k.sqlite3"
    office = Office.open(locations.resolve(str(path)), fallback_user())
    add_user(office, fallback_user(), "staff")  # the commands act as the login name
    add_user(office, "Rosa Kantor")
    client = add_client(office)
    other = add_client(office, "Olga", "Ivanova", "")
    matter = add_matter(office, client)
    today = office.clock.today()
    office.close()
    return {"db": str(path), "client": client, "other": other, "matter": matter, "today": today}


def test_add_about_a_matter_in_days_for_someone_else_repeating(capsys, office_ids):
    ids = office_ids
    code, out, err = run(capsys, "--db", ids["db"], "follow-ups", "add", "--matter", str(ids["matter"]),
                         "--note", "Ask for the tax returns", "--in", "3", "--assign", "rosa kantor",
                         "--every", "14", "--json")
    assert code == 0, err
    saved = json.loads(out)
    assert saved["matter_id"] == ids["matter"] and saved["client_id"] == ids["client"]
    assert saved["due"] == (ids["today"] + timedelta(days=3)).isoformat()
    assert saved["assignee"] == "Rosa Kantor" and saved["recurrence_days"] == 14

    code, out, _ = run(capsys, "--db", ids["db"], "follow-ups", "add", "--client", str(ids["other"]),
                       "--note", "Call Olga", "--due", (ids["today"] + timedelta(days=10)).isoformat())
    assert code == 0 and out.startswith("Added follow-up ") and f"for {fallback_user()}" in out


def test_list_says_the_true_count_and_filters_by_user_and_client(capsys, office_ids):
    ids = office_ids
    office = Office.open(locations.resolve(ids["db"]), fallback_user())
    with office.database.write() as session:
        session.add_all(FollowUp(client_id=ids["client"], assignee="Rosa Kantor", due_on=ids["today"] + timedelta(n % 9),
                                 note=f"Task {n}", created_by="test", updated_by="test") for n in range(120))
    office.follow_ups.create(ids["today"], "Olga's", client_id=ids["other"])
    office.close()

    code, out, _ = run(capsys, "--db", ids["db"], "follow-ups", "list")
    assert code == 0
    assert out.splitlines()[0] == "121 open follow-ups in the office; the first 50 (--limit for more):"
    assert len(out.splitlines()) == 51
    code, out, _ = run(capsys, "--db", ids["db"], "follow-ups", "list", "--user", "Rosa Kantor",
                       "--client", str(ids["client"]), "--limit", "500", "--json")
    listed = json.loads(out)
    assert listed["total"] == listed["shown"] == 120
    assert {row["assignee"] for row in listed["follow_ups"]} == {"Rosa Kantor"}
    code, out, _ = run(capsys, "--db", ids["db"], "follow-ups", "list", "--client", str(ids["other"]))
    assert out.splitlines()[0] == f"1 open follow-up about client {ids['other']}:" and "Olga's" in out


@pytest.mark.parametrize("args, words", [
    (("add", "--client", "999", "--note", "x", "--in", "1"), "Client 999 does not exist"),
    (("add", "--matter", "999", "--note", "x", "--in", "1"), "Matter 999 does not exist"),
    (("add", "--client", "1", "--note", "x", "--in", "1", "--assign", "Nobody"), "Nobody is not an active user"),
    (("add", "--client", "1", "--note", "x", "--due", "2001-01-01"), "in the past"),
    (("add", "--client", "1", "--note", "x", "--in", "1", "--due", "2030-01-01"), "one of the two"),
    (("add", "--client", "1", "--note", "x"), "one of the two"),
    (("list", "--user", "Nobody"), "Nobody is not an active user"),
    (("list", "--client", "999"), "999"),
])
def test_what_the_office_does_not_know_is_one_sentence_and_a_non_zero_exit(capsys, office_ids, args, words):
    code, out, err = run(capsys, "--db", office_ids["db"], "follow-ups", *args)
    assert code != 0 and out == ""
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_client_and_matter_together_is_a_usage_error(capsys, office_ids):
    code, _, err = run(capsys, "--db", office_ids["db"], "follow-ups", "add", "--client", "1", "--matter", "1",
                       "--note", "x", "--in", "1")
    assert code == 2 and "one of the two" in err


TODAY = date(2026, 6, 1)


@given(in_days=st.one_of(st.none(), st.integers(-10_000, 10_000)),
       on=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2050, 1, 1))))
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_due_date_is_today_or_later_within_ten_years_or_refused_in_words(in_days, on):
    """What --in/--due (and the dialog) accept: exactly one of the two, giving a day from today to ten
    years ahead; anything else is a ValidationError, never another exception or a day outside."""
    try:
        due = due_date(TODAY, in_days, on)
    except ValidationError as error:
        assert str(error) and "\n" not in str(error)
        assert (in_days is None) == (on is None) or (in_days is not None and not 0 <= in_days <= MAX_DAYS_AHEAD) \
            or (on is not None and not 0 <= (on - TODAY).days <= MAX_DAYS_AHEAD)
        return
    assert (in_days is None) != (on is None)
    assert TODAY <= due <= TODAY + timedelta(days=MAX_DAYS_AHEAD)
    assert due == (TODAY + timedelta(days=in_days) if in_days is not None else on)


def test_the_reminders_a_batch_prints_close_their_follow_ups(capsys, tmp_path):
    """The real path of "53 letters printed, 53 tasks still open": a demo office's daily check raises
    the "send the hearing reminder" follow-ups; `letters batch` prints the reminders; the follow-ups
    of the hearings it printed are done, those it could not print stay open."""
    from plain_office import plain_office
    from sqlalchemy import select

    db = str(tmp_path / "demo.sqlite3")
    assert main(["--db", plain_office(db), "demo", "--clients", "200", "--seed", "7"]) == 0
    assert main(["--db", db, "follow-ups", "daily"]) == 0
    capsys.readouterr()
    office = Office.open(locations.resolve(db), fallback_user())
    raised = office.follow_ups.count_open(rule_id="hearing-reminder")
    office.close()
    assert raised > 0
    code, out, _ = run(capsys, "--db", db, "letters", "batch", "hearing-reminder", "--hearings-within", "30",
                       "--out", str(tmp_path / "batch"), "--json")
    report = json.loads(out)
    assert report["letters"] > 0
    office = Office.open(locations.resolve(db), fallback_user())
    try:
        with office.database.read() as session:
            rows = session.execute(select(FollowUp.auto_key, FollowUp.status, FollowUp.done_note)
                                   .where(FollowUp.auto_key.like("hearing-reminder:%"))).all()
            printed = set(session.scalars(select(Letter.hearing_id).where(Letter.template_id == "hearing-reminder")))
    finally:
        office.close()
    done = [row for row in rows if row.status == "done"]
    assert len(done) == report["letters"] == raised - len([row for row in rows if row.status == "open"])
    assert all(row.done_note == "reminder letter printed" for row in done)
    assert {int(row.auto_key.split(":")[1]) for row in done} == printed
