"""Automatic follow-ups in the window (issue 15): Today shows one line per rule with its exact count
above the personal items and "open list" shows that rule's follow-ups on the Follow-ups screen;
Settings → Automatic follow-ups switches a rule off or gives it to someone (attorneys, not staff);
printing the hearing reminders in the batch dialog closes their follow-ups and Today follows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from agenda_data import add_matter, add_user
from PySide6.QtCore import Qt

from kantor_cases.db.models import FollowUp
from kantor_cases.ui.agenda.today_panel import TodayPanel
from kantor_cases.ui.letters.letter_batch_dialog import LetterBatchDialog
from kantor_cases.ui.settings.automatic_follow_ups_box import AutomaticFollowUpsBox
from kantor_cases.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def raise_many(office, count: int, rule: str = "eoir-verify") -> None:
    today = office.clock.today()
    matters = [add_matter(office, last_verified_on=today) for _ in range(count)]
    with office.database.write() as session:
        session.add_all(FollowUp(matter_id=m, assignee=office.user, due_on=today - timedelta(days=n % 2), note="Verify",
                                 auto_key=f"{rule}:{m}:x", created_by="t", updated_by="t")
                        for n, m in enumerate(matters))


def test_today_counts_automatic_follow_ups_by_rule_and_open_list_filters_the_follow_ups_screen(qtbot, office):
    raise_many(office, 350)  # more than Today would ever list line by line
    office.follow_ups.create(office.clock.today(), "Call María back", client_id=None,
                             matter_id=add_matter(office))
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    today = window.panel("Today")
    assert isinstance(today, TodayPanel)
    qtbot.waitUntil(lambda: today.automatic_label.isVisibleTo(today), timeout=5000)
    text = today.automatic_label.text()
    assert "<b>350</b> EOIR status checks due (175 overdue, 175 today)" in text and "open list" in text
    assert [item.title for item in today.model.records()] == ["Call María back"]
    assert "0 overdue, 1 due today" in today.summary_label.text() and "+" not in today.summary_label.text()

    today.automatic_label.linkActivated.emit("eoir-verify")
    assert window.current_screen() == "Follow-ups"
    follow_ups = window.panel("Follow-ups")
    qtbot.waitUntil(lambda: follow_ups.model.total == 350, timeout=5000)
    assert "Automatic follow-ups: EOIR status checks" in follow_ups.title_label.text()
    assert "350 open in the whole office" in follow_ups.title_label.text()


def test_an_attorney_switches_a_rule_off_and_gives_one_to_someone_staff_cannot(qtbot, office):
    add_user(office, "Rosa Kantor")
    add_user(office, "Luis Ortega", "staff")
    office.user = "Rosa Kantor"
    box = AutomaticFollowUpsBox(office)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    qtbot.waitUntil(lambda: bool(box.on_checks) and box.save_button.isEnabled(), timeout=5000)
    assert all(check.isChecked() for check in box.on_checks.values())
    box.on_checks["inactive"].click()
    combo = box.assignee_combos["eoir-verify"]
    assert combo.currentText() == "Each matter's responsible attorney"
    combo.setCurrentIndex(combo.findText("Luis Ortega"))
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.status_label.text().startswith("Saved"), timeout=5000)
    settings = {setting.rule.id: setting for setting in office.follow_ups.automatic_rules()}
    assert not settings["inactive"].enabled and settings["eoir-verify"].assignee == "Luis Ortega"

    office.user = "Luis Ortega"
    staff_box = AutomaticFollowUpsBox(office)
    qtbot.addWidget(staff_box)
    qtbot.waitUntil(lambda: bool(staff_box.on_checks), timeout=5000)
    assert not staff_box.save_button.isEnabled() and not staff_box.on_checks["inactive"].isEnabled()
    assert "Staff cannot switch an automatic follow-up rule off" in staff_box.save_button.toolTip()
    assert not staff_box.on_checks["inactive"].isChecked()
    assert staff_box.assignee_combos["eoir-verify"].currentText() == "Luis Ortega"


def test_printing_the_reminders_in_the_batch_dialog_closes_their_follow_ups_and_today_follows(qtbot, office):
    """The real path of "53 letters printed, 53 tasks still open": the daily check, then the batch."""
    from test_letters_ui import letters_office as make_letters_office  # the same three clients

    office, _ids = make_letters_office.__wrapped__(office)
    office.follow_ups.raise_automatic()
    assert office.follow_ups.count_open(rule_id="hearing-reminder") == 3
    today = TodayPanel(office, daily_check=False)
    qtbot.addWidget(today)
    today.show()
    today.set_whole_office(True)  # the matters have no responsible attorney: the reminders are nobody's yet
    qtbot.waitUntil(lambda: "<b>3</b> hearing reminders to send" in today.automatic_label.text(), timeout=5000)

    dialog = LetterBatchDialog(office, days=30)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.batch_finished, timeout=30_000) as finished:
        dialog.run_button.click()
    assert finished.args[0].count == 2  # Rosa Díaz's could not be printed (no address)
    assert office.follow_ups.count_open(rule_id="hearing-reminder") == 1
    qtbot.waitUntil(lambda: "<b>1</b> hearing reminder to send" in today.automatic_label.text(), timeout=5000)


def test_a_hearing_a_week_away_is_counted_as_due_today_on_today(qtbot, office):
    from agenda_data import add_hearing

    matter = add_matter(office, last_verified_on=office.clock.today())
    add_hearing(office, matter, datetime.combine(office.clock.today() + timedelta(days=7), datetime.min.time()))
    office.follow_ups.raise_automatic()
    today = TodayPanel(office, daily_check=False)
    qtbot.addWidget(today)
    today.show()
    today.set_whole_office(True)
    qtbot.waitUntil(lambda: "<b>1</b> hearing reminder to send due (1 today)" in today.automatic_label.text(),
                    timeout=5000)
