"""The reports' figures against a hand-built office whose answers are known (tests/report_office.py)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_office import ODD_NAME, build, open_office

from kantor_cases.domain.errors import KantorError
from kantor_cases.domain.reports import REPORT_IDS, ReportFilters, ReportResult, ReportTable
from kantor_cases.services.output_files import TargetRefused
from kantor_cases.services.reports import report_csv


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    office_path = tmp_path_factory.mktemp("reports") / "office.sqlite3"
    made = build(str(office_path))
    yield made
    made.office.close()


@pytest.fixture
def office(built):
    built.office.user = "Ada"
    return built.office


def table(result: ReportResult, title_start: str) -> ReportTable:
    return next(t for t in result.tables if t.title.startswith(title_start))


def as_dict(found: ReportTable, key: int = 0) -> dict[object, tuple[object, ...]]:
    return {row[key]: row for row in found.rows}


# --- PD outcomes ---------------------------------------------------------------------------------------


def test_pd_outcomes_closure_rate_and_stages_as_worked_out_by_hand(office):
    office.user = "Sam"  # staff, not named on the restricted client: the seven requests of the module docstring
    result = office.reports.run("pd-outcomes", ReportFilters())
    assert result.totals["requests"] == 7
    assert result.totals["closed"] == 2
    assert result.totals["closure_rate_percent"] == 28.6
    stages = as_dict(table(result, "Days in each stage"))
    assert stages["Background check pending"] == ("Background check pending", 4, 35.0, 152.0)
    assert stages["Submitted"] == ("Submitted", 7, 20.0, 30.0)
    assert stages["Acknowledged / under review"] == ("Acknowledged / under review", 3, 30.0, 63.6)
    assert stages["Offer received"] == ("Offer received", 5, 10.0, 29.8)
    # background check is the first stage shown
    assert table(result, "Days in each stage").rows[0][0] == "Background check pending"
    steps = dict(table(result, "Requests that reached each step").rows)
    assert steps == {"Submitted": 7, "Acknowledged": 3, "Offer received": 5, "Background check": 4, "Cleared": 2,
                     "Adverse": 1, "Offer accepted": 2, "Offer declined": 1, "Granted": 2, "Denied": 2}


def test_pd_outcomes_stalled_requests_and_the_national_reference_lines(office):
    office.user = "Sam"
    result = office.reports.run("pd-outcomes", ReportFilters())
    stalled = table(result, "Requests stalled longer than 90 days")
    assert result.totals["stalled"] == 1
    assert [(row[3], row[5]) for row in stalled.rows] == [("Background check pending", 200)]
    chart = result.charts[0]
    assert chart.series[0].values == (28.6,)
    assert [line.value for line in chart.reference_lines] == [1.9, 6.4, 9.0]
    assert all("trac.syr.edu" in line.source for line in chart.reference_lines)
    # the year-end expectation is labelled as reported and names the 2012 article it comes from
    assert "DHS year-end expectation (about 9 %)" in chart.reference_lines[2].label
    assert "New York Times" in chart.reference_lines[2].source and "6 June 2012" in chart.reference_lines[2].source
    beside = dict((row[0], row[1]) for row in table(result, "Closure rate beside the national review").rows)
    assert beside["National: DHS year-end expectation (about 9 %)"] == 9.0
    # with a longer limit nothing is stalled; with a shorter one the request waiting 72 days is too
    assert office.reports.run("pd-outcomes", ReportFilters(stall_days=201)).totals["stalled"] == 0
    assert office.reports.run("pd-outcomes", ReportFilters(stall_days=60)).totals["stalled"] == 2


def test_restricted_matters_are_left_out_with_a_note_for_someone_not_named_on_them(office):
    office.user = "Sam"
    hidden = office.reports.run("pd-outcomes", ReportFilters())
    assert hidden.notes == ("2 restricted matters not shown.",)
    office.user = "Ada"
    everything = office.reports.run("pd-outcomes", ReportFilters())
    assert everything.totals["requests"] == 9
    assert everything.notes == ()
    office.user = "Rosa"  # their responsible attorney sees them
    assert office.reports.run("pd-outcomes", ReportFilters()).totals["requests"] == 9


def test_privacy_names_clients_by_id(office):
    office.user = "Sam"
    named = office.reports.run("pd-outcomes", ReportFilters())
    private = office.reports.run("pd-outcomes", ReportFilters(), privacy=True)
    assert table(named, "Requests stalled").rows[0][0] == "Cliente3 Prueba"
    assert table(private, "Requests stalled").rows[0][0].startswith("Client ")
    assert "Cliente3" not in repr(private)


# --- the other reports ---------------------------------------------------------------------------------


def test_caseload(office):
    result = office.reports.run("caseload", ReportFilters())
    assert (result.date_from, result.date_to) == (date(2025, 7, 1), date(2026, 6, 1))
    assert result.totals == {"open_matters": 11, "opened": 12, "closed": 1}
    assert set(table(result, "Open matters per attorney").rows) == {
        ("Rosa", "Removal defense", 9), ("Rosa", "Employment claim", 1), ("Rosa", "Labor (union / NLRB)", 1)}
    months = as_dict(table(result, "Opened and closed per month"))
    assert months["2025-08"] == ("2025-08", 9, 0)
    assert months["2026-02"] == ("2026-02", 1, 0)
    assert months["2026-04"] == ("2026-04", 0, 1)
    assert len(months) == 12
    dan = office.reports.run("caseload", ReportFilters(attorney="Dan"))
    assert dan.totals == {"open_matters": 0, "opened": 1, "closed": 1}
    office.user = "Sam"
    sam = office.reports.run("caseload", ReportFilters())
    assert sam.totals["open_matters"] == 9
    assert sam.notes == ("2 restricted matters not shown.",)


def test_hearings(office):
    result = office.reports.run("hearings", ReportFilters())
    assert (result.date_from, result.date_to) == (date(2025, 6, 1), date(2026, 12, 31))
    assert result.totals == {"hearings": 4, "held": 2, "ahead": 2, "without_reminder": 1, "judges": 2}
    court = table(result, "Hearings per court").rows
    assert court == (("LOS Los Angeles Immigration Court – Olive Street", 2, 2),)
    assert table(result, "Busiest days ahead").rows == (("2026-06-10", 2, 1),)
    unreminded = table(result, "Hearings ahead without a reminder").rows
    assert [row[0] for row in unreminded] == ["2026-06-10 10:00"]
    assert dict(table(result, "Hearings per judge").rows) == {"Hon. A": 2, "Hon. B": 2}
    months = dict(table(result, "Hearings per month").rows)
    assert months["2026-03"] == 2 and months["2026-06"] == 2 and len(months) == 19


def test_deadlines_kept(office):
    result = office.reports.run("deadlines-kept", ReportFilters())
    assert result.totals == {"due": 6, "on_time": 3, "late": 1, "missed": 1, "open": 1, "overridden": 1,
                             "kept_percent": 60.0}
    assert table(result, "Deadlines per attorney").rows == (("Rosa", 6, 3, 1, 1, 1, 1),)
    assert [(series.name, series.values) for series in result.charts[0].series] == [
        ("On time", (3.0,)), ("Late", (1.0,)), ("Missed", (1.0,))]
    rules = as_dict(table(result, "Deadlines per rule"))
    assert rules["bia-appeal"] == ("bia-appeal", 1, 1, 0, 0, 0, 1)
    assert rules["(typed in)"] == ("(typed in)", 5, 2, 1, 1, 1, 0)
    overridden = table(result, "Overridden deadlines").rows
    assert [(row[0], row[3], row[4]) for row in overridden] == [("2026-05-01", "2026-04-20", "the judge extended it")]


def test_employment(office):
    result = office.reports.run("employment", ReportFilters())
    assert result.totals == {"claims": 2, "right_to_sue_issued": 1, "right_to_sue_received": 1,
                             "suit_deadlines_ahead": 1}
    assert set(table(result, "Claims by agency and stage").rows) == {
        ("EEOC", "Agency pending", 1), ("CRD", "Agency pending", 1), ("NLRB", "Charge filed", 1)}
    assert table(result, "Suit deadlines ahead").rows[0][0] == "2026-07-30"


def test_intake(office):
    result = office.reports.run("intake", ReportFilters())
    assert result.totals == {"new_clients": 10, "new_matters": 12, "conflict_checks": 2, "conflicts_found": 1}
    assert dict(table(result, "New clients by language").rows) == {"es": 6, "en": 4}
    assert dict(table(result, "New clients by country").rows) == {"Mexico": 6, "Guatemala": 3, "Philippines": 1}
    assert dict(table(result, "New clients by referral").rows) == {"(not recorded)": 8, "Radio Bilingüe": 2}
    assert table(result, "Conflict checks").rows == ((12, 2, 1, 1),)
    office.user = "Sam"
    sam = office.reports.run("intake", ReportFilters())
    assert sam.totals["new_clients"] == 9
    assert sam.notes == ("2 restricted matters not shown.", "1 restricted client not shown.")


def test_kind_filter_narrows_every_report(office):
    result = office.reports.run("caseload", ReportFilters(kind="employment"))
    assert result.totals["open_matters"] == 1
    assert office.reports.run("pd-outcomes", ReportFilters(kind="benefit")).totals["requests"] == 0


# --- refusals -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("report", "filters", "words"), [
    ("payroll", ReportFilters(), "There is no report called"),
    ("caseload", ReportFilters(attorney="Nobody"), "There is no user called"),
    ("caseload", ReportFilters(date(2026, 5, 1), date(2026, 1, 1)), "starts (01 May 2026) after it ends"),
    ("caseload", ReportFilters(kind="divorce"), "There is no matter kind"),
])
def test_mistakes_are_refused_in_one_sentence(office, report, filters, words):
    with pytest.raises(KantorError) as refused:
        office.reports.run(report, filters)
    assert words in str(refused.value)
    assert str(refused.value).count(". ") == 0


def test_every_report_runs_for_the_read_only_role(office):
    office.user = "Someone Unknown"  # not in the users table: read-only
    for report in REPORT_IDS:
        assert office.reports.run(report, ReportFilters()).report == report


# --- saving ---------------------------------------------------------------------------------------------


def test_csv_has_every_table_with_its_title_and_marks_formulas(office, tmp_path):
    result = office.reports.run("deadlines-kept", ReportFilters())
    target = office.reports.save_csv(result, tmp_path / "deadlines.csv")
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    titles = [row[0] for row in rows if row and row[0] in {t.title for t in result.tables}]
    assert titles == [t.title for t in result.tables]
    assert ["Rosa", "6", "3", "1", "1", "1", "1"] in rows
    with pytest.raises(TargetRefused, match="already exists"):
        office.reports.save_csv(result, target)
    assert office.reports.save_csv(result, target, force=True) == target


@given(st.text(min_size=1, max_size=30))
def test_no_cell_of_a_saved_csv_can_run_as_a_formula(value):
    result = ReportResult("caseload", "Caseload", ReportFilters(), date(2026, 1, 1), date(2026, 6, 1),
                          datetime(2026, 6, 1, 9, 0), "Ada",
                          (ReportTable(value, (value,), ((value, 3),)),))
    for row in csv.reader(io.StringIO(report_csv(result))):
        for cell in row:
            if cell and cell[0] in "=+-@" and not cell.lstrip("+-").replace(".", "", 1).isdigit():
                pytest.fail(f"{cell!r} could run as a formula")


def test_pdf_is_refused_over_an_existing_file_and_carries_the_figures(office, tmp_path):
    from pypdf import PdfReader

    result = office.reports.run("pd-outcomes", ReportFilters())
    target = tmp_path / "pd.pdf"
    target.write_bytes(b"keep me")
    with pytest.raises(TargetRefused):
        office.reports.save_pdf(result, target)
    assert target.read_bytes() == b"keep me"
    office.reports.save_pdf(result, target, force=True)
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert "PD outcomes" in text and "01 Sep 2025 to 01 Jun 2026" in text
    assert "22.2" in text  # Ada sees nine requests, two of them closed
    assert "Made 01 Jun 2026 09:00 by Ada" in text
    assert "trac.syr.edu" in text


def test_pdf_prints_names_literally_and_every_table(office, tmp_path):
    from pypdf import PdfReader

    result = office.reports.run("hearings", ReportFilters())
    text = " ".join(page.extract_text() for page in PdfReader(office.reports.save_pdf(result, tmp_path / "h.pdf")).pages)
    assert " ".join(ODD_NAME) in text  # Cyrillic, "<" and "&" as they are
    for shown in result.tables:
        assert shown.title in text
    assert "page 1 of" in text


def test_saving_takes_the_export_permission(built, tmp_path):
    office = open_office(str(built.office.locations.database), "Someone Unknown")
    try:
        result = office.reports.run("caseload", ReportFilters())
        with pytest.raises(KantorError, match="Read-only users cannot"):
            office.reports.save_pdf(result, tmp_path / "x.pdf")
        assert not (tmp_path / "x.pdf").exists()
    finally:
        office.close()


def test_each_save_leaves_an_audit_row_naming_the_report_and_its_range(office, tmp_path):
    from kantor_cases.services import audit

    result = office.reports.run("intake", ReportFilters())
    office.reports.save_csv(result, tmp_path / "intake.csv")
    newest = audit.events(office.database, "Ada", None, None, 1)[0]
    assert (newest.action, newest.entity) == ("export", "report")
    assert newest.summary == "saved the Intake report (01 Jul 2025 to 01 Jun 2026) as a CSV"
