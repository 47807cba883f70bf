"""Engagement letters (issue 14 item 9): the contingency basis is one field, gross or net, never both."""

from __future__ import annotations

import pytest
from letters_support import LETTER_DATE, all_text, flat

from kantor_cases.letters import Letterhead, TemplateError, render_letter, sample_fields


def _text(language: str, letterhead: Letterhead, **changes: object) -> str:
    fields = sample_fields("engagement", language)
    fields.update({"engagement.fee_type": "contingency", "matter.kind": "employment"})
    fields.update({name.replace("__", "."): value for name, value in changes.items()})
    return flat(all_text(render_letter("engagement", language, fields, letterhead, LETTER_DATE)))


@pytest.mark.parametrize(("basis", "said", "never"), [
    ("gross", "33⅓% of the gross recovery", "net recovery"),
    ("net", "33⅓% of the net recovery", "gross recovery"),
])
def test_the_contingency_fee_is_of_the_gross_or_of_the_net_never_both(basis, said, never, letterhead) -> None:
    text = _text("en", letterhead, engagement__contingency_basis=basis)
    assert said in text and never not in text


@pytest.mark.parametrize(("basis", "said", "never"), [
    ("gross", "de la suma total obtenida (monto bruto)", "suma neta"),
    ("net", "de la suma neta obtenida", "monto bruto"),
])
def test_the_spanish_contingency_wording_follows_the_same_field(basis, said, never, letterhead) -> None:
    text = _text("es", letterhead, engagement__contingency_basis=basis)
    assert said in text and never not in text


def test_a_contingency_agreement_needs_its_basis(letterhead: Letterhead) -> None:
    with pytest.raises(TemplateError, match="engagement.contingency_basis"):
        _text("en", letterhead, engagement__contingency_basis=None)
