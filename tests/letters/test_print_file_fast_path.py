"""The batch print file joins the renderer's own PDFs on the fast path, never by the pypdf fallback:
a renderer change that silently fell back would make every batch a third slower."""

from __future__ import annotations

import io
from datetime import date
from typing import NoReturn

import pytest
from letters_support import page_texts

from kantor_cases.letters import concatenate, render_letter, sample_fields


def test_the_renderers_pdfs_join_without_the_fallback(letterhead, monkeypatch):
    pdfs = [render_letter(template, language, sample_fields(template, language), letterhead, date(2026, 12, 7))
            for template, language in (("hearing-reminder", "en"), ("hearing-reminder", "es"), ("engagement", "es"))]

    def fallback(_pdfs: list[bytes]) -> NoReturn:
        pytest.fail("the print file fell back to pypdf for the renderer's own letters")

    monkeypatch.setattr(concatenate, "combine_pdfs", fallback)
    joined = concatenate.concatenate_pdfs(pdfs)
    assert page_texts(joined) == [text for pdf in pdfs for text in page_texts(pdf)]


def _letters(letterhead) -> list[bytes]:
    names = ["Ana López", "王小明", "Петросян"]
    pdfs = []
    for name in names:
        fields = sample_fields("hearing-reminder")
        fields["recipient.name"] = fields["client.full_name"] = name
        pdfs.append(render_letter("hearing-reminder", "en", fields, letterhead, date(2026, 12, 7)))
    return pdfs


def test_a_print_file_built_letter_by_letter_is_the_one_joined_at_once(letterhead):
    """A batch joins its letters as they are logged, while the workers render the next ones."""
    pdfs = _letters(letterhead)
    print_file = concatenate.PrintFile()
    for pdf in pdfs:
        print_file.add(pdf)
    assert print_file.joined() == concatenate.concatenate_pdfs(pdfs)


def test_a_letter_the_fast_path_cannot_read_midway_sends_the_whole_print_file_to_pypdf(letterhead):
    from pypdf import PdfWriter

    pdfs = _letters(letterhead)
    # The same letter updated by pypdf (a second revision appended): not a shape the fast path reads.
    writer = PdfWriter(io.BytesIO(pdfs[1]), incremental=True)
    writer.add_metadata({"/Subject": "Hearing reminder"})
    other = io.BytesIO()
    writer.write(other)
    letters = [pdfs[0], other.getvalue(), pdfs[2]]
    print_file = concatenate.PrintFile()
    for pdf in letters:
        print_file.add(pdf)
    assert page_texts(print_file.joined()) == [text for pdf in pdfs for text in page_texts(pdf)]
