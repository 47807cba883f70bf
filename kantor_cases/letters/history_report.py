"""The printed History of a client, a matter or the office: for a bar complaint or a malpractice
carrier. Firm, subject, who made it and when, the filters, and the audit chain's head hash at that
moment (a trail rewritten later no longer reproduces it), then every row: when, who, what.

Plain data in, PDF bytes out (ReportLab), like the letters; the caller writes and audits it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from .fonts import SERIF, SERIF_BOLD, register_fonts
from .markup import escape_value


@dataclass(frozen=True)
class HistoryReport:
    title: str  # "History of client #123"
    subject: str  # whom it is about, by name
    firm_name: str
    generated_at: datetime
    generated_by: str
    filters: str
    head_hash: str
    head_seq: int
    head_at: datetime | None
    rows: list[tuple[str, str, str, str]]  # when, who, kind, what


def history_pdf(report: HistoryReport) -> bytes:
    register_fonts()
    body = ParagraphStyle("body", fontName=SERIF, fontSize=9.5, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    title = ParagraphStyle("title", parent=body, fontName=SERIF_BOLD, fontSize=15, leading=19)
    firm = ParagraphStyle("firm", parent=body, fontName=SERIF_BOLD, fontSize=11, leading=14)
    head_at = f" of {report.head_at:%d %b %Y %H:%M:%S}" if report.head_at else ""
    head = (f"row #{report.head_seq}{head_at}, SHA-256 {report.head_hash}" if report.head_hash
            else "the trail had no rows")
    story = [
        Paragraph(escape_value(report.firm_name), firm),
        Spacer(1, 0.1 * inch),
        Paragraph(escape_value(report.title), title),
        Paragraph(escape_value(report.subject), body),
        Spacer(1, 0.1 * inch),
        Paragraph(escape_value(f"Made {report.generated_at:%d %b %Y %H:%M} by {report.generated_by}; "
                               f"{report.filters}; {len(report.rows)} rows, newest first."), body),
        Paragraph(escape_value(f"Head of the audit chain when made: {head}. Kantor Cases’ audit verify checks "
                               "the office's trail still leads to it."), small),
        Spacer(1, 0.2 * inch),
    ]
    header = [Paragraph(f"<b>{name}</b>", body) for name in ("When", "Who", "Kind", "What")]
    cells = [header] + [[Paragraph(escape_value(value), body) for value in row] for row in report.rows]
    if not report.rows:
        cells.append([Paragraph("Nothing recorded.", body), "", "", ""])
    table = LongTable(cells, colWidths=[1.15 * inch, 1.0 * inch, 0.8 * inch, 3.55 * inch], repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
    ]))
    story.append(table)

    def footer(canvas: object, document: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(SERIF, 7.5)  # type: ignore[attr-defined]
        canvas.drawString(0.75 * inch, 0.5 * inch,  # type: ignore[attr-defined]
                          f"{report.title} — page {document.page} — chain head {report.head_hash[:16]}")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    output = io.BytesIO()
    SimpleDocTemplate(output, pagesize=LETTER, title=report.title, author=report.firm_name,
                      leftMargin=0.75 * inch, rightMargin=0.75 * inch, topMargin=0.75 * inch,
                      bottomMargin=0.8 * inch).build(story, onFirstPage=footer, onLaterPages=footer)
    return output.getvalue()
