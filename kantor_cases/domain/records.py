"""Plain, immutable records the services hand to the window, the CLI and the letters.

`…Draft` is unsaved input, `…Row` a line of a list, `…Details` one record in full. None of them
is tied to a database session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from .identifiers import format_a_number
from .names import full_name, sort_name


def city_line(city: str, state: str, postal_code: str) -> str:
    """ "Los Angeles, CA 90012"; empty when there is neither a city nor a postal code (a state alone,
    as the state column's default "CA", is not an address line)."""
    if not city and not postal_code:
        return ""
    return " ".join(p for p in (f"{city}," if city else "", state, postal_code) if p).strip(", ")


def address_lines(street: str, city: str, state: str, postal_code: str) -> tuple[str, ...]:
    """A US mailing address as the lines an envelope shows."""
    return tuple(line for line in (street, city_line(city, state, postal_code)) if line)


def plain(record: Any) -> dict[str, Any]:
    """A JSON-ready dict of a record (dates as ISO strings)."""

    def convert(value: Any) -> Any:
        if isinstance(value, date | datetime):
            return value.isoformat()
        if isinstance(value, tuple | list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    return {key: convert(value) for key, value in asdict(record).items()}


@dataclass(frozen=True)
class ClientDraft:
    given_name: str
    family_name: str = ""
    middle_name: str = ""
    second_family_name: str = ""
    aliases: tuple[str, ...] = ()
    date_of_birth: date | None = None
    country_of_birth: str = ""
    nationality: str = ""
    languages: str = ""
    preferred_language: str = "en"
    phone: str = ""
    phone_alt: str = ""
    email: str = ""
    street: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    a_number: str = ""
    intake_date: date | None = None
    referral_source: str = ""
    notes: str = ""
    detained: bool = False
    detention_facility: str = ""
    sensitive: bool = False
    salutation: str = ""  # "mr", "ms" or "" (not recorded); letters agree with it


CLIENT_FIELDS = tuple(ClientDraft.__dataclass_fields__)


@dataclass(frozen=True)
class ClientDetails(ClientDraft):
    id: int = 0
    version: int = 0
    created_at: datetime | None = None
    created_by: str = ""
    updated_at: datetime | None = None
    updated_by: str = ""

    @property
    def full_name(self) -> str:
        return full_name(self.given_name, self.middle_name, self.family_name, self.second_family_name)

    @property
    def sort_name(self) -> str:
        return sort_name(self.given_name, self.family_name, self.second_family_name)

    @property
    def a_number_display(self) -> str:
        return format_a_number(self.a_number)

    @property
    def address_lines(self) -> tuple[str, ...]:
        return address_lines(self.street, self.city, self.state, self.postal_code)

    def draft(self) -> ClientDraft:
        return ClientDraft(**{name: getattr(self, name) for name in CLIENT_FIELDS})


@dataclass(frozen=True)
class ClientRow:
    id: int
    name: str
    a_number: str
    date_of_birth: date | None
    preferred_language: str
    phone: str
    detained: bool
    sensitive: bool
    next_hearing: datetime | None = None


@dataclass(frozen=True)
class ClientQuery:
    """What the clients list shows: filters and sort, all applied in SQL."""

    text: str = ""
    detained: bool | None = None
    sensitive: bool | None = None
    language: str | None = None
    hearing_within_days: int | None = None
    sort: str = "name"  # name / a_number / date_of_birth / id
    descending: bool = False


@dataclass(frozen=True)
class RelatedPersonDraft:
    given_name: str
    family_name: str = ""
    relationship: str = "other"
    immigration_status: str = "other"
    date_of_birth: date | None = None
    a_number: str = ""
    phone: str = ""
    notes: str = ""


@dataclass(frozen=True)
class RelatedPersonDetails(RelatedPersonDraft):
    id: int = 0
    client_id: int = 0
    version: int = 0

    @property
    def name(self) -> str:
        return full_name(self.given_name, "", self.family_name)


@dataclass(frozen=True)
class PartyDraft:
    kind: str
    name: str
    contact_name: str = ""
    street: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    phone: str = ""
    email: str = ""
    notes: str = ""


@dataclass(frozen=True)
class PartyDetails(PartyDraft):
    id: int = 0
    version: int = 0


@dataclass(frozen=True)
class CourtDetails:
    id: int
    code: str
    name: str
    street: str
    floor: str
    city: str
    state: str
    postal_code: str
    phone: str
    detained: bool
    active: bool
    notes: str
    version: int = 0

    @property
    def address(self) -> str:
        first = ", ".join(p for p in (self.street, self.floor) if p)
        return ", ".join(p for p in (first, self.city, f"{self.state} {self.postal_code}".strip()) if p)


@dataclass(frozen=True)
class StatusChangeRow:
    track: str
    from_status: str | None
    to_status: str
    at: datetime
    user_name: str
    note: str


@dataclass(frozen=True)
class RemovalCaseDraft:
    court_id: int | None = None
    judge: str = ""
    proceeding_type: str = "removal (INA 240)"
    custody: str = "never_detained"
    nta_date: date | None = None
    charges: str = ""
    relief_sought: tuple[str, ...] = ()


@dataclass(frozen=True)
class RemovalCaseDetails(RemovalCaseDraft):
    matter_id: int = 0
    court_code: str = ""
    court_name: str = ""
    last_verified_on: date | None = None
    last_verified_via: str = ""
    version: int = 0


@dataclass(frozen=True)
class HearingDraft:
    starts_at: datetime
    hearing_type: str = "master"
    court_id: int | None = None
    courtroom: str = ""
    judge: str = ""
    interpreter_language: str = ""
    result: str = ""
    next_step: str = ""
    special_setting: bool = False  # an attorney confirmed the court sits on this weekend or holiday


@dataclass(frozen=True)
class HearingDetails(HearingDraft):
    id: int = 0
    matter_id: int = 0
    client_id: int = 0
    client_name: str = ""
    client_sensitive: bool = False  # privacy mode masks the name
    court_code: str = ""
    court_name: str = ""
    version: int = 0
    reminder_sent: bool = False


@dataclass(frozen=True)
class PdRequestDraft:
    regime: str
    action_requested: str
    opla_office_id: int | None = None
    channel: str = ""
    submitted_on: date | None = None
    positive_factors: tuple[str, ...] = ()
    negative_factors: tuple[str, ...] = ()
    factors_notes: str = ""
    exhibits: tuple[str, ...] = ()
    background_check: str = "not_started"
    outcome: str = ""


@dataclass(frozen=True)
class PdRequestDetails(PdRequestDraft):
    id: int = 0
    matter_id: int = 0
    client_id: int = 0
    client_name: str = ""
    status: str = "draft"
    status_changed_on: date | None = None
    opla_office_name: str = ""
    version: int = 0
    history: tuple[StatusChangeRow, ...] = ()
    allowed_next: tuple[str, ...] = ()


@dataclass(frozen=True)
class PdRequestRow:
    id: int
    matter_id: int
    client_id: int
    client_name: str
    a_number: str
    status: str
    status_label: str
    action_requested: str
    regime: str
    submitted_on: date | None
    age_days: int
    next_step: str
    sensitive: bool = False  # the client's: privacy mode masks the name


@dataclass(frozen=True)
class AgencyFilingDraft:
    agency: str
    number: str = ""
    filed_on: date | None = None
    right_to_sue_issued_on: date | None = None
    right_to_sue_received_on: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class AgencyFilingDetails(AgencyFilingDraft):
    id: int = 0
    matter_id: int = 0
    version: int = 0


@dataclass(frozen=True)
class EmploymentClaimDraft:
    claim_types: tuple[str, ...] = ()
    employer_id: int | None = None
    opposing_counsel_id: int | None = None
    right_to_sue_issued_on: date | None = None
    right_to_sue_received_on: date | None = None
    # A new employer typed by name (no id yet): found or added in the same transaction as the claim.
    employer_name: str = ""


@dataclass(frozen=True)
class EmploymentClaimDetails(EmploymentClaimDraft):
    matter_id: int = 0
    employer_name: str = ""
    opposing_counsel_name: str = ""
    filings: tuple[AgencyFilingDetails, ...] = ()
    version: int = 0


@dataclass(frozen=True)
class BenefitApplicationDraft:
    form: str
    receipt_number: str = ""
    filed_on: date | None = None
    status: str = "preparing"
    notes: str = ""


@dataclass(frozen=True)
class BenefitApplicationDetails(BenefitApplicationDraft):
    id: int = 0
    matter_id: int = 0
    version: int = 0


@dataclass(frozen=True)
class MatterDraft:
    kind: str
    title: str = ""
    responsible_attorney_id: int | None = None
    opened_on: date | None = None
    removal: RemovalCaseDraft | None = None
    employment: EmploymentClaimDraft | None = None
    benefit: BenefitApplicationDraft | None = None


@dataclass(frozen=True)
class MatterRow:
    id: int
    client_id: int
    client_name: str
    kind: str
    title: str
    firm_status: str
    government_status: str | None
    responsible_attorney: str
    opened_on: date
    closed_on: date | None
    sensitive: bool = False  # the client's: privacy mode masks the name


@dataclass(frozen=True)
class MatterDetails:
    id: int
    client_id: int
    client_name: str
    kind: str
    title: str
    responsible_attorney_id: int | None
    responsible_attorney: str
    opened_on: date
    closed_on: date | None
    firm_status: str
    government_status: str | None
    version: int
    conflict_check: str = ""
    conflict_acknowledged_by: str = ""
    conflict_acknowledged_at: datetime | None = None
    removal: RemovalCaseDetails | None = None
    employment: EmploymentClaimDetails | None = None
    benefits: tuple[BenefitApplicationDetails, ...] = ()
    hearings: tuple[HearingDetails, ...] = ()
    pd_requests: tuple[PdRequestDetails, ...] = ()
    history: tuple[StatusChangeRow, ...] = ()
    allowed_firm_next: tuple[str, ...] = ()
    allowed_government_next: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchHit:
    kind: str  # client / matter / party / related
    id: int
    name: str
    detail: str = ""
    client_id: int | None = None
    why: str = ""
    sensitive: bool = False  # the client it belongs to is; privacy mode masks the line


@dataclass(frozen=True)
class ConflictCandidate:
    """Who is looked for: a prospective client or an opposing party."""

    name: str
    a_number: str = ""
    date_of_birth: date | None = None
    employer: str = ""


@dataclass(frozen=True)
class ConflictHit:
    kind: str  # client / related / party
    id: int
    name: str
    client_id: int | None
    reasons: tuple[str, ...]
    score: int
    detail: str = ""
    # Whose record it is, in words with ids ("spouse of María García López, client 1482"), and the
    # matter to open for an organisation that is a party in one.
    relation: str = ""
    matter_id: int | None = None


@dataclass(frozen=True)
class ConflictReport:
    candidate: ConflictCandidate
    hits: tuple[ConflictHit, ...]
    checked_at: datetime
    checked_by: str

    @property
    def clear(self) -> bool:
        return not self.hits


@dataclass(frozen=True)
class UserDetails:
    id: int
    name: str
    initials: str
    role: str
    email: str = ""
    bar_number: str = ""
    active: bool = True
    version: int = 0
    full_name: str = ""


@dataclass(frozen=True)
class FirmSettingsDetails:
    firm_name: str
    attorney_name: str
    bar_number: str
    street: str
    city: str
    state: str
    postal_code: str
    phone: str
    email: str
    logo_path: str
    documents_dir: str
    version: int = 0

    @property
    def address_lines(self) -> tuple[str, ...]:
        return address_lines(self.street, self.city, self.state, self.postal_code)


@dataclass(frozen=True)
class ImportProblem:
    row: int  # the line the record starts on (1: the header)
    column: str
    reason: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did with every record of the file (a blank line is not a record).

    Each record is invalid (`problems`), a duplicate (`duplicates`) or valid; the valid ones are all
    imported, or none of them (`held_back`: a dry run, or invalid rows without skip_invalid).
    """

    rows: int
    imported: int
    skipped_duplicates: int
    problems: tuple[ImportProblem, ...]
    dry_run: bool
    backup: str = ""
    duplicates: tuple[ImportProblem, ...] = field(default=())
    warnings: tuple[ImportProblem, ...] = field(default=())  # columns left out; no row is rejected for them
    # Valid rows that may be someone already in the records (a client's relative, an organisation on
    # file, a client of the same name): imported or not like any valid row, listed to be looked at.
    conflicts: tuple[ImportProblem, ...] = field(default=())
    # A big import commits once the safety backup's pages are sound; the rest of that backup's check
    # (each table against its indexes) may still be running. Calling this waits for it: the backup's
    # path, or DamagedDatabaseError when it failed (the backup is then deleted).
    backup_check: Callable[[], str] | None = field(default=None, compare=False, repr=False)

    @property
    def rejected(self) -> int:
        return len({p.row for p in self.problems})

    @property
    def valid(self) -> int:
        return self.rows - self.rejected - self.skipped_duplicates

    @property
    def held_back(self) -> int:
        return self.valid - self.imported
