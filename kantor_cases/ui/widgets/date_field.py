"""A date typed the way the office writes dates (M/D/YYYY or YYYY-MM-DD), empty allowed, or picked
on a calendar (the button at its end, or Alt+Down / F4).

QDateEdit cannot be empty, and most dates here (birth, NTA, filing) are often unknown at first.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QWidget

from kantor_cases.domain.validation import parse_date
from kantor_cases.ui.widgets.assets import icon


class DateField(QLineEdit):
    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("M/D/YYYY")
        self.setMaximumWidth(160)
        self.calendar_action = self.addAction(icon("calendar"), QLineEdit.ActionPosition.TrailingPosition)
        self.calendar_action.setToolTip("Pick the date on a calendar (Alt+Down)")
        self.calendar_action.triggered.connect(self.show_calendar)
        self.calendar: QCalendarWidget | None = None
        self.set_value(value)

    def set_value(self, value: date | None) -> None:
        self.setText(f"{value.month}/{value.day}/{value.year}" if value else "")

    def value(self) -> date | None:
        """The date, None when empty; ValueError (in plain words) when it is not a date."""
        text = self.text().strip()
        return parse_date(text) if text else None

    def show_calendar(self) -> QCalendarWidget:
        """The calendar pop-up, on the date typed (today's month when none is, or it is no date)."""
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        calendar.setGridVisible(True)
        try:
            typed = self.value()
        except ValueError:
            typed = None
        if typed is not None and QDate(typed.year, typed.month, typed.day).isValid():
            calendar.setSelectedDate(to_qdate(typed))
        calendar.clicked.connect(self._on_calendar_chosen)
        calendar.activated.connect(self._on_calendar_chosen)  # Enter on a day
        calendar.destroyed.connect(self._on_calendar_destroyed)
        calendar.adjustSize()
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.show()
        calendar.setFocus(Qt.FocusReason.PopupFocusReason)
        self.calendar = calendar
        return calendar

    def _on_calendar_chosen(self, day: QDate) -> None:
        self.set_value(from_qdate(day))
        # A pick is an edit like typing: forms that watch for changes see it.
        self.textEdited.emit(self.text())
        self.editingFinished.emit()
        if self.calendar is not None:
            self.calendar.close()
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def _on_calendar_destroyed(self) -> None:
        self.calendar = None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        opens = (event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier) or (
            event.key() == Qt.Key.Key_F4 and not event.modifiers())
        if opens:
            self.show_calendar()
            return
        super().keyPressEvent(event)


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
