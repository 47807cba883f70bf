"""The clients list as a Qt model: counted, filtered, sorted and paged in SQL by the client service.

Changing a filter or the sort replaces the `ClientQuery` and re-counts; no Python code ever walks
the whole client table, so the list is as quick at 300,000 clients as at 30.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from kantor_cases.domain.records import ClientQuery, ClientRow
from kantor_cases.services.validation import display_phone
from kantor_cases.ui.widgets import privacy
from kantor_cases.ui.widgets.paged_table_model import Column, PagedTableModel

if TYPE_CHECKING:
    from kantor_cases.services.clients import ClientService

COLUMNS = (
    Column("Name", "name", 260, "Family names first, as the office files them"),
    Column("A-number", "a_number", 120),
    Column("Date of birth", "date_of_birth", 110),
    Column("Letters in", None, 80, "Preferred language for letters"),
    Column("Phone", None, 130),
    Column("Flags", None, 130, "Detained / sensitive"),
    Column("Next hearing", None, 140),
    Column("Client no.", "id", 80),
)
NAME, A_NUMBER, BIRTH, LANGUAGE, PHONE, FLAGS, HEARING, NUMBER = range(len(COLUMNS))
LANGUAGES = {"en": "English", "es": "Spanish"}
class ClientsTableModel(PagedTableModel):
    def __init__(self, clients: ClientService, parent: Any = None, query: ClientQuery | None = None) -> None:
        super().__init__(COLUMNS, parent)
        self._clients = clients
        self.query = query or ClientQuery()
        self.not_shown = 0  # restricted clients the count left out (services/restricted.py)
        self.refresh()

    def set_query(self, query: ClientQuery) -> None:
        if query != self.query:
            self.query = query
            self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        sort_key = self.columns[column].sort_key if 0 <= column < len(self.columns) else None
        if sort_key is None:
            return
        query = replace(self.query, sort=sort_key, descending=order == Qt.SortOrder.DescendingOrder)
        if query != self.query:  # the view sorts again whenever sorting is switched on
            self.set_query(query)

    def sort_column(self) -> int:
        for number, column in enumerate(self.columns):
            if column.sort_key == self.query.sort:
                return number
        return NAME

    def _count(self) -> int:
        # Restricted clients the user is not named on are left out; the count line says how many.
        self.not_shown = self._clients.count_not_shown(self.query)
        return self._clients.count(self.query)

    def _fetch(self, offset: int, limit: int, total: int) -> list[ClientRow]:
        return self._clients.page(self.query, offset, limit, total=total)

    def _display(self, record: ClientRow, column: int) -> str:
        if column == NAME:
            return privacy.client_text(record.name, record.sensitive)
        if column == A_NUMBER:
            return privacy.client_text(record.a_number, record.sensitive)
        if column == BIRTH:
            return _date(record.date_of_birth)
        if column == LANGUAGE:
            return LANGUAGES.get(record.preferred_language, record.preferred_language)
        if column == PHONE:
            return display_phone(record.phone)
        if column == FLAGS:
            return " · ".join(flag for flag, on in (("Detained", record.detained), ("Sensitive", record.sensitive))
                              if on)
        if column == HEARING:
            return _when(record.next_hearing)
        if column == NUMBER:
            return str(record.id)
        return ""

    def _decoration(self, record: ClientRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == FLAGS and record.detained:
            return QColor("#a33")
        if role == Qt.ItemDataRole.FontRole and column == NAME:
            font = QFont()
            font.setBold(record.detained)
            return font if record.detained else None
        if role == Qt.ItemDataRole.ToolTipRole and column == HEARING and record.next_hearing:
            return f"Next hearing {record.next_hearing:%A %d %B %Y at %H:%M}"
        return None


def _date(value: date | None) -> str:
    return f"{value:%d %b %Y}" if value else ""


def _when(value: datetime | None) -> str:
    return f"{value:%d %b %Y %H:%M}" if value else ""
