"""What each letter must say (DOMAIN.md §7), checked in the printed text, in both languages."""

from __future__ import annotations

import pytest
from letters_support import LETTER_DATE, all_text, flat

from kantor_cases.letters import Letterhead, render_letter, sample_fields


def _text(template_id: str, language: str, letterhead: Letterhead, **changes: object) -> str:
    fields = sample_fields(template_id, language)
    fields.update({name.replace("__", "."): value for name, value in changes.items()})
    return flat(all_text(render_letter(template_id, language, fields, letterhead, LETTER_DATE)))


@pytest.mark.parametrize(("language", "phrases"), [
    ("en", ["Los Angeles Immigration Court (Olive Street)", "606 S. Olive Street", "Floor 15, Courtroom 12",
            "Daniel P. Whitcomb", "January 12, 2027", "8:30 a.m.", "master calendar hearing",
            "Arrive early", "photo identification", "order you removed (deported) in your absence",
            "EOIR-33", "AR-11", "1-800-898-7180", "If you are sick, are detained", "(310) 555-0142",
            "still pending"]),
    ("es", ["606 S. Olive Street", "Piso 15, sala 12", "12 de enero de 2027", "8:30 a. m.",
            "Llegue temprano", "identificación vigente con fotografía", "deportación en su ausencia",
            "EOIR-33", "AR-11", "1-800-898-7180", "Si se enferma, si la detienen", "sigue pendiente"]),
])
def test_hearing_reminder_says_what_the_client_needs(language: str, phrases: list[str],
                                                      letterhead: Letterhead) -> None:
    text = _text("hearing-reminder", language, letterhead)
    for phrase in phrases:
        assert phrase in text, phrase


def test_hearing_reminder_mentions_pending_pd_only_when_pending(letterhead: Letterhead) -> None:
    assert "prosecutorial discretion" not in _text("hearing-reminder", "en", letterhead, pd__pending=False)


@pytest.mark.parametrize("language", ["en", "es"])
def test_engagement_contingency_terms(language: str, letterhead: Letterhead) -> None:
    text = _text("engagement", language, letterhead, engagement__fee_type="contingency")
    if language == "en":
        assert "not set by law and is negotiable between attorney and client" in text
        assert "section 6147" in text and "33⅓% of the gross recovery" in text
        assert "net recovery" not in text
    else:
        assert "no están fijados por la ley y son negociables" in text
        assert "artículo 6147" in text


@pytest.mark.parametrize("language", ["en", "es"])
def test_engagement_flat_fee_cites_6148_and_lists_duties(language: str, letterhead: Letterhead) -> None:
    text = _text("engagement", language, letterhead)
    assert "6148" in text and "$7,500.00" in text and "6147" not in text
    if language == "en":
        for phrase in ("do not include", "Attend every hearing", "Keep your address current",
                       "You may end our representation at any time"):
            assert phrase in text, phrase
    else:
        for phrase in ("no incluyen", "Asistir a todas las audiencias", "Mantener su dirección al día",
                       "Usted puede terminar nuestra representación"):
            assert phrase in text, phrase


def test_engagement_insurance_disclosure_only_when_uninsured(letterhead: Letterhead) -> None:
    uninsured = _text("engagement", "en", letterhead, engagement__attorney_insured=False)
    insured = _text("engagement", "en", letterhead, engagement__attorney_insured=True)
    sentence = "we are informing you in writing that we do not have professional liability insurance"
    assert sentence in uninsured and sentence not in insured
    assert "1.4.2" in _text("engagement", "es", letterhead, engagement__attorney_insured=False)


def test_engagement_spanish_translation_note(letterhead: Letterhead) -> None:
    assert "Civil Code section 1632" in _text("engagement", "en", letterhead, engagement__negotiated_in_spanish=True)
    assert "1632" not in _text("engagement", "en", letterhead, engagement__negotiated_in_spanish=False)
    assert "artículo 1632 del Código Civil" in _text("engagement", "es", letterhead)


def test_engagement_immigration_wording_only_for_immigration_matters(letterhead: Letterhead) -> None:
    employment = _text("engagement", "en", letterhead, matter__kind="employment",
                       matter__description="your wage claim against Pacific Foods, Inc.")
    assert "EOIR-33" not in employment and "Keep your address current" in employment


def test_pd_request_caption_and_sections(letterhead: Letterhead) -> None:
    text = _text("pd-request", "en", letterhead)
    for phrase in ("Respondent Armen Petrosyan", "A-Number A208-456-123", "Immigration Judge Daniel P. Whitcomb",
                   "Next hearing January 12, 2027, individual (merits) hearing",
                   "Custody status not detained (never detained)",
                   "dismissal of these proceedings without prejudice",
                   "equities and humanitarian factors", "Negative factors", "EOIR-28", "G-28",
                   "Exhibit index", "Exhibit E Certified disposition"):
        assert phrase in text, phrase
    assert "Adelanto" not in text  # a facility is named only for a detained respondent
    detained = _text("pd-request", "en", letterhead, case__custody="detained")
    assert "detained, Adelanto ICE Processing Center" in detained


def test_non_engagement_deadlines_and_documents(letterhead: Letterhead) -> None:
    text = _text("non-engagement", "en", letterhead)
    for phrase in ("we are not representing you", "We are not your attorneys", "January 12, 2027",
                   "consult another attorney promptly", "Passport of Guatemala"):
        assert phrase in text, phrase


def test_document_request_and_closing(letterhead: Letterhead) -> None:
    request = _text("document-request", "es", letterhead)
    for phrase in ("15 de enero de 2027", "Su pasaporte y cualquier registro I-94", "traducción completa al inglés"):
        assert phrase in request, phrase
    closing = _text("closing", "en", letterhead)
    for phrase in ("our representation of you in this matter has ended", "August 5, 2031",
                   "We will keep your file for 5 years", "$312.50"):
        assert phrase in closing, phrase
    status = _text("status-update", "en", letterhead)
    assert "Where your case stands" in status and "March 29, 2027" in status
