"""The statuses a matter, a removal case and a PD request move through, and the allowed steps.

Allowed paths follow DOMAIN.md §2–4. A status change outside these paths is refused, so the
history always tells a story the attorney recognises.
"""

from __future__ import annotations

from enum import StrEnum


class MatterKind(StrEnum):
    REMOVAL = "removal"
    BENEFIT = "benefit"
    EMPLOYMENT = "employment"
    LABOR = "labor"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "removal": "Removal defense",
            "benefit": "Immigration benefit",
            "employment": "Employment claim",
            "labor": "Labor (union / NLRB)",
            "other": "Other",
        }[self.value]

    @property
    def is_government(self) -> bool:
        """Matters whose progress a court or agency also reports (so they carry a government status)."""
        return self is not MatterKind.OTHER


class FirmStatus(StrEnum):
    INTAKE = "intake"
    ENGAGED = "engaged"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


FIRM_TRANSITIONS: dict[str, frozenset[str]] = {
    "intake": frozenset({"engaged", "closed"}),
    "engaged": frozenset({"active", "on_hold", "closed"}),
    "active": frozenset({"on_hold", "closed"}),
    "on_hold": frozenset({"active", "closed"}),
    # A closed matter may be reopened (a case recalendared years later).
    "closed": frozenset({"active"}),
}


class CourtStatus(StrEnum):
    NTA_SERVED = "nta_served"
    PENDING_NO_HEARING = "pending_no_hearing"
    MASTER_SET = "master_set"
    CONTINUED = "continued"
    INDIVIDUAL_SET = "individual_set"
    DECISION_RESERVED = "decision_reserved"
    RELIEF_GRANTED = "relief_granted"
    REMOVAL_ORDERED = "removal_ordered"
    VOLUNTARY_DEPARTURE = "voluntary_departure"
    IN_ABSENTIA = "in_absentia"
    ADMIN_CLOSED = "admin_closed"
    TERMINATED = "terminated"
    DISMISSED = "dismissed"
    CHANGE_OF_VENUE = "change_of_venue"
    BIA_APPEAL = "bia_appeal"
    BIA_DISMISSED = "bia_dismissed"
    BIA_SUSTAINED = "bia_sustained"
    BIA_REMANDED = "bia_remanded"
    MOTION_PENDING = "motion_pending"
    PFR_PENDING = "pfr_pending"
    FINAL = "final"


COURT_STATUS_LABELS: dict[str, str] = {
    "nta_served": "NTA served, not yet filed",
    "pending_no_hearing": "Pending, no hearing scheduled",
    "master_set": "Pending, master calendar set",
    "continued": "Continued",
    "individual_set": "Individual (merits) hearing set",
    "decision_reserved": "Decision reserved (cancellation cap)",
    "relief_granted": "Decision: relief granted",
    "removal_ordered": "Decision: removal ordered",
    "voluntary_departure": "Decision: voluntary departure",
    "in_absentia": "Ordered removed in absentia",
    "admin_closed": "Administratively closed",
    "terminated": "Terminated",
    "dismissed": "Dismissed",
    "change_of_venue": "Change of venue",
    "bia_appeal": "Appeal pending at the BIA",
    "bia_dismissed": "BIA: appeal dismissed",
    "bia_sustained": "BIA: appeal sustained",
    "bia_remanded": "BIA: remanded",
    "motion_pending": "Motion to reopen/reconsider pending",
    "pfr_pending": "Petition for review pending (9th Cir.)",
    "final": "Final / closed",
}

_PENDING = {"pending_no_hearing", "master_set", "continued", "individual_set"}
_DECIDED = {"relief_granted", "removal_ordered", "voluntary_departure", "in_absentia"}
_ENDED = {"terminated", "dismissed"}
# Heard on the merits, decided later: a judge reserves a grant of non-LPR cancellation when the
# year's 4,000 grants are used up (INA 240A(e); 8 CFR 1240.21(c)).
_MERITS_HEARD = {"continued", "individual_set"}

COURT_TRANSITIONS: dict[str, frozenset[str]] = {
    "nta_served": frozenset({"pending_no_hearing", "master_set", "terminated", "dismissed"}),
    **{
        s: frozenset(_PENDING - {s} | _DECIDED | _ENDED | {"admin_closed", "change_of_venue"}
                     | ({"decision_reserved"} if s in _MERITS_HEARD else set()))
        for s in _PENDING
    },
    "decision_reserved": frozenset(_DECIDED - {"in_absentia"} | _ENDED | {"individual_set"}),
    **{s: frozenset({"bia_appeal", "motion_pending", "final"}) for s in _DECIDED},
    # No appeal lies from an in-absentia order: the path is a motion to reopen/rescind
    # (INA 240(b)(5)(C); 8 CFR 1003.23(b)(4)(ii)).
    "in_absentia": frozenset({"motion_pending", "final"}),
    "admin_closed": frozenset({"pending_no_hearing", "master_set", "terminated", "dismissed", "final"}),
    "terminated": frozenset({"final", "bia_appeal"}),
    "dismissed": frozenset({"final", "bia_appeal"}),
    "change_of_venue": frozenset({"master_set", "individual_set"}),
    "bia_appeal": frozenset({"bia_dismissed", "bia_sustained", "bia_remanded"}),
    "bia_dismissed": frozenset({"pfr_pending", "motion_pending", "final"}),
    "bia_sustained": frozenset({"master_set", "individual_set", "final"}),
    "bia_remanded": frozenset({"pending_no_hearing", "master_set", "individual_set"}),
    "motion_pending": frozenset({"pending_no_hearing", "master_set", "individual_set", "final", "bia_appeal",
                                 "pfr_pending"}),
    "pfr_pending": frozenset({"final", "bia_remanded", "master_set"}),
    # A final order can still be reopened by motion (e.g. in-absentia rescission).
    "final": frozenset({"motion_pending"}),
}


class PdStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    INFO_REQUESTED = "info_requested"
    OFFER_RECEIVED = "offer_received"
    BACKGROUND_CHECK = "background_check"
    CLEARED = "cleared"
    ADVERSE = "adverse"
    OFFER_ACCEPTED = "offer_accepted"
    OFFER_DECLINED = "offer_declined"
    JOINT_MOTION_FILED = "joint_motion_filed"
    GRANTED = "granted"
    DENIED = "denied"
    NO_RESPONSE = "no_response"
    WITHDRAWN = "withdrawn"
    RECALENDARED = "recalendared"


PD_STATUS_LABELS: dict[str, str] = {
    "draft": "Draft",
    "submitted": "Submitted",
    "under_review": "Acknowledged / under review",
    "info_requested": "More information requested",
    "offer_received": "Offer received",
    "background_check": "Background check pending",
    "cleared": "Background check cleared",
    "adverse": "Background check adverse",
    "offer_accepted": "Offer accepted",
    "offer_declined": "Offer declined",
    "joint_motion_filed": "Joint motion filed",
    "granted": "Granted by the judge",
    "denied": "Denied",
    "no_response": "No response",
    "withdrawn": "Withdrawn",
    "recalendared": "Recalendared",
}

PD_TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"submitted", "withdrawn"}),
    "submitted": frozenset({"under_review", "info_requested", "offer_received", "denied", "no_response",
                            "withdrawn"}),
    "under_review": frozenset({"info_requested", "offer_received", "denied", "no_response", "withdrawn"}),
    "info_requested": frozenset({"under_review", "offer_received", "denied", "no_response", "withdrawn"}),
    "offer_received": frozenset({"background_check", "offer_accepted", "offer_declined", "withdrawn"}),
    "background_check": frozenset({"cleared", "adverse", "withdrawn"}),
    "cleared": frozenset({"offer_accepted", "offer_declined"}),
    "adverse": frozenset({"denied", "withdrawn"}),
    "offer_accepted": frozenset({"joint_motion_filed", "withdrawn"}),
    "offer_declined": frozenset(),
    "joint_motion_filed": frozenset({"granted", "denied"}),
    "granted": frozenset({"recalendared"}),
    "denied": frozenset(),
    "no_response": frozenset({"under_review", "offer_received", "denied", "withdrawn"}),
    "withdrawn": frozenset(),
    "recalendared": frozenset(),
}

PD_OPEN_STATUSES = frozenset(s for s, nxt in PD_TRANSITIONS.items() if nxt and s != "granted")

PD_NEXT_STEP: dict[str, str] = {
    "draft": "Finish the packet and submit it to OPLA",
    "submitted": "Wait for acknowledgment; follow up with OPLA after 30 days",
    "under_review": "Follow up with OPLA; keep preparing for the next hearing",
    "info_requested": "Send the documents OPLA asked for",
    "offer_received": "Discuss the offer with the client",
    "background_check": "Wait for the background check; keep preparing for court",
    "cleared": "Client decides whether to accept the offer",
    "adverse": "Review the adverse result with the client",
    "offer_accepted": "File the joint motion with the court",
    "offer_declined": "Continue with relief in court",
    "joint_motion_filed": "Wait for the judge's order",
    "granted": "Close out; watch for recalendaring",
    "denied": "Continue with relief in court",
    "no_response": "Follow up with OPLA or resubmit",
    "withdrawn": "None",
    "recalendared": "Prepare for the recalendared hearing",
}

PD_REGIMES: dict[str, str] = {
    "morton-2011": "Morton memo (17 Jun 2011) and the 2011–2012 case review",
    "johnson-2014": "Johnson priorities (2014–2017)",
    "doyle-2022": "Mayorkas guidelines / Doyle memo (2021–2022)",
    "post-2025": "After January 2025 (uncertain)",
}

PD_ACTIONS: dict[str, str] = {
    "dismissal": "Dismissal",
    "admin_closure": "Administrative closure",
    "termination": "Termination",
    "join_motion_reopen": "Joining a motion to reopen",
    "stipulation": "Stipulation",
    "no_opposition_continuance": "Not opposing a continuance",
    "deferred_action": "Deferred action",
    "release": "Release from detention",
}

PD_POSITIVE_FACTORS: dict[str, str] = {
    "long_presence": "Long presence in the United States",
    "arrived_as_child": "Arrived as a child",
    "us_education": "Education in the United States",
    "military": "Military service (self or relative)",
    "community_ties": "Ties and contributions to the community",
    "age": "Age (very young or elderly)",
    "usc_lpr_family": "US-citizen or LPR spouse, child or parent",
    "caretaker": "Primary caretaker of a disabled, minor or seriously ill person",
    "pregnant_nursing": "Pregnant or nursing",
    "serious_illness": "Serious illness",
    "other_relief": "Likely eligible for other relief",
    "crime_victim": "Victim of crime",
    "cooperation": "Cooperation with law enforcement",
}

PD_NEGATIVE_FACTORS: dict[str, str] = {
    "criminal_history": "Criminal history",
    "immigration_history": "Immigration history (prior removals, fraud)",
    "security_concern": "National security or public safety concern",
}

# Background check states of a PD request, shown on the request screen.
BACKGROUND_CHECK_STATES = ("not_started", "pending", "cleared", "adverse")


class EmploymentStage(StrEnum):
    INTAKE = "intake"
    CONFLICT_CHECK = "conflict_check"
    ENGAGED = "engaged"
    INVESTIGATION = "investigation"
    AGENCY_FILING = "agency_filing"
    AGENCY_PENDING = "agency_pending"
    RIGHT_TO_SUE = "right_to_sue"
    DEMAND_MEDIATION = "demand_mediation"
    COMPLAINT_FILED = "complaint_filed"
    DISCOVERY = "discovery"
    SETTLED = "settled"
    JUDGMENT = "judgment"
    DISMISSED = "dismissed"
    APPEAL = "appeal"
    CLOSED = "closed"


_EMPLOYMENT_ORDER = [s.value for s in EmploymentStage]
EMPLOYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    # Stages move forward (skipping is allowed: not every claim needs an agency filing);
    # an outcome can be appealed, and anything can close.
    stage: frozenset(_EMPLOYMENT_ORDER[i + 1:]) if stage not in {"settled", "judgment", "dismissed"}
    else frozenset({"appeal", "closed"})
    for i, stage in enumerate(_EMPLOYMENT_ORDER)
}
EMPLOYMENT_TRANSITIONS["appeal"] = frozenset({"judgment", "settled", "dismissed", "closed"})
EMPLOYMENT_TRANSITIONS["closed"] = frozenset()

BENEFIT_STATUSES = ("preparing", "filed", "receipt_received", "biometrics", "rfe", "noid", "interview",
                    "approved", "denied", "withdrawn")
BENEFIT_STATUS_LABELS: dict[str, str] = {
    "preparing": "Preparing",
    "filed": "Filed",
    "receipt_received": "Receipt received",
    "biometrics": "Biometrics scheduled",
    "rfe": "Request for evidence (RFE)",
    "noid": "Notice of intent to deny (NOID)",
    "interview": "Interview scheduled",
    "approved": "Approved",
    "denied": "Denied",
    "withdrawn": "Withdrawn",
}
BENEFIT_TRANSITIONS: dict[str, frozenset[str]] = {
    "preparing": frozenset({"filed", "withdrawn"}),
    "filed": frozenset({"receipt_received", "rfe", "noid", "denied", "withdrawn"}),
    "receipt_received": frozenset({"biometrics", "rfe", "noid", "interview", "approved", "denied", "withdrawn"}),
    "biometrics": frozenset({"rfe", "noid", "interview", "approved", "denied", "withdrawn"}),
    "rfe": frozenset({"noid", "interview", "approved", "denied", "withdrawn"}),
    # A NOID is answered (8 CFR 103.2(b)(8)(iv)); then USCIS decides, or calls the applicant in.
    "noid": frozenset({"interview", "approved", "denied", "withdrawn"}),
    "interview": frozenset({"rfe", "noid", "approved", "denied", "withdrawn"}),
    "approved": frozenset(),
    "denied": frozenset(),
    "withdrawn": frozenset(),
}

LABOR_STATUSES = ("intake", "charge_filed", "investigation", "complaint_issued", "settled", "dismissed",
                  "decided", "closed")
LABOR_TRANSITIONS: dict[str, frozenset[str]] = {
    s: frozenset(LABOR_STATUSES[i + 1:]) for i, s in enumerate(LABOR_STATUSES)
}

# The outcomes a court or agency decides, on any track: recording one is an attorney's call
# (domain/permissions.py, "decision.record"); the steps before them are clerical.
DECISION_STATUSES = frozenset(_DECIDED | _ENDED | {"decision_reserved", "bia_dismissed", "bia_sustained",
                                                   "bia_remanded", "final", "approved", "denied", "settled",
                                                   "judgment", "decided"})

GOVERNMENT_STATUS_PATHS: dict[str, tuple[str, dict[str, frozenset[str]]]] = {
    "removal": ("nta_served", COURT_TRANSITIONS),
    "benefit": ("preparing", BENEFIT_TRANSITIONS),
    "employment": ("intake", EMPLOYMENT_TRANSITIONS),
    "labor": ("intake", LABOR_TRANSITIONS),
}


def final_outcomes(kind: str, track: str) -> frozenset[str]:
    """The statuses on a track (firm, government, pd) that end something: a decision, a status with
    no step after it, or closing the matter. Recording one asks for confirmation first."""
    if track == "firm":
        transitions = FIRM_TRANSITIONS
    elif track == "pd":
        transitions = PD_TRANSITIONS
    else:
        transitions = GOVERNMENT_STATUS_PATHS.get(kind, ("", {}))[1]
    # A PD request granted by the judge can still be recalendared, but the grant is the outcome.
    return frozenset(status for status, after in transitions.items()
                     if status in DECISION_STATUSES or status in (FirmStatus.CLOSED, PdStatus.GRANTED) or not after)


def government_status_label(kind: str, status: str | None) -> str:
    if not status:
        return ""
    if kind == "removal":
        return COURT_STATUS_LABELS.get(status, status)
    if kind == "benefit":
        return BENEFIT_STATUS_LABELS.get(status, status)
    return status.replace("_", " ").capitalize()


HEARING_TYPES: dict[str, str] = {
    "initial_master": "Initial master calendar",
    "master": "Master calendar",
    "master_reset": "Master calendar (reset)",
    "individual": "Individual (merits)",
    "bond": "Bond",
    "status": "Status conference",
}

CUSTODY_STATES: dict[str, str] = {
    "detained": "Detained",
    "never_detained": "Never detained",
    "released": "Released",
}

RELIEF_TYPES: dict[str, str] = {
    "asylum": "Asylum",
    "withholding": "Withholding of removal (INA 241(b)(3))",
    "cat": "CAT withholding/deferral",
    "cancellation_lpr": "Cancellation of removal for LPRs (EOIR-42A)",
    "cancellation_non_lpr": "Cancellation of removal for non-LPRs (EOIR-42B)",
    "adjustment": "Adjustment of status",
    "registry": "Registry",
    "waiver_212h": "Waiver 212(h)",
    "waiver_212i": "Waiver 212(i)",
    "voluntary_departure": "Voluntary departure",
    "termination": "Termination / dismissal / administrative closure",
    "daca": "DACA (outside court)",
}

CLAIM_TYPES: dict[str, str] = {
    "wage_hour": "Wage and hour",
    "misclassification": "Misclassification",
    "paga": "PAGA",
    "feha": "Discrimination, harassment, retaliation (FEHA)",
    "federal_discrimination": "Federal discrimination (Title VII, ADA, ADEA)",
    "leave": "Leave (CFRA, FMLA)",
    "wrongful_termination": "Wrongful termination in violation of public policy",
    "whistleblower": "Whistleblower retaliation",
    "contract": "Contract",
    "ulp": "Union / unfair labor practice",
}

AGENCIES: dict[str, str] = {
    "eeoc": "EEOC",
    "crd": "California Civil Rights Department (CRD)",
    "dlse": "Labor Commissioner (DLSE)",
    "lwda": "LWDA (PAGA notice)",
    "nlrb": "NLRB",
}

RELATIONSHIPS = ("spouse", "child", "parent", "sibling", "partner", "grandparent", "other")
IMMIGRATION_STATUSES: dict[str, str] = {"usc": "US citizen", "lpr": "LPR", "other": "Other"}
PARTY_KINDS: dict[str, str] = {
    "employer": "Employer",
    "opposing_counsel": "Opposing counsel",
    "agency": "Agency",
    "court": "Court",
    "opla": "ICE OPLA office",
    "other": "Other",
}
EOIR_CHANNELS: dict[str, str] = {"acis": "ACIS web portal", "hotline": "1-800-898-7180 hotline",
                                 "court": "Court clerk"}
USER_ROLES = ("attorney", "staff", "admin", "read-only")


def allowed_next(transitions: dict[str, frozenset[str]], current: str | None) -> list[str]:
    if current is None:
        return sorted(transitions)
    return sorted(transitions.get(current, frozenset()))
