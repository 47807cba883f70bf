"""A hearing on a weekend or court holiday is refused at entry unless an attorney confirms a special
setting; a confirmed one prints its reminder in a batch (issue 14 item 7)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from agenda_data import add_user
from conftest import add_client, add_removal_matter

from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.records import HearingDraft
from kantor_cases.ui.matters.hearing_dialog import HearingDialog


def _next_saturday() -> date:
    day = date.today() + timedelta(days=1)
    while day.weekday() != 5:
        day += timedelta(days=1)
    return day


def _dialog(qtbot, office, matter_id, day: date) -> HearingDialog:
    dialog = HearingDialog(office, matter_id)
    qtbot.addWidget(dialog)
    dialog.date_field.set_value(day)
    dialog.time_edit.setText("9:00 am")
    return dialog


@pytest.fixture
def matter(office):
    add_user(office, "Rosa Kantor")
    add_user(office, "Sam Staff", role="staff")
    client_id = add_client(office, "María", "García", a_number="A012345678", street="1457 W. Temple Street",
                           city="Los Angeles", state="CA", postal_code="90026")
    return office, add_removal_matter(office, client_id)


def test_a_saturday_hearing_is_refused_at_entry(qtbot, matter):
    office, matter_id = matter
    dialog = _dialog(qtbot, office, matter_id, _next_saturday())
    with pytest.raises(ValidationError, match="Saturday"):
        dialog.draft()
    dialog.accept()
    assert dialog.saved is None and office.matters.get(matter_id) is not None
    assert office.hearings.upcoming_hearings(30) == []


def test_only_an_attorney_confirms_a_special_setting_and_then_it_is_kept(qtbot, matter):
    office, matter_id = matter
    office.user = "Sam Staff"
    dialog = _dialog(qtbot, office, matter_id, _next_saturday())
    dialog.special_check.setChecked(True)
    dialog.accept()
    assert dialog.saved is None
    office.user = "Rosa Kantor"
    dialog = _dialog(qtbot, office, matter_id, _next_saturday())
    dialog.special_check.setChecked(True)
    dialog.accept()
    assert dialog.saved is not None and dialog.saved.special_setting
    assert office.hearings.closed_court_day(dialog.saved.starts_at) is not None


def test_a_confirmed_special_setting_prints_in_a_batch(matter, tmp_path):
    from dataclasses import replace
    from datetime import datetime, time

    office, matter_id = matter
    firm = office.settings.firm()
    office.settings.update_firm(replace(firm, firm_name="Kantor", attorney_name="Rosa Kantor",
                                        street="9454 Wilshire Blvd.", city="Beverly Hills", state="CA",
                                        postal_code="90212"), firm.version)
    office.user = "Rosa Kantor"
    saturday = datetime.combine(_next_saturday(), time(9))
    office.hearings.add_hearing(matter_id, HearingDraft(starts_at=saturday, special_setting=True))
    result = office.letters.run_batch("hearing-reminder", hearings_within_days=8, out_dir=tmp_path)
    assert result.count == 1 and not result.problems, result.problems
