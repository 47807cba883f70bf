"""The chart adapter (ui/widgets/charts.py): a ChartSpec drawn with its categories, series, value
label and labelled reference lines; long names lie sideways, first at the top; nothing to draw says so."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from kantor_cases.domain.reports import ChartSeries, ChartSpec, ReferenceLine
from kantor_cases.ui.widgets.charts import chart_widget

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

MONTHS = ("2026-01", "2026-02", "2026-03")
NATIONAL = ReferenceLine("National, June 2012", 2.0, "DHS/ICE review of pending cases, June 2012")


def axes(widget):
    chart = widget.chart()
    categories = next(axis for axis in chart.axes() if hasattr(axis, "categories"))
    values = next(axis for axis in chart.axes() if not hasattr(axis, "categories"))
    return categories, values


def test_a_bar_chart_has_one_set_per_series_over_the_categories(qtbot):
    spec = ChartSpec("Opened and closed", "bar", MONTHS,
                     (ChartSeries("Opened", (3, 5, 2)), ChartSeries("Closed", (1, 0, 4))), "matters")
    widget = chart_widget(spec)
    qtbot.addWidget(widget)
    [bars] = widget.chart().series()
    assert [bar_set.label() for bar_set in bars.barSets()] == ["Opened", "Closed"]
    assert [bars.barSets()[0].at(i) for i in range(3)] == [3, 5, 2]
    categories, values = axes(widget)
    assert categories.categories() == list(MONTHS)
    assert values.titleText() == "matters" and values.max() >= 5
    assert widget.chart().legend().isVisible()


def test_a_line_chart_with_the_national_reference_line_and_its_source(qtbot):
    spec = ChartSpec("Closure rate", "line", MONTHS, (ChartSeries("This office", (10.0, 20.0, 28.6)),), "% closed",
                     (NATIONAL, ReferenceLine("Expected by year-end", 9.0, "DHS/ICE, 2012")))
    widget = chart_widget(spec)
    qtbot.addWidget(widget)
    office, national, year_end = widget.chart().series()
    assert office.name() == "This office" and [office.at(i).y() for i in range(3)] == [10.0, 20.0, 28.6]
    assert national.name() == "National, June 2012" and year_end.name() == "Expected by year-end"
    # Across every category, at its value.
    assert {point.y() for point in national.points()} == {2.0}
    assert national.points()[0].x() < 0 < 2 < national.points()[-1].x()
    # Named in full below the chart, with its value and source (a legend would cut a long label short).
    assert not widget.chart().legend().isVisible()
    assert "National, June 2012 (2)" in widget.key.text()
    assert "Expected by year-end (9)" in widget.key.text()
    assert "DHS/ICE review of pending cases, June 2012" in widget.toolTip() == widget.key.toolTip()


def test_a_reference_line_above_every_bar_is_still_on_the_chart(qtbot):
    widget = chart_widget(ChartSpec("Rate", "bar", MONTHS, (ChartSeries("Office", (0.5, 1, 1.5)),), "%",
                                    (ReferenceLine("Expected", 9.0, "DHS"),)))
    qtbot.addWidget(widget)
    assert axes(widget)[1].max() >= 9


def test_long_names_lie_sideways_with_the_first_at_the_top(qtbot):
    courts = ("Los Angeles – Olive Street", "Adelanto Detention Facility", "San Diego")
    widget = chart_widget(ChartSpec("Hearings per court", "bar", courts, (ChartSeries("Hearings", (40, 20, 5)),)))
    qtbot.addWidget(widget)
    [bars] = widget.chart().series()
    assert type(bars).__name__ == "QHorizontalBarSeries"
    categories, _values = axes(widget)
    # Qt draws the last category at the top.
    assert categories.categories() == list(reversed(courts))
    assert [bars.barSets()[0].at(i) for i in range(3)] == [5, 20, 40]


def test_nothing_to_draw_says_so(qtbot):
    widget = chart_widget(ChartSpec("Hearings per judge", "bar", (), ()))
    qtbot.addWidget(widget)
    assert isinstance(widget, QLabel) and "nothing to chart" in widget.text()


def test_a_chart_of_zeros_says_so_instead_of_drawing_empty_bars(qtbot):
    widget = chart_widget(ChartSpec("Days in each stage", "bar", MONTHS, (ChartSeries("Median", (0, 0, 0)),)))
    qtbot.addWidget(widget)
    assert isinstance(widget, QLabel) and "every figure is 0" in widget.text()


def test_a_few_counts_get_a_tick_per_whole_number(qtbot):
    widget = chart_widget(ChartSpec("Requests", "bar", MONTHS, (ChartSeries("Requests", (1, 1, 2)),), "requests"))
    qtbot.addWidget(widget)
    values = axes(widget)[1]
    assert (values.min(), values.max(), values.tickCount(), values.labelFormat()) == (0, 3, 4, "%d")
