"""Settings → Deadline rules: the version in force, the one-step switch and a firm version, attorneys only."""

from __future__ import annotations

from datetime import date

from agenda_data import add_matter, add_user
from PySide6.QtCore import QDate

from kantor_cases.ui.settings.settings_panel import SettingsPanel


def test_the_attorney_switches_the_bia_appeal_and_adds_a_firm_version(qtbot, office, message_boxes):
    add_user(office, "Ana", role="staff")
    add_user(office, "Rosa Kantor")
    matter = add_matter(office)
    office.deadlines.record_event(matter, "ij_decision", date(2026, 5, 20))
    panel = SettingsPanel(office)
    qtbot.addWidget(panel)
    box = panel.deadline_rules
    rows = {box.model.index(r, 0).data(): r for r in range(box.model.rowCount())}
    assert box.model.index(rows["bia-appeal"], 1).data() == "30 days"
    assert "vacated" in box.watch_label.text()
    # Staff cannot change a rule: the controls say so and stay off.
    assert not box.add_button.isEnabled()
    assert box.who_note.text() == box.add_button.toolTip() == "Staff cannot change a deadline rule; ask an attorney."

    panel.set_acting_user("Rosa Kantor")
    assert box.add_button.isEnabled() and box.switch_boxes["bia-appeal-10-day"].isEnabled()
    assert box.set_switch("bia-appeal-10-day", True, "vacatur stayed")
    assert box.switch_boxes["bia-appeal-10-day"].isChecked()
    assert "1 open deadlines recomputed" in box.status.text()
    assert [r.due for r in office.deadlines.for_matter(matter, include_history=False)
            if r.rule_id == "bia-appeal"] == [date(2026, 6, 1)]

    box.rule_combo.setCurrentIndex(box.rule_combo.findData("ij-motion-reopen"))
    box.amount.setValue(60)
    box.effective_from.setDate(QDate(2026, 5, 1))
    box.reason.setText("standing order")
    assert not box.add_version()  # no citation
    assert box.form.error_text("citation")
    box.citation.setText("Standing order 26-4")
    assert box.add_version()
    assert [r.due for r in office.deadlines.for_matter(matter, include_history=False)
            if r.rule_id == "ij-motion-reopen"] == [date(2026, 7, 20)]  # Wed 20 May + 60 days = Sun 19 Jul
    assert box.model.index(rows["ij-motion-reopen"], 1).data() == "60 days"
