"""The screens count from the office's clock: pin a day through `Office` and Today and Follow-ups agree."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from agenda_data import add_client

from kantor_cases.domain.clock import FixedClock
from kantor_cases.services import locations
from kantor_cases.services.office import Office
from kantor_cases.ui.agenda.today_panel import TodayPanel
from kantor_cases.ui.follow_ups.follow_ups_panel import FollowUpsPanel

MONDAY = datetime(2026, 6, 1, 9, 0)  # long past: the wall clock never agrees with it


@pytest.fixture
def pinned(db_path):
    office = Office.open(locations.resolve(str(db_path)), "Ana", clock=FixedClock(MONDAY))
    client = add_client(office)
    for due, note in ((date(2026, 5, 28), "Ask for the tax returns"), (date(2026, 6, 1), "Call María"),
                      (date(2026, 6, 4), "File the I-130")):
        office.follow_ups.create(due, note, client_id=client, assignee="Ana")
    yield office
    office.close()


def test_today_counts_overdue_from_the_offices_day(qtbot, pinned):
    panel = TodayPanel(pinned, daily_check=False)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=5000)
    assert "Today — Mon 01 Jun 2026" in panel.title_label.text()
    assert "1 overdue, 1 due today, 1 in the next" in panel.summary_label.text()
    assert [(item.title, item.section) for item in panel.model.records()] == [
        ("Ask for the tax returns", "overdue"), ("Call María", "today"), ("File the I-130", "upcoming")]


def test_follow_ups_count_overdue_from_the_offices_day(qtbot, pinned):
    panel = FollowUpsPanel(pinned)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.total == 3, timeout=5000)
    assert "3 open for Ana, 1 overdue" in panel.title_label.text()
