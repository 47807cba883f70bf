"""Table models for Today, the follow-up list and the calendar's day list: a short list of records.

The agenda and follow-up services already bound these lists (a LIMIT per kind), so the model holds
them whole; each column is a title and a function of the record. Overdue lines are shown in red.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from kantor_cases.domain.agenda_records import DEADLINE, OVERDUE, TODAY, AgendaItem, FollowUpRecord
from kantor_cases.ui.widgets import privacy

Index = QModelIndex | QPersistentModelIndex
RecordRole = Qt.ItemDataRole.UserRole + 1  # the whole record behind a row

OVERDUE_COLOUR = QColor(176, 0, 32)


def day_text(day: date | None) -> str:
    return f"{day:%a %d %b %Y}" if day else ""


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    width: int = 110
    tooltip: Callable[[Any], str] | None = None


def _when(item: AgendaItem) -> str:
    if item.starts_at is not None:
        return f"{item.starts_at:%a %d %b %Y  %H:%M}"
    return day_text(item.due)


def _item_tooltip(item: AgendaItem) -> str:
    parts = [item.title]
    if item.citation:
        parts.append(f"Rule: {item.citation}")
    if item.location:
        parts.append(item.location)
    if item.detail:
        parts.append(item.detail)
    return "\n".join(parts)


# Widths fit a 1,280-pixel screen without a horizontal scrollbar; the last column stretches.
AGENDA_COLUMNS = (
    Column("", lambda i: i.section_label, 70),
    Column("When", _when, 130),
    Column("Kind", lambda i: i.kind_label, 75),
    Column("What", lambda i: i.title, 260, _item_tooltip),
    Column("Client", lambda i: privacy.client_text(i.client_name, i.sensitive), 170),
    Column("Matter", lambda i: i.matter_id or "", 55),
    Column("Assigned to", lambda i: i.assignee, 110),
    Column("Rule", lambda i: i.citation if i.kind == DEADLINE else i.detail, 150, _item_tooltip),
)

CALENDAR_COLUMNS = (
    Column("When", _when, 170),
    Column("Kind", lambda i: i.kind_label, 80),
    Column("What", lambda i: i.title, 300, _item_tooltip),
    Column("Client", lambda i: privacy.client_text(i.client_name, i.sensitive), 180),
    Column("Assigned to", lambda i: i.assignee, 120),
    Column("Rule / place", lambda i: i.citation or i.location, 220, _item_tooltip),
)


def _follow_up_state(record: FollowUpRecord) -> str:
    parts = []
    if record.snoozed_until:
        parts.append(f"snoozed until {record.snoozed_until:%d %b}")
    if record.escalated_to:
        parts.append(f"escalated to {record.escalated_to}")
    if record.recurrence_days:
        parts.append(f"every {record.recurrence_days} days")
    if record.automatic:
        parts.append("automatic")
    return ", ".join(parts)


FOLLOW_UP_COLUMNS = (
    Column("Due", lambda r: day_text(r.due), 120),
    Column("What", lambda r: r.note.splitlines()[0] if r.note else "", 320, lambda r: r.note),
    Column("Client", lambda r: privacy.client_text(r.client_name, r.sensitive), 180),
    Column("Matter", lambda r: r.matter_id or "", 60),
    Column("Assigned to", lambda r: r.assignee, 120),
    Column("", _follow_up_state, 200),
)


class ItemTableModel(QAbstractTableModel):
    """Rows are records; `today` decides which lines are overdue (red) or due today (bold)."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._records: list[Any] = []
        self.today: date | None = None

    def set_records(self, records: Sequence[Any], today: date | None = None) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.today = today
        self.endResetModel()

    def records(self) -> list[Any]:
        return list(self._records)

    def record(self, row: int) -> Any | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt signature
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt signature
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(self.columns):
            return None
        record = self.record(index.row())
        if record is None:
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(record)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record) or None
        if role == RecordRole:
            return record
        if role == Qt.ItemDataRole.ForegroundRole and self._section(record) == OVERDUE:
            return QBrush(OVERDUE_COLOUR)
        if role == Qt.ItemDataRole.FontRole and self._section(record) == TODAY:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.columns)):
            return self.columns[section].title
        return None

    def _section(self, record: Any) -> str | None:
        if isinstance(record, AgendaItem):
            return None if record.done else record.section
        due = getattr(record, "due", None)
        if due is None or self.today is None or not getattr(record, "is_open", True):
            return None
        return OVERDUE if due < self.today else TODAY if due == self.today else None
