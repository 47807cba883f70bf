"""Speed-ups must not change a single byte: same data, same PDF, whatever was printed before."""

from __future__ import annotations

from letters_support import LETTER_DATE

from kantor_cases.letters import Letterhead, fonts, render_letter, sample_fields
from kantor_cases.letters.render import _Para


def test_same_data_gives_the_same_bytes_whatever_was_printed_before(letterhead: Letterhead) -> None:
    fields = sample_fields("hearing-reminder")
    first = render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE)
    other = dict(fields, **{"recipient.name": "Петросян", "client.full_name": "王小明"})
    render_letter("hearing-reminder", "en", other, letterhead, LETTER_DATE)
    _Para._frags.clear()
    _Para._wraps.clear()
    assert render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE) == first


def test_reused_font_subsets_equal_reportlabs_own(letterhead: Letterhead) -> None:
    from reportlab.pdfbase import pdfmetrics

    fields = sample_fields("hearing-reminder")
    fields["client.full_name"] = "王小明 Nguyễn Թ"
    cached = render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE)
    faces = [pdfmetrics.getFont(name).face for name in (fonts.SERIF, fonts.SERIF_BOLD, fonts.CJK)]
    saved = [face.__dict__.pop("addSubsetObjects") for face in faces]
    try:
        plain = render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE)
    finally:
        for face, method in zip(faces, saved, strict=True):
            face.addSubsetObjects = method
    assert cached == plain
