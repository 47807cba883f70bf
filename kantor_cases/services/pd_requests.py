"""Prosecutorial discretion requests on removal defense matters: drafting one, moving it along its
statuses (each recorded and audited), and the office's list of them by status.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from kantor_cases.db.models import Client, Matter, Party, PdRequest, StatusChange
from kantor_cases.domain import names
from kantor_cases.domain import statuses as st
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.identifiers import format_a_number
from kantor_cases.domain.records import PdRequestDetails, PdRequestDraft, PdRequestRow
from kantor_cases.domain.validation import check_past_or_near

from . import audit, restricted
from .matter_parts import MatterPartService, client_name, status_history


def pd_details(session: Session, request: PdRequest) -> PdRequestDetails:
    matter = session.get(Matter, request.matter_id)
    client = session.get(Client, matter.client_id) if matter else None
    office = session.get(Party, request.opla_office_id) if request.opla_office_id else None
    history = status_history(session.scalars(select(StatusChange).where(StatusChange.pd_request_id == request.id)
                                       .order_by(StatusChange.id)))
    return PdRequestDetails(
        regime=request.regime, action_requested=request.action_requested,
        opla_office_id=request.opla_office_id, channel=request.channel, submitted_on=request.submitted_on,
        positive_factors=tuple(json.loads(request.positive_factors)),
        negative_factors=tuple(json.loads(request.negative_factors)), factors_notes=request.factors_notes,
        exhibits=tuple(json.loads(request.exhibits)), background_check=request.background_check,
        outcome=request.outcome, id=request.id, matter_id=request.matter_id,
        client_id=client.id if client else 0, client_name=client_name(client) if client else "",
        status=request.status, status_changed_on=request.status_changed_on,
        opla_office_name=office.name if office else "", version=request.version, history=history,
        allowed_next=tuple(st.allowed_next(st.PD_TRANSITIONS, request.status)))


# What the PD requests list sorts by, per column: (column, ascending when the list is). The age
# counts from the submission (or the start, for a draft): fewest days first is the latest date first.
PD_SORT_COLUMNS: dict[str, tuple[tuple[Any, bool], ...]] = {
    "client": ((Client.sort_name, True),),
    "a_number": ((Client.a_number, True),),
    "action": ((PdRequest.action_requested, True),),
    "status": ((PdRequest.status, True), (PdRequest.status_changed_on, True)),
    "age": ((func.coalesce(PdRequest.submitted_on, func.date(PdRequest.created_at)), False),),
    "submitted": ((PdRequest.submitted_on, True),),
}


class PdRequestService(MatterPartService):
    def create_pd_request(self, matter_id: int, draft: PdRequestDraft) -> PdRequestDetails:
        self.require("matters.edit")
        self._check_pd(draft)
        with self._db.write() as session:
            matter = self.load(session, Matter, matter_id, "Matter")
            if matter.kind != "removal":
                raise ValidationError({"matter": "A PD request belongs to a removal defense matter."})
            request = PdRequest(matter_id=matter_id, **self._pd_columns(draft), status="draft",
                                status_changed_on=self.clock.today(), created_by=self.user, updated_by=self.user)
            session.add(request)
            session.flush()
            session.add(StatusChange(matter_id=matter_id, pd_request_id=request.id, track="pd", from_status=None,
                                     to_status="draft", user_name=self.user, note="request started"))
            self._touch_matter(matter)
            audit.record(session, self.user, "create", "pd_request", request.id,
                         f"started a PD request ({st.PD_ACTIONS[draft.action_requested].lower()}, "
                         f"{st.PD_REGIMES[draft.regime]})", client_id=matter.client_id)
            session.flush()
            return pd_details(session, request)

    def update_pd_request(self, request_id: int, draft: PdRequestDraft, expected_version: int) -> PdRequestDetails:
        self.require("matters.edit")
        self._check_pd(draft)
        with self._db.write() as session:
            request = self.load(session, PdRequest, request_id, "PD request")
            self.check_version(request, expected_version, "This PD request")
            values = self._pd_columns(draft)
            matter = self.load(session, Matter, request.matter_id, "Matter")
            self.save_with_audit(session, request, values, "pd_request", "edited the PD request",
                                 client_id=matter.client_id)
            self._touch_matter(matter)
            session.flush()
            return pd_details(session, request)

    def change_pd_status(self, request_id: int, to_status: str, note: str, expected_version: int) -> PdRequestDetails:
        self.require("matters.edit")
        with self._db.write() as session:
            request = self.load(session, PdRequest, request_id, "PD request")
            self.check_version(request, expected_version, "This PD request")
            self._check_step(st.PD_TRANSITIONS, request.status, to_status, "PD request status")
            matter = self.load(session, Matter, request.matter_id, "Matter")
            change = StatusChange(matter_id=request.matter_id, pd_request_id=request_id, track="pd",
                                  from_status=request.status, to_status=to_status, user_name=self.user,
                                  note=note.strip())
            session.add(change)
            audit.record(session, self.user, "status", "pd_request", request_id,
                         f"moved the PD request from “{st.PD_STATUS_LABELS[request.status]}” to "
                         f"“{st.PD_STATUS_LABELS[to_status]}”" + (f": {note.strip()}" if note.strip() else ""),
                         {"status": [request.status, to_status]}, client_id=matter.client_id)
            request.status = to_status
            request.status_changed_on = self.clock.today()
            if to_status == "submitted" and request.submitted_on is None:
                request.submitted_on = self.clock.today()
            if to_status == "background_check":
                request.background_check = "pending"
            elif to_status in ("cleared", "adverse"):
                request.background_check = to_status
            self.touch(request)
            self._touch_matter(matter)
            session.flush()
            details = pd_details(session, request)
        self._remember(change.id)
        return details

    def get_pd_request(self, request_id: int) -> PdRequestDetails:
        with self._db.read() as session:
            request = self.load(session, PdRequest, request_id, "PD request")
            client_id = session.scalar(select(Matter.client_id).where(Matter.id == request.matter_id))
            restricted.refuse_hidden(session, self.user, client_id, "PD request", request_id)
            return pd_details(session, request)

    def pd_requests(self, status: str | None = None, offset: int = 0, limit: int = 500, sort: str | None = None,
                    descending: bool = False) -> list[PdRequestRow]:
        """One page of the requests (in `status`, or all), sorted in SQL by `sort` (a key of
        PD_SORT_COLUMNS; None: longest in their status first)."""
        today = self.clock.today()
        with self._db.read() as session:
            statement = (select(PdRequest, Client.given_name, Client.middle_name, Client.family_name,
                                Client.second_family_name, Client.a_number, Client.id.label("client_id"),
                                Client.sensitive)
                         .join(Matter, Matter.id == PdRequest.matter_id).join(Client, Client.id == Matter.client_id))
            if status:
                statement = statement.where(PdRequest.status == status)
            statement = restricted.visible(statement, Matter.client_id, restricted.hidden_client_ids(session, self.user))
            columns = PD_SORT_COLUMNS.get(sort or "", ((PdRequest.status_changed_on, True),))
            order = [column.asc() if ascending != descending else column.desc() for column, ascending in columns]
            statement = statement.order_by(*order, PdRequest.id.desc() if descending else PdRequest.id)
            statement = statement.offset(offset).limit(limit)
            rows = []
            for request, given, middle, family, second, a_number, client_id, sensitive in session.execute(statement):
                started = request.submitted_on or request.created_at.date()
                rows.append(PdRequestRow(
                    request.id, request.matter_id, client_id, names.full_name(given, middle, family, second),
                    format_a_number(a_number), request.status, st.PD_STATUS_LABELS[request.status],
                    request.action_requested, request.regime, request.submitted_on, (today - started).days,
                    st.PD_NEXT_STEP[request.status], bool(sensitive)))
            return rows

    def count_pd_requests(self, status: str | None = None) -> int:
        with self._db.read() as session:
            statement = self._visible(session, select(func.count()).select_from(PdRequest))
            if status:
                statement = statement.where(PdRequest.status == status)
            return int(session.execute(statement).scalar_one())

    def pd_status_counts(self) -> dict[str, int]:
        with self._db.read() as session:
            counts = dict(session.execute(self._visible(session, select(PdRequest.status, func.count()))
                                          .group_by(PdRequest.status)).all())
        return {status: int(counts.get(status, 0)) for status in st.PD_STATUS_LABELS}

    def _visible(self, session: Session, statement: Any) -> Any:
        """`statement` over PD requests without the restricted clients' the user may not see."""
        hidden = restricted.hidden_client_ids(session, self.user)
        if not hidden:
            return statement
        return statement.where(PdRequest.matter_id.not_in(select(Matter.id).where(Matter.client_id.in_(hidden))))

    def _check_pd(self, draft: PdRequestDraft) -> None:
        errors = {}
        if draft.regime not in st.PD_REGIMES:
            errors["regime"] = "Choose the PD regime the request is made under."
        if draft.action_requested not in st.PD_ACTIONS:
            errors["action_requested"] = "Choose the action requested."
        unknown = [f for f in (*draft.positive_factors, *draft.negative_factors)
                   if f not in st.PD_POSITIVE_FACTORS and f not in st.PD_NEGATIVE_FACTORS]
        if unknown:
            errors["factors"] = f"Unknown factors: {', '.join(unknown)}."
        if draft.background_check not in st.BACKGROUND_CHECK_STATES:
            errors["background_check"] = "Choose not started, pending, cleared or adverse."
        error = check_past_or_near(draft.submitted_on, "The submission date", self.clock.today())
        if error:
            errors["submitted_on"] = error
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _pd_columns(draft: PdRequestDraft) -> dict[str, Any]:
        return {"regime": draft.regime, "action_requested": draft.action_requested,
                "opla_office_id": draft.opla_office_id, "channel": names.clean(draft.channel),
                "submitted_on": draft.submitted_on,
                "positive_factors": json.dumps(list(draft.positive_factors)),
                "negative_factors": json.dumps(list(draft.negative_factors)),
                "factors_notes": draft.factors_notes.strip(),
                "exhibits": json.dumps([e.strip() for e in draft.exhibits if e.strip()], ensure_ascii=False),
                "background_check": draft.background_check, "outcome": draft.outcome.strip()}

    def has_pending_pd(self, matter_id: int) -> bool:
        with self._db.read() as session:
            return bool(session.execute(select(exists().where(and_(
                PdRequest.matter_id == matter_id, PdRequest.status.in_(st.PD_OPEN_STATUSES))))).scalar())
