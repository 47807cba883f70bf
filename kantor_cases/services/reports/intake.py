"""Intake: the clients taken in (by their intake date) and the matters opened each month of the
range, the new clients by referral source, language and country of birth, and the conflict checks of
the new matters — run, with possible conflicts found, and acknowledged.

A matter's conflict check is the JSON services/matters.py stores (`{"candidate": …, "hits": [...]}`,
or "" when none was run); a check that found something has a hit object in its list, which a LIKE
finds without parsing the JSON row by row. Narrowed to an attorney or a kind, a client counts when
one of their matters is that attorney's or of that kind.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, func, select

from kantor_cases.db.models import Client, Matter
from kantor_cases.domain.reports import ChartSeries, ChartSpec, ReportTable

from .scope import Scope, count_where, months_between
from .shapes import Computed

TOP = 15
NOT_RECORDED = "(not recorded)"
FOUND_SOMETHING = '%"hits": [{%'


def intake(scope: Scope) -> Computed:
    session = scope.session
    new_clients: list[Any] = [Client.intake_date >= scope.date_from, Client.intake_date <= scope.date_to]
    if scope.attorney_id is not None or scope.kind is not None:
        new_clients.append(exists().where(Matter.client_id == Client.id, *scope.matter_filters(hidden_too=True)))
    shown_clients = [*new_clients, Client.id.not_in(scope.hidden)] if scope.hidden else new_clients
    new_matters = [Matter.opened_on >= scope.date_from, Matter.opened_on <= scope.date_to, *scope.matter_filters()]

    client_month = scope.month(Client.intake_date)
    clients_per_month: dict[str, int] = dict(session.execute(
        select(client_month, func.count()).where(*shown_clients).group_by(client_month)).all())
    matter_month = scope.month(Matter.opened_on)
    matters_per_month: dict[str, int] = dict(session.execute(
        select(matter_month, func.count()).where(*new_matters).group_by(matter_month)).all())
    months = months_between(scope.date_from, scope.date_to)
    per_month = tuple((m, int(clients_per_month.get(m, 0)), int(matters_per_month.get(m, 0))) for m in months)

    def top(column: Any) -> tuple[tuple[object, ...], ...]:
        value = func.coalesce(func.nullif(func.trim(column), ""), NOT_RECORDED)
        rows = session.execute(select(value, func.count()).where(*shown_clients).group_by(value)
                               .order_by(func.count().desc(), value)).all()
        shown = [(name, int(count)) for name, count in rows[:TOP]]
        rest = sum(int(count) for _name, count in rows[TOP:])
        if rest:
            shown.append((f"{len(rows) - TOP} others", rest))
        return tuple(shown)

    checked = Matter.conflict_check != ""
    conflicts = session.execute(
        select(func.count(), count_where(checked), count_where(checked & Matter.conflict_check.like(FOUND_SOMETHING)),
               count_where(Matter.conflict_acknowledged_by != ""))
        .where(*new_matters)).one()
    opened, run, found, acknowledged = (int(value) for value in conflicts)

    restricted_clients = 0
    if scope.hidden:
        restricted_clients = int(session.scalar(
            select(func.count()).where(*new_clients, Client.id.in_(scope.hidden))) or 0)
    restricted_matters = scope.restricted_matters(
        select(Matter.id).where(Matter.opened_on >= scope.date_from, Matter.opened_on <= scope.date_to,
                                *scope.matter_filters(hidden_too=True)))
    return Computed(
        tables=(
            ReportTable("New clients and matters per month", ("Month", "New clients", "New matters"), per_month),
            ReportTable("New clients by referral source", ("Source", "Clients"), top(Client.referral_source)),
            ReportTable("New clients by language", ("Language", "Clients"), top(Client.preferred_language)),
            ReportTable("New clients by country of birth", ("Country of birth", "Clients"),
                        top(Client.country_of_birth)),
            ReportTable("Conflict checks of the new matters",
                        ("Matters opened", "Checked", "Possible conflicts found", "Acknowledged"),
                        ((opened, run, found, acknowledged),)),
        ),
        charts=(
            ChartSpec("New clients and matters per month", "line", tuple(months),
                      (ChartSeries("New clients", tuple(float(row[1]) for row in per_month)),
                       ChartSeries("New matters", tuple(float(row[2]) for row in per_month))), "Count"),
        ),
        totals={"new_clients": sum(row[1] for row in per_month), "new_matters": opened,
                "conflict_checks": run, "conflicts_found": found},
        restricted_matters=restricted_matters,
        restricted_clients=restricted_clients,
    )
