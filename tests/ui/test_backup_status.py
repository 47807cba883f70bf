"""The status bar's backup age follows every backup as it is taken, not only Back up now."""

from __future__ import annotations

from pathlib import Path

import pytest

from kantor_cases.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def make_window(qtbot, office) -> MainWindow:
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.busy, timeout=5000)
    return window


def test_the_backup_an_import_takes_is_in_the_status_bar_at_once(qtbot, office, tmp_path: Path, message_boxes):
    window = make_window(qtbot, office)
    assert window._backup_label.text() == "no backup yet"
    csv = tmp_path / "clients.csv"
    csv.write_text("first_name,last_name\nAna,Ruiz\n", encoding="utf-8")
    window.show_screen("Clients").import_csv(csv)
    qtbot.waitUntil(lambda: any(title == "Import finished" for _k, title, _t in message_boxes), timeout=10_000)
    assert office.backups.list(), "the import took no backup"
    # Well before the minute the age is otherwise refreshed on.
    qtbot.waitUntil(lambda: window._backup_label.text() == "last backup just now", timeout=3000)


def test_a_backup_taken_elsewhere_shows_too(qtbot, office):
    window = make_window(qtbot, office)
    assert window._backup_label.text() == "no backup yet"
    office.backups.back_up(reason="before-migration")  # as the command line or an upgrade would
    qtbot.waitUntil(lambda: window._backup_label.text() == "last backup just now", timeout=3000)
