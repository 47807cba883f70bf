"""Dates, times and A-numbers read the way a client of each language expects."""

from __future__ import annotations

from datetime import date, time

import pytest
from letters_support import LETTER_DATE, all_text, page_texts

from kantor_cases.letters import Letterhead, render_letter, sample_fields
from kantor_cases.letters.formatting import format_a_number, format_time, long_date

SPANISH_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                  "septiembre", "octubre", "noviembre", "diciembre"]


def test_long_dates() -> None:
    assert long_date(date(2026, 11, 29), "en") == "November 29, 2026"
    assert long_date(date(2026, 11, 29), "es") == "29 de noviembre de 2026"
    assert long_date(date(2027, 1, 1), "es") == "1 de enero de 2027"
    assert [long_date(date(2026, m, 5), "es").split(" ")[2] for m in range(1, 13)] == SPANISH_MONTHS


def test_times() -> None:
    assert format_time(time(8, 30), "en") == "8:30 a.m."
    assert format_time(time(13, 5), "en") == "1:05 p.m."
    assert format_time(time(0, 15), "es") == "12:15 a. m."
    assert format_time("13:00", "es") == "1:00 p. m."
    assert format_time("por la tarde", "es") == "por la tarde"


@pytest.mark.parametrize(("typed", "shown"), [
    ("A012345678", "A012-345-678"),
    ("a12345678", "A012-345-678"),
    ("A 012-345-678", "A012-345-678"),
    ("012345678", "A012-345-678"),
    ("A2084561", "A2084561"),  # not 8 or 9 digits: printed as typed, never guessed
])
def test_a_numbers(typed: str, shown: str) -> None:
    assert format_a_number(typed) == shown


def test_spanish_letter_dates_and_labels(letterhead: Letterhead) -> None:
    fields = sample_fields("hearing-reminder", "es")
    fields["client.a_number"] = "a12345678"
    text = all_text(render_letter("hearing-reminder", "es", fields, letterhead, LETTER_DATE))
    assert "29 de noviembre de 2026" in text  # the letter's date
    assert "12 de enero de 2027" in text  # the hearing date
    assert "8:30 a. m." in text
    assert "A012-345-678" in text
    assert "audiencia del calendario principal" in text  # the hearing type, in Spanish
    assert "vietnamita" in text  # the interpreter language, in Spanish
    assert "November" not in text and "January" not in text


def test_english_letter_dates(letterhead: Letterhead) -> None:
    text = page_texts(render_letter("hearing-reminder", "en", sample_fields("hearing-reminder"),
                                    letterhead, LETTER_DATE))[0]
    assert "November 29, 2026" in text and "January 12, 2027" in text and "8:30 a.m." in text
