"""Settings → Deadline rules: the version of each rule in force today, the stored versions the
attorney can put in use with one switch, and the firm's own version of a rule (period, citation,
effective date, reason). Changing a rule recomputes the open deadlines it reaches; the old dates
stay as history and the service audits every step. Only an attorney may change a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain import permissions
from kantor_cases.domain.deadline_rules import RULES, Period, RuleVersion, Unit, select_version
from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.ui.widgets.date_field import to_qdate
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.field_form import FieldForm
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.record_table_model import RecordColumn, RecordTableModel
from kantor_cases.ui.widgets.roles import allow

if TYPE_CHECKING:
    from kantor_cases.services.office import Office


@dataclass(frozen=True)
class _RuleRow:
    rule_id: str
    version: RuleVersion
    watch: str


class DeadlineRulesBox(QGroupBox):
    rules_changed = Signal()

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__("Deadline rules", parent)
        self.office = office
        self.model = RecordTableModel([
            RecordColumn("Rule", lambda r: r.rule_id, 170),
            RecordColumn("Period today", lambda r: str(r.version.period) if r.version.period else "from a notice",
                         100),
            RecordColumn("Version", lambda r: r.version.label, 200, tooltip=lambda r: r.version.note or r.watch),
            RecordColumn("Citation", lambda r: r.version.citation, 240),
            RecordColumn("Reviewed", lambda r: f"{r.version.last_reviewed:%d %b %Y}", 90,
                         sort_value=lambda r: r.version.last_reviewed),
        ], parent=self)
        self.table = RecordTable(self.model, "settings/deadline-rules")
        self.table.setMinimumHeight(160)
        self.watch_label = QLabel()
        self.watch_label.setWordWrap(True)

        # One checkbox per stored version that only a switch puts in use.
        self.switch_boxes: dict[str, QCheckBox] = {}
        switches = QVBoxLayout()
        for rule in RULES.values():
            for version in rule.versions:
                if version.switch:
                    box = QCheckBox(f"{rule.id}: use “{version.label}”")
                    box.setProperty("note", version.note)
                    box.clicked.connect(lambda checked, switch=version.switch: self._on_switch_clicked(switch,
                                                                                                      checked))
                    self.switch_boxes[version.switch] = box
                    switches.addWidget(box)

        # The firm's own version of a rule.
        self.form = FieldForm()
        self.rule_combo = QComboBox()
        for rule in RULES.values():
            if rule.period is not None and not rule.due_from_notice and rule.window is None:
                self.rule_combo.addItem(f"{rule.id} ({rule.period})", rule.id)
        self.amount = QSpinBox()
        self.amount.setRange(1, 3660)
        self.amount.setValue(30)
        self.unit_combo = QComboBox()
        for unit in (Unit.DAYS, Unit.MONTHS, Unit.YEARS):
            self.unit_combo.addItem(str(unit), str(unit))
        period_row = QWidget()
        period_layout = QHBoxLayout(period_row)
        period_layout.setContentsMargins(0, 0, 0, 0)
        period_layout.addWidget(self.amount)
        period_layout.addWidget(self.unit_combo, 1)
        self.citation = QLineEdit()
        self.effective_from = QDateEdit(to_qdate(office.clock.today()))
        self.effective_from.setCalendarPopup(True)
        self.effective_from.setDisplayFormat("dd MMM yyyy")
        self.reason = QLineEdit()
        self.form.add("rule", "Rule", self.rule_combo)
        self.form.add("period", "New period", period_row)
        self.form.add("citation", "Citation", self.citation, "What the new period rests on")
        self.form.add("effective_from", "For triggers from", self.effective_from)
        self.form.add("reason", "Reason", self.reason, "Kept in the audit trail and beside each date")
        self.add_button = QPushButton("Add firm version")
        self.add_button.clicked.connect(self.add_version)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.who_note = QLabel()
        self.who_note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.watch_label)
        layout.addLayout(switches)
        layout.addWidget(self.form)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        layout.addWidget(self.who_note)
        self.refresh()

    def refresh(self) -> None:
        firm = self.office.deadlines.firm_rules()
        today = self.office.clock.today()
        self.model.set_records([_RuleRow(rule.id, select_version(rule, today, firm), rule.watch)
                                for rule in RULES.values()])
        self.watch_label.setText("<br>".join(f"<b>{rule.id}</b>: {rule.watch}" for rule in RULES.values()
                                             if rule.watch))
        for switch, box in self.switch_boxes.items():
            box.setChecked(switch in firm.switches)
        role = self.office.role()
        may = allow(self.add_button, role, "deadline_rules.edit")
        for box in self.switch_boxes.values():
            allow(box, role, "deadline_rules.edit", tip=box.property("note"))
        self.who_note.setText("" if may else permissions.denial(role, "deadline_rules.edit"))

    def set_switch(self, switch: str, on: bool, reason: str) -> bool:
        """Turn a stored version on or off; the open deadlines it reaches are recomputed."""
        deadlines = self.office.deadlines
        try:
            moved = (deadlines.turn_on_version(switch, reason) if on
                     else deadlines.turn_off_version(switch, reason))
        except KantorError as error:
            show_error(self, error)
            self.refresh()
            return False
        self.status.setText(f"{len(moved)} open deadlines recomputed; the old dates are kept as history.")
        self.refresh()
        self.rules_changed.emit()
        return True

    def add_version(self) -> bool:
        chosen = self.effective_from.date()
        try:
            moved = self.office.deadlines.add_rule_version(
                self.rule_combo.currentData(), Period(self.amount.value(), Unit(self.unit_combo.currentData())),
                self.citation.text(), date(chosen.year(), chosen.month(), chosen.day()), self.reason.text())
        except ValidationError as error:
            self.form.show_errors(error.fields)
            return False
        except KantorError as error:
            show_error(self, error)
            return False
        self.form.clear_errors()
        self.citation.clear()
        self.reason.clear()
        self.status.setText(f"Firm version added; {len(moved)} open deadlines recomputed, the old dates kept "
                            "as history.")
        self.refresh()
        self.rules_changed.emit()
        return True

    def _on_switch_clicked(self, switch: str, checked: bool) -> None:
        reason, given = QInputDialog.getText(
            self, "Deadline rule", "Why (a court order, a new regulation …)? It goes in the audit trail.")
        if not given:
            self.refresh()
            return
        self.set_switch(switch, checked, reason)
