"""Letters: a batch of (at least) 500 hearing reminders through the letter service, beside raw
ReportLab building a comparable page — the text of one of those reminders, in the same font —
500 times in this process.

The batch runs on a small demo office (a few thousand clients) where the nearest window of days
holds 500 hearings: the letter service has no "first 500" option, and on the big office one day
already holds far more. The first batch of a session starts the service's worker processes, so
it is reported as measured (cold); a second, warm batch is printed beside it. The warm batch prints
the same letters again, so the renderer's caches already hold their paragraphs and font subsets:
it is the faster figure, not the one a new batch of other clients gets.
"""

from __future__ import annotations

import io
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kantor_cases.services import locations
from kantor_cases.services.office import Office

LETTERS = 500


@dataclass(frozen=True)
class LetterFigures:
    per_s: float  # the first (cold) batch
    warm_per_s: float
    raw_per_s: float
    letters: int
    refused: int
    pages: int  # pages of the reminder used for the raw page


def measure_letters(database: Path, password: str | None = None) -> LetterFigures:
    """The batch on the office at `database` (signed in with `password` when it is encrypted)."""
    office = Office.open(locations.resolve(str(database)), "bench", password=password)
    try:
        letters = office.letters
        days = next((d for d in range(1, 367) if letters.batch_candidates("hearing-reminder", d)[0] >= LETTERS), 366)
        with tempfile.TemporaryDirectory(prefix="kantor-bench-letters-") as folder:
            started = time.perf_counter()
            cold = letters.run_batch("hearing-reminder", hearings_within_days=days, out_dir=Path(folder) / "cold")
            cold_s = time.perf_counter() - started
            started = time.perf_counter()
            warm = letters.run_batch("hearing-reminder", hearings_within_days=days, force=True,
                                     out_dir=Path(folder) / "warm")
            warm_s = time.perf_counter() - started
            if not cold.letters:
                raise RuntimeError(f"the batch printed nothing: {cold.problems[:3]}")
            sample_pdf = Path(cold.letters[0].file_path).read_bytes()
    finally:
        office.close()
    paragraphs, pages = _text_of(sample_pdf)
    raw_s = _raw_reportlab(paragraphs, LETTERS)
    return LetterFigures(cold.count / cold_s, warm.count / warm_s, LETTERS / raw_s, cold.count,
                         len(cold.problems), pages)


def _text_of(pdf: bytes) -> tuple[list[str], int]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return [line.strip() for line in text.splitlines() if line.strip()], len(reader.pages)


def _raw_reportlab(lines: list[str], count: int) -> float:
    """Seconds for ReportLab alone to build `count` PDFs of these lines (escaped, DejaVu Serif)."""
    from importlib import resources
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from kantor_cases.letters import pdf_numbers
    from kantor_cases.resources import resource

    if "BenchSerif" not in pdfmetrics.getRegisteredFontNames():
        with resources.as_file(resource("fonts", "DejaVuSerif.ttf")) as font_file:
            pdfmetrics.registerFont(TTFont("BenchSerif", str(font_file)))
    style = ParagraphStyle("body", fontName="BenchSerif", fontSize=11, leading=15, spaceAfter=6)
    heading = ParagraphStyle("head", parent=style, fontSize=14, leading=18)
    escaped = [escape(line) for line in lines]

    def build() -> bytes:
        out = io.BytesIO()
        document = SimpleDocTemplate(out, pagesize=LETTER, leftMargin=inch, rightMargin=inch, topMargin=inch,
                                     bottomMargin=inch, invariant=1)
        story: list[Any] = [Paragraph(escaped[0], heading), Spacer(1, 12)]
        story += [Paragraph(line, style) for line in escaped[1:]]
        document.build(story)
        return out.getvalue()

    # ReportLab as it comes: without the number formatting the letters package remembers.
    with pdf_numbers.reportlabs_own():
        build()  # fonts subset and caches warm, as the service's first letter warms its own
        started = time.perf_counter()
        for _ in range(count):
            build()
        return time.perf_counter() - started
