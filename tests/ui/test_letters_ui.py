"""The letter screens as the desk uses them: preview before saving, save logs the letter, print, the
Letters tab and screen, a batch with its counts, and the template editor refusing an unknown field."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QScrollArea

from kantor_cases.domain.calendars import get_calendar
from kantor_cases.domain.records import ClientDraft, HearingDraft, MatterDraft, RemovalCaseDraft
from kantor_cases.ui.letters.letter_batch_dialog import LetterBatchDialog
from kantor_cases.ui.letters.letters_panel import LettersPanel
from kantor_cases.ui.letters.letters_tab import LettersTab
from kantor_cases.ui.letters.new_letter_dialog import NewLetterDialog
from kantor_cases.ui.letters.template_editor_dialog import TemplateEditorDialog
from kantor_cases.ui.widgets.operations import hub


def add_case(office, given, family, language="es", a_number="A012345678", days_ahead=10):
    client = office.clients.create(ClientDraft(
        given_name=given, family_name=family, preferred_language=language, a_number=a_number,
        street="1457 W. Temple Street", city="Los Angeles", state="CA", postal_code="90026"))
    court = next(c for c in office.settings.courts() if c.code == "LOS")
    matter = office.matters.create(client.id, MatterDraft(kind="removal", removal=RemovalCaseDraft(
        court_id=court.id, judge="Hon. R. Castellanos")))
    # A court day: batches refuse reminders for hearings on weekends and holidays.
    day = get_calendar("federal").next_business_day((datetime.now() + timedelta(days=days_ahead)).date())
    starts = datetime.combine(day, time(9))
    office.hearings.add_hearing(matter.id, HearingDraft(starts_at=starts, hearing_type="master",
                                                        courtroom="Courtroom 3"))
    return client.id, matter.id


@pytest.fixture
def letters_office(office):
    firm = office.settings.firm()
    office.settings.update_firm(replace(firm, firm_name="Law Offices of Miriam R. Kantor",
                                        attorney_name="Miriam R. Kantor", bar_number="123456",
                                        street="9454 Wilshire Boulevard, Suite 600", city="Beverly Hills",
                                        state="CA", postal_code="90212", phone="(310) 555-0142"), firm.version)
    ids = {"maria": add_case(office, "María", "García López"),
           "armen": add_case(office, "Armen", "Petrosyan", "en", "A208456123", days_ahead=20),
           "rosa": add_case(office, "Rosa", "Díaz", "es", "", days_ahead=5)}
    return office, ids


def test_new_letter_previews_before_saving_and_save_logs_the_letter(qtbot, letters_office, tmp_path):
    office, ids = letters_office
    client_id, matter_id = ids["maria"]
    dialog = NewLetterDialog(office, matter_id=matter_id, template_id="hearing-reminder")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.plan is not None and dialog.plan.language == "es"
    assert dialog.editors["recipient.name"].widget.text() == "María García López"
    assert dialog.editors["hearing.court_name"].widget.text().startswith("Los Angeles Immigration Court")
    assert dialog.preview.page_count() >= 1, dialog.message.text()
    assert office.letters.count() == 0, "a preview must not be logged"

    with qtbot.waitSignal(dialog.letter_saved) as saved:
        dialog.save_button.click()
    [letter] = office.letters.letters_for(client_id=client_id)
    assert saved.args == [letter.id] and Path(letter.file_path).is_file()
    assert "Saved and logged" in dialog.message.text() and not dialog.save_button.isEnabled()

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer) == len(PdfReader(letter.file_path).pages)
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == len(PdfReader(letter.file_path).pages)
    assert office.letters.count() == 1, "printing the saved letter must not log it twice"


def test_new_letter_names_what_is_missing_and_takes_typed_values(qtbot, letters_office):
    office, ids = letters_office
    _client_id, matter_id = ids["armen"]
    dialog = NewLetterDialog(office, matter_id=matter_id, template_id="engagement")
    qtbot.addWidget(dialog)
    assert dialog.preview.page_count() == 0
    assert "engagement.fee_type" in dialog.message.text()
    assert dialog.form.error_text("engagement.scope_items")
    editors = dialog.editors
    editors["engagement.scope_items"].widget.setPlainText("Representing you at every hearing")
    editors["engagement.excluded_items"].widget.setPlainText("Appeals")
    fee = editors["engagement.fee_type"].widget
    fee.setCurrentIndex(fee.findData("hourly"))
    editors["engagement.hourly_rate"].widget.setText("450")
    insured = editors["engagement.attorney_insured"].widget
    insured.setCurrentIndex(insured.findData(True))
    assert dialog.refresh_preview(), dialog.message.text()
    assert dialog.preview.page_count() >= 2
    editors["engagement.hourly_rate"].widget.setText("")
    assert not dialog.refresh_preview()
    assert "engagement.hourly_rate" in dialog.message.text()


def test_new_letter_from_a_client_chooses_the_matter_and_the_language(qtbot, letters_office):
    office, ids = letters_office
    client_id, matter_id = ids["maria"]
    dialog = NewLetterDialog(office, client_id=client_id, template_id="hearing-reminder")
    qtbot.addWidget(dialog)
    assert dialog.matter_id == matter_id and dialog.preview.page_count() >= 1
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    assert dialog.plan.language == "en" and dialog.preview.page_count() >= 1
    dialog.matter_combo.setCurrentIndex(dialog.matter_combo.findData(None))
    assert dialog.plan is None and "client alone is not enough" in dialog.message.text()
    assert not dialog.save_button.isEnabled()


def test_letters_tab_lists_regenerates_and_writes_back_a_lost_file(qtbot, letters_office):
    office, ids = letters_office
    client_id, matter_id = ids["maria"]
    tab = LettersTab(office, client_id=client_id)
    qtbot.addWidget(tab)
    assert tab.model.rowCount() == 0 and not tab.empty.isHidden()
    dialog = tab.new_letter("document-request")
    # The saved letter is announced to every screen; the tab is one of them.
    with qtbot.waitSignal(hub().changed):
        dialog.save_button.click()
    assert tab.model.rowCount() == 1 and tab.empty.isHidden()
    letter = tab.model.record(0)
    assert letter.title == "Document request" and letter.language == "es"
    Path(letter.file_path).unlink()
    result = tab.regenerate(letter.id)
    assert result.matches and result.restored and Path(letter.file_path).is_file()
    assert "written back" in tab.describe(result)
    matter_tab = LettersTab(office, matter_id=matter_id)
    qtbot.addWidget(matter_tab)
    # Opened from the client, the dialog chose the client's one matter: the letter is the matter's too.
    assert matter_tab.model.rowCount() == 1 and matter_tab.model.record(0).id == letter.id
    dialog.close()


def test_letters_panel_pages_the_log_and_opens_the_client(qtbot, qtmodeltester, letters_office):
    office, ids = letters_office
    for key in ("maria", "armen"):
        office.letters.generate("hearing-reminder", matter_id=ids[key][1])
    office.letters.generate("document-request", client_id=ids["armen"][0])
    panel = LettersPanel(office)
    qtbot.addWidget(panel)
    qtmodeltester.check(panel.model)
    assert panel.model.rowCount() == 3 and "3 letters" in panel.summary.text()
    panel.filter_combo.setCurrentIndex(panel.filter_combo.findData("document-request"))
    assert panel.model.rowCount() == 1
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    with qtbot.waitSignal(panel.open_client_requested) as opened:
        panel.client_button.click()
    assert opened.args == [ids["armen"][0]]


def test_batch_dialog_runs_and_reports_counts(qtbot, letters_office, tmp_path):
    office, ids = letters_office
    dialog = LetterBatchDialog(office, days=30)
    qtbot.addWidget(dialog)
    assert "3</b> letters to print" in dialog.candidates.text()
    with qtbot.waitSignal(dialog.batch_finished, timeout=30_000) as finished:
        dialog.run_button.click()
    result = finished.args[0]
    assert result.count == 2 and len(result.problems) == 1 and not result.cancelled
    assert "2 hearing reminders printed" in dialog.outcome.text()
    assert "1 could not be printed" in dialog.outcome.text()
    assert dialog.problems.count() == 1 and "Rosa Díaz" in dialog.problems.item(0).text()
    assert not dialog.open_print_button.isHidden() and Path(result.combined_path).is_file()
    assert len(office.letters.letters_for(client_id=ids["maria"][0])) == 1
    # Again: the two sent are skipped; only the one that could not be printed is left to do.
    assert "1</b> letter to print; 2 hearings already have one" in dialog.candidates.text()
    dialog.force_check.setChecked(True)
    assert "3</b> letters to print" in dialog.candidates.text()


def test_batch_dialog_cancel_keeps_what_was_printed(qtbot, letters_office, monkeypatch):
    from kantor_cases.services.letters import workers as letter_workers

    office, _ids = letters_office
    monkeypatch.setattr(letter_workers, "CHUNK", 1)
    dialog = LetterBatchDialog(office, days=30)
    qtbot.addWidget(dialog)
    task = dialog.run()
    task.cancel()  # at once: the batch stops at the next letter, nothing half done
    qtbot.waitUntil(lambda: dialog.batch_result is not None, timeout=30_000)
    assert dialog.batch_result.cancelled and dialog.batch_result.count < 2  # two could be printed
    assert office.letters.count() == dialog.batch_result.count
    assert "Cancelled" in dialog.outcome.text()


def test_template_editor_refuses_an_unknown_field_naming_it_and_saves_versions(qtbot, letters_office):
    office, _ids = letters_office
    dialog = TemplateEditorDialog(office, "hearing-reminder", "en")
    qtbot.addWidget(dialog)
    assert dialog.version == 0 and dialog.preview.page_count() >= 1
    names = [dialog.fields.topLevelItem(i).text(0) for i in range(dialog.fields.topLevelItemCount())]
    assert "hearing.court_address" in names and "firm.phone" in names
    original = dialog.editor.toPlainText()
    dialog.editor.appendPlainText("Shoe size: {{ client.shoe_size }}")
    assert dialog.save() is None
    assert "client.shoe_size" in dialog.status.text()
    assert office.letters.template_history("hearing-reminder", "en") == []
    assert not dialog.refresh_preview() and dialog.preview.page_count() == 0

    dialog.editor.setPlainText(original.replace("You must attend this hearing in person.",
                                                "You must attend this hearing in person, on time."))
    dialog.note_edit.setText("on time")
    with qtbot.waitSignal(dialog.template_saved) as saved:
        dialog.save_button.click()
    assert saved.args == ["hearing-reminder", "en", 1]
    assert dialog.version == 1 and dialog.history_list.count() == 1 and "(in use)" in dialog.history_list.item(0).text()
    assert dialog.preview.page_count() >= 1
    dialog.revert()
    assert dialog.version == 0 and dialog.editor.toPlainText() == original
    dialog.history_list.setCurrentRow(0)
    dialog.load_version_button.click()
    assert "on time." in dialog.editor.toPlainText()


@pytest.mark.parametrize("template_id", ["hearing-reminder", "engagement", "status-update"])
def test_every_field_of_the_new_letter_dialog_is_whole_on_a_small_laptop_screen(qtbot, letters_office, template_id):
    """A choice with long entries ("By certified mail, return receipt requested") once widened the
    field column past the form's pane, so at 1,024 px every field was cut off at its right edge."""
    office, ids = letters_office
    _client_id, matter_id = ids["maria"]
    dialog = NewLetterDialog(office, matter_id=matter_id, template_id=template_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(1000, 680)
    qtbot.wait(50)
    viewport = dialog.findChild(QScrollArea).viewport()
    for name, widget in dialog.form.fields.items():
        right_edge = widget.mapTo(viewport, QPoint(widget.width(), 0)).x()
        assert right_edge <= viewport.width(), f"{name} is cut off"
    # a shortened choice still offers its whole wording in the list that drops down
    delivery = dialog.editors["recipient.delivery"].widget
    widest = max(delivery.fontMetrics().horizontalAdvance(delivery.itemText(i)) for i in range(delivery.count()))
    assert delivery.view().minimumWidth() >= widest
