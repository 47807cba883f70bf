"""Matter screens: PD status buttons offer only the allowed steps, hearings are added, EOIR verified."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from kantor_cases.domain import statuses as st
from kantor_cases.domain.calendars import get_calendar
from kantor_cases.domain.records import PdRequestDraft
from kantor_cases.ui.matters.hearing_dialog import HearingDialog
from kantor_cases.ui.matters.matter_window import MatterWindow


def button_named(window, text: str) -> QPushButton:
    """The button a person would click, found by the words on it."""
    [button] = [b for b in window.findChildren(QPushButton) if b.text() == text]
    return button

def open_matter(qtbot, office, matter_id):
    window = MatterWindow(office, matter_id)
    qtbot.addWidget(window)
    window.show()
    return window


def test_pd_status_buttons_offer_only_the_allowed_next_steps(qtbot, small_office, message_boxes, monkeypatch):
    office, ids = small_office
    office.pd_requests.create_pd_request(ids["maria_matter"], PdRequestDraft(regime="doyle-2022",
                                                                             action_requested="dismissal"))
    window = open_matter(qtbot, office, ids["maria_matter"])
    editor = window.pd_editor
    assert set(editor.step_buttons) == set(st.PD_TRANSITIONS["draft"]) == {"submitted", "withdrawn"}
    assert not editor.reminder.isHidden() and "Hearings continue while PD is pending" in editor.reminder.text()

    editor.note_edit.setText("e-mailed to OPLA")
    editor.step_buttons["submitted"].click()
    request = office.matters.get(ids["maria_matter"]).pd_requests[0]
    assert request.status == "submitted" and request.submitted_on == date.today()
    assert set(editor.step_buttons) == set(st.PD_TRANSITIONS["submitted"])
    assert "e-mailed to OPLA" in editor.history_list.item(editor.history_list.count() - 1).text()

    editor.step_buttons["withdrawn"].click()  # a final status: asked, and the test's answer is no
    assert office.matters.get(ids["maria_matter"]).pd_requests[0].status == "submitted"
    assert message_boxes[-1][0] == "question" and "final status" in message_boxes[-1][2]
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    editor.step_buttons["withdrawn"].click()
    assert editor.step_buttons == {}
    assert editor.reminder.isHidden(), "a withdrawn request still says PD is pending"


def test_pd_factors_and_exhibits_are_saved(qtbot, small_office):
    office, ids = small_office
    window = open_matter(qtbot, office, ids["maria_matter"])
    assert not window.pd_empty.isHidden()
    button_named(window, "New PD request").click()
    editor = window.pd_editor
    editor.positive_list.set_checked(["long_presence", "usc_lpr_family"])
    editor.negative_list.set_checked(["immigration_history"])
    editor.exhibit_edit.setText("Birth certificates of the US-citizen children")
    qtbot.keyClick(editor.exhibit_edit, Qt.Key.Key_Return)  # Enter adds the exhibit typed
    assert editor.save()
    request = office.matters.get(ids["maria_matter"]).pd_requests[0]
    assert request.positive_factors == ("long_presence", "usc_lpr_family")
    assert request.negative_factors == ("immigration_history",)
    assert request.exhibits == ("Birth certificates of the US-citizen children",)


def test_adding_a_hearing_shows_it_in_the_list(qtbot, small_office):
    office, ids = small_office
    window = open_matter(qtbot, office, ids["maria_matter"])
    assert window.hearings_model.rowCount() == 1
    dialog = HearingDialog(office, ids["maria_matter"], parent=window)
    day = get_calendar("federal").next_business_day(office.clock.today() + timedelta(days=40))  # courts sit
    dialog.date_field.set_value(day)
    dialog.time_edit.setText("1:30 pm")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("individual"))
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    window.reload()
    whens = [h.starts_at for h in window.hearings_model.records()]
    assert datetime(day.year, day.month, day.day, 13, 30) in whens
    assert any(window.hearings_model.index(r, 1).data() == "Individual (merits)"
               for r in range(window.hearings_model.rowCount()))


def test_a_hearing_without_a_time_is_refused_next_to_the_field(qtbot, small_office):
    office, ids = small_office
    window = open_matter(qtbot, office, ids["maria_matter"])
    dialog = HearingDialog(office, ids["maria_matter"], parent=window)
    dialog.date_field.set_value(date.today() + timedelta(days=5))
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "time" in dialog.form.error_text("time")


def test_court_status_offers_only_allowed_steps_and_verify_now_records_the_channel(qtbot, small_office):
    office, ids = small_office
    window = open_matter(qtbot, office, ids["maria_matter"])
    offered = {window.government_combo.itemData(i) for i in range(window.government_combo.count())}
    assert offered == set(st.COURT_TRANSITIONS["nta_served"]) | {None}
    assert window.government_combo.currentData() is None, "a court status was preselected"
    assert "never" in window.eoir_label.text()
    window.channel_combo.setCurrentIndex(window.channel_combo.findData("hotline"))
    window.verify_button.click()
    removal = office.matters.get(ids["maria_matter"]).removal
    assert removal.last_verified_on == date.today() and removal.last_verified_via == "hotline"
    assert "1-800-898-7180 hotline" in window.eoir_label.text()
    assert set(window.firm_step_buttons) == set(st.FIRM_TRANSITIONS["intake"])
    window.firm_step_buttons["engaged"].click()
    assert office.matters.get(ids["maria_matter"]).firm_status == "engaged"
    assert set(window.firm_step_buttons) == set(st.FIRM_TRANSITIONS["engaged"])


def test_a_matter_is_renamed_and_handed_to_another_attorney(qtbot, small_office, monkeypatch):
    from kantor_cases.ui.matters.edit_matter_dialog import EditMatterDialog

    office, ids = small_office
    rosa = office.settings.save_user("Rosa Kantor", role="attorney")
    luis = office.settings.save_user("Luis Ortega", role="attorney")
    window = open_matter(qtbot, office, ids["maria_matter"])

    def fill_in_and_save(dialog):
        assert dialog.attorney_combo.currentText() == "(not yet assigned)"
        offered = {dialog.attorney_combo.itemText(i) for i in range(dialog.attorney_combo.count())}
        assert {rosa.name, luis.name} <= offered
        dialog.title_edit.setText("Removal & asylum <Ninth Circuit>")
        dialog.attorney_combo.setCurrentIndex(dialog.attorney_combo.findData(luis.id))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(EditMatterDialog, "exec", fill_in_and_save)
    window.edit_button.click()
    details = office.matters.get(ids["maria_matter"])
    assert (details.title, details.responsible_attorney) == ("Removal & asylum <Ninth Circuit>", "Luis Ortega")
    assert "&lt;Ninth Circuit&gt;" in window.title_label.text()  # shown as typed, not as markup
    assert "attorney: Luis Ortega" in window.facts_label.text()


def test_a_matter_title_cannot_be_emptied(qtbot, small_office):
    from kantor_cases.ui.matters.edit_matter_dialog import EditMatterDialog

    office, ids = small_office
    before = office.matters.get(ids["maria_matter"])
    dialog = EditMatterDialog(office, before)
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("   ")
    dialog.accept()
    assert not dialog.problem_label.isHidden() and "needs a title" in dialog.problem_label.text()
    assert office.matters.get(ids["maria_matter"]).title == before.title


def test_benefit_applications_are_added_and_moved_along_from_the_matter(qtbot, small_office, monkeypatch):
    from kantor_cases.domain.records import MatterDraft
    from kantor_cases.ui.matters.benefit_application_dialog import BenefitApplicationDialog

    office, ids = small_office
    matter = office.matters.create(ids["jose"], MatterDraft(kind="benefit", title="Family petition"))
    window = open_matter(qtbot, office, matter.id)
    answers = iter([
        {"form": "i-130", "receipt": "IOE 091 234 5678", "filed": "10/2/2026", "status": "filed"},
        {"status": "rfe", "notes": "RFE: proof of bona fide marriage"},
    ])

    def fill_in_and_save(dialog):
        answer = next(answers)
        if "form" in answer:
            dialog.form_edit.setText(answer["form"])
            dialog.receipt_edit.setText(answer["receipt"])
            dialog.filed_field.setText(answer["filed"])
        offered = [dialog.status_combo.itemData(i) for i in range(dialog.status_combo.count())]
        assert answer["status"] in offered
        dialog.status_combo.setCurrentIndex(offered.index(answer["status"]))
        dialog.notes_edit.setText(answer.get("notes", ""))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(BenefitApplicationDialog, "exec", fill_in_and_save)
    window.tabs.setCurrentIndex(0)
    button_named(window, "Add application…").click()
    application = office.matters.get(matter.id).benefits[0]
    assert (application.form, application.receipt_number, application.status) == ("I-130", "IOE0912345678", "filed")
    assert window.benefits_model.rowCount() == 1

    window.benefits_table.setCurrentIndex(window.benefits_model.index(0, 0))
    button_named(window, "Edit / record progress…").click()
    application = office.matters.get(matter.id).benefits[0]
    assert application.status == "rfe" and "bona fide" in application.notes
    status_cell = window.benefits_model.index(0, 3).data()
    assert status_cell == "Request for evidence (RFE)"


def test_a_bad_receipt_number_is_shown_next_to_its_field_and_nothing_is_saved(qtbot, small_office):
    from kantor_cases.domain.records import MatterDraft
    from kantor_cases.ui.matters.benefit_application_dialog import BenefitApplicationDialog

    office, ids = small_office
    matter = office.matters.create(ids["jose"], MatterDraft(kind="benefit", title="Work permit"))
    dialog = BenefitApplicationDialog(office, matter.id)
    qtbot.addWidget(dialog)
    dialog.form_edit.setText("I-765")
    dialog.receipt_edit.setText("IOE12")
    dialog.accept()
    assert dialog.form.error_text("receipt_number")
    assert office.matters.get(matter.id).benefits == ()


def test_a_court_status_is_recorded_only_when_chosen_and_confirmed(qtbot, small_office, message_boxes, monkeypatch):
    office, ids = small_office
    window = open_matter(qtbot, office, ids["maria_matter"])
    before = office.matters.get(ids["maria_matter"]).government_status
    assert window.government_combo.currentData() is None, "a status is preselected"
    assert not window.record_button.isEnabled()  # nothing chosen: nothing to record
    window.record_button.click()
    assert office.matters.get(ids["maria_matter"]).government_status == before
    window.government_combo.setCurrentIndex(window.government_combo.findData("dismissed"))
    window.record_button.click()  # asked; the test's answer is no
    assert office.matters.get(ids["maria_matter"]).government_status == before
    assert message_boxes[-1][0] == "question" and "Dismissed" in message_boxes[-1][2]
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    window.government_combo.setCurrentIndex(window.government_combo.findData("dismissed"))
    window.record_button.click()
    assert office.matters.get(ids["maria_matter"]).government_status == "dismissed"
