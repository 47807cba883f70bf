"""The reports on PostgreSQL, whose month, day and day-difference SQL is spelled differently from
SQLite's (services/reports/scope.py): the same hand-built office gives the same figures on both."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from postgres_support import URL, empty_test_schema, needs_postgres

from kantor_cases.domain.reports import REPORT_IDS, ReportFilters

sys.path.insert(0, str(Path(__file__).parents[1]))
from report_office import build  # noqa: E402

pytestmark = needs_postgres


@pytest.fixture
def both(tmp_path):
    empty_test_schema(URL)
    server = build(URL)
    local = build(str(tmp_path / "office.sqlite3"))
    yield server.office, local.office
    server.office.close()
    local.office.close()


def test_pd_outcomes_on_postgresql_as_worked_out_by_hand(both):
    server, _local = both
    server.user = "Sam"
    result = server.reports.run("pd-outcomes", ReportFilters())
    assert result.totals["closure_rate_percent"] == 28.6
    stages = {row[0]: row for row in result.tables[3].rows}
    assert stages["Background check pending"] == ("Background check pending", 4, 35.0, 152.0)
    assert stages["Acknowledged / under review"] == ("Acknowledged / under review", 3, 30.0, 63.6)
    assert result.notes == ("2 restricted matters not shown.",)


@pytest.mark.parametrize("user", ["Ada", "Sam"])
def test_every_report_is_the_same_on_both_databases(both, user):
    server, local = both
    server.user = local.user = user
    for report in REPORT_IDS:
        on_server = server.reports.run(report, ReportFilters())
        on_file = local.reports.run(report, ReportFilters())
        assert on_server.tables == on_file.tables, report
        assert on_server.totals == on_file.totals, report
        assert on_server.notes == on_file.notes, report
        assert on_server.charts == on_file.charts, report
