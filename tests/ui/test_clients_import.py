"""The window's CSV import gives the command line's answers in dialogs: the encoding question with both
readings side by side, unknown columns, a refused file, and the export that never takes an office file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from kantor_cases.ui.clients.clients_panel import ClientsPanel


@pytest.fixture
def asked(monkeypatch):
    """Questions asked with QMessageBox.exec: their text and buttons; `answer` names the button to click."""
    record = {"texts": [], "buttons": [], "answer": None}

    def exec_(box):
        record["texts"].append(box.text())
        record["buttons"].append([b.text() for b in box.buttons()])
        choice = next((b for b in box.buttons() if b.text() == record["answer"]), None)
        if choice is not None:
            choice.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return record


def excel_file(tmp_path: Path) -> Path:
    path = tmp_path / "excel.csv"
    path.write_bytes("first_name,last_name\r\nAna,Ruiz\r\nJosé,Núñez\r\n".encode("cp1252"))
    return path


def test_a_file_that_is_not_utf8_is_shown_both_ways_and_read_as_chosen(qtbot, office, tmp_path, asked,
                                                                       message_boxes):
    panel = ClientsPanel(office)
    qtbot.addWidget(panel)
    asked["answer"] = "Read as Windows-1252"
    panel.import_csv(excel_file(tmp_path))
    qtbot.waitUntil(lambda: any(title == "Import finished" for _k, title, _t in message_boxes), timeout=10_000)
    question = asked["texts"][0]
    assert "excel.csv is not UTF-8 (line 3 has the byte 0xE9)" in question
    assert "Jos\ufffd N\ufffd\ufffdez   |   José Núñez" in question
    assert "Imported 2 of 2 rows" in message_boxes[-1][2]
    assert {hit.name for hit in office.search.search("nunez")} == {"José Núñez"}


def test_cancelling_the_encoding_question_imports_nothing(qtbot, office, tmp_path, asked, message_boxes):
    panel = ClientsPanel(office)
    qtbot.addWidget(panel)
    asked["answer"] = "Cancel"
    panel.import_csv(excel_file(tmp_path))
    qtbot.waitUntil(lambda: bool(asked["texts"]), timeout=10_000)
    assert set(asked["buttons"][0]) == {"Cancel", "Read as Windows-1252"}
    qtbot.wait(200)
    assert office.clients.count() == 0 and message_boxes == [] and len(asked["texts"]) == 1


def test_unknown_columns_are_named_and_can_be_left_out(qtbot, office, tmp_path, asked, message_boxes):
    path = tmp_path / "extra.csv"
    path.write_text("first_name,last_name,tags\nAna,Ruiz,VIP\n", encoding="utf-8")
    panel = ClientsPanel(office)
    qtbot.addWidget(panel)
    asked["answer"] = "Import without tags"
    panel.import_csv(path)
    qtbot.waitUntil(lambda: any(title == "Import finished" for _k, title, _t in message_boxes), timeout=10_000)
    assert "does not know: tags" in asked["texts"][0]
    assert "column tags: not a column this import knows; left out" in message_boxes[-1][2]
    assert office.clients.count() == 1


def test_a_refused_file_is_one_plain_sentence_and_nothing_is_imported(qtbot, office, tmp_path, message_boxes):
    path = tmp_path / "quote.csv"
    path.write_text("first_name,last_name,notes\nAna,Ruiz,\"never closed\nLuis,Vega,\n", encoding="utf-8")
    panel = ClientsPanel(office)
    qtbot.addWidget(panel)
    panel.import_csv(path)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10_000)
    kind, _title, text = message_boxes[0]
    assert kind == "warning" and "a quote opens in the record on line 2 and never closes" in text
    assert office.clients.count() == 0


def test_the_window_export_never_writes_over_the_office_database(qtbot, office, message_boxes):
    database = Path(office.locations.database)
    panel = ClientsPanel(office)
    qtbot.addWidget(panel)
    panel.export_csv(database)  # as if chosen and confirmed in the save dialog
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10_000)
    assert "office's database" in message_boxes[0][2]
    assert database.read_bytes()[:16] == b"SQLite format 3\x00"


def test_a_big_imports_summary_says_its_backup_is_still_checked_and_a_failure_is_shown(
        qtbot, db_path, tmp_path, message_boxes, monkeypatch):
    """The rows are in once the backup's pages are sound; the rest of its check runs behind the
    summary, and when it finds the office damaged (an index that no longer matches its table) the
    person is told, and the copy is gone."""
    from kantor_cases.services import client_csv
    from tests.db.test_backup import open_office_with_a_damaged_index

    monkeypatch.setattr(client_csv, "OVERLAP_CHECK_ROWS", 1)
    office = open_office_with_a_damaged_index(db_path)
    try:
        panel = ClientsPanel(office)
        qtbot.addWidget(panel)
        path = tmp_path / "new.csv"
        path.write_text("first_name,last_name\r\nLuis,Ortega\r\n", encoding="utf-8")
        panel.import_csv(path)
        qtbot.waitUntil(lambda: any(kind == "warning" for kind, _title, _text in message_boxes), timeout=20_000)
        [summary] = [text for _kind, title, text in message_boxes if title == "Import finished"]
        assert "Imported 1 of 1 rows" in summary and "its last check is still running" in summary
        [failure] = [text for kind, _title, text in message_boxes if kind == "warning"]
        assert "failed its check" in failure and "deleted" in failure and "kantor-cases check" in failure
        assert office.clients.count() == 4 and office.backups.list() == []
    finally:
        office.close()
