"""The intake wizard end to end: identity → conflicts (acknowledged) → first matter → saved together."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QWizard

from kantor_cases.ui.clients.intake_wizard import IntakeWizard


def test_intake_saves_client_and_matter_after_the_conflict_check(qtbot, small_office):
    office, ids = small_office
    wizard = IntakeWizard(office)
    qtbot.addWidget(wizard)
    wizard.show()
    form = wizard.identity.form
    form.edits["given_name"].setText("Maria")
    form.edits["family_name"].setText("Garcia")
    form.edits["a_number"].setText("a 98-765-4321")
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    next_button.click()

    assert wizard.currentPage() is wizard.conflicts
    hits = [wizard.conflicts.model.index(r, 0).data() for r in range(wizard.conflicts.model.rowCount())]
    assert "María García López" in hits, "the existing client with the same name was not reported"
    assert not next_button.isEnabled(), "the results can be skipped without acknowledging them"
    wizard.conflicts.acknowledge.setChecked(True)
    assert next_button.isEnabled()
    next_button.click()

    assert wizard.currentPage() is wizard.matter_page
    matter_form = wizard.matter_page.form
    matter_form.set_kind("removal")
    matter_form.judge_edit.setText("Judge Rivera")
    matter_form.custody_combo.setCurrentIndex(matter_form.custody_combo.findData("detained"))
    matter_form.relief_list.set_checked(["asylum", "withholding"])
    assert office.clients.count() == 5, "something was saved before the last step"
    next_button.click()

    assert wizard.currentPage() is wizard.done_page
    client = wizard.client
    assert client is not None and client.a_number == "A987654321"
    matter = office.matters.get(wizard.matter.id)
    assert matter.client_id == client.id and matter.kind == "removal"
    assert matter.removal.custody == "detained" and set(matter.removal.relief_sought) == {"asylum", "withholding"}
    assert matter.conflict_acknowledged_by == "Ana"
    assert json.loads(matter.conflict_check)["hits"], "the conflict report was not kept with the matter"
    with qtbot.waitSignal(wizard.client_created) as created:
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert created.args == [client.id]


def test_identity_errors_stay_on_the_first_page(qtbot, office):
    wizard = IntakeWizard(office)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.identity.form.edits["email"].setText("not-an-email")
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is wizard.identity
    assert wizard.identity.form.error_text("given_name"), "no message next to the name"
    assert wizard.identity.form.error_text("email"), "no message next to the e-mail"


def test_a_clear_check_still_needs_acknowledging(qtbot, office):
    wizard = IntakeWizard(office)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.identity.form.edits["given_name"].setText("Lorna")
    wizard.identity.form.edits["family_name"].setText("Santos")
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert "No possible conflicts" in wizard.conflicts.summary.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.conflicts.acknowledge.setChecked(True)
    wizard.button(QWizard.WizardButton.NextButton).click()
    wizard.matter_page.form.set_kind("employment")
    wizard.matter_page.form.employer_combo.setEditText("Acme Garment Co.")
    wizard.matter_page.form.claims_list.set_checked(["wage_hour"])
    wizard.button(QWizard.WizardButton.NextButton).click()
    matter = office.matters.get(wizard.matter.id)
    assert matter.employment.employer_name == "Acme Garment Co."
    assert matter.employment.claim_types == ("wage_hour",)


def test_typing_starts_in_the_first_field_and_esc_asks_before_discarding(qtbot, office, message_boxes,
                                                                        monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    wizard = IntakeWizard(office)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: wizard.identity.form.edits["given_name"].hasFocus(), timeout=2000)
    qtbot.keyClicks(wizard.focusWidget(), "Xochitl")
    assert wizard.identity.form.edits["given_name"].text() == "Xochitl"

    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert wizard.isVisible() and wizard.identity.form.edits["given_name"].text() == "Xochitl"
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert not wizard.isVisible()


def test_an_empty_intake_closes_on_esc_without_asking(qtbot, office, message_boxes):
    from PySide6.QtCore import Qt

    wizard = IntakeWizard(office)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert not wizard.isVisible() and message_boxes == []
