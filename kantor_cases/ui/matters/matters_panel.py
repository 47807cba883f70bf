"""The Matters screen: every matter in the office, newest first, by kind and our status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain import statuses as st
from kantor_cases.domain.changes import CLIENTS, MATTERS
from kantor_cases.ui.matters.matters_table_model import COLUMNS, MattersTableModel
from kantor_cases.ui.widgets.operations import watch
from kantor_cases.ui.widgets.preferences import table_header

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

MATTERS_HEADER = table_header("matters")


class MattersPanel(QWidget):
    open_client_requested = Signal(int)
    open_matter_requested = Signal(int)

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.model = MattersTableModel(office.matters, self)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("All kinds", None)
        for kind in st.MatterKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.status_combo = QComboBox()
        self.status_combo.addItem("Any status", None)
        for status in st.FirmStatus:
            self.status_combo.addItem(status.label, status.value)
        self.kind_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.status_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for number, column in enumerate(COLUMNS):
            self.table.setColumnWidth(number, column.width)
        MATTERS_HEADER.restore_state(header)
        header.sectionResized.connect(self._on_header_resized)
        self.table.activated.connect(self._on_table_activated)
        self.count_label = QLabel()
        self.empty = QLabel("No matters yet.\n\nA client's first matter is opened in the intake wizard "
                            "(Ctrl+N); later ones from the client's Matters tab.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        top = QHBoxLayout()
        top.addWidget(QLabel("<h2>Matters</h2>"))
        top.addStretch(1)
        top.addWidget(self.kind_combo)
        top.addWidget(self.status_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.count_label)
        self.model.modelReset.connect(self._update_count)
        self._update_count()
        watch(self, (MATTERS, CLIENTS), lambda _changes: self.refresh())

    def refresh(self) -> None:
        self.model.refresh()

    def _update_count(self) -> None:
        total = self.model.total
        self.count_label.setText(f"{total:,} matter{'s' if total != 1 else ''}")
        filtered = self.kind_combo.currentData() or self.status_combo.currentData()
        self.stack.setCurrentWidget(self.table if total or filtered else self.empty)

    def _on_filter_changed(self, _index: int) -> None:
        self.model.set_filter(self.kind_combo.currentData(), self.status_combo.currentData())

    def _on_header_resized(self, *_args: object) -> None:
        MATTERS_HEADER.save_state(self.table.horizontalHeader())

    def _on_table_activated(self, index: QModelIndex) -> None:
        matter_id = index.data(Qt.ItemDataRole.UserRole)
        if matter_id:
            self.open_matter_requested.emit(int(matter_id))
