"""New follow-up (Ctrl+Shift+F): what, when (in N days or on a date), for whom, how often, about
which client or matter.

Opened from a client's or matter's window it is about that record; opened from Today, the
Follow-ups screen or anywhere else it asks, with a picker that searches as you type like Ctrl+K
(the search index answers in milliseconds at 300,000 clients, so it runs on the window's thread
after a pause in typing, as the search box does). The save runs off the window's thread and
announces the follow-up, so every open screen that shows it updates.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from kantor_cases.domain.agenda_records import FollowUpRecord
from kantor_cases.domain.changes import FOLLOW_UPS, Changes
from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.domain.follow_up_due import MAX_DAYS_AHEAD, due_date
from kantor_cases.domain.records import SearchHit
from kantor_cases.ui.widgets import privacy
from kantor_cases.ui.widgets.date_field import DateField
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.form_dialog import FormDialog
from kantor_cases.ui.widgets.operations import run_change

if TYPE_CHECKING:

    from kantor_cases.services.office import Office

PICKER_RESULTS = 8
PICKER_DEBOUNCE_MS = 150
MAX_REPEAT_DAYS = 366
KIND_WORDS = {"client": "Client", "matter": "Matter", "related": "Family of a client"}


class SubjectPicker(QWidget):
    """Type a name, A-number, phone…; the client or matter chosen from the list is the subject."""

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.hits: list[SearchHit] = []
        self.chosen: SearchHit | None = None
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Search a client or matter: name, A-number, phone…")
        self.results = QListWidget()
        self.results.setMaximumHeight(150)
        self.chosen_label = QLabel("Nothing chosen yet.")
        self.chosen_label.setWordWrap(True)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.edit)
        layout.addRow(self.results)
        layout.addRow(self.chosen_label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PICKER_DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_search)
        self.edit.textEdited.connect(self._on_text_edited)
        self.edit.returnPressed.connect(self._on_return_pressed)
        self.results.currentRowChanged.connect(self._on_current_row_changed)

    def run_search(self) -> None:
        self._timer.stop()
        text = self.edit.text().strip()
        # Organisations (employers, counsel) belong to no client: a follow-up cannot be about them.
        self.hits = [hit for hit in self.office.search.search(text, PICKER_RESULTS * 2)
                     if hit.kind == "matter" or hit.client_id][:PICKER_RESULTS] if text else []
        self.results.blockSignals(True)
        self.results.clear()
        for hit in self.hits:
            name = privacy.client_text(hit.name, hit.sensitive) if hit.kind != "matter" else hit.name
            detail = privacy.client_text(hit.detail, hit.sensitive)
            self.results.addItem(QListWidgetItem(f"{name}  —  {KIND_WORDS.get(hit.kind, hit.kind)}"
                                                 + (f" · {detail}" if detail else "")))
        if text and not self.hits:
            empty = QListWidgetItem(f"Nothing found for “{text}”")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(empty)
        self.results.blockSignals(False)
        if self.hits:
            self.results.setCurrentRow(0)

    def choose(self, row: int) -> None:
        self.chosen = self.hits[row] if 0 <= row < len(self.hits) else None
        hit = self.chosen
        if hit is None:
            self.chosen_label.setText("Nothing chosen yet.")
        elif hit.kind == "matter":
            self.chosen_label.setText(f"About matter no. {hit.id}: {privacy.client_text(hit.name, hit.sensitive)}")
        else:
            self.chosen_label.setText(f"About client no. {hit.client_id}")

    def subject(self) -> tuple[int | None, int | None]:
        """(client id, matter id) of what was chosen; (None, None) when nothing is."""
        hit = self.chosen
        if hit is None:
            return None, None
        return (None, hit.id) if hit.kind == "matter" else (hit.client_id, None)

    def _on_text_edited(self, _text: str) -> None:
        self._timer.start()

    def _on_return_pressed(self) -> None:
        if self._timer.isActive():
            self.run_search()

    def _on_current_row_changed(self, row: int) -> None:
        self.choose(row)


class FollowUpDialog(FormDialog):
    """A new follow-up on `client_id` or `matter_id`, or on what its picker finds when neither is given."""

    def __init__(self, office: Office, client_id: int | None = None, matter_id: int | None = None,
                 parent: QWidget | None = None, today: date | None = None, about: str = "") -> None:
        super().__init__(parent)
        self.office = office
        self.today = today or office.clock.today()
        self.client_id, self.matter_id = client_id, matter_id
        self.created: FollowUpRecord | None = None
        self.setWindowTitle("New follow-up")

        self.picker: SubjectPicker | None = None
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("What needs to be done")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(90)
        self.in_days_button = QRadioButton("In")
        self.on_date_button = QRadioButton("On")
        self.in_days_button.setChecked(True)
        when = QButtonGroup(self)
        when.addButton(self.in_days_button)
        when.addButton(self.on_date_button)
        self.days_spin = QSpinBox()
        self.days_spin.setRange(0, MAX_DAYS_AHEAD)
        self.days_spin.setValue(1)
        self.days_spin.setSuffix(" days")
        self.date_field = DateField(self.today + timedelta(days=1))
        self.days_spin.valueChanged.connect(lambda _value: self.in_days_button.setChecked(True))
        self.date_field.textEdited.connect(lambda _text: self.on_date_button.setChecked(True))
        due_row = QHBoxLayout()
        for widget in (self.in_days_button, self.days_spin, self.on_date_button, self.date_field):
            due_row.addWidget(widget)
        due_row.addStretch(1)
        self.assignee_combo = QComboBox()
        names = [user.name for user in office.settings.users()]
        # The signed-in user first: most follow-ups are one's own.
        self.assignee_combo.addItems([office.user] + [name for name in names if name != office.user])
        self.repeat_spin = QSpinBox()
        self.repeat_spin.setRange(0, MAX_REPEAT_DAYS)
        self.repeat_spin.setSpecialValueText("does not repeat")
        self.repeat_spin.setSuffix(" days")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)

        form = QFormLayout(self)
        if client_id is None and matter_id is None:
            self.picker = SubjectPicker(office)
            form.addRow("About:", self.picker)
        else:
            what = about or (f"matter no. {matter_id}" if matter_id else f"client no. {client_id}")
            form.addRow("About:", QLabel(what))
        form.addRow("&Note:", self.note_edit)
        form.addRow("Due:", due_row)
        form.addRow("&Assigned to:", self.assignee_combo)
        form.addRow("&Repeat every:", self.repeat_spin)
        form.addRow(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        (self.picker.edit if self.picker is not None else self.note_edit).setFocus()
        self.resize(560, self.sizeHint().height())

    def due_in(self, days: int) -> None:
        self.days_spin.setValue(days)
        self.in_days_button.setChecked(True)

    def subject(self) -> tuple[int | None, int | None]:
        return self.picker.subject() if self.picker is not None else (self.client_id, self.matter_id)

    def save(self) -> None:
        client_id, matter_id = self.subject()
        try:
            if client_id is None and matter_id is None:
                raise ValidationError("Choose the client or matter this follow-up is about.")
            try:
                on = self.date_field.value() if self.on_date_button.isChecked() else None
            except ValueError as error:
                raise ValidationError(str(error)) from None
            if self.on_date_button.isChecked() and on is None:
                raise ValidationError("Give the date it is due.")
            due = due_date(self.today, self.days_spin.value() if self.in_days_button.isChecked() else None, on)
        except KantorError as error:
            self.error_label.setText(str(error))
            return
        note, assignee = self.note_edit.toPlainText(), self.assignee_combo.currentText()
        repeat = self.repeat_spin.value() or None
        follow_ups = self.office.follow_ups
        self.buttons.setEnabled(False)
        self.error_label.setText("")
        run_change(self, "Saving the follow-up…",
                   lambda: follow_ups.create(due, note, client_id=client_id, matter_id=matter_id, assignee=assignee,
                                             recurrence_days=repeat),
                   lambda record: Changes.of(FOLLOW_UPS, clients=[record.client_id] if record.client_id else [],
                                             matters=[record.matter_id] if record.matter_id else []),
                   self._saved, self._failed)

    def _saved(self, record: FollowUpRecord) -> None:
        self.created = record
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, KantorError):
            self.error_label.setText(str(error))
        else:
            show_error(self, error)
