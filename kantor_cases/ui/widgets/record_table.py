"""A read-only table of records with the office's defaults: whole-row selection, sortable,
Enter or double click to open, column widths remembered under a name in QSettings.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from kantor_cases.ui.widgets.paged_table_model import PagedTableModel
from kantor_cases.ui.widgets.record_table_model import RecordTableModel


class RecordTable(QTableView):
    def __init__(self, model: RecordTableModel | PagedTableModel, settings_key: str = "", parent: QWidget | None = None,
                 sortable: bool = True) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._settings_key = settings_key
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
        if settings_key:
            state = QSettings().value(f"{settings_key}/header")
            if state is not None:
                header.restoreState(state)
            header.sectionResized.connect(self._on_header_resized)

    def _on_header_resized(self, *_args: object) -> None:
        QSettings().setValue(f"{self._settings_key}/header", self.horizontalHeader().saveState())

    def current_record(self):  # type: ignore[no-untyped-def]
        index = self.currentIndex()
        model = self.model()
        return model.record(index.row()) if index.isValid() and isinstance(model, RecordTableModel | PagedTableModel) else None
