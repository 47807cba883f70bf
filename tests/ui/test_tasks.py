"""Background work whose screen is closed before it ends: no error reaches the event loop, and the
callbacks of the closed screen are not called."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QWidget

from kantor_cases.ui.widgets.tasks import Tasks


def test_work_that_ends_after_its_screen_closed_does_not_raise(qtbot):
    screen = QWidget()
    tasks = Tasks(screen)
    release = threading.Event()
    called = []
    task = tasks.run("Automatic backup", lambda _progress: release.wait(5), on_done=called.append, quiet=True)
    screen.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(task), timeout=2000)  # gone with its screen
    release.set()
    assert tasks.wait_all(5000)
    qtbot.wait(200)  # the queued "finished" arrives: pytest-qt fails the test on any exception in it
    assert called == []


def test_work_asked_for_while_the_window_is_built_starts_once_it_is_released(qtbot):
    """Start-up holds the screens' first reads until the window has painted (application.run)."""
    from kantor_cases.ui.widgets.tasks import hold_background_work, release_background_work

    screen = QWidget()
    tasks = Tasks(screen)
    ran = threading.Event()
    shown = []
    hold_background_work()
    try:
        tasks.run("", lambda _progress: ran.set() or "Today's list", on_done=shown.append, quiet=True)
        qtbot.wait(200)
        assert not ran.is_set() and tasks.busy
    finally:
        release_background_work()
    qtbot.waitUntil(lambda: shown == ["Today's list"], timeout=5000)
    assert not tasks.busy


def test_waiting_for_all_work_starts_what_is_still_held(qtbot):
    """A window closed before its first paint still does (and waits for) what it asked for."""
    from kantor_cases.ui.widgets.tasks import hold_background_work

    tasks = Tasks(QWidget())
    ran = threading.Event()
    hold_background_work()
    tasks.run("", lambda _progress: ran.set(), quiet=True)
    assert tasks.wait_all(5000)
    assert ran.is_set()
