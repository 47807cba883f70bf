"""Caseload: who carries which open matters (by kind, firm status and court or agency status), and
how many matters were opened and closed each month of the range."""

from __future__ import annotations

from sqlalchemy import func, select

from kantor_cases.db.models import Matter, User
from kantor_cases.domain.reports import ChartSeries, ChartSpec, ReportTable
from kantor_cases.domain.statuses import FirmStatus, MatterKind, government_status_label

from .scope import Scope, attorney_label, months_between
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

    attorney = attorney_label()
    by_attorney = session.execute(
        select(attorney, Matter.kind, func.count())
        .select_from(Matter).outerjoin(User, User.id == Matter.responsible_attorney_id)
        .where(is_open, *narrowed).group_by(attorney, Matter.kind).order_by(attorney, Matter.kind)).all()
    by_firm_status = session.execute(
        select(Matter.firm_status, func.count()).where(is_open, *narrowed)
        .group_by(Matter.firm_status).order_by(func.count().desc(), Matter.firm_status)).all()
    by_government_status = session.execute(
        select(Matter.kind, Matter.government_status, func.count()).where(is_open, *narrowed)
        .group_by(Matter.kind, Matter.government_status)
        .order_by(Matter.kind, func.count().desc(), Matter.government_status)).all()

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

    per_attorney: dict[str, int] = {}
    for name, _kind, count in by_attorney:
        per_attorney[name] = per_attorney.get(name, 0) + int(count)
    open_total = sum(per_attorney.values())

    restricted = scope.restricted_matters(
        select(Matter.id).where(is_open | ((Matter.opened_on >= scope.date_from) & (Matter.opened_on <= scope.date_to))
                                | ((Matter.closed_on >= scope.date_from) & (Matter.closed_on <= scope.date_to)),
                                *scope.matter_filters(hidden_too=True)))
    return Computed(
        tables=(
            ReportTable("Open matters per attorney and kind", ("Attorney", "Kind", "Open matters"),
                        tuple((name, _kind_label(kind), int(count)) for name, kind, count in by_attorney)),
            ReportTable("Open matters by firm status", ("Firm status", "Open matters"),
                        tuple((_firm_label(status), int(count)) for status, count in by_firm_status)),
            ReportTable("Open matters by court or agency status", ("Kind", "Court or agency status", "Open matters"),
                        tuple((_kind_label(kind), government_status_label(kind, status) or "(none)", int(count))
                              for kind, status, count in by_government_status)),
            ReportTable("Opened and closed per month", ("Month", "Opened", "Closed"), per_month),
        ),
        charts=(
            ChartSpec("Matters opened and closed per month", "bar", tuple(months),
                      (ChartSeries("Opened", tuple(float(row[1]) for row in per_month)),
                       ChartSeries("Closed", tuple(float(row[2]) for row in per_month))), "Matters"),
            ChartSpec("Open matters per attorney", "bar", tuple(per_attorney),
                      (ChartSeries("Open matters", tuple(float(v) for v in per_attorney.values())),), "Matters"),
        ),
        totals={"open_matters": open_total, "opened": sum(row[1] for row in per_month),
                "closed": sum(row[2] for row in per_month)},
        restricted_matters=restricted,
    )
