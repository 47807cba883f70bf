"""New-client intake as four short steps: who the person is → the conflict check (looked at and
acknowledged) → the first matter with its key facts → done.

Client, conflict report and matter are saved together by `IntakeService.intake`, in one
transaction, when the user leaves the matter page; nothing is written before that.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from kantor_cases.domain.changes import Changes
from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.domain.records import (
    ClientDetails,
    ClientDraft,
    ConflictCandidate,
    ConflictHit,
    ConflictReport,
    MatterDetails,
)
from kantor_cases.services.validation import validate_client
from kantor_cases.ui.clients.client_form import ClientForm
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.file_dialogs import PDF, save_file_name
from kantor_cases.ui.widgets.form_dialog import discard_confirmed
from kantor_cases.ui.widgets.matter_form import MatterForm
from kantor_cases.ui.widgets.operations import run_change
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.record_table_model import RecordColumn, RecordTableModel
from kantor_cases.ui.widgets.roles import allow

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

KIND_LABELS = {"client": "Client", "related": "Family member of a client", "party": "Organisation"}


def _whose(hit: ConflictHit) -> str:
    return hit.relation or KIND_LABELS.get(hit.kind, hit.kind)


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the wizard gives a page's first focusable widget the cursor
    area.setWidget(widget)
    return area


class _IdentityPage(QWizardPage):
    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self.setTitle("Who is the new client?")
        self.setSubTitle("A given or family name is enough to start; add the A-number if there is one, it makes "
                         "the conflict check sharper.")
        self.form = ClientForm(compact=True)
        self.opposing_edit = QLineEdit()
        self.opposing_edit.setPlaceholderText("Employer or other opposing party, if any")
        self.form.add("opposing", "Opposing party", self.opposing_edit, "Checked for conflicts too")
        layout = QVBoxLayout(self)
        layout.addWidget(_scrolled(self.form))
        self._wizard = wizard

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        # Typing starts at once after Ctrl+N: the first keystrokes must not be lost (so now, not
        # after the event loop turns).
        self.form.edits["given_name"].setFocus(Qt.FocusReason.OtherFocusReason)

    def typed_anything(self) -> bool:
        return (any(edit.text().strip() for edit in self.form.edits.values())
                or bool(self.form.notes_edit.toPlainText().strip()) or bool(self.opposing_edit.text().strip()))

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        try:
            self._wizard.client_draft = validate_client(self.form.draft(), self._wizard.office.clock.today())
        except ValidationError as error:
            self.form.show_errors(error.fields)
            return False
        self.form.clear_errors()
        return True


class _ConflictPage(QWizardPage):
    """The conflict check's results: each hit says whose record it is and opens it (Enter or double
    click: the client's window, or the matter an organisation is a party in); Save as PDF… keeps the
    check as the attorney will read it (the intake files it in the client's file by itself)."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Conflict check")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = RecordTableModel([
            RecordColumn("Name", lambda h: h.name, 170),
            RecordColumn("Whose record", _whose, 250, tooltip=_whose),
            RecordColumn("Why it may be the same", lambda h: "; ".join(h.reasons), 220,
                         tooltip=lambda h: "; ".join(h.reasons)),
            RecordColumn("Match", lambda h: f"{h.score}%", 60, sort_value=lambda h: h.score),
        ], parent=self)
        self.table = RecordTable(self.model, "intake/conflicts", sortable=False)
        self.table.setToolTip("Enter or double click opens the client or matter")
        self.table.setWordWrap(True)  # whose record it is reads whole, not cut off
        self.table.activated.connect(self._on_hit_activated)
        self.acknowledge = QCheckBox("I have looked at these results; take the client in.")
        self.acknowledge.toggled.connect(self.completeChanged)
        self.save_button = QPushButton("Save as PDF…")
        self.save_button.clicked.connect(self._on_save_clicked)
        bottom = QHBoxLayout()
        bottom.addWidget(self.acknowledge, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def _on_hit_activated(self, index: QModelIndex) -> None:
        hit = self.model.record(index.row())
        if hit is None:
            return
        if hit.kind == "party":
            if hit.matter_id is not None:
                self._wizard.open_matter_requested.emit(hit.matter_id)
        elif hit.client_id is not None:
            self._wizard.open_client_requested.emit(hit.client_id)

    def _on_save_clicked(self) -> None:
        report = self._wizard.report
        if report is None:
            return
        office = self._wizard.office
        target = save_file_name(self, office.locations.database, PDF, "Save the conflict check as PDF",
                                f"conflict-check {report.checked_at:%Y-%m-%d %H%M}.pdf", "PDF files (*.pdf)")
        if target is None:
            return
        decision = (f"Acknowledged by {office.user}: the results were looked at; the intake is not saved yet."
                    if self.acknowledge.isChecked() else "")
        # The save dialog has asked before replacing a file; the office's own files are refused still.
        run_change(self, "Saving the conflict check…",
                   lambda: office.conflicts.export_pdf(report, target, decision, force=True),
                   Changes(frozenset()), on_done=self._on_saved, on_error=lambda error: show_error(self, error))

    def _on_saved(self, written: Path) -> None:
        self.summary.setText(f"{self.summary.text()}\n\nSaved to {written}.")

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        draft = self._wizard.client_draft
        assert draft is not None
        name = " ".join(p for p in (draft.given_name, draft.middle_name, draft.family_name,
                                    draft.second_family_name) if p)
        candidate = ConflictCandidate(name=name, a_number=draft.a_number, date_of_birth=draft.date_of_birth,
                                      employer=self._wizard.identity.opposing_edit.text().strip())
        self.acknowledge.setChecked(False)
        try:
            report = self._wizard.office.conflicts.check(candidate)
        except KantorError as error:
            self._wizard.report = None
            self.save_button.setEnabled(False)
            self.summary.setText(f"The conflict check could not run: {error}")
            self.model.set_records([])
            return
        self._wizard.report = report
        self.model.set_records(report.hits)
        self.table.resizeRowsToContents()
        allow(self.save_button, self._wizard.office.role(), "clients.export")
        if report.clear:
            self.setSubTitle(f"No one in the office's records looks like {name}.")
            self.summary.setText("No possible conflicts found among clients, their family members and the "
                                 "organisations on file.")
            self.table.hide()
        else:
            self.setSubTitle(f"{len(report.hits)} possible conflict{'s' if len(report.hits) != 1 else ''} "
                             f"for {name}. Read each one before going on.")
            self.summary.setText("These people or organisations may be the same as the new client or the "
                                 "opposing party. If one is an adverse party in another matter, stop and talk "
                                 "to the attorney. Enter or a double click opens the client or matter.")
            self.table.show()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self._wizard.report is not None and self.acknowledge.isChecked()


class _MatterPage(QWizardPage):
    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("The first matter")
        self.setSubTitle("What the office will do for this client. Key facts can be completed later.")
        self.form = MatterForm(wizard.office)
        layout = QVBoxLayout(self)
        layout.addWidget(_scrolled(self.form))
        self.setButtonText(QWizard.WizardButton.NextButton, "Save client and matter")

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        opposing = self._wizard.identity.opposing_edit.text().strip()
        if opposing and not self.form.employer_text():
            self.form.employer_combo.setEditText(opposing)

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        wizard = self._wizard
        assert wizard.client_draft is not None and wizard.report is not None
        try:
            matter = self.form.draft(create_parties=True)
            wizard.client, wizard.matter = wizard.office.intake.intake(
                wizard.client_draft, wizard.report, True, matter)
        except ValidationError as error:
            client_fields = set(wizard.identity.form.fields)
            if client_fields & set(error.fields):
                # A client field the service refused (e.g. an A-number another client has).
                wizard.identity.form.show_errors(error.fields)
                self.form.show_errors({"": "The client's details need a correction: " + str(error)
                                       + " Go Back to fix it."})
            else:
                self.form.show_errors(error.fields)
            return False
        except KantorError as error:
            show_error(self, error)
            return False
        return True


class _DonePage(QWizardPage):
    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Done")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        client, matter = self._wizard.client, self._wizard.matter
        assert client is not None and matter is not None
        hits = len(self._wizard.report.hits) if self._wizard.report else 0
        self.label.setText(
            f"<p><b>{escape(client.full_name)}</b> is now client {client.id}, with the matter "
            f"<b>{escape(matter.title)}</b> (intake).</p><p>The conflict check ({hits} possible conflicts) was "
            f"acknowledged by {escape(self._wizard.office.user)} and is kept with the matter.</p>"
            "<p>Press <b>Finish</b> to open the client.</p>")


class IntakeWizard(QWizard):
    client_created = Signal(int)
    # A conflict hit opened from the conflict page; the shell opens the window (features never
    # open each other's).
    open_client_requested = Signal(int)
    open_matter_requested = Signal(int)

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.setWindowTitle("New client intake")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.client_draft: ClientDraft | None = None
        self.report: ConflictReport | None = None
        self.client: ClientDetails | None = None
        self.matter: MatterDetails | None = None
        self.identity = _IdentityPage(self)
        self.conflicts = _ConflictPage(self)
        self.matter_page = _MatterPage(self)
        self.done_page = _DonePage(self)
        for page in (self.identity, self.conflicts, self.matter_page, self.done_page):
            self.addPage(page)
        self.resize(760, 640)
        self.finished.connect(self._on_finished)

    def reject(self) -> None:
        """Esc or Cancel: an intake with something typed and no client saved yet asks first."""
        if self.client is None and self.identity.typed_anything() and not discard_confirmed(
                self, "Discard this intake?", "Nothing has been saved yet; what you typed will be lost."):
            return
        super().reject()

    def _on_finished(self, _result: int) -> None:
        if self.client is not None:
            self.client_created.emit(self.client.id)
