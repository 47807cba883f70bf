"""The clients list on a 300,000-client office: it opens and jumps to the end without loading all rows."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kantor_cases.domain.records import ClientQuery
from kantor_cases.ui.clients.clients_panel import ClientsPanel
from kantor_cases.ui.clients.clients_table_model import ClientsTableModel

LARGE_CLIENTS = 300_000  # what tests/ui/conftest.py builds


def test_model_counts_300k_and_reads_only_the_pages_asked_for(large_office):
    started = time.perf_counter()
    model = ClientsTableModel(large_office.clients)
    first_screen = [model.index(row, 0).data() for row in range(40)]
    opened = time.perf_counter() - started

    assert model.rowCount() == LARGE_CLIENTS
    assert all(first_screen), "the first screen has empty names"
    assert first_screen == sorted(first_screen), "the list is not in name order"

    started = time.perf_counter()
    last = model.index(LARGE_CLIENTS - 1, 0).data()
    last_number = int(model.index(LARGE_CLIENTS - 1, 7).data())
    jumped = time.perf_counter() - started
    assert last and last_number > 0
    assert last >= first_screen[-1], "the last row is not the end of the name order"

    assert model.pages_fetched <= 3, f"read {model.pages_fetched} pages for two screens"
    assert model.cached_rows() <= 3 * model.PAGE_SIZE
    print(f"\n300k clients: first screen {opened * 1000:.0f} ms, last row {jumped * 1000:.0f} ms")


def test_filters_and_sort_are_queries_not_loops(large_office):
    model = ClientsTableModel(large_office.clients)
    model.set_query(ClientQuery(detained=True))
    assert model.rowCount() == LARGE_CLIENTS // 50
    assert model.index(0, 5).data().startswith("Detained")
    model.sort(7, Qt.SortOrder.DescendingOrder)
    assert int(model.index(0, 7).data()) > int(model.index(1, 7).data())
    assert model.cached_rows() <= model.PAGE_SIZE


def test_panel_shows_the_first_screen_and_ctrl_end_jumps_to_the_end(qtbot, large_office):
    started = time.perf_counter()
    panel = ClientsPanel(large_office)
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    panel.show()
    qtbot.waitExposed(panel)
    shown = time.perf_counter() - started
    view = panel.table
    assert f"{LARGE_CLIENTS:,}" in panel.count_label.text()
    assert view.indexAt(view.viewport().rect().topLeft()).row() == 0

    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    started = time.perf_counter()
    QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(10)
    jumped = time.perf_counter() - started
    assert view.currentIndex().row() == LARGE_CLIENTS - 1
    assert view.rowAt(view.viewport().height() - 2) == LARGE_CLIENTS - 1, "the last client is not on screen"
    assert view.model().index(LARGE_CLIENTS - 1, 0).data(), "the last row is blank"

    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
    qtbot.wait(10)
    model = panel.model
    assert model.pages_fetched <= 6, f"read {model.pages_fetched} pages for three screens"
    print(f"\n300k clients panel: shown {shown * 1000:.0f} ms, Ctrl+End {jumped * 1000:.0f} ms")
