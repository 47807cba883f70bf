"""Today and the calendar: what a person sees due, and the .ics file calendars import."""

from __future__ import annotations

from datetime import date, datetime

import icalendar
import pytest
from agenda_data import add_client, add_court, add_hearing, add_matter, add_user

from kantor_cases.domain.errors import ValidationError

TODAY = date(2026, 6, 1)  # a Monday


@pytest.fixture
def practice(office):
    """Rosa's removal case and Luis's employment case, with something due in every section."""
    rosa = add_user(office, "Rosa Kantor")
    luis = add_user(office, "Luis Ortega")
    maria = add_client(office)
    armen = add_client(office, "Armen", "Petrosyan", "", sensitive=True)
    removal = add_matter(office, maria, attorney_id=rosa)
    employment = add_matter(office, armen, kind="employment", attorney_id=luis)
    court = add_court(office)
    # 30 days after 5 May is Thu 4 Jun: the appeal and the motion to reconsider are due this week.
    decision = {r.rule_id: r.id for r in office.deadlines.record_event(removal, "ij_decision", date(2026, 5, 5))}
    ids = {
        "removal": removal, "employment": employment, "maria": maria, "armen": armen,
        "appeal": decision["bia-appeal"], "reconsider": decision["ij-motion-reconsider"],
        "hearing": add_hearing(office, removal, datetime(2026, 6, 3, 8, 30), court, "individual", "12"),
        "late_hearing": add_hearing(office, removal, datetime(2026, 6, 20, 9, 0), court),
        "overdue": office.follow_ups.create(date(2026, 5, 27), "Send the fee agreement", client_id=armen,
                                            assignee="Luis Ortega").id,
        "today": office.follow_ups.create(TODAY, "Call María about the hearing", matter_id=removal,
                                          assignee="Rosa Kantor").id,
    }
    # Luis's employment matter: the EEOC suit deadline is months away, outside the week.
    office.deadlines.record_event(employment, "eeoc_right_to_sue_received", date(2026, 5, 1))
    return ids


def keyed(items):
    return {(item.kind, item.id): item for item in items}


def test_the_whole_office_sees_overdue_today_and_this_week_in_order(office, practice):
    items = office.agenda.agenda(today=TODAY)
    assert [(i.kind, i.id, i.section) for i in items] == [
        ("follow_up", practice["overdue"], "overdue"),
        ("follow_up", practice["today"], "today"),
        ("hearing", practice["hearing"], "upcoming"),
        ("deadline", practice["appeal"], "upcoming"),
        ("deadline", practice["reconsider"], "upcoming"),
    ]
    appeal = keyed(items)[("deadline", practice["appeal"])]
    assert appeal.due == date(2026, 6, 4) and appeal.citation == "8 CFR 1003.38(b)"
    assert appeal.client_name == "María García López" and appeal.matter_id == practice["removal"]
    assert appeal.client_id == practice["maria"] and appeal.assignee == "Rosa Kantor"
    hearing = keyed(items)[("hearing", practice["hearing"])]
    assert hearing.starts_at == datetime(2026, 6, 3, 8, 30)
    assert "606 S. Olive St." in hearing.location and "Courtroom 12" in hearing.location
    assert hearing.title.startswith("Individual (merits) hearing")


def test_me_sees_only_what_is_mine(office, practice):
    rosa = keyed(office.agenda.agenda(user="Rosa Kantor", today=TODAY))
    assert set(rosa) == {("follow_up", practice["today"]), ("hearing", practice["hearing"]),
                         ("deadline", practice["appeal"]), ("deadline", practice["reconsider"])}
    luis = keyed(office.agenda.agenda(user="Luis Ortega", today=TODAY))
    assert set(luis) == {("follow_up", practice["overdue"])}
    assert office.agenda.agenda(user="Nobody", today=TODAY) == []


def test_escalated_follow_ups_reach_the_attorney(office, practice):
    late = office.follow_ups.create(date(2026, 5, 20), "Collect pay stubs", matter_id=practice["employment"],
                                    assignee="Ana")
    office.follow_ups.escalate_overdue(TODAY)
    luis = keyed(office.agenda.agenda(user="Luis Ortega", today=TODAY))
    assert "Escalated to Luis Ortega" in luis[("follow_up", late.id)].detail


def test_done_superseded_and_snoozed_items_leave_today(office, practice):
    office.deadlines.mark_done(practice["appeal"], "filed")
    office.deadlines.mark_done(practice["reconsider"], "not needed: appeal filed")
    office.follow_ups.mark_done(practice["today"])
    office.follow_ups.snooze(practice["overdue"], date(2026, 6, 3), today=TODAY)
    assert [i.kind for i in office.agenda.agenda(today=TODAY)] == ["hearing"]


def test_a_moved_trigger_moves_the_agenda_line(office, practice):
    office.deadlines.change_trigger(practice["removal"], "ij_decision", date(2026, 5, 1))
    deadlines = [i for i in office.agenda.agenda(today=TODAY) if i.kind == "deadline"]
    assert [(d.due, d.section) for d in deadlines] == [(date(2026, 6, 1), "today")] * 2
    assert not {d.id for d in deadlines} & {practice["appeal"], practice["reconsider"]}


def test_more_days_and_limits(office, practice):
    month = office.agenda.agenda(days=30, today=TODAY)
    assert ("hearing", practice["late_hearing"]) in keyed(month)
    assert len([i for i in office.agenda.agenda(days=30, today=TODAY, limit=1) if i.kind == "hearing"]) == 1
    with pytest.raises(ValidationError):
        office.agenda.agenda(days=0)


def test_calendar_items_for_a_week(office, practice):
    week = office.agenda.calendar_items(date(2026, 6, 1), date(2026, 6, 7), today=TODAY)
    assert {(i.kind, i.due) for i in week} == {("follow_up", TODAY), ("hearing", date(2026, 6, 3)),
                                                ("deadline", date(2026, 6, 4))}
    assert office.agenda.calendar_items(date(2026, 6, 1), date(2026, 6, 7), user="Luis Ortega", today=TODAY) == []
    with pytest.raises(ValidationError):
        office.agenda.calendar_items(date(2026, 6, 7), date(2026, 6, 1))


def test_busy_days_are_exactly_the_days_the_calendar_lists(office, practice):
    start, end = date(2026, 5, 1), date(2026, 9, 30)
    for user in (None, "Rosa Kantor", "Luis Ortega", "Nobody"):
        listed = {item.due for item in office.agenda.calendar_items(start, end, user=user, today=TODAY)}
        assert set(office.agenda.busy_days(start, end, user=user)) == listed, user
    assert date(2026, 6, 20) in office.agenda.busy_days(start, end, user="Rosa Kantor")  # her late hearing
    assert office.agenda.busy_days(start, end, user="Nobody") == []


def events_by_uid(path):
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_ics_export_parses_back_with_stable_uids(office, practice, tmp_path):
    path = tmp_path / "export" / "office.ics"
    path.parent.mkdir()
    count = office.agenda.export_ics(path, days=30, today=TODAY)
    events = events_by_uid(path)
    assert count == len(events) >= 6
    hearing = events[f"hearing-{practice['hearing']}@kantor-cases"]
    starts = hearing.decoded("DTSTART")
    assert isinstance(starts, datetime) and starts.tzinfo is not None
    assert (starts.date(), starts.hour, starts.minute) == (date(2026, 6, 3), 8, 30)
    assert hearing.decoded("DTEND") - starts == (datetime(2026, 1, 1, 3) - datetime(2026, 1, 1))
    assert "606 S. Olive St." in str(hearing["LOCATION"])
    appeal = events[f"deadline-{practice['appeal']}@kantor-cases"]
    assert appeal.decoded("DTSTART") == date(2026, 6, 4)  # an all-day event: a date, not a time
    assert "8 CFR 1003.38(b)" in str(appeal["DESCRIPTION"])
    # The sensitive client's name does not leave the office.
    armen_line = events[f"follow-up-{practice['overdue']}@kantor-cases"]
    assert "Petrosyan" not in str(armen_line["SUMMARY"]) and "A. P." in str(armen_line["SUMMARY"])
    assert [p.name for p in path.parent.iterdir()] == ["office.ics"], "a temporary file was left behind"

    # Move the decision and export again: same UIDs, the old appeal cancelled, the new one added.
    office.deadlines.change_trigger(practice["removal"], "ij_decision", date(2026, 5, 6))
    office.agenda.export_ics(path, days=30, today=TODAY, force=True)
    again = events_by_uid(path)
    assert set(events) <= set(again)
    assert str(again[f"deadline-{practice['appeal']}@kantor-cases"]["STATUS"]) == "CANCELLED"
    assert int(again[f"deadline-{practice['appeal']}@kantor-cases"]["SEQUENCE"]) > int(appeal["SEQUENCE"])
    new_appeals = [e for uid, e in again.items() if uid not in events and "Appeal" in str(e["SUMMARY"])]
    assert [e.decoded("DTSTART") for e in new_appeals] == [date(2026, 6, 5)]


def test_ics_export_refuses_a_wrong_name(office, tmp_path):
    with pytest.raises(ValidationError):
        office.agenda.export_ics(tmp_path / "office.txt")


def test_a_deadline_whose_rule_reminds_ahead_shows_on_today_from_its_first_reminder_day(office, practice):
    """An RFE response reminds 30, 14 and 7 days before it is due (issue 14): Today shows it from the
    30th day before, counted apart from this week's items, until it is done."""
    soon = office.deadlines.add_from_rule(practice["removal"], "uscis-rfe-response", date(2026, 5, 20),
                                          due=date(2026, 6, 26))
    view = office.agenda.today(today=TODAY)
    reminders = [item for item in view.items if item.section == "ahead"]
    assert [(item.id, item.due) for item in reminders] == [(soon.id, date(2026, 6, 26))]
    assert reminders[0].detail.startswith("Reminder: due in 25 days, on Fri 26 Jun 2026.")
    assert view.counts["ahead"] == 1 and view.listed_all
    assert view.items[-1].id == soon.id  # after this week's items

    # 31 days ahead is before its first reminder day; from the 30th day before it shows.
    assert not [i for i in office.agenda.today(today=date(2026, 5, 26)).items if i.section == "ahead"]
    assert office.agenda.today(today=date(2026, 5, 27)).counts["ahead"] == 1
    office.deadlines.mark_done(soon.id, "sent the response")
    assert office.agenda.today(today=TODAY).counts["ahead"] == 0
