"""The calendar grid marks court holidays (issue 15 point 10): shaded on the grid, named under it and
beside a chosen holiday, with which courts are closed."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QColor

from kantor_cases.ui.calendar.calendar_panel import CALIFORNIA_CLOSED, IMMIGRATION_CLOSED, CalendarPanel
from kantor_cases.ui.widgets.date_field import to_qdate

THANKSGIVING = date(2026, 11, 26)


def _panel(qtbot, office, today: date) -> CalendarPanel:
    panel = CalendarPanel(office, today=lambda: today)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)
    return panel


def _shade(panel: CalendarPanel, day: date) -> QColor:
    return panel.calendar.dateTextFormat(to_qdate(day)).background().color()


def test_thanksgiving_and_the_day_after_are_shaded_and_named(qtbot, office):
    panel = _panel(qtbot, office, date(2026, 11, 2))
    assert _shade(panel, THANKSGIVING) == IMMIGRATION_CLOSED
    assert _shade(panel, date(2026, 11, 27)) == CALIFORNIA_CLOSED  # the California courts only
    assert _shade(panel, date(2026, 11, 25)) != IMMIGRATION_CLOSED
    text = panel.holidays_label.text()
    assert "Thu 26 Nov 2026: Thanksgiving Day (immigration courts and California courts closed)" in text
    assert "Fri 27 Nov 2026: Day after Thanksgiving (California courts closed)" in text
    assert "Veterans Day" in text

    panel.set_date(THANKSGIVING)
    qtbot.waitUntil(lambda: "court holiday: Thanksgiving Day" in panel.range_label.text(), timeout=5000)


def test_a_new_month_clears_the_last_months_holidays(qtbot, office):
    panel = _panel(qtbot, office, date(2026, 11, 2))
    panel.set_date(date(2027, 3, 10))
    qtbot.waitUntil(lambda: "Cesar Chavez Day" in panel.holidays_label.text(), timeout=5000)
    assert _shade(panel, THANKSGIVING) != IMMIGRATION_CLOSED
    assert "Thanksgiving" not in panel.holidays_label.text()
