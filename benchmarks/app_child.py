"""Run in a child process by the start-up and memory benchmarks (offscreen Qt).

    python -m benchmarks.app_child bare              a bare PySide6 window, like any Qt program
    python -m benchmarks.app_child app --db PATH     Kantor Cases as `kantor-cases --db PATH` starts it
                                                     (`--user bench`, unless KANTOR_CASES_USER names one)
    python -m benchmarks.app_child rss --db PATH     the same, then the Clients screen scrolled to the end

Prints `shown` once the main window's first paint is done (the parent clocks process start to that
line), and for `rss` then `rss <MB> <MB>`: the peak resident memory of the process and what it holds
at the end. This module imports
only the standard library at the top, and `bare` imports only PySide6, so that figure is what any
Qt program pays.

For benchmarks/startup_profile.py, KANTOR_BENCH_PROFILE=FILE writes a cProfile of the start (to the
first paint) to FILE, and KANTOR_BENCH_T0 (the parent's time.perf_counter() at the child's start:
the same monotonic clock on Linux) prints `mark <step> <seconds since then>` at each step of the
start-up; with KANTOR_BENCH_TODAY=1 as well, the child stays until Today's list (read after the
first paint) is shown, and marks that. Without them nothing is measured but the first paint.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

T0 = os.environ.get("KANTOR_BENCH_T0")


def mark(step: str) -> None:
    if T0:
        print(f"mark {step} {time.perf_counter() - float(T0):.4f}", flush=True)


def main(argv: list[str]) -> int:
    mode = argv[0]
    mark("python started")
    profile_to = os.environ.get("KANTOR_BENCH_PROFILE")
    if profile_to:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    mark("PySide6 imported")
    app = QApplication(sys.argv[:1])
    quiet_offscreen_warnings()
    mark("QApplication made")

    def after_first_paint(action: Any) -> None:
        class FirstPaint(QObject):
            done = False

            def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt override
                if (not self.done and event.type() == QEvent.Type.Paint and hasattr(watched, "window")
                        and isinstance(watched.window(), QMainWindow)):
                    self.done = True
                    # After the rest of this paint pass, not in the middle of it.
                    QTimer.singleShot(0, action)
                return False

        app.installEventFilter(FirstPaint(app))

    def shown() -> None:
        mark("first paint done")
        if profile_to:
            profiler.disable()
            profiler.dump_stats(profile_to)
        print("shown", flush=True)

    if mode == "bare":
        window = QMainWindow()
        window.setCentralWidget(QTableView())
        window.resize(1280, 800)

        def bare_done() -> None:
            shown()
            app.quit()

        after_first_paint(bare_done)
        window.show()
        return app.exec()

    database = argv[argv.index("--db") + 1]

    def app_done() -> None:
        shown()
        if T0 and os.environ.get("KANTOR_BENCH_TODAY"):
            # startup_profile: how long after the first paint Today's list (read on the thread pool) is in.
            wait_for_today(app, app_done_after_today)
            return
        app_done_after_today()

    def app_done_after_today() -> None:
        if mode == "rss":
            scroll_clients_to_end(app)
            print(f"rss {memory_kib('VmHWM') / 1024:.1f} {memory_kib('VmRSS') / 1024:.1f}", flush=True)
        # Leave at once: closing the window would take the exit backup and wait for the day's
        # follow-up check, which is not what is measured (and the office is a throwaway copy).
        sys.stdout.flush()
        os._exit(0)

    after_first_paint(app_done)
    if T0:
        mark_steps()
    from kantor_cases.app import main as app_main

    # An encrypted office signs in from KANTOR_CASES_USER and KANTOR_CASES_PASSWORD_FILE, as a
    # scripted desk does; a plain one is opened as the bench user.
    user = [] if os.environ.get("KANTOR_CASES_USER") else ["--user", "bench"]
    return app_main(["--db", database, *user])


def wait_for_today(app: Any, then: Any) -> None:
    from PySide6.QtCore import QTimer

    from kantor_cases.ui.shell.main_window import MainWindow

    window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
    today = window.panels["Today"]
    timer = QTimer(app)

    def check() -> None:
        if today.title_label.text() and not today.busy:  # type: ignore[attr-defined]
            timer.stop()
            mark("Today's list shown")
            then()

    timer.timeout.connect(check)
    timer.start(2)


def mark_steps() -> None:
    """Import what the start-up imports, in its order, marking each step, and mark the office's
    opening and the main window's making (the window's module is imported before the office opens
    here, after it in the app: the marks say so)."""
    import importlib

    importlib.import_module("kantor_cases.app")
    mark("kantor_cases.app imported")
    importlib.import_module("kantor_cases.cli")
    mark("kantor_cases.cli imported (click, Office; SQLAlchemy waits for the first read)")
    from kantor_cases.ui.shell import application, main_window

    mark("ui.shell.application and main_window imported")
    open_office = application.open_office

    def timed_open_office(*args: Any) -> Any:
        mark("window start: office opening")
        try:
            return open_office(*args)
        finally:
            mark("office open")

    class TimedMainWindow(main_window.MainWindow):
        def __init__(self, *args: Any) -> None:
            mark("MainWindow: building")
            super().__init__(*args)
            mark("MainWindow built")

        def show(self) -> None:
            super().show()
            mark("MainWindow.show() returned")

    application.open_office = timed_open_office  # type: ignore[assignment]
    main_window.MainWindow = TimedMainWindow  # type: ignore[misc, assignment]


def memory_kib(field: str) -> int:
    """VmHWM (peak) or VmRSS (now) of this process. Not getrusage's ru_maxrss: that survives exec, so
    a child forked from a big benchmark process would report its parent's size."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: the next best figure
    return int(peak)


def quiet_offscreen_warnings() -> None:
    """The offscreen platform warns on every window it cannot resize to a hint; that is not news."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: Any, _context: Any, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr, flush=True)

    qInstallMessageHandler(handler)


def scroll_clients_to_end(app: Any) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from kantor_cases.ui.shell.main_window import MainWindow

    window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
    panel = window.show_screen("Clients")
    for _ in range(5):
        app.processEvents()
    view = panel.table  # type: ignore[attr-defined]
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    for _ in range(5):
        app.processEvents()
    rows = view.model().rowCount()
    if view.rowAt(view.viewport().height() - 2) != rows - 1:
        print(f"error the list did not reach its last row ({rows} rows)", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
