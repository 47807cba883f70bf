"""A matter's History on a shared PostgreSQL office (issue 13): a hearing deleted from the matter
stays on its History with its earlier rows, as on SQLite."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from postgres_support import emptied_office, needs_postgres

from kantor_cases.domain.calendars import get_calendar
from kantor_cases.domain.records import ClientDraft, HearingDraft, MatterDraft, RemovalCaseDraft
from kantor_cases.services.history import HistoryFilter

pytestmark = needs_postgres


@pytest.fixture
def shared_office():
    office = emptied_office()
    yield office
    office.close()


def test_a_hearing_deleted_from_a_matter_stays_on_its_history(shared_office):
    office = shared_office
    client = office.clients.create(ClientDraft(given_name="José", family_name="Núñez"))
    matter, other = (office.matters.create(client.id, MatterDraft(kind="removal", removal=RemovalCaseDraft(
        custody="released"))).id for _ in range(2))
    day = get_calendar("federal").next_business_day(date.today() + timedelta(days=10))
    hearing = office.hearings.add_hearing(matter, HearingDraft(datetime.combine(day, time(9, 0)), "master"))
    moved = office.hearings.update_hearing(hearing.id, HearingDraft(
        datetime.combine(day, time(9, 0)) + timedelta(hours=2), "master"), hearing.version)
    office.hearings.delete_hearing(hearing.id, moved.version)

    rows = office.history.page(HistoryFilter(matter_id=matter), 0, 100)
    assert [row.action for row in reversed(rows) if row.entity == "hearing"] == ["create", "update", "delete"]
    assert office.history.count(HistoryFilter(matter_id=matter, kind="delete")) == 1
    assert not [row for row in office.history.page(HistoryFilter(matter_id=other), 0, 100)
                if row.entity == "hearing"]
