"""Page numbering, one-page reminders, the letterhead, and a combined print file for a batch."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from letters_support import LETTER_DATE, all_text, page_texts

from kantor_cases.letters import Letterhead, combine_pdfs, render_letter, sample_fields


def test_multi_page_letters_carry_page_numbers(letterhead: Letterhead) -> None:
    pages = page_texts(render_letter("engagement", "en", sample_fields("engagement"), letterhead, LETTER_DATE))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
    # Later pages say whose letter they belong to, in case they are separated from the first.
    assert all("Nguyễn Thị Hương — November 29, 2026" in text for text in pages[1:])


def test_spanish_page_numbers(letterhead: Letterhead) -> None:
    pages = page_texts(render_letter("engagement", "es", sample_fields("engagement", "es"), letterhead,
                                     LETTER_DATE))
    assert len(pages) >= 2
    assert f"Página 2 de {len(pages)}" in pages[1]


@pytest.mark.parametrize("language", ["en", "es"])
def test_hearing_reminder_fits_one_page_without_a_page_number(language: str, letterhead: Letterhead) -> None:
    pages = page_texts(render_letter("hearing-reminder", language, sample_fields("hearing-reminder", language),
                                     letterhead, LETTER_DATE))
    assert len(pages) == 1
    assert "of 1" not in pages[0] and "de 1" not in pages[0]


def test_signature_is_never_alone_on_a_page(letterhead: Letterhead) -> None:
    """When a letter runs over, the last paragraph goes with the closing and signature."""
    fields = sample_fields("hearing-reminder")
    fields["hearing.court_address"] = "\n".join(f"Line {n}" for n in range(1, 7))  # pushes the closing over
    pages = page_texts(render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE))
    last = next(text for text in pages if "Very truly yours," in text)
    assert "only the judge can change" in " ".join(last.split())


def test_letterhead_shows_firm_attorney_bar_number_and_contacts(letterhead: Letterhead) -> None:
    first = page_texts(render_letter("closing", "en", sample_fields("closing"), letterhead, LETTER_DATE))[0]
    for expected in ("LAW OFFICES OF MIRIAM R. KANTOR", "Miriam R. Kantor", "State Bar No. 123456",
                     "9454 Wilshire Boulevard, Suite 600", "Beverly Hills, California 90212",
                     "(310) 555-0142", "office@kantorlaw.example"):
        assert expected in first


def test_logo_is_drawn_and_a_missing_logo_does_not_stop_the_letter(tmp_path: Path, letterhead: Letterhead) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), (120, 100, 60)).save(logo)
    with_logo = render_letter("hearing-reminder", "en", sample_fields("hearing-reminder"),
                              replace(letterhead, logo_path=str(logo)), LETTER_DATE)
    page = pypdf.PdfReader(io.BytesIO(with_logo)).pages[0]
    assert len(page.images) == 1
    missing = render_letter("hearing-reminder", "en", sample_fields("hearing-reminder"),
                            replace(letterhead, logo_path=str(tmp_path / "gone.png")), LETTER_DATE)
    assert "Very truly yours," in all_text(missing)


def test_combined_print_file_has_every_page_in_order(letterhead: Letterhead) -> None:
    parts = [
        render_letter("engagement", "en", sample_fields("engagement"), letterhead, LETTER_DATE),
        render_letter("hearing-reminder", "es", sample_fields("hearing-reminder", "es"), letterhead, LETTER_DATE),
        render_letter("pd-request", "en", sample_fields("pd-request"), letterhead, LETTER_DATE),
    ]
    counts = [len(pypdf.PdfReader(io.BytesIO(p)).pages) for p in parts]
    combined = combine_pdfs(parts)
    pages = page_texts(combined)
    assert len(pages) == sum(counts)
    assert "Agreement for legal services" in pages[0]
    assert "Recordatorio de audiencia" in pages[counts[0]]
    assert "Request for prosecutorial discretion" in pages[counts[0] + counts[1]]


def test_combined_batch_shares_fonts_instead_of_repeating_them(letterhead: Letterhead) -> None:
    fields = sample_fields("hearing-reminder")
    letters = [render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE) for _ in range(20)]
    combined = combine_pdfs(letters)
    assert len(pypdf.PdfReader(io.BytesIO(combined)).pages) == 20
    assert len(combined) < sum(len(p) for p in letters) / 5
