"""The one way a screen calls a service: off the window's thread, and saying what changed.

Modelled on Anki's QueryOp / CollectionOp:

* `run_query(owner, work, on_done)` reads: `work()` runs on the thread pool, `on_done(result)` on
  the window's thread, and a failure reaches `on_error` (or the standard message) instead of an
  empty list — a locked or damaged database never looks like "Nothing found".
* `run_change(owner, title, work, changes)` writes: the same, and once it succeeded the `Changes`
  it made (domain/changes.py) is announced once to every screen.
* `watch(screen, kinds, refresh)` is how a screen hears of changes: `refresh(changes)` runs when an
  announced change touches one of `kinds`, for as long as the screen exists.

Work functions never touch widgets (Qt's widgets belong to the window's thread).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from kantor_cases.domain.changes import Changes
from kantor_cases.ui.widgets.tasks import Task, Tasks

T = TypeVar("T")


class ChangeHub(QObject):
    """Carries each announced `Changes` to every screen watching (one per application)."""

    changed = Signal(object)


_hub: ChangeHub | None = None


def hub() -> ChangeHub:
    global _hub
    if _hub is None or not shiboken6.isValid(_hub):
        # Parented to the application so it lives exactly as long as the windows that use it.
        _hub = ChangeHub(QCoreApplication.instance())
    return _hub


def announce(changes: Changes) -> None:
    hub().changed.emit(changes)


class _Watcher(QObject):
    """A child of the watching screen: Qt disconnects it when the screen is deleted."""

    def __init__(self, screen: QWidget, kinds: frozenset[str], refresh: Callable[[Changes], None]) -> None:
        super().__init__(screen)
        self._kinds = kinds
        self._refresh = refresh

    @Slot(object)
    def on_changed(self, changes: Changes) -> None:
        if changes.touches(self._kinds):
            self._refresh(changes)


def watch(screen: QWidget, kinds: Iterable[str], refresh: Callable[[Changes], None]) -> None:
    watcher = _Watcher(screen, frozenset(kinds), refresh)
    hub().changed.connect(watcher.on_changed)


def run_query(owner: QWidget, work: Callable[[], T], on_done: Callable[[T], None],
              on_error: Callable[[BaseException], None] | None = None) -> Task:
    """Read off the window's thread; no progress dialog (a read that someone waits on shows its own
    "Loading…" where the answer will appear)."""
    return _tasks_of(owner).run("", lambda _progress: work(), on_done, on_error, quiet=True)


def run_change(owner: QWidget, title: str, work: Callable[[], T], changes: Changes | Callable[[T], Changes],
               on_done: Callable[[T], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> Task:
    """Write off the window's thread (a progress dialog appears only if it takes over a second),
    then announce what changed, then `on_done(result)`."""

    def done(result: T) -> None:
        announce(changes(result) if callable(changes) else changes)
        if on_done is not None:
            on_done(result)

    return _tasks_of(owner).run(title, lambda _progress: work(), done, on_error, cancellable=False)


def _tasks_of(owner: QWidget) -> Tasks:
    tasks: Any = getattr(owner, "tasks", None)
    if not isinstance(tasks, Tasks):
        tasks = getattr(owner, "_operation_tasks", None)
        if tasks is None:
            tasks = Tasks(owner)
            owner._operation_tasks = tasks  # type: ignore[attr-defined]
    return tasks
