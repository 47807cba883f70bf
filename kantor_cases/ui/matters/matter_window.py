"""One matter: our status and the court's or agency's, each moved only along its allowed next
steps, and the pages of its kind — removal defense (court, judge, custody, relief, EOIR check,
hearings, PD requests), employment claim (claim types, parties, agency filings), benefit forms.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain import permissions
from kantor_cases.domain import statuses as st
from kantor_cases.domain.changes import FOLLOW_UPS, LETTERS, MATTER_PARTS, Changes
from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.domain.records import (
    AgencyFilingDraft,
    EmploymentClaimDraft,
    MatterDetails,
    PdRequestDraft,
    RemovalCaseDraft,
)
from kantor_cases.ui.matters.hearing_dialog import HearingDialog
from kantor_cases.ui.matters.pd_request_editor import PdRequestEditor
from kantor_cases.ui.widgets.checklist import Checklist
from kantor_cases.ui.widgets.date_field import DateField
from kantor_cases.ui.widgets.deadlines_view import DeadlinesView
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.field_form import FieldForm
from kantor_cases.ui.widgets.follow_ups_tab import FollowUpsTab
from kantor_cases.ui.widgets.form_dialog import discard_confirmed, field_values
from kantor_cases.ui.widgets.layouts import clear_layout
from kantor_cases.ui.widgets.operations import announce, watch
from kantor_cases.ui.widgets.preferences import MATTER_WINDOW, PD_REQUEST_SPLITTER
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.record_table_model import RecordColumn, RecordTableModel
from kantor_cases.ui.widgets.roles import allow
from kantor_cases.ui.widgets.scrolling import fit_to_screen

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

STALE_EOIR_DAYS = 7


def _with_buttons(table: QWidget, *buttons: QPushButton) -> QWidget:
    """A tab page: the table, and its buttons in a row under it on the right."""
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addWidget(table, 1)
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    layout.addLayout(row)
    return page


def _date(value: date | None) -> str:
    return f"{value:%d %b %Y}" if value else ""


class MatterWindow(QWidget):
    open_client_requested = Signal(int)

    def __init__(self, office: Office, matter_id: int, parent: QWidget | None = None,
                 letters_tab: Callable[[MatterWindow], QWidget] | None = None,
                 history_tab: Callable[[MatterWindow], QWidget] | None = None) -> None:
        """`letters_tab` builds the Letters tab and `history_tab` the History tab (who did what and
        when); the shell passes the letters and history features' widgets."""
        super().__init__(parent, Qt.WindowType.Window)
        self.office = office
        self.matter_id = matter_id
        self.details: MatterDetails = office.matters.view(matter_id)  # a restricted client's matter: audited

        self.title_label = QLabel()
        self.facts_label = QLabel()
        self.client_button = QPushButton()
        self.client_button.setFlat(True)
        self.client_button.setStyleSheet("text-align:left; color: palette(link); text-decoration: underline;")
        self.client_button.clicked.connect(self._on_client_button_clicked)
        self.edit_button = QPushButton("Edi&t title and attorney…")
        self.edit_button.setToolTip("Rename the matter or hand it to another attorney (Ctrl+E)")
        self.edit_button.clicked.connect(self._on_edit_clicked)
        header = QVBoxLayout()
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label, 1)
        title_row.addWidget(self.edit_button)
        header.addLayout(title_row)
        client_row = QHBoxLayout()
        client_row.addWidget(self.client_button)
        client_row.addWidget(self.facts_label, 1)
        header.addLayout(client_row)

        self.firm_label = QLabel()
        self.firm_buttons = QHBoxLayout()
        firm_box = QGroupBox("Our work")
        firm_layout = QVBoxLayout(firm_box)
        firm_layout.addWidget(self.firm_label)
        firm_layout.addLayout(self.firm_buttons)
        self.government_label = QLabel()
        self.government_combo = QComboBox()
        self.government_note = QLineEdit()
        self.government_note.setPlaceholderText("Note (optional)")
        self.decision_date = DateField()
        self.decision_date.setToolTip("For a decision: the date it was entered (starts the appeal deadlines)")
        self.record_button = QPushButton("Record")
        self.record_button.clicked.connect(self._on_record_clicked)
        self.record_button.setEnabled(False)
        self._role = permissions.READ_ONLY
        self.government_combo.currentIndexChanged.connect(lambda _index: self._update_record_button())
        self.government_box = QGroupBox("Court / agency")
        government_layout = QVBoxLayout(self.government_box)
        government_layout.addWidget(self.government_label)
        row = QHBoxLayout()
        row.addWidget(QLabel("Now:"))
        row.addWidget(self.government_combo, 1)
        row.addWidget(self.decision_date)
        row.addWidget(self.record_button)
        government_layout.addLayout(row)
        government_layout.addWidget(self.government_note)
        statuses = QHBoxLayout()
        statuses.addWidget(firm_box, 1)
        statuses.addWidget(self.government_box, 2)

        self.tabs = QTabWidget()
        kind = self.details.kind
        if kind == "removal":
            self.tabs.addTab(self._build_removal(), "&Court case")
            self.tabs.addTab(self._build_hearings(), "&Hearings")
            self.tabs.addTab(self._build_pd(), "&PD requests")
        if kind == "employment":
            self.tabs.addTab(self._build_employment(), "&Employment claim")
        if kind == "benefit":
            self.tabs.addTab(self._build_benefits(), "&Applications")
        self.deadlines_view = DeadlinesView(office, matter_id=matter_id)
        self.tabs.addTab(self.deadlines_view, "&Deadlines")
        self.letters_tab = letters_tab(self) if letters_tab is not None else None
        if self.letters_tab is not None:
            self.tabs.addTab(self.letters_tab, "&Letters")
        self.history_list = QListWidget()
        self.tabs.addTab(self.history_list, "Status hi&story")
        if history_tab is not None:
            self.tabs.addTab(history_tab(self), "Histor&y")
        self.follow_ups_tab = FollowUpsTab(office, matter_id=matter_id, shortcut_owner=self,
                                           about=f"{self.details.client_name} — {self.details.title}")
        self.tabs.addTab(self.follow_ups_tab, "Follow-&ups")

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(statuses)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence("Ctrl+W"), self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        QShortcut(QKeySequence.StandardKey.Save, self, self._on_save_shortcut)
        QShortcut(QKeySequence("Ctrl+E"), self, self._on_edit_clicked)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_last_change)
        self.show_details(self.details)
        # A reminder letter printed elsewhere marks this matter's hearing sent; a deadline done on
        # Today leaves its list.
        watch(self, (*MATTER_PARTS, FOLLOW_UPS, LETTERS),
              lambda changes: self.reload() if changes.touches_matter(self.matter_id) else None)
        fit_to_screen(self, 1060, 760)
        MATTER_WINDOW.restore_geometry(self)

    # --- removal defense -----------------------------------------------------------------------------

    def _build_removal(self) -> QWidget:
        self.removal_form = FieldForm()
        self.court_combo = QComboBox()
        self.court_combo.addItem("(court not known yet)", None)
        for court in self.office.settings.courts():
            self.court_combo.addItem(f"{court.name} ({court.code})", court.id)
        self.judge_edit = QLineEdit()
        self.proceeding_edit = QLineEdit()
        self.custody_combo = QComboBox()
        for key, label in st.CUSTODY_STATES.items():
            self.custody_combo.addItem(label, key)
        self.nta_date = DateField()
        self.charges_edit = QLineEdit()
        self.relief_list = Checklist(st.RELIEF_TYPES)
        self.removal_form.add("court_id", "Immigration court", self.court_combo)
        self.removal_form.add("judge", "Judge", self.judge_edit)
        self.removal_form.add("proceeding_type", "Proceeding", self.proceeding_edit)
        self.removal_form.add("custody", "Custody", self.custody_combo)
        self.removal_form.add("nta_date", "NTA date", self.nta_date)
        self.removal_form.add("charges", "Charges", self.charges_edit)
        self.removal_form.add("relief_sought", "Relief sought", self.relief_list)
        save = QPushButton("Save court case")
        save.clicked.connect(self.save_removal)

        self.eoir_label = QLabel()
        self.eoir_label.setWordWrap(True)
        self.channel_combo = QComboBox()
        for key, label in st.EOIR_CHANNELS.items():
            self.channel_combo.addItem(label, key)
        self.verify_button = QPushButton("Verify now")
        self.verify_button.setToolTip("Record that you checked the case with EOIR today")
        self.verify_button.clicked.connect(self._on_verify_clicked)
        eoir = QGroupBox("EOIR status check")
        eoir_layout = QVBoxLayout(eoir)
        eoir_layout.addWidget(self.eoir_label)
        eoir_row = QHBoxLayout()
        eoir_row.addWidget(QLabel("Checked via"))
        eoir_row.addWidget(self.channel_combo, 1)
        eoir_row.addWidget(self.verify_button)
        eoir_layout.addLayout(eoir_row)
        eoir_layout.addStretch(1)

        page = QWidget()
        layout = QHBoxLayout(page)
        left = QVBoxLayout()
        left.addWidget(self.removal_form)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(save)
        left.addLayout(save_row)
        left.addStretch(1)
        layout.addLayout(left, 3)
        layout.addWidget(eoir, 2)
        return page

    def _build_hearings(self) -> QWidget:
        self.hearings_model = RecordTableModel([
            RecordColumn("When", lambda h: f"{h.starts_at:%a %d %b %Y %H:%M}", 170, sort_value=lambda h: h.starts_at),
            RecordColumn("Type", lambda h: st.HEARING_TYPES.get(h.hearing_type, h.hearing_type), 170),
            RecordColumn("Court", lambda h: h.court_code, 60, tooltip=lambda h: h.court_name),
            RecordColumn("Room", lambda h: h.courtroom, 70),
            RecordColumn("Judge", lambda h: h.judge, 130),
            RecordColumn("Interpreter", lambda h: h.interpreter_language, 90),
            RecordColumn("Reminder", lambda h: "sent" if h.reminder_sent else "not sent", 80),
            RecordColumn("Result", lambda h: h.result, 160),
            RecordColumn("Next step", lambda h: h.next_step, 160),
        ], parent=self)
        self.hearings_table = RecordTable(self.hearings_model, "matter/hearings")
        self.hearings_table.activated.connect(self._on_hearings_table_activated)
        add = QPushButton("Add hearing…")
        add.clicked.connect(self._on_add_hearing_clicked)
        edit = QPushButton("Edit / record result…")
        edit.clicked.connect(self._on_edit_hearing_clicked)
        delete = QPushButton("Delete")
        delete.clicked.connect(self._on_delete_hearing_clicked)
        return _with_buttons(self.hearings_table, add, edit, delete)

    def _build_pd(self) -> QWidget:
        self.pd_list = QListWidget()
        self.pd_list.currentRowChanged.connect(self._on_pd_list_row_changed)
        new = QPushButton("New PD request")
        new.clicked.connect(self._on_new_pd_clicked)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.pd_list, 1)
        left_layout.addWidget(new)
        self.pd_editor = PdRequestEditor(self.office)
        self.pd_editor.changed.connect(self._on_pd_editor_changed)
        self.pd_empty = QLabel("No PD request on this matter yet.\nClick “New PD request” to start one.")
        self.pd_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.pd_editor)
        right_layout.addWidget(self.pd_empty)
        self.pd_splitter = QSplitter()
        self.pd_splitter.addWidget(left)
        self.pd_splitter.addWidget(right)
        self.pd_splitter.setStretchFactor(1, 4)
        self.pd_splitter.setSizes([230, 900])
        PD_REQUEST_SPLITTER.restore_state(self.pd_splitter)
        return self.pd_splitter

    # --- employment ----------------------------------------------------------------------------------------

    def _build_employment(self) -> QWidget:
        self.employment_form = FieldForm()
        self.claims_list = Checklist(st.CLAIM_TYPES)
        self.employer_combo = QComboBox()
        self.counsel_combo = QComboBox()
        for combo, kind in ((self.employer_combo, "employer"), (self.counsel_combo, "opposing_counsel")):
            combo.addItem("(none)", None)
            for party in self.office.settings.parties(kind):
                combo.addItem(party.name, party.id)
        self.rts_issued = DateField()
        self.rts_received = DateField()
        self.employment_form.add("claim_types", "Claim types", self.claims_list)
        self.employment_form.add("employer_id", "Employer", self.employer_combo)
        self.employment_form.add("opposing_counsel_id", "Opposing counsel", self.counsel_combo)
        self.employment_form.add("right_to_sue_issued_on", "Right to sue issued", self.rts_issued)
        self.employment_form.add("right_to_sue_received_on", "Right to sue received", self.rts_received,
                                 "EEOC: the 90 days run from receipt; CRD: one year from issue")
        save = QPushButton("Save claim")
        save.clicked.connect(self.save_employment)

        self.filings_model = RecordTableModel([
            RecordColumn("Agency", lambda f: st.AGENCIES.get(f.agency, f.agency), 200),
            RecordColumn("Number", lambda f: f.number, 130),
            RecordColumn("Filed", lambda f: _date(f.filed_on), 100, sort_value=lambda f: f.filed_on),
            RecordColumn("Right to sue issued", lambda f: _date(f.right_to_sue_issued_on), 130),
            RecordColumn("Right to sue received", lambda f: _date(f.right_to_sue_received_on), 130),
        ], parent=self)
        self.filings_table = RecordTable(self.filings_model, "matter/filings")
        self.filing_form = FieldForm()
        self.agency_combo = QComboBox()
        for key, label in st.AGENCIES.items():
            self.agency_combo.addItem(label, key)
        self.filing_number = QLineEdit()
        self.filing_number.setPlaceholderText("EEOC 480-2026-01234, NLRB 21-CA-123456…")
        self.filing_date = DateField()
        self.filing_issued = DateField()
        self.filing_received = DateField()
        self.filing_form.add("agency", "Agency", self.agency_combo)
        self.filing_form.add("number", "Number", self.filing_number)
        self.filing_form.add("filed_on", "Filed on", self.filing_date)
        self.filing_form.add("right_to_sue_issued_on", "Right to sue issued", self.filing_issued)
        self.filing_form.add("right_to_sue_received_on", "Right to sue received", self.filing_received)
        add_filing = QPushButton("Add filing")
        add_filing.clicked.connect(self._on_add_filing_clicked)

        page = QWidget()
        layout = QHBoxLayout(page)
        left = QVBoxLayout()
        left.addWidget(self.employment_form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(save)
        left.addLayout(row)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(QLabel("<b>Agency filings</b>"))
        right.addWidget(self.filings_table, 1)
        right.addWidget(self.filing_form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(add_filing)
        right.addLayout(row)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        return page

    def _build_benefits(self) -> QWidget:
        self.benefits_model = RecordTableModel([
            RecordColumn("Form", lambda b: b.form, 90),
            RecordColumn("Receipt number", lambda b: b.receipt_number, 140),
            RecordColumn("Filed", lambda b: _date(b.filed_on), 100, sort_value=lambda b: b.filed_on),
            RecordColumn("Status", lambda b: st.BENEFIT_STATUS_LABELS.get(b.status, b.status), 180),
            RecordColumn("Notes", lambda b: b.notes, 200),
        ], parent=self)
        self.benefits_table = RecordTable(self.benefits_model, "matter/benefits")
        self.benefits_table.activated.connect(self._on_benefits_table_activated)
        add = QPushButton("Add application…")
        add.clicked.connect(self._on_add_benefit_clicked)
        edit = QPushButton("Edit / record progress…")
        edit.clicked.connect(self._on_edit_benefit_clicked)
        return _with_buttons(self.benefits_table, add, edit)

    # --- showing -------------------------------------------------------------------------------------------

    def show_details(self, details: MatterDetails) -> None:
        self.details = details
        kind_label = st.MatterKind(details.kind).label
        self.setWindowTitle(f"{details.client_name} — {details.title} — Kantor Cases")
        self.title_label.setText(f"<h2 style='margin:0'>{escape(details.title)}</h2>")
        self.client_button.setText(details.client_name)
        facts = [kind_label, f"attorney: {details.responsible_attorney or 'not assigned'}",
                 f"opened {_date(details.opened_on)}"]
        if details.closed_on:
            facts.append(f"closed {_date(details.closed_on)}")
        if details.conflict_acknowledged_by:
            facts.append(f"conflict check acknowledged by {details.conflict_acknowledged_by}")
        self.facts_label.setText("  ·  ".join(facts))

        self.firm_label.setText(f"Status: <b>{st.FirmStatus(details.firm_status).label}</b>")
        clear_layout(self.firm_buttons)
        self.firm_step_buttons: dict[str, QPushButton] = {}
        role = self.office.role()
        for status in details.allowed_firm_next:
            button = QPushButton(f"→ {st.FirmStatus(status).label}")
            button.clicked.connect(lambda _checked=False, to=status: self._on_firm_step_clicked(to))
            allow(button, role, "matter.close" if "closed" in (details.firm_status, status) else "matters.edit")
            self.firm_buttons.addWidget(button)
            self.firm_step_buttons[status] = button
        self.firm_buttons.addStretch(1)

        has_government = bool(details.government_status) or bool(details.allowed_government_next)
        self.government_box.setVisible(has_government)
        self.government_box.setTitle("Immigration court" if details.kind == "removal" else "Court / agency")
        self.government_label.setText(
            f"Status: <b>{escape(st.government_status_label(details.kind, details.government_status))}</b>")
        self.government_combo.clear()
        # Nothing chosen until the user chooses: the first status in the list (alphabetically
        # "Dismissed") used to be one click on Record away.
        self.government_combo.addItem("Choose the new status…", None)
        # A decision is offered only to the roles that may record one; the tooltip says so to the others.
        may_decide = permissions.allowed(role, "decision.record")
        self.government_combo.setToolTip("" if may_decide else permissions.denial(role, "decision.record"))
        offered = [status for status in details.allowed_government_next
                   if may_decide or status not in st.DECISION_STATUSES]
        for status in offered:
            self.government_combo.addItem(st.government_status_label(details.kind, status), status)
        self._role = role
        self._update_record_button()
        self.decision_date.setVisible(details.kind == "removal")

        self.history_list.clear()
        for change in details.history:
            track = "Our status" if change.track == "firm" else "Court/agency"
            label_of = (lambda s: st.FirmStatus(s).label) if change.track == "firm" else (
                lambda s: st.government_status_label(details.kind, s))
            before = f"{label_of(change.from_status)} → " if change.from_status else ""
            self.history_list.addItem(f"{change.at:%d %b %Y %H:%M} — {change.user_name} — {track}: {before}"
                                      f"{label_of(change.to_status)}" + (f" ({change.note})" if change.note else ""))

        if details.removal is not None and hasattr(self, "removal_form"):
            removal = details.removal
            self.court_combo.setCurrentIndex(max(0, self.court_combo.findData(removal.court_id)))
            self.judge_edit.setText(removal.judge)
            self.proceeding_edit.setText(removal.proceeding_type)
            self.custody_combo.setCurrentIndex(max(0, self.custody_combo.findData(removal.custody)))
            self.nta_date.set_value(removal.nta_date)
            self.charges_edit.setText(removal.charges)
            self.relief_list.set_checked(removal.relief_sought)
            self.removal_form.clear_errors()
            if removal.last_verified_on:
                age = (self.office.clock.today() - removal.last_verified_on).days
                via = st.EOIR_CHANNELS.get(removal.last_verified_via, removal.last_verified_via)
                stale = f"  <span style='color:#a33'>({age} days ago: check again)</span>" \
                    if age > STALE_EOIR_DAYS else f" ({age} days ago)" if age else " (today)"
                self.eoir_label.setText(f"Last verified with EOIR: <b>{_date(removal.last_verified_on)}</b> "
                                        f"via {via}{stale}")
            else:
                self.eoir_label.setText("Last verified with EOIR: <b>never</b>. Check the case on the ACIS portal "
                                        "or at 1-800-898-7180 and press Verify now.")
        if hasattr(self, "hearings_model"):
            self.hearings_model.set_records(details.hearings)
        if hasattr(self, "pd_list"):
            current = self.pd_list.currentRow()
            self.pd_list.blockSignals(True)
            self.pd_list.clear()
            for request in details.pd_requests:
                self.pd_list.addItem(f"{st.PD_ACTIONS.get(request.action_requested, '')}\n"
                                     f"{st.PD_STATUS_LABELS.get(request.status, request.status)}")
            self.pd_list.blockSignals(False)
            if details.pd_requests:
                row = current if 0 <= current < len(details.pd_requests) else len(details.pd_requests) - 1
                self.pd_list.setCurrentRow(row)
                self.pd_editor.set_request(details.pd_requests[row])
            self.pd_editor.setVisible(bool(details.pd_requests))
            self.pd_empty.setVisible(not details.pd_requests)
        if details.employment is not None and hasattr(self, "employment_form"):
            claim = details.employment
            self.claims_list.set_checked(claim.claim_types)
            self.employer_combo.setCurrentIndex(max(0, self.employer_combo.findData(claim.employer_id)))
            self.counsel_combo.setCurrentIndex(max(0, self.counsel_combo.findData(claim.opposing_counsel_id)))
            self.rts_issued.set_value(claim.right_to_sue_issued_on)
            self.rts_received.set_value(claim.right_to_sue_received_on)
            self.filings_model.set_records(claim.filings)
        if hasattr(self, "benefits_model"):
            self.benefits_model.set_records(details.benefits)
        self._shown_values = self._form_values()  # Esc asks before throwing away what is typed after this

    def _form_values(self) -> list[object]:
        forms = [self.tabs.widget(0)] + ([self.pd_editor] if hasattr(self, "pd_editor") else [])
        return [field_values(form) for form in forms if form is not None]

    def _update_record_button(self) -> None:
        # Nothing is recorded until a status is chosen.
        allow(self.record_button, self._role, "matters.edit", usable=self.government_combo.currentData() is not None)

    def reload(self) -> None:
        self.show_details(self.office.matters.get(self.matter_id))

    def _changed(self, details: MatterDetails) -> None:
        self.show_details(details)
        announce(Changes.of(*MATTER_PARTS, matters=[self.matter_id], clients=[details.client_id]))

    # --- actions ----------------------------------------------------------------------------------------------

    def change_firm_status(self, to_status: str) -> bool:
        try:
            details = self.office.matters.change_firm_status(self.matter_id, to_status, "", self.details.version)
        except KantorError as error:
            show_error(self, error)
            self.reload()
            return False
        self._changed(details)
        return True

    def record_government_status(self, to_status: str, note: str = "", decision_date: date | None = None) -> bool:
        try:
            recorded = self.office.matters.record_government_status(
                self.matter_id, to_status, note, self.details.version, decision_date=decision_date)
        except KantorError as error:
            show_error(self, error)
            self.reload()
            return False
        self.government_note.clear()
        self.decision_date.clear()
        self._changed(recorded.details)
        if recorded.deadlines:
            # Said where they are: they used to be created silently, seen only on their calendar day.
            created = "\n".join(f"{record.title} due {record.due:%d %b %Y} ({record.citation})"
                                 for record in recorded.deadlines)
            QMessageBox.information(self, "Deadlines created", f"Created:\n{created}\n\nSee the Deadlines tab. "
                                    "Ctrl+Z undoes the status and takes them back.")
        return True

    def confirm_final(self, label: str, on: date) -> bool:
        """A final outcome is asked about first, naming the client and the date."""
        answer = QMessageBox.question(
            self, "Record a final status", f"Record “{label}” for {self.details.client_name} on {on:%d %b %Y}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def undo_last_change(self) -> bool:
        """Ctrl+Z: put back the last status change the signed-in user made on this matter since signing in."""
        try:
            offer = self.office.matters.last_undoable(matter_id=self.matter_id)
        except KantorError as error:
            show_error(self, error)
            return False
        if offer is None:
            QMessageBox.information(self, "Undo", "You have not changed a status of this matter since you signed "
                                    "in; there is nothing to undo.")
            return False
        answer = QMessageBox.question(
            self, "Undo the status change", f"Undo {offer.describe()}? The status goes back to “{offer.from_label}”; "
            "deadlines it created are withdrawn (kept in the history) and any it replaced come back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            undone = self.office.matters.undo_status_change(offer.change_id)
        except KantorError as error:
            show_error(self, error)
            self.reload()
            return False
        self._changed(undone.details)
        if undone.withdrawn:
            withdrawn = "\n".join(f"{record.title} due {record.due:%d %b %Y}" for record in undone.withdrawn)
            QMessageBox.information(self, "Status change undone", f"Back to “{offer.from_label}”. Withdrawn:\n"
                                    f"{withdrawn}")
        return True

    def save_removal(self) -> bool:
        removal = self.details.removal
        if removal is None:
            return False
        try:
            try:
                nta = self.nta_date.value()
            except ValueError as error:
                raise ValidationError({"nta_date": str(error)}) from None
            draft = RemovalCaseDraft(court_id=self.court_combo.currentData(), judge=self.judge_edit.text(),
                                     proceeding_type=self.proceeding_edit.text(),
                                     custody=self.custody_combo.currentData(), nta_date=nta,
                                     charges=self.charges_edit.text(), relief_sought=self.relief_list.checked())
            details = self.office.matters.update_removal(self.matter_id, draft, removal.version)
        except ValidationError as error:
            self.removal_form.show_errors(error.fields)
            return False
        except KantorError as error:
            show_error(self, error)
            return False
        self._changed(details)
        return True

    def verify_eoir(self, channel: str) -> bool:
        try:
            details = self.office.matters.verify_eoir(self.matter_id, channel)
        except KantorError as error:
            show_error(self, error)
            return False
        self._changed(details)
        return True

    def save_employment(self) -> bool:
        claim = self.details.employment
        if claim is None:
            return False
        try:
            try:
                issued, received = self.rts_issued.value(), self.rts_received.value()
            except ValueError as error:
                raise ValidationError({"right_to_sue_issued_on": str(error)}) from None
            draft = EmploymentClaimDraft(claim_types=self.claims_list.checked(),
                                         employer_id=self.employer_combo.currentData(),
                                         opposing_counsel_id=self.counsel_combo.currentData(),
                                         right_to_sue_issued_on=issued, right_to_sue_received_on=received)
            details = self.office.employment.update_employment(self.matter_id, draft, claim.version)
        except ValidationError as error:
            self.employment_form.show_errors(error.fields)
            return False
        except KantorError as error:
            show_error(self, error)
            return False
        self._changed(details)
        return True

    # --- slots -------------------------------------------------------------------------------------------------

    def _on_edit_clicked(self) -> None:
        from kantor_cases.ui.matters.edit_matter_dialog import EditMatterDialog

        dialog = EditMatterDialog(self.office, self.details, self)
        if dialog.exec() and dialog.saved is not None:
            self._changed(dialog.saved)

    def _on_client_button_clicked(self) -> None:
        self.open_client_requested.emit(self.details.client_id)

    def _on_record_clicked(self) -> None:
        status = self.government_combo.currentData()
        if not status:
            QMessageBox.information(self, "Court status", "Choose the new status first.")
            self.government_combo.setFocus()
            return
        try:
            decided = self.decision_date.value()
        except ValueError as error:
            QMessageBox.warning(self, "Decision date", str(error))
            return
        label = st.government_status_label(self.details.kind, status)
        if status in st.final_outcomes(self.details.kind, "government") and not self.confirm_final(
                label, decided or self.office.clock.today()):
            return
        self.record_government_status(status, self.government_note.text(), decided)

    def _on_firm_step_clicked(self, to_status: str) -> None:
        if to_status in st.final_outcomes(self.details.kind, "firm") and not self.confirm_final(
                st.FirmStatus(to_status).label, self.office.clock.today()):
            return
        self.change_firm_status(to_status)

    def _on_verify_clicked(self) -> None:
        self.verify_eoir(self.channel_combo.currentData())

    def _on_add_hearing_clicked(self) -> None:
        removal = self.details.removal
        dialog = HearingDialog(self.office, self.matter_id, None,
                               default_court_id=removal.court_id if removal else None,
                               default_judge=removal.judge if removal else "", parent=self)
        if dialog.exec():
            self._changed(self.office.matters.get(self.matter_id))

    def _on_edit_hearing_clicked(self) -> None:
        hearing = self.hearings_table.current_record()
        if hearing is not None and HearingDialog(self.office, self.matter_id, hearing, parent=self).exec():
            self._changed(self.office.matters.get(self.matter_id))

    def _on_add_benefit_clicked(self) -> None:
        from kantor_cases.ui.matters.benefit_application_dialog import BenefitApplicationDialog

        if BenefitApplicationDialog(self.office, self.matter_id, None, parent=self).exec():
            self._changed(self.office.matters.get(self.matter_id))

    def _on_edit_benefit_clicked(self) -> None:
        from kantor_cases.ui.matters.benefit_application_dialog import BenefitApplicationDialog

        application = self.benefits_table.current_record()
        if application is not None and BenefitApplicationDialog(self.office, self.matter_id, application,
                                                                parent=self).exec():
            self._changed(self.office.matters.get(self.matter_id))

    def _on_benefits_table_activated(self, _index: QModelIndex) -> None:
        self._on_edit_benefit_clicked()

    def _on_hearings_table_activated(self, _index: QModelIndex) -> None:
        self._on_edit_hearing_clicked()

    def _on_delete_hearing_clicked(self) -> None:
        hearing = self.hearings_table.current_record()
        if hearing is None:
            return
        answer = QMessageBox.question(self, "Delete hearing",
                                      f"Delete the hearing of {hearing.starts_at:%d %b %Y %H:%M}?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.office.hearings.delete_hearing(hearing.id, hearing.version)
        except KantorError as error:
            show_error(self, error)
        self._changed(self.office.matters.get(self.matter_id))

    def _on_pd_list_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.details.pd_requests):
            self.pd_editor.set_request(self.details.pd_requests[row])
            self._shown_values = self._form_values()

    def _on_new_pd_clicked(self) -> None:
        try:
            self.office.pd_requests.create_pd_request(self.matter_id, PdRequestDraft(
                regime="post-2025", action_requested="admin_closure"))
        except KantorError as error:
            show_error(self, error)
            return
        self.pd_list.setCurrentRow(-1)
        details = self.office.matters.get(self.matter_id)
        self._changed(details)
        self.pd_list.setCurrentRow(len(details.pd_requests) - 1)
        self.pd_editor.regime_combo.setFocus()  # the new request's first field: fill it in at once

    def _on_pd_editor_changed(self) -> None:
        self._changed(self.office.matters.get(self.matter_id))

    def _on_add_filing_clicked(self) -> None:
        try:
            try:
                filed, issued, received = (self.filing_date.value(), self.filing_issued.value(),
                                           self.filing_received.value())
            except ValueError as error:
                raise ValidationError({"filed_on": str(error)}) from None
            self.office.employment.add_agency_filing(self.matter_id, AgencyFilingDraft(
                agency=self.agency_combo.currentData(), number=self.filing_number.text(), filed_on=filed,
                right_to_sue_issued_on=issued, right_to_sue_received_on=received))
        except ValidationError as error:
            self.filing_form.show_errors(error.fields)
            return
        except KantorError as error:
            show_error(self, error)
            return
        self.filing_form.clear_errors()
        for field in (self.filing_number, self.filing_date, self.filing_issued, self.filing_received):
            field.clear()
        self._changed(self.office.matters.get(self.matter_id))

    def _on_save_shortcut(self) -> None:
        current = self.tabs.currentWidget()
        if hasattr(self, "removal_form") and current is self.tabs.widget(0) and self.details.kind == "removal":
            self.save_removal()
        elif hasattr(self, "pd_editor") and current is self.pd_splitter:
            self.pd_editor.save()
        elif hasattr(self, "employment_form") and self.details.kind == "employment":
            self.save_employment()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._form_values() != self._shown_values and not discard_confirmed(
                self, "Discard your changes?", "What you typed in this matter has not been saved and will be lost."):
            event.ignore()
            return
        MATTER_WINDOW.save_geometry(self)
        if hasattr(self, "pd_splitter"):
            PD_REQUEST_SPLITTER.save_state(self.pd_splitter)
        super().closeEvent(event)
