"""A new matter and its key facts, by kind: what the intake wizard's third page and "New matter…" ask.

Removal defense asks court, judge, custody, NTA date and relief; a benefit the form and receipt
number; an employment claim the claim types and the employer. Labor and other need only a title.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from kantor_cases.domain import statuses as st
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.records import (
    BenefitApplicationDraft,
    EmploymentClaimDraft,
    MatterDraft,
    RemovalCaseDraft,
)
from kantor_cases.ui.widgets.checklist import Checklist
from kantor_cases.ui.widgets.date_field import DateField
from kantor_cases.ui.widgets.field_form import FieldForm

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

# The title's example follows the kind chosen: an employment claim is not "Removal defense – …".
TITLE_EXAMPLES = {
    "removal": "e.g. Removal defense – cancellation (42B)",
    "benefit": "e.g. I-130 for her husband, then adjustment",
    "employment": "e.g. Unpaid overtime – Acme Builders",
    "labor": "e.g. NLRB charge – Local 11",
    "other": "e.g. Consultation on a lease",
}


class MatterForm(QWidget):
    changed = Signal()

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.top = FieldForm()
        self.kind_combo = QComboBox()
        for kind in st.MatterKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.title_edit = QLineEdit()
        self.attorney_combo = QComboBox()
        self.attorney_combo.addItem("(not yet assigned)", None)
        for user in office.settings.attorneys():
            self.attorney_combo.addItem(user.name, user.id)
        # An attorney opening a matter is usually the one responsible for it; anyone else chooses.
        self.attorney_combo.setCurrentIndex(max(0, self.attorney_combo.findText(office.user)))
        self.opened_date = DateField()
        self.top.add("kind", "Kind of matter", self.kind_combo)
        self.top.add("title", "Title", self.title_edit, "Leave empty to use the kind as the title")
        self.top.add("responsible_attorney_id", "Responsible attorney", self.attorney_combo)
        self.top.add("opened_on", "Opened on", self.opened_date, "Empty: today")

        # Removal defense.
        self.removal = FieldForm()
        self.court_combo = QComboBox()
        self.court_combo.addItem("(court not known yet)", None)
        for court in office.settings.courts():
            self.court_combo.addItem(f"{court.name} ({court.code})", court.id)
        self.judge_edit = QLineEdit()
        self.custody_combo = QComboBox()
        for key, label in st.CUSTODY_STATES.items():
            self.custody_combo.addItem(label, key)
        self.custody_combo.setCurrentIndex(self.custody_combo.findData("never_detained"))
        self.nta_date = DateField()
        self.relief_list = Checklist(st.RELIEF_TYPES)
        self.removal.add("court_id", "Immigration court", self.court_combo)
        self.removal.add("judge", "Judge", self.judge_edit)
        self.removal.add("custody", "Custody", self.custody_combo)
        self.removal.add("nta_date", "NTA date", self.nta_date)
        self.removal.add("relief_sought", "Relief sought", self.relief_list)

        # Immigration benefit.
        self.benefit = FieldForm()
        self.form_edit = QLineEdit()
        self.form_edit.setPlaceholderText("I-130, I-485, I-765, I-589, N-400, I-821D…")
        self.receipt_edit = QLineEdit()
        self.receipt_edit.setPlaceholderText("IOE0123456789")
        self.filed_date = DateField()
        self.benefit.add("form", "Form", self.form_edit)
        self.benefit.add("receipt_number", "Receipt number", self.receipt_edit)
        self.benefit.add("filed_on", "Filed on", self.filed_date)

        # Employment claim.
        self.employment = FieldForm()
        self.claims_list = Checklist(st.CLAIM_TYPES)
        self.employer_combo = QComboBox()
        self.employer_combo.setEditable(True)
        self.employer_combo.addItem("", None)
        for party in office.settings.parties("employer"):
            self.employer_combo.addItem(party.name, party.id)
        employer_edit = self.employer_combo.lineEdit()
        assert employer_edit is not None  # an editable combo box always has its line edit
        employer_edit.setPlaceholderText("Choose or type the employer's name")
        # As wide as the other fields: an empty editable box used to shrink to its arrow (~30 px).
        self.employer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.employer_combo.setMinimumContentsLength(32)
        self.employer_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.employment.add("claim_types", "Claim types", self.claims_list)
        self.employment.add("employer_id", "Employer", self.employer_combo)

        self._align_labels()
        self.empty = QWidget()
        self.details = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        for name, form in (("removal", self.removal), ("benefit", self.benefit), ("employment", self.employment)):
            # Each page keeps its fields together at the top; the stack's spare height goes below them
            # (it used to open a gap above the claim types).
            page = QWidget()
            column = QVBoxLayout(page)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(form)
            column.addStretch(1)
            self.pages[name] = page
            self.details.addWidget(page)
        self.details.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.top)
        layout.addWidget(self.details, 1)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self._on_kind_combo_changed()

    def _on_kind_combo_changed(self, *_args: object) -> None:
        kind = self.kind_combo.currentData()
        self.details.setCurrentWidget(self.pages.get(kind, self.empty))
        self.title_edit.setPlaceholderText(TITLE_EXAMPLES.get(kind, ""))
        self.changed.emit()

    def _align_labels(self) -> None:
        """One label column for the form and every kind's page, so the fields line up when the kind changes."""
        forms = (self.top, self.removal, self.benefit, self.employment)
        labels = [label for form in forms for box in form.fields.values()
                  if isinstance(label := form.form.labelForField(box.parentWidget() or box), QLabel)]
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def show_errors(self, fields: dict[str, str]) -> None:
        forms = (self.top, self.removal, self.benefit, self.employment)
        for form in forms:
            form.clear_errors()
        loose = {}
        for name, message in fields.items():
            owner = next((f for f in forms if name in f.fields), None)
            if owner is None:
                loose[name] = message
            else:
                owner.errors[name].setText(message)
                owner.errors[name].show()
        if loose:
            self.top.show_errors(loose)

    def employer_text(self) -> str:
        return self.employer_combo.currentText().strip()

    def draft(self, create_parties: bool = False) -> MatterDraft:
        """The matter as typed; with `create_parties`, a new employer typed by name goes with the draft and
        is added to the organisations in the same transaction as the matter."""
        errors = {}
        dates = {}
        for name, field in (("opened_on", self.opened_date), ("nta_date", self.nta_date),
                            ("filed_on", self.filed_date)):
            try:
                dates[name] = field.value()
            except ValueError as error:
                errors[name] = str(error)
        kind = self.kind_combo.currentData()
        if kind == "benefit" and not self.form_edit.text().strip():
            errors["form"] = "Name the form, e.g. I-130."
        if errors:
            raise ValidationError(errors)
        removal = employment = benefit = None
        if kind == "removal":
            removal = RemovalCaseDraft(court_id=self.court_combo.currentData(), judge=self.judge_edit.text(),
                                       custody=self.custody_combo.currentData(), nta_date=dates["nta_date"],
                                       relief_sought=self.relief_list.checked())
        elif kind == "benefit":
            benefit = BenefitApplicationDraft(form=self.form_edit.text(), receipt_number=self.receipt_edit.text(),
                                              filed_on=dates["filed_on"])
        elif kind == "employment":
            employer_id = self._employer_id()
            employment = EmploymentClaimDraft(
                claim_types=self.claims_list.checked(), employer_id=employer_id,
                employer_name=self.employer_text() if employer_id is None and create_parties else "")
        return MatterDraft(kind=kind, title=self.title_edit.text(),
                           responsible_attorney_id=self.attorney_combo.currentData(),
                           opened_on=dates["opened_on"], removal=removal, employment=employment, benefit=benefit)

    def _employer_id(self) -> int | None:
        name = self.employer_text()
        if not name:
            return None
        index = self.employer_combo.findText(name)
        return self.employer_combo.itemData(index) if index > 0 else None
