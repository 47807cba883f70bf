"""The office's matters as a Qt model, newest first, counted and paged by the matter service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kantor_cases.domain import statuses as st
from kantor_cases.domain.records import MatterRow
from kantor_cases.ui.widgets import privacy
from kantor_cases.ui.widgets.paged_table_model import Column, PagedTableModel

if TYPE_CHECKING:
    from kantor_cases.services.matters import MatterService

COLUMNS = (
    Column("Client", None, 220),
    Column("Matter", None, 240),
    Column("Kind", None, 150),
    Column("Our status", None, 90),
    Column("Court / agency status", None, 220),
    Column("Attorney", None, 110),
    Column("Opened", None, 100),
)


class MattersTableModel(PagedTableModel):
    def __init__(self, matters: MatterService, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._matters = matters
        self.kind: str | None = None
        self.firm_status: str | None = None
        self.refresh()

    def set_filter(self, kind: str | None, firm_status: str | None) -> None:
        if (kind, firm_status) != (self.kind, self.firm_status):
            self.kind, self.firm_status = kind, firm_status
            self.refresh()

    def _count(self) -> int:
        return self._matters.count(kind=self.kind, firm_status=self.firm_status)

    def _fetch(self, offset: int, limit: int, total: int) -> list[MatterRow]:
        return self._matters.page(offset, limit, kind=self.kind, firm_status=self.firm_status)

    def _display(self, record: MatterRow, column: int) -> str:
        if column == 0:
            return privacy.client_text(record.client_name, record.sensitive)
        if column == 1:
            return record.title
        if column == 2:
            return st.MatterKind(record.kind).label
        if column == 3:
            return st.FirmStatus(record.firm_status).label
        if column == 4:
            return st.government_status_label(record.kind, record.government_status)
        if column == 5:
            return record.responsible_attorney
        if column == 6:
            return f"{record.opened_on:%d %b %Y}"
        return ""

    def client_id(self, row: int) -> int | None:
        record = self.record(row)
        return record.client_id if record else None
