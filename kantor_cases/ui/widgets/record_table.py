"""A read-only table of records with the office's defaults: whole-row selection, sortable,
Enter or double click to open, column widths remembered under a name (see preferences.table_header).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from kantor_cases.ui.widgets.paged_table_model import PagedTableModel
from kantor_cases.ui.widgets.preferences import table_header
from kantor_cases.ui.widgets.record_table_model import RecordTableModel


class RecordTable(QTableView):
    def __init__(self, model: RecordTableModel | PagedTableModel, settings_key: str = "", parent: QWidget | None = None,
                 sortable: bool = True) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._header_layout = table_header(settings_key) if settings_key else None
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
        for number, column in enumerate(model.columns):
            self.setColumnWidth(number, column.width)
        if sortable:
            self.setSortingEnabled(True)
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        if self._header_layout is not None:
            self._header_layout.restore_state(header)
            header.sectionResized.connect(self._on_header_resized)

    def _on_header_resized(self, *_args: object) -> None:
        if self._header_layout is not None:
            self._header_layout.save_state(self.horizontalHeader())

    def current_record(self):  # type: ignore[no-untyped-def]
        index = self.currentIndex()
        model = self.model()
        return model.record(index.row()) if index.isValid() and isinstance(model, RecordTableModel | PagedTableModel) else None
