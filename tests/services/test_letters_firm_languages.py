"""The firm adds its own version of a template in another language Civ. Code 1632 names (issue 14
item 9); the built-in set stays English and Spanish."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_letters import add_case, flat, text_of

from kantor_cases.domain.errors import ValidationError
from kantor_cases.letters import template_languages

VIETNAMESE = """@re
Nhắc lịch phiên tòa: {{ client.full_name }}, {{ client.a_number }}

Kính gửi {{ recipient.salutation or recipient.name }}:

Phiên tòa tới của quý vị vào ngày **{{ hearing.date }}** lúc {{ hearing.time }}, tại {{ hearing.court_name }}.

@closing
"""


def test_a_vietnamese_version_added_by_the_firm_prints_in_vietnamese(letterhead):
    office = letterhead
    _, matter_id, _ = add_case(office, given="Thảo", family="Nguyễn", language="en")
    with pytest.raises(ValidationError, match="English and Spanish"):
        office.letters.plan("hearing-reminder", matter_id=matter_id, language="vi")
    start, version = office.letters.template_source("hearing-reminder", "vi")
    assert version == 0 and "Your next hearing in immigration court" in start  # the English text to translate
    office.letters.save_template("hearing-reminder", "vi", VIETNAMESE, "Vietnamese version")

    info = next(t for t in office.letters.templates() if t.template_id == "hearing-reminder")
    assert info.languages == ("en", "es", "vi") and template_languages("hearing-reminder") == ("en", "es")
    letter = office.letters.generate("hearing-reminder", matter_id=matter_id, language="vi")
    text = flat(text_of(Path(letter.file_path).read_bytes()))
    assert "Phiên tòa tới của quý vị" in text and "ngày" in text and "Trân trọng," in text and "V/v:" in text
    assert office.letters.regenerate(letter.id).matches
    with pytest.raises(ValidationError, match="may add its own"):
        office.letters.save_template("hearing-reminder", "fr", VIETNAMESE)


def test_a_firm_language_agreement_needs_its_own_terms(letterhead):
    office = letterhead
    _, matter_id, _ = add_case(office, language="en")
    source, _ = office.letters.template_source("engagement", "en")
    office.letters.save_template("engagement", "ko", source.replace("Agreement for legal services", "법률 서비스 계약"))
    fees = {"engagement.fee_type": "flat", "engagement.flat_fee": "6000", "engagement.attorney_insured": True,
            "engagement.scope_items": ["Asylum application"], "engagement.excluded_items": ["Appeals"]}
    with pytest.raises(ValidationError, match="Korean letter"):
        office.letters.generate("engagement", matter_id=matter_id, language="ko", fields=fees)
    letters, _combined = office.letters.generate_together(
        "engagement", matter_id=matter_id, languages=("en", "ko"),
        fields={**fees, "engagement.scope_items:ko": ["망명 신청"], "engagement.excluded_items:ko": ["항소"]})
    korean = flat(text_of(Path(letters[1].file_path).read_bytes()))
    assert "법률 서비스 계약" in korean and "망명 신청" in korean and "Asylum application" not in korean
