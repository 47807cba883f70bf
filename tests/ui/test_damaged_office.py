"""A damaged office in the window: a banner says so and what to do; a save is refused, the file kept.
Error dialogs never quote client data."""

from __future__ import annotations

import hashlib

from kantor_cases.services import locations
from kantor_cases.services.office import Office
from kantor_cases.ui.shell.main_window import MainWindow


def test_a_damaged_office_opens_read_only_with_a_banner(qtbot, damaged_office):
    """As the application opens it: the check waits for the window's first paint, then runs."""
    before = hashlib.sha256(damaged_office.read_bytes()).hexdigest()
    office = Office.open(locations.resolve(str(damaged_office)), "Ana", check_later=True)
    assert not office.integrity_checked
    try:
        window = MainWindow(office)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.damage_banner.isVisible(), timeout=10_000)
        assert "damaged" in window.damage_banner.text() and "Restore" in window.damage_banner.text()
        assert "read-only" in window._database_label.text()
        window.shutdown()
    finally:
        office.close()
    assert hashlib.sha256(damaged_office.read_bytes()).hexdigest() == before


def test_a_sound_office_shows_no_banner(qtbot, office):
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: office.integrity_checked, timeout=10_000)
    qtbot.wait(300)
    assert not window.damage_banner.isVisible()
    window.shutdown()


def test_an_unexpected_error_dialog_does_not_quote_client_data(qtbot, message_boxes):
    from kantor_cases.ui.widgets.error_messages import show_error

    show_error(None, ValueError("could not print the letter for José García, A012-345-678"), "/tmp/k.log")
    kind, _title, text = message_boxes[-1]
    assert kind == "critical" and "ValueError" in text and "/tmp/k.log" in text
    assert "García" not in text and "A012" not in text
