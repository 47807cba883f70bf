"""Lays out a letter with ReportLab Platypus: letterhead, date, recipient, body, signature, page
numbers. Plain data in, PDF bytes out; used by the letter services and by the batch printer.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from . import fonts, pdf_numbers
from .formatting import FIRM_LANGUAGES, Language, long_date
from .markup import Block, escape_value
from .templates import TemplateError, render_blocks

# ASCII85 wrapping of compressed streams only matters for 7-bit transports; letters are files and
# e-mail attachments. Skipping it makes every PDF about 20% smaller and saves ~1 ms per letter.
# (A process-wide ReportLab setting; the letters package is the only ReportLab user in the app.)
rl_config.useA85 = 0
pdf_numbers.install()  # ReportLab's number formatting remembered (pdf_numbers.py): the same bytes


@dataclass(frozen=True)
class Letterhead:
    """The office's letterhead, from the firm settings."""

    firm_name: str
    attorney_name: str
    bar_number: str
    address_lines: tuple[str, ...]
    phone: str
    email: str
    logo_path: str | None = None


PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 1.0 * inch
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FIRST_PAGE_TOP = PAGE_HEIGHT - 1.4 * inch
LATER_PAGE_TOP = PAGE_HEIGHT - 1.05 * inch
BOTTOM = 0.75 * inch
INK = colors.HexColor("#1a1a1a")
RULE = colors.HexColor("#7a6a4f")
MUTED = colors.HexColor("#555555")

_WORDS: dict[str, dict[str, str]] = {
    "en": {"re": "RE:", "closing": "Very truly yours,", "page": "Page {n} of {total}", "dear": "Dear"},
    "es": {"re": "Asunto:", "closing": "Atentamente,", "page": "Página {n} de {total}", "dear": "Estimado(a)"},
    # The firm's own versions (FIRM_LANGUAGES): only the frame around the body is the program's.
    "zh": {"re": "事由：", "closing": "此致", "page": "第 {n} 页，共 {total} 页", "dear": ""},
    "tl": {"re": "Tungkol sa:", "closing": "Lubos na gumagalang,", "page": "Pahina {n} ng {total}", "dear": ""},
    "vi": {"re": "V/v:", "closing": "Trân trọng,", "page": "Trang {n}/{total}", "dear": ""},
    "ko": {"re": "제목:", "closing": "감사합니다.", "page": "{n} / {total} 쪽", "dear": ""},
}


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body", fontName=fonts.SERIF, fontSize=9.5, leading=12.6, textColor=INK,
        alignment=TA_JUSTIFY, spaceAfter=5.5,
    )
    return {
        "body": body,
        "left": ParagraphStyle("left", parent=body, alignment=TA_LEFT),
        "block": ParagraphStyle("block", parent=body, alignment=TA_LEFT, spaceAfter=0),
        "delivery": ParagraphStyle("delivery", parent=body, alignment=TA_LEFT, fontSize=8.5, leading=12,
                                   spaceAfter=4),
        "heading": ParagraphStyle("heading", parent=body, alignment=TA_LEFT, fontName=fonts.SERIF_BOLD,
                                  fontSize=10, spaceBefore=6, spaceAfter=4, keepWithNext=1),
        "bullet": ParagraphStyle("bullet", parent=body, alignment=TA_LEFT, leftIndent=20, bulletIndent=7,
                                 spaceAfter=3),
        "re_label": ParagraphStyle("re_label", parent=body, alignment=TA_LEFT, fontName=fonts.SERIF_BOLD,
                                   spaceAfter=0),
        "re": ParagraphStyle("re", parent=body, alignment=TA_LEFT, fontName=fonts.SERIF_BOLD, spaceAfter=0),
        "cell_label": ParagraphStyle("cell_label", parent=body, alignment=TA_LEFT, fontName=fonts.SERIF_BOLD,
                                     fontSize=9, leading=11.6, spaceAfter=0),
        "cell": ParagraphStyle("cell", parent=body, alignment=TA_LEFT, fontSize=9, leading=11.6, spaceAfter=0),
        "sign_label": ParagraphStyle("sign_label", parent=body, alignment=TA_LEFT, fontSize=8.5, leading=11,
                                     textColor=MUTED, spaceAfter=0),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
    }


_STYLES: dict[str, ParagraphStyle] | None = None


def _get_styles() -> dict[str, ParagraphStyle]:
    global _STYLES
    if _STYLES is None:
        _STYLES = _styles()
    return _STYLES


class _Para(Paragraph):
    """A Paragraph whose markup parsing and line breaking are remembered across letters.

    A batch of reminders repeats the same paragraphs letter after letter; parsing and breaking
    them is most of the layout time. The cache holds only results that depend on nothing but the
    markup, the style and the column width; drawing (which assigns per-document font subsets)
    is always done afresh. Paragraphs built by ReportLab itself (page-break splits) pass `frags`
    and are not cached.
    """

    _frags: dict[tuple[str, str, str | None], tuple[Any, Any]] = {}
    _wraps: dict[tuple[tuple[str, str, str | None], float], tuple[Any, float, list[float]]] = {}
    _LIMIT = 4096

    def __init__(self, text: str | None, style: ParagraphStyle, bulletText: str | None = None,  # noqa: N803
                 frags: Any = None, **kw: Any) -> None:
        self._key: tuple[str, str, str | None] | None = None
        if text is None or frags is not None:
            super().__init__(text, style, bulletText=bulletText, frags=frags, **kw)
            return
        key = (text, style.name, bulletText)
        hit = self._frags.get(key)
        if hit is None:
            super().__init__(text, style, bulletText=bulletText)
            if len(self._frags) > self._LIMIT:
                self._frags.clear()
            self._frags[key] = (self.frags, self.bulletText)
        else:
            super().__init__(text, style, bulletText=hit[1], frags=hit[0])
        self._key = key

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._key is None:
            return super().wrap(availWidth, availHeight)
        wkey = (self._key, availWidth)
        hit = self._wraps.get(wkey)
        if hit is None:
            result = super().wrap(availWidth, availHeight)
            if len(self._wraps) > self._LIMIT:
                self._wraps.clear()
            state: Any = self.__dict__
            self._wraps[wkey] = (state["blPara"], state["height"], state["_wrapWidths"])
            return result
        bl_para, height, wrap_widths = hit
        self.__dict__.update(width=availWidth, blPara=bl_para, height=height, _wrapWidths=wrap_widths)
        return availWidth, height


    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        # A paragraph split at a page break drew differently when its lines came from the cache
        # (a regenerated letter then no longer matched its checksum): it is laid out afresh, which
        # costs little, since few paragraphs of a letter fall across a page break.
        if self._key is not None:
            Paragraph.wrap(self, availWidth, availHeight)
        return super().split(availWidth, availHeight)


def _para(markup: str, style: ParagraphStyle, bullet: str | None = None) -> Paragraph:
    """A Paragraph from escaped markup; CJK runs switch font here, after escaping."""
    return _Para(fonts.wrap_cjk_runs(markup), style, bullet)


def _lines(*values: object) -> str:
    return "<br/>".join(escape_value(v).replace("\n", "<br/>") for v in values if v not in (None, ""))


class _Rule(Flowable):
    """A hairline across the text column (used under the letterhead of later pages)."""

    def __init__(self, width: float, space: float = 4) -> None:
        super().__init__()
        self.width = width
        self.space = space

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.space

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.5)
        self.canv.line(0, self.space / 2, self.width, self.space / 2)


def _draw_text(canvas: Canvas, text: str, font: str, size: float, y: float, *, align: str = "center",
               x: float | None = None, char_space: float = 0.0, color: Any = INK) -> None:
    """Draw one line of plain text straight on the canvas, switching to the CJK font per run."""
    runs = list(fonts.split_runs(text, font))
    widths = [stringWidth(t, f, size) + char_space * len(t) for t, f in runs]
    total = sum(widths) - (char_space if runs else 0)
    if align == "center":
        start = (PAGE_WIDTH - total) / 2
    elif align == "right":
        start = (x if x is not None else PAGE_WIDTH - MARGIN) - total
    else:
        start = x if x is not None else MARGIN
    canvas.setFillColor(color)
    for (run, run_font), width in zip(runs, widths, strict=True):
        obj = canvas.beginText(start, y)
        obj.setFont(run_font, size)
        # Always set: the canvas keeps the last character spacing across text objects.
        obj.setCharSpace(char_space)
        obj.textOut(run)
        canvas.drawText(obj)
        start += width


def _fit_size(text: str, font: str, size: float, char_space: float, width: float) -> float:
    """Shrink a letterhead line's type size until it fits the text column (long firm names)."""
    while size > 8:
        natural = sum(stringWidth(t, f, size) for t, f in fonts.split_runs(text, font))
        if natural + char_space * len(text) <= width:
            break
        size -= 0.5
    return size


_logo_lock = threading.Lock()
_logo_cache: dict[tuple[str, float, int], ImageReader] = {}


def _logo(path: str) -> ImageReader | None:
    """The logo image, read once per file version rather than once per letter of a batch."""
    try:
        stat = os.stat(path)
    except OSError:
        return None  # a missing logo must not stop a hearing reminder from printing
    key = (path, stat.st_mtime, stat.st_size)
    with _logo_lock:
        reader = _logo_cache.get(key)
        if reader is None:
            with open(path, "rb") as fh:
                reader = ImageReader(io.BytesIO(fh.read()))
            _logo_cache.clear()
            _logo_cache[key] = reader
    return reader


def _draw_letterhead(canvas: Canvas, head: Letterhead) -> None:
    # Text state set here (character spacing, colours) must not leak into the body's text.
    canvas.saveState()
    try:
        _draw_letterhead_parts(canvas, head)
    finally:
        canvas.restoreState()


def _draw_letterhead_parts(canvas: Canvas, head: Letterhead) -> None:
    """Firm name and attorney on the left, address and contacts on the right, a double rule under.

    Side by side rather than stacked: the band stays about 0.7 in tall, which keeps a hearing
    reminder on one page.
    """
    top = PAGE_HEIGHT - 0.6 * inch
    left = MARGIN
    if head.logo_path:
        reader = _logo(head.logo_path)
        if reader is not None:
            img_w, img_h = reader.getSize()
            height = 0.55 * inch
            width = min(1.1 * inch, height * img_w / max(img_h, 1))
            height = width * img_h / max(img_w, 1)
            canvas.drawImage(reader, MARGIN, top - height, width, height, mask="auto")
            left += width + 0.15 * inch
    contacts = [line for line in head.address_lines if line]
    if head.phone:
        contacts.append(f"Tel. {head.phone}")
    if head.email:
        contacts.append(head.email)
    right_width = max((stringWidth(line, fonts.SERIF, 8) for line in contacts), default=0.0)
    right_width = min(right_width, 0.42 * TEXT_WIDTH)
    name_width = PAGE_WIDTH - MARGIN - right_width - 0.25 * inch - left
    name = head.firm_name.upper()
    size = _fit_size(name, fonts.SERIF, 14, 1.4, name_width)
    _draw_text(canvas, name, fonts.SERIF, size, top - 11, align="left", x=left, char_space=1.4)
    attorney = f"{head.attorney_name} · State Bar No. {head.bar_number}"
    # Regular rather than italic: one font fewer to embed in every letter of a batch.
    _draw_text(canvas, attorney, fonts.SERIF, _fit_size(attorney, fonts.SERIF, 9, 0, name_width),
               top - 26, align="left", x=left, color=MUTED)
    y = top - 6
    for line in contacts:
        _draw_text(canvas, line, fonts.SERIF, _fit_size(line, fonts.SERIF, 8, 0, right_width), y,
                   align="right", color=MUTED)
        y -= 10
    y = min(y + 10, top - 26) - 9
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(1.1)
    canvas.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, y - 2.2, PAGE_WIDTH - MARGIN, y - 2.2)


class NumberedCanvas(Canvas):
    """Defers page output until the page count is known, to print "Page 2 of 3" on each page.

    Single-page letters get no number (a "Page 1 of 1" on a one-page reminder is noise); a printout
    that must always say it is whole (a report) asks for `number_single_page`.
    """

    def __init__(self, *args: Any, page_label: str = "Page {n} of {total}", number_single_page: bool = False,
                 size: float = 8.5, y: float = 0.5 * inch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._page_label = page_label
        self._number_single_page = number_single_page
        self._size = size
        self._y = y
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            if total > 1 or self._number_single_page:
                # replace, not format: the label may carry a firm's name or a title with braces in it.
                label = self._page_label.replace("{n}", str(number)).replace("{total}", str(total))
                self.saveState()
                _draw_text(self, label, fonts.SERIF, self._size, self._y, color=MUTED)
                self.restoreState()
            super().showPage()
        super().save()


class LetterDoc(BaseDocTemplate):
    """Letter paper with the letterhead on the first page and `header` atop the others."""

    def __init__(self, buf: io.BytesIO, letterhead: Letterhead, header: str, **kw: Any) -> None:
        super().__init__(buf, pagesize=LETTER, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=PAGE_HEIGHT - LATER_PAGE_TOP, bottomMargin=BOTTOM, **kw)
        self._letterhead = letterhead
        self._header = header
        first = Frame(MARGIN, BOTTOM, TEXT_WIDTH, FIRST_PAGE_TOP - BOTTOM, id="first",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        later = Frame(MARGIN, BOTTOM, TEXT_WIDTH, LATER_PAGE_TOP - BOTTOM, id="later",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("first", [first], onPage=self._on_first),
            PageTemplate("later", [later], onPage=self._on_later),
        ])

    def _on_first(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        _draw_letterhead(canvas, self._letterhead)

    def _on_later(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        # Continuation header: a page separated from the first must still say whose letter it is.
        canvas.saveState()
        y = PAGE_HEIGHT - 0.7 * inch
        _draw_text(canvas, self._header, fonts.SERIF, 8.5, y, align="left", color=MUTED)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y - 6, PAGE_WIDTH - MARGIN, y - 6)
        canvas.restoreState()


def _closing(letterhead: Letterhead, words: Mapping[str, str],
             styles: Mapping[str, ParagraphStyle]) -> list[Flowable]:
    return [
        _para(escape_value(words["closing"]), styles["block"]),
        Spacer(1, 0.42 * inch),
        _para(_lines(letterhead.attorney_name, letterhead.firm_name), styles["block"]),
    ]


class _LabelledRow(Flowable):
    """A label in a fixed left column and a wrapped value beside it (detail rows, the RE block).

    Drawn directly rather than as a Table: a hearing reminder has a dozen such rows and Table
    layout roughly doubled the time to render one, which matters for batch printing.
    """

    def __init__(self, label: Paragraph, value: Paragraph, label_width: float, pad: float = 1.0) -> None:
        super().__init__()
        self._label = label
        self._value = value
        self._label_width = label_width
        self._pad = pad
        self._label_h = 0.0
        self._value_h = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _, self._label_h = self._label.wrap(self._label_width - 6, avail_height)
        _, self._value_h = self._value.wrap(avail_width - self._label_width, avail_height)
        self.width = avail_width
        self.height = max(self._label_h, self._value_h) + 2 * self._pad
        return self.width, self.height

    def draw(self) -> None:
        top = self.height - self._pad
        self._label.drawOn(self.canv, 0, top - self._label_h)
        self._value.drawOn(self.canv, self._label_width, top - self._value_h)


class _SignatureLines(Flowable):
    """Lines to sign on, side by side, each with its label underneath."""

    def __init__(self, labels: Sequence[Paragraph], space_above: float = 0.45 * inch) -> None:
        super().__init__()
        self._labels = list(labels)
        self._space_above = space_above
        self._widths: list[float] = []
        self._label_h = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        gap = 0.3 * inch
        # The first line is the signature and gets twice the room; the others are usually "Date".
        weights = [2.0] + [1.0] * (len(self._labels) - 1)
        usable = avail_width - gap * (len(self._labels) - 1)
        self._widths = [usable * w / sum(weights) for w in weights]
        self._label_h = max((p.wrap(w, avail_height)[1] for p, w in zip(self._labels, self._widths, strict=True)),
                            default=0.0)
        self.width = avail_width
        self.height = self._space_above + 3 + self._label_h
        return self.width, self.height

    def draw(self) -> None:
        gap = 0.3 * inch
        x = 0.0
        line_y = self._label_h + 3
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.6)
        for label, width in zip(self._labels, self._widths, strict=True):
            self.canv.line(x, line_y, x + width, line_y)
            label.drawOn(self.canv, x, line_y - 3 - label.height)
            x += width + gap


def _body(blocks: Sequence[Block], letterhead: Letterhead, words: Mapping[str, str],
          styles: Mapping[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = []
    closed = False
    for block in blocks:
        kind = block.kind
        if closed and story and isinstance(story[-1], KeepTogether):
            # A gap between the signature and what follows it; never a trailing spacer, which
            # could spill onto a page of its own.
            story.append(Spacer(1, 12))
        if kind == "paragraph":
            story.append(_para("<br/>".join(block.lines), styles["body"]))
        elif kind == "heading":
            story.append(CondPageBreak(0.9 * inch))
            story.append(_para(block.lines[0], styles["heading"]))
        elif kind == "bullets":
            story.extend(_para(item, styles["bullet"], bullet="•") for item in block.lines)
            story.append(Spacer(1, 5))
        elif kind == "table":
            story.extend(_LabelledRow(_para(label, styles["cell_label"]), _para(value, styles["cell"]), 1.55 * inch)
                         for label, value in block.cells)
            story.append(Spacer(1, 8))
        elif kind == "re":
            label = _para(escape_value(words["re"]), styles["re_label"])
            text = _para("<br/>".join(block.lines), styles["re"])
            story.extend([_LabelledRow(label, text, 0.75 * inch, pad=0), Spacer(1, 10)])
        elif kind == "closing" and not closed:
            _append_closing(story, letterhead, words, styles)
            closed = True
        elif kind == "sign":
            labels = [_para(label, styles["sign_label"]) for label in block.lines]
            story.append(KeepTogether([_SignatureLines(labels), Spacer(1, 8)]))
        elif kind == "pagebreak":
            story.append(PageBreak())
    if not closed:
        _append_closing(story, letterhead, words, styles)
    return story


def _append_closing(story: list[Flowable], letterhead: Letterhead, words: Mapping[str, str],
                    styles: Mapping[str, ParagraphStyle]) -> None:
    """Add the closing, keeping the last paragraph with it: a signature alone on a page, with
    nothing of the letter above it, is the classic sign of a forged or substituted page."""
    closing = _closing(letterhead, words, styles)
    # One flat KeepTogether: ReportLab's KeepTogether reports an unbounded height when nested.
    if story and isinstance(story[-1], Paragraph):
        story[-1] = KeepTogether([story[-1], *closing])
    else:
        story.append(KeepTogether(closing))


def render_letter(
    template_id: str,
    language: str,
    fields: Mapping[str, object],
    letterhead: Letterhead,
    letter_date: date,
    source: str | None = None,
) -> bytes:
    """Render one letter to PDF bytes.

    `source` replaces the built-in template text (an attorney's edited copy). Raises TemplateError
    naming the field when the data cannot fill the template completely.
    """
    if language not in _WORDS:
        raise TemplateError(f"Letters are written in English ('en'), Spanish ('es') or a language the firm "
                            f"added ({', '.join(FIRM_LANGUAGES)}), not {language!r}.")
    lang = cast(Language, language)
    fonts.register_fonts()
    styles = _get_styles()
    words = _WORDS[lang]
    frame: dict[str, Mapping[str, object]] = {
        "firm": {
            "name": letterhead.firm_name,
            "attorney_name": letterhead.attorney_name,
            "bar_number": letterhead.bar_number,
            "phone": letterhead.phone,
            "email": letterhead.email,
            "address": ", ".join(line for line in letterhead.address_lines if line),
        },
        "letter": {"date": long_date(letter_date, lang)},
    }
    blocks, data = render_blocks(template_id, lang, source, fields, frame)
    recipient = data["recipient"]
    dated = long_date(letter_date, lang)

    story: list[Flowable] = [NextPageTemplate("later")]
    story.append(_para(escape_value(dated), styles["block"]))
    story.append(Spacer(1, 11))
    if recipient.get("delivery"):
        story.append(_para(escape_value(str(recipient["delivery"]).upper()), styles["delivery"]))
    story.append(_para(_lines(recipient["name"], recipient["address"]), styles["block"]))
    story.append(Spacer(1, 11))
    story.extend(_body(blocks, letterhead, words, styles))

    buf = io.BytesIO()
    header = f"{recipient['name']} — {dated}"
    # invariant: the same data gives the same bytes, so a stored letter's checksum can be verified
    # by regenerating it (the PDF creation date is then fixed; the letter carries its own date).
    doc = LetterDoc(buf, letterhead, header, title=_TITLES.get(template_id, template_id),
                     author=letterhead.firm_name, creator="Kantor Cases", invariant=1)
    doc.build(story, canvasmaker=_canvas_maker(words["page"]))
    return buf.getvalue()


def _canvas_maker(page_label: str) -> Any:
    def make(*args: Any, **kwargs: Any) -> NumberedCanvas:
        return NumberedCanvas(*args, page_label=page_label, **kwargs)

    return make


_TITLES = {
    "engagement": "Engagement letter",
    "non-engagement": "Non-engagement letter",
    "hearing-reminder": "Hearing reminder",
    "pd-request": "Request for prosecutorial discretion",
    "status-update": "Case status update",
    "document-request": "Document request",
    "closing": "Closing letter",
}
