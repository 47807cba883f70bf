"""The PD requests screen: every prosecutorial-discretion request with its status, age and next
step, and the counts by status on top — the office's answer to "how many actually got closed?".
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain import statuses as st

from .record_table import RecordTable
from .record_table_model import RecordColumn, RecordTableModel

LIST_LIMIT = 2000


class PdRequestsPanel(QWidget):
    open_client_requested = Signal(int)
    open_matter_requested = Signal(int)

    def __init__(self, office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.counts_grid = QGridLayout()
        self.counts_grid.setHorizontalSpacing(18)
        self.reminder = QLabel("Hearings continue while PD is pending: a pending request never replaces preparing "
                               "for court or the hearing reminders.")
        self.reminder.setWordWrap(True)
        self.reminder.setStyleSheet("background:#fff4d6; color:#5c4100; border:1px solid #e0c36a; padding:6px;")
        self.status_combo = QComboBox()
        self.status_combo.addItem("All statuses", None)
        for key, label in st.PD_STATUS_LABELS.items():
            self.status_combo.addItem(label, key)
        self.status_combo.currentIndexChanged.connect(self._on_status_combo_changed)
        self.model = RecordTableModel([
            RecordColumn("Client", lambda r: r.client_name, 220, tooltip=lambda r: r.client_name),
            RecordColumn("A-number", lambda r: r.a_number, 110),
            RecordColumn("Action requested", lambda r: st.PD_ACTIONS.get(r.action_requested, r.action_requested), 170),
            RecordColumn("Status", lambda r: r.status_label, 190),
            RecordColumn("Age", lambda r: f"{r.age_days} days", 75, sort_value=lambda r: r.age_days),
            RecordColumn("Submitted", lambda r: f"{r.submitted_on:%d %b %Y}" if r.submitted_on else "not yet", 100,
                         sort_value=lambda r: r.submitted_on),
            RecordColumn("Next step", lambda r: r.next_step, 320, tooltip=lambda r: r.next_step),
        ], parent=self)
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
        self.count_labels: dict[str, QLabel] = {}
        self.refresh()

    def refresh(self) -> None:
        counts = self.office.matters.pd_status_counts()
        while self.counts_grid.count():
            item = self.counts_grid.takeAt(0)
            if item.widget() is not None:
                # Hidden now: deleteLater waits for the event loop, and a shown orphan would float.
                item.widget().hide()
                item.widget().deleteLater()
        self.count_labels = {}
        shown = [(status, n) for status, n in counts.items() if n]
        for position, (status, number) in enumerate(shown):
            label = QLabel(f"<span style='font-size:15pt'><b>{number:,}</b></span><br>{st.PD_STATUS_LABELS[status]}")
            label.setToolTip(st.PD_NEXT_STEP.get(status, ""))
            self.counts_grid.addWidget(label, position // 6, position % 6)
            self.count_labels[status] = label
        total = sum(counts.values())
        closed = counts.get("granted", 0)
        open_count = sum(n for s, n in counts.items() if s in st.PD_OPEN_STATUSES)
        if total:
            self.total_label.setText(f"{total:,} requests: {open_count:,} still open, {closed:,} granted by the judge "
                                     f"({closed / total:.1%}).")
        else:
            self.total_label.setText("")
        status = self.status_combo.currentData()
        rows = self.office.matters.pd_requests(status=status, limit=LIST_LIMIT)
        self.model.set_records(rows)
        if len(rows) >= LIST_LIMIT:
            matching = self.office.matters.count_pd_requests(status)
            self.total_label.setText(self.total_label.text() + f" Listing the {LIST_LIMIT:,} longest in their status "
                                     f"of {matching:,}; choose a status to see the others.")
        self.reminder.setVisible(open_count > 0)
        if rows:
            self.stack.setCurrentWidget(self.table)
        else:
            self.empty.setText("No PD requests yet.\n\nA request is started on a client's removal defense matter "
                               "(open the matter, then PD requests, then New PD request)."
                               if not total else "No request has this status.")
            self.stack.setCurrentWidget(self.empty)

    def _on_status_combo_changed(self, _index: int) -> None:
        self.refresh()

    def _on_table_activated(self, index) -> None:  # type: ignore[no-untyped-def]
        row = self.model.record(index.row())
        if row is not None:
            self.open_matter_requested.emit(row.matter_id)
