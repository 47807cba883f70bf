"""The office's upcoming hearings as a Qt model, by court and date, counted and paged by the matter
service: a 90-day view of a big office is some 70,000 hearings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from kantor_cases.domain import statuses as st
from kantor_cases.domain.records import HearingDetails
from kantor_cases.ui.widgets import privacy
from kantor_cases.ui.widgets.paged_table_model import Column, PagedTableModel

if TYPE_CHECKING:
    from kantor_cases.services.hearings import HearingService

COLUMNS = (
    Column("Court", None, 60),
    Column("Date", None, 120),
    Column("Time", None, 55),
    Column("Client", None, 260),
    Column("Type", None, 170),
    Column("Judge", None, 140),
    Column("Room", None, 110),
    Column("Reminder letter", None, 110),
)
REMINDER = 7
NOT_SENT_COLOUR = QColor("#a33")


class HearingsTableModel(PagedTableModel):
    def __init__(self, hearings: HearingService, days: int, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._hearings = hearings
        self.days = days
        self.court_id: int | None = None

    def set_range(self, days: int, court_id: int | None) -> None:
        """The next `days` days at one court (None: all), counted again."""
        self.days, self.court_id = days, court_id
        self.refresh()

    def _count(self) -> int:
        return self._hearings.count_upcoming_hearings(self.days, court_id=self.court_id)

    def _fetch(self, offset: int, limit: int, total: int) -> list[HearingDetails]:
        return self._hearings.upcoming_hearings(self.days, court_id=self.court_id, offset=offset, limit=limit)

    def _display(self, record: HearingDetails, column: int) -> str:
        values = (
            record.court_code or "—",
            f"{record.starts_at:%a %d %b %Y}",
            f"{record.starts_at:%H:%M}",
            privacy.client_text(record.client_name, record.client_sensitive),
            st.HEARING_TYPES.get(record.hearing_type, record.hearing_type),
            record.judge,
            record.courtroom,
            "sent" if record.reminder_sent else "NOT SENT",
        )
        return values[column] if 0 <= column < len(values) else ""

    def _decoration(self, record: HearingDetails, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return record.court_name or None
        if role == Qt.ItemDataRole.ForegroundRole and column == REMINDER and not record.reminder_sent:
            return QBrush(NOT_SENT_COLOUR)
        return None
