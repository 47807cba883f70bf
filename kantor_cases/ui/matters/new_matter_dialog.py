"""Opening another matter for an existing client (the first one comes with the intake wizard)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.form_dialog import FormDialog
from kantor_cases.ui.widgets.matter_form import MatterForm
from kantor_cases.ui.widgets.scrolling import FormScroll

if TYPE_CHECKING:
    from kantor_cases.services.office import Office


class NewMatterDialog(FormDialog):
    def __init__(self, office: Office, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.client_id = client_id
        self.matter_id: int | None = None
        client = office.clients.get(client_id)
        self.setWindowTitle(f"New matter for {client.full_name}")
        self.form = MatterForm(office)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{escape(client.full_name)}</b> — a new matter starts at “Intake”."))
        layout.addWidget(FormScroll(self.form), 1)
        layout.addWidget(buttons)
        self.resize(620, 560)

    def accept(self) -> None:
        try:
            draft = self.form.draft(create_parties=True)
            self.matter_id = self.office.matters.create(self.client_id, draft).id
        except ValidationError as error:
            self.form.show_errors(error.fields)
            return
        except KantorError as error:
            show_error(self, error)
            return
        super().accept()
