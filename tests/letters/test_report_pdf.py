"""The printed report: letterhead, filters, who made it, long tables split with their header repeated,
charts with labelled reference lines, page numbers, and names printed exactly as they are."""

from __future__ import annotations

import io
from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from kantor_cases.domain.reports import (
    ChartSeries,
    ChartSpec,
    ReferenceLine,
    ReportFilters,
    ReportResult,
    ReportTable,
)
from kantor_cases.letters import Letterhead
from kantor_cases.letters.report_pdf import report_pdf

HEAD = Letterhead("Law Offices of Miriam R. Kantor", "Miriam R. Kantor", "123456",
                  ("9454 Wilshire Boulevard, Suite 600", "Beverly Hills, CA 90212"), "(310) 555-0142",
                  "office@kantorlaw.example")


def result(tables: tuple[ReportTable, ...], charts: tuple[ChartSpec, ...] = (), notes: tuple[str, ...] = ()) -> ReportResult:
    return ReportResult("hearings", "Hearings", ReportFilters(attorney="Rosa", kind="removal"), date(2026, 1, 1),
                        date(2026, 6, 30), datetime(2026, 6, 1, 9, 5), "Ada", tables, charts,
                        {"hearings": 1234, "held": 1000}, notes)


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_long_table_continues_on_later_pages_under_its_header():
    rows = tuple((f"Client {n}", n) for n in range(160))
    pages = text_of(report_pdf(result((ReportTable("Every hearing", ("Client name", "Hearings count"), rows),)), HEAD))
    assert len(pages) >= 3
    assert all("Client name" in page and "Hearings count" in page for page in pages)
    assert all(f"page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert "Client 159" in pages[-1]
    first = pages[0]
    assert "LAW OFFICES OF MIRIAM R. KANTOR" in first
    assert "01 Jan 2026 to 30 Jun 2026; attorney Rosa; matter kind removal" in first
    assert "Made 01 Jun 2026 09:05 by Ada." in first
    assert "hearings: 1,234" in first


def test_chart_reference_lines_are_labelled_with_their_sources():
    chart = ChartSpec("Closure rate", "bar", ("This office",), (ChartSeries("Closed (%)", (28.6,)),), "Percent",
                      (ReferenceLine("National: 1.9 %", 1.9, "TRAC, 23 July 2012"),))
    pages = text_of(report_pdf(result((), (chart,), ("2 restricted matters not shown.",)), HEAD))
    text = " ".join(pages)
    assert "National: 1.9 % [1]" in text  # on the chart
    assert "Reference line 1 — National: 1.9 %: TRAC, 23 July 2012" in text  # its source under it
    assert "2 restricted matters not shown." in text


def test_an_empty_chart_says_so():
    chart = ChartSpec("Hearings per month", "bar", ("2026-01",), (ChartSeries("Hearings", (0.0,)),))
    assert "Nothing to draw in this range." in " ".join(text_of(report_pdf(result((), (chart,)), HEAD)))


# What the office's names are written in (DejaVu Serif has these glyphs), markup characters included.
NAME_LETTERS = ("".join(map(chr, range(0x21, 0x7F))) + "ÁÉÍÓÚÑÜáéíóúñüçÇ" + "ĄąĆćĘęŁłŃńŚśŹźŻż"
                + "".join(map(chr, range(0x410, 0x450))) + "ԱաԲբՊպՍս" + "ễẫơưđ")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(alphabet=NAME_LETTERS, min_size=1, max_size=8), min_size=1, max_size=3).map(" ".join))
def test_any_name_prints_as_it_is(name):
    """Markup characters, Cyrillic, CJK: a cell's text comes out of the PDF as it went in."""
    table = ReportTable("Names", ("Client",), ((name,),))
    pdf = report_pdf(result((table,)), HEAD)
    assert name in text_of(pdf)[0]


def test_markup_and_cyrillic_print_literally():
    name = "Ольга <Ivanova> & Co"
    table = ReportTable("Names <&>", ("Client",), ((name,), ("王小明",)))
    page = text_of(report_pdf(result((table,)), HEAD))[0]
    assert name in page and "Names <&>" in page and "王小明" in page
