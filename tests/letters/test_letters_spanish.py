"""Spanish wording (issue 14 item 10): the legal terms a Los Angeles office uses, and agreement with
the recipient's recorded form of address (Sr./Sra.), neutral when none is recorded."""

from __future__ import annotations

import pytest
from letters_support import LETTER_DATE, all_text, flat

from kantor_cases.letters import Letterhead, render_letter, sample_fields


def _spanish(template_id: str, letterhead: Letterhead, **changes: object) -> str:
    fields = sample_fields(template_id, "es")
    fields.update({name.replace("__", "."): value for name, value in changes.items()})
    return flat(all_text(render_letter(template_id, "es", fields, letterhead, LETTER_DATE)))


def test_a_deposition_is_a_deposicion(letterhead: Letterhead) -> None:
    text = _spanish("engagement", letterhead, matter__kind="employment")
    assert "deposiciones" in text and "declaraciones juradas" not in text


@pytest.mark.parametrize(("title", "greeting", "pronoun"), [
    ("ms", "Estimada", "si la detienen"),
    ("mr", "Estimado", "si lo detienen"),
    (None, "Estimado(a)", "si le detienen"),
])
def test_the_reminder_agrees_with_the_recorded_form_of_address(title, greeting, pronoun, letterhead) -> None:
    text = _spanish("hearing-reminder", letterhead, recipient__title=title)
    assert f"{greeting} Nguyễn Thị Hương:" in text and pronoun in text


@pytest.mark.parametrize(("title", "phrases", "absent"), [
    ("ms", ["Estimada", "no la representamos", "ayudarla"], ["representarlo", "ayudarlo"]),
    ("mr", ["Estimado Armen", "no lo representamos", "ayudarlo"], ["representarla", "ayudarla"]),
    (None, ["Estimado(a)", "no le representamos", "ayudarle"], ["representarlo", "ayudarlo", "ayudarla"]),
])
def test_the_non_engagement_letter_agrees_too(title, phrases, absent, letterhead) -> None:
    text = _spanish("non-engagement", letterhead, recipient__title=title)
    for phrase in phrases:
        assert phrase in text, phrase
    for phrase in absent:
        assert phrase not in text, phrase


@pytest.mark.parametrize("template_id", ["closing", "document-request", "status-update", "engagement"])
def test_every_spanish_greeting_follows_the_title(template_id: str, letterhead: Letterhead) -> None:
    assert "Estimada Nguyễn" in _spanish(template_id, letterhead, recipient__title="ms")
    assert "Estimado(a) Nguyễn" in _spanish(template_id, letterhead, recipient__title=None)


@pytest.mark.parametrize(("title", "pronoun"), [("ms", "La representaremos"), ("mr", "Lo representaremos"),
                                                (None, "Le representaremos")])
def test_the_engagement_agrees_with_the_form_of_address(title, pronoun, letterhead: Letterhead) -> None:
    assert pronoun in _spanish("engagement", letterhead, recipient__title=title)


def test_a_matter_description_ending_in_a_period_gets_no_second_one(letterhead: Letterhead) -> None:
    text = _spanish("engagement", letterhead, matter__description="su reclamo contra Pacific Garment Inc.")
    assert "Pacific Garment Inc. Nuestros servicios" in text and "Inc.." not in text
