"""Deadlines kept: of the deadlines due in the range (the current ones: a deadline superseded by a
moved trigger date is counted once, as its replacement), how many were done on time (on or before
the due day), done late, missed (not done, the day passed), still open, and overridden by an
attorney (with the reasons); per responsible attorney and per rule."""

from __future__ import annotations

from sqlalchemy import func, select

from kantor_cases.db.models import Client, Deadline, Matter, User
from kantor_cases.domain.reports import ChartSeries, ChartSpec, ReportTable

from .scope import LIST_LIMIT, NO_ATTORNEY, Scope, count_where, percent
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

    # One pass: the counts per responsible attorney and rule; per attorney, per rule and the totals
    # are sums of those few groups (three passes over a year of deadlines took three times as long).
    groups = session.execute(
        select(Matter.responsible_attorney_id, Deadline.rule_id, *counts)
        .select_from(Deadline).join(Matter, Matter.id == Deadline.matter_id)
        .where(*current, *scope.matter_filters())
        .group_by(Matter.responsible_attorney_id, Deadline.rule_id)).all()
    names: dict[int, str] = dict(session.execute(select(User.id, User.name)).all())
    per_attorney_counts: dict[str, list[int]] = {}
    per_rule_counts: dict[str, list[int]] = {}
    totals = [0] * len(COLUMNS)
    for attorney_id, rule_id, *values in groups:
        attorney = names.get(attorney_id, NO_ATTORNEY) if attorney_id is not None else NO_ATTORNEY
        for bucket in (per_attorney_counts.setdefault(attorney, [0] * len(COLUMNS)),
                       per_rule_counts.setdefault(rule_id or TYPED_IN, [0] * len(COLUMNS)), totals):
            for index, value in enumerate(values):
                bucket[index] += int(value)
    per_attorney = [(name, *per_attorney_counts[name]) for name in sorted(per_attorney_counts)]
    per_rule = [(name, *per_rule_counts[name]) for name in sorted(per_rule_counts)]
    due, on_time, late, missed, still_open, overridden = totals

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
            ChartSpec("Deadlines per attorney", "bar", tuple(sorted(per_attorney_counts)),
                      tuple(ChartSeries(name, tuple(float(per_attorney_counts[attorney][index])
                                                    for attorney in sorted(per_attorney_counts)))
                            for index, name in ((1, "On time"), (2, "Late"), (3, "Missed"))), "Deadlines"),
        ),
        totals={"due": due, "on_time": on_time, "late": late, "missed": missed, "open": still_open,
                "overridden": overridden, "kept_percent": percent(on_time, decided)},
        restricted_matters=restricted,
        notes=() if not any(row[0] == NO_ATTORNEY for row in per_attorney) else
        (f"“{NO_ATTORNEY}” counts the deadlines of matters with no responsible attorney.",),
    )
