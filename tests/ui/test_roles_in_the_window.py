"""Roles in the window: what the signed-in role may not do is disabled with the table's sentence as
its tooltip, and a call that gets through anyway is refused by the service with the same sentence."""

from __future__ import annotations

from datetime import date

from agenda_data import add_matter, add_user
from test_today_panel import make_panel, row_of, settle

from kantor_cases.ui.matters.matter_window import MatterWindow
from kantor_cases.ui.settings.settings_panel import SettingsPanel
from kantor_cases.ui.shell.main_window import MainWindow

STAFF_CANNOT_OVERRIDE = "Staff cannot override a deadline or move its trigger date; ask an attorney."


def said(message_boxes) -> list[str]:
    return [text for _kind, _title, text in message_boxes]


def test_today_disables_override_and_move_for_staff_and_the_service_refuses_them(qtbot, office, message_boxes,
                                                                                 monkeypatch):
    add_user(office, "Ana", role="staff")
    matter = add_matter(office)
    appeal = {r.rule_id: r for r in office.deadlines.record_event(matter, "ij_decision", date(2026, 5, 5))}["bia-appeal"]
    panel = make_panel(qtbot, office)
    panel.set_whole_office(True)
    settle(qtbot, panel)
    panel.select_row(row_of(panel, "deadline", appeal.id))
    for button in (panel.override_button, panel.trigger_button):
        assert not button.isEnabled() and button.toolTip() == STAFF_CANNOT_OVERRIDE
    assert panel.done_button.isEnabled()  # staff complete deadlines

    monkeypatch.setattr(panel, "ask_date", lambda *args, **kwargs: (date(2026, 6, 20), "client travels"))
    panel.override_selected()
    settle(qtbot, panel)
    assert STAFF_CANNOT_OVERRIDE in " ".join(said(message_boxes))
    assert office.deadlines.get(appeal.id).due == appeal.due


def test_today_lets_the_attorney_override(qtbot, office):
    add_user(office, "Ana", role="attorney")
    matter = add_matter(office)
    appeal = {r.rule_id: r for r in office.deadlines.record_event(matter, "ij_decision", date(2026, 5, 5))}["bia-appeal"]
    panel = make_panel(qtbot, office)
    panel.set_whole_office(True)
    settle(qtbot, panel)
    panel.select_row(row_of(panel, "deadline", appeal.id))
    assert panel.override_button.isEnabled() and panel.trigger_button.isEnabled()


def test_settings_shows_the_table_and_keeps_the_letterhead_and_users_to_the_administrator(qtbot, office,
                                                                                         message_boxes):
    add_user(office, "Ana", role="staff")
    panel = SettingsPanel(office)
    qtbot.addWidget(panel)
    letterhead_refusal = "Staff cannot change the firm's letterhead; ask an administrator."
    assert not panel.save_firm_button.isEnabled() and panel.save_firm_button.toolTip() == letterhead_refusal
    assert not panel.save_user_button.isEnabled() and not panel.new_user_button.isEnabled()
    table = panel.permissions_label.text()
    assert all(heading in table for heading in ("Administrator", "Attorney", "Staff", "Read-only"))
    assert "Override a deadline or move its trigger date" in table and "Restore a backup" in table
    assert "Acting as: Staff." in panel.acting_note.text()

    panel.firm_edits["firm_name"].setText("Law Office of Sam")
    assert not panel.save_firm()
    assert said(message_boxes) == [letterhead_refusal]
    assert office.settings.firm().firm_name != "Law Office of Sam"

    panel.set_acting_user("Ruth Kantor")  # not a user here: read-only, and told so
    assert "Acting as: Read-only." in panel.acting_note.text()


def test_the_matter_window_keeps_closing_and_decisions_to_attorneys(qtbot, office):
    add_user(office, "Ana", role="staff")
    add_user(office, "Rosa Kantor", role="attorney")
    matter = add_matter(office)
    office.user = "Rosa Kantor"
    office.matters.change_government_status(matter, "master_set", "", office.matters.get(matter).version)
    office.user = "Ana"
    window = MatterWindow(office, matter)
    qtbot.addWidget(window)
    closing = window.firm_step_buttons["closed"]
    assert not closing.isEnabled() and closing.toolTip() == "Staff cannot close or reopen a matter; ask an attorney."
    offered = {window.government_combo.itemData(i) for i in range(1, window.government_combo.count())}
    assert "continued" in offered and "removal_ordered" not in offered
    assert window.government_combo.toolTip() == "Staff cannot record a decision; ask an attorney."


def test_restore_is_for_the_administrator(qtbot, office):
    add_user(office, "Ana", role="attorney")
    window = MainWindow(office)
    qtbot.addWidget(window)
    # The role is read off the window's thread once it is up.
    qtbot.waitUntil(lambda: not window.busy, timeout=5000)
    assert not window.restore_action.isEnabled()
    assert window.restore_action.toolTip() == "Attorneys cannot restore a backup; ask an administrator."
    office.user = "Ada"
    add_user(office, "Ada", role="admin")
    window._show_user()
    qtbot.waitUntil(window.restore_action.isEnabled, timeout=5000)
