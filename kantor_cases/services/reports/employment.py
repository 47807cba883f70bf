"""Employment claims: the employment and labor matters open at some time in the range, by agency
(EEOC, CRD, DLSE, NLRB and the LWDA's PAGA notices) and by stage; the right-to-sue notices issued
and received in the range; and the suit deadlines ahead (the time to sue once a notice is in hand,
and the limitation periods of claims that go straight to court)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, or_, select

from kantor_cases.db.models import AgencyFiling, Client, Deadline, Matter
from kantor_cases.domain.reports import ChartSeries, ChartSpec, ReportTable
from kantor_cases.domain.statuses import government_status_label

from .scope import LIST_LIMIT, Scope, count_where
from .shapes import Computed

KINDS = ("employment", "labor")
AGENCY_LABELS = {"eeoc": "EEOC", "crd": "CRD", "dlse": "DLSE", "lwda": "PAGA (LWDA)", "nlrb": "NLRB"}
SUIT_RULES = ("eeoc-suit", "crd-suit", "wrongful-termination", "wage-claim", "gov-claim-911")


def employment(scope: Scope) -> Computed:
    session = scope.session
    active = (Matter.kind.in_(KINDS), Matter.opened_on <= scope.date_to,
              or_(Matter.closed_on.is_(None), Matter.closed_on >= scope.date_from))
    narrowed = scope.matter_filters()

    def stage_label(kind: str, stage: str | None) -> str:
        return government_status_label(kind, stage) or "(no stage)"

    # One pass over the filings: the claims active in the range per agency and stage, and the
    # right-to-sue notices issued and received in the range.
    def in_range(column: Any) -> Any:
        return (column >= scope.date_from) & (column <= scope.date_to)

    filings = session.execute(
        select(AgencyFiling.agency, Matter.kind, Matter.government_status,
               func.count(func.distinct(case((and_(*active), Matter.id)))),
               count_where(in_range(AgencyFiling.right_to_sue_issued_on)),
               count_where(in_range(AgencyFiling.right_to_sue_received_on)))
        .select_from(AgencyFiling).join(Matter, Matter.id == AgencyFiling.matter_id)
        .where(Matter.kind.in_(KINDS), *narrowed)
        .group_by(AgencyFiling.agency, Matter.kind, Matter.government_status)
        .order_by(AgencyFiling.agency, Matter.government_status)).all()
    by_agency = [(agency, kind, stage, int(count)) for agency, kind, stage, count, _issued, _received in filings
                 if count]
    notices_by_agency: dict[str, list[int]] = {}
    for agency, _kind, _stage, _count, issued, received in filings:
        counts = notices_by_agency.setdefault(agency, [0, 0])
        counts[0] += int(issued)
        counts[1] += int(received)
    notices = [(agency, issued, received) for agency, (issued, received) in notices_by_agency.items()]
    by_stage = session.execute(
        select(Matter.kind, Matter.government_status, func.count()).where(*active, *narrowed)
        .group_by(Matter.kind, Matter.government_status).order_by(Matter.kind, func.count().desc())).all()

    ahead: tuple[Any, ...] = (Deadline.rule_id.in_(SUIT_RULES), Deadline.done_at.is_(None),
                              Deadline.superseded_at.is_(None), Deadline.due_on >= scope.today,
                              Matter.kind.in_(KINDS), *narrowed)
    # The count of them all rides along with the first rows (one pass over the open deadlines).
    suits = session.execute(
        select(Deadline.due_on, *scope.client_columns(), Deadline.title, Deadline.assignee, func.count().over())
        .select_from(Deadline).join(Matter, Matter.id == Deadline.matter_id)
        .join(Client, Client.id == Matter.client_id).where(*ahead)
        .order_by(Deadline.due_on, Deadline.id).limit(LIST_LIMIT)).all()
    suits_count = int(suits[0][-1]) if suits else 0

    per_agency: dict[str, int] = {}
    for agency, _kind, _stage, count in by_agency:
        per_agency[agency] = per_agency.get(agency, 0) + int(count)
    restricted = scope.restricted_matters(select(Matter.id).where(*active, *scope.matter_filters(hidden_too=True)))
    return Computed(
        tables=(
            ReportTable("Claims by agency and stage", ("Agency", "Stage", "Claims"),
                        tuple((AGENCY_LABELS.get(agency, agency), stage_label(kind, stage), int(count))
                              for agency, kind, stage, count in by_agency)),
            ReportTable("Claims by stage", ("Kind", "Stage", "Claims"),
                        tuple((kind.capitalize(), stage_label(kind, stage), int(count))
                              for kind, stage, count in by_stage)),
            ReportTable("Right-to-sue notices in the range", ("Agency", "Issued", "Received"),
                        tuple((AGENCY_LABELS.get(agency, agency), int(issued), int(received))
                              for agency, issued, received in notices)),
            ReportTable("Suit deadlines ahead" + (f" (first {LIST_LIMIT} of {suits_count})"
                                                   if suits_count > LIST_LIMIT else ""),
                        ("Due", "Client", "Deadline", "Assigned to"),
                        tuple((str(due), scope.client_label(cid, given, middle, family, second), title, assignee)
                              for due, cid, given, middle, family, second, title, assignee, _all in suits)),
        ),
        charts=(
            ChartSpec("Claims per agency", "bar", tuple(AGENCY_LABELS.get(a, a) for a in per_agency),
                      (ChartSeries("Claims", tuple(float(v) for v in per_agency.values())),), "Claims"),
        ),
        totals={"claims": sum(int(row[2]) for row in by_stage), "right_to_sue_issued": sum(int(row[1]) for row in notices),
                "right_to_sue_received": sum(int(row[2]) for row in notices), "suit_deadlines_ahead": suits_count},
        restricted_matters=restricted,
    )
