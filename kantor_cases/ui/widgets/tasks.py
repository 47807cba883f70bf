"""The one way the window runs long work (CSV import and export, backups): off the GUI thread.

`Tasks.run` puts a callable on the global QThreadPool and hands its result or its exception back
on the GUI thread through queued signals. Work that takes longer than a second shows a progress
dialog with Cancel; the callable receives `progress(done, total) -> keep_going` and stops when it
returns False. Work functions never touch widgets: Qt widgets belong to the GUI thread only.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from kantor_cases.domain.errors import KantorError
from kantor_cases.ui.widgets.error_messages import show_error

log = logging.getLogger(__name__)

Progress = Callable[[int, int], bool]
T = TypeVar("T")
# Quiet work still running, from every screen's Tasks (they share the global thread pool).
_quiet_tasks: set[Task] = set()
# Work started while the window is being built, kept until its first paint (see hold_background_work).
_held: list[QRunnable] | None = None


def hold_background_work() -> None:
    """Keep work started from now on off the thread pool until `release_background_work()`.

    The window's start-up holds the reads its screens ask for while it is being built: run beside it
    they would import the database layer and the ORM on the pool and take the interpreter's lock from
    the window's thread, delaying the first paint they cannot show anything in before it anyway."""
    global _held
    if _held is None:
        _held = []


def release_background_work() -> None:
    """Start the work held since `hold_background_work()`, in the order it was asked for."""
    global _held
    held, _held = _held, None
    for job in held or ():
        QThreadPool.globalInstance().start(job)


def _start(job: QRunnable) -> None:
    if _held is not None:
        _held.append(job)
    else:
        QThreadPool.globalInstance().start(job)


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from the worker arrive there queued."""

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], relay: _Relay, cancelled: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._work = work
        self._relay = relay
        self._cancelled = cancelled

    def _progress(self, done: int, total: int) -> bool:
        self._relay.progressed.emit(int(done), int(total))
        return not self._cancelled.is_set()

    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the GUI thread
            # A KantorError is the person's to read (a wrong password, a refused file), not a bug.
            if not isinstance(error, KantorError):
                log.error("Background task failed:\n%s", "".join(traceback.format_exception(error)))
            self._relay.failed.emit(error)
            return
        self._relay.finished.emit(result)


class Task(QObject):
    """One running piece of work; `done` tells tests and callers when it has finished either way."""

    done = Signal()

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.title = title
        self.cancelled = threading.Event()
        self.running = True
        self.dialog: QProgressDialog | None = None

    def cancel(self) -> None:
        self.cancelled.set()


class Tasks(QObject):
    def __init__(self, parent: QWidget | None = None, log_file: str = "") -> None:
        super().__init__(parent)
        self._parent = parent
        self._log_file = log_file
        self._running: set[Any] = set()

    def run(self, title: str, work: Callable[[Progress], T], on_done: Callable[[T], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, cancellable: bool = True,
            quiet: bool = False) -> Task:
        """Start `work(progress)` on the thread pool; `on_done(result)` / `on_error(exc)` run on the GUI thread.

        `quiet` work (the automatic backup every 30 minutes) shows no progress dialog: it must never
        interrupt someone typing.
        """
        task = Task(title, self._parent)
        relay = _Relay()
        dialog: QProgressDialog | None = None
        if not quiet:
            dialog = QProgressDialog(title, "Cancel" if cancellable else "", 0, 0, self._parent)
            dialog.setWindowTitle("Kantor Cases")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            # Quick work finishes before the dialog would appear: nobody sees a flash.
            dialog.setMinimumDuration(1000)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            if not cancellable:
                dialog.setCancelButton(None)
            dialog.canceled.connect(task.cancel)
        task.dialog = dialog
        job = _Job(work, relay, task.cancelled)
        keep = (relay, job)
        if quiet:
            _quiet_tasks.add(task)
        self._running.add(keep)

        def screen_alive() -> bool:
            # The window or screen may have been closed while the work ran: its widgets (the task and
            # the dialog are its children) are gone, and so is anything a callback would update.
            return self._parent is None or shiboken6.isValid(self._parent)

        def finish() -> None:
            task.running = False
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.reset()
                dialog.hide()
                dialog.deleteLater()
            self._running.discard(keep)
            _quiet_tasks.discard(task)
            if shiboken6.isValid(task):
                task.done.emit()

        def on_progress(done: int, total: int) -> None:
            if total > 0 and dialog is not None and shiboken6.isValid(dialog):
                dialog.setMaximum(total)
                dialog.setValue(min(done, total))
                dialog.setLabelText(f"{title} ({done:,} of {total:,})")

        def on_finished(result: T) -> None:
            finish()
            if on_done is not None and screen_alive():
                on_done(result)

        def on_failed(error: BaseException) -> None:
            finish()
            if not screen_alive():
                log.warning("A background task failed after its screen was closed: %s", type(error).__name__)
            elif on_error is not None:
                on_error(error)
            else:
                show_error(self._parent, error, self._log_file)

        relay.progressed.connect(on_progress)
        relay.finished.connect(on_finished)
        relay.failed.connect(on_failed)
        if dialog is not None:
            dialog.setValue(0)
        _start(job)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._running)

    @staticmethod
    def stop_background_work() -> None:
        """Ask quiet work (the daily follow-up check), whichever screen started it, to stop at its
        next progress report: the window is closing. Work that does not report progress (the
        automatic backup) finishes as usual."""
        for task in list(_quiet_tasks):
            task.cancel()

    def wait_all(self, milliseconds: int = 30_000) -> bool:
        """Let running work finish (on quit: a backup must not be cut off half-written); work still
        held for the first paint starts first."""
        release_background_work()
        return QThreadPool.globalInstance().waitForDone(milliseconds)
