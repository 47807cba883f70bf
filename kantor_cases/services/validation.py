"""Validation and normalisation of what is typed into a client record (DOMAIN.md §6).

Pure checks live in `domain/`; phone numbers and e-mail addresses use libraries made for them
(phonenumbers, email-validator), which is why this part sits in the services layer.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

from kantor_cases.domain import names
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.records import ClientDraft, RelatedPersonDraft
from kantor_cases.domain.validation import check_birth_date, check_past_or_near, normalize_a_number

LANGUAGES = {"en": "English", "es": "Spanish"}
_Record = TypeVar("_Record")


_US_DIGITS = re.compile(r"^\+?1?[\s.()-]*([2-9]\d{2})[\s.)-]*([2-9]\d{2})[\s.-]*(\d{4})$")
# Plain ASCII addresses email-validator would accept as they are (it lower-cases only the domain);
# anything else, or a special-use domain it refuses, goes to the library.
_SIMPLE_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,63}))$")
_SPECIAL_USE_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test", "internal", "lan",
                               "home", "corp", "example", "alt"})


def normalize_phone(text: str) -> tuple[str, str | None]:
    """(E.164 phone, error) with the United States as the default region."""
    if not text or not text.strip():
        return "", None
    # A plain US number (NANP area code and exchange) is what phonenumbers would make of it; an
    # import of 100,000 rows should not pay the full parser for each.
    us = _US_DIGITS.match(text.strip())
    if us:
        return "+1" + "".join(us.groups()), None
    import phonenumbers  # only for numbers the fast path above does not settle (start-up stays lean)

    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return "", f"“{text.strip()}” is not a phone number."
    if not phonenumbers.is_possible_number(number):
        return "", f"“{text.strip()}” has the wrong number of digits for a phone number."
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def display_phone(stored: str) -> str:
    if not stored:
        return ""
    import phonenumbers

    try:
        number = phonenumbers.parse(stored, "US")
    except phonenumbers.NumberParseException:
        return stored
    if number.country_code == 1:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_email(text: str) -> tuple[str, str | None]:
    if not text or not text.strip():
        return "", None
    simple = _SIMPLE_EMAIL.match(text.strip())
    if simple and len(text.strip()) <= 254 and len(text.strip().split("@")[0]) <= 64 \
            and simple.group(2).lower() not in _SPECIAL_USE_TLDS:
        local, domain = text.strip().rsplit("@", 1)
        return f"{local}@{domain.lower()}", None
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        return "", f"“{text.strip()}” is not an e-mail address: {error}"
    return result.normalized, None


# Text fields stored trimmed and single-spaced (names.clean).
_CLEANED = ("given_name", "middle_name", "family_name", "second_family_name", "country_of_birth", "nationality",
            "languages", "street", "city", "state", "postal_code", "referral_source", "detention_facility")


def validate_client(draft: ClientDraft, today: date) -> ClientDraft:
    """The draft cleaned and normalised, or ValidationError naming every field that is wrong (dates
    counted from `today`, the office's)."""
    errors: dict[str, str] = {}
    fields = vars(draft)  # not getattr: an import validates 100,000 drafts
    clean = names.clean
    cleaned: dict[str, Any] = {field: clean(fields[field]) for field in _CLEANED}
    if not cleaned["given_name"] and not cleaned["family_name"]:
        errors["given_name"] = "A client needs at least a given name or a family name."
    for field in ("given_name", "middle_name", "family_name", "second_family_name"):
        if len(cleaned[field]) > 200:
            errors[field] = "This name is longer than 200 characters."
    a_number, error = normalize_a_number(draft.a_number)
    if error:
        errors["a_number"] = error
    phone, error = normalize_phone(draft.phone)
    if error:
        errors["phone"] = error
    phone_alt, error = normalize_phone(draft.phone_alt)
    if error:
        errors["phone_alt"] = error
    email, error = normalize_email(draft.email)
    if error:
        errors["email"] = error
    error = check_birth_date(draft.date_of_birth, today)
    if error:
        errors["date_of_birth"] = error
    error = check_past_or_near(draft.intake_date, "The intake date", today)
    if error:
        errors["intake_date"] = error
    language = (draft.preferred_language or "en").strip().lower()[:2]
    if language not in LANGUAGES:
        errors["preferred_language"] = "Letters can be printed in English (en) or Spanish (es)."
    salutation = (draft.salutation or "").strip().lower().rstrip(".")
    if salutation not in ("", "mr", "ms"):
        errors["salutation"] = "Choose Mr., Ms. or leave the form of address blank."
    if draft.detained and not cleaned["detention_facility"]:
        cleaned["detention_facility"] = ""
    if errors:
        raise ValidationError(errors)
    aliases = tuple(dict.fromkeys(a for a in (clean(x) for x in draft.aliases) if a)) if draft.aliases else ()
    if len(cleaned["state"]) == 2:
        cleaned["state"] = cleaned["state"].upper()
    return with_values(draft, {
        **cleaned, "aliases": aliases, "a_number": a_number or "", "phone": phone, "phone_alt": phone_alt,
        "email": email, "preferred_language": language, "notes": draft.notes.strip(), "salutation": salutation})


def with_values(record: _Record, values: dict[str, Any]) -> _Record:
    """`record` (a frozen dataclass) with `values` instead of its own: what dataclasses.replace gives,
    without the frozen __init__'s one object.__setattr__ per field, which cost more than all of
    validate_client's checks when an import validates 100,000 rows. Nothing is skipped: the
    records this is used for have no __post_init__ (tests/services/test_validation_records.py)."""
    copy = object.__new__(type(record))
    copy.__dict__.update(vars(record))
    copy.__dict__.update(values)
    return copy


def validate_related_person(draft: RelatedPersonDraft, today: date) -> RelatedPersonDraft:
    errors: dict[str, str] = {}
    given = names.clean(draft.given_name)
    family = names.clean(draft.family_name)
    if not given and not family:
        errors["given_name"] = "A related person needs a name."
    a_number, error = normalize_a_number(draft.a_number)
    if error:
        errors["a_number"] = error
    phone, error = normalize_phone(draft.phone)
    if error:
        errors["phone"] = error
    error = check_birth_date(draft.date_of_birth, today)
    if error:
        errors["date_of_birth"] = error
    if draft.immigration_status not in {"usc", "lpr", "other"}:
        errors["immigration_status"] = "Choose US citizen, LPR or other."
    if errors:
        raise ValidationError(errors)
    return replace(draft, given_name=given, family_name=family, a_number=a_number or "", phone=phone)
