"""Caseload: who carries which open matters (by kind, firm status and court or agency status), and
how many matters were opened and closed each month of the range.

The open matters are counted once, grouped by attorney, kind and both statuses, from an index that
holds those columns (ix_matters_open_caseload); the three tables are sums of those few hundred
groups.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from kantor_cases.db.models import Matter, User
from kantor_cases.domain.reports import ChartSeries, ChartSpec, ReportTable
from kantor_cases.domain.statuses import FirmStatus, MatterKind, government_status_label

from .scope import NO_ATTORNEY, Scope, months_between
from .shapes import Computed


def _kind_label(kind: str) -> str:
    try:
        return MatterKind(kind).label
    except ValueError:
        return kind


def _firm_label(status: str) -> str:
    try:
        return FirmStatus(status).label
    except ValueError:
        return status


def caseload(scope: Scope) -> Computed:
    session = scope.session
    is_open = Matter.closed_on.is_(None)
    narrowed = scope.matter_filters()
    groups = session.execute(
        select(Matter.responsible_attorney_id, Matter.kind, Matter.firm_status, Matter.government_status, func.count())
        .where(is_open, *narrowed)
        .group_by(Matter.responsible_attorney_id, Matter.kind, Matter.firm_status, Matter.government_status)).all()
    names: dict[int, str] = dict(session.execute(select(User.id, User.name)).all())
    by_attorney: Counter[tuple[str, str]] = Counter()
    by_firm_status: Counter[str] = Counter()
    by_government_status: Counter[tuple[str, str | None]] = Counter()
    for attorney_id, kind, firm_status, government_status, count in groups:
        attorney = names.get(attorney_id, NO_ATTORNEY) if attorney_id is not None else NO_ATTORNEY
        by_attorney[attorney, kind] += count
        by_firm_status[firm_status] += count
        by_government_status[kind, government_status] += count

    opened_month = scope.month(Matter.opened_on)
    opened: dict[str, int] = dict(session.execute(
        select(opened_month, func.count())
        .where(Matter.opened_on >= scope.date_from, Matter.opened_on <= scope.date_to, *narrowed)
        .group_by(opened_month)).all())
    closed_month = scope.month(Matter.closed_on)
    closed: dict[str, int] = dict(session.execute(
        select(closed_month, func.count())
        .where(Matter.closed_on >= scope.date_from, Matter.closed_on <= scope.date_to, *narrowed)
        .group_by(closed_month)).all())
    months = months_between(scope.date_from, scope.date_to)
    per_month = tuple((month, int(opened.get(month, 0)), int(closed.get(month, 0))) for month in months)

    per_attorney: Counter[str] = Counter()
    for (attorney, _kind), count in by_attorney.items():
        per_attorney[attorney] += count
    restricted = scope.restricted_matters(
        select(Matter.id).where(is_open | ((Matter.opened_on >= scope.date_from) & (Matter.opened_on <= scope.date_to))
                                | ((Matter.closed_on >= scope.date_from) & (Matter.closed_on <= scope.date_to)),
                                *scope.matter_filters(hidden_too=True)))
    return Computed(
        tables=(
            ReportTable("Open matters per attorney and kind", ("Attorney", "Kind", "Open matters"),
                        tuple((attorney, _kind_label(kind), count)
                              for (attorney, kind), count in sorted(by_attorney.items()))),
            ReportTable("Open matters by firm status", ("Firm status", "Open matters"),
                        tuple((_firm_label(status), count) for status, count
                              in sorted(by_firm_status.items(), key=lambda item: (-item[1], item[0])))),
            ReportTable("Open matters by court or agency status", ("Kind", "Court or agency status", "Open matters"),
                        tuple((_kind_label(kind), government_status_label(kind, status) or "(none)", count)
                              for (kind, status), count in sorted(by_government_status.items(),
                                                                  key=lambda item: (item[0][0], -item[1],
                                                                                    item[0][1] or "")))),
            ReportTable("Opened and closed per month", ("Month", "Opened", "Closed"), per_month),
        ),
        charts=(
            ChartSpec("Matters opened and closed per month", "bar", tuple(months),
                      (ChartSeries("Opened", tuple(float(row[1]) for row in per_month)),
                       ChartSeries("Closed", tuple(float(row[2]) for row in per_month))), "Matters"),
            ChartSpec("Open matters per attorney", "bar", tuple(sorted(per_attorney)),
                      (ChartSeries("Open matters", tuple(float(per_attorney[name]) for name in sorted(per_attorney))),),
                      "Matters"),
        ),
        totals={"open_matters": sum(per_attorney.values()), "opened": sum(row[1] for row in per_month),
                "closed": sum(row[2] for row in per_month)},
        restricted_matters=restricted,
    )
