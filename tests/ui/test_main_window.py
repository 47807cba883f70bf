"""The main window: status bar, backups, navigation to every screen, search that opens records."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QSettings, Qt

from kantor_cases.ui.clients.clients_panel import ClientsPanel
from kantor_cases.ui.shell.main_window import SCREENS, MainWindow

# Opening a client window raises it; the offscreen platform says it cannot, which is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")


def make_window(qtbot, office):
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.busy, timeout=5000)  # the welcome line is worked out off-thread
    return window


def test_main_window_shows_the_database_and_backs_up(qtbot, office):
    window = make_window(qtbot, office)
    assert window.windowTitle() == "Kantor Cases"
    status_text = " ".join(label.text() for label in window.statusBar().findChildren(type(window._backup_label)))
    assert office.database.location in status_text
    assert "User: Ana" in status_text
    assert "no backup yet" in status_text
    window.back_up_action.trigger()
    # The copy is made off the window's thread; the menu item waits until it is done.
    assert not window.back_up_action.isEnabled()
    qtbot.waitUntil(lambda: window.back_up_action.isEnabled(), timeout=10_000)
    assert office.backups.list(), "Back up now wrote no backup"
    assert "just now" in window._backup_label.text()
    assert "Backup written and verified" in window.statusBar().currentMessage()


def test_navigation_opens_on_today_and_has_every_screen(qtbot, office):
    window = make_window(qtbot, office)
    assert [window.navigation.item(i).text() for i in range(window.navigation.count())] == list(SCREENS)
    assert window.current_screen() == "Today"
    for name in SCREENS:
        panel = window.show_screen(name)
        assert window.stack.currentWidget().widget() is panel
    assert isinstance(window.panel("Clients"), ClientsPanel)


def test_every_screen_is_the_feature_itself_and_record_windows_have_their_letters_tab(qtbot, small_office):
    from kantor_cases.ui.agenda.today_panel import TodayPanel
    from kantor_cases.ui.calendar.calendar_panel import CalendarPanel
    from kantor_cases.ui.follow_ups.follow_ups_panel import FollowUpsPanel
    from kantor_cases.ui.letters.letters_panel import LettersPanel

    office, ids = small_office
    window = make_window(qtbot, office)
    for name, kind in (("Today", TodayPanel), ("Follow-ups", FollowUpsPanel), ("Calendar", CalendarPanel),
                       ("Letters", LettersPanel)):
        assert isinstance(window.show_screen(name), kind), name
    client_window = window.open_client(ids["maria"])
    matter_window = window.open_matter(ids["maria_matter"])
    for record_window in (client_window, matter_window):
        tabs = record_window.tabs
        assert "&Letters" in [tabs.tabText(i) for i in range(tabs.count())]


def test_search_enter_opens_the_client(qtbot, small_office):
    office, ids = small_office
    window = make_window(qtbot, office)
    window.search_action.trigger()
    box = window.search_box
    qtbot.keyClicks(box, "petros")
    qtbot.waitUntil(lambda: bool(box.hits), timeout=2000)
    assert box.hits[0].name == "Aram Petrosyan"
    assert box.popup.isVisible()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert ids["aram"] in window.client_windows
    assert window.client_windows[ids["aram"]].isVisible()
    assert box.text() == "" and not box.popup.isVisible()


def test_in_privacy_mode_search_masks_a_sensitive_client_yet_opens_it(qtbot, small_office):
    from kantor_cases.ui.widgets import privacy

    office, ids = small_office
    window = make_window(qtbot, office)
    window.privacy_action.trigger()
    box = window.search_box
    qtbot.keyClicks(box, "nguyen")
    qtbot.waitUntil(lambda: bool(box.hits), timeout=2000)
    assert box.hits[0].sensitive and box.hits[0].client_id == ids["thao"]
    line = box.popup.item(0).text()
    assert "Nguyễn" not in line and line.startswith(privacy.MASK)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert ids["thao"] in window.client_windows  # opened on purpose: the record itself shows the name
    window.privacy_action.trigger()
    qtbot.keyClicks(box, "petros")
    qtbot.waitUntil(lambda: bool(box.hits), timeout=2000)
    assert box.popup.item(0).text().startswith("Aram Petrosyan")


def test_search_down_arrow_then_enter_opens_the_second_hit(qtbot, small_office):
    office, ids = small_office
    window = make_window(qtbot, office)
    box = window.search_box
    box.setText("A012345678")
    box.run_search()
    assert box.hits and box.hits[0].client_id == ids["maria"]
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert ids["maria"] in window.client_windows


def test_ctrl_n_opens_the_intake_wizard(qtbot, office):
    window = make_window(qtbot, office)
    wizard = window.new_client()
    assert wizard.isVisible() and wizard.windowTitle() == "New client intake"
    wizard.reject()


def test_a_first_start_says_what_to_do_first(qtbot, office):
    window = make_window(qtbot, office)
    assert not window.welcome.isHidden()
    text = window.welcome.text()
    assert "add the people who work here" in text and "letterhead" in text and "first client" in text
    settings = window.show_screen("Settings")
    settings.firm_edits["firm_name"].setText("Law Office of Ruth Kantor")
    settings.save_firm()
    qtbot.waitUntil(lambda: "letterhead" not in window.welcome.text(), timeout=5000)


def test_no_welcome_once_the_office_is_set_up(qtbot, small_office):
    office, _ids = small_office
    office.settings.save_user("Ana", role="admin")  # the letterhead is an administrator's
    firm = office.settings.firm()
    from dataclasses import replace

    office.settings.update_firm(replace(firm, firm_name="Law Office of Ruth Kantor"), firm.version)
    window = make_window(qtbot, office)
    assert window.welcome.isHidden()


def test_automatic_backup_runs_quietly_only_when_data_changed_and_at_exit(qtbot, office):
    from datetime import timedelta

    from kantor_cases.domain.records import ClientDraft

    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    assert "no backup yet" in window._backup_label.text()
    assert "bold" in window._backup_label.styleSheet(), "a missing backup is not shown as a warning"

    window._auto_backup_timer.timeout.emit()  # half an hour passes
    qtbot.waitUntil(lambda: len(office.backups.list()) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: "just now" in window._backup_label.text(), timeout=5_000)
    assert window._backup_label.styleSheet() == ""

    window._auto_backup_timer.timeout.emit()  # nothing changed: no second backup
    window.tasks.wait_all()
    qtbot.wait(50)
    assert len(office.backups.list()) == 1

    office.clients.create(ClientDraft(given_name="Ani", family_name="Sargsyan"))
    window.back_up_at_exit()
    assert [b.reason for b in office.backups.list()][0] == "exit"
    assert window.auto_backup.status().age < timedelta(minutes=1)


def test_closing_the_window_stops_background_checks_but_lets_a_backup_finish(qtbot, office):
    window = make_window(qtbot, office)
    started = threading.Event()

    def endless_check(progress):  # like the daily check: it reports progress between batches
        started.set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if not progress(1, 2):
                return "stopped"
            time.sleep(0.01)
        return "ran to the end"

    def backup_that_ignores_progress(progress):
        started.wait(5)
        time.sleep(0.3)
        progress(1, 1)
        return "backed up"

    results: list[str] = []
    today_screen = window.panel("Today")  # the daily check runs on the Today screen's own Tasks
    today_screen.tasks.run("Checking follow-ups", endless_check, results.append, quiet=True)
    window.tasks.run("Automatic backup", backup_that_ignores_progress, results.append, quiet=True)
    assert started.wait(5)
    began = time.monotonic()
    window.close()
    assert time.monotonic() - began < 10, "closing waited for the check to run to its end"
    qtbot.waitUntil(lambda: len(results) == 2, timeout=5000)
    assert sorted(results) == ["backed up", "stopped"]


def test_privacy_mode_masks_a_sensitive_client_in_every_list_and_is_remembered(qtbot, small_office, build):
    from datetime import date

    from kantor_cases.domain.records import PdRequestDraft
    from kantor_cases.ui.widgets import privacy

    office, ids = small_office
    thao_matter = build.removal_matter(office, ids["thao"])  # Thảo Nguyễn is marked sensitive (asylum)
    build.hearing(office, thao_matter, days_ahead=0)
    office.pd_requests.create_pd_request(thao_matter, PdRequestDraft("doyle-2022", "dismissal"))
    office.follow_ups.create(date.today(), "Call about the asylum declaration", matter_id=thao_matter,
                             assignee="Ana")
    window = make_window(qtbot, office)
    lists = {name: window.show_screen(name).model for name in ("Today", "Clients", "Matters", "Hearings",
                                                                 "PD requests", "Follow-ups")}
    qtbot.waitUntil(lambda: not window.panel("Today").busy, timeout=5000)  # Today loads off the window's thread

    def cells(model):
        return {str(model.index(row, column).data()) for row in range(model.rowCount())
                for column in range(model.columnCount())}

    assert all(any("Nguyễn" in cell for cell in cells(model)) for model in lists.values()), \
        "the sensitive client is missing from a list before privacy mode is on"
    window.privacy_action.trigger()
    for name, model in lists.items():
        shown = cells(model)
        assert not any("Nguyễn" in cell for cell in shown), f"{name} still shows the sensitive client's name"
        assert privacy.MASK in shown, f"{name} shows no masked row"
    assert any("García" in cell for cell in cells(lists["Matters"])), "other clients were masked too"
    assert QSettings().value("view/privacy", type=bool) is True
    window.privacy_action.trigger()
    assert any("Nguyễn" in cell for cell in cells(lists["Hearings"]))


def test_restoring_a_backup_from_the_window_asks_first_and_keeps_what_was_there(qtbot, office, message_boxes,
                                                                                monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from kantor_cases.domain.records import ClientDraft
    from kantor_cases.ui.shell.restore_dialog import RestoreDialog

    office.clients.create(ClientDraft(given_name="María", family_name="García"))
    kept = office.backups.back_up().path
    office.clients.create(ClientDraft(given_name="Luis", family_name="Reyes"))
    window = make_window(qtbot, office)

    dialog = RestoreDialog(office.backups.list(), window)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1 and "Back up now" in dialog.list.item(0).text()
    dialog.accept()
    assert dialog.chosen == kept

    window.restore_from(kept)  # the question is answered "Discard" by the test fixture: nothing happens
    assert message_boxes[-1][0] == "question" and office.clients.count() == 2

    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    window.restore_from(kept)
    qtbot.waitUntil(lambda: window.restore_action.isEnabled(), timeout=10_000)
    assert office.clients.count() == 1 and office.search.search("Reyes") == []
    assert message_boxes[-1][1] == "Restored"
    assert any(info.reason == "before-restore" for info in office.backups.list()), "what was there was not kept"
