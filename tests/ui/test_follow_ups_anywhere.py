"""New follow-up (Ctrl+Shift+F) from wherever the person is: a matter's window (its new Follow-ups
tab), a client's window, Today and the Follow-ups screen (with a picker that searches like Ctrl+K),
and the search results' context menu. What is saved shows at once on every open screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from kantor_cases.ui.agenda.today_panel import TodayPanel
from kantor_cases.ui.clients.client_window import ClientWindow
from kantor_cases.ui.follow_ups.follow_ups_panel import FollowUpsPanel
from kantor_cases.ui.matters.matter_window import MatterWindow
from kantor_cases.ui.shell.search_box import SearchBox
from kantor_cases.ui.widgets import follow_up_dialog
from kantor_cases.ui.widgets.follow_up_dialog import FollowUpDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def opened(monkeypatch) -> list[FollowUpDialog]:
    """The dialogs opened, shown without blocking (exec would wait for a person)."""
    dialogs: list[FollowUpDialog] = []

    def show_instead(dialog: FollowUpDialog) -> int:
        dialogs.append(dialog)
        dialog.show()
        return 0

    monkeypatch.setattr(follow_up_dialog.FollowUpDialog, "exec", show_instead)
    return dialogs


def activate(qtbot, widget) -> None:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitActive(widget):
        widget.activateWindow()


def save(qtbot, dialog: FollowUpDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.created is not None or bool(dialog.error_label.text()), timeout=5000)


def notes_on(tab) -> list[str]:
    return [record.note for record in tab.model.records()]


def test_ctrl_shift_f_in_a_matter_window_adds_one_seen_on_its_tab_and_on_today(qtbot, small_office, opened):
    office, ids = small_office
    today = TodayPanel(office, daily_check=False)
    activate(qtbot, today)
    window = MatterWindow(office, ids["maria_matter"])
    activate(qtbot, window)
    qtbot.waitUntil(lambda: window.follow_ups_tab.loaded, timeout=5000)
    assert window.tabs.tabText(window.tabs.count() - 1) == "Follow-&ups"

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    [dialog] = opened
    assert dialog.picker is None and dialog.subject() == (None, ids["maria_matter"])  # about this matter
    dialog.note_edit.setPlainText("Ask María for the school records")
    dialog.days_spin.setValue(0)  # due today
    save(qtbot, dialog)
    assert dialog.created is not None and dialog.created.assignee == office.user

    qtbot.waitUntil(lambda: notes_on(window.follow_ups_tab) == ["Ask María for the school records"], timeout=5000)
    qtbot.waitUntil(lambda: any(item.title == "Ask María for the school records" for item in today.model.records()),
                    timeout=5000)


def test_the_picker_finds_a_client_as_you_type_and_the_follow_up_is_theirs(qtbot, small_office, opened):
    office, ids = small_office
    client = ClientWindow(office, ids["olga"])
    activate(qtbot, client)
    today = TodayPanel(office, daily_check=False)
    activate(qtbot, today)
    qtbot.waitUntil(lambda: not today.busy, timeout=5000)

    qtbot.keyClick(today, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    [dialog] = opened
    assert dialog.picker is not None
    save(qtbot, dialog)  # nothing chosen yet
    assert dialog.created is None and "Choose the client or matter" in dialog.error_label.text()

    qtbot.keyClicks(dialog.picker.edit, "Ivanova")
    qtbot.waitUntil(lambda: bool(dialog.picker.hits), timeout=2000)  # after the pause in typing
    assert "Olga Ivanova" in dialog.picker.results.item(0).text()
    assert dialog.subject() == (ids["olga"], None)
    dialog.note_edit.setPlainText("Call Olga about the I-765")
    dialog.on_date_button.setChecked(True)
    due = office.clock.today() + timedelta(days=3)
    dialog.date_field.set_value(due)
    dialog.repeat_spin.setValue(14)
    save(qtbot, dialog)
    created = dialog.created
    assert created is not None and created.client_id == ids["olga"] and created.due == due
    assert created.recurrence_days == 14

    qtbot.waitUntil(lambda: "Call Olga about the I-765" in notes_on(client.follow_ups_tab), timeout=5000)
    qtbot.waitUntil(lambda: any(item.title == "Call Olga about the I-765" for item in today.model.records()),
                    timeout=5000)


def test_a_date_in_the_past_is_refused_in_words(qtbot, small_office, opened):
    office, ids = small_office
    dialog = FollowUpDialog(office, client_id=ids["jose"])
    qtbot.addWidget(dialog)
    dialog.note_edit.setPlainText("Call José")
    dialog.on_date_button.setChecked(True)
    dialog.date_field.setText("1/2/2020")
    save(qtbot, dialog)
    assert dialog.created is None and "in the past" in dialog.error_label.text()


def test_the_client_window_tab_has_the_button_and_done_closes(qtbot, small_office, opened, monkeypatch):
    office, ids = small_office
    office.follow_ups.create(office.clock.today(), "Send the fee agreement", client_id=ids["jose"])
    window = ClientWindow(office, ids["jose"])
    activate(qtbot, window)
    tab = window.follow_ups_tab
    qtbot.waitUntil(lambda: notes_on(tab) == ["Send the fee agreement"], timeout=5000)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    assert opened[-1].subject() == (ids["jose"], None)
    opened[-1].reject()
    monkeypatch.setattr(tab, "ask_note", lambda *_args: "sent by mail")
    qtbot.mouseClick(tab.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: notes_on(tab) == [], timeout=5000)
    assert office.follow_ups.for_client(ids["jose"], include_done=True)[0].done_note == "sent by mail"


def test_the_follow_ups_screen_asks_which_client_not_the_selected_row(qtbot, small_office, opened):
    office, ids = small_office
    office.follow_ups.create(office.clock.today(), "Selected row's task", matter_id=ids["maria_matter"])
    panel = FollowUpsPanel(office)
    activate(qtbot, panel)
    assert panel.selected_record() is not None
    qtbot.keyClick(panel, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    [dialog] = opened
    assert dialog.picker is not None and dialog.subject() == (None, None)


def test_a_search_result_offers_a_follow_up_about_that_client(qtbot, small_office, opened):
    office, ids = small_office
    box = SearchBox(office)
    qtbot.addWidget(box)
    box.setText("García")
    box.run_search()
    row = next(n for n, hit in enumerate(box.hits) if hit.kind == "client")
    dialog = box.follow_up_dialog_for(row)
    assert dialog is not None and dialog.subject() == (ids["maria"], None)
    dialog.note_edit.setPlainText("Ask about the passport")
    save(qtbot, dialog)
    assert dialog.created is not None and dialog.created.client_id == ids["maria"]
