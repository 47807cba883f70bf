"""Loading the records a letter is written from, in bulk: one letter or a whole batch in a few
queries, into the plain dataclasses of `fields` (which knows nothing of the database).

Each loader takes ids (a list or a SELECT of them) and answers by id; nothing here writes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kantor_cases.db.models import (
    BenefitApplication,
    Client,
    Court,
    Deadline,
    EmploymentClaim,
    FirmSettings,
    Hearing,
    Letter,
    Matter,
    Party,
    PdRequest,
    RemovalCase,
    StatusChange,
)
from kantor_cases.domain import names
from kantor_cases.domain import statuses as st
from kantor_cases.domain.records import address_lines

from ..validation import display_phone
from .base import refuse

if TYPE_CHECKING:
    from kantor_cases.letters import Letterhead

    from .fields import ClientData, CourtData, HearingData, MatterData, PdData
def courts(session: Session) -> dict[int, CourtData]:
    from .fields import CourtData

    return {c.id: CourtData(c.name, c.street, c.floor, c.city, c.state, c.postal_code)
            for c in session.scalars(select(Court))}


def clients(session: Session, ids: Any) -> dict[int, ClientData]:
    from .fields import ClientData

    statement = select(Client.id, Client.given_name, Client.middle_name, Client.family_name,
                       Client.second_family_name, Client.a_number, Client.street, Client.city, Client.state,
                       Client.postal_code, Client.preferred_language, Client.email, Client.detained,
                       Client.detention_facility, Client.country_of_birth, Client.date_of_birth,
                       Client.salutation).where(Client.id.in_(ids))
    result = {}
    for r in session.execute(statement):
        lines = address_lines(r.street, r.city, r.state, r.postal_code)
        result[r.id] = ClientData(r.id, names.full_name(r.given_name, r.middle_name, r.family_name,
                                                     r.second_family_name),
                               r.a_number or "", lines, r.preferred_language or "en", r.email, r.detained,
                               r.detention_facility, r.country_of_birth, r.date_of_birth, r.salutation)
    return result


def matters(session: Session, ids: Any) -> dict[int, MatterData]:
    from .fields import MatterData

    statement = (select(Matter.id, Matter.client_id, Matter.kind, Matter.title, Matter.firm_status,
                        Matter.government_status, RemovalCase.court_id, RemovalCase.judge, RemovalCase.custody,
                        RemovalCase.relief_sought, Party.name.label("employer"))
                 .outerjoin(RemovalCase, RemovalCase.matter_id == Matter.id)
                 .outerjoin(EmploymentClaim, EmploymentClaim.matter_id == Matter.id)
                 .outerjoin(Party, Party.id == EmploymentClaim.employer_id)
                 .where(Matter.id.in_(ids)))
    rows = list(session.execute(statement))
    forms: dict[int, list[str]] = {}
    benefit_ids = [r.id for r in rows if r.kind == "benefit"]
    if benefit_ids:
        for matter_id, form in session.execute(select(BenefitApplication.matter_id, BenefitApplication.form)
                                               .where(BenefitApplication.matter_id.in_(benefit_ids))
                                               .order_by(BenefitApplication.id)):
            forms.setdefault(matter_id, []).append(form)
    return {r.id: MatterData(r.id, r.client_id, r.kind, r.title, r.firm_status, r.government_status, r.court_id,
                          r.judge or "", r.custody or "", r.employer or "", tuple(forms.get(r.id, ())),
                          tuple(json.loads(r.relief_sought or "[]")))
            for r in rows}


def hearing_of(h: Any) -> HearingData:
    from .fields import HearingData

    return HearingData(h.id, h.matter_id, h.starts_at, h.hearing_type, h.courtroom, h.judge,
                    h.interpreter_language, h.court_id, bool(h.special_setting))


def hearings(session: Session, ids: Any) -> dict[int, HearingData]:
    statement = select(Hearing.id, Hearing.matter_id, Hearing.starts_at, Hearing.hearing_type,
                       Hearing.courtroom, Hearing.judge, Hearing.interpreter_language, Hearing.court_id,
                       Hearing.special_setting).where(Hearing.id.in_(ids)).order_by(Hearing.starts_at, Hearing.id)
    return {h.id: hearing_of(h) for h in session.execute(statement)}


def upcoming(session: Session, matter_ids: Any, start: datetime) -> dict[int, list[HearingData]]:
    statement = select(Hearing.id, Hearing.matter_id, Hearing.starts_at, Hearing.hearing_type,
                       Hearing.courtroom, Hearing.judge, Hearing.interpreter_language, Hearing.court_id,
                       Hearing.special_setting).where(Hearing.matter_id.in_(matter_ids), Hearing.starts_at >= start
                               ).order_by(Hearing.starts_at, Hearing.id)
    result: dict[int, list[HearingData]] = {}
    for h in session.execute(statement):
        result.setdefault(h.matter_id, []).append(hearing_of(h))
    return result


def client_upcoming(session: Session, client_id: int, start: datetime) -> list[HearingData]:
    matter_ids = select(Matter.id).where(Matter.client_id == client_id)
    return [h for by_matter in upcoming(session, matter_ids, start).values() for h in by_matter]


def pending_pd(session: Session, matter_ids: Any) -> set[int]:
    return set(session.scalars(select(PdRequest.matter_id).where(
        PdRequest.matter_id.in_(matter_ids), PdRequest.status.in_(sorted(st.PD_OPEN_STATUSES))).distinct()))


def pd_requests(session: Session, matter_ids: Any) -> dict[int, PdData]:
    """The request a cover letter is for: the newest open one, else the newest."""
    from .fields import PdData

    statement = (select(PdRequest, Party).outerjoin(Party, Party.id == PdRequest.opla_office_id)
                 .where(PdRequest.matter_id.in_(matter_ids)).order_by(PdRequest.id))
    result: dict[int, tuple[bool, PdData]] = {}
    for request, party in session.execute(statement):
        is_open = request.status in st.PD_OPEN_STATUSES
        lines: tuple[str, ...] = ()
        if party is not None:
            lines = address_lines(party.street, party.city, party.state, party.postal_code)
        pd = PdData(request.id, request.action_requested, tuple(json.loads(request.positive_factors or "[]")),
                 tuple(json.loads(request.negative_factors or "[]")), request.factors_notes,
                 tuple(json.loads(request.exhibits or "[]")), party.name if party else "", lines,
                 request.channel, request.regime)
        current = result.get(request.matter_id)
        if current is None or is_open or not current[0]:
            result[request.matter_id] = (is_open, pd)
    return {matter_id: pd for matter_id, (_open, pd) in result.items()}


def facilities(session: Session, facility_names: Any) -> dict[str, tuple[str, ...]]:
    """Folded facility name -> its mailing address, from the organisations with that name."""
    folded = sorted({names.fold(name) for name in facility_names})
    result: dict[str, tuple[str, ...]] = {}
    for party in session.scalars(select(Party).where(Party.name_folded.in_(folded)).order_by(Party.id)):
        lines = address_lines(party.street, party.city, party.state, party.postal_code)
        if lines and party.name_folded not in result:
            result[party.name_folded] = lines
    return result


def open_deadlines(session: Session, matter_ids: Any) -> dict[int, dict[str, date]]:
    """matter -> rule id -> the earliest due date of its open (not done, not superseded) deadlines."""
    result: dict[int, dict[str, date]] = {}
    statement = (select(Deadline.matter_id, Deadline.rule_id, Deadline.due_on)
                 .where(Deadline.matter_id.in_(matter_ids), Deadline.done_at.is_(None),
                        Deadline.superseded_at.is_(None), Deadline.rule_id != "")
                 .order_by(Deadline.due_on.desc()))
    for matter_id, rule_id, due_on in session.execute(statement):
        result.setdefault(matter_id, {})[rule_id] = due_on  # the earliest is written last
    return result


def last_status_letters(session: Session, matter_ids: Any) -> dict[int, datetime]:
    rows = session.execute(select(Letter.matter_id, func.max(Letter.created_at)).where(
        Letter.template_id == "status-update", Letter.matter_id.in_(matter_ids)).group_by(Letter.matter_id))
    return {int(matter_id): at for matter_id, at in rows if matter_id is not None}


def changes(session: Session, matter_ids: Any, since: Mapping[int, datetime],
            now: datetime) -> dict[int, list[tuple[datetime, str, str]]]:
    """Status changes since the last status update (or the 90 days before `now`), oldest first."""
    floor = now - timedelta(days=90)
    statement = (select(StatusChange.matter_id, StatusChange.at, StatusChange.track, StatusChange.to_status,
                        StatusChange.from_status)
                 .where(StatusChange.matter_id.in_(matter_ids), StatusChange.pd_request_id.is_(None),
                        StatusChange.track == "government", StatusChange.at >= min([floor, *since.values()]))
                 .order_by(StatusChange.at, StatusChange.id))
    result: dict[int, list[tuple[datetime, str, str]]] = {}
    for r in session.execute(statement):
        # A matter's opening status is not news to the client.
        if r.from_status is None or r.at < since.get(r.matter_id, floor):
            continue
        result.setdefault(r.matter_id, []).append((r.at, r.track, r.to_status))
    return result


def letterhead(session: Session, default_documents: Path) -> tuple[Letterhead, Path]:
    """The office's letterhead and the documents folder letters are filed in."""
    from kantor_cases.letters import Letterhead

    firm = session.get(FirmSettings, 1)
    if firm is None or not firm.firm_name.strip() or not firm.attorney_name.strip():
        raise refuse("letterhead", "The letterhead has no firm name or attorney yet; fill them in "
                                             "under Settings → Letterhead.")
    lines = address_lines(firm.street, firm.city, firm.state, firm.postal_code)
    logo = firm.logo_path if firm.logo_path and Path(firm.logo_path).is_file() else None
    head = Letterhead(firm.firm_name, firm.attorney_name, firm.bar_number, lines,
                            display_phone(firm.phone), firm.email, logo)
    documents = Path(firm.documents_dir).expanduser() if firm.documents_dir.strip() else default_documents
    return head, documents
