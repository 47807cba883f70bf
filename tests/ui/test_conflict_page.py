"""The intake's conflict page (issue 15 point 6): each hit says whose record it is and opens it with
Enter or a double click; the check is saved as a PDF from the page and filed in the client's file
at intake by itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWizard

from kantor_cases.domain.records import EmploymentClaimDraft, MatterDraft, PartyDraft, RelatedPersonDraft
from kantor_cases.ui.clients.intake_wizard import IntakeWizard


def _to_conflicts(qtbot, office, given: str, family: str, opposing: str = "") -> IntakeWizard:
    wizard = IntakeWizard(office)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.identity.form.edits["given_name"].setText(given)
    wizard.identity.form.edits["family_name"].setText(family)
    wizard.identity.opposing_edit.setText(opposing)
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is wizard.conflicts
    return wizard


def _rows(wizard: IntakeWizard) -> list[tuple[str, str]]:
    model = wizard.conflicts.model
    return [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]


def test_a_family_member_hit_names_the_client_and_enter_opens_them(qtbot, small_office):
    office, ids = small_office
    office.clients.add_related_person(ids["maria"], RelatedPersonDraft(given_name="José", family_name="Gómez",
                                                                       relationship="spouse"))
    wizard = _to_conflicts(qtbot, office, "Jose", "Gomez")
    assert ("José Gómez", f"spouse of María García López, client {ids['maria']}") in _rows(wizard)

    table = wizard.conflicts.table
    row = [name for name, _ in _rows(wizard)].index("José Gómez")
    table.setFocus()
    table.setCurrentIndex(wizard.conflicts.model.index(row, 0))
    with qtbot.waitSignal(wizard.open_client_requested) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [ids["maria"]]


def test_an_employer_hit_opens_the_matter_it_is_the_opposing_party_in(qtbot, small_office):
    office, ids = small_office
    employer = office.settings.save_party(PartyDraft(kind="employer", name="Harbor Home Care LLC"))
    matter = office.matters.create(ids["olga"], MatterDraft(kind="employment", employment=EmploymentClaimDraft(
        claim_types=("wage_hour",), employer_id=employer.id)))
    wizard = _to_conflicts(qtbot, office, "Carlos", "Vega", opposing="Harbor Home Care")
    assert ("Harbor Home Care LLC",
            f"opposing party (employer) in matter {matter.id} of Olga Ivanova, client {ids['olga']}") in _rows(wizard)
    table = wizard.conflicts.table
    row = [name for name, _ in _rows(wizard)].index("Harbor Home Care LLC")
    rect = table.visualRect(wizard.conflicts.model.index(row, 0))
    with qtbot.waitSignal(wizard.open_matter_requested) as opened:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [matter.id]


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_the_main_window_opens_the_client_of_a_hit(qtbot, small_office):
    from kantor_cases.ui.shell.main_window import MainWindow

    office, ids = small_office
    window = MainWindow(office, "")
    qtbot.addWidget(window)
    wizard = window.new_client()
    wizard.open_client_requested.emit(ids["maria"])
    assert ids["maria"] in window.client_windows
    window.client_windows[ids["maria"]].close()
    wizard.reject()


def test_the_check_is_saved_as_a_pdf_from_the_page(qtbot, small_office, tmp_path, monkeypatch):
    office, _ids = small_office
    target = tmp_path / "check.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(target), ""))
    wizard = _to_conflicts(qtbot, office, "Maria", "Garcia")
    wizard.conflicts.save_button.click()
    qtbot.waitUntil(target.exists, timeout=5000)
    assert target.read_bytes().startswith(b"%PDF")
    qtbot.waitUntil(lambda: "Saved to" in wizard.conflicts.summary.text(), timeout=5000)


def test_the_intake_files_the_check_in_the_clients_folder(qtbot, small_office):
    office, _ids = small_office
    wizard = _to_conflicts(qtbot, office, "Maria", "Garcia")
    wizard.conflicts.acknowledge.setChecked(True)
    wizard.button(QWizard.WizardButton.NextButton).click()
    wizard.matter_page.form.set_kind("removal")
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is wizard.done_page
    folder = Path(office.locations.documents) / f"client-{wizard.client.id:06d}"
    [filed] = folder.glob("* conflict-check.pdf")
    assert filed.read_bytes().startswith(b"%PDF")
    assert "García" not in str(filed) and "Garcia" not in str(filed)
