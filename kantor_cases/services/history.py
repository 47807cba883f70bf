"""The History an attorney reads: who did what and when to one client, one matter or (for an
administrator) the whole office, filtered by user, date and kind, paged in SQL, and exported as a
PDF that carries the audit chain's head hash so the printout can later prove a rewrite.

It reads `audit_events` through the models; services/audit.py writes and verifies the trail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, or_, select

from kantor_cases.db.models import (
    AgencyFiling,
    AuditEvent,
    BenefitApplication,
    Client,
    Deadline,
    FollowUp,
    Hearing,
    Letter,
    Matter,
    PdRequest,
)
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.errors import KantorError
from kantor_cases.domain.names import full_name
from kantor_cases.letters.history_report import HistoryReport, history_pdf

from . import audit
from .base import Service
from .file_writes import write_atomic
from .output_files import check_output_target

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import Session

    from kantor_cases.db.engine import Database

    from .locations import Locations

# Audit rows whose entity id is the matter's own id (the matter and its one-per-matter parts).
_MATTER_ITSELF = ("matter", "removal_case", "employment_claim")
# Audit rows about a matter's other parts, found through the part's matter_id.
_MATTER_PARTS: tuple[tuple[str, Any], ...] = (
    ("hearing", Hearing), ("deadline", Deadline), ("pd_request", PdRequest), ("agency_filing", AgencyFiling),
    ("benefit_application", BenefitApplication), ("follow_up", FollowUp), ("letter", Letter),
)


@dataclass(frozen=True)
class HistoryFilter:
    """Which rows a History shows: one client's, one matter's or (both None) the whole office's,
    of one user, from `since` to `until` (whole days, both included) and of one kind (the action)."""

    client_id: int | None = None
    matter_id: int | None = None
    user: str | None = None
    since: date | None = None
    until: date | None = None
    kind: str | None = None

    @property
    def office_wide(self) -> bool:
        return self.client_id is None and self.matter_id is None

    def described(self) -> str:
        """The filters in words, for the printout ("all users, all dates" when none)."""
        parts = [f"user {self.user}" if self.user else "all users"]
        if self.since and self.until:
            parts.append(f"{self.since:%d %b %Y} to {self.until:%d %b %Y}")
        elif self.since:
            parts.append(f"from {self.since:%d %b %Y}")
        elif self.until:
            parts.append(f"up to {self.until:%d %b %Y}")
        else:
            parts.append("all dates")
        if self.kind:
            parts.append(f"only “{self.kind}”")
        return ", ".join(parts)


@dataclass(frozen=True)
class TrailState:
    """What the Audit screen says of the chain: healthy, or its problems, and its head."""

    ok: bool
    rows: int
    head_hash: str | None
    head_at: datetime | None
    problems: list[str]


class HistoryService(Service):
    def __init__(self, database: Database, actor: Callable[[], str], locations: Locations | None,
                 backups_folder: Path | None, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__(database, actor, clock)
        self.locations = locations
        self.backups_folder = backups_folder

    # --- reading -----------------------------------------------------------------------------------

    def count(self, where: HistoryFilter) -> int:
        with self._db.read() as session:
            self._may_read(session, where)
            return session.scalar(select(func.count()).select_from(AuditEvent).where(*_conditions(where))) or 0

    def page(self, where: HistoryFilter, offset: int, limit: int) -> list[audit.AuditEntry]:
        """Rows `offset` to `offset + limit` of the History, newest first."""
        with self._db.read() as session:
            self._may_read(session, where)
            return _entries(session, where, offset, limit)

    def users(self, where: HistoryFilter) -> list[str]:
        """The people who appear in this History (whatever its user filter), for the filter's list."""
        scope = replace(where, user=None)
        with self._db.read() as session:
            self._may_read(session, where)
            return list(session.scalars(select(AuditEvent.user_name).where(*_conditions(scope)).distinct()
                                        .order_by(AuditEvent.user_name)))

    def kinds(self, where: HistoryFilter) -> list[str]:
        """The kinds of row (create, update, export, sign-in failed, …) in this History."""
        scope = replace(where, kind=None)
        with self._db.read() as session:
            self._may_read(session, where)
            return list(session.scalars(select(AuditEvent.action).where(*_conditions(scope)).distinct()
                                        .order_by(AuditEvent.action)))

    def trail_state(self) -> TrailState:
        """The chain checked whole (as `audit verify` does) with its head: for the Audit screen."""
        self.require("audit.view_all")
        verdict = audit.verify_trail(self._db, self.backups_folder)
        head = verdict.head
        return TrailState(verdict.ok, verdict.rows, head.row_hash if head else None, head.at if head else None,
                          verdict.problems)

    def title(self, where: HistoryFilter) -> str:
        if where.client_id is not None:
            return f"History of client #{where.client_id}"
        if where.matter_id is not None:
            return f"History of matter #{where.matter_id}"
        return "Audit trail of the office"

    # --- the printout ------------------------------------------------------------------------------

    def export_pdf(self, where: HistoryFilter, target: Path, force: bool = False) -> Path:
        """Write the History as a PDF at `target` (firm, who made it and when, the chain's head hash at
        that moment, every row the filter keeps), and audit the export in the same transaction: a
        file that cannot be written leaves no audit row, and no file leaves without one."""
        self.require("clients.export")
        path = check_output_target(target, self.locations, force=force)
        head = audit.chain_head(self._db)
        with self._db.read() as session:
            self._may_read(session, where)
            report = HistoryReport(
                title=self.title(where),
                subject=_subject(session, where),
                firm_name=_firm_name(session),
                generated_at=self.clock.now(),
                generated_by=self.user,
                filters=where.described(),
                head_hash=head.row_hash if head else "",
                head_seq=head.seq if head else 0,
                head_at=head.at if head else None,
                rows=[(f"{entry.at:%d %b %Y %H:%M}", entry.user_name, entry.action, what(entry))
                      for entry in _entries(session, where, 0, None)],
            )
        pdf = history_pdf(report)
        about = where.client_id if where.client_id is not None else where.matter_id
        entity = "client" if where.client_id is not None else "matter" if where.matter_id is not None else "office"
        with self._db.write() as session:
            audit.record(session, self.user, "export", entity, about,
                         f"exported the {report.title[0].lower()}{report.title[1:]} as a PDF ({len(report.rows)} rows, "
                         f"chain head #{report.head_seq})", client_id=where.client_id)
            write_atomic(path, pdf, shown=path)
        return path

    def _may_read(self, session: Session, where: HistoryFilter) -> None:
        if where.office_wide:
            self.require("audit.view_all", session)


def _conditions(where: HistoryFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.client_id is not None:
        conditions.append(AuditEvent.client_id == where.client_id)
    if where.matter_id is not None:
        conditions.append(_of_matter(where.matter_id))
    if where.user:
        conditions.append(AuditEvent.user_name == where.user)
    if where.since is not None:
        conditions.append(AuditEvent.at >= datetime.combine(where.since, time.min))
    if where.until is not None:
        conditions.append(AuditEvent.at < datetime.combine(where.until + timedelta(days=1), time.min))
    if where.kind:
        conditions.append(AuditEvent.action == where.kind)
    return conditions


def _of_matter(matter_id: int) -> ColumnElement[bool]:
    """The rows about the matter and its parts. A part deleted since is no longer found by its
    matter_id; its own rows still show on the client's History."""
    return or_(
        and_(AuditEvent.entity.in_(_MATTER_ITSELF), AuditEvent.entity_id == matter_id),
        *(and_(AuditEvent.entity == entity, AuditEvent.entity_id.in_(select(model.id).where(model.matter_id == matter_id)))
          for entity, model in _MATTER_PARTS),
    )


def _entries(session: Session, where: HistoryFilter, offset: int, limit: int | None) -> list[audit.AuditEntry]:
    private = or_(Client.sensitive, Client.restricted).label("private")
    query = (select(AuditEvent, private).outerjoin(Client, Client.id == AuditEvent.client_id)
             .where(*_conditions(where)).order_by(AuditEvent.id.desc()).offset(offset))
    if limit is not None:
        query = query.limit(limit)
    return [audit.AuditEntry(row.at, row.user_name, row.action, row.entity, row.entity_id, row.summary,
                             json.loads(row.changes or "{}"), row.id, row.client_id, bool(is_private))
            for row, is_private in session.execute(query)]


def what(entry: audit.AuditEntry) -> str:
    """The row's sentence without its time and user (the printout has columns for those)."""
    sentence = entry.sentence()
    return sentence.split(" — ", 1)[1].removeprefix(f"{entry.user_name}: ").removeprefix(f"{entry.user_name} ")


def _subject(session: Session, where: HistoryFilter) -> str:
    """Whom the History is about, as the printout names them."""
    client_id = where.client_id
    label = ""
    if where.matter_id is not None:
        matter = session.get(Matter, where.matter_id)
        if matter is None:
            raise KantorError(f"Matter {where.matter_id} does not exist (it may have been deleted).")
        client_id = matter.client_id
        label = f"matter #{matter.id} ({matter.kind}) of "
    if client_id is None:
        return "Every client and matter of the office"
    client = session.get(Client, client_id)
    if client is None:
        return f"{label}client #{client_id} (deleted)"
    return label + full_name(client.given_name, client.middle_name, client.family_name, client.second_family_name)


def _firm_name(session: Session) -> str:
    from kantor_cases.db.models import FirmSettings

    firm = session.scalar(select(FirmSettings).limit(1))
    return firm.firm_name if firm is not None and firm.firm_name else "Kantor Cases"
