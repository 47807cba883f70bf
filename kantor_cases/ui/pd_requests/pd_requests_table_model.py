"""PD requests as a Qt model, counted, sorted and paged in SQL by the PD request service (at first
longest in their status first; a click on a column header sorts by it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from kantor_cases.domain import statuses as st
from kantor_cases.domain.records import PdRequestRow
from kantor_cases.ui.widgets import privacy
from kantor_cases.ui.widgets.paged_table_model import Column, PagedTableModel

if TYPE_CHECKING:
    from kantor_cases.services.pd_requests import PdRequestService

COLUMNS = (
    Column("Client", "client", 220),
    Column("A-number", "a_number", 110),
    Column("Action requested", "action", 170),
    Column("Status", "status", 190),
    Column("Age", "age", 75, "Days since it was submitted (or started, while a draft)"),
    Column("Submitted", "submitted", 100),
    Column("Next step", None, 320),
)


class PdRequestsTableModel(PagedTableModel):
    def __init__(self, pd_requests: PdRequestService, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._pd_requests = pd_requests
        self.status: str | None = None
        self.sort_key: str | None = None  # None: longest in their status first
        self.descending = False

    def set_status(self, status: str | None) -> None:
        """Show only requests in `status` (None: all), and count again."""
        self.status = status
        self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort_key if 0 <= column < len(self.columns) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.sort_key, self.descending):  # the view sorts again when sorting is switched on
            self.sort_key, self.descending = key, descending
            self.refresh()

    def _count(self) -> int:
        return self._pd_requests.count_pd_requests(self.status)

    def _fetch(self, offset: int, limit: int, total: int) -> list[PdRequestRow]:
        return self._pd_requests.pd_requests(status=self.status, offset=offset, limit=limit, sort=self.sort_key,
                                             descending=self.descending)

    def _display(self, record: PdRequestRow, column: int) -> str:
        if column == 0:
            return privacy.client_text(record.client_name, record.sensitive)
        if column == 1:
            return privacy.client_text(record.a_number, record.sensitive)
        if column == 2:
            return st.PD_ACTIONS.get(record.action_requested, record.action_requested)
        if column == 3:
            return record.status_label
        if column == 4:
            return f"{record.age_days} days"
        if column == 5:
            return f"{record.submitted_on:%d %b %Y}" if record.submitted_on else "not yet"
        if column == 6:
            return record.next_step
        return ""

    def _decoration(self, record: PdRequestRow, column: int, role: int) -> Any:
        # The client's name and the next step are often wider than their columns.
        if role == Qt.ItemDataRole.ToolTipRole and column == 6:
            return self._display(record, column)
        return None
