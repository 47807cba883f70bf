"""A date typed the way the office writes dates (M/D/YYYY or YYYY-MM-DD), empty allowed.

QDateEdit cannot be empty, and most dates here (birth, NTA, filing) are often unknown at first.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QLineEdit, QWidget

from kantor_cases.domain.validation import parse_date


class DateField(QLineEdit):
    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("M/D/YYYY")
        self.setMaximumWidth(140)
        self.set_value(value)

    def set_value(self, value: date | None) -> None:
        self.setText(f"{value.month}/{value.day}/{value.year}" if value else "")

    def value(self) -> date | None:
        """The date, None when empty; ValueError (in plain words) when it is not a date."""
        text = self.text().strip()
        return parse_date(text) if text else None


def parse_time(text: str) -> tuple[int, int]:
    """'9:30', '09:30', '2:15 pm', '14:15' -> (hour, minute); ValueError in plain words."""
    cleaned = text.strip().lower().replace(".", "")
    for pattern in ("%H:%M", "%I:%M %p", "%I:%M%p", "%I %p", "%I%p"):
        try:
            parsed = datetime.strptime(cleaned, pattern)
        except ValueError:
            continue
        return parsed.hour, parsed.minute
    raise ValueError(f"“{text}” is not a time; write it like 9:30 or 2:15 pm.")


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())
