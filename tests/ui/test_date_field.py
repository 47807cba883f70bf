"""Date fields: a date typed in any accepted way reads back as that date, and the calendar pop-up
puts the day picked into the field as a typed one would be."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QAbstractItemView

from kantor_cases.ui.widgets.date_field import DateField

# A pop-up grabs the keyboard and raises itself; the offscreen platform says it cannot.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

FORMATS = (
    lambda d: f"{d.month}/{d.day}/{d.year}",
    lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    lambda d: d.isoformat(),
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: f"  {d.month}/{d.day}/{d.year} ",
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)),
       written=st.sampled_from(FORMATS))
def test_any_date_typed_in_an_accepted_way_reads_back_as_that_date(qtbot, day, written):
    field = DateField()
    qtbot.addWidget(field)
    qtbot.keyClicks(field, written(day))
    assert field.value() == day
    # And what the field shows for it reads back the same.
    field.set_value(field.value())
    assert field.value() == day


def test_the_calendar_opens_on_the_typed_date_and_a_pick_fills_the_field(qtbot):
    field = DateField()
    qtbot.addWidget(field)
    field.show()
    edited = []
    field.textEdited.connect(edited.append)
    qtbot.keyClicks(field, "3/14/2027")
    edited.clear()
    qtbot.keyClick(field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = field.calendar
    assert calendar is not None and calendar.isVisible()
    assert calendar.selectedDate() == QDate(2027, 3, 14)
    calendar.setSelectedDate(QDate(2027, 4, 2))
    qtbot.keyClick(calendar.findChild(QAbstractItemView), Qt.Key.Key_Return)  # the days' grid has the keys
    assert field.text() == "4/2/2027" and field.value() == date(2027, 4, 2)
    assert edited == ["4/2/2027"], "a form watching for edits must see the pick"
    qtbot.waitUntil(lambda: field.calendar is None)


def test_the_calendar_button_opens_it_even_on_an_empty_or_wrong_field(qtbot):
    field = DateField()
    qtbot.addWidget(field)
    field.show()
    field.calendar_action.trigger()
    assert field.calendar is not None and field.calendar.isVisible()
    field.calendar.close()
    qtbot.keyClicks(field, "13/45/2020")
    qtbot.keyClick(field, Qt.Key.Key_F4)
    assert field.calendar is not None and field.calendar.isVisible()
    assert field.text() == "13/45/2020", "opening the calendar changes nothing typed"
