"""The printable recovery sheet of an encrypted office: firm, date, the recovery key and what it is for.

Plain data in, PDF bytes out (ReportLab), like the letters; the caller decides where it is written.
"""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from .fonts import SERIF, SERIF_BOLD, register_fonts
from .markup import escape_value

_EXPLANATION = (
    "This key unlocks the office's encrypted database if every password is lost, and lets an "
    "administrator set a new password for anyone (kantor-cases users reset). Whoever holds it can read "
    "every client file: keep this sheet in the office safe, never beside the computer, and never send it "
    "by e-mail. It is shown only once; Kantor Cases cannot show it again."
)


def recovery_sheet_pdf(firm_name: str, made_on: date, recovery_key: str, database: str) -> bytes:
    register_fonts()
    body = ParagraphStyle("body", fontName=SERIF, fontSize=11, leading=15)
    title = ParagraphStyle("title", parent=body, fontName=SERIF_BOLD, fontSize=16, leading=20)
    key_style = ParagraphStyle("key", parent=body, fontName=SERIF_BOLD, fontSize=15, leading=24)
    groups = recovery_key.split("-")
    lines = ["&nbsp;&nbsp;".join(groups[i:i + 5]) for i in range(0, len(groups), 5)]
    story = [
        Paragraph(f"Recovery key — {escape_value(firm_name)}", title),
        Spacer(1, 0.15 * inch),
        Paragraph(f"Made on {made_on:%B %d, %Y} for the office {escape_value(database)}.", body),
        Spacer(1, 0.3 * inch),
        Paragraph("<br/>".join(lines), key_style),
        Spacer(1, 0.3 * inch),
        Paragraph(escape_value(_EXPLANATION), body),
    ]
    output = io.BytesIO()
    SimpleDocTemplate(output, pagesize=LETTER, title="Kantor Cases recovery key",
                      leftMargin=inch, rightMargin=inch, topMargin=inch, bottomMargin=inch).build(story)
    return output.getvalue()
