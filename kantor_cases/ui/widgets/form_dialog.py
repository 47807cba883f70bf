"""What every form dialog does the same way: the cursor starts in the first field (typing at once
loses nothing), Esc or Cancel on a form with changes asks before throwing them away (and without
changes just closes), and the dialog is never taller or wider than the screen it opens on.

A dialog derives from `FormDialog` instead of QDialog and puts its form in a `FormScroll`
(`ui/widgets/scrolling.py`) so a small screen scrolls the form rather than cutting it off. What
counts as a change is worked out from the fields themselves: the values when the dialog was shown
against the values now.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from kantor_cases.ui.widgets.scrolling import fit_to_screen

FIELD_TYPES = (QLineEdit, QComboBox, QPlainTextEdit, QTextEdit, QAbstractSpinBox)


def first_field(container: QWidget) -> QWidget | None:
    """The first field a person would type in, in tab order (buttons and labels are not fields)."""
    widget = container.nextInFocusChain()
    while widget is not None and widget is not container:
        if (isinstance(widget, FIELD_TYPES) and widget.isVisibleTo(container) and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and not (isinstance(widget, QLineEdit) and widget.isReadOnly())
                and container.isAncestorOf(widget)):
            return widget
        widget = widget.nextInFocusChain()
    return None


def field_values(container: QWidget) -> list[object]:
    """Every field's value, in a fixed order: two snapshots differ exactly when something was changed."""
    values: list[object] = []
    for widget in container.findChildren(QWidget):
        if isinstance(widget, QLineEdit) and not isinstance(widget.parent(), (QComboBox, QAbstractSpinBox)):
            values.append(widget.text())
        elif isinstance(widget, QComboBox):
            values.append((widget.currentIndex(), widget.currentText()))
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            values.append(widget.toPlainText())
        elif isinstance(widget, QDateTimeEdit):
            values.append(widget.dateTime().toString(Qt.DateFormat.ISODate))
        elif isinstance(widget, QAbstractSpinBox):
            values.append(widget.text())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            values.append(widget.isChecked())
    return values


def discard_confirmed(parent: QWidget, title: str, text: str) -> bool:
    """Whether the person chose to throw away what they typed (Cancel, the default, keeps it)."""
    return QMessageBox.question(parent, title, text,
                                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                                QMessageBox.StandardButton.Cancel) == QMessageBox.StandardButton.Discard


class FormDialog(QDialog):
    """A QDialog for entering or editing a record (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shown_values: list[object] | None = None

    def has_changes(self) -> bool:
        return self._shown_values is not None and field_values(self) != self._shown_values

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._shown_values is None:
            fit_to_screen(self, self.width(), self.height())
            self._shown_values = field_values(self)
            # Now, not after the event loop turns: what is typed straight away goes in the field.
            field = first_field(self)
            if field is not None:
                field.setFocus(Qt.FocusReason.TabFocusReason)

    def reject(self) -> None:
        """Esc or Cancel: without changes the dialog closes; with changes it asks first."""
        if self.has_changes() and not discard_confirmed(
                self, "Discard your changes?", "What you typed here has not been saved and will be lost."):
            return
        super().reject()
