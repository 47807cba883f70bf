"""A batch of letters: hearing reminders for every hearing in the next N days that has none yet, or a
status update for every matter with a given status; with progress and Cancel, then how many were
printed, where, and the one combined file to print.

Opened from the Hearings view and the Letters screen. The batch runs off the window's thread
through the background-task helper; letters written before a Cancel stay written and logged.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain import statuses as st
from kantor_cases.domain.changes import FOLLOW_UPS, HEARINGS, LETTERS, Changes
from kantor_cases.domain.errors import KantorError
from kantor_cases.domain.letter_records import BatchResult
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.operations import announce
from kantor_cases.ui.widgets.tasks import Progress, Task, Tasks

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

# (label, track, status) choices of the status-update batch.
_FIRM = [(f"Firm status: {st.FirmStatus(s).label}", "firm", s) for s in st.FIRM_TRANSITIONS if s != "closed"]
_COURT = [(f"Court: {label}", "government", s) for s, label in st.COURT_STATUS_LABELS.items()]
_BENEFIT = [(f"USCIS: {s.replace('_', ' ')}", "government", s) for s in st.BENEFIT_STATUSES]


class _Selection(TypedDict, total=False):
    """Which hearings or matters the batch is for, as the letter service's keywords."""

    hearings_within_days: int
    firm_status: str
    government_status: str


class LetterBatchDialog(QDialog):
    batch_finished = Signal(object)  # BatchResult

    def __init__(self, office: Office, parent: QWidget | None = None, tasks: Tasks | None = None,
                 template_id: str = "hearing-reminder", days: int = 30) -> None:
        super().__init__(parent)
        self.office = office
        self.tasks = tasks or Tasks(self)
        self.task: Task | None = None
        self.batch_result: BatchResult | None = None
        self.setWindowTitle("Print a batch of letters")
        self.resize(640, 520)

        self.template_combo = QComboBox()
        self.template_combo.addItem("Hearing reminders", "hearing-reminder")
        self.template_combo.addItem("Status updates", "status-update")
        self.days_spin = QSpinBox()
        self.days_spin.setRange(0, 366)
        self.days_spin.setValue(days)
        self.days_spin.setSuffix(" days")
        self.status_combo = QComboBox()
        for label, track, status in _FIRM + _COURT + _BENEFIT:
            self.status_combo.addItem(label, (track, status))
        self.force_check = QCheckBox("Print again for those that already have one")
        self.language_combo = QComboBox()
        self.language_combo.addItem("Each client's language", None)
        self.language_combo.addItem("English for everyone", "en")
        self.language_combo.addItem("Spanish for everyone", "es")
        self.form = QFormLayout()
        self.form.addRow("Letters", self.template_combo)
        self.form.addRow("Hearings in the next", self.days_spin)
        self.form.addRow("Matters with", self.status_combo)
        self.form.addRow("Language", self.language_combo)
        self.form.addRow("", self.force_check)
        self.candidates = QLabel()
        self.candidates.setWordWrap(True)

        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.hide()
        self.open_print_button = QPushButton("Open the &print file")
        self.open_folder_button = QPushButton("Open the &folder")
        self.open_print_button.hide()
        self.open_folder_button.hide()
        results = QHBoxLayout()
        results.addWidget(self.open_print_button)
        results.addWidget(self.open_folder_button)
        results.addStretch(1)

        self.run_button = QPushButton("&Print letters")
        self.run_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.run_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.candidates)
        layout.addWidget(self.outcome)
        layout.addWidget(self.problems, 1)
        layout.addLayout(results)
        layout.addWidget(buttons)

        self.template_combo.currentIndexChanged.connect(self._on_template_combo_changed)
        self.days_spin.valueChanged.connect(self._on_days_spin_changed)
        self.status_combo.currentIndexChanged.connect(self._on_status_combo_changed)
        self.force_check.toggled.connect(self._on_force_check_toggled)
        self.run_button.clicked.connect(self._on_run_button_clicked)
        self.open_print_button.clicked.connect(self._on_open_print_button_clicked)
        self.open_folder_button.clicked.connect(self._on_open_folder_button_clicked)
        self.template_combo.setCurrentIndex(max(0, self.template_combo.findData(template_id)))
        self._update_form()

    # --- the choice ----------------------------------------------------------------------------------------

    @property
    def template_id(self) -> str:
        return str(self.template_combo.currentData())

    def _selection(self) -> _Selection:
        if self.template_id == "hearing-reminder":
            return {"hearings_within_days": self.days_spin.value()}
        track, status = self.status_combo.currentData()
        return {"firm_status": status} if track == "firm" else {"government_status": status}

    def _update_form(self) -> None:
        reminders = self.template_id == "hearing-reminder"
        self.form.setRowVisible(self.days_spin, reminders)
        self.form.setRowVisible(self.status_combo, not reminders)
        try:
            to_send, sent = self.office.letters.batch_candidates(self.template_id, **self._selection())
        except KantorError as error:
            self.candidates.setText(str(error))
            self.run_button.setEnabled(False)
            return
        if self.force_check.isChecked():
            to_send, sent = to_send + sent, 0
        what = "hearing" if reminders else "matter"
        self.candidates.setText(
            f"<b>{to_send}</b> letter{'s' if to_send != 1 else ''} to print"
            + (f"; {sent} {what}{'s' if sent != 1 else ''} already have one and will be skipped" if sent else "")
            + ". Each client gets the letter in their preferred language unless you choose one.")
        self.run_button.setEnabled(to_send > 0 and self.task is None)
        # Big batches render in worker processes; start them now, while the choice is being made.
        self.office.letters.start_workers(expected_letters=to_send)

    # --- running -------------------------------------------------------------------------------------------

    def run(self) -> Task:
        """Start the batch in the background; `task.done` fires when it has finished either way."""
        template_id = self.template_id
        selection = self._selection()
        force = self.force_check.isChecked()
        language = self.language_combo.currentData()
        letters = self.office.letters

        def work(progress: Progress) -> BatchResult:  # runs off the GUI thread: no widgets here
            return letters.run_batch(template_id, force=force, language=language, progress=progress, **selection)

        self.run_button.setEnabled(False)
        self.outcome.setText("Printing…")
        title = "Printing hearing reminders" if template_id == "hearing-reminder" else "Printing status updates"
        self.task = self.tasks.run(title, work, self._on_task_done, self._on_task_failed)
        return self.task

    def show_result(self, result: BatchResult) -> None:
        self.batch_result = result
        what = "hearing reminder" if result.template_id == "hearing-reminder" else "status update"
        lines = [f"<b>{result.count} {what}{'s' if result.count != 1 else ''} printed</b> and logged"
                 + (f" in {result.seconds:.1f} s" if result.count else "") + "."]
        if result.cancelled:
            lines.append("Cancelled: the letters printed before Cancel are kept and logged; running the batch "
                         "again prints the rest.")
        if result.skipped:
            lines.append(f"{result.skipped} already had one and were skipped.")
        if result.problems:
            lines.append(f"<span style='color:#b00020'>{len(result.problems)} could not be printed</span> "
                         "(listed below: fix the records and run the batch again).")
        if result.count:
            lines.append(f"Folder: {result.folder}")
        self.outcome.setText("<br>".join(lines))
        self.problems.clear()
        for problem in result.problems:
            self.problems.addItem(f"{problem.client_name}: {problem.message}")
        self.problems.setVisible(bool(result.problems))
        self.open_print_button.setVisible(bool(result.combined_path))
        self.open_folder_button.setVisible(bool(result.count))

    # --- slots ---------------------------------------------------------------------------------------------

    def _on_template_combo_changed(self, _index: int) -> None:
        self._update_form()

    def _on_days_spin_changed(self, _value: int) -> None:
        self._update_form()

    def _on_status_combo_changed(self, _index: int) -> None:
        self._update_form()

    def _on_force_check_toggled(self, _on: bool) -> None:
        self._update_form()

    def _on_run_button_clicked(self) -> None:
        self.run()

    def _on_task_done(self, result: BatchResult) -> None:
        self.task = None
        self.show_result(result)
        self._update_form()
        announce(Changes.many(LETTERS, HEARINGS, FOLLOW_UPS))
        self.batch_finished.emit(result)

    def _on_task_failed(self, error: BaseException) -> None:
        self.task = None
        self.outcome.setText("The batch stopped with an error; the letters printed before it are logged.")
        self._update_form()
        show_error(self, error)

    def _on_open_print_button_clicked(self) -> None:
        if self.batch_result is not None and self.batch_result.combined_path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.batch_result.combined_path))

    def _on_open_folder_button_clicked(self) -> None:
        if self.batch_result is not None and self.batch_result.folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.batch_result.folder))))
