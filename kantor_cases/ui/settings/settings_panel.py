"""The Settings screen: the firm's letterhead, the deadline rules, the users (name, initials, role)
and what each role may do, who is acting at this desk (remembered for the next start), and where the database, backups and
documents live.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain import permissions
from kantor_cases.domain import statuses as st
from kantor_cases.domain.changes import SETTINGS, USERS, Changes
from kantor_cases.domain.errors import ConflictError, KantorError, ValidationError
from kantor_cases.domain.records import FirmSettingsDetails
from kantor_cases.services import sign_in
from kantor_cases.services.accounts import AccountService
from kantor_cases.ui.settings.automatic_follow_ups_box import AutomaticFollowUpsBox
from kantor_cases.ui.settings.deadline_rules_box import DeadlineRulesBox
from kantor_cases.ui.settings.password_dialog import PasswordDialog
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.field_form import FieldForm
from kantor_cases.ui.widgets.operations import announce, run_change, watch
from kantor_cases.ui.widgets.preferences import ACTING_USER, LOCK_AFTER_MINUTES
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.record_table_model import RecordColumn, RecordTableModel
from kantor_cases.ui.widgets.roles import allow, permission_table_html
from kantor_cases.ui.widgets.tasks import Tasks

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

FIRM_LABELS = {
    "firm_name": "Firm name", "attorney_name": "Attorney", "bar_number": "State Bar number", "street": "Street",
    "city": "City", "state": "State", "postal_code": "ZIP", "phone": "Phone", "email": "E-mail",
    "logo_path": "Logo file", "documents_dir": "Documents folder",
}


class SettingsPanel(QWidget):
    acting_user_changed = Signal(str)
    switch_user_requested = Signal()

    def __init__(self, office: Office, parent: QWidget | None = None, tasks: Tasks | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.tasks = tasks or Tasks(self)
        self.firm: FirmSettingsDetails = office.settings.firm()

        # Letterhead.
        self.firm_form = FieldForm()
        self.firm_edits: dict[str, QLineEdit] = {}
        for name, label in FIRM_LABELS.items():
            edit = QLineEdit()
            self.firm_edits[name] = edit
            self.firm_form.add(name, label, edit)
        self.firm_edits["firm_name"].setPlaceholderText("Law Office of …")
        self.firm_edits["street"].setPlaceholderText("9454 Wilshire Blvd, Suite 600")
        self.save_firm_button = QPushButton("Save letterhead")
        self.save_firm_button.clicked.connect(self.save_firm)
        self.firm_status = QLabel()
        letterhead = QGroupBox("Letterhead (printed on every letter)")
        letterhead_layout = QVBoxLayout(letterhead)
        letterhead_layout.addWidget(self.firm_form)
        row = QHBoxLayout()
        row.addWidget(self.firm_status, 1)
        row.addWidget(self.save_firm_button)
        letterhead_layout.addLayout(row)

        # Users.
        self.users_model = RecordTableModel([
            RecordColumn("Name", lambda u: u.name, 180),
            RecordColumn("Initials", lambda u: u.initials, 60),
            RecordColumn("Role", lambda u: u.role.capitalize(), 80),
            RecordColumn("E-mail", lambda u: u.email, 180),
            RecordColumn("Bar no.", lambda u: u.bar_number, 80),
            RecordColumn("Active", lambda u: "yes" if u.active else "no", 50),
        ], parent=self)
        self.users_table = RecordTable(self.users_model, "settings/users")
        self.users_table.setMinimumHeight(140)
        self.users_table.clicked.connect(self._on_users_table_clicked)
        self.users_table.activated.connect(self._on_users_table_clicked)
        self.user_form = FieldForm()
        self.user_name = QLineEdit()
        self.user_initials = QLineEdit()
        self.user_initials.setMaximumWidth(80)
        self.user_role = QComboBox()
        for role in st.USER_ROLES:
            self.user_role.addItem(role.capitalize(), role)
        self.user_email = QLineEdit()
        self.user_bar = QLineEdit()
        self.user_active = QCheckBox("Active")
        self.user_active.setChecked(True)
        self.user_form.add("name", "Name", self.user_name)
        self.user_form.add("initials", "Initials", self.user_initials)
        self.user_form.add("role", "Role", self.user_role)
        self.user_form.add("email", "E-mail", self.user_email)
        self.user_form.add("bar_number", "Bar number", self.user_bar, "Attorneys only")
        self.user_form.add("active", "", self.user_active)
        self.new_user_button = QPushButton("New user")
        self.new_user_button.clicked.connect(self._on_new_user_clicked)
        self.save_user_button = QPushButton("Save user")
        self.save_user_button.clicked.connect(self.save_user)
        # Passwords exist only in an encrypted office (each one unwraps the office's key).
        self.password_button = QPushButton("Set password…")
        self.password_button.setToolTip("A new password for the chosen user (yours, or anyone's as an administrator)")
        # (and at a PostgreSQL office, where the first password given makes everyone sign in)
        self.password_button.setVisible(office.encrypted or office.database.path is None)
        self.password_button.setEnabled(False)
        self.password_button.clicked.connect(self._on_password_clicked)
        self.users_status = QLabel()
        self.users_status.setWordWrap(True)
        self.permissions_label = QLabel(permission_table_html())
        self.permissions_label.setWordWrap(True)
        self._editing_user = None
        users = QGroupBox("Users")
        users_layout = QVBoxLayout(users)
        users_layout.addWidget(self.users_table)
        users_layout.addWidget(self.user_form)
        row = QHBoxLayout()
        row.addWidget(self.users_status, 1)
        row.addWidget(self.password_button)
        row.addWidget(self.new_user_button)
        row.addWidget(self.save_user_button)
        users_layout.addLayout(row)
        users_layout.addWidget(self.permissions_label)

        # This desk.
        self.acting_combo = QComboBox()
        self.acting_combo.activated.connect(self._on_acting_combo_activated)
        self.acting_note = QLabel()
        self.acting_note.setWordWrap(True)
        desk = QGroupBox("This desk")
        desk_layout = QVBoxLayout(desk)
        acting_row = QHBoxLayout()
        acting_row.addWidget(QLabel("Acting user (recorded on every change):"))
        acting_row.addWidget(self.acting_combo, 1)
        # In an encrypted office who acts is who signed in: changing it means signing in.
        self.switch_user_button = QPushButton("Sign in as someone else… (Ctrl+L)")
        self.switch_user_button.clicked.connect(self.switch_user_requested)
        acting_row.addWidget(self.switch_user_button)
        signs_in = sign_in.signs_in(office.database)
        self.acting_combo.setVisible(not signs_in)
        self.switch_user_button.setVisible(signs_in)
        desk_layout.addLayout(acting_row)
        desk_layout.addWidget(self.acting_note)
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setRange(0, 240)
        self.lock_minutes.setSpecialValueText("never")
        self.lock_minutes.setSuffix(" minutes")
        self.lock_minutes.setValue(LOCK_AFTER_MINUTES.read())
        self.lock_minutes.valueChanged.connect(self._on_lock_minutes_changed)
        lock_row = QHBoxLayout()
        lock_row.addWidget(QLabel("Lock the window after no use for:"))
        lock_row.addWidget(self.lock_minutes)
        lock_row.addStretch(1)
        if signs_in:
            desk_layout.addLayout(lock_row)
        locations = office.locations
        self.locations_label = QLabel(
            f"<b>Database:</b> {escape(office.database.location)}<br><b>Backups:</b> "
            f"{escape(str(office.backups.folder))}<br><b>Documents:</b> {escape(str(locations.documents))}<br>"
            f"<b>Log:</b> {escape(str(locations.log_file))}")
        self.locations_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.locations_label.setWordWrap(True)
        desk_layout.addWidget(self.locations_label)
        self.back_up_button = QPushButton("Back up now")
        self.back_up_button.setEnabled(office.backups.supported)
        self.back_up_button.clicked.connect(self._on_back_up_clicked)
        open_backups = QPushButton("Open backups folder")
        open_backups.clicked.connect(self._on_open_backups_clicked)
        self.backup_status = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.backup_status, 1)
        row.addWidget(open_backups)
        row.addWidget(self.back_up_button)
        desk_layout.addLayout(row)

        self.deadline_rules = DeadlineRulesBox(office)

        content = QWidget()
        columns = QHBoxLayout(content)
        left = QVBoxLayout()
        left.addWidget(letterhead)
        left.addWidget(self.deadline_rules)
        self.automatic_follow_ups = AutomaticFollowUpsBox(office)
        left.addWidget(self.automatic_follow_ups)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(desk)
        right.addWidget(users, 1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Settings</h2>"))
        layout.addWidget(area, 1)
        watch(self, (SETTINGS, USERS), lambda _changes: self.refresh())
        self.refresh()

    # --- showing ---------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.firm = self.office.settings.firm()
        for name, edit in self.firm_edits.items():
            edit.setText(getattr(self.firm, name))
        if not self.firm.firm_name:
            self.firm_status.setText("Fill in the letterhead before printing the first letter.")
        users = self.office.settings.users(include_inactive=True)
        self.users_model.set_records(users)
        self.acting_combo.clear()
        names = [u.name for u in users if u.active]
        if self.office.user not in names:
            names.insert(0, self.office.user)
        self.acting_combo.addItems(names)
        self.acting_combo.setCurrentText(self.office.user)
        known = any(u.name == self.office.user for u in users)
        role = self.office.role()
        self.acting_note.setText(("" if known else f"“{self.office.user}” is not one of the users below. Add the "
                                  "people who work here, then choose who is at this desk. ")
                                 + f"Acting as: {permissions.ROLE_LABELS[role]}.")
        allow(self.save_firm_button, role, "settings.firm")
        for button in (self.new_user_button, self.save_user_button):
            allow(button, role, "users.manage")
        self.deadline_rules.refresh()  # who may change a rule depends on who is acting

    # --- letterhead -----------------------------------------------------------------------------------

    def save_firm(self) -> bool:
        texts: dict[str, Any] = {name: edit.text() for name, edit in self.firm_edits.items()}
        details = replace(self.firm, **texts)
        try:
            self.firm = self.office.settings.update_firm(details, self.firm.version)
        except ValidationError as error:
            self.firm_form.show_errors(error.fields)
            return False
        except ConflictError as error:
            show_error(self, error)
            self.refresh()
            return False
        except KantorError as error:  # not this role's to change
            show_error(self, error)
            return False
        self.firm_form.clear_errors()
        self.firm_status.setText("Letterhead saved.")
        announce(Changes.of(SETTINGS))
        return True

    # --- users ------------------------------------------------------------------------------------------

    def _on_users_table_clicked(self, index: QModelIndex) -> None:
        user = self.users_model.record(index.row())
        if user is None:
            return
        self._editing_user = user
        self.user_name.setText(user.name)
        self.user_initials.setText(user.initials)
        self.user_role.setCurrentIndex(max(0, self.user_role.findData(user.role)))
        self.user_email.setText(user.email)
        self.user_bar.setText(user.bar_number)
        self.user_active.setChecked(user.active)
        self.user_form.clear_errors()
        self.password_button.setEnabled(True)

    def _on_new_user_clicked(self) -> None:
        self._editing_user = None
        for edit in (self.user_name, self.user_initials, self.user_email, self.user_bar):
            edit.clear()
        self.user_role.setCurrentIndex(self.user_role.findData("staff"))
        self.user_active.setChecked(True)
        self.user_form.clear_errors()
        self.password_button.setEnabled(False)
        self.user_name.setFocus()

    def save_user(self) -> bool:
        user = self._editing_user
        try:
            self.office.settings.save_user(
                self.user_name.text(), self.user_initials.text(), self.user_role.currentData(),
                self.user_email.text(), self.user_bar.text(), self.user_active.isChecked(),
                user_id=user.id if user else None, expected_version=user.version if user else None)
        except ValidationError as error:
            self.user_form.show_errors(error.fields)
            return False
        except KantorError as error:
            show_error(self, error)
            return False
        self._on_new_user_clicked()
        announce(Changes.of(USERS))
        return True

    def ask_password(self, user: str) -> str | None:
        dialog = PasswordDialog(user, self)
        return dialog.password() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _on_password_clicked(self) -> None:
        user = self._editing_user
        if user is None:
            return
        password = self.ask_password(user.name)
        if password is None:
            return
        accounts = AccountService.for_office(self.office)
        self.users_status.setText(f"Setting {user.name}'s password…")
        run_change(self, "Setting the password…", lambda: accounts.set_password(user.name, password),
                   Changes.of(USERS), lambda _none: self.users_status.setText(f"{user.name}'s password was set."),
                   self._on_password_failed)

    def _on_password_failed(self, error: BaseException) -> None:
        self.users_status.clear()
        show_error(self, error)

    # --- this desk --------------------------------------------------------------------------------------

    def _on_lock_minutes_changed(self, minutes: int) -> None:
        LOCK_AFTER_MINUTES.write(minutes)
        announce(Changes.of(SETTINGS))  # the window's lock takes the new time at once

    def set_acting_user(self, name: str) -> None:
        name = name.strip()
        if not name or name == self.office.user:
            return
        self.office.user = name
        ACTING_USER.write(name, self.office.locations.database)
        self.refresh()
        self.acting_user_changed.emit(name)

    def _on_acting_combo_activated(self, _index: int) -> None:
        self.set_acting_user(self.acting_combo.currentText())

    def _on_back_up_clicked(self) -> None:
        backups = self.office.backups
        self.backup_status.setText("Backing up…")
        self.tasks.run("Backing up the database", lambda _progress: backups.back_up(),
                       lambda result: self.backup_status.setText(f"Backup written and verified: {result.path.name}"),
                       cancellable=False)

    def _on_open_backups_clicked(self) -> None:
        folder = self.office.backups.folder
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
