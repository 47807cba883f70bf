"""PD outcomes: the office's prosecutorial-discretion requests against the 2011–2012 national review.

The requests counted are those submitted in the range (a draft never submitted is not a request
yet). A request is closed when the judge granted the closure the offer led to (status "granted",
or "recalendared": closed, then put back on the calendar later). Days in a stage run from the
status change that entered it to the one that left it (LEAD over the PD track of status_changes),
or to now for the stage a request is still in; the median and 90th percentile are interpolated as
PostgreSQL's percentile_cont does, from the two rows either side of the rank, which a window
function picks out in SQL on both databases.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, literal, select
from sqlalchemy.orm import Session

from kantor_cases.db.models import Client, Matter, PdRequest, StatusChange
from kantor_cases.domain.reports import ChartSeries, ChartSpec, ReferenceLine, ReportTable
from kantor_cases.domain.statuses import PD_OPEN_STATUSES, PD_REGIMES, PD_STATUS_LABELS

from .scope import LIST_LIMIT, Scope, percent
from .shapes import Computed

CLOSED = ("granted", "recalendared")
# The steps of the status path, in order, with the words the report uses.
PATH: tuple[tuple[str, str], ...] = (
    ("submitted", "Submitted"), ("under_review", "Acknowledged"), ("offer_received", "Offer received"),
    ("background_check", "Background check"), ("cleared", "Cleared"), ("adverse", "Adverse"),
    ("offer_accepted", "Offer accepted"), ("offer_declined", "Offer declined"), ("granted", "Granted"),
    ("denied", "Denied"),
)
# Stages a request waits in, background check first (the one the 2011–2012 review stalled in).
STAGES: tuple[str, ...] = ("background_check", "submitted", "under_review", "info_requested", "offer_received",
                           "cleared", "offer_accepted", "joint_motion_filed", "no_response")
# The stages as a chart's axis names them (the table gives the full words).
STAGE_SHORT = {"background_check": "Background check", "submitted": "Submitted", "under_review": "Acknowledged",
               "info_requested": "Info requested", "offer_received": "Offer received", "cleared": "Cleared",
               "offer_accepted": "Accepted", "joint_motion_filed": "Joint motion", "no_response": "No response"}
_STILL_OPEN = tuple(sorted(PD_OPEN_STATUSES - {"draft"}))

# The national figures of the 2011–2012 review (../shared/reference/domain-research.md §2.3).
REFERENCE_LINES: tuple[ReferenceLine, ...] = (
    ReferenceLine("National: closed by 28 Jun 2012 (1.9 %)", 1.9,
                  "TRAC Immigration from EOIR data: 5,684 PD closures by 28 June 2012, 1.9 % of the 298,173 cases "
                  "pending at the end of September 2011 (https://trac.syr.edu/whatsnew/email.120723.html; "
                  "https://trac.syr.edu/immigration/reports/284/)"),
    ReferenceLine("National: found eligible by mid-2012 (6.4 %)", 6.4,
                  "ICE review figures as reported by TRAC and Immigration Impact: about 23,000 of nearly 360,000 "
                  "cases reviewed (6.4 %) provisionally eligible for closure "
                  "(https://trac.syr.edu/immigration/reports/278/; "
                  "http://immigrationimpact.com/2012/07/30/ice-numbers-on-prosecutorial-discretion-sliding-downward/)"),
    # DHS's own figure as the newspaper printed it; 20,600 of the 288,361 reviewed is 7.1 %, so the line is
    # labelled as reported rather than recomputed.
    ReferenceLine("National: DHS year-end expectation (about 9 %)", 9.0,
                  "DHS officials to The New York Times (Julia Preston, \"Deportations Continue Despite U.S. Review "
                  "of Backlog\", 6 June 2012): about 20,600 people in removal proceedings eligible to have their "
                  "cases closed, \"about nine per cent\", of 288,361 cases examined by 29 May 2012 "
                  "(as reported by CMC, http://www.clintonlindsay.com/2012/06/10/united-states-officials-admit-"
                  "that-deportations-continue-despite-review-of-backlog/; article named by "
                  "https://trac.syr.edu/immigration/reports/284/)"),
)


def first_submitted(session: Session) -> date | None:
    """The day the office's first PD request was submitted (the report's default start)."""
    return session.scalar(select(func.min(PdRequest.submitted_on)))


def _requests(scope: Scope, hidden_too: bool = False) -> Any:
    """PdRequest rows joined to their matter, submitted in the range and narrowed by the filters."""
    return (select(PdRequest.id).join(Matter, Matter.id == PdRequest.matter_id)
            .where(PdRequest.submitted_on >= scope.date_from, PdRequest.submitted_on <= scope.date_to,
                   *scope.matter_filters(hidden_too)))


def pd_outcomes(scope: Scope) -> Computed:
    session = scope.session
    in_scope = _requests(scope).subquery()
    by_regime = session.execute(
        select(PdRequest.regime, PdRequest.status, func.count())
        .where(PdRequest.id.in_(select(in_scope.c.id)))
        .group_by(PdRequest.regime, PdRequest.status).order_by(PdRequest.regime, PdRequest.status)).all()
    requests = sum(int(count) for *_rest, count in by_regime)
    closed = sum(int(count) for _regime, status, count in by_regime if status in CLOSED)
    reached = dict(session.execute(
        select(StatusChange.to_status, func.count(func.distinct(StatusChange.pd_request_id)))
        .where(StatusChange.track == "pd", StatusChange.pd_request_id.in_(select(in_scope.c.id)),
               StatusChange.to_status.in_([step for step, _label in PATH]))
        .group_by(StatusChange.to_status)).all())
    stages = _stage_days(scope, in_scope)
    stalled_count, stalled = _stalled(scope, in_scope)
    rate = percent(closed, requests)

    path_rows = tuple((label, int(reached.get(step, 0))) for step, label in PATH)
    stage_rows = tuple((PD_STATUS_LABELS[stage], count, median, p90) for stage, (count, median, p90) in stages.items())
    reference_rows = ((f"This office: {closed} of {requests} requests closed", rate, "Kantor Cases"),
                      *((line.label, line.value, line.source) for line in REFERENCE_LINES))
    restricted = scope.restricted_matters(
        select(Matter.id).select_from(PdRequest).join(Matter, Matter.id == PdRequest.matter_id)
        .where(PdRequest.submitted_on >= scope.date_from, PdRequest.submitted_on <= scope.date_to,
               *scope.matter_filters(hidden_too=True)))
    return Computed(
        tables=(
            ReportTable("Requests by regime and status", ("Regime", "Status", "Requests"),
                        tuple((PD_REGIMES.get(regime, regime), PD_STATUS_LABELS.get(status, status), int(count))
                              for regime, status, count in by_regime)),
            ReportTable("Requests that reached each step", ("Step", "Requests"), path_rows),
            ReportTable("Closure rate beside the national review", ("Figure", "Percent", "Source"), reference_rows),
            ReportTable("Days in each stage", ("Stage", "Requests", "Median days", "90th percentile days"),
                        stage_rows),
            ReportTable(f"Requests stalled longer than {scope.stall_days} days"
                        + (f" (first {LIST_LIMIT} of {stalled_count})" if stalled_count > len(stalled) else ""),
                        ("Client", "Matter", "Regime", "Status", "Since", "Days"), stalled),
        ),
        charts=(
            ChartSpec("Closure rate: this office and the 2011–2012 national review", "bar", ("This office",),
                      (ChartSeries("Closed (%)", (rate,)),), "Percent of requests", REFERENCE_LINES),
            ChartSpec("Requests that reached each step", "bar", tuple(label for label, _ in path_rows),
                      (ChartSeries("Requests", tuple(float(count) for _label, count in path_rows)),), "Requests"),
            ChartSpec("Days in each stage", "bar", tuple(STAGE_SHORT[stage] for stage in stages),
                      (ChartSeries("Median", tuple(row[2] for row in stage_rows)),
                       ChartSeries("90th percentile", tuple(row[3] for row in stage_rows))), "Days"),
        ),
        totals={"requests": requests, "closed": closed, "closure_rate_percent": rate, "stalled": stalled_count,
                "stall_days": scope.stall_days},
        restricted_matters=restricted,
    )


def _stage_days(scope: Scope, in_scope: Any) -> dict[str, tuple[int, float, float]]:
    """For each stage a request waited in: (requests, median days, 90th-percentile days)."""
    change = StatusChange
    left_at = func.lead(change.at).over(partition_by=change.pd_request_id, order_by=(change.at, change.id))
    spells = (select(change.pd_request_id, change.to_status.label("stage"), change.at.label("entered"),
                     left_at.label("left_at"))
              .where(change.track == "pd", change.pd_request_id.in_(select(in_scope.c.id)))).subquery()
    ended = func.coalesce(spells.c.left_at, scope.now_literal())
    days = (select(spells.c.stage, scope.days_between(ended, spells.c.entered).label("days"))
            .where(spells.c.stage.in_(STAGES))).subquery()
    ranked = select(
        days.c.stage, days.c.days,
        (func.row_number().over(partition_by=days.c.stage, order_by=days.c.days) - 1).label("rank"),
        func.count().over(partition_by=days.c.stage).label("n"),
    ).subquery()
    wanted = []
    for fraction in (0.5, 0.9):
        position = literal(fraction) * (ranked.c.n - 1)
        wanted.append(and_(ranked.c.rank + 1 > position, ranked.c.rank - 1 <= position))
    rows = scope.session.execute(
        select(ranked.c.stage, ranked.c.days, ranked.c.rank, ranked.c.n)
        .where(wanted[0] | wanted[1])).all()
    by_stage: dict[str, tuple[int, dict[int, float]]] = {}
    for stage, value, rank, n in rows:
        by_stage.setdefault(stage, (int(n), {}))[1][int(rank)] = float(value)
    result: dict[str, tuple[int, float, float]] = {}
    for stage in STAGES:
        if stage in by_stage:
            n, values = by_stage[stage]
            result[stage] = (n, _interpolated(values, n, 0.5), _interpolated(values, n, 0.9))
    return result


def _interpolated(values: dict[int, float], n: int, fraction: float) -> float:
    position = fraction * (n - 1)
    lower = int(position)
    low = values[lower]
    high = values.get(lower + 1, low)
    return round(low + (position - lower) * (high - low), 1)


def _stalled(scope: Scope, in_scope: Any) -> tuple[int, tuple[tuple[object, ...], ...]]:
    """Open requests whose status has not moved for longer than the stall limit: the count, and the
    longest-waiting ones."""
    before = scope.today - timedelta(days=scope.stall_days)
    condition = (PdRequest.id.in_(select(in_scope.c.id)), PdRequest.status.in_(_STILL_OPEN),
                 PdRequest.status_changed_on < before)
    count = int(scope.session.scalar(select(func.count()).select_from(PdRequest).where(*condition)) or 0)
    rows: list[Any] = list(scope.session.execute(
        select(*scope.client_columns(), Matter.id, PdRequest.regime, PdRequest.status, PdRequest.status_changed_on)
        .select_from(PdRequest).join(Matter, Matter.id == PdRequest.matter_id)
        .join(Client, Client.id == Matter.client_id)
        .where(*condition).order_by(PdRequest.status_changed_on, PdRequest.id).limit(LIST_LIMIT)).all())
    return count, tuple(
        (scope.client_label(client_id, given, middle, family, second), f"#{matter_id}",
         PD_REGIMES.get(regime, regime), PD_STATUS_LABELS.get(status, status), since, (scope.today - since).days)
        for client_id, given, middle, family, second, matter_id, regime, status, since in rows)
