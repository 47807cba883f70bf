"""The dialog that moves a deadline's trigger date or overrides its date: a date, and (for an
override) the reason, asked together so neither is forgotten. Today and the Deadlines tabs use it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from kantor_cases.ui.widgets.date_field import from_qdate, to_qdate


class DateReasonDialog(QDialog):
    def __init__(self, title: str, prompt: str, value: date, ask_reason: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.date_edit = QDateEdit(to_qdate(value))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("Why the computed date is not the one to work to")
        form = QFormLayout(self)
        form.addRow(QLabel(prompt))
        form.addRow("&Date:", self.date_edit)
        if ask_reason:
            form.addRow("&Reason:", self.reason_edit)
        else:
            self.reason_edit.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[date, str]:
        return from_qdate(self.date_edit.date()), self.reason_edit.text().strip()


def ask_date(parent: QWidget, title: str, prompt: str, value: date, ask_reason: bool) -> tuple[date, str] | None:
    """The date (and reason) the person gave; None when they cancelled."""
    dialog = DateReasonDialog(title, prompt, value, ask_reason, parent)
    return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
