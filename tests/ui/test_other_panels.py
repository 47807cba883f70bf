"""Hearings, PD requests and Settings screens, the background-task helper, and the record model."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kantor_cases.domain.records import PdRequestDraft
from kantor_cases.ui.hearings.hearings_panel import HearingsPanel
from kantor_cases.ui.pd_requests.pd_requests_panel import PdRequestsPanel
from kantor_cases.ui.settings.settings_panel import SettingsPanel
from kantor_cases.ui.widgets.preferences import ACTING_USER
from kantor_cases.ui.widgets.record_table_model import RecordColumn, RecordTableModel
from kantor_cases.ui.widgets.tasks import Tasks


def test_hearings_by_range_with_reminder_state(qtbot, qtmodeltester, small_office, build):
    office, ids = small_office
    far = build.removal_matter(office, ids["jose"])
    build.hearing(office, far, days_ahead=60, hearing_type="individual")
    panel = HearingsPanel(office)
    qtbot.addWidget(panel)
    qtmodeltester.check(panel.model)
    panel.set_days(7)
    assert panel.model.rowCount() == 0 and panel.stack.currentWidget() is panel.empty
    panel.set_days(30)
    assert [panel.model.index(r, 3).data() for r in range(panel.model.rowCount())] == ["María García López"]
    assert panel.model.index(0, 7).data() == "NOT SENT"
    assert "1 without a reminder letter" in panel.summary.text()
    panel.set_days(90)
    assert panel.model.rowCount() == 2
    assert panel.model.index(1, 4).data() == "Individual (merits)"
    other_court = office.settings.courts()[1]
    panel.court_combo.setCurrentIndex(panel.court_combo.findData(other_court.id))
    assert panel.model.rowCount() == 0, "hearings at another court are listed under this one"


def test_pd_requests_show_counts_age_and_next_step(qtbot, small_office, build):
    office, ids = small_office
    first = office.pd_requests.create_pd_request(ids["maria_matter"], PdRequestDraft("morton-2011", "admin_closure"))
    office.pd_requests.change_pd_status(first.id, "submitted", "", first.version)
    other = build.removal_matter(office, build.client(office, "Luis", "Reyes"))
    office.pd_requests.create_pd_request(other, PdRequestDraft("doyle-2022", "dismissal"))
    panel = PdRequestsPanel(office)
    qtbot.addWidget(panel)
    assert "<b>1</b></span><br>Submitted" in panel.count_labels["submitted"].text()
    assert "<b>1</b></span><br>Draft" in panel.count_labels["draft"].text()
    assert "2 requests: 2 still open, 0 granted" in panel.total_label.text()
    rows = {panel.model.index(r, 0).data(): panel.model.index(r, 6).data() for r in range(panel.model.rowCount())}
    assert rows["Luis Reyes"] == "Finish the packet and submit it to OPLA"
    assert panel.model.index(0, 4).data().endswith("days")
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("submitted"))
    assert panel.model.rowCount() == 1


def test_settings_save_letterhead_users_and_the_acting_user(qtbot, office):
    panel = SettingsPanel(office)
    qtbot.addWidget(panel)
    assert "Fill in the letterhead" in panel.firm_status.text()
    panel.firm_edits["firm_name"].setText("Law Office of Ruth Kantor")
    panel.firm_edits["email"].setText("not an email")
    assert not panel.save_firm()
    assert panel.firm_form.error_text("email")
    panel.firm_edits["email"].setText("office@kantorlaw.example")
    assert panel.save_firm()
    assert office.settings.firm().firm_name == "Law Office of Ruth Kantor"

    panel.new_user_button.click()
    panel.user_name.setText("Ruth Kantor")
    panel.user_role.setCurrentIndex(panel.user_role.findData("attorney"))
    assert panel.save_user()
    # Ana, who added the first user, is added as the administrator she acted as until then.
    assert [(u.name, u.initials, u.role) for u in office.settings.users()] == [("Ana", "A", "admin"),
                                                                              ("Ruth Kantor", "RK", "attorney")]
    with qtbot.waitSignal(panel.acting_user_changed):
        panel.set_acting_user("Ruth Kantor")
    assert office.user == "Ruth Kantor"
    assert ACTING_USER.read(office.locations.database) == "Ruth Kantor"
    assert office.database.location in panel.locations_label.text()


def test_tasks_deliver_results_and_errors_on_the_gui_thread(qtbot):
    tasks = Tasks()
    results, errors = [], []

    def work(progress):
        for step in range(3):
            progress(step + 1, 3)
        return "done"

    task = tasks.run("Working", work, results.append)
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert results == ["done"]

    def failing(_progress):
        raise ValueError("disk on fire")

    task = tasks.run("Failing", failing, results.append, errors.append)
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert [str(e) for e in errors] == ["disk on fire"]


def test_cancelling_a_task_stops_the_work(qtbot):
    import threading

    tasks = Tasks()
    started, seen = threading.Event(), []

    def work(progress):
        started.set()
        for step in range(1000):
            if not progress(step, 1000):
                seen.append(step)
                return "stopped"
            threading.Event().wait(0.005)
        return "finished"

    results = []
    task = tasks.run("Long", work, results.append)
    started.wait(2)
    task.cancel()
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert results == ["stopped"] and seen and seen[0] < 1000


def test_record_model_passes_the_model_tester(qtmodeltester):
    model = RecordTableModel([RecordColumn("A", lambda r: r[0]), RecordColumn("B", lambda r: r[1])],
                             [(1, "x"), (2, "y"), (3, None)])
    qtmodeltester.check(model)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "3"


def test_hearings_view_sends_reminder_letters_and_shows_them_sent(qtbot, small_office, build, monkeypatch,
                                                                  tmp_path):
    from dataclasses import replace

    from kantor_cases.services.clients import with_changes
    from kantor_cases.ui.letters import letter_batch_dialog
    from kantor_cases.ui.shell.main_window import MainWindow

    office, ids = small_office
    maria = office.clients.get(ids["maria"])
    office.clients.update(maria.id, with_changes(maria, street="1 Main St", city="Los Angeles", state="CA",
                                                 postal_code="90012"), maria.version)
    firm = office.settings.firm()
    office.settings.update_firm(replace(firm, firm_name="Kantor & Associates", attorney_name="Ruth Kantor",
                                        street="9454 Wilshire Blvd.", city="Beverly Hills", postal_code="90212",
                                        phone="310 555 0100"), firm.version)
    # The batch dialog belongs to the letters feature: the shell opens it for the Hearings screen.
    window = MainWindow(office)
    qtbot.addWidget(window)
    panel = window.show_screen("Hearings")
    assert isinstance(panel, HearingsPanel)
    panel.set_days(30)
    assert panel.model.index(0, 7).data() == "NOT SENT"
    opened = []

    def run_instead_of_showing(dialog):
        # What the person does in the dialog: Print, then wait for the batch to end.
        opened.append(dialog)
        with qtbot.waitSignal(dialog.batch_finished, timeout=30_000):
            dialog.run_button.click()
        return 1

    monkeypatch.setattr(letter_batch_dialog.LetterBatchDialog, "exec", run_instead_of_showing)
    assert panel.reminders_button.isEnabled()
    panel.reminders_button.click()
    assert len(opened) == 1
    assert panel.model.index(0, 7).data() == "sent"


def test_every_pd_request_can_be_reached_however_many_there_are(qtbot, small_office):
    from datetime import date

    from kantor_cases.db.models import PdRequest
    from kantor_cases.domain import statuses as st

    office, ids = small_office
    with office.database.write() as session:
        session.add_all(PdRequest(matter_id=ids["maria_matter"], regime="doyle-2022", action_requested="dismissal",
                                  status="submitted", submitted_on=date(2026, 1, 5), status_changed_on=date(2026, 1, 5),
                                  created_by="test", updated_by="test") for _ in range(2_500))
    panel = PdRequestsPanel(office)
    qtbot.addWidget(panel)
    assert panel.model.rowCount() == 2_500
    assert panel.model.index(2_499, 6).data() == st.PD_NEXT_STEP["submitted"]
    assert panel.model.index(2_499, 0).data() == "María García López"
    assert panel.model.pages_fetched <= 3, "the list read every request instead of the rows on screen"
    panel.table.setCurrentIndex(panel.model.index(2_499, 0))
    assert panel.table.current_record().matter_id == ids["maria_matter"]


def test_every_upcoming_hearing_can_be_reached_however_many_there_are(qtbot, small_office):
    from datetime import datetime, timedelta

    from kantor_cases.db.models import Hearing

    office, ids = small_office
    start = datetime.now().replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=1)
    with office.database.write() as session:
        session.add_all(Hearing(matter_id=ids["maria_matter"], starts_at=start + timedelta(minutes=10 * n),
                                hearing_type="master", created_by="test", updated_by="test") for n in range(2_500))
    panel = HearingsPanel(office)
    qtbot.addWidget(panel)
    panel.set_days(90)
    assert panel.model.rowCount() == 2_501  # and the one small_office already had
    assert panel.summary.text().startswith("2,501 hearings in the next 90 days")
    assert panel.model.index(2_500, 3).data() == "María García López"
    assert panel.model.pages_fetched <= 3, "the list read every hearing instead of the rows on screen"


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_reminder_printed_in_a_matter_window_shows_as_sent_on_the_hearings_screen_without_f5(qtbot, small_office):
    from dataclasses import replace

    from kantor_cases.services.clients import with_changes
    from kantor_cases.ui.shell.main_window import MainWindow

    office, ids = small_office
    maria = office.clients.get(ids["maria"])
    office.clients.update(maria.id, with_changes(maria, street="1 Main St", city="Los Angeles", state="CA",
                                                 postal_code="90012"), maria.version)
    firm = office.settings.firm()
    office.settings.update_firm(replace(firm, firm_name="Kantor & Associates", attorney_name="Ruth Kantor",
                                        street="9454 Wilshire Blvd.", city="Beverly Hills", postal_code="90212",
                                        phone="310 555 0100"), firm.version)
    window = MainWindow(office)
    qtbot.addWidget(window)
    hearings = window.show_screen("Hearings")
    hearings.set_days(30)
    assert hearings.model.index(0, 7).data() == "NOT SENT"

    matter_window = window.open_matter(ids["maria_matter"])
    dialog = matter_window.letters_tab.new_letter("hearing-reminder")
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    dialog.save_button.click()
    assert hearings.model.index(0, 7).data() == "sent"
    dialog.close()
