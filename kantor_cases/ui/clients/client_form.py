"""The client's identity and contact fields, shared by the intake wizard and the Profile tab.

`draft()` turns what is typed into a ClientDraft (dates that are not dates raise ValidationError
with the field name, like the service does), so every message lands next to its field.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QPlainTextEdit, QWidget

from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.identifiers import format_a_number
from kantor_cases.domain.records import ClientDraft
from kantor_cases.services.validation import display_phone, validate_client
from kantor_cases.ui.widgets.date_field import DateField
from kantor_cases.ui.widgets.field_form import FieldForm

TEXT_FIELDS = ("given_name", "middle_name", "family_name", "second_family_name", "country_of_birth", "nationality",
               "languages", "phone", "phone_alt", "email", "street", "city", "state", "postal_code", "a_number",
               "referral_source", "detention_facility")
DATE_FIELDS = ("date_of_birth", "intake_date")


class ClientForm(FieldForm):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, compact: bool = False) -> None:
        super().__init__(parent)
        edits = {name: QLineEdit() for name in TEXT_FIELDS}
        self.edits = edits
        self.dates = {name: DateField() for name in DATE_FIELDS}
        self.aliases_edit = QLineEdit()
        self.language_combo = QComboBox()
        self.language_combo.addItem("English", "en")
        self.language_combo.addItem("Spanish", "es")
        # Spanish letters agree with it (Estimado/Estimada); blank: neutral wording.
        self.salutation_combo = QComboBox()
        self.salutation_combo.addItem("(not recorded)", "")
        self.salutation_combo.addItem("Mr. / Sr.", "mr")
        self.salutation_combo.addItem("Ms. / Sra.", "ms")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setMaximumHeight(80)
        self.detained_check = QCheckBox("Detained")
        self.sensitive_check = QCheckBox("Sensitive (asylum or other confidential matter)")
        edits["given_name"].setPlaceholderText("María")
        edits["family_name"].setPlaceholderText("García")
        edits["second_family_name"].setPlaceholderText("López (second surname, if any)")
        edits["a_number"].setPlaceholderText("A012-345-678")
        edits["phone"].setPlaceholderText("(213) 555-0100")
        edits["detention_facility"].setPlaceholderText("Adelanto ICE Processing Center")

        self.add_section("Name")
        self.add("given_name", "Given name(s)", edits["given_name"])
        self.add("middle_name", "Middle name", edits["middle_name"])
        self.add("family_name", "Family name", edits["family_name"])
        self.add("second_family_name", "Second family name", edits["second_family_name"])
        self.add("aliases", "Other names used", self.aliases_edit, "" if compact else "Separate names with commas")
        self.add_section("Identity")
        self.add("a_number", "A-number", edits["a_number"])
        self.add("date_of_birth", "Date of birth", self.dates["date_of_birth"])
        self.add("country_of_birth", "Country of birth", edits["country_of_birth"])
        if not compact:
            self.add("nationality", "Nationality", edits["nationality"])
            self.add("languages", "Languages spoken", edits["languages"])
        self.add("preferred_language", "Letters in", self.language_combo)
        self.add("salutation", "Form of address", self.salutation_combo)
        self.add_section("Contact")
        self.add("phone", "Phone", edits["phone"])
        if not compact:
            self.add("phone_alt", "Other phone", edits["phone_alt"])
        self.add("email", "E-mail", edits["email"])
        self.add("street", "Street", edits["street"])
        city = QWidget()
        city_row = QHBoxLayout(city)
        city_row.setContentsMargins(0, 0, 0, 0)
        city_row.addWidget(edits["city"], 3)
        city_row.addWidget(edits["state"], 1)
        city_row.addWidget(edits["postal_code"], 1)
        edits["city"].setPlaceholderText("City")
        edits["state"].setPlaceholderText("State")
        edits["postal_code"].setPlaceholderText("ZIP")
        self.add("city", "City, state, ZIP", city)
        self.fields["state"] = edits["state"]
        self.fields["postal_code"] = edits["postal_code"]
        self.add_section("Flags")
        flags = QWidget()
        flag_row = QHBoxLayout(flags)
        flag_row.setContentsMargins(0, 0, 0, 0)
        flag_row.addWidget(self.detained_check)
        flag_row.addWidget(edits["detention_facility"], 1)
        self.add("detained", "Custody", flags)
        self.add("sensitive", "Privacy", self.sensitive_check)
        if not compact:
            self.add_section("Office")
            self.add("intake_date", "Intake date", self.dates["intake_date"])
            self.add("referral_source", "Referred by", edits["referral_source"])
            self.add("notes", "Notes", self.notes_edit)

        for widget in (*edits.values(), *self.dates.values(), self.aliases_edit):
            widget.textEdited.connect(self._on_field_edited)
        self.language_combo.currentIndexChanged.connect(self._on_field_edited)
        self.salutation_combo.currentIndexChanged.connect(self._on_field_edited)
        self.notes_edit.textChanged.connect(self._on_field_edited)
        self.detained_check.toggled.connect(self._on_field_edited)
        self.sensitive_check.toggled.connect(self._on_field_edited)
        self.detained_check.toggled.connect(edits["detention_facility"].setEnabled)
        edits["detention_facility"].setEnabled(False)
        self._loading = False

    def _on_field_edited(self, *_args: object) -> None:
        if not self._loading:
            self.changed.emit()

    def set_draft(self, draft: ClientDraft) -> None:
        self._loading = True
        try:
            for name, edit in self.edits.items():
                value = getattr(draft, name)
                if name == "a_number" and value:
                    value = format_a_number(value)
                elif name in ("phone", "phone_alt"):
                    value = display_phone(value)
                edit.setText(value)
            for name, field in self.dates.items():
                field.set_value(getattr(draft, name))
            self.aliases_edit.setText(", ".join(draft.aliases))
            index = self.language_combo.findData(draft.preferred_language)
            self.language_combo.setCurrentIndex(max(index, 0))
            self.salutation_combo.setCurrentIndex(max(self.salutation_combo.findData(draft.salutation), 0))
            self.notes_edit.setPlainText(draft.notes)
            self.detained_check.setChecked(draft.detained)
            self.sensitive_check.setChecked(draft.sensitive)
            self.edits["detention_facility"].setEnabled(draft.detained)
        finally:
            self._loading = False
        self.clear_errors()

    def draft(self) -> ClientDraft:
        errors: dict[str, str] = {}
        # The draft's fields by name, texts and dates together, handed to ClientDraft as keywords.
        values: dict[str, Any] = {name: edit.text() for name, edit in self.edits.items()}
        for name, field in self.dates.items():
            try:
                values[name] = field.value()
            except ValueError as error:
                errors[name] = str(error)
        known = {f.name for f in dataclass_fields(ClientDraft)}
        if errors:
            # Listed with everything else that is wrong, not one at a time: the rest is checked as
            # the service will, the dates left out (so the day it is makes no difference).
            undated = {k: v for k, v in values.items() if k in known and k not in self.dates}
            try:
                validate_client(ClientDraft(**undated), date.min)
            except ValidationError as others:
                errors = {**others.fields, **errors}
            raise ValidationError(errors)
        return ClientDraft(**{k: v for k, v in values.items() if k in known},
                           aliases=tuple(a.strip() for a in self.aliases_edit.text().split(",") if a.strip()),
                           preferred_language=self.language_combo.currentData(),
                           salutation=self.salutation_combo.currentData(),
                           notes=self.notes_edit.toPlainText(),
                           detained=self.detained_check.isChecked(),
                           sensitive=self.sensitive_check.isChecked())
