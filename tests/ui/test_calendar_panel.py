"""The Calendar screen: busy days in bold, a day's and a week's items, and Export .ics."""

from __future__ import annotations

from datetime import date, datetime

import icalendar
import pytest
from agenda_data import add_hearing, add_matter, add_user
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from kantor_cases.ui.calendar.calendar_panel import WEEK, CalendarPanel, week_of

TODAY = date(2026, 6, 1)


@pytest.fixture
def month(office):
    ana = add_user(office, "Ana")
    matter = add_matter(office, attorney_id=ana)
    decision = {r.rule_id: r.id for r in office.deadlines.record_event(matter, "ij_decision", date(2026, 5, 6))}
    return {
        "matter": matter,
        "hearing": add_hearing(office, matter, datetime(2026, 6, 3, 8, 30)),
        "appeal": decision["bia-appeal"],  # Fri 5 Jun 2026
        "luis": office.follow_ups.create(date(2026, 6, 10), "Luis's task", matter_id=matter, assignee="Luis").id,
    }


def make_panel(qtbot, office) -> CalendarPanel:
    panel = CalendarPanel(office, today=lambda: TODAY)
    qtbot.addWidget(panel)
    panel.show()
    settle(qtbot, panel)
    return panel


def settle(qtbot, panel) -> None:
    """The calendar loads off the window's thread: wait until it shows the answer."""
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)


def shown(panel) -> set[tuple[str, int]]:
    return {(item.kind, item.id) for item in panel.model.records()}


def test_week_of_runs_monday_to_sunday():
    assert week_of(date(2026, 6, 3)) == (date(2026, 6, 1), date(2026, 6, 7))


def test_a_day_then_a_week(qtbot, qtmodeltester, office, month):
    panel = make_panel(qtbot, office)
    qtmodeltester.check(panel.model)
    assert {date(2026, 6, 3), date(2026, 6, 5), date(2026, 6, 10)} <= set(panel.busy_days())
    assert shown(panel) == set()  # nothing on Monday 1 June
    panel.set_date(date(2026, 6, 3))
    settle(qtbot, panel)
    assert shown(panel) == {("hearing", month["hearing"])}
    assert "08:30" in panel.model.index(0, 0).data()
    panel.set_mode(WEEK)
    settle(qtbot, panel)
    assert ("deadline", month["appeal"]) in shown(panel) and ("hearing", month["hearing"]) in shown(panel)
    assert ("follow_up", month["luis"]) not in shown(panel)  # the week after
    assert "Mon 01 Jun 2026 – Sun 07 Jun 2026" in panel.range_label.text()
    qtmodeltester.check(panel.model)


def test_only_mine(qtbot, office, month):
    panel = make_panel(qtbot, office)
    panel.set_date(date(2026, 6, 10))
    settle(qtbot, panel)
    assert shown(panel) == {("follow_up", month["luis"])}
    panel.mine_check.setChecked(True)
    settle(qtbot, panel)
    assert shown(panel) == set()
    assert date(2026, 6, 10) not in panel.busy_days()


def test_turning_to_the_next_month_bolds_its_busy_days(qtbot, office, month):
    office.follow_ups.create(date(2026, 7, 14), "Call the court", matter_id=month["matter"])
    panel = make_panel(qtbot, office)
    assert date(2026, 7, 14) not in panel.busy_days()  # June is shown
    next_month = panel.calendar.findChild(QToolButton, "qt_calendar_nextmonth")
    qtbot.mouseClick(next_month, Qt.MouseButton.LeftButton)
    settle(qtbot, panel)
    assert (panel.calendar.yearShown(), panel.calendar.monthShown()) == (2026, 7)
    assert date(2026, 7, 14) in panel.busy_days()
    assert date(2026, 6, 3) not in panel.busy_days()


def test_activating_an_item_opens_its_matter(qtbot, office, month):
    panel = make_panel(qtbot, office)
    panel.set_date(date(2026, 6, 3))
    settle(qtbot, panel)
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    with qtbot.waitSignal(panel.open_matter_requested, timeout=1000) as blocker:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert blocker.args == [month["matter"]]


def test_export_button_writes_the_ics(qtbot, office, month, tmp_path, monkeypatch):
    panel = make_panel(qtbot, office)
    target = tmp_path / "calendar"  # the .ics suffix is added when the user leaves it out
    monkeypatch.setattr(panel, "ask_export_path", lambda: target)
    monkeypatch.setattr("kantor_cases.ui.calendar.calendar_panel.QMessageBox.information", lambda *args: None)
    with qtbot.waitSignal(panel.exported, timeout=5000) as blocker:
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    path, count = blocker.args
    assert path.endswith("calendar.ics") and count >= 4
    events = icalendar.Calendar.from_ical((tmp_path / "calendar.ics").read_bytes()).walk("VEVENT")
    assert f"hearing-{month['hearing']}@kantor-cases" in {str(e["UID"]) for e in events}


def test_a_locked_database_is_said_never_shown_as_nothing_scheduled(qtbot, office, month, monkeypatch):
    from kantor_cases.domain.errors import DatabaseError

    panel = make_panel(qtbot, office)

    def locked(*_args, **_kwargs):
        raise DatabaseError("The database is locked by another program or desk; nothing was changed.")

    monkeypatch.setattr(office.agenda, "calendar_items", locked)
    panel.set_date(date(2026, 6, 3))
    settle(qtbot, panel)
    assert "could not be brought up to date" in panel.range_label.text()
    assert "nothing scheduled" not in panel.range_label.text()
