"""Cycles are freed on the GUI thread only: a Qt wrapper destroyed on a worker crashes the process.

CI once died with a segmentation fault "Garbage-collecting" inside a follow-ups load on a worker:
the worker's allocations set the automatic collector off there, and it freed an unreachable cycle
holding widgets the GUI thread had dropped. These tests drop such a cycle on the GUI thread and make
a worker allocate enough to have started the automatic collector many times over.
"""

from __future__ import annotations

import gc
import sys
import threading

from PySide6.QtCore import QObject

from kantor_cases.ui.shell import application
from kantor_cases.ui.shell.collector import GuiThreadCollector
from kantor_cases.ui.widgets.tasks import Tasks


class _Witness:
    """Part of a cycle with a QObject in it; says which thread freed it."""

    freed_on: list[int] = []

    def __init__(self) -> None:
        self.qt_object = QObject()
        self.me = self

    def __del__(self) -> None:
        _Witness.freed_on.append(threading.get_ident())


def _allocate_cycles(_progress=None) -> int:
    # Ten thousand cycles: far more than the 700 allocations that start a generation-0 collection.
    for _ in range(10_000):
        cycle: list = []
        cycle.append(cycle)
    return threading.get_ident()


def test_a_dropped_cycle_with_a_qt_object_is_freed_on_the_gui_thread_not_on_the_worker(qtbot):
    collector = GuiThreadCollector()
    try:
        _Witness.freed_on.clear()
        _Witness()  # dropped at once: only the cycle collector can free it
        tasks = Tasks()
        workers = []
        task = tasks.run("Loading", _allocate_cycles, on_done=workers.append, quiet=True)
        qtbot.waitUntil(lambda: not task.running, timeout=5000)
        qtbot.waitUntil(lambda: bool(_Witness.freed_on), timeout=5000)
        assert workers and workers[0] != threading.get_ident()
        assert _Witness.freed_on == [threading.get_ident()]
    finally:
        collector.stop()


def test_the_window_runs_with_the_automatic_collector_off_and_hands_it_back_after(qtbot, monkeypatch, tmp_path):
    from kantor_cases.services import locations

    seen = []

    def open_office(_locations, _user):
        seen.append(gc.isenabled())
        return None  # the person quit at sign-in

    monkeypatch.setattr(application, "open_office", open_office)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own; put it back after
    was = gc.isenabled()
    gc.enable()
    try:
        assert application.run(locations.resolve(str(tmp_path / "office.sqlite3")), "Ana") == 0
        assert seen == [False]
        assert gc.isenabled()
    finally:
        if not was:
            gc.disable()

