"""The Hearings screen: every hearing across the office in the next 7, 30 or 90 days, by court and
date, with client, judge, hearing type and whether the reminder letter has gone out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain.changes import HEARINGS, LETTERS, MATTERS
from kantor_cases.ui.hearings.hearings_table_model import HearingsTableModel
from kantor_cases.ui.widgets.operations import watch
from kantor_cases.ui.widgets.preferences import HEARINGS_DAYS
from kantor_cases.ui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

RANGES = (7, 30, 90)


class HearingsPanel(QWidget):
    open_client_requested = Signal(int)
    open_matter_requested = Signal(int)
    # The letters feature prints the batch; the shell connects this to it (and refreshes us after).
    print_reminders_requested = Signal(int)

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.days = HEARINGS_DAYS.read()
        if self.days not in RANGES:
            self.days = 7
        self.model = HearingsTableModel(office.hearings, self.days, self)
        self.table = RecordTable(self.model, "hearings", sortable=False)
        self.table.activated.connect(self._on_table_activated)
        self.buttons = QButtonGroup(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("<h2>Hearings</h2>"))
        row.addStretch(1)
        self.court_combo = QComboBox()
        self.court_combo.addItem("All courts", None)
        for court in office.settings.courts():
            self.court_combo.addItem(f"{court.name} ({court.code})", court.id)
        # A long court name must not make the screen wider than a 1,024-px laptop.
        self.court_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.court_combo.setMinimumContentsLength(22)
        self.court_combo.currentIndexChanged.connect(self._on_court_combo_changed)
        row.addWidget(self.court_combo)
        row.addSpacing(12)
        row.addWidget(QLabel("Next"))
        for days in RANGES:
            button = QRadioButton(f"{days} days")
            button.setChecked(days == self.days)
            self.buttons.addButton(button, days)
            row.addWidget(button)
        self.buttons.idClicked.connect(self._on_buttons_clicked)
        row.addSpacing(12)
        self.reminders_button = QPushButton("Send reminder letters…")
        self.reminders_button.setToolTip("Print a hearing reminder for every hearing in this range that has none yet")
        self.reminders_button.clicked.connect(self._on_reminders_button_clicked)
        row.addWidget(self.reminders_button)
        self.summary = QLabel()
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        # "Reminder sent" follows letters printed anywhere (a matter's Letters tab, a batch).
        watch(self, (HEARINGS, LETTERS, MATTERS), lambda _changes: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        court_id = self.court_combo.currentData()
        self.model.set_range(self.days, court_id)
        total, courts, missing = self.office.hearings.upcoming_hearing_counts(self.days, court_id=court_id)
        self.summary.setText(
            f"{total:,} hearing{'s' if total != 1 else ''} in the next {self.days} days"
            + (f" at {courts} court{'s' if courts != 1 else ''}" if total else "")
            + (f" — {missing:,} without a reminder letter" if missing else ""))
        if total:
            self.stack.setCurrentWidget(self.table)
        else:
            self.empty.setText(f"No hearings in the next {self.days} days.\n\nHearings are added on a client's "
                               "removal defense matter (open the client, then the matter, then Hearings).")
            self.stack.setCurrentWidget(self.empty)

    def set_days(self, days: int) -> None:
        self.days = days
        self.buttons.button(days).setChecked(True)
        HEARINGS_DAYS.write(days)
        self.refresh()

    def _on_court_combo_changed(self, _index: int) -> None:
        self.refresh()

    def _on_buttons_clicked(self, days: int) -> None:
        self.set_days(days)

    def _on_reminders_button_clicked(self) -> None:
        self.print_reminders_requested.emit(self.days)

    def _on_table_activated(self, index: QModelIndex) -> None:
        hearing = self.model.record(index.row())
        if hearing is not None:
            self.open_matter_requested.emit(hearing.matter_id)
