"""The log holds no client data (issue 12 item 5): a scripted day of work with known, unusual names
and A-numbers, through the services and the command line, logged at DEBUG into the real log file;
then the log is searched for every name and A-number, in every form they are written in."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kantor_cases.cli import PRIVATE_AFTER, loggable_command
from kantor_cases.db import office_keys
from kantor_cases.db.office_keys import KdfParameters
from kantor_cases.domain.calendars import get_calendar
from kantor_cases.domain.errors import ConflictError
from kantor_cases.domain.records import (
    ClientDraft,
    ConflictCandidate,
    HearingDraft,
    MatterDraft,
    RemovalCaseDraft,
)
from kantor_cases.services import accounts, locations
from kantor_cases.services.clients import with_changes

PASSWORD = "correct horse battery"
# Names no library, template or path holds: any trace of them in the log came from a client.
CLIENT = ("Zyxwvut", "Qqqplorn", "A098765432")
IMPORTED = ("Vexlindra", "Wopquartz", "A087654321")
REJECTED = ("Jubbleworth", "Frinkelstaff", "A076543210")
CONFLICT_SAVE = "Zyxwvutine"


def _forms(given: str, family: str, a_number: str) -> set[str]:
    digits = a_number[1:]
    return {given, family, a_number, digits, f"A{digits[:3]}-{digits[3:6]}-{digits[6:]}",
            f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"}


@pytest.fixture
def debug_log(tmp_path, monkeypatch):
    """The program's own log set-up (app.configure_logging) at DEBUG, into a log folder of this test."""
    from kantor_cases import app

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    log_file = Path(app.configure_logging(logging.DEBUG))
    yield log_file
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def _cli(*args: str) -> int:
    from kantor_cases.cli import main

    return main(list(args))


def test_a_day_of_work_leaves_no_client_name_or_a_number_in_the_log(debug_log, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(office_keys, "DEFAULT_KDF", KdfParameters(1, 1024, 1))
    database = tmp_path / "office" / "kantor-cases.sqlite3"
    place = locations.resolve(str(database))
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    wrong_file = tmp_path / "wrong"
    wrong_file.write_text("not the password at all\n", encoding="utf-8")
    monkeypatch.setenv("KANTOR_CASES_USER", "mk")
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", str(password_file))
    db = ["--db", str(database)]

    # Morning: set-up, the letterhead, a walk-in's conflict check and intake, a hearing, a letter.
    office = accounts.set_up_office(place, "Kantor Law", "mk", "Miriam Kantor", PASSWORD).office
    try:
        firm = office.settings.firm()
        office.settings.update_firm(replace(firm, firm_name="Kantor Law", attorney_name="Miriam Kantor",
                                            bar_number="123456", street="9454 Wilshire Boulevard",
                                            city="Beverly Hills", state="CA", postal_code="90212"), firm.version)
        given, family, a_number = CLIENT
        report = office.conflicts.check(ConflictCandidate(f"{given} {family}", a_number))
        court = next(c for c in office.settings.courts(include_closed=True) if c.code == "LOS")
        client, matter = office.intake.intake(
            ClientDraft(given_name=given, family_name=family, a_number=a_number, preferred_language="es",
                        street="1 Qqqplorn Way", city="Los Angeles", state="CA", postal_code="90026"),
            report, True, MatterDraft(kind="removal", removal=RemovalCaseDraft(court_id=court.id,
                                                                               custody="released")))
        day = get_calendar("federal").next_business_day(office.clock.today() + timedelta(days=5))
        office.hearings.add_hearing(matter.id, HearingDraft(starts_at=datetime.combine(day, time(8, 30)),
                                                            hearing_type="master", courtroom="Courtroom 12"))
        office.letters.generate("hearing-reminder", matter_id=matter.id)
        # Someone else saved the client meanwhile: this save is refused as stale.
        office.clients.update(client.id, with_changes(client, notes="moved"), client.version)
        with pytest.raises(ConflictError):
            office.clients.update(client.id, with_changes(client, given_name=CONFLICT_SAVE), client.version)
    finally:
        office.close()

    # Afternoon, on the command line: a batch, an import with a bad row, exports, a backup, a search.
    assert _cli(*db, "letters", "batch", "hearing-reminder", "--hearings-within", "30", "--force", "--out", str(tmp_path / "run")) == 0
    rows = tmp_path / "clients.csv"
    rows.write_text("first_name,last_name,a_number,date_of_birth\n"
                    f"{IMPORTED[0]},{IMPORTED[1]},{IMPORTED[2]},1980-04-02\n"
                    f"{REJECTED[0]},{REJECTED[1]},{REJECTED[2]},1980-02-30\n", encoding="utf-8")
    assert _cli(*db, "clients", "import", str(rows), "--skip-invalid") == 1
    assert _cli(*db, "clients", "export", str(tmp_path / "export.csv")) == 0
    assert _cli(*db, "calendar", "export", str(tmp_path / "office.ics")) == 0
    assert _cli(*db, "backup") == 0
    assert _cli(*db, "search", CLIENT[1]) == 0
    assert _cli(*db, "conflicts", f"{IMPORTED[0]} {IMPORTED[1]}", "--a-number", IMPORTED[2]) == 0
    assert _cli(*db, "clients", "show", str(client.id)) == 0
    # A bug in a command whose arguments are client data: the traceback goes to the log, they do not.
    import kantor_cases.letters as renderer

    def broken_renderer(*_args, **_kwargs):
        raise RuntimeError("a bug in the renderer")

    with monkeypatch.context() as patch:
        patch.setattr(renderer, "render_letter", broken_renderer)
        assert _cli(*db, "letters", "render", "hearing-reminder", "--matter", str(matter.id), "--field",
                    f"recipient.name={CLIENT[0]} {CLIENT[1]}", "--out", str(tmp_path / f"{CLIENT[1]}.pdf")) == 1
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", str(wrong_file))
    assert _cli(*db, "clients", "show", str(client.id)) == 2
    out, err = capsys.readouterr()
    assert CLIENT[1] in out and "password is wrong" in err.lower(), "the day did not run as scripted"

    for handler in logging.getLogger().handlers:
        handler.flush()
    text = debug_log.read_text(encoding="utf-8")
    assert "DEBUG" in text and "RuntimeError: a bug in the renderer" in text, "the day was not logged as scripted"
    words = set().union(_forms(*CLIENT), _forms(*IMPORTED), _forms(*REJECTED), {CONFLICT_SAVE})
    leaked = sorted(word for word in words if word.lower() in text.lower())
    assert leaked == [], f"the log holds client data: {leaked}"


@given(command=st.sampled_from(sorted(PRIVATE_AFTER)), rest=st.lists(st.text(min_size=1), max_size=6))
def test_nothing_after_a_command_that_takes_client_data_is_logged(command, rest):
    assert loggable_command(["--db", "/srv/o.sqlite3", command, *rest]) == f"--db /srv/o.sqlite3 {command} …"
