"""The first window: it builds offscreen on a fresh database and shows what the issue promises."""

from __future__ import annotations

from kantor_cases.ui.main_window import MainWindow


def test_main_window_shows_the_database_and_backs_up(qtbot, office):
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "Kantor Cases"
    status_text = " ".join(label.text() for label in window.statusBar().findChildren(type(window._backup_label)))
    assert office.database.location in status_text
    assert "no backup yet" in status_text
    window.back_up_action.trigger()
    assert office.backups.list(), "Back up now wrote no backup"
    assert "just now" in window._backup_label.text()
