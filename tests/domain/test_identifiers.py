"""A-numbers, receipt numbers, dates and names as the office types them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kantor_cases.domain.identifiers import ANumber, IdentifierError, ReceiptNumber, parse_nlrb_case
from kantor_cases.domain.names import fold, sort_name
from kantor_cases.domain.validation import check_birth_date, parse_date


@pytest.mark.parametrize("typed", ["A 012-345-678", "a12345678", "012345678", "12345678", "A012345678",
                                   " A-012 345 678 "])
def test_a_number_forms_are_stored_alike(typed):
    number = ANumber.parse(typed)
    assert number.value == "A012345678"
    assert number.display() == "A012-345-678"


@pytest.mark.parametrize("typed", ["A12", "A1234567890", "B012345678", "A01234567X", "000000000", "A٠١٢٣٤٥٦٧٨"])
def test_wrong_a_numbers_are_refused_in_plain_words(typed):
    with pytest.raises(IdentifierError, match="A-number|digits"):
        ANumber.parse(typed)


@pytest.mark.parametrize("typed, said", [("A1", "has 1 digit;"), ("A12", "has 2 digits;")])
def test_a_short_a_number_is_counted_in_plain_english(typed, said):
    with pytest.raises(IdentifierError, match=said):
        ANumber.parse(typed)


def test_receipt_numbers_accept_dashes_and_warn_on_unknown_prefixes():
    assert ReceiptNumber.parse("ioe-091-234-5678").value == "IOE0912345678"
    assert ReceiptNumber.parse("IOE0912345678").warning() is None
    assert "not a service-center prefix" in ReceiptNumber.parse("ZZZ0912345678").warning()
    with pytest.raises(IdentifierError):
        ReceiptNumber.parse("IOE12")


def test_nlrb_case_numbers():
    assert parse_nlrb_case("21-ca-123456") == "21-CA-123456"
    with pytest.raises(IdentifierError):
        parse_nlrb_case("CA 21")


def test_dates_in_iso_and_us_forms_and_impossible_dates():
    assert parse_date("2026-11-29") == date(2026, 11, 29)
    assert parse_date("3/7/1980") == date(1980, 3, 7)
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("2026-02-30")
    with pytest.raises(ValueError, match="not a date"):
        parse_date("tomorrow")


def test_birth_dates_in_the_future_or_absurdly_old_are_refused():
    assert check_birth_date(date(2030, 1, 1), today=date(2026, 11, 29))
    assert check_birth_date(date(1850, 1, 1), today=date(2026, 11, 29))
    assert check_birth_date(date(1980, 1, 1), today=date(2026, 11, 29)) is None


def test_names_fold_accents_and_sort_by_family_names():
    assert fold("José  NÚÑEZ García") == "jose nunez garcia"
    assert fold("Łukasz Żółć") == "lukasz zolc"
    assert sort_name("María", "García", "López") == "García López, María"


@given(st.text(alphabet="A0123456789-٣ ", min_size=0, max_size=12))
def test_a_stored_a_number_is_shown_as_parsing_it_shows_it(stored):
    """format_a_number's short way for stored ("A" + 9 digits) numbers says what the parser says."""
    from kantor_cases.domain.identifiers import format_a_number

    try:
        expected = ANumber.parse(stored).display() if stored else ""
    except IdentifierError:
        expected = stored
    assert format_a_number(stored) == expected


def test_stored_a_numbers_are_shown_with_dashes():
    from kantor_cases.domain.identifiers import format_a_number

    assert [format_a_number(s) for s in ("A012345678", "A000000000", "A01234567", "")] == [
        "A012-345-678", "A000000000", "A001-234-567", ""]
