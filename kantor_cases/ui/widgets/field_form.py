"""A form whose fields each carry their own error line, so the services' validation messages
appear next to the field they are about (ValidationError.fields maps field name -> message), and
all of them are also listed together on top, the first field to correct holding the cursor.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

ERROR_STYLE = "color: #b00020;"


class FieldForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.banner.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.labels: dict[str, str] = {}

    def add(self, name: str, label: str, widget: QWidget, hint: str = "") -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if hint:
            note = QLabel(hint)
            note.setStyleSheet("color: palette(mid);")
            note.setWordWrap(True)
            column.addWidget(note)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        self.form.addRow(label, box)
        self.fields[name] = widget
        self.errors[name] = error
        self.labels[name] = label.replace("&", "")
        return widget

    def add_section(self, title: str) -> None:
        heading = QLabel(f"<b>{title}</b>")
        heading.setContentsMargins(0, 8, 0, 0)
        self.form.addRow(heading)

    def clear_errors(self) -> None:
        self.banner.hide()
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_errors(self, fields: dict[str, str]) -> None:
        """Each message beside its field, and all of them together on top (in the form's order, those
        about no shown field first); the first field to correct gets the cursor."""
        self.clear_errors()
        loose = [message for name, message in fields.items() if name not in self.errors]
        in_order = [name for name in self.errors if name in fields]
        for name in in_order:
            self.errors[name].setText(fields[name])
            self.errors[name].show()
        listed = loose + [f"{self.labels[name] or 'This form'}: {fields[name]}" for name in in_order]
        if loose or len(listed) > 1:
            heading = f"{len(listed)} things to correct:" if len(listed) > 1 else ""
            self.banner.setText("\n".join([heading, *(f"• {line}" for line in listed)] if heading else listed))
            self.banner.show()
        if in_order:
            first = self.fields[in_order[0]]
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            self._bring_into_view(first)

    def _bring_into_view(self, widget: QWidget) -> None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(widget)

    def error_text(self, name: str) -> str:
        label = self.errors.get(name)
        return label.text() if label is not None and not label.isHidden() else ""
