"""Settings → Automatic follow-ups: each rule the daily check runs (what raises it, how often, what
closes it), whether it is on and who gets its follow-ups. An attorney or an administrator may switch
a rule off or give it to one person instead of each matter's responsible attorney; the service
stores and audits the change. Follow-ups already raised stay as they are.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout

from kantor_cases.domain import permissions
from kantor_cases.domain.automatic_follow_ups import RuleSetting
from kantor_cases.domain.changes import SETTINGS, USERS, Changes
from kantor_cases.domain.errors import KantorError
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.operations import run_change, run_query, watch
from kantor_cases.ui.widgets.roles import allow

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

ATTORNEY_TEXT = "Each matter's responsible attorney"


class AutomaticFollowUpsBox(QGroupBox):
    def __init__(self, office: Office) -> None:
        super().__init__("Automatic follow-ups (raised by the daily check)")
        self.office = office
        self.settings: list[RuleSetting] = []
        self.on_checks: dict[str, QCheckBox] = {}
        self.assignee_combos: dict[str, QComboBox] = {}
        self.grid = QGridLayout()
        self.grid.setColumnStretch(0, 1)  # the rule's words wrap in what the controls leave
        for column, title in enumerate(("Rule", "Runs", "Follow-ups go to")):
            self.grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.save_button = QPushButton("Save automatic follow-ups")
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(self.grid)
        layout.addWidget(self.status_label)
        layout.addWidget(self.save_button)
        self._role = permissions.READ_ONLY
        watch(self, (SETTINGS, USERS), lambda _changes: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        office = self.office

        def load() -> tuple[list[RuleSetting], list[str], str]:
            return (office.follow_ups.automatic_rules(), [user.name for user in office.settings.users()],
                    office.role())

        run_query(self, load, self._show, self._load_failed)

    def _show(self, loaded: tuple[list[RuleSetting], list[str], str]) -> None:
        self.settings, names, self._role = loaded
        for row, setting in enumerate(self.settings, start=1):
            rule = setting.rule
            if rule.id not in self.on_checks:
                label = QLabel(f"{escape(rule.plural[0].upper() + rule.plural[1:])}<br>"
                               f"<small>Raised: {escape(rule.raised_when)}. {escape(rule.cadence)}. "
                               f"Closes: {escape(rule.closes_when[0].lower() + rule.closes_when[1:])}.</small>")
                label.setWordWrap(True)
                self.on_checks[rule.id] = QCheckBox("On")
                self.assignee_combos[rule.id] = QComboBox()
                self.grid.addWidget(label, row, 0)
                self.grid.addWidget(self.on_checks[rule.id], row, 1)
                self.grid.addWidget(self.assignee_combos[rule.id], row, 2)
            check, combo = self.on_checks[rule.id], self.assignee_combos[rule.id]
            check.setChecked(setting.enabled)
            check.setAccessibleName(f"{rule.plural} on")
            combo.clear()
            combo.addItem(ATTORNEY_TEXT, "")
            for name in dict.fromkeys([*names, *([setting.assignee] if setting.assignee else [])]):
                combo.addItem(name, name)
            combo.setCurrentIndex(max(0, combo.findData(setting.assignee)))
            for control in (check, combo):
                allow(control, self._role, "follow_ups.rules")
        allow(self.save_button, self._role, "follow_ups.rules")

    def _load_failed(self, error: BaseException) -> None:
        if not isinstance(error, KantorError):
            show_error(self, error)
        self.status_label.setText("The rules could not be brought up to date.")

    def chosen(self) -> list[tuple[str, bool, str]]:
        """(rule id, on, assignee) of each rule whose controls differ from what is stored."""
        changed = []
        for setting in self.settings:
            rule_id = setting.rule.id
            enabled = self.on_checks[rule_id].isChecked()
            assignee = str(self.assignee_combos[rule_id].currentData() or "")
            if (enabled, assignee) != (setting.enabled, setting.assignee):
                changed.append((rule_id, enabled, assignee))
        return changed

    def save(self) -> None:
        changed = self.chosen()
        if not changed:
            self.status_label.setText("Nothing changed.")
            return
        follow_ups = self.office.follow_ups

        def store() -> list[RuleSetting]:
            return [follow_ups.set_automatic_rule(rule_id, enabled, assignee) for rule_id, enabled, assignee in changed]

        run_change(self, "Saving the automatic follow-ups…", store, Changes.of(SETTINGS), self._saved, self._failed)

    def _saved(self, saved: list[RuleSetting]) -> None:
        self.status_label.setText("Saved: " + "; ".join(
            f"{s.rule.plural} {'on' if s.enabled else 'off'}, for {s.assignee_text}" for s in saved) + ".")

    def _failed(self, error: BaseException) -> None:
        show_error(self, error)
        self.refresh()
