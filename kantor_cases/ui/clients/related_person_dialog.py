"""Adding or editing one family member or contact of a client (the equities of a PD request)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from kantor_cases.domain import statuses as st
from kantor_cases.domain.errors import ConflictError, KantorError, ValidationError
from kantor_cases.domain.records import RelatedPersonDetails, RelatedPersonDraft
from kantor_cases.ui.widgets.date_field import DateField
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.field_form import FieldForm
from kantor_cases.ui.widgets.form_dialog import FormDialog

if TYPE_CHECKING:
    from kantor_cases.services.office import Office


class RelatedPersonDialog(FormDialog):
    def __init__(self, office: Office, client_id: int, person: RelatedPersonDetails | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.client_id = client_id
        self.person = person
        self.setWindowTitle("Edit family member" if person else "Add family member or contact")
        self.form = FieldForm()
        self.given_edit = QLineEdit()
        self.family_edit = QLineEdit()
        self.relationship_combo = QComboBox()
        for relationship in st.RELATIONSHIPS:
            self.relationship_combo.addItem(relationship.capitalize(), relationship)
        self.status_combo = QComboBox()
        for key, label in st.IMMIGRATION_STATUSES.items():
            self.status_combo.addItem(label, key)
        self.birth_date = DateField()
        self.a_number_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.form.add("given_name", "Given name", self.given_edit)
        self.form.add("family_name", "Family name", self.family_edit)
        self.form.add("relationship", "Relationship", self.relationship_combo)
        self.form.add("immigration_status", "Immigration status", self.status_combo)
        self.form.add("date_of_birth", "Date of birth", self.birth_date)
        self.form.add("a_number", "A-number", self.a_number_edit)
        self.form.add("phone", "Phone", self.phone_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        if person is not None:
            self.given_edit.setText(person.given_name)
            self.family_edit.setText(person.family_name)
            self.relationship_combo.setCurrentIndex(max(0, self.relationship_combo.findData(person.relationship)))
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(person.immigration_status)))
            self.birth_date.set_value(person.date_of_birth)
            self.a_number_edit.setText(person.a_number)
            self.phone_edit.setText(person.phone)

    def accept(self) -> None:
        try:
            try:
                born = self.birth_date.value()
            except ValueError as error:
                raise ValidationError({"date_of_birth": str(error)}) from None
            draft = RelatedPersonDraft(
                given_name=self.given_edit.text(), family_name=self.family_edit.text(),
                relationship=self.relationship_combo.currentData(),
                immigration_status=self.status_combo.currentData(), date_of_birth=born,
                a_number=self.a_number_edit.text(), phone=self.phone_edit.text(),
                notes=self.person.notes if self.person else "")
            if self.person is None:
                self.office.clients.add_related_person(self.client_id, draft)
            else:
                self.office.clients.update_related_person(self.person.id, draft, self.person.version)
        except ValidationError as error:
            self.form.show_errors(error.fields)
            return
        except (ConflictError, KantorError) as error:
            show_error(self, error)
            return
        super().accept()
