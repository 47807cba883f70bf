"""Scheduling a hearing, or editing one and recording its result and the next step."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from kantor_cases.domain import statuses as st
from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.domain.records import HearingDetails, HearingDraft
from kantor_cases.ui.widgets.date_field import DateField, parse_time
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.field_form import FieldForm
from kantor_cases.ui.widgets.form_dialog import FormDialog
from kantor_cases.ui.widgets.scrolling import FormScroll

if TYPE_CHECKING:
    from kantor_cases.services.office import Office


class HearingDialog(FormDialog):
    def __init__(self, office: Office, matter_id: int, hearing: HearingDetails | None = None,
                 default_court_id: int | None = None, default_judge: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.matter_id = matter_id
        self.hearing = hearing
        self.saved: HearingDetails | None = None
        self.setWindowTitle("Edit hearing" if hearing else "Add hearing")
        self.form = FieldForm()
        self.date_field = DateField()
        self.time_edit = QLineEdit()
        self.time_edit.setPlaceholderText("8:30 am")
        self.time_edit.setMaximumWidth(120)
        self.type_combo = QComboBox()
        for key, label in st.HEARING_TYPES.items():
            self.type_combo.addItem(label, key)
        self.court_combo = QComboBox()
        self.court_combo.addItem("(the case's court)", None)
        for court in office.settings.courts():
            self.court_combo.addItem(f"{court.name} ({court.code})", court.id)
        self.courtroom_edit = QLineEdit()
        self.judge_edit = QLineEdit(default_judge)
        self.interpreter_edit = QLineEdit()
        self.interpreter_edit.setPlaceholderText("Spanish")
        self.result_edit = QLineEdit()
        self.next_step_edit = QLineEdit()
        self.special_check = QCheckBox("Special setting: the court sits on this weekend day or holiday "
                                       "(attorney confirms)")
        self.form.add("date", "Date", self.date_field)
        self.form.add("time", "Time", self.time_edit)
        self.form.add("hearing_type", "Type", self.type_combo)
        self.form.add("court_id", "Court", self.court_combo)
        self.form.add("courtroom", "Courtroom / floor", self.courtroom_edit)
        self.form.add("judge", "Judge", self.judge_edit)
        self.form.add("interpreter_language", "Interpreter", self.interpreter_edit)
        self.form.add("result", "Result", self.result_edit, "After the hearing: what the judge did")
        self.form.add("next_step", "Next step", self.next_step_edit)
        self.form.add("special_setting", "", self.special_check,
                      "Immigration courts sit on business days only; a hearing on another day is refused "
                      "unless an attorney confirms it")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(FormScroll(self.form), 1)
        layout.addWidget(buttons)
        if default_court_id is not None:
            self.court_combo.setCurrentIndex(max(0, self.court_combo.findData(default_court_id)))
        if hearing is not None:
            self.date_field.set_value(hearing.starts_at.date())
            self.time_edit.setText(f"{hearing.starts_at:%H:%M}")
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(hearing.hearing_type)))
            self.court_combo.setCurrentIndex(max(0, self.court_combo.findData(hearing.court_id)))
            self.courtroom_edit.setText(hearing.courtroom)
            self.judge_edit.setText(hearing.judge)
            self.interpreter_edit.setText(hearing.interpreter_language)
            self.result_edit.setText(hearing.result)
            self.next_step_edit.setText(hearing.next_step)
            self.special_check.setChecked(hearing.special_setting)

    def draft(self) -> HearingDraft:
        errors = {}
        day = hour_minute = None
        try:
            day = self.date_field.value()
            if day is None:
                errors["date"] = "When is the hearing?"
        except ValueError as error:
            errors["date"] = str(error)
        try:
            hour_minute = parse_time(self.time_edit.text()) if self.time_edit.text().strip() else None
            if hour_minute is None:
                errors["time"] = "At what time? (e.g. 8:30 am)"
        except ValueError as error:
            errors["time"] = str(error)
        if errors or day is None or hour_minute is None:
            raise ValidationError(errors)
        starts_at = datetime(day.year, day.month, day.day, *hour_minute)
        closed = self.office.hearings.closed_court_day(starts_at)
        if closed and not self.special_check.isChecked():
            raise ValidationError({"date": closed}, message=closed)
        return HearingDraft(
            starts_at=starts_at, special_setting=self.special_check.isChecked(),
            hearing_type=self.type_combo.currentData(), court_id=self.court_combo.currentData(),
            courtroom=self.courtroom_edit.text(), judge=self.judge_edit.text(),
            interpreter_language=self.interpreter_edit.text(), result=self.result_edit.text(),
            next_step=self.next_step_edit.text())

    def accept(self) -> None:
        try:
            draft = self.draft()
            if self.hearing is None:
                self.saved = self.office.hearings.add_hearing(self.matter_id, draft)
            else:
                self.saved = self.office.hearings.update_hearing(self.hearing.id, draft, self.hearing.version)
        except ValidationError as error:
            fields = dict(error.fields)
            if "starts_at" in fields:
                fields["date"] = fields.pop("starts_at")
            self.form.show_errors(fields)
            return
        except KantorError as error:
            show_error(self, error)
            return
        super().accept()
