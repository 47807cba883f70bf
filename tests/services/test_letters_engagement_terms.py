"""Engagement terms per language (issue 14 item 9, Civ. Code 1632): a Spanish agreement never prints
English terms, and both versions print together for signature."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from test_letters import add_case, flat, rows, text_of

from kantor_cases.domain.errors import ValidationError

TERMS = {
    "engagement.scope_items:en": ["Preparing your application for cancellation of removal"],
    "engagement.scope_items:es": ["Preparar su solicitud de cancelación de la deportación"],
    "engagement.excluded_items:en": ["Any appeal to the Board of Immigration Appeals"],
    "engagement.excluded_items:es": ["Cualquier apelación ante la Junta de Apelaciones de Inmigración"],
    "engagement.payment_schedule:en": "$1,000 at signing and $500 each month",
    "engagement.payment_schedule:es": "$1,000 al firmar y $500 cada mes",
}
FEES = {"engagement.fee_type": "flat", "engagement.flat_fee": "6000", "engagement.attorney_insured": True}


def test_a_spanish_agreement_with_english_terms_only_is_refused_naming_them(letterhead):
    office = letterhead
    _, matter_id, _ = add_case(office)
    english_only = {**FEES, "engagement.scope_items": ["Preparing your application"],
                    "engagement.excluded_items": ["Any appeal"], "engagement.payment_schedule": "$500 a month"}
    with pytest.raises(ValidationError) as refused:
        office.letters.generate("engagement", matter_id=matter_id, language="es", fields=english_only)
    message = str(refused.value)
    assert "Services included" in message and "Services not included" in message and "When the fee is paid" in message
    assert rows(office) == []
    partly = {**FEES, **{k: v for k, v in TERMS.items() if k != "engagement.payment_schedule:es"}}
    with pytest.raises(ValidationError, match=r"engagement.payment_schedule\)"):
        office.letters.generate("engagement", matter_id=matter_id, language="es", fields=partly)


def test_each_language_prints_its_own_terms(letterhead):
    office = letterhead
    _, matter_id, _ = add_case(office)
    spanish = office.letters.generate("engagement", matter_id=matter_id, language="es", fields={**FEES, **TERMS})
    text = flat(text_of(Path(spanish.file_path).read_bytes()))
    assert "Preparar su solicitud de cancelación" in text and "$1,000 al firmar" in text
    assert "Preparing your application" not in text and "each month" not in text
    english = office.letters.generate("engagement", matter_id=matter_id, language="en", fields={**FEES, **TERMS})
    assert "Preparing your application" in flat(text_of(Path(english.file_path).read_bytes()))
    assert office.letters.regenerate(spanish.id).matches


def test_english_and_spanish_print_together_for_signature(letterhead, tmp_path):
    office = letterhead
    _, matter_id, _ = add_case(office)
    letters, combined = office.letters.generate_together("engagement", matter_id=matter_id,
                                                         fields={**FEES, **TERMS}, copy_to=tmp_path / "sign.pdf")
    assert [letter.language for letter in letters] == ["en", "es"] and len(rows(office)) == 2
    together = flat(" ".join(page.extract_text() for page in PdfReader(tmp_path / "sign.pdf").pages))
    assert "Agreement for legal services" in together and "Acuerdo de servicios legales" in together
    assert (tmp_path / "sign.pdf").read_bytes() == combined
    without = {k: v for k, v in TERMS.items() if not k.endswith(":es")}
    with pytest.raises(ValidationError, match="Spanish letter"):
        office.letters.generate_together("engagement", matter_id=matter_id, fields={**FEES, **without})
    assert len(rows(office)) == 2  # nothing more was filed
