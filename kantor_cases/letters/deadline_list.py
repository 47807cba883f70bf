"""The printed firm-wide deadline list ("Deadlines — next 30 days"): firm, scope, who printed it and
when, then every open deadline by due date, overdue ones first: due, what, client, matter, citation,
rule version, who it is assigned to and its status.

Plain data in, PDF bytes out (ReportLab), like the letters; the caller writes and audits it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from .fonts import SERIF, SERIF_BOLD, register_fonts
from .markup import escape_value

HEADINGS = ("Due", "Deadline", "Client", "Matter", "Citation", "Rule version", "Assigned to", "Status")
_WIDTHS = (0.8, 1.9, 1.4, 1.3, 1.5, 1.0, 0.9, 1.2)


@dataclass(frozen=True)
class DeadlineList:
    firm_name: str
    title: str  # "Deadlines — next 30 days"
    until: date  # the last due date the list reaches
    scope: str  # "the whole office", "assigned to Ana"
    generated_at: datetime
    generated_by: str
    rows: list[tuple[str, ...]]  # one cell per HEADINGS


def deadline_list_pdf(listing: DeadlineList) -> bytes:
    register_fonts()
    body = ParagraphStyle("body", fontName=SERIF, fontSize=8.5, leading=10.5)
    title = ParagraphStyle("title", parent=body, fontName=SERIF_BOLD, fontSize=15, leading=19)
    firm = ParagraphStyle("firm", parent=body, fontName=SERIF_BOLD, fontSize=11, leading=14)
    story = [
        Paragraph(escape_value(listing.firm_name), firm),
        Spacer(1, 0.08 * inch),
        Paragraph(escape_value(listing.title), title),
        Paragraph(escape_value(f"Open deadlines due by {listing.until:%d %b %Y}, overdue ones first; "
                               f"{listing.scope}; {len(listing.rows)} deadlines. Printed "
                               f"{listing.generated_at:%d %b %Y %H:%M} by {listing.generated_by}."), body),
        Spacer(1, 0.15 * inch),
    ]
    header = [Paragraph(f"<b>{name}</b>", body) for name in HEADINGS]
    cells = [header] + [[Paragraph(escape_value(value), body) for value in row] for row in listing.rows]
    if not listing.rows:
        cells.append([Paragraph("No open deadline in this period.", body)] + [""] * (len(HEADINGS) - 1))
    table = LongTable(cells, colWidths=[width * inch for width in _WIDTHS], repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
    ]))
    story.append(table)

    def footer(canvas: object, document: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(SERIF, 7.5)  # type: ignore[attr-defined]
        canvas.drawString(0.5 * inch, 0.4 * inch,  # type: ignore[attr-defined]
                          f"{listing.title} — printed {listing.generated_at:%d %b %Y %H:%M} — "
                          f"page {document.page}")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    output = io.BytesIO()
    SimpleDocTemplate(output, pagesize=landscape(LETTER), title=listing.title, author=listing.firm_name,
                      leftMargin=0.5 * inch, rightMargin=0.5 * inch, topMargin=0.6 * inch,
                      bottomMargin=0.7 * inch).build(story, onFirstPage=footer, onLaterPages=footer)
    return output.getvalue()
