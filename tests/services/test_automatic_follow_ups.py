"""Automatic follow-ups that serve instead of flooding (issue 15): a rule's first run spreads its
follow-ups over the coming working weeks, a rule switched off raises nothing, a rule given to one
person raises for them, a follow-up whose purpose is met closes itself, Today counts them by rule
exactly, and the calendar export leaves them out."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import icalendar
import pytest
from agenda_data import add_hearing, add_matter, add_user, log_reminder_letter
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from kantor_cases.db.models import AuditEvent, FollowUp
from kantor_cases.domain.agenda_records import AGENDA_LIMIT
from kantor_cases.domain.automatic_follow_ups import (
    SPREAD_WORKING_DAYS,
    spread_due,
    working_days_from,
)
from kantor_cases.domain.errors import PermissionDenied, ValidationError

TODAY = date(2026, 6, 1)  # a Monday


def automatic(office, prefix: str = "") -> list[FollowUp]:
    with office.database.read() as session:
        return list(session.scalars(select(FollowUp).where(FollowUp.auto_key.like(f"{prefix}%"))
                                    .order_by(FollowUp.id)))


def test_a_first_run_spreads_over_the_coming_working_weeks_not_one_day(office):
    for _ in range(120):
        add_matter(office, last_verified_on=None)
    assert office.follow_ups.raise_automatic(TODAY).eoir_unverified == 120
    days = Counter(row.due_on for row in automatic(office, "eoir-verify:"))
    window = working_days_from(TODAY, SPREAD_WORKING_DAYS)
    assert set(days) <= set(window) and len(days) == SPREAD_WORKING_DAYS  # every working day used, no weekend
    assert max(days.values()) <= 120 // SPREAD_WORKING_DAYS + 1  # 6 a day, not 120 today
    # Later runs are not first runs: what turns stale tomorrow is due tomorrow.
    add_matter(office, last_verified_on=TODAY - timedelta(days=6))
    assert office.follow_ups.raise_automatic(TODAY + timedelta(days=1)).eoir_unverified == 1
    assert automatic(office, "eoir-verify:")[-1].due_on == TODAY + timedelta(days=1)


def test_hearing_reminders_are_never_put_off(office):
    matter = add_matter(office, last_verified_on=TODAY)
    add_hearing(office, matter, datetime(2026, 6, 9, 9, 0))
    office.follow_ups.raise_automatic(TODAY)
    assert [row.due_on for row in automatic(office, "hearing-reminder:")] == [TODAY]


@given(today=st.dates(date(2000, 1, 1), date(2090, 1, 1)), matter_id=st.integers(1, 10**9),
       days=st.integers(1, 60))
def test_the_spread_is_a_weekday_within_the_window_and_always_the_same(today, matter_id, days):
    due = spread_due(today, matter_id, days)
    assert due == spread_due(today, matter_id, days)
    assert due.weekday() < 5 and today <= due <= today + timedelta(days=days * 7 // 5 + 3)
    assert due in working_days_from(today, days)


def test_a_rule_switched_off_raises_nothing_and_a_rule_given_to_someone_raises_for_them(office):
    add_user(office, "Rosa Kantor")
    add_user(office, "Luis Ortega", "staff")
    matter = add_matter(office, last_verified_on=None, last_activity_at=datetime(2026, 1, 5))
    add_hearing(office, matter, datetime(2026, 6, 9, 9, 0))
    office.follow_ups.set_automatic_rule("inactive", False)
    office.follow_ups.set_automatic_rule("eoir-verify", True, "Luis Ortega")
    raised = office.follow_ups.raise_automatic(TODAY)
    assert (raised.eoir_unverified, raised.inactive_matters, raised.hearing_reminders) == (1, 0, 1)
    assert [row.assignee for row in automatic(office, "eoir-verify:")] == ["Luis Ortega"]
    assert automatic(office, "inactive:") == []
    settings = {setting.rule.id: setting for setting in office.follow_ups.automatic_rules()}
    assert not settings["inactive"].enabled and settings["eoir-verify"].assignee == "Luis Ortega"
    assert settings["hearing-reminder"].enabled and settings["hearing-reminder"].assignee == ""
    with office.database.read() as session:
        summaries = list(session.scalars(select(AuditEvent.summary).where(
            AuditEvent.entity == "automatic_follow_up_rule")))
    assert summaries == ["Automatic follow-ups, inactive matter checks: off, for the matter's responsible attorney",
                         "Automatic follow-ups, EOIR status checks: on, for Luis Ortega"]


def test_only_an_attorney_or_administrator_changes_a_rule_and_only_to_a_user(office):
    add_user(office, "Sam Staff", "staff")
    with pytest.raises(ValidationError, match="not an active user"):
        office.follow_ups.set_automatic_rule("inactive", True, "Nobody")
    office.user = "Sam Staff"
    with pytest.raises(PermissionDenied, match="Staff cannot switch an automatic follow-up rule off"):
        office.follow_ups.set_automatic_rule("inactive", False)


def test_verifying_the_case_with_eoir_closes_its_verify_follow_up(office):
    matter = add_matter(office, last_verified_on=None)
    other = add_matter(office, last_verified_on=None)
    office.follow_ups.raise_automatic(TODAY)
    office.matters.verify_eoir(matter, "acis", on=office.clock.today())
    status = {row.matter_id: (row.status, row.done_note) for row in automatic(office, "eoir-verify:")}
    assert status[matter][0] == "done" and status[matter][1].startswith("verified with EOIR on ")
    assert status[other] == ("open", "")


def test_today_counts_each_rule_exactly_however_many_and_lists_only_what_people_entered(office):
    attorney = add_user(office, "Rosa Kantor")
    matters = [add_matter(office, attorney_id=attorney, last_verified_on=None) for _ in range(AGENDA_LIMIT + 40)]
    with office.database.write() as session:  # all due today: more than the list would ever hold
        session.add_all(FollowUp(client_id=None, matter_id=m, assignee="Rosa Kantor", due_on=TODAY, note="Verify",
                                 auto_key=f"eoir-verify:{m}:never", created_by="t", updated_by="t") for m in matters)
        session.add(FollowUp(client_id=None, matter_id=matters[0], assignee="Rosa Kantor", due_on=TODAY,
                             note="Snoozed", auto_key="inactive:1:2026-01-01", snoozed_until=TODAY + timedelta(days=3),
                             created_by="t", updated_by="t"))
    office.follow_ups.create(TODAY - timedelta(days=2), "Call the client", matter_id=matters[0])
    view = office.agenda.today(days=7, today=TODAY)
    [eoir] = view.automatic  # the snoozed one is not due; no other rule has any
    assert (eoir.rule.id, eoir.today, eoir.overdue, eoir.total) == ("eoir-verify", AGENDA_LIMIT + 40, 0,
                                                                     AGENDA_LIMIT + 40)
    assert [item.title for item in view.items] == ["Call the client"]
    assert view.counts == {"overdue": 1, "today": 0, "upcoming": 0, "ahead": 0} and view.listed_all
    mine = office.agenda.today(days=7, user="Rosa Kantor", today=TODAY)
    assert mine.automatic[0].total == AGENDA_LIMIT + 40 and mine.items == ()
    listed = office.agenda.automatic_follow_up_items("eoir-verify", today=TODAY, limit=25)
    assert len(listed) == 25 and all(item.title == "Verify" for item in listed)
    assert office.follow_ups.count_open(rule_id="eoir-verify") == AGENDA_LIMIT + 40


def test_the_calendar_export_leaves_the_automatic_follow_ups_out(office, tmp_path):
    matter = add_matter(office, last_verified_on=None)
    office.follow_ups.raise_automatic(TODAY)
    office.follow_ups.create(TODAY + timedelta(days=2), "Call the client", matter_id=matter)
    path = tmp_path / "office.ics"
    assert office.agenda.export_ics(path, days=60, today=TODAY) == 1
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert [str(event["summary"]) for event in events] == ["Follow-up: Call the client - María García López"]


def test_a_printed_reminder_found_by_the_check_after_the_letter_is_not_raised(office):
    matter = add_matter(office, last_verified_on=TODAY)
    hearing = add_hearing(office, matter, datetime(2026, 6, 9, 9, 0))
    log_reminder_letter(office, hearing)
    office.follow_ups.raise_automatic(TODAY)
    with office.database.read() as session:
        assert session.scalar(select(func.count()).select_from(FollowUp)) == 0


def _after_read(office, monkeypatch, number: int, action) -> None:
    """`action` runs right after the check's read number `number` ends, before anything is written,
    as another desk's work lands while the check runs."""
    from contextlib import contextmanager

    real_read = office.database.read
    reads = []

    @contextmanager
    def read_then_act():
        with real_read() as session:
            yield session
        reads.append(True)
        if len(reads) == number:
            action()

    monkeypatch.setattr(office.database, "read", read_then_act)


def test_a_reminder_printed_while_the_check_runs_closes_the_follow_up_the_check_then_writes(office, monkeypatch):
    """At 300,000 clients the first check runs for a minute and a half: reminders printed during it
    must not leave "send the hearing reminder" tasks open."""
    matter = add_matter(office, last_verified_on=TODAY)
    hearing = add_hearing(office, matter, datetime(2026, 6, 9, 9, 0))
    # Reads: the rules' settings, then each rule's candidates; the hearings' come last. Right after
    # they were read, before they are written, the reminder is printed.
    _after_read(office, monkeypatch, 4, lambda: log_reminder_letter(office, hearing))
    office.follow_ups.raise_automatic(TODAY)
    monkeypatch.undo()
    [row] = automatic(office, "hearing-reminder:")
    assert row.status == "done" and row.done_note == "reminder letter printed"


def test_a_case_verified_while_the_check_runs_closes_the_verify_follow_up_the_check_then_writes(office, monkeypatch):
    from kantor_cases.db.models import RemovalCase

    matter = add_matter(office, last_verified_on=None)
    stays = add_matter(office, last_verified_on=None)

    def verify() -> None:
        with office.database.write() as session:
            session.get(RemovalCase, matter).last_verified_on = TODAY

    _after_read(office, monkeypatch, 2, verify)  # the rules' settings, then the EOIR candidates
    office.follow_ups.raise_automatic(TODAY)
    monkeypatch.undo()
    status = {row.matter_id: (row.status, row.done_note) for row in automatic(office, "eoir-verify:")}
    assert status == {matter: ("done", "verified with EOIR on 01 Jun 2026"), stays: ("open", "")}


def test_a_matter_not_engaged_three_days_after_intake_gets_its_agreement_to_send_which_closes_when_engaged(office):
    """Issue 15: "retainer signed → 'send retainer' done". The agreement is the engagement letter; the
    matter is marked engaged when it comes back signed."""
    from kantor_cases.db.models import Matter

    waiting, fresh = add_matter(office, last_verified_on=TODAY), add_matter(office, last_verified_on=TODAY)
    with office.database.write() as session:
        for matter_id, opened in ((waiting, TODAY - timedelta(days=5)), (fresh, TODAY - timedelta(days=1))):
            row = session.get(Matter, matter_id)
            row.firm_status, row.opened_on = "intake", opened
    raised = office.follow_ups.raise_automatic(TODAY)
    assert raised.engagements_to_send == 1
    [to_send] = automatic(office, "send-retainer:")
    assert to_send.matter_id == waiting and to_send.status == "open" and "engagement agreement" in to_send.note

    version = office.matters.get(waiting).version
    office.matters.record_firm_status(waiting, "engaged", "signed agreement received", version)
    [closed] = automatic(office, "send-retainer:")
    assert (closed.status, closed.done_note) == ("done", "engagement agreement signed")
    # Engaged, it is not raised again.
    assert office.follow_ups.raise_automatic(TODAY + timedelta(days=1)).engagements_to_send == 0


def test_the_calendar_shows_what_people_entered_not_the_office_work_queue(office):
    """A first run spreads thousands of EOIR checks over the working days: on the Calendar they
    buried the day's hearings and deadlines and made every working day bold."""
    attorney = add_user(office, "Rosa Kantor")
    matters = [add_matter(office, attorney_id=attorney, last_verified_on=None) for _ in range(30)]
    with office.database.write() as session:
        session.add_all(FollowUp(client_id=None, matter_id=m, assignee="Rosa Kantor", due_on=TODAY + timedelta(days=2),
                                 note="Verify", auto_key=f"eoir-verify:{m}:never", created_by="t", updated_by="t")
                        for m in matters)
    office.follow_ups.create(TODAY + timedelta(days=3), "Call the client", matter_id=matters[0])
    week = office.agenda.calendar_items(TODAY, TODAY + timedelta(days=6), today=TODAY)
    assert [item.title for item in week] == ["Call the client"]
    assert office.agenda.busy_days(TODAY, TODAY + timedelta(days=6)) == [TODAY + timedelta(days=3)]
    # they are still on Today, counted by rule
    assert [rule.total for rule in office.agenda.today(days=7, today=TODAY).automatic] == [30]
