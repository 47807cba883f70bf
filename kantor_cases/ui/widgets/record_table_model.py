"""A table model over a short list of records a service returned (one client's matters, hearings,
the office's PD requests, users): each column is a title and a function of the record.

Only for lists a service already bounds; the big lists use `PagedTableModel`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class RecordColumn:
    title: str
    value: Callable[[Any], Any]
    width: int = 120
    # A value to sort by when the shown text would sort wrongly (dates shown as "03 Feb 2026").
    sort_value: Callable[[Any], Any] | None = None
    tooltip: Callable[[Any], str] | None = None


class RecordTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[RecordColumn], records: Sequence[Any] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._records: list[Any] = list(records)
        self.highlight: Callable[[Any], Any] | None = None  # record -> QColor for its text, or None
        self.highlight_columns: set[int] | None = None  # which columns take that colour (None: all)

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self._records = list(records)
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
        if not index.isValid():
            return None
        record = self.record(index.row())
        if record is None or index.column() >= len(self.columns):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(record)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.UserRole:
            return getattr(record, "id", None)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record) or None
        if (role == Qt.ItemDataRole.ForegroundRole and self.highlight is not None
                and (self.highlight_columns is None or index.column() in self.highlight_columns)):
            return self.highlight(record)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.columns)):
            return self.columns[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        key = self.columns[column].sort_value or self.columns[column].value

        def sort_key(record: Any) -> tuple[bool, Any]:
            value = key(record)
            return (value is None or value == "", value if isinstance(value, int | float) else value or "")

        self.layoutAboutToBeChanged.emit()
        try:
            self._records.sort(key=sort_key, reverse=order == Qt.SortOrder.DescendingOrder)
        except TypeError:
            self._records.sort(key=lambda r: str(key(r) or ""), reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()
