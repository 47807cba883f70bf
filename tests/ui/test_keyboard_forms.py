"""Forms from the keyboard: the cursor starts in the first field (nothing typed straight away is
lost), Esc asks before throwing changes away and simply closes a form without any, and every error
of a form is listed at once with the cursor on the first field to correct."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from kantor_cases.ui.clients.client_window import ClientWindow
from kantor_cases.ui.clients.intake_wizard import IntakeWizard
from kantor_cases.ui.matters.hearing_dialog import HearingDialog
from kantor_cases.ui.matters.new_matter_dialog import NewMatterDialog
from kantor_cases.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def active(qtbot, widget):
    """`widget` shown and holding the keyboard, as a window a person has just opened."""
    qtbot.addWidget(widget)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    return widget


def typed_at_once(qtbot, text: str) -> None:
    """Keys sent to whatever has the keyboard, with no wait for the window to settle."""
    for character in text:
        qtbot.keyClick(QApplication.focusWidget() or QApplication.activeWindow(), character)


def test_ctrl_n_then_typing_straight_away_fills_the_given_name(qtbot, office):
    window = active(qtbot, MainWindow(office))
    qtbot.waitUntil(lambda: not window.busy, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    typed_at_once(qtbot, "Xochitl")
    wizard = next(w for w in QApplication.topLevelWidgets() if isinstance(w, IntakeWizard) and w.isVisible())
    assert wizard.identity.form.edits["given_name"].text() == "Xochitl"
    wizard.done(0)


@pytest.fixture
def new_matter(qtbot, small_office):
    office, ids = small_office
    dialog = active(qtbot, NewMatterDialog(office, ids["olga"]))
    return dialog


def test_a_new_matter_starts_in_its_first_field(qtbot, new_matter):
    focused = QApplication.focusWidget()
    assert focused is not None and new_matter.isAncestorOf(focused)
    assert focused.isVisible() and focused is new_matter.form.focusWidget()


def test_esc_on_an_untouched_form_closes_without_asking(qtbot, new_matter, message_boxes):
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not new_matter.isVisible() and message_boxes == []


def test_esc_on_a_changed_form_asks_and_keeps_it_unless_discarded(qtbot, small_office, monkeypatch, message_boxes):
    office, ids = small_office
    dialog = active(qtbot, HearingDialog(office, ids["maria_matter"]))
    assert QApplication.focusWidget() is dialog.date_field, "the cursor does not start in the date"
    typed_at_once(qtbot, "6/1/2027")
    assert dialog.date_field.text() == "6/1/2027"
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog.date_field, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.date_field.text() == "6/1/2027"
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Discard)
    qtbot.keyClick(dialog.date_field, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_every_error_of_a_hearing_is_listed_at_once_and_the_first_holds_the_cursor(qtbot, small_office):
    office, ids = small_office
    dialog = active(qtbot, HearingDialog(office, ids["maria_matter"]))
    dialog.time_edit.setFocus()
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.form.error_text("date") and dialog.form.error_text("time")
    banner = dialog.form.banner.text()
    assert "2 things to correct" in banner and "Date: When is the hearing?" in banner and "Time: At what time?" in banner
    assert QApplication.focusWidget() is dialog.date_field


def test_a_client_profile_lists_a_bad_date_and_a_bad_email_together(qtbot, small_office):
    office, ids = small_office
    window = ClientWindow(office, ids["olga"])
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.form.edits["email"], "olga@")
    qtbot.keyClicks(window.form.dates["date_of_birth"], "2/30/1980")
    assert not window.save()
    assert "not a real date" in window.form.error_text("date_of_birth")
    assert window.form.error_text("email"), "the e-mail's error waits for the date to be fixed"
    assert "2 things to correct" in window.form.banner.text()


def test_a_follow_up_starts_in_its_note_and_esc_asks_once_something_is_typed(qtbot, small_office, monkeypatch):
    from kantor_cases.ui.widgets.follow_up_dialog import FollowUpDialog

    office, ids = small_office
    dialog = active(qtbot, FollowUpDialog(office, client_id=ids["olga"]))
    typed_at_once(qtbot, "Call about the biometrics")
    assert dialog.note_edit.toPlainText() == "Call about the biometrics"
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: asked.append(args[1]) or QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert asked == ["Discard your changes?"] and dialog.isVisible()


def test_a_client_window_starts_in_the_profile_and_esc_asks_about_unsaved_edits(qtbot, small_office, monkeypatch):
    office, ids = small_office
    window = active(qtbot, ClientWindow(office, ids["olga"]))
    assert QApplication.focusWidget() is window.form.edits["given_name"]
    typed_at_once(qtbot, "a")
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: asked.append(args[1]) or QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert asked and window.isVisible()


def test_a_new_pd_request_starts_in_its_first_field(qtbot, small_office):
    from kantor_cases.ui.matters.matter_window import MatterWindow

    office, ids = small_office
    window = active(qtbot, MatterWindow(office, ids["maria_matter"]))
    for index in range(window.tabs.count()):
        if window.tabs.widget(index).isAncestorOf(window.pd_editor) or window.tabs.widget(index) is window.pd_splitter:
            window.tabs.setCurrentIndex(index)
    window._on_new_pd_clicked()
    assert QApplication.focusWidget() is window.pd_editor.regime_combo


def test_esc_on_a_matter_with_unsaved_court_details_asks_and_without_them_closes(qtbot, small_office, monkeypatch,
                                                                                message_boxes):
    from kantor_cases.ui.matters.matter_window import MatterWindow

    office, ids = small_office
    window = active(qtbot, MatterWindow(office, ids["maria_matter"]))  # Esc is the window's shortcut: it needs the keyboard
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible() and message_boxes == []

    window = active(qtbot, MatterWindow(office, ids["maria_matter"]))  # Esc is the window's shortcut: it needs the keyboard
    qtbot.keyClicks(window.judge_edit, " (acting)")
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: asked.append(args[1]) or QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(window.judge_edit, Qt.Key.Key_Escape)
    assert asked == ["Discard your changes?"] and window.isVisible()
