"""Employment claims and their agency filings (EEOC, CRD, Labor Commissioner, LWDA, NLRB); a
right-to-sue notice or a PAGA notice sets off its deadlines.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kantor_cases.db.models import AgencyFiling, EmploymentClaim, Matter, Party
from kantor_cases.domain import names
from kantor_cases.domain import statuses as st
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.identifiers import IdentifierError
from kantor_cases.domain.records import (
    AgencyFilingDetails,
    AgencyFilingDraft,
    EmploymentClaimDetails,
    EmploymentClaimDraft,
    MatterDetails,
)
from kantor_cases.domain.validation import check_past_or_near

from . import audit, search
from .base import Service
from .matter_parts import MatterPartService


def apply_employment(service: Service, session: Session, matter_id: int, draft: EmploymentClaimDraft,
                      claim: EmploymentClaim | None) -> None:
    errors = {}
    unknown = [c for c in draft.claim_types if c not in st.CLAIM_TYPES]
    if unknown:
        errors["claim_types"] = f"Unknown claim types: {', '.join(unknown)}."
    for field, party_id in (("employer_id", draft.employer_id), ("opposing_counsel_id", draft.opposing_counsel_id)):
        if party_id is not None and session.get(Party, party_id) is None:
            errors[field] = "Choose an organisation from the list."
    for field in ("right_to_sue_issued_on", "right_to_sue_received_on"):
        error = check_past_or_near(getattr(draft, field), "That date", service.clock.today())
        if error:
            errors[field] = error
    if (draft.right_to_sue_issued_on and draft.right_to_sue_received_on
            and draft.right_to_sue_received_on < draft.right_to_sue_issued_on):
        errors["right_to_sue_received_on"] = "A notice cannot be received before it was issued."
    if errors:
        raise ValidationError(errors)
    employer_id = draft.employer_id
    if employer_id is None and names.clean(draft.employer_name):
        employer_id = employer_named(service, session, names.clean(draft.employer_name))
    values = {"claim_types": json.dumps(list(draft.claim_types)), "employer_id": employer_id,
              "opposing_counsel_id": draft.opposing_counsel_id,
              "right_to_sue_issued_on": draft.right_to_sue_issued_on,
              "right_to_sue_received_on": draft.right_to_sue_received_on}
    if claim is None:
        session.add(EmploymentClaim(matter_id=matter_id, **values, created_by=service.user, updated_by=service.user))
        return
    matter = service.load(session, Matter, matter_id, "Matter")
    service.save_with_audit(session, claim, values, "employment_claim", "edited the employment claim",
                            client_id=matter.client_id, entity_id=matter_id)


def employer_named(service: Service, session: Session, name: str) -> int:
    """The employer called `name`, added to the organisations if the office has not met it yet."""
    folded = names.fold(name)
    existing = session.scalars(select(Party.id).where(Party.kind == "employer", Party.name_folded == folded)).first()
    if existing is not None:
        return int(existing)
    party = Party(kind="employer", name=name, name_folded=folded, created_by=service.user, updated_by=service.user)
    session.add(party)
    session.flush()
    search.upsert(session, search.party_entry(party))
    audit.record(session, service.user, "create", "party", party.id, f"added the employer {name}")
    return party.id


def employment_details(session: Session, claim: EmploymentClaim) -> EmploymentClaimDetails:
    employer = session.get(Party, claim.employer_id) if claim.employer_id else None
    counsel = session.get(Party, claim.opposing_counsel_id) if claim.opposing_counsel_id else None
    filings = tuple(filing_details(f) for f in session.scalars(
        select(AgencyFiling).where(AgencyFiling.matter_id == claim.matter_id).order_by(AgencyFiling.id)))
    return EmploymentClaimDetails(
        claim_types=tuple(json.loads(claim.claim_types)), employer_id=claim.employer_id,
        opposing_counsel_id=claim.opposing_counsel_id, right_to_sue_issued_on=claim.right_to_sue_issued_on,
        right_to_sue_received_on=claim.right_to_sue_received_on, matter_id=claim.matter_id,
        employer_name=employer.name if employer else "", opposing_counsel_name=counsel.name if counsel else "",
        filings=filings, version=claim.version)


def filing_details(filing: AgencyFiling) -> AgencyFilingDetails:
    return AgencyFilingDetails(
        agency=filing.agency, number=filing.number, filed_on=filing.filed_on,
        right_to_sue_issued_on=filing.right_to_sue_issued_on, right_to_sue_received_on=filing.right_to_sue_received_on,
        notes=filing.notes, id=filing.id, matter_id=filing.matter_id, version=filing.version)


class EmploymentService(MatterPartService):
    def update_employment(self, matter_id: int, draft: EmploymentClaimDraft, expected_version: int) -> MatterDetails:
        self.require("matters.edit")
        with self._db.write() as session:
            claim = self.load(session, EmploymentClaim, matter_id, "Employment claim")
            self.check_version(claim, expected_version, "This employment claim")
            before_received = claim.right_to_sue_received_on
            apply_employment(self, session, matter_id, draft, claim)
            matter = self.load(session, Matter, matter_id, "Matter")
            self._touch_matter(matter)
            session.flush()
            search.reindex_matter(session, matter)
            if draft.right_to_sue_received_on and draft.right_to_sue_received_on != before_received:
                self._apply_deadline_event(session, matter_id, "eeoc_right_to_sue_received",
                                           draft.right_to_sue_received_on)
            from .matters import matter_details  # (matters imports this module)

            return matter_details(session, matter_id)

    def add_agency_filing(self, matter_id: int, draft: AgencyFilingDraft) -> AgencyFilingDetails:
        self.require("matters.edit")
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
            return filing_details(filing)

    def update_agency_filing(self, filing_id: int, draft: AgencyFilingDraft, expected_version: int) -> AgencyFilingDetails:
        self.require("matters.edit")
        values = self._check_filing(draft)
        with self._db.write() as session:
            filing = self.load(session, AgencyFiling, filing_id, "Agency filing")
            self.check_version(filing, expected_version, "This agency filing")
            matter = self.load(session, Matter, filing.matter_id, "Matter")
            changes = self.save_with_audit(session, filing, values, "agency_filing", "edited an agency filing",
                                           client_id=matter.client_id)
            self._touch_matter(matter)
            session.flush()
            search.reindex_matter(session, matter)
            if draft.agency == "crd" and draft.right_to_sue_issued_on and "right_to_sue_issued_on" in changes:
                self._apply_deadline_event(session, filing.matter_id, "crd_right_to_sue_issued",
                                           draft.right_to_sue_issued_on)
            if draft.agency == "eeoc" and draft.right_to_sue_received_on and "right_to_sue_received_on" in changes:
                self._apply_deadline_event(session, filing.matter_id, "eeoc_right_to_sue_received",
                                           draft.right_to_sue_received_on)
            return filing_details(filing)

    def _check_filing(self, draft: AgencyFilingDraft) -> dict[str, Any]:
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
            error = check_past_or_near(getattr(draft, field), "That date", self.clock.today())
            if error:
                errors[field] = error
        if errors:
            raise ValidationError(errors)
        return {"agency": draft.agency, "number": number, "filed_on": draft.filed_on,
                "right_to_sue_issued_on": draft.right_to_sue_issued_on,
                "right_to_sue_received_on": draft.right_to_sue_received_on, "notes": draft.notes.strip()}
