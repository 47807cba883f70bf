"""Helpers for the letter tests: reading back what a PDF shows a reader."""

from __future__ import annotations

import io
from datetime import date

import pypdf

from kantor_cases.letters import Letterhead

LETTER_DATE = date(2026, 11, 29)

LETTERHEAD = Letterhead(
    firm_name="Law Offices of Miriam R. Kantor",
    attorney_name="Miriam R. Kantor",
    bar_number="123456",
    address_lines=("9454 Wilshire Boulevard, Suite 600", "Beverly Hills, California 90212"),
    phone="(310) 555-0142",
    email="office@kantorlaw.example",
)


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page as pypdf extracts it (what search, copy and screen readers get)."""
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def all_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces folded, so a phrase wrapped over two lines matches."""
    return " ".join(text.split())
