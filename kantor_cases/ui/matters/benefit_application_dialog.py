"""Recording a USCIS application on a benefit matter, or moving it along (receipt, RFE, decision)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from kantor_cases.domain import statuses as st
from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.domain.records import BenefitApplicationDetails, BenefitApplicationDraft
from kantor_cases.ui.widgets.date_field import DateField
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.field_form import FieldForm
from kantor_cases.ui.widgets.form_dialog import FormDialog

if TYPE_CHECKING:
    from kantor_cases.services.office import Office


class BenefitApplicationDialog(FormDialog):
    def __init__(self, office: Office, matter_id: int, application: BenefitApplicationDetails | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.matter_id = matter_id
        self.application = application
        self.saved: BenefitApplicationDetails | None = None
        self.setWindowTitle(f"Edit the {application.form} application" if application else "Add an application")
        self.form = FieldForm()
        self.form_edit = QLineEdit()
        self.form_edit.setPlaceholderText("I-130, I-485, I-765, I-589, N-400, I-821D…")
        self.receipt_edit = QLineEdit()
        self.receipt_edit.setPlaceholderText("IOE0912345678")
        self.filed_field = DateField()
        self.status_combo = QComboBox()
        # Where it is now and the steps allowed from there; a new application starts at "Preparing".
        current = application.status if application else "preparing"
        for status in (current, *sorted(st.BENEFIT_TRANSITIONS[current], key=st.BENEFIT_STATUSES.index)):
            self.status_combo.addItem(st.BENEFIT_STATUS_LABELS[status], status)
        self.notes_edit = QLineEdit()
        self.form.add("form", "Form", self.form_edit)
        self.form.add("receipt_number", "Receipt number", self.receipt_edit)
        self.form.add("filed_on", "Filed on", self.filed_field)
        self.form.add("status", "Status", self.status_combo)
        self.form.add("notes", "Notes", self.notes_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        if application is not None:
            self.form_edit.setText(application.form)
            self.receipt_edit.setText(application.receipt_number)
            self.filed_field.set_value(application.filed_on)
            self.notes_edit.setText(application.notes)
        self.resize(520, self.sizeHint().height())

    def accept(self) -> None:
        try:
            try:
                filed_on = self.filed_field.value()
            except ValueError as error:
                raise ValidationError({"filed_on": str(error)}) from None
            draft = BenefitApplicationDraft(form=self.form_edit.text(), receipt_number=self.receipt_edit.text(),
                                            filed_on=filed_on, status=self.status_combo.currentData(),
                                            notes=self.notes_edit.text())
            if self.application is None:
                self.saved = self.office.benefits.add_benefit_application(self.matter_id, draft)
            else:
                self.saved = self.office.benefits.update_benefit_application(self.application.id, draft,
                                                                            self.application.version)
        except ValidationError as error:
            self.form.show_errors(error.fields)
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))  # room for the messages
            return
        except KantorError as error:  # changed elsewhere meanwhile, or the database said no
            show_error(self, error)
            return
        super().accept()
