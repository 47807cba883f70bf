"""Deadlines kept: of the deadlines due in the range (the current ones: a deadline superseded by a
moved trigger date is counted once, as its replacement), how many were done on time (on or before
the due day), done late, missed (not done, the day passed), still open, and overridden by an
attorney (with the reasons); per responsible attorney and per rule."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from kantor_cases.db.models import Client, Deadline, Matter, User
from kantor_cases.domain.reports import ChartSeries, ChartSpec, ReportTable

from .scope import LIST_LIMIT, NO_ATTORNEY, Scope, attorney_label, count_where, percent
from .shapes import Computed

TYPED_IN = "(typed in)"
COLUMNS = ("Due", "On time", "Late", "Missed", "Open", "Overridden")


def deadlines_kept(scope: Scope) -> Computed:
    session = scope.session
    done_day = scope.day(Deadline.done_at)
    counts = (
        func.count(),
        count_where(Deadline.done_at.is_not(None) & (done_day <= Deadline.due_on)),
        count_where(Deadline.done_at.is_not(None) & (done_day > Deadline.due_on)),
        count_where(Deadline.done_at.is_(None) & (Deadline.due_on < scope.today)),
        count_where(Deadline.done_at.is_(None) & (Deadline.due_on >= scope.today)),
        count_where(Deadline.override_reason != ""),
    )
    current = (Deadline.superseded_at.is_(None), Deadline.due_on >= scope.date_from,
               Deadline.due_on <= scope.date_to)

    def grouped(*keys: Any) -> list[Any]:
        statement = (select(*keys, *counts).select_from(Deadline).join(Matter, Matter.id == Deadline.matter_id)
                     .outerjoin(User, User.id == Matter.responsible_attorney_id)
                     .where(*current, *scope.matter_filters()))
        if keys:
            statement = statement.group_by(*keys).order_by(*keys)
        return list(session.execute(statement).all())

    attorney = attorney_label()
    rule = func.coalesce(func.nullif(Deadline.rule_id, ""), TYPED_IN)
    per_attorney = [(name, *map(int, rest)) for name, *rest in grouped(attorney)]
    per_rule = [(name, *map(int, rest)) for name, *rest in grouped(rule)]
    due, on_time, late, missed, still_open, overridden = (int(value) for value in grouped()[0])

    overridden_rows = session.execute(
        select(Deadline.due_on, *scope.client_columns(), Deadline.rule_id, Deadline.title, Deadline.computed_due,
               Deadline.override_reason)
        .select_from(Deadline).join(Matter, Matter.id == Deadline.matter_id)
        .join(Client, Client.id == Matter.client_id)
        .where(*current, Deadline.override_reason != "", *scope.matter_filters())
        .order_by(Deadline.due_on, Deadline.id).limit(LIST_LIMIT)).all()

    restricted = scope.restricted_matters(
        select(Matter.id).select_from(Deadline).join(Matter, Matter.id == Deadline.matter_id)
        .where(*current, *scope.matter_filters(hidden_too=True)))
    decided = on_time + late + missed
    return Computed(
        tables=(
            ReportTable("Deadlines per attorney", ("Attorney", *COLUMNS), tuple(tuple(row) for row in per_attorney)),
            ReportTable("Deadlines per rule", ("Rule", *COLUMNS), tuple(tuple(row) for row in per_rule)),
            ReportTable("Overridden deadlines" + (f" (first {LIST_LIMIT} of {overridden})"
                                                   if overridden > LIST_LIMIT else ""),
                        ("Due", "Client", "Deadline", "Computed", "Reason"),
                        tuple((str(due_on), scope.client_label(cid, given, middle, family, second),
                               rule_id or title, str(computed) if computed else "", reason)
                              for due_on, cid, given, middle, family, second, rule_id, title, computed, reason
                              in overridden_rows)),
        ),
        charts=(
            ChartSpec("Deadlines per attorney", "bar", tuple(row[0] for row in per_attorney),
                      tuple(ChartSeries(name, tuple(float(row[index]) for row in per_attorney))
                            for index, name in ((2, "On time"), (3, "Late"), (4, "Missed"))), "Deadlines"),
        ),
        totals={"due": due, "on_time": on_time, "late": late, "missed": missed, "open": still_open,
                "overridden": overridden, "kept_percent": percent(on_time, decided)},
        restricted_matters=restricted,
        notes=() if not any(row[0] == NO_ATTORNEY for row in per_attorney) else
        (f"“{NO_ATTORNEY}” counts the deadlines of matters with no responsible attorney.",),
    )
