"""One prosecutorial-discretion request: regime, action requested, the positive and negative
factors (DOMAIN.md §3), exhibits, background check, and its status — moved only by buttons for
the allowed next steps. While a request is open a banner says that hearings go on regardless.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain import statuses as st
from kantor_cases.domain.errors import ConflictError, KantorError, ValidationError
from kantor_cases.domain.records import PdRequestDetails, PdRequestDraft
from kantor_cases.ui.widgets.checklist import Checklist
from kantor_cases.ui.widgets.date_field import DateField
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.field_form import FieldForm
from kantor_cases.ui.widgets.layouts import TwoColumns, WrappingRow, clear_layout

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

PENDING_REMINDER = ("Hearings continue while PD is pending. Keep preparing for court, keep the client "
                    "attending, and keep sending hearing reminders until the judge rules on a motion.")
BACKGROUND_LABELS = {"not_started": "Not started", "pending": "Pending", "cleared": "Cleared",
                     "adverse": "Adverse"}


class PdRequestEditor(QWidget):
    changed = Signal()

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.request: PdRequestDetails | None = None

        self.reminder = QLabel(PENDING_REMINDER)
        self.reminder.setWordWrap(True)
        self.reminder.setStyleSheet("background:#fff4d6; color:#5c4100; border:1px solid #e0c36a;"
                                    "padding:6px; font-weight:bold;")
        self.status_label = QLabel()
        self.next_label = QLabel()
        self.next_label.setWordWrap(True)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Note for the status change (optional)")
        self.status_buttons = WrappingRow()  # wraps on a narrow window
        status_box = QGroupBox("Status")
        status_layout = QVBoxLayout(status_box)
        status_line = QHBoxLayout()
        status_line.addWidget(self.status_label)
        status_line.addWidget(self.next_label, 1)
        status_layout.addLayout(status_line)
        status_layout.addLayout(self.status_buttons)
        status_layout.addWidget(self.note_edit)
        self.history_list = QListWidget()
        self.history_list.setFixedHeight(4 * (self.fontMetrics().height() + 4) + 6)
        status_layout.addWidget(self.history_list)

        self.form = FieldForm()
        self.regime_combo = QComboBox()
        for key, label in st.PD_REGIMES.items():
            self.regime_combo.addItem(label, key)
        self.action_combo = QComboBox()
        for key, label in st.PD_ACTIONS.items():
            self.action_combo.addItem(label, key)
        self.channel_edit = QLineEdit()
        self.channel_edit.setPlaceholderText("e.g. e-mail to the OPLA Los Angeles field office")
        self.submitted_date = DateField()
        self.background_combo = QComboBox()
        for key in st.BACKGROUND_CHECK_STATES:
            self.background_combo.addItem(BACKGROUND_LABELS[key], key)
        self.outcome_edit = QLineEdit()
        self.form.add("regime", "Regime", self.regime_combo)
        self.form.add("action_requested", "Action requested", self.action_combo)
        self.form.add("channel", "Sent how", self.channel_edit)
        self.form.add("submitted_on", "Submitted on", self.submitted_date)
        self.form.add("background_check", "Background check", self.background_combo)
        self.form.add("outcome", "Outcome", self.outcome_edit)

        self.positive_list = Checklist(st.PD_POSITIVE_FACTORS)
        self.negative_list = Checklist(st.PD_NEGATIVE_FACTORS)
        self.factors_notes = QPlainTextEdit()
        self.factors_notes.setPlaceholderText("How each negative factor is addressed…")
        self.factors_notes.setMaximumHeight(70)
        factors = QGroupBox("Factors (address the positives and the negatives)")
        grid = QVBoxLayout(factors)
        grid.addWidget(QLabel("<b>Positive</b>"))
        grid.addWidget(self.positive_list)
        grid.addWidget(QLabel("<b>Negative</b>"))
        grid.addWidget(self.negative_list)
        grid.addWidget(self.factors_notes)

        self.exhibits_list = QListWidget()
        self.exhibits_list.setMaximumHeight(110)
        self.exhibit_edit = QLineEdit()
        self.exhibit_edit.setPlaceholderText("e.g. Birth certificates of the US-citizen children")
        self.exhibit_edit.returnPressed.connect(self._on_add_exhibit_clicked)
        add_exhibit = QPushButton("Add")
        add_exhibit.clicked.connect(self._on_add_exhibit_clicked)
        remove_exhibit = QPushButton("Remove")
        remove_exhibit.clicked.connect(self._on_remove_exhibit_clicked)
        exhibits = QGroupBox("Exhibits")
        exhibit_layout = QVBoxLayout(exhibits)
        exhibit_layout.addWidget(self.exhibits_list)
        exhibit_row = QHBoxLayout()
        exhibit_row.addWidget(self.exhibit_edit, 1)
        exhibit_row.addWidget(add_exhibit)
        exhibit_row.addWidget(remove_exhibit)
        exhibit_layout.addLayout(exhibit_row)

        self.save_button = QPushButton("Save request")
        self.save_button.clicked.connect(self.save)
        left = QVBoxLayout()
        left.addWidget(self.form)
        left.addWidget(exhibits)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(factors)
        right.addStretch(1)
        # Side by side when the factors' longest label fits beside the form, else one above the other.
        columns = TwoColumns(left, right, column_width=460)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(status_box)
        content_layout.addWidget(columns)
        # The request is taller than a laptop screen: it scrolls rather than squeezing its fields together.
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # one set of scroll bars
        area.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.reminder)
        layout.addWidget(area, 1)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        layout.addLayout(save_row)

    def set_request(self, request: PdRequestDetails) -> None:
        self.request = request
        self.form.clear_errors()
        self.regime_combo.setCurrentIndex(max(0, self.regime_combo.findData(request.regime)))
        self.action_combo.setCurrentIndex(max(0, self.action_combo.findData(request.action_requested)))
        self.channel_edit.setText(request.channel)
        self.submitted_date.set_value(request.submitted_on)
        self.background_combo.setCurrentIndex(max(0, self.background_combo.findData(request.background_check)))
        self.outcome_edit.setText(request.outcome)
        self.positive_list.set_checked(request.positive_factors)
        self.negative_list.set_checked(request.negative_factors)
        self.factors_notes.setPlainText(request.factors_notes)
        self.exhibits_list.clear()
        self.exhibits_list.addItems(list(request.exhibits))
        label = st.PD_STATUS_LABELS.get(request.status, request.status)
        since = f" since {request.status_changed_on:%d %b %Y}" if request.status_changed_on else ""
        self.status_label.setText(f"<b>{label}</b>{since}")
        self.next_label.setText(f"— next step: {st.PD_NEXT_STEP.get(request.status, '')}")
        self.reminder.setVisible(request.status in st.PD_OPEN_STATUSES)
        clear_layout(self.status_buttons)
        self.step_buttons: dict[str, QPushButton] = {}
        for status in request.allowed_next:
            button = QPushButton(st.PD_STATUS_LABELS[status])
            button.clicked.connect(lambda _checked=False, to=status: self.change_status(to))
            self.status_buttons.addWidget(button)
            self.step_buttons[status] = button
        if not request.allowed_next:
            self.status_buttons.addWidget(QLabel("This is a final status."))
        self.status_buttons.addStretch(1)
        self.history_list.clear()
        for change in request.history:
            before = st.PD_STATUS_LABELS.get(change.from_status or "", "")
            self.history_list.addItem(
                f"{change.at:%d %b %Y %H:%M} — {change.user_name}: "
                + (f"{before} → " if before else "") + st.PD_STATUS_LABELS.get(change.to_status, change.to_status)
                + (f" ({change.note})" if change.note else ""))

    def draft(self) -> PdRequestDraft:
        try:
            submitted = self.submitted_date.value()
        except ValueError as error:
            raise ValidationError({"submitted_on": str(error)}) from None
        return PdRequestDraft(
            regime=self.regime_combo.currentData(), action_requested=self.action_combo.currentData(),
            opla_office_id=self.request.opla_office_id if self.request else None, channel=self.channel_edit.text(),
            submitted_on=submitted, positive_factors=self.positive_list.checked(),
            negative_factors=self.negative_list.checked(), factors_notes=self.factors_notes.toPlainText(),
            exhibits=tuple(self.exhibits_list.item(i).text() for i in range(self.exhibits_list.count())),
            background_check=self.background_combo.currentData(), outcome=self.outcome_edit.text())

    def save(self) -> bool:
        if self.request is None:
            return False
        try:
            updated = self.office.pd_requests.update_pd_request(self.request.id, self.draft(), self.request.version)
        except ValidationError as error:
            self.form.show_errors(error.fields)
            return False
        except (ConflictError, KantorError) as error:
            show_error(self, error)
            return False
        self.set_request(updated)
        self.changed.emit()
        return True

    def change_status(self, to_status: str) -> bool:
        if self.request is None:
            return False
        if to_status in st.final_outcomes("removal", "pd"):
            # An outcome is asked about, by client and date: one stray click must not close the request.
            label = st.PD_STATUS_LABELS.get(to_status, to_status)
            answer = QMessageBox.question(
                self, "A final status", f"Mark this PD request “{label}” for {self.request.client_name} on "
                f"{self.office.clock.today():%d %b %Y}? It is a final status.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            updated = self.office.pd_requests.change_pd_status(self.request.id, to_status, self.note_edit.text(),
                                                           self.request.version)
        except KantorError as error:
            show_error(self, error)
            return False
        self.note_edit.clear()
        self.set_request(updated)
        self.changed.emit()
        return True

    def _on_add_exhibit_clicked(self) -> None:
        text = self.exhibit_edit.text().strip()
        if text:
            self.exhibits_list.addItem(QListWidgetItem(text))
            self.exhibit_edit.clear()

    def _on_remove_exhibit_clicked(self) -> None:
        row = self.exhibits_list.currentRow()
        if row >= 0:
            self.exhibits_list.takeItem(row)
