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
