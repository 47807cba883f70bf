"""Client detail: edit and save, messages next to fields, a colliding save with Reload, unsaved prompt."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from kantor_cases.services.clients import with_changes
from kantor_cases.ui.clients.client_window import ClientWindow


def open_window(qtbot, office, client_id):
    window = ClientWindow(office, client_id)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def test_header_shows_name_a_number_language_and_flags(qtbot, small_office):
    office, ids = small_office
    window = open_window(qtbot, office, ids["maria"])
    assert "María García López" in window.name_label.text()
    assert "A012-345-678" in window.facts_label.text()
    assert "letters in Spanish" in window.facts_label.text()
    detained = open_window(qtbot, office, ids["aram"])
    assert "DETAINED" in detained.flags_label.text() and "Adelanto" in detained.flags_label.text()
    assert window.matters_model.rowCount() == 1
    assert window.hearings_model.rowCount() == 1


def test_edit_and_save_writes_the_change_and_its_history(qtbot, small_office):
    office, ids = small_office
    window = open_window(qtbot, office, ids["olga"])
    edit = window.form.edits["city"]
    edit.clear()
    qtbot.keyClicks(edit, "Glendale")
    assert window.dirty and window.windowTitle().startswith("*")
    qtbot.keyClick(edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert office.clients.get(ids["olga"]).city == "Glendale"
    assert not window.dirty
    history = [window.history_list.item(i).text() for i in range(window.history_list.count())]
    assert any("Ana changed the city from “—” to “Glendale”" in line for line in history), history


def test_validation_messages_appear_next_to_their_fields(qtbot, small_office):
    office, ids = small_office
    window = open_window(qtbot, office, ids["olga"])
    qtbot.keyClicks(window.form.edits["email"], "olga@")
    qtbot.keyClicks(window.form.dates["date_of_birth"], "2/30/1980")
    assert not window.save()
    assert "not a real date" in window.form.error_text("date_of_birth")
    window.form.dates["date_of_birth"].clear()
    assert not window.save()
    assert window.form.error_text("email"), "no message next to the e-mail field"
    assert office.clients.get(ids["olga"]).email == ""


def test_a_colliding_save_names_who_changed_it_and_reloads(qtbot, small_office):
    office, ids = small_office
    window = open_window(qtbot, office, ids["olga"])
    office.user = "Ben"
    theirs = office.clients.get(ids["olga"])
    office.clients.update(ids["olga"], with_changes(theirs, phone="(818) 555-0199"), theirs.version)
    office.user = "Ana"
    qtbot.keyClicks(window.form.edits["city"], "Burbank")
    assert not window.save()
    assert not window.conflict_bar.isHidden()
    assert "Ben changed this client" in window.conflict_label.text()
    window.reload_button.click()
    assert window.conflict_bar.isHidden()
    assert window.form.edits["phone"].text() == "(818) 555-0199"
    assert window.form.edits["city"].text() == ""


def test_closing_with_unsaved_changes_asks_first(qtbot, small_office, monkeypatch):
    office, ids = small_office
    window = open_window(qtbot, office, ids["olga"])
    qtbot.keyClicks(window.form.edits["city"], "Pasadena")
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: asked.append(args) or QMessageBox.StandardButton.Cancel)
    window.close()
    assert asked and window.isVisible(), "closed without asking"
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Save)
    qtbot.keyClick(window.form.edits["city"], Qt.Key.Key_Escape)
    assert not window.isVisible()
    assert office.clients.get(ids["olga"]).city == "Pasadena"


def test_family_members_are_added_from_the_family_tab(qtbot, small_office):
    from kantor_cases.ui.clients.related_person_dialog import RelatedPersonDialog

    office, ids = small_office
    window = open_window(qtbot, office, ids["maria"])
    dialog = RelatedPersonDialog(office, ids["maria"], None, window)
    dialog.given_edit.setText("Sofía")  # QTest cannot type non-ASCII keys
    dialog.family_edit.setText("García")
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("usc"))
    dialog.accept()
    window.reload_lists()
    assert window.family_model.index(0, 0).data() == "Sofía García"
    assert window.family_model.index(0, 2).data() == "US citizen"


def test_a_name_with_markup_shows_as_typed_everywhere_in_the_window(qtbot, small_office):
    import re

    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QLabel

    from kantor_cases.domain.records import ClientDraft

    office, _ids = small_office
    client = office.clients.create(ClientDraft(given_name="<b>Bold</b> &amp;", family_name="O'Brien & <Sons>"))
    window = open_window(qtbot, office, client.id)
    shown = []
    for label in window.findChildren(QLabel):
        document = QTextDocument()
        # Qt's own mightBeRichText() leaks a reference to True/False in PySide6 6.12 (and crashes at
        # exit), so tell rich text the way it does: something that looks like a tag.
        rich = label.textFormat() == Qt.TextFormat.RichText or (
            label.textFormat() == Qt.TextFormat.AutoText and re.search(r"<[A-Za-z/][^>]*>", label.text()))
        if rich:
            document.setHtml(label.text())
        else:
            document.setPlainText(label.text())
        shown.append(document.toPlainText())
    assert any("<b>Bold</b> &amp; O'Brien & <Sons>" in text for text in shown)
    assert not any("Bold &" in text and "<b>" not in text for text in shown), "markup in a name was rendered"
