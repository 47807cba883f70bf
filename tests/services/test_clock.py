"""The office's clock: pin a day through `Office` and every service counts from it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from agenda_data import add_client, add_hearing, add_matter, add_user

from kantor_cases.domain.clock import FixedClock
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.records import BenefitApplicationDraft, ClientDraft, ClientQuery, MatterDraft
from kantor_cases.services import locations
from kantor_cases.services.office import Office

MONDAY = datetime(2026, 6, 1, 9, 0)  # long past the day these tests are run, so the wall clock never agrees


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY)


@pytest.fixture
def office(db_path, clock):
    opened = Office.open(locations.resolve(str(db_path)), "Ana", clock=clock)
    yield opened
    opened.close()


def sections(office) -> dict[str, str]:
    return {item.title: item.section for item in office.agenda.agenda()}


def test_todays_agenda_counts_overdue_from_the_pinned_day(office, clock):
    client = add_client(office)
    for due, note in ((date(2026, 5, 29), "Send the fee agreement"), (date(2026, 6, 1), "Call María"),
                      (date(2026, 6, 3), "File the I-130")):
        office.follow_ups.create(due, note, client_id=client, assignee="Ana")
    assert sections(office) == {"Send the fee agreement": "overdue", "Call María": "today",
                                "File the I-130": "upcoming"}

    clock.advance(timedelta(days=2))
    assert sections(office) == {"Send the fee agreement": "overdue", "Call María": "overdue",
                                "File the I-130": "today"}


def test_follow_ups_are_overdue_snoozed_and_escalated_by_the_pinned_day(office, clock):
    attorney = add_user(office, "Rosa Kantor")
    matter = add_matter(office, attorney_id=attorney)
    reminder = office.follow_ups.remind_me(14, "Check whether the I-130 receipt came", matter_id=matter)
    assert reminder.due == date(2026, 6, 15)
    with pytest.raises(ValidationError):
        office.follow_ups.snooze(reminder.id, date(2026, 6, 1))

    assert office.follow_ups.escalate_overdue() == 0
    clock.advance(timedelta(days=15))
    assert office.follow_ups.escalate_overdue() == 1
    assert office.follow_ups.get(reminder.id).escalated_to == "Rosa Kantor"


def test_the_clients_list_finds_hearings_coming_after_the_pinned_moment(office, clock):
    client = add_client(office)
    add_hearing(office, add_matter(office, client), datetime(2026, 6, 3, 8, 30))
    within_a_week = ClientQuery(hearing_within_days=7)

    assert office.clients.count(within_a_week) == 1
    [row] = office.clients.page(within_a_week, 0, 10)
    assert row.next_hearing == datetime(2026, 6, 3, 8, 30)

    clock.advance(timedelta(days=3))
    assert office.clients.count(within_a_week) == 0
    assert office.clients.page(ClientQuery(), 0, 10)[0].next_hearing is None


def test_a_birth_date_after_the_pinned_day_is_in_the_future(office):
    with pytest.raises(ValidationError) as refused:
        office.clients.create(ClientDraft(given_name="Lucía", family_name="Reyes", date_of_birth=date(2026, 6, 2)))
    assert refused.value.fields == {"date_of_birth": "A date of birth cannot be in the future."}


def test_an_imported_birth_date_after_the_pinned_day_is_a_problem_of_its_row(office, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("first_name,last_name,date_of_birth\nLucía,Reyes,2026-06-02\nAna,Soto,2026-05-30\n",
                    encoding="utf-8")
    parsed = office.client_csv.parse(path)
    assert [(problem.row, problem.column) for problem in parsed.problems] == [(2, "date_of_birth")]


def test_a_matter_or_filing_dated_after_the_pinned_day_is_in_the_future(office):
    client = add_client(office)
    with pytest.raises(ValidationError) as refused:
        office.matters.create(client, MatterDraft(kind="other", title="Advice", opened_on=date(2026, 6, 2)))
    assert refused.value.fields == {"opened_on": "The opening date cannot be in the future."}
    matter = office.matters.create(client, MatterDraft(kind="benefit", title="I-130", opened_on=date(2026, 6, 1)))
    with pytest.raises(ValidationError) as refused:
        office.benefits.add_benefit_application(matter.id, BenefitApplicationDraft(form="I-130", filed_on=date(2026, 6, 2)))
    assert refused.value.fields == {"filed_on": "The filing date cannot be in the future."}
