"""Benefit applications (USCIS forms) on benefit matters: recording one, its receipt number, and
moving it along its statuses.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from kantor_cases.db.models import BenefitApplication, Matter
from kantor_cases.domain import names
from kantor_cases.domain import statuses as st
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.identifiers import IdentifierError, ReceiptNumber
from kantor_cases.domain.records import BenefitApplicationDetails, BenefitApplicationDraft
from kantor_cases.domain.validation import check_past_or_near

from . import audit, search
from .base import Service
from .matter_parts import MatterPartService


def benefit_values(draft: BenefitApplicationDraft, today: date) -> dict[str, Any]:
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
    error = check_past_or_near(draft.filed_on, "The filing date", today)
    if error:
        errors["filed_on"] = error
    if errors:
        raise ValidationError(errors)
    return {"form": form, "receipt_number": receipt, "filed_on": draft.filed_on, "status": draft.status,
            "notes": draft.notes.strip()}


def benefit_details(application: BenefitApplication) -> BenefitApplicationDetails:
    return BenefitApplicationDetails(
        form=application.form, receipt_number=application.receipt_number or "", filed_on=application.filed_on,
        status=application.status, notes=application.notes, id=application.id, matter_id=application.matter_id,
        version=application.version)


def add_benefit(service: Service, session: Session, matter_id: int, draft: BenefitApplicationDraft) -> BenefitApplication:
    application = BenefitApplication(matter_id=matter_id, **benefit_values(draft, service.clock.today()), created_by=service.user,
                                     updated_by=service.user)
    session.add(application)
    session.flush()
    return application


class BenefitService(MatterPartService):
    def add_benefit_application(self, matter_id: int, draft: BenefitApplicationDraft) -> BenefitApplicationDetails:
        self.require("matters.edit")
        with self._db.write() as session:
            matter = self.load(session, Matter, matter_id, "Matter")
            application = add_benefit(self, session, matter_id, draft)
            self._touch_matter(matter)
            session.flush()
            search.reindex_matter(session, matter)
            audit.record(session, self.user, "create", "benefit_application", application.id,
                         f"recorded an {application.form} application"
                         + (f" ({application.receipt_number})" if application.receipt_number else ""),
                         client_id=matter.client_id)
            return benefit_details(application)

    def update_benefit_application(self, application_id: int, draft: BenefitApplicationDraft,
                                   expected_version: int) -> BenefitApplicationDetails:
        self.require("matters.edit")
        values = benefit_values(draft, self.clock.today())
        with self._db.write() as session:
            application = self.load(session, BenefitApplication, application_id, "Benefit application")
            self.check_version(application, expected_version, "This application")
            if values["status"] != application.status:
                self._check_step(st.BENEFIT_TRANSITIONS, application.status, values["status"], "application status")
            matter = self.load(session, Matter, application.matter_id, "Matter")
            self.save_with_audit(session, application, values, "benefit_application",
                                 f"edited the {values['form']} application", client_id=matter.client_id)
            self._touch_matter(matter)
            session.flush()
            search.reindex_matter(session, matter)
            return benefit_details(application)
