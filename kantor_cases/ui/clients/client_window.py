"""One client in full: a header (name, A-number, language, flags) and tabs for the profile,
matters, family, hearings, follow-ups, letters and the history of every change in plain words.

The Profile tab edits the client: Ctrl+S saves, messages appear next to the fields, closing with
unsaved changes asks first, and a save that collides with someone else's shows who and when and
offers to reload.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain import statuses as st
from kantor_cases.domain.changes import CLIENTS, FOLLOW_UPS, HEARINGS, LETTERS, MATTERS, Changes
from kantor_cases.domain.errors import ConflictError, KantorError, NotFoundError, ValidationError
from kantor_cases.domain.records import ClientDetails
from kantor_cases.services.validation import display_phone
from kantor_cases.ui.clients.client_form import ClientForm
from kantor_cases.ui.clients.related_person_dialog import RelatedPersonDialog
from kantor_cases.ui.widgets.deadlines_view import DeadlinesView
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.follow_ups_tab import FollowUpsTab
from kantor_cases.ui.widgets.operations import announce, watch
from kantor_cases.ui.widgets.preferences import CLIENT_WINDOW
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.record_table_model import RecordColumn, RecordTableModel
from kantor_cases.ui.widgets.roles import allow
from kantor_cases.ui.widgets.scrolling import fit_to_screen

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

LANGUAGES = {"en": "English", "es": "Spanish"}


def _date(value: date | None) -> str:
    return f"{value:%d %b %Y}" if value else ""


def _when(value: datetime | None) -> str:
    return f"{value:%a %d %b %Y %H:%M}" if value else ""


class ClientWindow(QWidget):
    open_matter_requested = Signal(int)
    new_matter_requested = Signal(int)

    def __init__(self, office: Office, client_id: int, parent: QWidget | None = None,
                 letters_tab: Callable[[ClientWindow], QWidget] | None = None,
                 history_tab: Callable[[ClientWindow], QWidget] | None = None) -> None:
        """`letters_tab` builds the Letters tab and `history_tab` the History tab (who did what and
        when, filtered and exported); the shell passes the letters and history features' widgets."""
        super().__init__(parent, Qt.WindowType.Window)
        self.office = office
        self.client_id = client_id
        self.details: ClientDetails = office.clients.view(client_id)  # a restricted client's view is audited
        self._dirty = False

        self.name_label = QLabel()
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts_label = QLabel()
        self.flags_label = QLabel()
        header = QVBoxLayout()
        header.addWidget(self.name_label)
        facts = QHBoxLayout()
        facts.addWidget(self.facts_label)
        facts.addStretch(1)
        facts.addWidget(self.flags_label)
        header.addLayout(facts)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_profile(), "&Profile")
        self.tabs.addTab(self._build_matters(), "&Matters")
        self.tabs.addTab(self._build_family(), "&Family")
        self.tabs.addTab(self._build_hearings(), "&Hearings")
        # Every deadline of every matter of the client; Enter opens the matter.
        self.deadlines_view = DeadlinesView(office, client_id=client_id)
        self.deadlines_view.open_matter_requested.connect(self.open_matter_requested)
        self.tabs.addTab(self.deadlines_view, "&Deadlines")
        self.tabs.addTab(self._build_follow_ups(), "F&ollow-ups")
        if letters_tab is not None:
            self.tabs.addTab(letters_tab(self), "&Letters")
        self.tabs.addTab(history_tab(self) if history_tab is not None else self._build_history(), "Hi&story")

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

        QShortcut(QKeySequence.StandardKey.Save, self, self._on_save_shortcut)
        QShortcut(QKeySequence("Ctrl+W"), self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self._show_details()
        self.reload_lists()
        self.form.edits["given_name"].setFocus()  # the profile's first field, not the tab bar
        # The lists (not the profile being edited) follow what other windows and screens change.
        watch(self, (CLIENTS, MATTERS, HEARINGS, FOLLOW_UPS, LETTERS),
              lambda changes: self.reload_lists() if changes.touches_client(self.client_id) else None)
        fit_to_screen(self, 980, 720)
        CLIENT_WINDOW.restore_geometry(self)

    # --- building the tabs ---------------------------------------------------------------------------

    def _build_profile(self) -> QWidget:
        self.form = ClientForm()
        self.form.changed.connect(self._on_form_changed)
        self.conflict_label = QLabel()
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.reload_button = QPushButton("Reload their version")
        self.reload_button.clicked.connect(self._on_reload_clicked)
        self.conflict_bar = QWidget()
        bar = QHBoxLayout(self.conflict_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.conflict_label, 1)
        bar.addWidget(self.reload_button)
        self.conflict_bar.hide()
        self.save_button = QPushButton("Save (Ctrl+S)")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("Undo changes")
        self.revert_button.setEnabled(False)
        self.revert_button.clicked.connect(self._on_revert_clicked)
        self.saved_label = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(self.form)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.conflict_bar)
        layout.addWidget(area, 1)
        layout.addWidget(self._build_restriction())
        layout.addLayout(buttons)
        return page

    def _build_restriction(self) -> QWidget:
        """Who may see the client: an attorney or an administrator restricts them to the people named
        (services/restricted.py); for everyone else the controls are disabled and say why."""
        self.restriction_box = QGroupBox("Restricted")
        self.restricted_check = QCheckBox("Restricted: only administrators, the responsible attorneys and the "
                                          "people named here see this client")
        self.allowed_edit = QLineEdit()
        self.allowed_edit.setPlaceholderText("Also visible to (user names, separated by commas)")
        self.restriction_button = QPushButton("Save who may see")
        self.restriction_button.clicked.connect(self.save_restriction)
        self.restriction_label = QLabel()
        self.restriction_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.allowed_edit, 1)
        row.addWidget(self.restriction_button)
        box = QVBoxLayout(self.restriction_box)
        box.addWidget(self.restriction_label)
        box.addWidget(self.restricted_check)
        box.addLayout(row)
        role = self.office.role()
        for control in (self.restricted_check, self.allowed_edit, self.restriction_button):
            allow(control, role, "clients.restrict")
        self._show_restriction()
        return self.restriction_box

    def _show_restriction(self) -> None:
        restriction = self.office.clients.restriction(self.client_id)
        if restriction.restricted:
            people = ", ".join(restriction.people)
            self.restriction_box.setTitle("Restricted — visible only to administrators" + (f" and {people}"
                                                                                           if people else ""))
            self.restriction_label.setText("Everyone else does not see this client in lists, search, the calendar "
                                           "or exports; each opening of this record is in its history.")
        else:
            self.restriction_box.setTitle("Not restricted")
            self.restriction_label.setText("Every desk sees this client.")
        self.restricted_check.setChecked(restriction.restricted)
        self.allowed_edit.setText(", ".join(restriction.allowed))

    def save_restriction(self) -> bool:
        try:
            if self.restricted_check.isChecked():
                self.office.clients.restrict(self.client_id, self.allowed_edit.text().split(","))
            else:
                self.office.clients.unrestrict(self.client_id)
            self.details = self.office.clients.get(self.client_id)
        except KantorError as error:
            show_error(self, error)
            return False
        self._show_restriction()
        self._show_details()
        announce(Changes.of(CLIENTS, clients=[self.client_id]))
        return True

    def _build_matters(self) -> QWidget:
        self.matters_model = RecordTableModel([
            RecordColumn("Matter", lambda m: m.title, 260),
            RecordColumn("Kind", lambda m: st.MatterKind(m.kind).label, 150),
            RecordColumn("Our status", lambda m: st.FirmStatus(m.firm_status).label, 100),
            RecordColumn("Court / agency status", lambda m: st.government_status_label(m.kind, m.government_status),
                         220),
            RecordColumn("Attorney", lambda m: m.responsible_attorney, 120),
            RecordColumn("Opened", lambda m: _date(m.opened_on), 100, sort_value=lambda m: m.opened_on),
        ], parent=self)
        self.matters_table = RecordTable(self.matters_model, "client/matters")
        self.matters_table.activated.connect(self._on_matters_table_activated)
        new = QPushButton("New matter…")
        new.clicked.connect(self._on_new_matter_clicked)
        return self._with_buttons(self.matters_table, [new],
                                  "Enter or double click opens a matter.")

    def _build_family(self) -> QWidget:
        self.family_model = RecordTableModel([
            RecordColumn("Name", lambda p: p.name, 220),
            RecordColumn("Relationship", lambda p: p.relationship.capitalize(), 110),
            RecordColumn("Status", lambda p: st.IMMIGRATION_STATUSES.get(p.immigration_status, ""), 100),
            RecordColumn("Date of birth", lambda p: _date(p.date_of_birth), 110, sort_value=lambda p: p.date_of_birth),
            RecordColumn("A-number", lambda p: p.a_number, 110),
            RecordColumn("Phone", lambda p: p.phone, 130),
        ], parent=self)
        self.family_table = RecordTable(self.family_model, "client/family")
        self.family_table.activated.connect(self._on_family_table_activated)
        add = QPushButton("Add…")
        add.clicked.connect(self._on_add_person_clicked)
        remove = QPushButton("Remove")
        remove.clicked.connect(self._on_remove_person_clicked)
        return self._with_buttons(self.family_table, [add, remove],
                                  "US-citizen and LPR family are the equities of a PD request or 42B cancellation.")

    def _build_hearings(self) -> QWidget:
        self.hearings_model = RecordTableModel([
            RecordColumn("When", lambda h: _when(h.starts_at), 170, sort_value=lambda h: h.starts_at),
            RecordColumn("Type", lambda h: st.HEARING_TYPES.get(h.hearing_type, h.hearing_type), 170),
            RecordColumn("Court", lambda h: h.court_code, 60, tooltip=lambda h: h.court_name),
            RecordColumn("Judge", lambda h: h.judge, 140),
            RecordColumn("Reminder", lambda h: "sent" if h.reminder_sent else "not sent", 80),
            RecordColumn("Result", lambda h: h.result, 200),
        ], parent=self)
        self.hearings_table = RecordTable(self.hearings_model, "client/hearings")
        self.hearings_table.activated.connect(self._on_hearings_table_activated)
        return self._with_buttons(self.hearings_table, [], "Hearings are added and edited on the removal matter.")

    def _build_follow_ups(self) -> QWidget:
        # Its own loading and reloading; Ctrl+Shift+F anywhere in the window adds one.
        self.follow_ups_tab = FollowUpsTab(self.office, client_id=self.client_id, about=self.details.full_name,
                                           shortcut_owner=self)
        return self.follow_ups_tab

    def _build_history(self) -> QWidget:
        self.history_list = QListWidget()
        self.history_list.setWordWrap(True)
        self.history_list.setAlternatingRowColors(True)
        return self._with_buttons(self.history_list, [], "Every change to this client, newest first.")

    @staticmethod
    def _with_buttons(main: QWidget, buttons: list[QPushButton], note: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(main, 1)
        row = QHBoxLayout()
        hint = QLabel(note)
        hint.setStyleSheet("color: palette(mid);")
        row.addWidget(hint, 1)
        for button in buttons:
            row.addWidget(button)
        layout.addLayout(row)
        return page

    # --- showing ----------------------------------------------------------------------------------------

    def _show_details(self) -> None:
        details = self.details
        self.setWindowTitle(f"{details.full_name} — Kantor Cases")
        self.name_label.setText(f"<h2 style='margin:0'>{escape(details.full_name)}</h2>")
        facts = [details.a_number_display or "no A-number",
                 f"letters in {LANGUAGES.get(details.preferred_language, details.preferred_language)}"]
        if details.date_of_birth:
            facts.append(f"born {_date(details.date_of_birth)}")
        if details.phone:
            facts.append(display_phone(details.phone))
        facts.append(f"client {details.id}")
        self.facts_label.setText("  ·  ".join(facts))
        flags = []
        if details.detained:
            where = f" ({escape(details.detention_facility)})" if details.detention_facility else ""
            flags.append(f"<span style='color:white;background:#a33;padding:2px 6px'>&nbsp;DETAINED{where}&nbsp;</span>")
        if details.sensitive:
            flags.append("<span style='color:white;background:#555;padding:2px 6px'>&nbsp;SENSITIVE&nbsp;</span>")
        self.flags_label.setText(" ".join(flags))
        self.form.set_draft(details.draft())
        self._set_dirty(False)

    def reload_lists(self) -> None:
        self.matters_model.set_records(self.office.matters.for_client(self.client_id))
        self.family_model.set_records(self.office.clients.related_persons(self.client_id))
        self.hearings_model.set_records(self.office.hearings.hearings_for_client(self.client_id))
        if hasattr(self, "history_list"):  # the plain list shown when the shell hands in no History tab
            self.history_list.clear()
            self.history_list.addItems([entry.sentence() for entry in self.office.clients.history(self.client_id)])

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        title = f"{self.details.full_name} — Kantor Cases"
        self.setWindowTitle(("* " if dirty else "") + title)

    @property
    def dirty(self) -> bool:
        return self._dirty

    # --- saving -----------------------------------------------------------------------------------------

    def save(self) -> bool:
        try:
            draft = self.form.draft()
            self.details = self.office.clients.update(self.client_id, draft, self.details.version)
        except ValidationError as error:
            self.tabs.setCurrentIndex(0)
            self.form.show_errors(error.fields)
            self.saved_label.setText("Not saved: see the messages next to the fields.")
            return False
        except ConflictError as error:
            self.tabs.setCurrentIndex(0)
            who = error.changed_by or "another user"
            when = f"{error.changed_at:%d %b %Y at %H:%M}" if error.changed_at else "after you opened it"
            self.conflict_label.setText(
                f"Not saved: {who} changed this client on {when}, after you opened it. Reload to see their "
                "version (your unsaved changes are dropped), then make your change again.")
            self.conflict_bar.show()
            return False
        except KantorError as error:
            show_error(self, error)
            return False
        self.conflict_bar.hide()
        self._show_details()
        self.reload_lists()
        self.saved_label.setText(f"Saved at {self.details.updated_at:%H:%M}." if self.details.updated_at else "Saved.")
        announce(Changes.of(CLIENTS, clients=[self.client_id]))
        return True

    def reload(self) -> None:
        try:
            self.details = self.office.clients.get(self.client_id)
        except NotFoundError as error:
            show_error(self, error)
            self._dirty = False
            self.close()
            return
        self.conflict_bar.hide()
        self._show_details()
        self.reload_lists()
        self.saved_label.setText("Reloaded the saved version.")

    # --- slots ------------------------------------------------------------------------------------------

    def _on_form_changed(self) -> None:
        self._set_dirty(True)
        self.saved_label.clear()

    def _on_save_shortcut(self) -> None:
        if self._dirty:
            self.save()

    def _on_reload_clicked(self) -> None:
        self.reload()

    def _on_revert_clicked(self) -> None:
        self._show_details()

    def _on_matters_table_activated(self, index: QModelIndex) -> None:
        record = self.matters_model.record(index.row())
        if record is not None:
            self.open_matter_requested.emit(record.id)

    def _on_new_matter_clicked(self) -> None:
        self.new_matter_requested.emit(self.client_id)

    def _on_hearings_table_activated(self, index: QModelIndex) -> None:
        record = self.hearings_model.record(index.row())
        if record is not None:
            self.open_matter_requested.emit(record.matter_id)

    def _on_family_table_activated(self, index: QModelIndex) -> None:
        person = self.family_model.record(index.row())
        if person is not None and RelatedPersonDialog(self.office, self.client_id, person, self).exec():
            self.reload_lists()

    def _on_add_person_clicked(self) -> None:
        if RelatedPersonDialog(self.office, self.client_id, None, self).exec():
            self.reload_lists()

    def _on_remove_person_clicked(self) -> None:
        person = self.family_table.current_record()
        if person is None:
            return
        answer = QMessageBox.question(self, "Remove family member", f"Remove {person.name} from this client?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.office.clients.delete_related_person(person.id, person.version)
        except KantorError as error:
            show_error(self, error)
        self.reload_lists()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._dirty:
            answer = QMessageBox.question(
                self, "Unsaved changes", f"Save the changes to {self.details.full_name} before closing?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Cancel or (
                    answer == QMessageBox.StandardButton.Save and not self.save()):
                event.ignore()
                return
        CLIENT_WINDOW.save_geometry(self)
        super().closeEvent(event)
