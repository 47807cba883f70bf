"""Matters: opening one (with its removal case, employment claim or first benefit application),
the office's list of them, the removal case and its EOIR verification, and the firm and government
status histories. A matter's hearings, PD requests, employment claim and benefit applications have
services of their own (hearings, pd_requests, employment, benefits); a matter's details gather them.

Status changes only move along the allowed paths of `domain/statuses.py`; each is recorded with
who, when and a note, and audited, in the same transaction as the change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kantor_cases.db.base import now
from kantor_cases.db.models import (
    BenefitApplication,
    Client,
    Court,
    EmploymentClaim,
    Hearing,
    Matter,
    PdRequest,
    RemovalCase,
    StatusChange,
    User,
)
from kantor_cases.domain import names
from kantor_cases.domain import statuses as st
from kantor_cases.domain.agenda_records import DeadlineRecord
from kantor_cases.domain.decisions import decision_events
from kantor_cases.domain.errors import StatusChangeError, ValidationError
from kantor_cases.domain.records import (
    ConflictReport,
    EmploymentClaimDraft,
    MatterDetails,
    MatterDraft,
    MatterRow,
    RemovalCaseDetails,
    RemovalCaseDraft,
)
from kantor_cases.domain.validation import check_past_or_near

from . import audit, restricted, search
from .base import Service
from .benefits import add_benefit, benefit_details
from .deadlines import to_record, withdraw_for_change
from .employment import apply_employment, employment_details
from .follow_ups import close_eoir_follow_ups, close_retainer_follow_ups
from .hearings import hearing_rows
from .matter_parts import MatterPartService, client_name, status_history
from .pd_requests import pd_details


@dataclass(frozen=True)
class StatusRecorded:
    """A status change saved: the matter as it now is, the change's id (to undo it) and the
    deadlines it set off (a decision's appeal deadline), so the window can say what was created."""

    details: MatterDetails
    change_id: int
    deadlines: tuple[DeadlineRecord, ...] = ()


@dataclass(frozen=True)
class UndoableChange:
    """The last status change the acting user made in this sitting, as an undo offer names it."""

    change_id: int
    matter_id: int
    client_id: int
    client_name: str
    track: str  # firm / government / pd
    from_label: str
    to_label: str
    at: datetime

    def describe(self) -> str:
        what = {"firm": "our status", "government": "the court/agency status", "pd": "the PD request's status"}
        return (f"{what.get(self.track, 'the status')} “{self.to_label}” (was “{self.from_label}”) for "
                f"{self.client_name}, recorded {self.at:%d %b %Y %H:%M}")


@dataclass(frozen=True)
class StatusUndone:
    details: MatterDetails
    withdrawn: tuple[DeadlineRecord, ...]  # the deadlines the change had set off, now history


def status_label(kind: str, track: str, status: str | None) -> str:
    if not status:
        return ""
    if track == "firm":
        return st.FirmStatus(status).label
    if track == "pd":
        return st.PD_STATUS_LABELS.get(status, status)
    return st.government_status_label(kind, status)


def is_final_outcome(kind: str, track: str, status: str) -> bool:
    """Whether recording `status` ends something (statuses.FINAL_OUTCOMES): the window asks first."""
    return status in st.final_outcomes(kind, track)


def matter_details(session: Session, matter_id: int) -> MatterDetails:
    """A matter with its parts and history, read inside the caller's transaction."""
    matter = Service.load(session, Matter, matter_id, "Matter")
    client = session.get(Client, matter.client_id)
    attorney = session.get(User, matter.responsible_attorney_id) if matter.responsible_attorney_id else None
    history = status_history(session.scalars(select(StatusChange).where(
        StatusChange.matter_id == matter_id, StatusChange.pd_request_id.is_(None)).order_by(StatusChange.id)))
    removal = session.get(RemovalCase, matter_id)
    removal_details = None
    if removal is not None:
        court = session.get(Court, removal.court_id) if removal.court_id else None
        removal_details = RemovalCaseDetails(
            court_id=removal.court_id, judge=removal.judge, proceeding_type=removal.proceeding_type,
            custody=removal.custody, nta_date=removal.nta_date, charges=removal.charges,
            relief_sought=tuple(json.loads(removal.relief_sought or "[]")), matter_id=matter_id,
            court_code=court.code if court else "", court_name=court.name if court else "",
            last_verified_on=removal.last_verified_on, last_verified_via=removal.last_verified_via,
            version=removal.version)
    claim = session.get(EmploymentClaim, matter_id)
    employment = employment_details(session, claim) if claim is not None else None
    benefits = tuple(benefit_details(b) for b in session.scalars(
        select(BenefitApplication).where(BenefitApplication.matter_id == matter_id)
        .order_by(BenefitApplication.id)))
    hearing_ids = list(session.scalars(select(Hearing.id).where(Hearing.matter_id == matter_id)
                                       .order_by(Hearing.starts_at)))
    by_id = {h.id: h for h in hearing_rows(session, hearing_ids)}
    hearings = tuple(by_id[i] for i in hearing_ids)
    pd_requests = tuple(pd_details(session, p) for p in session.scalars(
        select(PdRequest).where(PdRequest.matter_id == matter_id).order_by(PdRequest.id)))
    transitions = st.GOVERNMENT_STATUS_PATHS.get(matter.kind, (None, {}))[1]
    return MatterDetails(
        id=matter.id, client_id=matter.client_id, client_name=client_name(client) if client else "",
        kind=matter.kind, title=matter.title, responsible_attorney_id=matter.responsible_attorney_id,
        responsible_attorney=attorney.name if attorney else "", opened_on=matter.opened_on,
        closed_on=matter.closed_on, firm_status=matter.firm_status,
        government_status=matter.government_status, version=matter.version,
        conflict_check=matter.conflict_check, conflict_acknowledged_by=matter.conflict_acknowledged_by,
        conflict_acknowledged_at=matter.conflict_acknowledged_at, removal=removal_details,
        employment=employment, benefits=benefits, hearings=hearings, pd_requests=pd_requests,
        history=history,
        allowed_firm_next=tuple(st.allowed_next(st.FIRM_TRANSITIONS, matter.firm_status)),
        allowed_government_next=tuple(st.allowed_next(transitions, matter.government_status))
        if transitions else (),
    )


class MatterService(MatterPartService):
    def create(self, client_id: int, draft: MatterDraft, conflict_report: ConflictReport | None = None,
               conflict_acknowledged: bool = False) -> MatterDetails:
        self.require("matters.edit")
        with self._db.write() as session:
            matter_id = self.create_in(session, client_id, draft, conflict_report, conflict_acknowledged)
        return self.get(matter_id)

    def create_in(self, session: Session, client_id: int, draft: MatterDraft,
                  conflict_report: ConflictReport | None = None, conflict_acknowledged: bool = False) -> int:
        """Create a matter inside a caller's transaction (intake creates client and matter in one)."""
        try:
            kind = st.MatterKind(draft.kind)
        except ValueError:
            raise ValidationError({"kind": "Choose removal defense, benefit, employment, labor or other."}) from None
        client = self.load(session, Client, client_id, "Client")
        if conflict_report is not None and conflict_report.hits and not conflict_acknowledged:
            raise ValidationError({"conflict_check": "Look at the possible conflicts and acknowledge them first."})
        opened = draft.opened_on or self.clock.today()
        error = check_past_or_near(opened, "The opening date", self.clock.today())
        if error:
            raise ValidationError({"opened_on": error})
        if draft.responsible_attorney_id is not None:
            self.load(session, User, draft.responsible_attorney_id, "User")
        government_start = st.GOVERNMENT_STATUS_PATHS.get(kind.value, (None, {}))[0]
        matter = Matter(
            client_id=client_id, kind=kind.value, title=names.clean(draft.title) or kind.label,
            responsible_attorney_id=draft.responsible_attorney_id, opened_on=opened,
            firm_status="intake", government_status=government_start, created_by=self.user,
            updated_by=self.user,
            conflict_check=json.dumps(_report_json(conflict_report), ensure_ascii=False) if conflict_report else "",
            conflict_acknowledged_by=self.user if conflict_report is not None and conflict_acknowledged else "",
            conflict_acknowledged_at=now() if conflict_report is not None and conflict_acknowledged else None,
        )
        session.add(matter)
        session.flush()
        session.add(StatusChange(matter_id=matter.id, track="firm", from_status=None, to_status="intake",
                                 user_name=self.user, note="matter opened"))
        if government_start:
            session.add(StatusChange(matter_id=matter.id, track="government", from_status=None,
                                     to_status=government_start, user_name=self.user, note="matter opened"))
        if kind is st.MatterKind.REMOVAL:
            self._apply_removal(session, matter.id, draft.removal or RemovalCaseDraft(), None)
        elif kind is st.MatterKind.EMPLOYMENT:
            apply_employment(self, session, matter.id, draft.employment or EmploymentClaimDraft(), None)
        elif kind is st.MatterKind.BENEFIT and draft.benefit is not None:
            add_benefit(self, session, matter.id, draft.benefit)
        session.flush()
        search.reindex_matter(session, matter)
        audit.record(session, self.user, "create", "matter", matter.id,
                     f"opened a {kind.label.lower()} matter “{matter.title}” for {client_name(client)}",
                     client_id=client_id)
        return matter.id

    def get(self, matter_id: int) -> MatterDetails:
        with self._db.read() as session:
            client_id = session.scalar(select(Matter.client_id).where(Matter.id == matter_id))
            restricted.refuse_hidden(session, self.user, client_id, "Matter", matter_id)
            return matter_details(session, matter_id)

    def view(self, matter_id: int) -> MatterDetails:
        """The matter as a person opens it (its window, `matters show`): a restricted client's matter
        is audited as viewed."""
        details = self.get(matter_id)
        with self._db.read() as session:
            is_restricted = restricted.restriction(session, details.client_id).restricted
        if is_restricted:
            with self._db.write() as session:
                audit.record(session, self.user, "view", "matter", matter_id,
                             "viewed a matter of the restricted client", client_id=details.client_id)
        return details

    def for_client(self, client_id: int) -> list[MatterRow]:
        with self._db.read() as session:
            restricted.refuse_hidden(session, self.user, client_id, "Client", client_id)
            statement = self._rows_statement().where(Matter.client_id == client_id).order_by(Matter.opened_on.desc())
            return [self._row(r) for r in session.execute(statement)]

    def count(self, kind: str | None = None, firm_status: str | None = None) -> int:
        with self._db.read() as session:
            statement = select(func.count()).select_from(Matter)
            if kind:
                statement = statement.where(Matter.kind == kind)
            if firm_status:
                statement = statement.where(Matter.firm_status == firm_status)
            hidden = restricted.hidden_client_ids(session, self.user)
            return int(session.execute(restricted.visible(statement, Matter.client_id, hidden)).scalar_one())

    def page(self, offset: int, limit: int, kind: str | None = None, firm_status: str | None = None,
             total: int | None = None) -> list[MatterRow]:
        """Newest matters first; past the middle the query runs from the other end (cheap last page)."""
        if total is None:
            total = self.count(kind, firm_status)
        offset = max(0, min(offset, total))
        limit = max(0, min(limit, total - offset))
        if limit == 0:
            return []
        reverse = offset > total // 2
        with self._db.read() as session:
            # The page's ids first, from the matters table (or an index) alone: SQLite evaluates an OFFSET's
            # skipped rows in full, and skipping 100,000 joined rows took 350 ms.
            ids = restricted.visible(select(Matter.id), Matter.client_id,
                                     restricted.hidden_client_ids(session, self.user))
            if kind:
                ids = ids.where(Matter.kind == kind)
            if firm_status:
                ids = ids.where(Matter.firm_status == firm_status)
            if reverse:
                ids = ids.order_by(Matter.id).offset(total - offset - limit).limit(limit)
            else:
                ids = ids.order_by(Matter.id.desc()).offset(offset).limit(limit)
            page_ids = list(session.scalars(ids))
            found = {r.id: self._row(r) for r in session.execute(self._rows_statement()
                                                                   .where(Matter.id.in_(page_ids)))}
        rows = [found[i] for i in page_ids if i in found]
        return rows[::-1] if reverse else rows

    @staticmethod
    def _rows_statement() -> Any:
        return (select(Matter.id, Matter.client_id, Client.given_name, Client.middle_name, Client.family_name,
                       Client.second_family_name, Matter.kind, Matter.title, Matter.firm_status,
                       Matter.government_status, User.name.label("attorney"), Matter.opened_on, Matter.closed_on,
                       Client.sensitive)
                .join(Client, Client.id == Matter.client_id)
                .outerjoin(User, User.id == Matter.responsible_attorney_id))

    @staticmethod
    def _row(r: Any) -> MatterRow:
        return MatterRow(r.id, r.client_id, names.full_name(r.given_name, r.middle_name, r.family_name,
                                                            r.second_family_name),
                         r.kind, r.title, r.firm_status, r.government_status, r.attorney or "", r.opened_on,
                         r.closed_on, bool(r.sensitive))

    def update(self, matter_id: int, expected_version: int, title: str | None = None,
               responsible_attorney_id: int | None = None) -> MatterDetails:
        self.require("matters.edit")
        with self._db.write() as session:
            matter = self.load(session, Matter, matter_id, "Matter")
            self.check_version(matter, expected_version, "This matter")
            before = {"title": matter.title, "responsible_attorney_id": matter.responsible_attorney_id}
            if title is not None:
                matter.title = names.clean(title) or matter.title
            if responsible_attorney_id is not None:
                self.load(session, User, responsible_attorney_id, "User")
                matter.responsible_attorney_id = responsible_attorney_id
            changes = audit.diff(before, {"title": matter.title,
                                          "responsible_attorney_id": matter.responsible_attorney_id})
            if changes:
                self._touch_matter(matter)
                search.reindex_matter(session, matter)
                audit.record(session, self.user, "update", "matter", matter.id, "edited the matter", changes,
                             client_id=matter.client_id)
            return matter_details(session, matter_id)

    # --- statuses ------------------------------------------------------------------------------------

    def change_firm_status(self, matter_id: int, to_status: str, note: str, expected_version: int) -> MatterDetails:
        return self.record_firm_status(matter_id, to_status, note, expected_version).details

    def record_firm_status(self, matter_id: int, to_status: str, note: str, expected_version: int) -> StatusRecorded:
        with self._db.write() as session:
            matter = self.load(session, Matter, matter_id, "Matter")
            self.check_version(matter, expected_version, "This matter")
            # Closing a matter, or reopening a closed one, is an attorney's call; the other steps are not.
            self.require("matter.close" if "closed" in (matter.firm_status, to_status) else "matters.edit", session)
            self._check_step(st.FIRM_TRANSITIONS, matter.firm_status, to_status, "firm status")
            change = StatusChange(matter_id=matter_id, track="firm", from_status=matter.firm_status,
                                  to_status=to_status, user_name=self.user, note=note.strip())
            session.add(change)
            audit.record(session, self.user, "status", "matter", matter_id,
                         f"moved the matter from {matter.firm_status} to {to_status}"
                         + (f": {note.strip()}" if note.strip() else ""),
                         {"firm_status": [matter.firm_status, to_status]}, client_id=matter.client_id)
            matter.firm_status = to_status
            matter.closed_on = self.clock.today() if to_status == "closed" else None
            if to_status == "engaged":
                close_retainer_follow_ups(session, [matter_id], self.user)
            self._touch_matter(matter)
            session.flush()
            recorded = StatusRecorded(matter_details(session, matter_id), change.id)
        self._remember(recorded.change_id)
        return recorded

    def change_government_status(self, matter_id: int, to_status: str, note: str, expected_version: int,
                                 decision_date: date | None = None) -> MatterDetails:
        return self.record_government_status(matter_id, to_status, note, expected_version, decision_date).details

    def record_government_status(self, matter_id: int, to_status: str, note: str, expected_version: int,
                                 decision_date: date | None = None) -> StatusRecorded:
        """Record what the court or agency says; a decision sets off its deadlines (services/deadlines),
        which the result lists."""
        self.require("decision.record" if to_status in st.DECISION_STATUSES else "matters.edit")
        with self._db.write() as session:
            matter = self.load(session, Matter, matter_id, "Matter")
            self.check_version(matter, expected_version, "This matter")
            transitions = st.GOVERNMENT_STATUS_PATHS.get(matter.kind, (None, {}))[1]
            if not transitions:
                raise StatusChangeError("This kind of matter has no government status.")
            self._check_step(transitions, matter.government_status, to_status, "court/agency status")
            if decision_date is not None:
                error = check_past_or_near(decision_date, "The decision date", self.clock.today())
                if error:
                    raise ValidationError({"decision_date": error})
            change = StatusChange(matter_id=matter_id, track="government", from_status=matter.government_status,
                                  to_status=to_status, user_name=self.user, note=note.strip())
            session.add(change)
            label_from = st.government_status_label(matter.kind, matter.government_status)
            label_to = st.government_status_label(matter.kind, to_status)
            audit.record(session, self.user, "status", "matter", matter_id,
                         f"recorded the government status “{label_to}” (was “{label_from}”)"
                         + (f": {note.strip()}" if note.strip() else ""),
                         {"government_status": [matter.government_status, to_status]},
                         client_id=matter.client_id)
            matter.government_status = to_status
            self._touch_matter(matter)
            session.flush()
            created: list[DeadlineRecord] = []
            for event in decision_events(matter.kind, to_status):
                rows = self._apply_deadline_event(session, matter_id, event, decision_date or self.clock.today(),
                                                  status_change_id=change.id)
                created += [to_record(row) for row in rows if row.status_change_id == change.id]
            recorded = StatusRecorded(matter_details(session, matter_id), change.id, tuple(created))
        self._remember(recorded.change_id)
        return recorded

    # --- undo -------------------------------------------------------------------------------------------

    def last_undoable(self, matter_id: int | None = None, client_id: int | None = None) -> UndoableChange | None:
        """The last status change the acting user made in this sitting (of one matter or client when
        given), or None. Whether it can still be undone is `undo_status_change`'s to say."""
        made = self._made_in_sitting()
        if not made:
            return None
        with self._db.read() as session:
            for change_id in reversed(made):
                change = session.get(StatusChange, change_id)
                matter = session.get(Matter, change.matter_id) if change is not None else None
                if change is None or matter is None:
                    continue
                if (matter_id is not None and matter.id != matter_id) or (
                        client_id is not None and matter.client_id != client_id):
                    continue
                client = session.get(Client, matter.client_id)
                return UndoableChange(change.id, matter.id, matter.client_id, client_name(client) if client else "",
                                      change.track, status_label(matter.kind, change.track, change.from_status),
                                      status_label(matter.kind, change.track, change.to_status), change.at)
        return None

    def undo_status_change(self, change_id: int) -> StatusUndone:
        """Put a status back as it was before change `change_id`, as its own audited event.

        Only the acting user's own change made in this sitting, and only while it is still the latest
        on its track (nobody moved the status on since). The deadlines the change set off are taken
        back (kept as history) and any they had replaced are current again; when one of them was
        acted on meanwhile (done, overridden, recomputed) nothing is undone. The status history gets
        a row for the step back, so it still tells the whole story.
        """
        if change_id not in self._made_in_sitting():
            raise StatusChangeError("Only a status change you made since you signed in can be undone.")
        with self._db.write() as session:
            change = self.load(session, StatusChange, change_id, "Status change")
            matter = self.load(session, Matter, change.matter_id, "Matter")
            restricted.refuse_hidden(session, self.user, matter.client_id, "Matter", matter.id)
            later = select(StatusChange.id).where(StatusChange.matter_id == change.matter_id,
                                                  StatusChange.track == change.track, StatusChange.id > change.id)
            later = later.where(StatusChange.pd_request_id == change.pd_request_id) \
                if change.pd_request_id is not None else later.where(StatusChange.pd_request_id.is_(None))
            if session.scalar(later.limit(1)) is not None:
                raise StatusChangeError("The status was changed again after that change; only the latest change "
                                        "can be undone.")
            if change.from_status is None:
                raise StatusChangeError("The status a matter opened with cannot be undone.")
            before, after = change.to_status, change.from_status
            label_of = {"firm": "our status", "government": "the court/agency status",
                        "pd": "the PD request's status"}[change.track]
            shown_before = status_label(matter.kind, change.track, before)
            shown_after = status_label(matter.kind, change.track, after)
            why = f"undid {label_of} “{shown_before}” recorded {change.at:%d %b %Y %H:%M}"
            entity, entity_id, field = "matter", matter.id, f"{change.track}_status"
            if change.track == "firm":
                self.require("matter.close" if "closed" in (before, after) else "matters.edit", session)
                self._expect(matter.firm_status, before)
                matter.firm_status = after
                matter.closed_on = self._closed_on(session, change) if after == "closed" else None
            elif change.track == "government":
                decided = before in st.DECISION_STATUSES or after in st.DECISION_STATUSES
                self.require("decision.record" if decided else "matters.edit", session)
                self._expect(matter.government_status, before)
                matter.government_status = after
            else:
                self.require("matters.edit", session)
                request = self.load(session, PdRequest, change.pd_request_id, "PD request")
                self._expect(request.status, before)
                request.status = after
                request.status_changed_on = self._previous_step_on(session, change)
                if before in ("background_check", "cleared", "adverse"):
                    request.background_check = "pending" if after == "background_check" else "not_started"
                self.touch(request)
                entity, entity_id, field = "pd_request", request.id, "status"
            withdrawn = withdraw_for_change(session, self.user, matter, change.id, why)
            session.add(StatusChange(matter_id=matter.id, pd_request_id=change.pd_request_id, track=change.track,
                                     from_status=before, to_status=after, user_name=self.user,
                                     note=f"undo of the change of {change.at:%d %b %Y %H:%M}"))
            taken = "".join(f"; withdrew {row.title} due {row.due_on:%d %b %Y}" for row in withdrawn)
            audit.record(session, self.user, "undo", entity, entity_id,
                         f"{why}; back to “{shown_after}”{taken}", {field: [before, after]},
                         client_id=matter.client_id)
            self._touch_matter(matter)
            session.flush()
            undone = StatusUndone(matter_details(session, matter.id), tuple(to_record(row) for row in withdrawn))
        self._forget(change_id)
        return undone

    @staticmethod
    def _expect(current: str | None, expected: str) -> None:
        if current != expected:
            raise StatusChangeError("The status is no longer the one that change recorded; nothing was undone.")

    @staticmethod
    def _closed_on(session: Session, change: StatusChange) -> date | None:
        """The day the matter was closed before `change` reopened it."""
        at = session.scalar(select(StatusChange.at).where(
            StatusChange.matter_id == change.matter_id, StatusChange.track == "firm",
            StatusChange.to_status == "closed", StatusChange.id < change.id).order_by(StatusChange.id.desc()).limit(1))
        return at.date() if at is not None else None

    @staticmethod
    def _previous_step_on(session: Session, change: StatusChange) -> date | None:
        at = session.scalar(select(StatusChange.at).where(
            StatusChange.pd_request_id == change.pd_request_id, StatusChange.id < change.id)
            .order_by(StatusChange.id.desc()).limit(1))
        return at.date() if at is not None else None

    # --- removal cases, EOIR verification, hearings --------------------------------------------------

    def update_removal(self, matter_id: int, draft: RemovalCaseDraft, expected_version: int) -> MatterDetails:
        self.require("matters.edit")
        with self._db.write() as session:
            case = self.load(session, RemovalCase, matter_id, "Removal case")
            self.check_version(case, expected_version, "This removal case")
            self._apply_removal(session, matter_id, draft, case)
            matter = self.load(session, Matter, matter_id, "Matter")
            self._touch_matter(matter)
            session.flush()
            return matter_details(session, matter_id)

    def _apply_removal(self, session: Session, matter_id: int, draft: RemovalCaseDraft,
                       case: RemovalCase | None) -> None:
        errors = {}
        if draft.custody not in st.CUSTODY_STATES:
            errors["custody"] = "Choose detained, never detained or released."
        unknown = [r for r in draft.relief_sought if r not in st.RELIEF_TYPES]
        if unknown:
            errors["relief_sought"] = f"Unknown relief: {', '.join(unknown)}."
        error = check_past_or_near(draft.nta_date, "The NTA date", self.clock.today())
        if error:
            errors["nta_date"] = error
        if draft.court_id is not None and session.get(Court, draft.court_id) is None:
            errors["court_id"] = "Choose a court from the list."
        if errors:
            raise ValidationError(errors)
        values = {"court_id": draft.court_id, "judge": names.clean(draft.judge),
                  "proceeding_type": names.clean(draft.proceeding_type) or "removal (INA 240)",
                  "custody": draft.custody, "nta_date": draft.nta_date, "charges": draft.charges.strip(),
                  "relief_sought": json.dumps(list(draft.relief_sought))}
        matter = self.load(session, Matter, matter_id, "Matter")
        if case is None:
            session.add(RemovalCase(matter_id=matter_id, **values, created_by=self.user, updated_by=self.user))
            return
        self.save_with_audit(session, case, values, "removal_case", "edited the removal case",
                             client_id=matter.client_id, entity_id=matter_id)

    def verify_eoir(self, matter_id: int, channel: str, on: date | None = None, note: str = "") -> MatterDetails:
        """Record that the case was checked with EOIR today (ACIS web portal or the 1-800 line)."""
        self.require("matters.edit")
        if channel not in st.EOIR_CHANNELS:
            raise ValidationError({"channel": "Choose ACIS web portal, the hotline or the court clerk."})
        on = on or self.clock.today()
        error = check_past_or_near(on, "The verification date", self.clock.today())
        if error:
            raise ValidationError({"verified_on": error})
        with self._db.write() as session:
            case = self.load(session, RemovalCase, matter_id, "Removal case")
            matter = self.load(session, Matter, matter_id, "Matter")
            before = {"last_verified_on": case.last_verified_on, "last_verified_via": case.last_verified_via}
            case.last_verified_on = on
            case.last_verified_via = channel
            self.touch(case)
            self._touch_matter(matter)
            audit.record(session, self.user, "update", "removal_case", matter_id,
                         f"verified the case with EOIR ({st.EOIR_CHANNELS[channel]})" + (f": {note}" if note else ""),
                         audit.diff(before, {"last_verified_on": on, "last_verified_via": channel}),
                         client_id=matter.client_id)
            close_eoir_follow_ups(session, [matter_id], self.user,
                                  f"verified with EOIR on {on:%d %b %Y} ({st.EOIR_CHANNELS[channel]})")
            session.flush()
            return matter_details(session, matter_id)

    # --- look-ups ----------------------------------------------------------------------------------------

    def last_activity(self, matter_id: int) -> datetime:
        with self._db.read() as session:
            return self.load(session, Matter, matter_id, "Matter").last_activity_at



def _report_json(report: ConflictReport | None) -> dict[str, Any]:
    if report is None:
        return {}
    return {"candidate": report.candidate.name, "checked_at": report.checked_at.isoformat(),
            "checked_by": report.checked_by,
            "hits": [{"kind": h.kind, "id": h.id, "name": h.name, "reasons": list(h.reasons), "score": h.score}
                     for h in report.hits]}

