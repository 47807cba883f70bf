"""The Follow-ups screen: my open follow-ups, a new one, "remind me in N days", done, snooze, open."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from agenda_data import add_client, add_matter
from PySide6.QtCore import Qt

from kantor_cases.ui.follow_ups.follow_ups_panel import FollowUpsPanel

TODAY = date(2026, 6, 1)


@pytest.fixture
def mine(office):
    client = add_client(office)
    matter = add_matter(office, client)
    return {
        "client": client, "matter": matter,
        "late": office.follow_ups.create(date(2026, 5, 28), "Ask for the tax returns", matter_id=matter).id,
        "other": office.follow_ups.create(TODAY, "Not mine", client_id=client, assignee="Luis").id,
    }


def make_panel(qtbot, office) -> FollowUpsPanel:
    panel = FollowUpsPanel(office, today=lambda: TODAY)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def ids(panel) -> list[int]:
    return [record.id for record in panel.model.records()]


def test_shows_my_open_follow_ups_only(qtbot, qtmodeltester, office, mine):
    panel = make_panel(qtbot, office)
    qtmodeltester.check(panel.model)
    assert ids(panel) == [mine["late"]]
    assert "1 open for Ana, 1 overdue" in panel.title_label.text()
    assert panel.model.index(0, 1).data() == "Ask for the tax returns"
    assert panel.model.index(0, 2).data() == "María García López"


def test_remind_me_in_3_days_on_the_same_matter(qtbot, office, mine, monkeypatch):
    panel = make_panel(qtbot, office)
    monkeypatch.setattr(panel, "ask_note", lambda title, prompt, text="": f"{text} (again)")
    [action_3] = [a for a in panel.remind_menu.actions() if a.text() == "3 days"]
    action_3.trigger()
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)
    assert len(ids(panel)) == 2
    new = next(r for r in panel.model.records() if r.id != mine["late"])
    assert new.due == TODAY + timedelta(days=3) and new.matter_id == mine["matter"]
    assert new.note == "Ask for the tax returns (again)" and new.assignee == "Ana"


def test_done_and_snooze(qtbot, office, mine, monkeypatch):
    panel = make_panel(qtbot, office)
    monkeypatch.setattr(panel, "ask_note", lambda title, prompt, text="": "received")
    panel.snooze_selected(7)
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)
    assert office.follow_ups.get(mine["late"]).snoozed_until == date(2026, 6, 8)
    assert "snoozed until 08 Jun" in panel.model.index(0, 5).data()
    qtbot.mouseClick(panel.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)
    assert ids(panel) == [] and panel.empty_label.isVisibleTo(panel)
    assert office.follow_ups.get(mine["late"]).done_note == "received"


def test_enter_opens_the_matter(qtbot, office, mine):
    panel = make_panel(qtbot, office)
    panel.table.setFocus()
    with qtbot.waitSignal(panel.open_matter_requested, timeout=1000) as blocker:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert blocker.args == [mine["matter"]]


def test_every_follow_up_is_listed_however_many_there_are(qtbot, office, mine):
    from kantor_cases.db.models import FollowUp

    with office.database.write() as session:
        session.add_all(FollowUp(client_id=mine["client"], assignee="Ana", due_on=TODAY + timedelta(days=n % 40),
                                 note=f"Call {n}", created_by="test", updated_by="test") for n in range(1_200))
        session.add(FollowUp(client_id=mine["client"], assignee="Luis", escalated_to="Ana", due_on=date(2026, 5, 1),
                             note="Luis's, escalated to Ana", created_by="test", updated_by="test"))
    panel = make_panel(qtbot, office)
    assert panel.model.rowCount() == 1_202  # the 1,200, the late one and the escalated one
    assert "1,202 open for Ana, 2 overdue" in panel.title_label.text()
    assert panel.model.index(0, 1).data() == "Luis's, escalated to Ana"  # earliest first
    assert panel.model.index(1_201, 0).data() == (TODAY + timedelta(days=39)).strftime("%a %d %b %Y")
    assert panel.model.pages_fetched <= 3, "the list read every follow-up instead of the rows on screen"
