"""Hearings: how many per month and per court (by default the past 12 months and the next 6), per
judge, the hearings ahead that no reminder letter went out for, and the busiest days ahead."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, func, select

from kantor_cases.db.models import Client, Court, Hearing, Letter, Matter
from kantor_cases.domain.reports import ChartSeries, ChartSpec, ReportTable
from kantor_cases.domain.statuses import HEARING_TYPES

from .scope import LIST_LIMIT, Scope, count_where, months_between
from .shapes import Computed

REMINDER_TEMPLATE = "hearing-reminder"
BUSIEST_DAYS = 10
JUDGES_SHOWN = 30


def hearings(scope: Scope) -> Computed:
    session = scope.session
    now = scope.now_literal()
    in_range = (Hearing.starts_at >= scope.start, Hearing.starts_at < scope.end)
    narrowed = scope.matter_filters()

    def base(*columns: Any) -> Any:
        return select(*columns).select_from(Hearing).join(Matter, Matter.id == Hearing.matter_id)

    month = scope.month(Hearing.starts_at)
    per_month: dict[str, int] = dict(session.execute(base(month, func.count()).where(*in_range, *narrowed).group_by(month)).all())
    months = months_between(scope.date_from, scope.date_to)
    per_court = session.execute(
        base(Court.code, Court.name, count_where(Hearing.starts_at < now), count_where(Hearing.starts_at >= now))
        .outerjoin(Court, Court.id == Hearing.court_id).where(*in_range, *narrowed)
        .group_by(Court.id, Court.code, Court.name).order_by(func.count().desc(), Court.code)).all()
    judge = func.coalesce(func.nullif(Hearing.judge, ""), "(not recorded)")
    judges = int(session.scalar(select(func.count()).select_from(
        base(judge).where(*in_range, *narrowed).distinct().subquery())) or 0)
    per_judge = session.execute(
        base(judge, func.count()).where(*in_range, *narrowed)
        .group_by(judge).order_by(func.count().desc(), judge).limit(JUDGES_SHOWN)).all()

    ahead = (Hearing.starts_at >= now, Hearing.starts_at < scope.end)
    no_reminder = ~exists().where(Letter.hearing_id == Hearing.id, Letter.template_id == REMINDER_TEMPLATE)
    unreminded_count = int(session.scalar(base(func.count()).where(*ahead, no_reminder, *narrowed)) or 0)
    unreminded = session.execute(
        base(Hearing.starts_at, *scope.client_columns(), Court.code, Hearing.hearing_type)
        .join(Client, Client.id == Matter.client_id).outerjoin(Court, Court.id == Hearing.court_id)
        .where(*ahead, no_reminder, *narrowed).order_by(Hearing.starts_at, Hearing.id).limit(LIST_LIMIT)).all()
    day = scope.day(Hearing.starts_at)
    busiest = session.execute(
        base(day, func.count(), func.count(func.distinct(Hearing.court_id))).where(*ahead, *narrowed)
        .group_by(day).order_by(func.count().desc(), day).limit(BUSIEST_DAYS)).all()

    past_total = sum(int(row[2]) for row in per_court)
    ahead_total = sum(int(row[3]) for row in per_court)
    restricted = scope.restricted_matters(
        select(Matter.id).select_from(Hearing).join(Matter, Matter.id == Hearing.matter_id)
        .where(*in_range, *scope.matter_filters(hidden_too=True)))
    month_rows = tuple((m, int(per_month.get(m, 0))) for m in months)
    return Computed(
        tables=(
            ReportTable("Hearings per court", ("Court", "Held", "Ahead"),
                        tuple((f"{code} {name}" if code else "(no court)", int(held), int(coming))
                              for code, name, held, coming in per_court)),
            ReportTable("Hearings per month", ("Month", "Hearings"), month_rows),
            ReportTable("Hearings per judge" + (f" (the {JUDGES_SHOWN} busiest of {judges})"
                                                 if judges > JUDGES_SHOWN else ""),
                        ("Judge", "Hearings"), tuple((name, int(count)) for name, count in per_judge)),
            ReportTable("Hearings ahead without a reminder sent"
                        + (f" (first {LIST_LIMIT} of {unreminded_count})" if unreminded_count > LIST_LIMIT else ""),
                        ("When", "Client", "Court", "Hearing"),
                        tuple((f"{starts:%Y-%m-%d %H:%M}", scope.client_label(cid, given, middle, family, second),
                               code or "", HEARING_TYPES.get(kind, kind))
                              for starts, cid, given, middle, family, second, code, kind in unreminded)),
            ReportTable("Busiest days ahead", ("Day", "Hearings", "Courts"),
                        tuple((str(when), int(count), int(courts)) for when, count, courts in busiest)),
        ),
        charts=(
            ChartSpec("Hearings per month", "bar", tuple(months),
                      (ChartSeries("Hearings", tuple(float(count) for _m, count in month_rows)),), "Hearings"),
            ChartSpec("Hearings per court", "bar", tuple(code or "(none)" for code, *_ in per_court),
                      (ChartSeries("Held", tuple(float(row[2]) for row in per_court)),
                       ChartSeries("Ahead", tuple(float(row[3]) for row in per_court))), "Hearings"),
        ),
        totals={"hearings": past_total + ahead_total, "held": past_total, "ahead": ahead_total,
                "without_reminder": unreminded_count, "judges": judges},
        restricted_matters=restricted,
    )
