"""A read-only table of records with the office's defaults: whole-row selection, sortable,
Enter or double click to open, column widths remembered under a name (see preferences.table_header).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from kantor_cases.ui.widgets.agenda_table_model import ItemTableModel
from kantor_cases.ui.widgets.paged_table_model import PagedTableModel
from kantor_cases.ui.widgets.preferences import table_header
from kantor_cases.ui.widgets.record_table_model import RecordTableModel

# The models a record table shows: each has `columns` with a width and a `record(row)`.
TableModel = RecordTableModel | PagedTableModel | ItemTableModel


class _SizedColumn(Protocol):
    @property
    def width(self) -> int: ...


class RecordTable(QTableView):
    def __init__(self, model: TableModel, settings_key: str = "", parent: QWidget | None = None,
                 sortable: bool = True) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._header_layout = table_header(settings_key) if settings_key else None
        self._listening = False
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns: Sequence[_SizedColumn] = model.columns
        for number, column in enumerate(columns):
            self.setColumnWidth(number, column.width)
        if sortable:
            self.setSortingEnabled(True)
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        if self._header_layout is not None:
            self._header_layout.restore_state(header)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        # Widths set while the table is built (and by the layout fitting it) are not the person's:
        # saving them wrote the settings file during start-up (60 ms, more on a busy disk).
        if self._header_layout is not None and not self._listening:
            self._listening = True
            self.horizontalHeader().sectionResized.connect(self._on_header_resized)

    def _on_header_resized(self, *_args: object) -> None:
        if self._header_layout is not None:
            self._header_layout.save_state(self.horizontalHeader())

    def current_record(self) -> Any:
        index = self.currentIndex()
        model = self.model()
        return model.record(index.row()) if index.isValid() and isinstance(model, TableModel) else None
