"""Every template, in every language, prints the recipient's name exactly as typed, whatever the
script: a letter that drops "ễ" or shows "王小明" as boxes goes back to the client as an insult."""

from __future__ import annotations

import pytest
from letters_support import LETTER_DATE, flat, page_texts

from kantor_cases.letters import (
    TEMPLATE_IDS,
    Letterhead,
    fonts,
    render_letter,
    sample_fields,
    template_languages,
)

LONG_NAME = " ".join(["María Guadalupe de los Ángeles Fernández-Villanueva"] * 4)[:200]
NAMES = [
    "O'Brien & <Sons>",
    "Nguyễn Thị Hương",
    "Петросян",
    "Պետրոսյան",
    "王小明",
    "김민준",
    "Łukasz Żółć",
    LONG_NAME,
]
CASES = [(t, lang) for t in TEMPLATE_IDS for lang in template_languages(t)]


def test_long_name_is_really_long() -> None:
    assert len(LONG_NAME) == 200 and not LONG_NAME.endswith(" ")


@pytest.mark.parametrize(("template_id", "language"), CASES)
@pytest.mark.parametrize("name", NAMES, ids=["obrien", "vietnamese", "russian", "armenian", "chinese",
                                             "korean", "polish", "long"])
def test_recipient_name_is_extractable_exactly(
    template_id: str, language: str, name: str, letterhead: Letterhead
) -> None:
    fields = sample_fields(template_id, language)
    fields["recipient.name"] = name
    fields["client.full_name"] = name
    pdf = render_letter(template_id, language, fields, letterhead, LETTER_DATE)
    text = "\n".join(page_texts(pdf))
    if name == LONG_NAME:
        assert flat(name) in flat(text)
    else:
        assert name in text


@pytest.mark.parametrize("name", NAMES)
def test_every_character_of_the_names_has_a_glyph(name: str) -> None:
    """No .notdef boxes: each character is in DejaVu Serif, or in a CJK run drawn with the CJK font."""
    fonts.register_fonts()
    from reportlab.pdfbase import pdfmetrics

    serif = pdfmetrics.getFont(fonts.SERIF).face.charToGlyph
    bold = pdfmetrics.getFont(fonts.SERIF_BOLD).face.charToGlyph
    cjk = pdfmetrics.getFont(fonts.CJK).face.charToGlyph
    for run, font_name in fonts.split_runs(name, fonts.SERIF):
        for char in run.replace(" ", ""):
            if font_name == fonts.CJK:
                assert ord(char) in cjk, f"{char!r} missing from the CJK font"
            else:
                assert ord(char) in serif and ord(char) in bold, f"{char!r} missing from DejaVu Serif"


def test_cjk_names_are_drawn_with_the_embedded_cjk_font(letterhead: Letterhead) -> None:
    fields = sample_fields("hearing-reminder")
    fields["recipient.name"] = "王小明"
    fields["client.full_name"] = "김민준"
    pdf = render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE)
    assert b"WenQuanYi" in pdf  # the subset is embedded, not left to the reader's machine
    text = page_texts(pdf)[0]
    assert "王小明" in text and "김민준" in text


def test_decomposed_accents_print_as_the_composed_name(letterhead: Letterhead) -> None:
    """A name typed with combining accents (as some phones send it) prints as the usual letters."""
    decomposed = "Nguye\u0302\u0303n Thi\u0323 Hu\u031bo\u031bng"
    fields = sample_fields("hearing-reminder")
    fields["recipient.name"] = decomposed
    pdf = render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE)
    assert "Nguyễn Thị Hương" in page_texts(pdf)[0]
