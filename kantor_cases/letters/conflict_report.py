"""The printed conflict check, kept in the client's file and handed to the attorney: the office's
letterhead, who ran the check and when, the names searched, every possible conflict with whose
record it is and why it may be the same person, and the decision taken on it.

Plain data in, PDF bytes out (ReportLab), like the letters; the caller writes, files and audits it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from .fonts import SERIF, SERIF_BOLD, register_fonts
from .markup import escape_value
from .render import Letterhead, _draw_letterhead


@dataclass(frozen=True)
class ConflictHitLine:
    name: str
    relation: str  # whose record: "spouse of María García López, client 1482"
    reasons: str
    score: int


@dataclass(frozen=True)
class ConflictReportPage:
    letterhead: Letterhead | None  # None: the firm has not filled in its letterhead yet
    subject: str  # "Intake of client 1482", or "" for a check not yet tied to a client
    searched: tuple[tuple[str, str], ...]  # ("Name", "María García"), ("A-number", "A-012-345-678") …
    checked_by: str
    checked_at: datetime
    printed_at: datetime
    hits: tuple[ConflictHitLine, ...]
    decision: str  # what was decided on it, and by whom


def conflict_report_pdf(page: ConflictReportPage) -> bytes:
    register_fonts()
    body = ParagraphStyle("body", fontName=SERIF, fontSize=9.5, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    heading = ParagraphStyle("heading", parent=body, fontName=SERIF_BOLD, fontSize=11, leading=14, spaceBefore=8)
    title = ParagraphStyle("title", parent=body, fontName=SERIF_BOLD, fontSize=15, leading=19)
    story: list[Any] = []
    if page.letterhead is None:
        story.append(Paragraph("Conflict check record (the office's letterhead is not filled in yet)", small))
    story += [Paragraph("Conflict check", title)]
    if page.subject:
        story.append(Paragraph(escape_value(page.subject), body))
    story += [
        Spacer(1, 0.08 * inch),
        Paragraph(escape_value(f"Run by {page.checked_by} on {page.checked_at:%d %b %Y at %H:%M}; "
                               f"printed {page.printed_at:%d %b %Y at %H:%M}."), body),
        Paragraph("Names searched", heading),
    ]
    searched = [[Paragraph(escape_value(label), body), Paragraph(f"<b>{escape_value(value)}</b>", body)]
                for label, value in page.searched]
    table = LongTable(searched, colWidths=[1.4 * inch, 5.1 * inch])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    count = len(page.hits)
    story.append(Paragraph("No possible conflicts found" if not count else
                           f"{count} possible conflict{'s' if count != 1 else ''}", heading))
    if not count:
        story.append(Paragraph("No one among the clients, their family members and the organisations on file "
                               "looks like the names searched.", body))
    else:
        header = [Paragraph(f"<b>{name}</b>", body)
                  for name in ("Name", "Whose record", "Why it may be the same", "Match")]
        cells = [header] + [[Paragraph(escape_value(hit.name), body), Paragraph(escape_value(hit.relation), body),
                             Paragraph(escape_value(hit.reasons), body), Paragraph(f"{hit.score}%", body)]
                            for hit in page.hits]
        hits = LongTable(cells, colWidths=[1.4 * inch, 2.2 * inch, 2.2 * inch, 0.7 * inch], repeatRows=1)
        hits.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
        ]))
        story.append(hits)
    story += [Paragraph("Decision", heading), Paragraph(escape_value(page.decision), body)]

    def first(canvas: Any, document: Any) -> None:
        if page.letterhead is not None:
            _draw_letterhead(canvas, page.letterhead)
        footer(canvas, document)

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(SERIF, 7.5)
        canvas.drawString(0.75 * inch, 0.5 * inch, f"Conflict check — {page.subject or 'not yet filed'} — "
                                                   f"page {document.page}")
        canvas.restoreState()

    output = io.BytesIO()
    top = 1.25 * inch if page.letterhead is not None else 0.75 * inch
    SimpleDocTemplate(output, pagesize=LETTER, title="Conflict check",
                      author=page.letterhead.firm_name if page.letterhead else "",
                      leftMargin=1.0 * inch, rightMargin=1.0 * inch, topMargin=top,
                      bottomMargin=0.8 * inch).build(story, onFirstPage=first, onLaterPages=footer)
    return output.getvalue()
