"""The New letter dialog keeps each language's engagement terms apart and prints all languages
together for signature (issue 14 item 9)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from test_letters_ui import add_case, letters_office  # noqa: F401 (fixture)

from kantor_cases.ui.letters.new_letter_dialog import NewLetterDialog


def _text(path: str) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_terms_typed_per_language_print_in_their_own_letter(qtbot, letters_office):  # noqa: F811
    office, ids = letters_office
    _client_id, matter_id = ids["maria"]
    dialog = NewLetterDialog(office, matter_id=matter_id, template_id="engagement")
    qtbot.addWidget(dialog)
    assert dialog.plan is not None and dialog.plan.language == "es" and not dialog.both_button.isHidden()
    for name, value in {"engagement.fee_type": "flat", "engagement.flat_fee": "6000",
                        "engagement.attorney_insured": True}.items():
        dialog.editors[name].set_value(value)
    dialog.editors["engagement.scope_items"].set_value(["Preparar su solicitud de asilo"])
    dialog.editors["engagement.excluded_items"].set_value(["Cualquier apelación"])
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    assert dialog.plan.language == "en"
    assert dialog.editors["engagement.scope_items"].value() in (None, [], "")  # never the Spanish terms
    dialog.editors["engagement.fee_type"].set_value("flat")
    dialog.editors["engagement.flat_fee"].set_value("6000")
    dialog.editors["engagement.attorney_insured"].set_value(True)
    dialog.editors["engagement.scope_items"].set_value(["Preparing your asylum application"])
    dialog.editors["engagement.excluded_items"].set_value(["Any appeal"])

    saved = dialog.save_all_languages()
    assert saved is not None, dialog.message.text()
    letters, combined = saved
    texts = {letter.language: _text(letter.file_path) for letter in letters}
    assert "Preparing your asylum application" in texts["en"] and "Preparar su solicitud" not in texts["en"]
    assert "Preparar su solicitud de asilo" in texts["es"] and "Preparing your" not in texts["es"]
    assert combined.startswith(b"%PDF") and all(Path(letter.file_path).is_file() for letter in letters)


def test_a_language_left_without_its_terms_is_named_and_nothing_is_saved(qtbot, letters_office):  # noqa: F811
    office, ids = letters_office
    _client_id, matter_id = ids["maria"]
    dialog = NewLetterDialog(office, matter_id=matter_id, template_id="engagement")
    qtbot.addWidget(dialog)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    for name, value in {"engagement.fee_type": "flat", "engagement.flat_fee": "6000",
                        "engagement.attorney_insured": True, "engagement.scope_items": ["Asylum"],
                        "engagement.excluded_items": ["Appeals"]}.items():
        dialog.editors[name].set_value(value)
    assert dialog.save_all_languages() is None
    assert "Spanish letter" in dialog.message.text() and "Services included" in dialog.message.text()
    assert office.letters.count() == 0


def test_the_template_editor_offers_to_add_the_other_1632_languages(qtbot, letters_office):  # noqa: F811
    from kantor_cases.ui.letters.template_editor_dialog import TemplateEditorDialog

    office, _ids = letters_office
    dialog = TemplateEditorDialog(office, "engagement", "en")
    qtbot.addWidget(dialog)
    labels = [dialog.language_combo.itemText(i) for i in range(dialog.language_combo.count())]
    assert labels[:2] == ["English", "Spanish"]
    assert {"Chinese (add a version)", "Tagalog (add a version)", "Vietnamese (add a version)",
            "Korean (add a version)"} <= set(labels)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("vi"))
    assert "Agreement for legal services" in dialog.editor.toPlainText()  # the English text, to translate


def test_the_template_editor_keeps_the_offices_standing_paragraph_per_language(qtbot, letters_office):  # noqa: F811
    from kantor_cases.ui.letters.template_editor_dialog import TemplateEditorDialog

    office, _ids = letters_office
    dialog = TemplateEditorDialog(office, "hearing-reminder", "es")
    qtbot.addWidget(dialog)
    assert not dialog.paragraph_box.isHidden()
    dialog.paragraph_edit.setPlainText("Tome los elevadores al piso 15.")
    dialog.paragraph_button.click()
    assert office.letters.standing_paragraph("hearing-reminder", "es") == "Tome los elevadores al piso 15."
    assert office.letters.standing_paragraph("hearing-reminder", "en") == ""
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    assert dialog.paragraph_edit.toPlainText() == ""
    dialog.template_combo.setCurrentIndex(dialog.template_combo.findData("closing"))
    assert dialog.paragraph_box.isHidden()
