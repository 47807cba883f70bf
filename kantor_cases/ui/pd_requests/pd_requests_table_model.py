"""PD requests as a Qt model, longest in their status first, counted and paged by the matter service."""

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
    Column("Client", None, 220),
    Column("A-number", None, 110),
    Column("Action requested", None, 170),
    Column("Status", None, 190),
    Column("Age", None, 75, "Days since it was submitted (or started, while a draft)"),
    Column("Submitted", None, 100),
    Column("Next step", None, 320),
)


class PdRequestsTableModel(PagedTableModel):
    def __init__(self, pd_requests: PdRequestService, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._pd_requests = pd_requests
        self.status: str | None = None

    def set_status(self, status: str | None) -> None:
        """Show only requests in `status` (None: all), and count again."""
        self.status = status
        self.refresh()

    def _count(self) -> int:
        return self._pd_requests.count_pd_requests(self.status)

    def _fetch(self, offset: int, limit: int, total: int) -> list[PdRequestRow]:
        return self._pd_requests.pd_requests(status=self.status, offset=offset, limit=limit)

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
