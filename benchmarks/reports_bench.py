"""Reports at office scale (issue 16): each report's `run` (and its PDF) on the benchmark office, beside
the same main aggregate written by hand on a bare connection to the same file.

`measure(office, raw_connect)` is called by `python -m benchmarks --only reports`; it gives each
report's median of a few runs after one warm run (the first run of a fresh process reads the pages
from disk; the screen's second look does not), so the figure is what a person waits for once the
office is open.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kantor_cases.domain.reports import REPORT_IDS, ReportFilters

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

RUNS = 3


def _stamp(moment: datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite, for the raw statements' parameters."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def raw_statements(now: datetime) -> dict[str, tuple[str, tuple[Any, ...]]]:
    """Each report's main aggregate as plain SQLite SQL with its parameters (the report's default range)."""
    today = now.date()
    year_ago = (today.replace(day=1) - timedelta(days=330)).replace(day=1)
    hearings_from = datetime(today.year - 1, today.month, 1)
    hearings_to = datetime(today.year + (today.month + 6) // 12, (today.month + 6) % 12 + 1, 1)
    return {
        "caseload": ("SELECT responsible_attorney_id, kind, firm_status, government_status, count(*) FROM matters "
                     "WHERE closed_on IS NULL GROUP BY 1, 2, 3, 4", ()),
        "hearings": ("SELECT court_id, sum(starts_at < ?), sum(starts_at >= ?) FROM hearings "
                     "WHERE starts_at >= ? AND starts_at < ? GROUP BY court_id",
                     (_stamp(now), _stamp(now), _stamp(hearings_from), _stamp(hearings_to))),
        "pd-outcomes": ("SELECT regime, status, count(*) FROM pd_requests WHERE submitted_on <= ? GROUP BY 1, 2",
                        (today.isoformat(),)),
        "deadlines-kept": ("SELECT coalesce(u.name, '(no attorney)'), count(*), "
                           "sum(d.done_at IS NOT NULL AND date(d.done_at) <= d.due_on), "
                           "sum(d.done_at IS NULL AND d.due_on < ?) FROM deadlines d "
                           "JOIN matters m ON m.id = d.matter_id LEFT JOIN users u ON u.id = m.responsible_attorney_id "
                           "WHERE d.superseded_at IS NULL AND d.due_on >= ? AND d.due_on <= ? GROUP BY 1",
                           (today.isoformat(), year_ago.isoformat(), today.isoformat())),
        "employment": ("SELECT a.agency, m.government_status, count(DISTINCT m.id) FROM agency_filings a "
                       "JOIN matters m ON m.id = a.matter_id WHERE m.kind IN ('employment', 'labor') "
                       "AND (m.closed_on IS NULL OR m.closed_on >= ?) GROUP BY 1, 2", (year_ago.isoformat(),)),
        "intake": ("SELECT strftime('%Y-%m', intake_date), count(*) FROM clients "
                   "WHERE intake_date >= ? AND intake_date <= ? GROUP BY 1", (year_ago.isoformat(), today.isoformat())),
    }


def _median_s(work: Callable[[], object]) -> float:
    work()  # warm: the pages this report reads come into the cache
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def _fetch_all(raw: Any, sql: str, parameters: tuple[Any, ...]) -> list[Any]:
    return list(raw.execute(sql, parameters).fetchall())


def measure(office: Office, raw_connect: Callable[[], Any]) -> dict[str, Any]:
    """{"reports_max_s", "reports_pdf_max_s", "each": {report: {"run_s", "pdf_s", "raw_s", "rows"}}}:
    `pdf_s` is the run and the PDF together, as "Save as PDF" costs a person."""
    each: dict[str, dict[str, Any]] = {}
    statements = raw_statements(office.clock.now())
    raw = raw_connect()
    with tempfile.TemporaryDirectory(prefix="kantor-reports-bench-") as folder:
        try:
            for report in REPORT_IDS:
                result = office.reports.run(report, ReportFilters())
                run_s = _median_s(partial(office.reports.run, report, ReportFilters()))
                target = Path(folder) / f"{report}.pdf"

                def run_and_save(report: str = report, target: Path = target) -> None:
                    office.reports.save_pdf(office.reports.run(report, ReportFilters()), target, force=True)

                pdf_s = _median_s(run_and_save)
                sql, parameters = statements[report]
                raw_s = _median_s(partial(_fetch_all, raw, sql, parameters))
                each[report] = {"run_s": round(run_s, 3), "pdf_s": round(pdf_s, 3), "raw_s": round(raw_s, 4),
                                "rows": sum(len(table.rows) for table in result.tables),
                                "pdf_kb": round(target.stat().st_size / 1024)}
        finally:
            raw.close()
    return {"reports_max_s": max(item["run_s"] for item in each.values()),
            "reports_pdf_max_s": max(item["pdf_s"] for item in each.values()),
            "each": each}
