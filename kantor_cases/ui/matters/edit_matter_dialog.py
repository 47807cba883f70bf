"""Renaming a matter and handing it to another attorney (the rest of a matter has its own tabs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from kantor_cases.domain.errors import KantorError
from kantor_cases.domain.records import MatterDetails
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.form_dialog import FormDialog

if TYPE_CHECKING:
    from kantor_cases.services.office import Office


class EditMatterDialog(FormDialog):
    def __init__(self, office: Office, details: MatterDetails, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.details = details
        self.saved: MatterDetails | None = None
        self.setWindowTitle(f"Edit matter — {details.client_name}")
        self.title_edit = QLineEdit(details.title)
        self.title_edit.setMaxLength(200)
        self.attorney_combo = QComboBox()
        if details.responsible_attorney_id is None:
            self.attorney_combo.addItem("(not yet assigned)", None)
        for user in office.settings.attorneys():
            self.attorney_combo.addItem(user.name, user.id)
        if details.responsible_attorney_id is not None and self.attorney_combo.findData(
                details.responsible_attorney_id) < 0:
            # No longer listed (made inactive): still shown, so saving the title does not reassign.
            self.attorney_combo.addItem(details.responsible_attorney, details.responsible_attorney_id)
        self.attorney_combo.setCurrentIndex(self.attorney_combo.findData(details.responsible_attorney_id))
        self.problem_label = QLabel()
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow("&Title", self.title_edit)
        layout.addRow("Responsible &attorney", self.attorney_combo)
        layout.addRow(self.problem_label)
        layout.addRow(buttons)
        self.resize(520, self.sizeHint().height())

    def accept(self) -> None:
        title = self.title_edit.text().strip()
        if not title:
            self.problem_label.setText("A matter needs a title.")
            self.problem_label.show()
            self.title_edit.setFocus()
            return
        try:
            self.saved = self.office.matters.update(self.details.id, self.details.version, title=title,
                                                    responsible_attorney_id=self.attorney_combo.currentData())
        except KantorError as error:  # someone else changed the matter meanwhile, or the database said no
            show_error(self, error)
            return
        super().accept()
