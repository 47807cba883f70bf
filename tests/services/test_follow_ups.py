"""Follow-ups: reminders, recurrence, snooze, escalation, and the follow-ups the office raises itself."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import pytest
from agenda_data import add_client, add_hearing, add_matter, add_user, log_reminder_letter
from sqlalchemy import func, select

from kantor_cases.db.models import AuditEvent, FollowUp, RemovalCase
from kantor_cases.domain.automatic_follow_ups import spread_due
from kantor_cases.domain.errors import NotFoundError, ValidationError
from kantor_cases.domain.records import ClientDraft

TODAY = date(2026, 6, 1)


def open_follow_ups(office) -> list[FollowUp]:
    with office.database.read() as session:
        return list(session.scalars(select(FollowUp).where(FollowUp.status == "open").order_by(FollowUp.id)))


def test_a_follow_up_on_a_matter_belongs_to_its_client_and_is_audited(office):
    client = add_client(office)
    matter = add_matter(office, client)
    record = office.follow_ups.create(date(2026, 6, 5), "Ask for the birth certificates", matter_id=matter,
                                      assignee="Luis")
    assert record.client_id == client and record.matter_id == matter
    assert record.client_name == "María García López" and record.assignee == "Luis" and record.is_open
    with office.database.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity == "follow_up", AuditEvent.entity_id == record.id, AuditEvent.client_id == client))


def test_a_follow_up_needs_a_note_and_somebody_to_be_about(office):
    with pytest.raises(ValidationError) as error:
        office.follow_ups.create(TODAY, "")
    assert {"note", "client"} <= set(error.value.fields)
    with pytest.raises(NotFoundError):
        office.follow_ups.create(TODAY, "Call", client_id=12345)
    other_client = add_client(office, "Armen", "Petrosyan", "")
    matter = add_matter(office)
    with pytest.raises(ValidationError, match="another client"):
        office.follow_ups.create(TODAY, "Call", client_id=other_client, matter_id=matter)


def test_remind_me_in_n_days_is_mine_and_due_then(office):
    client = add_client(office)
    record = office.follow_ups.remind_me(14, "Check whether the I-130 receipt came", client_id=client, today=TODAY)
    assert record.assignee == "Ana" and record.due == date(2026, 6, 15)
    assert [r.id for r in office.follow_ups.page_open_for(None, 0, 50)] == [record.id]
    assert office.follow_ups.count_open_for("Luis") == 0 and office.follow_ups.page_open_for("Luis", 0, 50) == []


def test_a_recurring_follow_up_comes_back_when_done(office):
    matter = add_matter(office)
    weekly = office.follow_ups.create(date(2026, 6, 1), "Verify EOIR status", matter_id=matter, recurrence_days=7)
    done, following = office.follow_ups.mark_done(weekly.id, "ACIS: next hearing unchanged", today=date(2026, 6, 1))
    assert done.status == "done" and done.done_by == "Ana" and done.done_note == "ACIS: next hearing unchanged"
    assert following is not None
    assert following.due == date(2026, 6, 8) and following.recurrence_days == 7
    assert following.note == "Verify EOIR status" and following.matter_id == matter
    # Done very late: the next one is on the same weekday cadence, but not in the past.
    _, after_late = office.follow_ups.mark_done(following.id, today=date(2026, 6, 24))
    assert after_late.due == date(2026, 6, 29)
    with pytest.raises(ValidationError, match="already done"):
        office.follow_ups.mark_done(weekly.id)


def test_a_one_off_follow_up_done_has_no_successor(office):
    client = add_client(office)
    record = office.follow_ups.create(TODAY, "Call back", client_id=client)
    _, following = office.follow_ups.mark_done(record.id, "spoke to her")
    assert following is None and open_follow_ups(office) == []


def test_snooze_hides_it_until_then_and_must_be_in_the_future(office):
    client = add_client(office)
    record = office.follow_ups.create(TODAY, "Call back", client_id=client)
    with pytest.raises(ValidationError):
        office.follow_ups.snooze(record.id, TODAY, today=TODAY)
    snoozed = office.follow_ups.snooze(record.id, date(2026, 6, 4), record.version, today=TODAY)
    assert snoozed.snoozed_until == date(2026, 6, 4) and snoozed.due == TODAY
    assert [i.id for i in office.agenda.agenda(today=TODAY)] == []
    assert [i.id for i in office.agenda.agenda(today=date(2026, 6, 4))] == [record.id]


def test_overdue_follow_ups_escalate_to_the_responsible_attorney_once(office):
    attorney = add_user(office, "Rosa Kantor")
    matter = add_matter(office, attorney_id=attorney)
    late = office.follow_ups.create(date(2026, 5, 28), "Get the police clearance", matter_id=matter,
                                    assignee="Luis")
    on_time = office.follow_ups.create(TODAY, "Call the client", matter_id=matter, assignee="Luis")
    own = office.follow_ups.create(date(2026, 5, 20), "Sign the brief", matter_id=matter, assignee="Rosa Kantor")
    snoozed = office.follow_ups.create(date(2026, 5, 20), "Wait for OPLA", matter_id=matter, assignee="Luis")
    office.follow_ups.snooze(snoozed.id, date(2026, 6, 10), today=date(2026, 5, 25))
    assert office.follow_ups.escalate_overdue(TODAY) == 1
    escalated = office.follow_ups.get(late.id)
    assert escalated.escalated_to == "Rosa Kantor" and escalated.escalated_at is not None
    assert escalated.assignee == "Luis"
    for untouched in (on_time, own, snoozed):
        assert office.follow_ups.get(untouched.id).escalated_to == ""
    # Idempotent: a second run escalates nothing again; the next day only what became overdue.
    assert office.follow_ups.escalate_overdue(TODAY) == 0
    assert office.follow_ups.escalate_overdue(TODAY + timedelta(days=1)) == 1
    assert office.follow_ups.get(on_time.id).escalated_to == "Rosa Kantor"
    assert office.follow_ups.get(late.id).escalated_at == escalated.escalated_at
    # The attorney now sees it in their own list.
    assert late.id in [r.id for r in office.follow_ups.page_open_for("Rosa Kantor", 0, 50)]
    with office.database.read() as session:
        summary = session.scalar(select(AuditEvent.summary).where(
            AuditEvent.entity == "follow_up", AuditEvent.entity_id == late.id, AuditEvent.action == "update"))
    assert "Escalated to Rosa Kantor" in summary


def test_automatic_follow_ups_are_raised_once_for_each_reason(office):
    attorney = add_user(office, "Rosa Kantor")
    now = datetime(2026, 6, 1, 9, 0)
    never_verified = add_matter(office, attorney_id=attorney, last_verified_on=None)
    stale = add_matter(office, last_verified_on=TODAY - timedelta(days=7))
    fresh = add_matter(office, last_verified_on=TODAY - timedelta(days=6))
    add_matter(office, last_verified_on=None, closed=True)  # closed: nothing to verify
    quiet = add_matter(office, kind="employment", last_activity_at=now - timedelta(days=61))
    add_matter(office, kind="employment", last_activity_at=now - timedelta(days=59))
    hearing_matter = fresh
    in_30 = add_hearing(office, hearing_matter, datetime(2026, 7, 1, 8, 30))
    in_7 = add_hearing(office, hearing_matter, datetime(2026, 6, 8, 13, 0))
    tomorrow = add_hearing(office, hearing_matter, datetime(2026, 6, 2, 9, 0))
    reminded = add_hearing(office, hearing_matter, datetime(2026, 6, 5, 9, 0))
    log_reminder_letter(office, reminded)
    add_hearing(office, hearing_matter, datetime(2026, 7, 2, 9, 0))  # 31 days away: not yet

    report = office.follow_ups.raise_automatic(TODAY)
    assert (report.eoir_unverified, report.inactive_matters, report.hearing_reminders) == (2, 1, 3)
    rows = open_follow_ups(office)
    keys = {row.auto_key for row in rows}
    assert {f"eoir-verify:{never_verified}:never", f"eoir-verify:{stale}:2026-05-25"} <= keys
    assert f"inactive:{quiet}:2026-04-01" in keys
    assert {f"hearing-reminder:{in_30}:2026-07-01:30", f"hearing-reminder:{in_7}:2026-06-08:7",
            f"hearing-reminder:{tomorrow}:2026-06-02:1"} <= keys
    eoir = next(row for row in rows if row.matter_id == never_verified)
    # The rule's first run on this office: spread over the coming working weeks by matter id.
    assert eoir.assignee == "Rosa Kantor" and eoir.due_on == spread_due(TODAY, never_verified) and "EOIR" in eoir.note
    assert all(row.client_id is not None for row in rows)
    with office.database.read() as session:
        audited = session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity == "follow_up", AuditEvent.action == "create"))
    assert audited == 6

    assert office.follow_ups.raise_automatic(TODAY).total == 0
    # Done, and still not verified: it does not come back the next day (only `fresh` turns stale).
    office.follow_ups.mark_done(eoir.id, "hotline busy")
    next_day = office.follow_ups.raise_automatic(TODAY + timedelta(days=1))
    assert next_day.eoir_unverified == 1
    assert [row.matter_id for row in open_follow_ups(office) if row.auto_key.startswith("eoir")
            ].count(never_verified) == 0
    # Verified again, and stale a week later: a new one is raised.
    with office.database.write() as session:
        session.get(RemovalCase, never_verified).last_verified_on = date(2026, 6, 2)
    assert office.follow_ups.raise_automatic(date(2026, 6, 9)).eoir_unverified == 1
    # The 30-day hearing reminder moves on to the 7-day step when the hearing is a week away.
    later = office.follow_ups.raise_automatic(date(2026, 6, 24))
    assert later.hearing_reminders == 1  # the 2 July hearing is 8 days away: its 30-day step is done
    assert f"hearing-reminder:{in_30}:2026-07-01:7" in {row.auto_key for row in open_follow_ups(office)}


def test_run_daily_raises_then_escalates(office):
    attorney = add_user(office, "Rosa Kantor")
    matter = add_matter(office, attorney_id=attorney, last_verified_on=TODAY)
    office.follow_ups.create(date(2026, 5, 1), "Old task", matter_id=matter, assignee="Luis")
    raised, escalated = office.follow_ups.run_daily(TODAY)
    assert raised.total == 0 and escalated == 1


def test_a_save_made_while_the_daily_check_looks_for_candidates_does_not_wait_for_it(office, monkeypatch):
    """On a big office finding the candidates takes seconds; a save must not fail as "locked" meanwhile."""
    add_matter(office, last_verified_on=None)
    looking, saved = threading.Event(), threading.Event()
    real_read = office.database.read

    @contextmanager
    def read_while_a_desk_saves():
        with real_read() as session:
            looking.set()
            saved.wait(10)
            yield session

    monkeypatch.setattr(office.database, "read", read_while_a_desk_saves)
    check = threading.Thread(target=office.follow_ups.raise_automatic, args=(TODAY,))
    check.start()
    try:
        assert looking.wait(10), "the daily check never looked for candidates outside a write transaction"
        office.clients.create(ClientDraft(given_name="Ana", family_name="Ruiz"))  # would wait 5 s, then fail
    finally:
        saved.set()
        check.join(30)
    monkeypatch.undo()
    assert office.clients.count() == 2
    assert len(open_follow_ups(office)) == 1


def test_a_daily_check_asked_to_stop_keeps_what_it_wrote_and_the_next_one_goes_on(office, monkeypatch):
    monkeypatch.setattr("kantor_cases.services.follow_ups.RAISE_BATCH", 2)
    for _ in range(5):
        add_matter(office, last_verified_on=None)
    stopped, escalated = office.follow_ups.run_daily(TODAY, progress=lambda done, total: False)
    assert (stopped.eoir_unverified, stopped.stopped, escalated) == (2, True, 0)
    assert len(open_follow_ups(office)) == 2
    rest, _ = office.follow_ups.run_daily(TODAY)
    assert (rest.eoir_unverified, rest.stopped) == (3, False)
    assert len({row.auto_key for row in open_follow_ups(office)}) == 5


def test_reopening_keeps_a_next_occurrence_someone_already_changed(office):
    matter = add_matter(office)
    repeating = office.follow_ups.create(TODAY, "Call the client", matter_id=matter, recurrence_days=7)
    done, following = office.follow_ups.mark_done(repeating.id, "called", repeating.version, today=TODAY)
    office.follow_ups.assign(following.id, "Luis", following.version)  # someone works on the next one
    with pytest.raises(ValidationError, match="open already"):
        office.follow_ups.reopen(following.id)
    again = office.follow_ups.reopen(done.id, done.version, next_id=following.id)
    assert again.is_open and again.done_note == ""
    assert office.follow_ups.get(following.id).assignee == "Luis", "a next occurrence in use was removed"
    with office.database.read() as session:
        summaries = list(session.scalars(select(AuditEvent.summary).where(
            AuditEvent.entity == "follow_up", AuditEvent.entity_id == done.id)))
    assert any(summary.startswith("Open again") for summary in summaries)
