"""Matters and everything under them: removal cases and hearings, PD requests, employment claims
with agency filings, benefit applications — and the firm / government / PD status histories.

Status changes only move along the allowed paths of `domain/statuses.py`; each is recorded with
who, when and a note, and audited, in the same transaction as the change.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from kantor_cases.db.base import now
from kantor_cases.db.models import (
    AgencyFiling,
    BenefitApplication,
    Client,
    Court,
    EmploymentClaim,
    Hearing,
    Letter,
    Matter,
    Party,
    PdRequest,
    RemovalCase,
    StatusChange,
    User,
)
from kantor_cases.domain import names
from kantor_cases.domain import statuses as st
from kantor_cases.domain.calendars import get_calendar
from kantor_cases.domain.errors import StatusChangeError, ValidationError
from kantor_cases.domain.identifiers import IdentifierError, ReceiptNumber, format_a_number
from kantor_cases.domain.records import (
    AgencyFilingDetails,
    AgencyFilingDraft,
    BenefitApplicationDetails,
    BenefitApplicationDraft,
    ConflictReport,
    EmploymentClaimDetails,
    EmploymentClaimDraft,
    HearingDetails,
    HearingDraft,
    MatterDetails,
    MatterDraft,
    MatterRow,
    PdRequestDetails,
    PdRequestDraft,
    PdRequestRow,
    RemovalCaseDetails,
    RemovalCaseDraft,
    StatusChangeRow,
)
from kantor_cases.domain.validation import check_past_or_near

from . import audit, search
from .base import Service

# Court statuses that are an immigration judge's or the BIA's decision, and the deadline events
# they set off (see services/deadlines.py).
DECISION_EVENTS: dict[str, tuple[str, ...]] = {
    "relief_granted": ("ij_decision",),
    "removal_ordered": ("ij_decision",),
    "voluntary_departure": ("ij_decision", "vd_granted"),
    "in_absentia": ("in_absentia_order",),
    "bia_dismissed": ("bia_decision",),
    "bia_sustained": ("bia_decision",),
    "bia_remanded": ("bia_decision",),
}


def _client_name(client: Client) -> str:
    return names.full_name(client.given_name, client.middle_name, client.family_name, client.second_family_name)


def _history(rows: Any) -> tuple[StatusChangeRow, ...]:
    return tuple(StatusChangeRow(r.track, r.from_status, r.to_status, r.at, r.user_name, r.note) for r in rows)


class MatterService(Service):
    # --- matters ------------------------------------------------------------------------------------

    def create(self, client_id: int, draft: MatterDraft, conflict_report: ConflictReport | None = None,
               conflict_acknowledged: bool = False) -> MatterDetails:
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
        opened = draft.opened_on or date.today()
        error = check_past_or_near(opened, "The opening date", years_ahead=0)
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
            self._apply_employment(session, matter.id, draft.employment or EmploymentClaimDraft(), None)
        elif kind is st.MatterKind.BENEFIT and draft.benefit is not None:
            self._add_benefit(session, matter.id, draft.benefit)
        session.flush()
        search.reindex_matter(session, matter)
        audit.record(session, self.user, "create", "matter", matter.id,
                     f"opened a {kind.label.lower()} matter “{matter.title}” for {_client_name(client)}",
                     client_id=client_id)
        return matter.id

    def get(self, matter_id: int) -> MatterDetails:
        with self._db.read() as session:
            return self._details(session, matter_id)

    def _details(self, session: Session, matter_id: int) -> MatterDetails:
        matter = self.load(session, Matter, matter_id, "Matter")
        client = session.get(Client, matter.client_id)
        attorney = session.get(User, matter.responsible_attorney_id) if matter.responsible_attorney_id else None
        history = _history(session.scalars(select(StatusChange).where(
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
        employment = self._employment_details(session, claim) if claim is not None else None
        benefits = tuple(_benefit_details(b) for b in session.scalars(
            select(BenefitApplication).where(BenefitApplication.matter_id == matter_id)
            .order_by(BenefitApplication.id)))
        hearing_ids = list(session.scalars(select(Hearing.id).where(Hearing.matter_id == matter_id)
                                           .order_by(Hearing.starts_at)))
        by_id = {h.id: h for h in self._hearing_rows(session, hearing_ids)}
        hearings = tuple(by_id[i] for i in hearing_ids)
        pd_requests = tuple(self._pd_details(session, p) for p in session.scalars(
            select(PdRequest).where(PdRequest.matter_id == matter_id).order_by(PdRequest.id)))
        transitions = st.GOVERNMENT_STATUS_PATHS.get(matter.kind, (None, {}))[1]
        return MatterDetails(
            id=matter.id, client_id=matter.client_id, client_name=_client_name(client) if client else "",
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

    def for_client(self, client_id: int) -> list[MatterRow]:
        with self._db.read() as session:
            statement = self._rows_statement().where(Matter.client_id == client_id).order_by(Matter.opened_on.desc())
            return [self._row(r) for r in session.execute(statement)]

    def count(self, kind: str | None = None, firm_status: str | None = None) -> int:
        with self._db.read() as session:
            statement = select(func.count()).select_from(Matter)
            if kind:
                statement = statement.where(Matter.kind == kind)
            if firm_status:
                statement = statement.where(Matter.firm_status == firm_status)
            return int(session.execute(statement).scalar_one())

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
            ids = select(Matter.id)
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
    def _rows_statement():  # type: ignore[no-untyped-def]
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
            return self._details(session, matter_id)

    def _touch_matter(self, matter: Matter) -> None:
        self.touch(matter)
        matter.last_activity_at = now()

    # --- statuses ------------------------------------------------------------------------------------

    def change_firm_status(self, matter_id: int, to_status: str, note: str, expected_version: int) -> MatterDetails:
        with self._db.write() as session:
            matter = self.load(session, Matter, matter_id, "Matter")
            self.check_version(matter, expected_version, "This matter")
            self._check_step(st.FIRM_TRANSITIONS, matter.firm_status, to_status, "firm status")
            session.add(StatusChange(matter_id=matter_id, track="firm", from_status=matter.firm_status,
                                     to_status=to_status, user_name=self.user, note=note.strip()))
            audit.record(session, self.user, "status", "matter", matter_id,
                         f"moved the matter from {matter.firm_status} to {to_status}"
                         + (f": {note.strip()}" if note.strip() else ""),
                         {"firm_status": [matter.firm_status, to_status]}, client_id=matter.client_id)
            matter.firm_status = to_status
            matter.closed_on = date.today() if to_status == "closed" else None
            self._touch_matter(matter)
            session.flush()
            return self._details(session, matter_id)

    def change_government_status(self, matter_id: int, to_status: str, note: str, expected_version: int,
                                 decision_date: date | None = None) -> MatterDetails:
        """Record what the court or agency says; a decision sets off its deadlines (services/deadlines)."""
        with self._db.write() as session:
            matter = self.load(session, Matter, matter_id, "Matter")
            self.check_version(matter, expected_version, "This matter")
            transitions = st.GOVERNMENT_STATUS_PATHS.get(matter.kind, (None, {}))[1]
            if not transitions:
                raise StatusChangeError("This kind of matter has no government status.")
            self._check_step(transitions, matter.government_status, to_status, "court/agency status")
            if decision_date is not None:
                error = check_past_or_near(decision_date, "The decision date")
                if error:
                    raise ValidationError({"decision_date": error})
            session.add(StatusChange(matter_id=matter_id, track="government",
                                     from_status=matter.government_status, to_status=to_status,
                                     user_name=self.user, note=note.strip()))
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
            events = DECISION_EVENTS.get(to_status, ()) if matter.kind == "removal" else ()
            for event in events:
                self._apply_deadline_event(session, matter_id, event, decision_date or date.today())
            return self._details(session, matter_id)

    def _apply_deadline_event(self, session: Session, matter_id: int, event: str, trigger: date) -> None:
        from . import deadlines

        deadlines.apply_event(session, self.user, matter_id, event, trigger)

    @staticmethod
    def _check_step(transitions: dict[str, frozenset[str]], current: str | None, to_status: str, what: str) -> None:
        if to_status not in transitions:
            raise StatusChangeError(f"“{to_status}” is not a {what}.")
        allowed = transitions.get(current or "", frozenset()) if current else frozenset(transitions)
        if to_status not in allowed:
            choices = ", ".join(sorted(allowed)) or "none (this is a final status)"
            raise StatusChangeError(f"The {what} cannot go from “{current}” to “{to_status}”; allowed next: {choices}.")

    # --- removal cases, EOIR verification, hearings --------------------------------------------------

    def update_removal(self, matter_id: int, draft: RemovalCaseDraft, expected_version: int) -> MatterDetails:
        with self._db.write() as session:
            case = self.load(session, RemovalCase, matter_id, "Removal case")
            self.check_version(case, expected_version, "This removal case")
            self._apply_removal(session, matter_id, draft, case)
            matter = self.load(session, Matter, matter_id, "Matter")
            self._touch_matter(matter)
            session.flush()
            return self._details(session, matter_id)

    def _apply_removal(self, session: Session, matter_id: int, draft: RemovalCaseDraft,
                       case: RemovalCase | None) -> None:
        errors = {}
        if draft.custody not in st.CUSTODY_STATES:
            errors["custody"] = "Choose detained, never detained or released."
        unknown = [r for r in draft.relief_sought if r not in st.RELIEF_TYPES]
        if unknown:
            errors["relief_sought"] = f"Unknown relief: {', '.join(unknown)}."
        error = check_past_or_near(draft.nta_date, "The NTA date")
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
        changes = audit.diff({k: getattr(case, k) for k in values}, values)
        for key, value in values.items():
            setattr(case, key, value)
        self.touch(case)
        if changes:
            audit.record(session, self.user, "update", "removal_case", matter_id, "edited the removal case",
                         changes, client_id=matter.client_id)

    def verify_eoir(self, matter_id: int, channel: str, on: date | None = None, note: str = "") -> MatterDetails:
        """Record that the case was checked with EOIR today (ACIS web portal or the 1-800 line)."""
        if channel not in st.EOIR_CHANNELS:
            raise ValidationError({"channel": "Choose ACIS web portal, the hotline or the court clerk."})
        on = on or date.today()
        error = check_past_or_near(on, "The verification date")
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
            session.flush()
            return self._details(session, matter_id)

    def add_hearing(self, matter_id: int, draft: HearingDraft) -> HearingDetails:
        self._check_hearing(draft)
        with self._db.write() as session:
            matter = self.load(session, Matter, matter_id, "Matter")
            if draft.special_setting:
                self._require_attorney_for_special_setting(session)
            court_id = draft.court_id
            if court_id is None:
                case = session.get(RemovalCase, matter_id)
                court_id = case.court_id if case else None
            hearing = Hearing(matter_id=matter_id, starts_at=draft.starts_at, hearing_type=draft.hearing_type,
                              court_id=court_id, courtroom=names.clean(draft.courtroom), judge=names.clean(draft.judge),
                              interpreter_language=names.clean(draft.interpreter_language),
                              result=draft.result.strip(), next_step=draft.next_step.strip(),
                              special_setting=draft.special_setting, created_by=self.user, updated_by=self.user)
            session.add(hearing)
            self._touch_matter(matter)
            session.flush()
            audit.record(session, self.user, "create", "hearing", hearing.id,
                         f"scheduled a {st.HEARING_TYPES[draft.hearing_type].lower()} hearing on "
                         f"{draft.starts_at:%d %b %Y %H:%M}", client_id=matter.client_id)
            self._sync_hearing_deadlines(session, hearing.matter_id, hearing.id, hearing.hearing_type,
                                         hearing.starts_at.date())
            return self._hearing_rows(session, [hearing.id])[0]

    def update_hearing(self, hearing_id: int, draft: HearingDraft, expected_version: int) -> HearingDetails:
        self._check_hearing(draft, allow_past=True)
        with self._db.write() as session:
            hearing = self.load(session, Hearing, hearing_id, "Hearing")
            self.check_version(hearing, expected_version, "This hearing")
            matter = self.load(session, Matter, hearing.matter_id, "Matter")
            if draft.special_setting and not hearing.special_setting:
                self._require_attorney_for_special_setting(session)
            values = {"starts_at": draft.starts_at, "hearing_type": draft.hearing_type, "court_id": draft.court_id,
                      "courtroom": names.clean(draft.courtroom), "judge": names.clean(draft.judge),
                      "interpreter_language": names.clean(draft.interpreter_language),
                      "result": draft.result.strip(), "next_step": draft.next_step.strip(),
                      "special_setting": draft.special_setting}
            changes = audit.diff({k: getattr(hearing, k) for k in values}, values)
            for key, value in values.items():
                setattr(hearing, key, value)
            self.touch(hearing)
            self._touch_matter(matter)
            if changes:
                audit.record(session, self.user, "update", "hearing", hearing_id, "edited a hearing", changes,
                             client_id=matter.client_id)
            session.flush()
            if "starts_at" in changes or "hearing_type" in changes:
                self._sync_hearing_deadlines(session, hearing.matter_id, hearing_id, hearing.hearing_type,
                                             hearing.starts_at.date())
            return self._hearing_rows(session, [hearing_id])[0]

    def delete_hearing(self, hearing_id: int, expected_version: int) -> None:
        with self._db.write() as session:
            hearing = self.load(session, Hearing, hearing_id, "Hearing")
            self.check_version(hearing, expected_version, "This hearing")
            matter = self.load(session, Matter, hearing.matter_id, "Matter")
            audit.record(session, self.user, "delete", "hearing", hearing_id,
                         f"removed the hearing of {hearing.starts_at:%d %b %Y %H:%M}", client_id=matter.client_id)
            # The filing deadline it set is kept as history, not deleted with it.
            self._sync_hearing_deadlines(session, hearing.matter_id, hearing_id, None, None)
            session.delete(hearing)

    def _sync_hearing_deadlines(self, session: Session, matter_id: int, hearing_id: int, hearing_type: str | None,
                                day: date | None) -> None:
        """A hearing's filing deadline (counted back from it) follows the hearing (services/deadlines);
        `hearing_type` None: the hearing was vacated."""
        from . import deadlines

        deadlines.sync_hearing_deadlines(session, self.user, matter_id, hearing_id, hearing_type, day)

    @staticmethod
    def _check_hearing(draft: HearingDraft, allow_past: bool = False) -> None:
        errors = {}
        if draft.hearing_type not in st.HEARING_TYPES:
            errors["hearing_type"] = "Choose a hearing type from the list."
        if draft.starts_at.year < 2000 or draft.starts_at > datetime.now() + timedelta(days=365 * 5):
            errors["starts_at"] = "That hearing date is not plausible; check the year."
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def closed_court_day(starts_at: datetime) -> str | None:
        """Why a hearing on this day must be refused at entry unless an attorney confirms a special
        setting (immigration courts sit on business days only), or None when the courts sit."""
        closed = get_calendar("federal").why_closed(starts_at.date())
        if closed is None:
            return None
        return (f"{starts_at:%a %d %b %Y} is a day the immigration courts are closed ({closed}); check the date "
                "on the hearing notice, or have the attorney confirm it as a special setting.")

    def _require_attorney_for_special_setting(self, session: Session) -> None:
        """Only an attorney confirms that a court sits on a weekend or holiday (issue 14 item 7)."""
        role = session.scalar(select(User.role).where(User.name == self.user, User.active.is_(True)))
        if role != "attorney":
            raise ValidationError({"special_setting": "Only an attorney can confirm a special setting."},
                                  message=f"Only an attorney can confirm a hearing as a special setting, and "
                                          f"{self.user!r} is not one; ask the attorney.")

    def upcoming_hearings(self, days: int, court_id: int | None = None, start: datetime | None = None,
                          limit: int = 5000, offset: int = 0) -> list[HearingDetails]:
        """The office's hearings in the next `days` days, by court and date (in SQL); `offset` and
        `limit` give one page of them."""
        with self._db.read() as session:
            statement = (self._upcoming(days, court_id, start).outerjoin(Court, Court.id == Hearing.court_id)
                         .order_by(Court.code, Hearing.starts_at, Hearing.id).offset(offset).limit(limit))
            ids = list(session.scalars(statement))
            rows = {h.id: h for h in self._hearing_rows(session, ids)}
            return [rows[i] for i in ids]

    def count_upcoming_hearings(self, days: int, court_id: int | None = None) -> int:
        with self._db.read() as session:
            return int(session.scalar(select(func.count()).select_from(self._upcoming(days, court_id).subquery()))
                       or 0)

    def upcoming_hearing_counts(self, days: int, court_id: int | None = None) -> tuple[int, int, int]:
        """How many hearings in the next `days` days, at how many courts, and how many without a
        reminder letter yet."""
        hearings = self._upcoming(days, court_id).subquery()
        reminded = exists().where(Letter.template_id == "hearing-reminder", Letter.hearing_id == hearings.c.id)
        with self._db.read() as session:
            total, courts = session.execute(select(func.count(), func.count(hearings.c.court_id.distinct()))
                                            .select_from(hearings)).one()
            unreminded = session.scalar(select(func.count()).select_from(hearings).where(~reminded))
        return int(total), int(courts), int(unreminded or 0)

    @staticmethod
    def _upcoming(days: int, court_id: int | None = None, start: datetime | None = None) -> Any:
        start = start or datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
        statement = select(Hearing.id, Hearing.court_id).where(Hearing.starts_at >= start,
                                                               Hearing.starts_at < start + timedelta(days=days + 1))
        if court_id is not None:
            statement = statement.where(Hearing.court_id == court_id)
        return statement

    def hearings_for_client(self, client_id: int) -> list[HearingDetails]:
        with self._db.read() as session:
            ids = list(session.scalars(select(Hearing.id).join(Matter, Matter.id == Hearing.matter_id)
                                       .where(Matter.client_id == client_id).order_by(Hearing.starts_at.desc())))
            rows = {h.id: h for h in self._hearing_rows(session, ids)}
            return [rows[i] for i in ids]

    @staticmethod
    def _hearing_rows(session: Session, hearing_ids: list[int]) -> list[HearingDetails]:
        """Hearings with their client, court and reminder state, in a few set-based queries."""
        if not hearing_ids:
            return []
        result: list[HearingDetails] = []
        for start in range(0, len(hearing_ids), 900):
            chunk = hearing_ids[start:start + 900]
            reminded = set(session.scalars(select(Letter.hearing_id).where(
                Letter.template_id == "hearing-reminder", Letter.hearing_id.in_(chunk))))
            statement = (select(Hearing.id, Hearing.matter_id, Hearing.starts_at, Hearing.hearing_type,
                                Hearing.court_id, Hearing.courtroom, Hearing.judge, Hearing.interpreter_language,
                                Hearing.result, Hearing.next_step, Hearing.special_setting, Hearing.version,
                                Matter.client_id,
                                Client.given_name, Client.middle_name, Client.family_name, Client.second_family_name,
                                Client.sensitive, Court.code, Court.name)
                         .join(Matter, Matter.id == Hearing.matter_id).join(Client, Client.id == Matter.client_id)
                         .outerjoin(Court, Court.id == Hearing.court_id).where(Hearing.id.in_(chunk)))
            for row in session.execute(statement):
                result.append(HearingDetails(
                    starts_at=row.starts_at, hearing_type=row.hearing_type, court_id=row.court_id,
                    courtroom=row.courtroom, judge=row.judge, interpreter_language=row.interpreter_language,
                    result=row.result, next_step=row.next_step, special_setting=bool(row.special_setting),
                    id=row.id, matter_id=row.matter_id,
                    client_id=row.client_id,
                    client_name=names.full_name(row.given_name, row.middle_name, row.family_name,
                                                row.second_family_name),
                    client_sensitive=bool(row.sensitive), court_code=row.code or "", court_name=row.name or "", version=row.version,
                    reminder_sent=row.id in reminded))
        return result

    # --- PD requests ----------------------------------------------------------------------------------

    def create_pd_request(self, matter_id: int, draft: PdRequestDraft) -> PdRequestDetails:
        self._check_pd(draft)
        with self._db.write() as session:
            matter = self.load(session, Matter, matter_id, "Matter")
            if matter.kind != "removal":
                raise ValidationError({"matter": "A PD request belongs to a removal defense matter."})
            request = PdRequest(matter_id=matter_id, **self._pd_columns(draft), status="draft",
                                status_changed_on=date.today(), created_by=self.user, updated_by=self.user)
            session.add(request)
            session.flush()
            session.add(StatusChange(matter_id=matter_id, pd_request_id=request.id, track="pd", from_status=None,
                                     to_status="draft", user_name=self.user, note="request started"))
            self._touch_matter(matter)
            audit.record(session, self.user, "create", "pd_request", request.id,
                         f"started a PD request ({st.PD_ACTIONS[draft.action_requested].lower()}, "
                         f"{st.PD_REGIMES[draft.regime]})", client_id=matter.client_id)
            session.flush()
            return self._pd_details(session, request)

    def update_pd_request(self, request_id: int, draft: PdRequestDraft, expected_version: int) -> PdRequestDetails:
        self._check_pd(draft)
        with self._db.write() as session:
            request = self.load(session, PdRequest, request_id, "PD request")
            self.check_version(request, expected_version, "This PD request")
            values = self._pd_columns(draft)
            changes = audit.diff({k: getattr(request, k) for k in values}, values)
            for key, value in values.items():
                setattr(request, key, value)
            self.touch(request)
            matter = self.load(session, Matter, request.matter_id, "Matter")
            self._touch_matter(matter)
            if changes:
                audit.record(session, self.user, "update", "pd_request", request_id, "edited the PD request",
                             changes, client_id=matter.client_id)
            session.flush()
            return self._pd_details(session, request)

    def change_pd_status(self, request_id: int, to_status: str, note: str, expected_version: int) -> PdRequestDetails:
        with self._db.write() as session:
            request = self.load(session, PdRequest, request_id, "PD request")
            self.check_version(request, expected_version, "This PD request")
            self._check_step(st.PD_TRANSITIONS, request.status, to_status, "PD request status")
            matter = self.load(session, Matter, request.matter_id, "Matter")
            session.add(StatusChange(matter_id=request.matter_id, pd_request_id=request_id, track="pd",
                                     from_status=request.status, to_status=to_status, user_name=self.user,
                                     note=note.strip()))
            audit.record(session, self.user, "status", "pd_request", request_id,
                         f"moved the PD request from “{st.PD_STATUS_LABELS[request.status]}” to "
                         f"“{st.PD_STATUS_LABELS[to_status]}”" + (f": {note.strip()}" if note.strip() else ""),
                         {"status": [request.status, to_status]}, client_id=matter.client_id)
            request.status = to_status
            request.status_changed_on = date.today()
            if to_status == "submitted" and request.submitted_on is None:
                request.submitted_on = date.today()
            if to_status == "background_check":
                request.background_check = "pending"
            elif to_status in ("cleared", "adverse"):
                request.background_check = to_status
            self.touch(request)
            self._touch_matter(matter)
            session.flush()
            return self._pd_details(session, request)

    def get_pd_request(self, request_id: int) -> PdRequestDetails:
        with self._db.read() as session:
            return self._pd_details(session, self.load(session, PdRequest, request_id, "PD request"))

    def pd_requests(self, status: str | None = None, offset: int = 0, limit: int = 500) -> list[PdRequestRow]:
        today = date.today()
        with self._db.read() as session:
            statement = (select(PdRequest, Client.given_name, Client.middle_name, Client.family_name,
                                Client.second_family_name, Client.a_number, Client.id.label("client_id"),
                                Client.sensitive)
                         .join(Matter, Matter.id == PdRequest.matter_id).join(Client, Client.id == Matter.client_id))
            if status:
                statement = statement.where(PdRequest.status == status)
            statement = statement.order_by(PdRequest.status_changed_on, PdRequest.id).offset(offset).limit(limit)
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
            statement = select(func.count()).select_from(PdRequest)
            if status:
                statement = statement.where(PdRequest.status == status)
            return int(session.execute(statement).scalar_one())

    def pd_status_counts(self) -> dict[str, int]:
        with self._db.read() as session:
            counts = dict(session.execute(select(PdRequest.status, func.count()).group_by(PdRequest.status)).all())
        return {status: int(counts.get(status, 0)) for status in st.PD_STATUS_LABELS}

    @staticmethod
    def _check_pd(draft: PdRequestDraft) -> None:
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
        error = check_past_or_near(draft.submitted_on, "The submission date")
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

    def _pd_details(self, session: Session, request: PdRequest) -> PdRequestDetails:
        matter = session.get(Matter, request.matter_id)
        client = session.get(Client, matter.client_id) if matter else None
        office = session.get(Party, request.opla_office_id) if request.opla_office_id else None
        history = _history(session.scalars(select(StatusChange).where(StatusChange.pd_request_id == request.id)
                                           .order_by(StatusChange.id)))
        return PdRequestDetails(
            regime=request.regime, action_requested=request.action_requested,
            opla_office_id=request.opla_office_id, channel=request.channel, submitted_on=request.submitted_on,
            positive_factors=tuple(json.loads(request.positive_factors)),
            negative_factors=tuple(json.loads(request.negative_factors)), factors_notes=request.factors_notes,
            exhibits=tuple(json.loads(request.exhibits)), background_check=request.background_check,
            outcome=request.outcome, id=request.id, matter_id=request.matter_id,
            client_id=client.id if client else 0, client_name=_client_name(client) if client else "",
            status=request.status, status_changed_on=request.status_changed_on,
            opla_office_name=office.name if office else "", version=request.version, history=history,
            allowed_next=tuple(st.allowed_next(st.PD_TRANSITIONS, request.status)))

    # --- employment claims ------------------------------------------------------------------------------

    def update_employment(self, matter_id: int, draft: EmploymentClaimDraft, expected_version: int) -> MatterDetails:
        with self._db.write() as session:
            claim = self.load(session, EmploymentClaim, matter_id, "Employment claim")
            self.check_version(claim, expected_version, "This employment claim")
            before_received = claim.right_to_sue_received_on
            self._apply_employment(session, matter_id, draft, claim)
            matter = self.load(session, Matter, matter_id, "Matter")
            self._touch_matter(matter)
            session.flush()
            search.reindex_matter(session, matter)
            if draft.right_to_sue_received_on and draft.right_to_sue_received_on != before_received:
                self._apply_deadline_event(session, matter_id, "eeoc_right_to_sue_received",
                                           draft.right_to_sue_received_on)
            return self._details(session, matter_id)

    def _apply_employment(self, session: Session, matter_id: int, draft: EmploymentClaimDraft,
                          claim: EmploymentClaim | None) -> None:
        errors = {}
        unknown = [c for c in draft.claim_types if c not in st.CLAIM_TYPES]
        if unknown:
            errors["claim_types"] = f"Unknown claim types: {', '.join(unknown)}."
        for field, party_id in (("employer_id", draft.employer_id), ("opposing_counsel_id", draft.opposing_counsel_id)):
            if party_id is not None and session.get(Party, party_id) is None:
                errors[field] = "Choose an organisation from the list."
        for field in ("right_to_sue_issued_on", "right_to_sue_received_on"):
            error = check_past_or_near(getattr(draft, field), "That date")
            if error:
                errors[field] = error
        if (draft.right_to_sue_issued_on and draft.right_to_sue_received_on
                and draft.right_to_sue_received_on < draft.right_to_sue_issued_on):
            errors["right_to_sue_received_on"] = "A notice cannot be received before it was issued."
        if errors:
            raise ValidationError(errors)
        employer_id = draft.employer_id
        if employer_id is None and names.clean(draft.employer_name):
            employer_id = self._employer_named(session, names.clean(draft.employer_name))
        values = {"claim_types": json.dumps(list(draft.claim_types)), "employer_id": employer_id,
                  "opposing_counsel_id": draft.opposing_counsel_id,
                  "right_to_sue_issued_on": draft.right_to_sue_issued_on,
                  "right_to_sue_received_on": draft.right_to_sue_received_on}
        if claim is None:
            session.add(EmploymentClaim(matter_id=matter_id, **values, created_by=self.user, updated_by=self.user))
            return
        matter = self.load(session, Matter, matter_id, "Matter")
        changes = audit.diff({k: getattr(claim, k) for k in values}, values)
        for key, value in values.items():
            setattr(claim, key, value)
        self.touch(claim)
        if changes:
            audit.record(session, self.user, "update", "employment_claim", matter_id, "edited the employment claim",
                         changes, client_id=matter.client_id)

    def _employer_named(self, session: Session, name: str) -> int:
        """The employer called `name`, added to the organisations if the office has not met it yet."""
        folded = names.fold(name)
        existing = session.scalars(select(Party.id).where(Party.kind == "employer", Party.name_folded == folded)).first()
        if existing is not None:
            return int(existing)
        party = Party(kind="employer", name=name, name_folded=folded, created_by=self.user, updated_by=self.user)
        session.add(party)
        session.flush()
        search.upsert(session, search.party_entry(party))
        audit.record(session, self.user, "create", "party", party.id, f"added the employer {name}")
        return party.id

    def add_agency_filing(self, matter_id: int, draft: AgencyFilingDraft) -> AgencyFilingDetails:
        values = self._check_filing(draft)
        with self._db.write() as session:
            matter = self.load(session, Matter, matter_id, "Matter")
            filing = AgencyFiling(matter_id=matter_id, **values, created_by=self.user, updated_by=self.user)
            session.add(filing)
            self._touch_matter(matter)
            session.flush()
            search.reindex_matter(session, matter)
            audit.record(session, self.user, "create", "agency_filing", filing.id,
                         f"recorded a {st.AGENCIES[draft.agency]} filing {values['number']}".strip(),
                         client_id=matter.client_id)
            if draft.agency == "crd" and draft.right_to_sue_issued_on:
                self._apply_deadline_event(session, matter_id, "crd_right_to_sue_issued", draft.right_to_sue_issued_on)
            if draft.agency == "eeoc" and draft.right_to_sue_received_on:
                self._apply_deadline_event(session, matter_id, "eeoc_right_to_sue_received",
                                           draft.right_to_sue_received_on)
            if draft.agency == "lwda" and draft.filed_on:
                self._apply_deadline_event(session, matter_id, "paga_notice_filed", draft.filed_on)
            return _filing_details(filing)

    def update_agency_filing(self, filing_id: int, draft: AgencyFilingDraft, expected_version: int) -> AgencyFilingDetails:
        values = self._check_filing(draft)
        with self._db.write() as session:
            filing = self.load(session, AgencyFiling, filing_id, "Agency filing")
            self.check_version(filing, expected_version, "This agency filing")
            matter = self.load(session, Matter, filing.matter_id, "Matter")
            before = {k: getattr(filing, k) for k in values}
            changes = audit.diff(before, values)
            for key, value in values.items():
                setattr(filing, key, value)
            self.touch(filing)
            self._touch_matter(matter)
            session.flush()
            search.reindex_matter(session, matter)
            if changes:
                audit.record(session, self.user, "update", "agency_filing", filing_id, "edited an agency filing",
                             changes, client_id=matter.client_id)
            if (draft.agency == "crd" and draft.right_to_sue_issued_on
                    and draft.right_to_sue_issued_on != before["right_to_sue_issued_on"]):
                self._apply_deadline_event(session, filing.matter_id, "crd_right_to_sue_issued",
                                           draft.right_to_sue_issued_on)
            if (draft.agency == "eeoc" and draft.right_to_sue_received_on
                    and draft.right_to_sue_received_on != before["right_to_sue_received_on"]):
                self._apply_deadline_event(session, filing.matter_id, "eeoc_right_to_sue_received",
                                           draft.right_to_sue_received_on)
            return _filing_details(filing)

    @staticmethod
    def _check_filing(draft: AgencyFilingDraft) -> dict[str, Any]:
        errors = {}
        if draft.agency not in st.AGENCIES:
            errors["agency"] = "Choose EEOC, CRD, Labor Commissioner, LWDA or NLRB."
        number = names.clean(draft.number)
        if draft.agency == "nlrb" and number:
            from kantor_cases.domain.identifiers import parse_nlrb_case

            try:
                number = parse_nlrb_case(number)
            except IdentifierError as bad_number:
                errors["number"] = str(bad_number)
        for field in ("filed_on", "right_to_sue_issued_on", "right_to_sue_received_on"):
            error = check_past_or_near(getattr(draft, field), "That date")
            if error:
                errors[field] = error
        if errors:
            raise ValidationError(errors)
        return {"agency": draft.agency, "number": number, "filed_on": draft.filed_on,
                "right_to_sue_issued_on": draft.right_to_sue_issued_on,
                "right_to_sue_received_on": draft.right_to_sue_received_on, "notes": draft.notes.strip()}

    def _employment_details(self, session: Session, claim: EmploymentClaim) -> EmploymentClaimDetails:
        employer = session.get(Party, claim.employer_id) if claim.employer_id else None
        counsel = session.get(Party, claim.opposing_counsel_id) if claim.opposing_counsel_id else None
        filings = tuple(_filing_details(f) for f in session.scalars(
            select(AgencyFiling).where(AgencyFiling.matter_id == claim.matter_id).order_by(AgencyFiling.id)))
        return EmploymentClaimDetails(
            claim_types=tuple(json.loads(claim.claim_types)), employer_id=claim.employer_id,
            opposing_counsel_id=claim.opposing_counsel_id, right_to_sue_issued_on=claim.right_to_sue_issued_on,
            right_to_sue_received_on=claim.right_to_sue_received_on, matter_id=claim.matter_id,
            employer_name=employer.name if employer else "", opposing_counsel_name=counsel.name if counsel else "",
            filings=filings, version=claim.version)

    # --- benefit applications ---------------------------------------------------------------------------

    def add_benefit_application(self, matter_id: int, draft: BenefitApplicationDraft) -> BenefitApplicationDetails:
        with self._db.write() as session:
            matter = self.load(session, Matter, matter_id, "Matter")
            application = self._add_benefit(session, matter_id, draft)
            self._touch_matter(matter)
            session.flush()
            search.reindex_matter(session, matter)
            audit.record(session, self.user, "create", "benefit_application", application.id,
                         f"recorded an {application.form} application"
                         + (f" ({application.receipt_number})" if application.receipt_number else ""),
                         client_id=matter.client_id)
            return _benefit_details(application)

    def update_benefit_application(self, application_id: int, draft: BenefitApplicationDraft,
                                   expected_version: int) -> BenefitApplicationDetails:
        values = _benefit_values(draft)
        with self._db.write() as session:
            application = self.load(session, BenefitApplication, application_id, "Benefit application")
            self.check_version(application, expected_version, "This application")
            if values["status"] != application.status:
                self._check_step(st.BENEFIT_TRANSITIONS, application.status, values["status"], "application status")
            matter = self.load(session, Matter, application.matter_id, "Matter")
            changes = audit.diff({k: getattr(application, k) for k in values}, values)
            for key, value in values.items():
                setattr(application, key, value)
            self.touch(application)
            self._touch_matter(matter)
            session.flush()
            search.reindex_matter(session, matter)
            if changes:
                audit.record(session, self.user, "update", "benefit_application", application_id,
                             f"edited the {application.form} application", changes, client_id=matter.client_id)
            return _benefit_details(application)

    def _add_benefit(self, session: Session, matter_id: int, draft: BenefitApplicationDraft) -> BenefitApplication:
        application = BenefitApplication(matter_id=matter_id, **_benefit_values(draft), created_by=self.user,
                                         updated_by=self.user)
        session.add(application)
        session.flush()
        return application

    # --- look-ups ----------------------------------------------------------------------------------------

    def last_activity(self, matter_id: int) -> datetime:
        with self._db.read() as session:
            return self.load(session, Matter, matter_id, "Matter").last_activity_at

    def has_pending_pd(self, matter_id: int) -> bool:
        with self._db.read() as session:
            return bool(session.execute(select(exists().where(and_(
                PdRequest.matter_id == matter_id, PdRequest.status.in_(st.PD_OPEN_STATUSES))))).scalar())


def _report_json(report: ConflictReport | None) -> dict[str, Any]:
    if report is None:
        return {}
    return {"candidate": report.candidate.name, "checked_at": report.checked_at.isoformat(),
            "checked_by": report.checked_by,
            "hits": [{"kind": h.kind, "id": h.id, "name": h.name, "reasons": list(h.reasons), "score": h.score}
                     for h in report.hits]}


def _benefit_values(draft: BenefitApplicationDraft) -> dict[str, Any]:
    errors = {}
    form = names.clean(draft.form).upper()
    if not form:
        errors["form"] = "Name the form, e.g. I-130."
    receipt = None
    if draft.receipt_number.strip():
        try:
            receipt = ReceiptNumber.parse(draft.receipt_number).value
        except IdentifierError as bad_receipt:
            errors["receipt_number"] = str(bad_receipt)
    if draft.status not in st.BENEFIT_TRANSITIONS:
        errors["status"] = "Choose a status from the list."
    error = check_past_or_near(draft.filed_on, "The filing date")
    if error:
        errors["filed_on"] = error
    if errors:
        raise ValidationError(errors)
    return {"form": form, "receipt_number": receipt, "filed_on": draft.filed_on, "status": draft.status,
            "notes": draft.notes.strip()}


def _benefit_details(application: BenefitApplication) -> BenefitApplicationDetails:
    return BenefitApplicationDetails(
        form=application.form, receipt_number=application.receipt_number or "", filed_on=application.filed_on,
        status=application.status, notes=application.notes, id=application.id, matter_id=application.matter_id,
        version=application.version)


def _filing_details(filing: AgencyFiling) -> AgencyFilingDetails:
    return AgencyFilingDetails(
        agency=filing.agency, number=filing.number, filed_on=filing.filed_on,
        right_to_sue_issued_on=filing.right_to_sue_issued_on, right_to_sue_received_on=filing.right_to_sue_received_on,
        notes=filing.notes, id=filing.id, matter_id=filing.matter_id, version=filing.version)
