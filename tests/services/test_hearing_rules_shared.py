"""The Hearings screen and the reminder batch agree on which hearings are upcoming (from the start
of the office's today) and on which have had their reminder (a reminder letter for the hearing is
in the log)."""

from __future__ import annotations

from datetime import datetime

import pytest
from agenda_data import add_client, add_hearing, add_matter, log_reminder_letter

from kantor_cases.domain.clock import FixedClock
from kantor_cases.services import locations
from kantor_cases.services.office import Office

MONDAY_AFTERNOON = datetime(2026, 6, 1, 15, 0)  # long past the day these tests run: the wall clock never agrees


@pytest.fixture
def office(db_path):
    opened = Office.open(locations.resolve(str(db_path)), "Ana", clock=FixedClock(MONDAY_AFTERNOON))
    yield opened
    opened.close()


def test_a_hearing_this_morning_is_upcoming_on_the_hearings_screen_and_in_the_batch(office):
    matter = add_matter(office, add_client(office))
    this_morning = add_hearing(office, matter, datetime(2026, 6, 1, 9, 0))
    wednesday = add_hearing(office, matter, datetime(2026, 6, 3, 8, 30))
    add_hearing(office, matter, datetime(2026, 5, 29, 9, 0))  # last Friday: past
    add_hearing(office, matter, datetime(2026, 6, 9, 9, 0))  # eight days on: outside a week

    assert [h.id for h in office.hearings.upcoming_hearings(7)] == [this_morning, wednesday]
    assert office.hearings.count_upcoming_hearings(7) == 2
    assert office.hearings.upcoming_hearing_counts(7) == (2, 0, 2)
    assert office.letters.batch_candidates("hearing-reminder", 7) == (2, 0)
    assert office.letters.batch_candidates("hearing-reminder", 0) == (1, 0)  # today alone


def test_a_logged_reminder_counts_as_sent_on_the_hearings_screen_and_in_the_batch(office):
    matter = add_matter(office, add_client(office))
    reminded = add_hearing(office, matter, datetime(2026, 6, 2, 9, 0))
    waiting = add_hearing(office, matter, datetime(2026, 6, 4, 9, 0))
    log_reminder_letter(office, reminded)

    assert {h.id: h.reminder_sent for h in office.hearings.upcoming_hearings(7)} == {reminded: True,
                                                                                    waiting: False}
    assert office.hearings.upcoming_hearing_counts(7) == (2, 0, 1)
    assert office.letters.batch_candidates("hearing-reminder", 7) == (1, 1)
