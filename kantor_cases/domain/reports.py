"""What a report is, as plain values: the filters it was run with, its tables, its charts and its
totals. The services compute one (in SQL), the Reports screen and the CLI show it, and
`letters/` prints it; none of them needs to know how the others work.

A chart is described, not drawn: categories along one axis, one or more named series of numbers,
and optional labelled reference lines (e.g. the national PD closure rate of the 2011–2012 review,
with its source). The screen's chart adapter and ReportLab's `graphics.charts` both draw from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

CASELOAD = "caseload"
HEARINGS = "hearings"
PD_OUTCOMES = "pd-outcomes"
DEADLINES_KEPT = "deadlines-kept"
EMPLOYMENT = "employment"
INTAKE = "intake"


@dataclass(frozen=True)
class ReportKind:
    id: str
    title: str
    description: str


REPORTS: tuple[ReportKind, ...] = (
    ReportKind(CASELOAD, "Caseload",
               "Open matters by kind, firm status and court status, per attorney; opened and closed per month."),
    ReportKind(HEARINGS, "Hearings",
               "Hearings per court and month (past 12, next 6) and per judge; reminders not sent; busiest days."),
    ReportKind(PD_OUTCOMES, "PD outcomes",
               "Prosecutorial-discretion requests by regime and status, closure rate against the 2011–2012 "
               "national review, days in each stage, stalled requests."),
    ReportKind(DEADLINES_KEPT, "Deadlines kept",
               "Deadlines due in the range: done on time, done late, overridden, missed; per attorney and rule."),
    ReportKind(EMPLOYMENT, "Employment claims",
               "Claims by agency and stage; right-to-sue notices and suit deadlines ahead."),
    ReportKind(INTAKE, "Intake",
               "New clients and matters per month, by source, language and country of birth; conflicts found."),
)
REPORT_IDS = tuple(kind.id for kind in REPORTS)


@dataclass(frozen=True)
class ReportFilters:
    """What the person asked for; `None` means "not narrowed" (the report picks its own default range)."""

    date_from: date | None = None
    date_to: date | None = None
    attorney: str | None = None  # a user name
    kind: str | None = None  # a matter kind: removal, employment, benefit, …
    # PD outcomes: an open request whose status has not changed for this many days is stalled.
    stall_days: int = 90


@dataclass(frozen=True)
class ReportTable:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class ReferenceLine:
    label: str
    value: float
    source: str


@dataclass(frozen=True)
class ChartSeries:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class ChartSpec:
    title: str
    kind: str  # "bar" or "line"
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    value_label: str = ""
    reference_lines: tuple[ReferenceLine, ...] = ()


@dataclass(frozen=True)
class ReportResult:
    report: str  # one of REPORT_IDS
    title: str
    filters: ReportFilters
    # The range actually used once defaults were applied (shown on screen and in the PDF).
    date_from: date
    date_to: date
    generated_at: datetime
    generated_by: str
    tables: tuple[ReportTable, ...]
    charts: tuple[ChartSpec, ...] = ()
    totals: dict[str, object] = field(default_factory=dict)
    # Sentences the reader must see, e.g. "2 restricted matters not shown."
    notes: tuple[str, ...] = ()
