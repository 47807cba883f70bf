"""Export .ics from the Calendar screen: the save dialog's "Replace" is the user's consent to replace
a file, a name the dialog never showed is asked about, and the office's own files are refused in a
message box."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from kantor_cases.ui.calendar.calendar_panel import CalendarPanel


def export(qtbot, office, monkeypatch, chosen: Path) -> tuple[list[str], list[str]]:
    """Click Export, "choose" `chosen` in the save dialog; (files written, warnings shown)."""
    panel = CalendarPanel(office, today=lambda: date(2026, 6, 1))
    qtbot.addWidget(panel)
    panel.show()
    written: list[str] = []
    warnings: list[str] = []
    panel.exported.connect(lambda path, _count: written.append(path))
    monkeypatch.setattr(panel, "ask_export_path", lambda: chosen)
    monkeypatch.setattr("kantor_cases.ui.calendar.calendar_panel.QMessageBox.information", lambda *args: None)
    monkeypatch.setattr("kantor_cases.ui.widgets.error_messages.QMessageBox.warning",
                        lambda _parent, _title, text: warnings.append(text))
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(written or warnings), timeout=5000)
    return written, warnings


def test_a_file_the_dialog_asked_about_is_replaced(qtbot, office, tmp_path, monkeypatch):
    target = tmp_path / "kantor.ics"
    target.write_text("old export")
    written, warnings = export(qtbot, office, monkeypatch, target)
    assert written == [str(target)] and warnings == []
    assert target.read_text().startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
def test_a_file_the_dialog_never_showed_is_replaced_only_when_the_user_agrees(qtbot, office, tmp_path, monkeypatch,
                                                                             answer):
    existing = tmp_path / "kantor.ics"
    existing.write_text("the attorney's own calendar")
    asked: list[str] = []

    def question(_parent, _title, text, *_buttons):
        asked.append(text)
        return answer

    monkeypatch.setattr("kantor_cases.ui.calendar.calendar_panel.QMessageBox.question", question)
    panel = CalendarPanel(office, today=lambda: date(2026, 6, 1))
    qtbot.addWidget(panel)
    monkeypatch.setattr(panel, "ask_export_path", lambda: tmp_path / "kantor")  # ".ics" is added after the dialog
    monkeypatch.setattr("kantor_cases.ui.calendar.calendar_panel.QMessageBox.information", lambda *args: None)
    if answer == QMessageBox.StandardButton.Yes:
        with qtbot.waitSignal(panel.exported, timeout=5000):
            qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
        assert existing.read_text().startswith("BEGIN:VCALENDAR")
    else:
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
        assert existing.read_text() == "the attorney's own calendar"
    assert asked == [f"{existing} already exists. Replace it with this export?"]


def test_the_backups_folder_is_refused_in_a_message_box(qtbot, office, monkeypatch):
    backups = office.locations.backups
    backups.mkdir(parents=True, exist_ok=True)
    written, warnings = export(qtbot, office, monkeypatch, backups / "kantor.ics")
    assert written == [] and len(warnings) == 1 and "backups folder" in warnings[0]
    assert list(backups.iterdir()) == []
