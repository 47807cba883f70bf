"""The batch print file joins the renderer's own PDFs on the fast path, never by the pypdf fallback:
a renderer change that silently fell back would make every batch a third slower."""

from __future__ import annotations

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
