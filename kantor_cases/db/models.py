"""The tables of Kantor Cases. Only `db/` and `services/` see these classes; the UI gets dataclasses.

Tables are added by numbered Alembic migrations in `db/migrations/versions/`; a released
migration is never edited, and `tests/db` checks these classes against the migrated schema.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Editable, now


class AppMeta(Base):
    """Key/value facts about the database itself (created-with version, last backup …)."""

    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False, default="")


class User(Editable, Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    initials: Mapped[str] = mapped_column(String(8), nullable=False, default="")
    role: Mapped[str] = mapped_column(String(20), nullable=False, default="staff")
    email: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    bar_number: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Shown when signing in and in the users list; an encrypted office's keys file keeps a copy for its
    # sign-in list (the file is unreadable until then).
    full_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # A PostgreSQL office's sign-in (an Argon2id PHC string); NULL in a SQLite office, whose
    # passwords unwrap its key instead (db/office_keys.py).
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # Wrong passwords in a row at a PostgreSQL office (growing delays after five). Written with
    # plain UPDATEs, so a wrong password never bumps `version` under someone editing the user.
    sign_in_failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_sign_in_failure: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class FirmSettings(Editable, Base):
    """The letterhead: one row (id = 1)."""

    __tablename__ = "firm_settings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    firm_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    attorney_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    bar_number: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    street: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    city: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    state: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    postal_code: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    email: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    logo_path: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    documents_dir: Mapped[str] = mapped_column(String(500), nullable=False, default="")


class AuditEvent(Base):
    """One row per create, update, delete or status change, written in the same transaction."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=now)
    user_name: Mapped[str] = mapped_column(String(80), nullable=False)
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    entity: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[int | None] = mapped_column(Integer)
    # The client a change concerns, so a client's History tab is one indexed query.
    client_id: Mapped[int | None] = mapped_column(Integer, index=True)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # JSON: {"field": [before, after], ...}
    changes: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    # The tamper-evident chain (db/audit_chain.py), filled in by the commit that writes the row: its
    # place in the chain, the previous row's hash and the SHA-256 of this row's content with it.
    # NULL only between the INSERT and that commit.
    seq: Mapped[int | None] = mapped_column(Integer)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id"),
                      Index("ux_audit_events_seq", "seq", unique=True))


# --- Practice data (migration 0002) -------------------------------------------------------------


class Court(Editable, Base):
    """An immigration court (EOIR location code), editable reference data seeded by 0002."""

    __tablename__ = "courts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    street: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    floor: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    city: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    state: Mapped[str] = mapped_column(String(40), nullable=False, default="CA")
    postal_code: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    detained: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Party(Editable, Base):
    """An organisation or outside person: employer, opposing counsel, agency, court, OPLA office."""

    __tablename__ = "parties"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    name_folded: Mapped[str] = mapped_column(String(300), nullable=False, index=True)
    contact_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    street: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    city: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    state: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    postal_code: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    email: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Client(Editable, Base):
    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    given_name: Mapped[str] = mapped_column(String(200), nullable=False)
    middle_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    family_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    second_family_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # JSON list of other names used.
    aliases: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    # "García López, María": what lists sort and page by (with id as the tie-breaker).
    sort_name: Mapped[str] = mapped_column(String(400), nullable=False)
    # Accent-free, lower-case "maria garcia lopez" for 1–2 character prefix search.
    name_folded: Mapped[str] = mapped_column(String(400), nullable=False)
    family_folded: Mapped[str] = mapped_column(String(400), nullable=False)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    country_of_birth: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    nationality: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    languages: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    preferred_language: Mapped[str] = mapped_column(String(5), nullable=False, default="en")
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    phone_alt: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    email: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    street: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    city: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    state: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    postal_code: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    # Normalised ("A012345678") or NULL; at most one client per A-number (ix_clients_a_number).
    a_number: Mapped[str | None] = mapped_column(String(10))
    intake_date: Mapped[date | None] = mapped_column(Date)
    referral_source: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    detained: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    detention_facility: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    sensitive: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # "mr", "ms" or "" (not recorded): Spanish letters agree with it (migration 0010).
    salutation: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    # Visible only to administrators and the people named on the client (services/restricted.py; 0013).
    restricted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    __table_args__ = (
        Index("ix_clients_a_number", "a_number", unique=True, sqlite_where=text("a_number IS NOT NULL"),
              postgresql_where=text("a_number IS NOT NULL")),
        Index("ix_clients_sort", "sort_name", "id"),
        # Prefix search on the folded name, and the import's "same name and date of birth" check.
        Index("ix_clients_name_dob", "name_folded", "date_of_birth"),
        Index("ix_clients_family_folded", "family_folded"),
        Index("ix_clients_language_sort", "preferred_language", "sort_name", "id"),
        Index("ix_clients_dob", "date_of_birth"),
        # The list's detained / sensitive filters count and page through these without a table scan;
        # they hold the flagged few only, so no other client's save or import goes into them (0021).
        Index("ix_clients_detained_sort", "sort_name", "id", sqlite_where=text("detained = 1"),
              postgresql_where=text("detained")),
        Index("ix_clients_sensitive_sort", "sort_name", "id", sqlite_where=text("sensitive = 1"),
              postgresql_where=text("sensitive")),
        # The few restricted clients, read once per query without touching the others.
        Index("ix_clients_restricted", "id", sqlite_where=text("restricted"), postgresql_where=text("restricted")),
        # The intake report's counts by language, country and source read this alone (0016).
        Index("ix_clients_intake", "intake_date", "preferred_language", "country_of_birth", "referral_source"),
    )


class ClientAccess(Base):
    """A user named on a restricted client: they see the client although they are not an
    administrator or the responsible attorney of one of the client's matters."""

    __tablename__ = "client_access"
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(80), primary_key=True)


class RelatedPerson(Editable, Base):
    __tablename__ = "related_persons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    given_name: Mapped[str] = mapped_column(String(200), nullable=False)
    family_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    name_folded: Mapped[str] = mapped_column(String(400), nullable=False, index=True)
    relationship: Mapped[str] = mapped_column(String(30), nullable=False, default="other")
    immigration_status: Mapped[str] = mapped_column(String(10), nullable=False, default="other")
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    a_number: Mapped[str | None] = mapped_column(String(10), index=True)
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Matter(Editable, Base):
    __tablename__ = "matters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    responsible_attorney_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date, nullable=False)
    closed_on: Mapped[date | None] = mapped_column(Date)
    firm_status: Mapped[str] = mapped_column(String(30), nullable=False, default="intake")
    government_status: Mapped[str | None] = mapped_column(String(30))
    # JSON of the conflict check run at intake, and who acknowledged it.
    conflict_check: Mapped[str] = mapped_column(Text, nullable=False, default="")
    conflict_acknowledged_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    conflict_acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_activity_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=now)

    __table_args__ = (
        Index("ix_matters_kind_status", "kind", "firm_status"),
        # The daily "no activity for 60 days" check reads open matters by last activity.
        Index("ix_matters_activity", "closed_on", "last_activity_at"),
        # The reports' caseload and matters opened in a range, read from the index alone (0016).
        Index("ix_matters_open_caseload", "closed_on", "responsible_attorney_id", "kind", "firm_status",
              "government_status", "client_id"),
        Index("ix_matters_opened", "opened_on", "kind", "responsible_attorney_id", "closed_on", "government_status",
              "client_id"),
        # The employment report's claims by stage and dates (0018).
        Index("ix_matters_kind_dates", "kind", "government_status", "opened_on", "closed_on", "responsible_attorney_id",
              "client_id"),
    )


class StatusChange(Base):
    """Full history of firm, government and PD-request statuses (who, when, from → to, note)."""

    __tablename__ = "status_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    pd_request_id: Mapped[int | None] = mapped_column(ForeignKey("pd_requests.id", ondelete="CASCADE"),
                                                      index=True)
    track: Mapped[str] = mapped_column(String(12), nullable=False)  # firm / government / pd
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=now)
    user_name: Mapped[str] = mapped_column(String(80), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")


class RemovalCase(Editable, Base):
    __tablename__ = "removal_cases"
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), primary_key=True)
    court_id: Mapped[int | None] = mapped_column(ForeignKey("courts.id"), index=True)
    judge: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    proceeding_type: Mapped[str] = mapped_column(String(60), nullable=False, default="removal (INA 240)")
    custody: Mapped[str] = mapped_column(String(20), nullable=False, default="never_detained")
    nta_date: Mapped[date | None] = mapped_column(Date)
    charges: Mapped[str] = mapped_column(Text, nullable=False, default="")
    relief_sought: Mapped[str] = mapped_column(Text, nullable=False, default="[]")  # JSON list of ids
    last_verified_on: Mapped[date | None] = mapped_column(Date, index=True)
    last_verified_via: Mapped[str] = mapped_column(String(20), nullable=False, default="")


class Hearing(Editable, Base):
    __tablename__ = "hearings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    court_id: Mapped[int | None] = mapped_column(ForeignKey("courts.id"))
    courtroom: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    judge: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    hearing_type: Mapped[str] = mapped_column(String(20), nullable=False, default="master")
    interpreter_language: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    result: Mapped[str] = mapped_column(Text, nullable=False, default="")
    next_step: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # An attorney confirmed a hearing on a day the courts are closed (migration 0009).
    special_setting: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    # Covering indexes: "who has a hearing in the next 30 days" and the Hearings view by court
    # never touch the wide hearing rows.
    __table_args__ = (
        Index("ix_hearings_starts_matter", "starts_at", "matter_id"),
        Index("ix_hearings_court_starts", "court_id", "starts_at"),
        # The hearings report by court, month and judge (0016).
        Index("ix_hearings_starts_court_judge", "starts_at", "court_id", "judge", "matter_id"),
    )


class PdRequest(Editable, Base):
    __tablename__ = "pd_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    regime: Mapped[str] = mapped_column(String(20), nullable=False)
    action_requested: Mapped[str] = mapped_column(String(30), nullable=False)
    opla_office_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    channel: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    submitted_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30), nullable=False, default="draft", index=True)
    status_changed_on: Mapped[date] = mapped_column(Date, nullable=False, default=date.today)
    positive_factors: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    negative_factors: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    factors_notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    exhibits: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    background_check: Mapped[str] = mapped_column(String(20), nullable=False, default="not_started")
    outcome: Mapped[str] = mapped_column(Text, nullable=False, default="")


class EmploymentClaim(Editable, Base):
    __tablename__ = "employment_claims"
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), primary_key=True)
    claim_types: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), index=True)
    opposing_counsel_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), index=True)
    right_to_sue_issued_on: Mapped[date | None] = mapped_column(Date)
    right_to_sue_received_on: Mapped[date | None] = mapped_column(Date)


class AgencyFiling(Editable, Base):
    __tablename__ = "agency_filings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    agency: Mapped[str] = mapped_column(String(10), nullable=False)
    number: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    filed_on: Mapped[date | None] = mapped_column(Date)
    right_to_sue_issued_on: Mapped[date | None] = mapped_column(Date)
    right_to_sue_received_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")


class BenefitApplication(Editable, Base):
    __tablename__ = "benefit_applications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    form: Mapped[str] = mapped_column(String(20), nullable=False)
    receipt_number: Mapped[str | None] = mapped_column(String(13), index=True)
    filed_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30), nullable=False, default="preparing")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")


class SearchEntry(Base):
    """What the front-desk search box looks through; on SQLite an FTS5 trigram index mirrors `text`.

    Rows are written by the services in the same transaction as the record they describe; the
    FTS index follows through triggers created by migration 0002.
    """

    __tablename__ = "search_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # client / matter / party
    ref_id: Mapped[int] = mapped_column(Integer, nullable=False)
    client_id: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(400), nullable=False)
    detail: Mapped[str] = mapped_column(String(400), nullable=False, default="")
    text: Mapped[str] = mapped_column(Text, nullable=False)

    __table_args__ = (Index("ix_search_entries_ref", "kind", "ref_id", unique=True),)


# --- Deadlines, follow-ups and letters (migration 0003) -------------------------------------------


class Deadline(Editable, Base):
    """A due date produced by a rule from a trigger event (or typed in), never deleted: done or superseded.

    When a trigger date changes, the old row is marked superseded (history kept) and a new one is
    computed. An override keeps the computed date beside the attorney's date and reason.
    """

    __tablename__ = "deadlines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    rule_id: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    title: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    trigger_event: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    trigger_date: Mapped[date | None] = mapped_column(Date)
    raw_due: Mapped[date | None] = mapped_column(Date)
    computed_due: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    rolled_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    calendar: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    citation: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    override_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    assignee: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    done_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    # The court decision (a status change) that set it off, so undoing the change takes it back.
    status_change_id: Mapped[int | None] = mapped_column(Integer, index=True)

    __table_args__ = (Index("ix_deadlines_open_due", "done_at", "superseded_at", "due_on"),
                      Index("ix_deadlines_assignee", "assignee", "done_at", "due_on"),
                      # The employment report's suit deadlines still open ahead (0018).
                      Index("ix_deadlines_rule_open", "rule_id", "done_at", "superseded_at", "due_on", "matter_id"),
                      # The deadlines-kept report counts a year of them from this alone (0019).
                      Index("ix_deadlines_kept", "due_on", "superseded_at", "matter_id", "rule_id", "done_at",
                            "override_reason"))


class FollowUp(Editable, Base):
    """A staff task on a client or matter: due date, assignee, note; recurring, snoozable, escalating."""

    __tablename__ = "follow_ups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), index=True)
    assignee: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="open")  # open / done
    recurrence_days: Mapped[int | None] = mapped_column(Integer)
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    escalated_to: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Automatic follow-ups carry a key ("eoir-verify:matter:12") so they are raised only once.
    auto_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    done_note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    __table_args__ = (Index("ix_follow_ups_open_due", "status", "due_on"),
                      # Covering (migration 0017): Today's counts for one person read the index alone.
                      Index("ix_follow_ups_assignee", "assignee", "status", "due_on", "snoozed_until", "auto_key",
                            "client_id"),
                      Index("ix_follow_ups_escalated", "escalated_to", "status", "due_on"),
                      # Today's counts and list (migration 0015): those people entered, and each
                      # automatic rule's (its keys start with the rule's id), read without the others.
                      *(Index(name, "status", "due_on", "snoozed_until", "client_id", "auto_key",
                              sqlite_where=text(where), postgresql_where=text(where)) for name, where in (
                          ("ix_follow_ups_entered", "auto_key IS NULL"),
                          ("ix_follow_ups_eoir_verify", "auto_key >= 'eoir-verify:' AND auto_key < 'eoir-verify;'"),
                          ("ix_follow_ups_inactive", "auto_key >= 'inactive:' AND auto_key < 'inactive;'"),
                          ("ix_follow_ups_hearing_reminder",
                           "auto_key >= 'hearing-reminder:' AND auto_key < 'hearing-reminder;'"),
                          # Migration 0020.
                          ("ix_follow_ups_send_retainer",
                           "auto_key >= 'send-retainer:' AND auto_key < 'send-retainer;'"))))


class LetterTemplate(Base):
    """An attorney's edited copy of a built-in letter template; each save is a new version."""

    __tablename__ = "letter_templates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[str] = mapped_column(String(40), nullable=False)
    language: Mapped[str] = mapped_column(String(5), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    source: Mapped[str] = mapped_column(Text, nullable=False)
    # False once reverted to the built-in text (the versions stay for the record).
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=now)
    created_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    __table_args__ = (Index("ix_letter_templates_id_lang_version", "template_id", "language", "version",
                            unique=True),)


class Letter(Base):
    """The letter log: every generated letter, with the data it was made from so it can be remade."""

    __tablename__ = "letters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), index=True)
    hearing_id: Mapped[int | None] = mapped_column(ForeignKey("hearings.id", ondelete="SET NULL"), index=True)
    template_id: Mapped[str] = mapped_column(String(40), nullable=False)
    template_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # 0 = built-in
    language: Mapped[str] = mapped_column(String(5), nullable=False)
    recipient: Mapped[str] = mapped_column(String(400), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=now)
    created_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    file_path: Mapped[str] = mapped_column(String(1000), nullable=False, default="")
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    fields: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON
    batch_id: Mapped[str] = mapped_column(String(40), nullable=False, default="")

    __table_args__ = (Index("ix_letters_template_hearing", "template_id", "hearing_id"),)


# --- The firm's own deadline rule versions (migration 0007) -----------------------------------------


class DeadlineRuleChange(Editable, Base):
    """A change the firm made to the deadline rules, kept for good: either its own version of a rule
    (period, citation, effective date, reason) or, with `switch` set, turning on a version the program
    stores but does not use by default. Taking one back sets `withdrawn_at`; the row stays.
    """

    __tablename__ = "deadline_rule_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    switch: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    label: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    period_amount: Mapped[int | None] = mapped_column(Integer)
    period_unit: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    citation: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    effective_from: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
