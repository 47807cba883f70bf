"""The Deadlines screen (issue 15): next 30 / 60 / 90 days with exact counts, by attorney, opening the
matter, printed and exported (never over the office's own file)."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

import pytest
from agenda_data import add_client, add_matter, add_user
from PySide6.QtCore import Qt

from kantor_cases.domain.clock import FixedClock
from kantor_cases.ui.deadlines.deadlines_panel import DeadlinesPanel

TODAY = date(2026, 12, 7)


@pytest.fixture
def office(db_path):
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    opened = Office.open(locations.resolve(str(db_path)), "Ana", clock=FixedClock(datetime(2026, 12, 7, 9, 0)))
    yield opened
    opened.close()


@pytest.fixture
def spread(office):
    add_user(office, "Rosa Kantor")
    matter = add_matter(office)
    other = add_matter(office, client_id=add_client(office, "Luis", "Reyes", ""))
    for n, days in enumerate([-2, 0, 10, 29, 31, 59, 61, 89, 95]):
        office.deadlines.add_manual(matter if n % 2 else other, f"Task {n}", TODAY + timedelta(days=days),
                                    assignee="Rosa Kantor" if n < 4 else "Ana")
    return matter, other


def shown(qtbot, panel, days: int, total: int) -> None:
    qtbot.waitUntil(lambda: panel.model.days == days and panel.model.total == total
                    and "open deadline" in panel.summary_label.text(), timeout=5000)


def test_30_60_90_days_count_exactly_and_filter_by_attorney(qtbot, office, spread):
    panel = DeadlinesPanel(office)
    qtbot.addWidget(panel)
    panel.show()
    shown(qtbot, panel, 30, 4)
    assert panel.summary_label.text() == \
        "4 open deadlines due by Wed 06 Jan 2027 for the whole office, overdue ones first."
    assert panel.model.data(panel.model.index(0, 0)) == "Sat 05 Dec 2026"
    assert panel.model.data(panel.model.index(0, 7)) == "overdue by 2 days"
    panel.set_days(60)
    shown(qtbot, panel, 60, 6)
    panel.set_days(90)
    shown(qtbot, panel, 90, 8)
    assert panel.title_label.text() == "<h2>Deadlines — next 90 days</h2>"
    panel.set_attorney("Rosa Kantor")
    qtbot.waitUntil(lambda: panel.model.attorney == "Rosa Kantor" and panel.model.total == 4, timeout=5000)
    assert panel.attorney_box.currentText() == "Rosa Kantor"


def test_enter_opens_the_matter(qtbot, office, spread):
    _matter, other = spread
    panel = DeadlinesPanel(office)
    qtbot.addWidget(panel)
    panel.show()
    shown(qtbot, panel, 30, 4)
    with qtbot.waitSignal(panel.open_matter_requested) as opened:
        panel.table.setFocus()
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert opened.args == [other]  # Task 0, overdue, is on the other matter


def test_print_and_export_write_the_list_and_never_the_office_file(qtbot, office, spread, tmp_path, message_boxes):
    panel = DeadlinesPanel(office)
    qtbot.addWidget(panel)
    panel.show()
    shown(qtbot, panel, 30, 4)
    assert panel.print_button.isEnabled() and panel.export_button.isEnabled()
    target = tmp_path / "next-30.csv"
    panel.export_csv(target)
    qtbot.waitUntil(lambda: any(box[1] == "Deadlines saved" for box in message_boxes), timeout=5000)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 5 and [row[1] for row in rows[1:]] == ["Task 0", "Task 1", "Task 2", "Task 3"]
    pdf = tmp_path / "next-30.pdf"
    panel.print_pdf(pdf)
    qtbot.waitUntil(lambda: message_boxes[-1][2].endswith("next-30.pdf."), timeout=10000)
    assert pdf.read_bytes().startswith(b"%PDF")
    database = office.locations.database_path
    before = database.read_bytes()[:100]
    count = len(message_boxes)
    panel.export_csv(database)
    qtbot.waitUntil(lambda: len(message_boxes) > count, timeout=5000)
    assert "never overwritten" in message_boxes[-1][2]
    assert database.read_bytes()[:100] == before
