"""The base of the office's big lists: a table model that counts in SQL and reads pages on demand.

`rowCount` is one `count(*)`; `data()` reads from a small cache of pages, each filled by one
service call for ~200 rows. The view only ever asks for the rows on screen, so a 300,000-row list
costs a count and a page or two, wherever the user scrolls. Subclasses say what a page is.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str
    sort_key: str | None = None  # the service's sort name; None: not sortable
    width: int = 120
    tooltip: str = ""


class PagedTableModel(QAbstractTableModel):
    PAGE_SIZE = 200
    # Pages kept in memory; older ones are dropped (an LRU), so memory stays flat at any scale.
    MAX_PAGES = 16

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._total = 0
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()
        # How many page reads this model made: the scale test proves the list never loads it all.
        self.pages_fetched = 0

    # --- what subclasses provide ---------------------------------------------------------------------

    def _count(self) -> int:
        raise NotImplementedError

    def _fetch(self, offset: int, limit: int, total: int) -> list[Any]:
        raise NotImplementedError

    def _display(self, record: Any, column: int) -> str:
        raise NotImplementedError

    def _decoration(self, record: Any, column: int, role: int) -> Any:
        return None

    # --- reading ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Count again and forget every cached page (after a filter, sort or data change)."""
        self.beginResetModel()
        self._pages.clear()
        self._total = self._count()
        self.endResetModel()

    def show_first_page(self, total: int, first_page: list[Any]) -> None:
        """The count and first page read off the window's thread (run_query); later pages are read
        as the list is scrolled to them."""
        self.beginResetModel()
        self._pages.clear()
        self._total = total
        if first_page:
            self._pages[0] = first_page
            self.pages_fetched += 1
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    def record(self, row: int) -> Any | None:
        if not 0 <= row < self._total:
            return None
        number = row // self.PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            offset = number * self.PAGE_SIZE
            page = self._fetch(offset, min(self.PAGE_SIZE, self._total - offset), self._total)
            self.pages_fetched += 1
            self._pages[number] = page
            while len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        position = row - number * self.PAGE_SIZE
        # The data may have shrunk since the count (someone deleted a client): show a blank row.
        return page[position] if position < len(page) else None

    def records(self) -> list[Any]:
        """Every row (reads every page: for short lists and tests)."""
        return [record for row in range(self._total) if (record := self.record(row)) is not None]

    def cached_rows(self) -> int:
        return sum(len(page) for page in self._pages.values())

    # --- QAbstractTableModel ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt signature
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt signature
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(self.columns):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.UserRole,
                        Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole):
            return None
        record = self.record(index.row())
        if record is None:
            return None
        if role == Qt.ItemDataRole.UserRole:
            return getattr(record, "id", None)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, index.column())
        return self._decoration(record, index.column(), role)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip or None
        return None
