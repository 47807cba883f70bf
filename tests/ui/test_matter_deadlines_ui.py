"""Issue 15 in the window: a matter's Deadlines tab (and a client's), the decision that says which
deadlines it created, a final outcome asked about by name, Ctrl+Z and History's "Undo last change"."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from agenda_data import add_user
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from kantor_cases.domain.clock import FixedClock
from kantor_cases.domain.records import ClientDraft, MatterDraft, RemovalCaseDraft
from kantor_cases.services.history import HistoryFilter
from kantor_cases.ui.clients.client_window import ClientWindow
from kantor_cases.ui.history.history_view import HistoryView
from kantor_cases.ui.matters.matter_window import MatterWindow

DECIDED = date(2026, 12, 4)
BIA = "Appeal of an immigration judge's decision to the BIA (EOIR-26)"


@pytest.fixture
def office(db_path):
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    opened = Office.open(locations.resolve(str(db_path)), "Ana", clock=FixedClock(datetime(2026, 12, 7, 9, 0)))
    yield opened
    opened.close()


@pytest.fixture
def maria(office):
    """María García López's removal matter with its master calendar set."""
    client = office.clients.create(ClientDraft(given_name="María", family_name="García",
                                               second_family_name="López")).id
    court = office.settings.courts()[0]
    matter = office.matters.create(client, MatterDraft(kind="removal", title="Removal defense",
                                                       removal=RemovalCaseDraft(court_id=court.id))).id
    office.matters.change_government_status(matter, "master_set", "", office.matters.get(matter).version)
    return client, matter


def open_matter(qtbot, office, matter_id):
    window = MatterWindow(office, matter_id)
    qtbot.addWidget(window)
    window.show()
    return window


def loaded(qtbot, view, rows: int) -> None:
    qtbot.waitUntil(lambda: view.model.rowCount() == rows and view.summary_label.text() != "Loading…", timeout=5000)


def cells(view, row: int) -> list[str]:
    return [view.model.data(view.model.index(row, column)) for column in range(view.model.columnCount())]


def answer_yes(monkeypatch) -> list[str]:
    asked: list[str] = []

    def yes(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    return asked


def test_the_deadlines_tab_shows_the_bia_deadline_with_its_citation_and_version(qtbot, office, maria):
    _client, matter = maria
    office.matters.change_government_status(matter, "removal_ordered", "", office.matters.get(matter).version,
                                            decision_date=DECIDED)
    window = open_matter(qtbot, office, matter)
    window.tabs.setCurrentWidget(window.deadlines_view)
    view = window.deadlines_view
    loaded(qtbot, view, 3)
    row = next(n for n in range(3) if cells(view, n)[1] == BIA)
    due, _title, rule, version, citation, rolled, assignee, status = cells(view, row)
    assert due == "Mon 04 Jan 2027" and rule == "bia-appeal" and citation == "8 CFR 1003.38(b)"
    assert version and assignee == "Ana" and status == "open, 28 days left"
    assert "3 open" in view.summary_label.text()


def test_an_attorney_overrides_a_date_with_a_reason_and_staff_see_it_disabled(qtbot, office, maria,
                                                                              monkeypatch):
    _client, matter = maria
    add_user(office, "Rosa Kantor", "attorney")
    add_user(office, "Sam Staff", "staff")
    office.user = "Rosa Kantor"
    office.deadlines.record_event(matter, "ij_decision", DECIDED)
    window = open_matter(qtbot, office, matter)
    view = window.deadlines_view
    loaded(qtbot, view, 3)
    assert view.select_title(BIA)
    assert view.override_button.isEnabled() and view.trigger_button.isEnabled()
    monkeypatch.setattr(view, "ask_date", lambda *args, **kwargs: (date(2026, 12, 30), "file early: holidays"))
    view.override_button.click()
    qtbot.waitUntil(lambda: "(overridden)" in (cells(view, 0)[0] or ""), timeout=5000)
    appeal = next(r for r in office.deadlines.for_matter(matter, include_history=False) if r.rule_id == "bia-appeal")
    assert appeal.due == date(2026, 12, 30) and appeal.override_reason == "file early: holidays"
    window.close()

    office.user = "Sam Staff"
    window = open_matter(qtbot, office, matter)
    view = window.deadlines_view
    loaded(qtbot, view, 3)
    view.select_title(BIA)
    assert not view.override_button.isEnabled() and not view.trigger_button.isEnabled()
    assert view.override_button.toolTip() == "Staff cannot override a deadline or move its trigger date; " \
                                             "ask an attorney."
    assert view.done_button.isEnabled() and view.add_button.isEnabled()


def test_recording_removal_ordered_asks_by_name_says_what_it_created_and_ctrl_z_takes_it_back(
        qtbot, office, maria, message_boxes, monkeypatch):
    client, matter = maria
    window = open_matter(qtbot, office, matter)
    assert window.government_combo.currentData() is None and not window.record_button.isEnabled()
    window.government_combo.setCurrentIndex(window.government_combo.findData("removal_ordered"))
    assert window.record_button.isEnabled()
    window.decision_date.set_value(DECIDED)
    window.record_button.click()  # asked; the fixture answers no
    assert office.matters.get(matter).government_status == "master_set"
    asked = answer_yes(monkeypatch)
    window.government_combo.setCurrentIndex(window.government_combo.findData("removal_ordered"))
    window.decision_date.set_value(DECIDED)
    window.record_button.click()
    assert asked == ["Record “Decision: removal ordered” for María García López on 04 Dec 2026?"]
    assert office.matters.get(matter).government_status == "removal_ordered"
    kind, title, text = message_boxes[-1]
    assert kind == "information" and title == "Deadlines created"
    assert f"{BIA} due 04 Jan 2027 (8 CFR 1003.38(b))" in text and "see the deadlines tab" in text.lower()
    loaded(qtbot, window.deadlines_view, 3)

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Undo our status" not in asked[-1] and "“Decision: removal ordered”" in asked[-1]
    assert office.matters.get(matter).government_status == "master_set"
    assert "Withdrawn" in message_boxes[-1][2] and BIA in message_boxes[-1][2]
    qtbot.waitUntil(lambda: all(not row.record.is_open for row in window.deadlines_view.model.records()),
                    timeout=5000)
    assert window.government_label.text().endswith("<b>Pending, master calendar set</b>")

    history = HistoryView(office, HistoryFilter(matter_id=matter))
    qtbot.addWidget(history)
    qtbot.waitUntil(lambda: history.model.rowCount() > 0, timeout=5000)
    kinds = [history.model.record(row).action for row in range(history.model.rowCount())]
    assert kinds[0] == "undo" and "status" in kinds
    # The client's Deadlines tab shows the history too, and opens the matter on Enter.
    client_window = ClientWindow(office, client)
    qtbot.addWidget(client_window)
    loaded(qtbot, client_window.deadlines_view, 3)
    assert cells(client_window.deadlines_view, 0)[2] == "Removal defense"
    assert cells(client_window.deadlines_view, 0)[-1] == "withdrawn (kept as history)"


def test_history_undo_last_change_puts_a_pd_denial_back(qtbot, office, maria, monkeypatch):
    from kantor_cases.domain.records import PdRequestDraft

    _client, matter = maria
    request = office.pd_requests.create_pd_request(matter, PdRequestDraft(regime="doyle-2022",
                                                                          action_requested="dismissal"))
    window = open_matter(qtbot, office, matter)
    asked = answer_yes(monkeypatch)
    window.pd_editor.step_buttons["submitted"].click()
    assert asked == []  # not a final outcome: no question
    window.pd_editor.step_buttons["denied"].click()
    assert asked == ["Mark this PD request “Denied” for María García López on 07 Dec 2026? It is a final status."]
    assert office.pd_requests.get_pd_request(request.id).status == "denied"
    history = HistoryView(office, HistoryFilter(matter_id=matter))
    qtbot.addWidget(history)
    history.undo_last_change()
    assert "“Denied”" in asked[-1]
    qtbot.waitUntil(lambda: office.pd_requests.get_pd_request(request.id).status == "submitted", timeout=5000)


def test_closing_the_matter_is_asked_by_name_and_ctrl_z_reopens_it(qtbot, office, maria, monkeypatch):
    _client, matter = maria
    window = open_matter(qtbot, office, matter)
    window.firm_step_buttons["closed"].click()  # asked; the fixture answers no
    assert office.matters.get(matter).firm_status == "intake"
    asked = answer_yes(monkeypatch)
    window.firm_step_buttons["closed"].click()
    assert asked == ["Record “Closed” for María García López on 07 Dec 2026?"]
    assert office.matters.get(matter).firm_status == "closed"
    window.undo_last_change()
    assert "our status “Closed” (was “Intake”)" in asked[-1]
    details = office.matters.get(matter)
    assert details.firm_status == "intake" and details.closed_on is None
    assert "undo of the change" in window.history_list.item(window.history_list.count() - 1).text()
