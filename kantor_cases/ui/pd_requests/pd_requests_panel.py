"""The PD requests screen: every prosecutorial-discretion request with its status, age and next
step, and the counts by status on top — the office's answer to "how many actually got closed?".
A count is a tile: a click (or Enter) shows only the requests in that status, another click all of
them again. A column header sorts the list (in SQL, like every big list).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain import statuses as st
from kantor_cases.domain.changes import MATTERS, PD_REQUESTS
from kantor_cases.ui.pd_requests.pd_requests_table_model import PdRequestsTableModel
from kantor_cases.ui.widgets.layouts import WrappingRow, clear_layout
from kantor_cases.ui.widgets.operations import watch
from kantor_cases.ui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from kantor_cases.services.office import Office


class StatusTile(QLabel):
    """A status's count that filters the list to that status when clicked or activated by key."""

    clicked = Signal()

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.set_chosen(False)

    def set_chosen(self, chosen: bool) -> None:
        self.setStyleSheet("padding:4px 8px; border-radius:4px; "
                           + ("background:#dce8f7; border:1px solid #5b8cc9;" if chosen else "border:1px solid transparent;"))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class PdRequestsPanel(QWidget):
    open_client_requested = Signal(int)
    open_matter_requested = Signal(int)

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.counts_grid = WrappingRow()  # as many tiles to a line as the window has room for
        self.counts_grid.setSpacing(18)
        self.reminder = QLabel("Hearings continue while PD is pending: a pending request never replaces preparing "
                               "for court or the hearing reminders.")
        self.reminder.setWordWrap(True)
        self.reminder.setStyleSheet("background:#fff4d6; color:#5c4100; border:1px solid #e0c36a; padding:6px;")
        self.status_combo = QComboBox()
        self.status_combo.addItem("All statuses", None)
        for key, label in st.PD_STATUS_LABELS.items():
            self.status_combo.addItem(label, key)
        self.status_combo.currentIndexChanged.connect(self._on_status_combo_changed)
        self.model = PdRequestsTableModel(office.pd_requests, self)
        # Paged in SQL: an office of 300,000 clients has tens of thousands of requests.
        self.table = RecordTable(self.model, "pd_requests")
        self.table.activated.connect(self._on_table_activated)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        top = QHBoxLayout()
        top.addWidget(QLabel("<h2>PD requests</h2>"))
        top.addStretch(1)
        top.addWidget(QLabel("Show"))
        top.addWidget(self.status_combo)
        self.total_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.counts_grid)
        layout.addWidget(self.total_label)
        layout.addWidget(self.reminder)
        layout.addWidget(self.stack, 1)
        self.count_labels: dict[str, StatusTile] = {}
        watch(self, (PD_REQUESTS, MATTERS), lambda _changes: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        counts = self.office.pd_requests.pd_status_counts()
        clear_layout(self.counts_grid)
        self.count_labels = {}
        shown = [(status, n) for status, n in counts.items() if n]
        chosen = self.status_combo.currentData()
        for status, number in shown:
            label = StatusTile(f"<span style='font-size:15pt'><b>{number:,}</b></span><br>{st.PD_STATUS_LABELS[status]}")
            label.setToolTip(f"{st.PD_NEXT_STEP.get(status, '')}\nClick to show only these; again to show all.".strip())
            label.set_chosen(status == chosen)
            label.clicked.connect(lambda status=status: self.show_status(None if status == self.status_combo.currentData()
                                                                         else status))
            self.counts_grid.addWidget(label)
            self.count_labels[status] = label
        total = sum(counts.values())
        closed = counts.get("granted", 0)
        open_count = sum(n for s, n in counts.items() if s in st.PD_OPEN_STATUSES)
        if total:
            self.total_label.setText(f"{total:,} requests: {open_count:,} still open, {closed:,} granted by the judge "
                                     f"({closed / total:.1%}).")
        else:
            self.total_label.setText("")
        self.model.set_status(self.status_combo.currentData())
        self.reminder.setVisible(open_count > 0)
        if self.model.total:
            self.stack.setCurrentWidget(self.table)
        else:
            self.empty.setText("No PD requests yet.\n\nA request is started on a client's removal defense matter "
                               "(open the matter, then PD requests, then New PD request)."
                               if not total else "No request has this status.")
            self.stack.setCurrentWidget(self.empty)

    def show_status(self, status: str | None) -> None:
        """Only the requests in `status` (None: all), as if chosen under Show."""
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(status)))

    def _on_status_combo_changed(self, _index: int) -> None:
        self.refresh()

    def _on_table_activated(self, index: QModelIndex) -> None:
        row = self.model.record(index.row())
        if row is not None:
            self.open_matter_requested.emit(row.matter_id)
