"""Hearings: how many per month and per court (by default the past 12 months and the next 6), per
judge, the hearings ahead that no reminder letter went out for, and the busiest days ahead.

The hearings of the range are counted once, grouped by court, month and judge, from an index that
holds those columns (ix_hearings_starts_court_judge); the per-court, per-month and per-judge tables
are sums of those groups. The hearings without a reminder are those ahead less those a reminder
letter names, so only the letters are looked through, never every hearing's letters.
"""

from __future__ import annotations

from collections import Counter
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
NOT_RECORDED = "(not recorded)"


def hearings(scope: Scope) -> Computed:
    session = scope.session
    now = scope.now_literal()
    in_range = (Hearing.starts_at >= scope.start, Hearing.starts_at < scope.end)
    # Ahead: from now (or from the range's start, when it starts later) to the range's end.
    ahead = (Hearing.starts_at >= max(scope.now, scope.start), Hearing.starts_at < scope.end)

    def narrowed(statement: Any) -> Any:
        return scope.narrowed(statement, Hearing.matter_id)

    month = scope.month(Hearing.starts_at)
    groups = session.execute(narrowed(
        select(Hearing.court_id, month, Hearing.judge, count_where(Hearing.starts_at < now),
               count_where(Hearing.starts_at >= now))
        .where(*in_range).group_by(Hearing.court_id, month, Hearing.judge))).all()
    held_at: Counter[int | None] = Counter()
    ahead_at: Counter[int | None] = Counter()
    per_month: Counter[str] = Counter()
    per_judge: Counter[str] = Counter()
    for court_id, in_month, judge, held, coming in groups:
        held_at[court_id] += held
        ahead_at[court_id] += coming
        per_month[in_month] += held + coming
        per_judge[judge or NOT_RECORDED] += held + coming
    courts = {court_id: (code, name) for court_id, code, name in session.execute(
        select(Court.id, Court.code, Court.name).where(Court.id.in_([c for c in held_at if c is not None])))}
    court_rows = sorted(((courts.get(court_id, ("", ""))[0] if court_id is not None else "",
                          courts.get(court_id, ("", ""))[1] if court_id is not None else "",
                          held_at[court_id], ahead_at[court_id]) for court_id in held_at),
                        key=lambda row: (-(row[2] + row[3]), row[0]))
    judge_rows = sorted(per_judge.items(), key=lambda item: (-item[1], item[0]))

    reminded = int(session.scalar(narrowed(
        select(func.count(func.distinct(Letter.hearing_id))).select_from(Letter)
        .join(Hearing, Hearing.id == Letter.hearing_id)
        .where(Letter.template_id == REMINDER_TEMPLATE, *ahead))) or 0)
    ahead_total = sum(ahead_at.values())
    unreminded_count = ahead_total - reminded
    no_reminder = ~exists().where(Letter.hearing_id == Hearing.id, Letter.template_id == REMINDER_TEMPLATE)
    unreminded = session.execute(
        select(Hearing.starts_at, *scope.client_columns(), Court.code, Hearing.hearing_type)
        .select_from(Hearing).join(Matter, Matter.id == Hearing.matter_id)
        .join(Client, Client.id == Matter.client_id).outerjoin(Court, Court.id == Hearing.court_id)
        .where(*ahead, no_reminder, *scope.matter_filters())
        .order_by(Hearing.starts_at, Hearing.id).limit(LIST_LIMIT)).all()
    day = scope.day(Hearing.starts_at)
    busiest = session.execute(narrowed(
        select(day, func.count(), func.count(func.distinct(Hearing.court_id))).where(*ahead)
        .group_by(day).order_by(func.count().desc(), day).limit(BUSIEST_DAYS))).all()

    held_total = sum(held_at.values())
    restricted = scope.restricted_matters(
        select(Matter.id).select_from(Hearing).join(Matter, Matter.id == Hearing.matter_id)
        .where(*in_range, *scope.matter_filters(hidden_too=True)))
    months = months_between(scope.date_from, scope.date_to)
    month_rows = tuple((m, per_month.get(m, 0)) for m in months)
    return Computed(
        tables=(
            ReportTable("Hearings per court", ("Court", "Held", "Ahead"),
                        tuple((f"{code} {name}" if code else "(no court)", held, coming)
                              for code, name, held, coming in court_rows)),
            ReportTable("Hearings per month", ("Month", "Hearings"), month_rows),
            ReportTable("Hearings per judge" + (f" (the {JUDGES_SHOWN} busiest of {len(judge_rows)})"
                                                 if len(judge_rows) > JUDGES_SHOWN else ""),
                        ("Judge", "Hearings"), tuple(judge_rows[:JUDGES_SHOWN])),
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
            ChartSpec("Hearings per court", "bar", tuple(code or "(none)" for code, *_ in court_rows),
                      (ChartSeries("Held", tuple(float(row[2]) for row in court_rows)),
                       ChartSeries("Ahead", tuple(float(row[3]) for row in court_rows))), "Hearings"),
        ),
        totals={"hearings": held_total + ahead_total, "held": held_total, "ahead": ahead_total,
                "without_reminder": unreminded_count, "judges": len(judge_rows)},
        restricted_matters=restricted,
    )
