"""A report (domain/reports.py) printed: the firm's letterhead, the report's title, range and filters,
who made it and when, its notes and totals, each chart drawn with ReportLab's own `graphics.charts`
(reference lines labelled, their sources printed under the chart), then each table, split across
pages with its header row repeated, and "Page n of N" at the foot of every page.

Plain data in, PDF bytes out, like the letters; the service writes the file and audits it. Every
value is escaped for Paragraph markup, so a name with "<", "&" or in Cyrillic prints as it is.
"""

from __future__ import annotations

import io
import statistics
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)

from kantor_cases.domain.reports import ChartSpec, ReportResult, ReportTable

from . import fonts
from .markup import escape_value
from .render import (
    INK,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    TEXT_WIDTH,
    LetterDoc,
    Letterhead,
    NumberedCanvas,
    _draw_letterhead,
    _draw_text,
)

# One colour per series, told apart in grey print as well.
SERIES_COLOURS = (colors.HexColor("#35618f"), colors.HexColor("#c8873a"), colors.HexColor("#7a9a4f"),
                  colors.HexColor("#8c4b6b"), colors.HexColor("#5a5a5a"))
REFERENCE_COLOURS = (colors.HexColor("#b03a2e"), colors.HexColor("#6c3483"), colors.HexColor("#1e8449"))
CHART_HEIGHT = 2.7 * inch


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=fonts.SERIF, fontSize=9, leading=11.5, textColor=INK)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=MUTED),
        "note": ParagraphStyle("note", parent=body, fontName=fonts.SERIF_BOLD),
        "title": ParagraphStyle("title", parent=body, fontName=fonts.SERIF_BOLD, fontSize=15, leading=19,
                                spaceAfter=4),
        "heading": ParagraphStyle("heading", parent=body, fontName=fonts.SERIF_BOLD, fontSize=10.5, leading=13,
                                  spaceBefore=10, spaceAfter=4, keepWithNext=1),
        # Not kept with a table: keeping them together would push a long table whole to the next page.
        "table_heading": ParagraphStyle("table_heading", parent=body, fontName=fonts.SERIF_BOLD, fontSize=10.5,
                                        leading=13, spaceBefore=10, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "number": ParagraphStyle("number", parent=body, fontSize=8.5, leading=10.5, alignment=2),
        "head": ParagraphStyle("head", parent=body, fontName=fonts.SERIF_BOLD, fontSize=8.5, leading=10.5),
        "head_number": ParagraphStyle("head_number", parent=body, fontName=fonts.SERIF_BOLD, fontSize=8.5,
                                      leading=10.5, alignment=2),
    }


def _markup(value: object) -> str:
    return fonts.wrap_cjk_runs(escape_value(value))


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def filters_described(result: ReportResult) -> str:
    """The range and the filters in words, as the PDF and the screen show them."""
    filters = result.filters
    parts = [f"{result.date_from:%d %b %Y} to {result.date_to:%d %b %Y}",
             f"attorney {filters.attorney}" if filters.attorney else "all attorneys",
             f"matter kind {filters.kind}" if filters.kind else "all matter kinds"]
    if result.report == "pd-outcomes":
        parts.append(f"stalled after {filters.stall_days} days")
    return "; ".join(parts)


class _ReportDoc(LetterDoc):
    """A letter's pages, with a plainer head while the firm has not filled in its letterhead."""

    def _on_first(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        if self._letterhead.attorney_name:
            _draw_letterhead(canvas, self._letterhead)
            return
        # A letterhead not filled in yet: the firm's (or the program's) name over the rule alone.
        canvas.saveState()
        y = PAGE_HEIGHT - 0.6 * inch - 11
        _draw_text(canvas, self._letterhead.firm_name.upper(), fonts.SERIF, 14, y, align="left", char_space=1.4)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(1.1)
        canvas.line(MARGIN, y - 24, PAGE_WIDTH - MARGIN, y - 24)
        canvas.restoreState()


def report_pdf(result: ReportResult, letterhead: Letterhead) -> bytes:
    fonts.register_fonts()
    styles = _styles()
    story: list[Flowable] = [
        NextPageTemplate("later"),
        Paragraph(_markup(result.title), styles["title"]),
        Paragraph(_markup(filters_described(result)), styles["body"]),
        Paragraph(_markup(f"Made {result.generated_at:%d %b %Y %H:%M} by {result.generated_by}."), styles["body"]),
    ]
    story += [Paragraph(_markup(note), styles["note"]) for note in result.notes]
    if result.totals:
        story.append(Spacer(1, 4))
        story.append(Paragraph(_markup("; ".join(f"{key.replace('_', ' ')}: {_shown(value)}"
                                                 for key, value in result.totals.items())), styles["body"]))
    for chart in result.charts:
        story.append(CondPageBreak(CHART_HEIGHT + 0.6 * inch))
        story.append(Paragraph(_markup(chart.title), styles["heading"]))
        story.append(_chart(chart))
        for index, line in enumerate(chart.reference_lines):
            story.append(Paragraph(_markup(f"{_reference_marker(index)} {line.label}: {line.source}"),
                                   styles["small"]))
    for table in result.tables:
        story.append(CondPageBreak(1.0 * inch))
        story += _table(table, styles)
    output = io.BytesIO()
    footer = f"{letterhead.firm_name} — {result.title}, {result.date_from:%d %b %Y} to {result.date_to:%d %b %Y}"
    document = _ReportDoc(output, letterhead, footer, title=f"{result.title} report", author=letterhead.firm_name)
    document.build(story, canvasmaker=lambda *args, **kwargs: NumberedCanvas(
        *args, page_label=f"{footer} — page {{n}} of {{total}}", number_single_page=True, size=7.5, y=0.45 * inch,
        **kwargs))
    return output.getvalue()


def _reference_marker(index: int) -> str:
    return f"Reference line {index + 1} —"


# --- tables -----------------------------------------------------------------------------------------


def _is_number_column(table: ReportTable, column: int) -> bool:
    values = [row[column] for row in table.rows if row[column] not in (None, "")]
    return bool(values) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def _table(table: ReportTable, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    heading = Paragraph(_markup(table.title), styles["table_heading"])
    if not table.rows:
        return [KeepTogether([heading, Paragraph("Nothing in this range.", styles["body"])])]
    numeric = [_is_number_column(table, index) for index in range(len(table.columns))]
    widths = _column_widths(table, numeric)
    header = [Paragraph(_markup(name), styles["head_number" if numeric[index] else "head"])
              for index, name in enumerate(table.columns)]
    rows = [[Paragraph(_markup(_shown(value)), styles["number" if numeric[index] else "cell"])
             for index, value in enumerate(row)] for row in table.rows]
    grid = LongTable([header, *rows], colWidths=widths, repeatRows=1, hAlign="LEFT")
    grid.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return [heading, grid]


def _column_widths(table: ReportTable, numeric: list[bool]) -> list[float]:
    """A number column as wide as its name (within limits); a text column at least as wide as its
    longest word (a date is never broken), and the room left shared by how long the columns' texts
    are, so a column of reasons gets more of it than a column of dates."""
    widths: list[float] = []
    weights: list[float] = []
    for index, (name, is_number) in enumerate(zip(table.columns, numeric, strict=True)):
        if is_number:
            widths.append(min(1.8 * inch, max(0.7 * inch, stringWidth(name, fonts.SERIF_BOLD, 8.5) + 12)))
            weights.append(0.0)
            continue
        texts = [_shown(row[index]) for row in table.rows]
        longest_word = max(stringWidth(word, fonts.SERIF, 8.5) for text in texts for word in text.split() or [""])
        widths.append(min(1.6 * inch, max(longest_word, stringWidth(name.split()[0] if name else "", fonts.SERIF_BOLD,
                                                                     8.5))) + 12)
        weights.append(max(4.0, min(40.0, statistics.fmean(len(text) for text in texts))))
    room = max(0.0, TEXT_WIDTH - sum(widths))
    total = sum(weights) or 1.0
    return [width + room * weight / total for width, weight in zip(widths, weights, strict=True)]


# --- charts -----------------------------------------------------------------------------------------


def _chart(spec: ChartSpec) -> Flowable:
    """The chart as a Drawing the width of the text: bars or lines per series, a legend when there
    is more than one series, reference lines across the plot with their labels."""
    drawing = Drawing(TEXT_WIDTH, CHART_HEIGHT)
    values = [value for series in spec.series for value in series.values]
    if not spec.categories or not (any(values) or spec.reference_lines):
        drawing.add(String(TEXT_WIDTH / 2, CHART_HEIGHT / 2, "Nothing to draw in this range.",
                           fontName=fonts.SERIF, fontSize=9, fillColor=MUTED, textAnchor="middle"))
        return drawing
    many = len(spec.categories) > 8
    left, bottom = 0.55 * inch, (0.75 if many else 0.45) * inch
    legend_room = 0.3 * inch if len(spec.series) > 1 else 0.0
    width = TEXT_WIDTH - left - 0.1 * inch
    height = CHART_HEIGHT - bottom - 0.15 * inch - legend_room
    top = max([*values, *(line.value for line in spec.reference_lines)])
    chart: Any = VerticalBarChart() if spec.kind == "bar" else HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = left, bottom, width, height
    chart.data = [list(series.values) for series in spec.series]
    chart.categoryAxis.categoryNames = [_short(name) for name in spec.categories]
    chart.categoryAxis.labels.fontName = fonts.SERIF
    chart.categoryAxis.labels.fontSize = 6.5 if many else 7.5
    if many:
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.dy = -2
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_ceiling(top * 1.12)
    chart.valueAxis.labels.fontName = fonts.SERIF
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = _axis_format(chart.valueAxis.valueMax)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    for index in range(len(spec.series)):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        if spec.kind == "bar":
            chart.bars[index].fillColor = colour
            chart.bars[index].strokeColor = None
        else:
            chart.lines[index].strokeColor = colour
            chart.lines[index].strokeWidth = 1.5
    if spec.kind == "bar":
        chart.groupSpacing = 4 if len(spec.categories) > 1 else max(40, width / 3)
        chart.barSpacing = 1
    drawing.add(chart)
    if spec.value_label:
        drawing.add(String(left - 0.45 * inch, bottom + height + 6, spec.value_label, fontName=fonts.SERIF,
                           fontSize=7, fillColor=MUTED, textAnchor="start"))
    scale = height / chart.valueAxis.valueMax
    for index, line in enumerate(spec.reference_lines):
        colour = REFERENCE_COLOURS[index % len(REFERENCE_COLOURS)]
        y = bottom + line.value * scale
        drawing.add(Line(left, y, left + width, y, strokeColor=colour, strokeWidth=1.1, strokeDashArray=(4, 2)))
        drawing.add(String(left + width - 2, y + 2, f"{line.label} [{index + 1}]", fontName=fonts.SERIF,
                           fontSize=7, fillColor=colour, textAnchor="end"))
    if len(spec.series) > 1:
        legend = Legend()
        legend.x, legend.y = left, CHART_HEIGHT - 0.05 * inch
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.deltax = 90
        legend.fontName = fonts.SERIF
        legend.fontSize = 7.5
        legend.colorNamePairs = [(SERIES_COLOURS[i % len(SERIES_COLOURS)], series.name)
                                 for i, series in enumerate(spec.series)]
        drawing.add(legend)
    return drawing


def _short(name: str, limit: int = 18) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _nice_ceiling(value: float) -> float:
    """A round top for the value axis (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 1.0
    while power * 10 <= value:
        power *= 10
    while power > value:
        power /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _axis_format(top: float) -> str:
    return "%.1f" if top < 10 else "%d"
