"""The client's recorded form of address decides the Spanish agreement (issue 14 item 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_letters import add_case, flat, text_of

from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.records import ClientDraft


@pytest.mark.parametrize(("salutation", "greeting", "pronoun"), [
    ("ms", "Estimada Guadalupe Ortiz:", "si la detienen"),
    ("Mr.", "Estimado Guadalupe Ortiz:", "si lo detienen"),
    ("", "Estimado(a) Guadalupe Ortiz:", "si le detienen"),
])
def test_the_spanish_reminder_follows_the_clients_recorded_form_of_address(letterhead, salutation, greeting,
                                                                           pronoun):
    office = letterhead
    client_id, matter_id, _ = add_case(office, salutation=salutation)
    assert office.clients.get(client_id).salutation == salutation.lower().rstrip(".")
    letter = office.letters.generate("hearing-reminder", matter_id=matter_id)
    text = flat(text_of(Path(letter.file_path).read_bytes()))
    assert greeting in text and pronoun in text


def test_an_unknown_form_of_address_is_refused(office):
    with pytest.raises(ValidationError, match="Mr., Ms."):
        office.clients.create(ClientDraft(given_name="Rosa", family_name="Díaz", salutation="Dr."))
