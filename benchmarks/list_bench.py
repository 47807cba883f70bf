"""The clients list, offscreen: opening the Clients screen to its first painted screen, and Ctrl+End
to the last client painted, beside the SQL statements behind each replayed on a bare connection.

Qt is imported here only (the benchmark sets QT_QPA_PLATFORM=offscreen before it is imported).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kantor_cases.services.office import Office

from .app_child import quiet_offscreen_warnings
from .measure import captured_sql, median, replay

REPEATS = 5


@dataclass(frozen=True)
class ListFigures:
    open_ms: float
    end_ms: float
    raw_open_ms: float
    raw_end_ms: float
    first_open_ms: float  # the very first open of the run (imports and caches cold)
    rows: int
    statements_open: int
    statements_end: int


def measure_list(office: Office, raw_connect: Callable[[], Any]) -> ListFigures:
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kantor_cases.ui.clients.clients_panel import ClientsPanel

    app = QApplication.instance() or QApplication([])
    quiet_offscreen_warnings()

    class Painted(QObject):
        seen = False

        def eventFilter(self, _watched: Any, event: Any) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                self.seen = True
            return False

    def until_painted(watcher: Painted) -> None:
        watcher.seen = False
        deadline = time.perf_counter() + 10
        while not watcher.seen and time.perf_counter() < deadline:
            app.processEvents()
        app.processEvents()  # the rest of this paint pass

    opens, ends = [], []
    captured_open = captured_end = None
    rows = 0
    for _ in range(REPEATS + 1):
        watcher = Painted()
        with captured_sql(office.database.engine) as sql_open:
            started = time.perf_counter()
            panel = ClientsPanel(office)
            panel.table.viewport().installEventFilter(watcher)
            panel.resize(1100, 700)
            panel.show()
            until_painted(watcher)
            opened = (time.perf_counter() - started) * 1000
        view = panel.table
        view.setFocus()
        view.setCurrentIndex(view.model().index(0, 0))
        app.processEvents()
        with captured_sql(office.database.engine) as sql_end:
            started = time.perf_counter()
            QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
            until_painted(watcher)
            ended = (time.perf_counter() - started) * 1000
        rows = panel.model.rowCount()
        last = view.rowAt(view.viewport().height() - 2)
        if last != rows - 1 or not panel.model.index(rows - 1, 0).data():
            raise RuntimeError(f"Ctrl+End did not show the last client (row {last} of {rows})")
        opens.append(opened)
        ends.append(ended)
        captured_open, captured_end = sql_open, sql_end
        panel.close()
        panel.deleteLater()
        app.processEvents()
    assert captured_open is not None and captured_end is not None
    raw = raw_connect()
    try:
        raw_opens, raw_ends = [], []
        for _ in range(REPEATS):
            started = time.perf_counter()
            replay(raw, captured_open.queries())
            raw_opens.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            replay(raw, captured_end.queries())
            raw_ends.append((time.perf_counter() - started) * 1000)
    finally:
        raw.close()
    return ListFigures(median(opens[1:]), median(ends[1:]), median(raw_opens), median(raw_ends), opens[0], rows,
                       len(captured_open.queries()), len(captured_end.queries()))
