"""My follow-ups (or one automatic rule's, for the whole office) as a Qt model at any count:
counted and read a page at a time by the follow-up service, earliest due first; overdue lines red,
today's bold (as on Today)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont

from kantor_cases.domain.agenda_records import FollowUpRecord
from kantor_cases.ui.widgets.agenda_table_model import FOLLOW_UP_COLUMNS, OVERDUE_COLOUR
from kantor_cases.ui.widgets.paged_table_model import Column, PagedTableModel

if TYPE_CHECKING:
    from kantor_cases.services.follow_ups import FollowUpService


class FollowUpsTableModel(PagedTableModel):
    def __init__(self, follow_ups: FollowUpService, user: Callable[[], str], parent: Any = None) -> None:
        super().__init__([Column(column.title, None, column.width) for column in FOLLOW_UP_COLUMNS], parent)
        self._follow_ups = follow_ups
        self._user = user
        # None: the user's own follow-ups; a rule id: that automatic rule's, whole office.
        self.rule_id: str | None = None
        self.today = follow_ups.clock.today()

    def refresh_for(self, today: date) -> None:
        self.today = today
        self.refresh()

    def _count(self) -> int:
        if self.rule_id is not None:
            return self._follow_ups.count_open(rule_id=self.rule_id)
        return self._follow_ups.count_open_for(self._user())

    def _fetch(self, offset: int, limit: int, total: int) -> list[FollowUpRecord]:
        if self.rule_id is not None:
            return self._follow_ups.page_open(None, None, self.rule_id, offset, limit)
        return self._follow_ups.page_open_for(self._user(), offset, limit)

    def _display(self, record: FollowUpRecord, column: int) -> str:
        value = FOLLOW_UP_COLUMNS[column].value(record)
        return "" if value is None else str(value)

    def _decoration(self, record: FollowUpRecord, column: int, role: int) -> Any:
        tooltip = FOLLOW_UP_COLUMNS[column].tooltip
        if role == Qt.ItemDataRole.ToolTipRole and tooltip is not None:
            return tooltip(record) or None
        if role == Qt.ItemDataRole.ForegroundRole and record.due < self.today:
            return QBrush(OVERDUE_COLOUR)
        if role == Qt.ItemDataRole.FontRole and record.due == self.today:
            font = QFont()
            font.setBold(True)
            return font
        return None
