"""A hearing on a day the immigration courts are closed is refused by the hearing service itself,
with the dialog's sentence, unless confirmed as a special setting (issue 15 point 10: a Sunday
hearing was accepted silently by every path but the dialog)."""

from __future__ import annotations

from datetime import datetime

import pytest
from agenda_data import add_client, add_matter

from kantor_cases.domain.clock import FixedClock
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.records import HearingDraft
from kantor_cases.services.hearings import HearingService

SUNDAY = datetime(2026, 6, 7, 9, 0)
THANKSGIVING = datetime(2026, 11, 26, 9, 0)
MONDAY = datetime(2026, 6, 8, 9, 0)


@pytest.fixture
def matter(office):
    office.clock = FixedClock(datetime(2026, 6, 1, 9, 0))
    return add_matter(office, add_client(office))


def test_a_sunday_hearing_is_refused_with_one_sentence(office, matter):
    with pytest.raises(ValidationError) as refused:
        office.hearings.add_hearing(matter, HearingDraft(starts_at=SUNDAY))
    assert str(refused.value) == HearingService.closed_court_day(SUNDAY)
    assert str(refused.value).startswith("Sun 07 Jun 2026 is a day the immigration courts are closed (Sunday)")
    assert refused.value.fields == {"starts_at": str(refused.value)}
    assert office.hearings.hearings_for_client(office.matters.get(matter).client_id) == []


def test_moving_a_hearing_onto_a_court_holiday_is_refused(office, matter):
    hearing = office.hearings.add_hearing(matter, HearingDraft(starts_at=MONDAY))
    with pytest.raises(ValidationError, match="Thanksgiving"):
        office.hearings.update_hearing(hearing.id, HearingDraft(starts_at=THANKSGIVING), hearing.version)


def test_a_confirmed_special_setting_is_kept(office, matter):
    hearing = office.hearings.add_hearing(matter, HearingDraft(starts_at=SUNDAY, special_setting=True))
    assert hearing.special_setting and hearing.starts_at == SUNDAY
