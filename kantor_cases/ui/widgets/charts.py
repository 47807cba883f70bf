"""Drawing a report's chart (`domain.reports.ChartSpec`) on screen: the one module that knows Qt's
charting library, so it can be swapped without touching a screen.

Qt Charts, not Qt Graphs: Qt Graphs draws its 2D charts in Qt Quick, so a widget screen would need a
QQuickWidget, a QML scene and a GPU context (offscreen and over remote desktop it falls back to
software after failing to make one); Qt Charts is a plain widget, is still shipped with PySide6
(deprecated since Qt 6.10) and grabs offscreen as it looks on screen. `chart_widget` is all a
screen calls.
"""

from __future__ import annotations

import math
from html import escape

from PySide6.QtCharts import (
    QAbstractSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kantor_cases.domain.reports import ChartSpec

# Reference lines (the national figures) in colours no series uses, dashed so they read as "not ours".
_REFERENCE_COLOURS = ("#c0392b", "#7d3c98", "#1e8449")
# Past this many categories the labels along the bottom stand upright to fit; bars named by longer
# names (courts, judges, rules) lie on their side, so each name reads on one line at the left.
_TILT_AFTER_CATEGORIES = 8
_WHOLE_TICKS_UP_TO = 10
_SIDEWAYS_AFTER_CHARACTERS = 12


def chart_widget(spec: ChartSpec, parent: QWidget | None = None) -> QWidget:
    """The chart drawn, or a sentence saying there is nothing to draw (an empty chart reads as "zero")."""
    figures = [float(value) for series in spec.series for value in series.values]
    if not spec.categories or not any(figures) and not spec.reference_lines:
        # Bars of nothing read as a chart that failed to draw.
        empty = QLabel(f"{spec.title}: nothing to chart for this range"
                       + (" (every figure is 0)." if figures else "."), parent)
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return empty
    chart = QChart()
    chart.setTitle(spec.title)
    title_font = QFont(chart.titleFont())
    title_font.setBold(True)
    chart.setTitleFont(title_font)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    # The reference lines are named in a key below the chart instead: the legend cuts long labels short.
    chart.legend().setVisible(len(spec.series) > 1)

    sideways = spec.kind == "bar" and max(len(name) for name in spec.categories) > _SIDEWAYS_AFTER_CHARACTERS
    # Qt stacks sideways bars from the bottom up; reversed, the first category reads first, at the top.
    step = -1 if sideways else 1
    categories = QBarCategoryAxis()
    categories.append(list(spec.categories)[::step])
    categories.setTruncateLabels(False)  # "2026-…" under every bar says nothing
    if not sideways and len(spec.categories) > _TILT_AFTER_CATEGORIES:
        # Upright, not slanted: a slanted first or last label sticks out of the chart and Qt drops it.
        categories.setLabelsAngle(-90)
    values = QValueAxis()
    values.setTitleText(spec.value_label)
    values.setLabelFormat("%g")
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft if sideways else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom if sideways else Qt.AlignmentFlag.AlignLeft)

    drawn: list[QAbstractSeries] = []
    if spec.kind == "bar":
        bars = QHorizontalBarSeries() if sideways else QBarSeries()
        for series in spec.series:
            bar_set = QBarSet(series.name)
            bar_set.append([float(value) for value in series.values][::step])
            bars.append(bar_set)
        if len(spec.categories) <= 2:
            bars.setBarWidth(0.3)  # one wide slab for a single figure reads as a background
        drawn.append(bars)
    else:
        for series in spec.series:
            line = QLineSeries()
            line.setName(series.name)
            line.setPointsVisible(len(spec.categories) < 40)
            line.append([QPointF(x, float(value)) for x, value in enumerate(series.values)])
            drawn.append(line)
    for number, reference in enumerate(spec.reference_lines):
        # Across every category: a category axis puts category i at i.
        line = QLineSeries()
        line.setName(reference.label)
        pen = QPen(QColor(_reference_colour(number)))
        pen.setWidth(2)
        pen.setStyle(Qt.PenStyle.DashLine)
        line.setPen(pen)
        ends = (-0.5, len(spec.categories) - 0.5)
        line.append([QPointF(reference.value, end) if sideways else QPointF(end, reference.value) for end in ends])
        drawn.append(line)
    for shape in drawn:
        chart.addSeries(shape)
        shape.attachAxis(categories)
        shape.attachAxis(values)

    _scale(values, figures + [reference.value for reference in spec.reference_lines])

    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(170)
    if not spec.reference_lines:
        view.setParent(parent)
        return view
    return _with_key(view, spec, parent)


class ChartWithKey(QWidget):
    """A chart and, below it, a key naming each reference line in full, in its colour, with its value;
    where each figure comes from is the tooltip."""

    def __init__(self, view: QChartView, key: QLabel, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.view = view
        self.key = key
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view, 1)
        layout.addWidget(key)

    def chart(self) -> QChart:
        return self.view.chart()


def _with_key(view: QChartView, spec: ChartSpec, parent: QWidget | None) -> ChartWithKey:
    lines = []
    for number, reference in enumerate(spec.reference_lines):
        # "National: closed by 28 Jun 2012 (1.9 %)" and "… (about 9 %)" already say their value.
        value = "" if f"{reference.value:g} %" in reference.label else f" ({reference.value:g})"
        lines.append(f"<span style='color:{_reference_colour(number)}'><b>– –</b></span> "
                     f"{escape(reference.label)}{value}")
    # The sources (a report's title, its web address) are long: they are the key's tooltip.
    key = QLabel("<br>".join(lines) + " <i>(point here for the sources)</i>")
    key.setWordWrap(True)
    key.setToolTip("<br>".join(f"<b>{escape(reference.label)}</b>: {escape(reference.source)}"
                               for reference in spec.reference_lines))
    widget = ChartWithKey(view, key, parent)
    widget.setToolTip(key.toolTip())
    return widget


def _scale(axis: QValueAxis, figures: list[float]) -> None:
    """From 0 (or the lowest figure) to a round number above the highest; a few counts get one tick
    per whole number, never "0.5 requests"."""
    lowest, highest = min(figures + [0.0]), max(figures + [0.0])
    top = math.ceil(highest * 1.1) if highest > 0 else 1
    if all(figure.is_integer() for figure in figures) and lowest == 0 and top <= _WHOLE_TICKS_UP_TO:
        axis.setRange(0, top)
        axis.setTickCount(top + 1)
        axis.setLabelFormat("%d")
        return
    axis.setRange(lowest, highest * 1.1 if highest > 0 else 1.0)
    axis.applyNiceNumbers()


def _reference_colour(number: int) -> str:
    return _REFERENCE_COLOURS[number % len(_REFERENCE_COLOURS)]
