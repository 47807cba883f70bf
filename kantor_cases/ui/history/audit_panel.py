"""The office-wide Audit screen (administrators only; the shell hides it from everyone else): the
state of the audit trail's tamper-evident chain — healthy, or the first bad row — with its head hash
and time, above every row of the office's History."""

from __future__ import annotations

import logging
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kantor_cases.services.history import HistoryFilter, TrailState
from kantor_cases.ui.history.history_view import HistoryView
from kantor_cases.ui.widgets.operations import run_query

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

log = logging.getLogger(__name__)


class AuditPanel(QWidget):
    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.chain_label = QLabel("Checking the audit trail…")
        self.chain_label.setWordWrap(True)
        self.chain_label.setTextFormat(Qt.TextFormat.RichText)
        self.chain_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verify_button = QPushButton("Check again")
        self.verify_button.clicked.connect(self.check_chain)
        chain = QHBoxLayout()
        chain.addWidget(self.chain_label, 1)
        chain.addWidget(self.verify_button)
        self.history = HistoryView(office, HistoryFilter(), self)
        layout = QVBoxLayout(self)
        layout.addLayout(chain)
        layout.addWidget(self.history, 1)
        # Verified when shown and on request, not after every change: a million rows take seconds.
        self.check_chain()

    def check_chain(self) -> None:
        """The whole chain verified off the window's thread (seconds on a million rows)."""
        self.verify_button.setEnabled(False)
        run_query(self, self.office.history.trail_state, self._show_chain, self._on_check_failed)

    def _show_chain(self, state: TrailState) -> None:
        self.verify_button.setEnabled(True)
        head = (f"head hash <code>{state.head_hash}</code> of {state.head_at:%d %b %Y %H:%M:%S}"
                if state.head_hash and state.head_at else "no rows yet")
        if state.ok:
            self.chain_label.setText(f"<b style='color:#2a7a2a'>The audit trail is healthy</b>: "
                                     f"{state.rows:,} rows, {head}.")
        else:
            problems = "<br>".join(escape(problem) for problem in state.problems)
            self.chain_label.setText(f"<b style='color:#a33'>The audit trail shows tampering</b> "
                                     f"({state.rows:,} rows, {head}):<br>{problems}")

    def _on_check_failed(self, error: BaseException) -> None:
        self.verify_button.setEnabled(True)
        log.warning("The audit trail could not be checked: %s", type(error).__name__)
        self.chain_label.setText("The audit trail could not be checked just now; press Check again.")
