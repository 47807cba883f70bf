"""The client form records the form of address Spanish letters agree with (issue 14 item 10)."""

from __future__ import annotations

from kantor_cases.domain.records import ClientDraft
from kantor_cases.ui.clients.client_form import ClientForm


def test_the_form_of_address_round_trips_through_the_client_form(qtbot):
    form = ClientForm()
    qtbot.addWidget(form)
    form.set_draft(ClientDraft(given_name="Guadalupe", family_name="Ortiz", salutation="ms"))
    assert form.salutation_combo.currentText() == "Ms. / Sra." and form.draft().salutation == "ms"
    form.set_draft(ClientDraft(given_name="José", family_name="Núñez"))
    assert form.draft().salutation == ""
