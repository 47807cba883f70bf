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

from . import audit, restricted
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
# The parts a service deletes (a hearing vacated, a follow-up's next occurrence withdrawn): their delete
# row records the matter they leave ({"matter_id": [id, null]}), so their rows stay on its History.
_DELETED_PARTS = ("hearing", "follow_up")


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
            return session.scalar(select(func.count()).select_from(AuditEvent).where(*_conditions(session, where))) or 0

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
            return list(session.scalars(select(AuditEvent.user_name).where(*_conditions(session, scope)).distinct()
                                        .order_by(AuditEvent.user_name)))

    def kinds(self, where: HistoryFilter) -> list[str]:
        """The kinds of row (create, update, export, sign-in failed, …) in this History."""
        scope = replace(where, kind=None)
        with self._db.read() as session:
            self._may_read(session, where)
            return list(session.scalars(select(AuditEvent.action).where(*_conditions(session, scope)).distinct()
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
        """The office's trail takes audit.view_all; a restricted client's History (or one of their
        matters') exists only for the people who may see the client, as everywhere else."""
        if where.office_wide:
            self.require("audit.view_all", session)
        if where.client_id is not None:
            restricted.refuse_hidden(session, self.user, where.client_id, "Client", where.client_id)
        if where.matter_id is not None:
            client_id = session.scalar(select(Matter.client_id).where(Matter.id == where.matter_id))
            restricted.refuse_hidden(session, self.user, client_id, "Matter", where.matter_id)


def _conditions(session: Session, where: HistoryFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.client_id is not None:
        conditions.append(AuditEvent.client_id == where.client_id)
    if where.matter_id is not None:
        conditions.append(_of_matter(session, where.matter_id))
    if where.user:
        conditions.append(AuditEvent.user_name == where.user)
    if where.since is not None:
        conditions.append(AuditEvent.at >= datetime.combine(where.since, time.min))
    if where.until is not None:
        conditions.append(AuditEvent.at < datetime.combine(where.until + timedelta(days=1), time.min))
    if where.kind:
        conditions.append(AuditEvent.action == where.kind)
    return conditions


def _of_matter(session: Session, matter_id: int) -> ColumnElement[bool]:
    """The rows about the matter and its parts: the parts it has now (by their matter_id) and those
    deleted from it (their own rows up to the delete row that names this matter).

    SQLite gives a deleted newest row's id to the next row, so one part id may stand for a deleted
    part and, later, another one (of this matter or any other): each row about a deletable part
    belongs to the part whose life it falls in, the one ended by the first delete row of that id at
    or after it (none: the part living now)."""
    kept, dropped = _deleted_parts(session, matter_id)
    parts: list[ColumnElement[bool]] = []
    for entity, model in _MATTER_PARTS:
        now = and_(AuditEvent.entity == entity,
                   AuditEvent.entity_id.in_(select(model.id).where(model.matter_id == matter_id)))
        if entity in dropped:  # rows of an earlier part of the same id
            now = and_(now, AuditEvent.id.not_in(dropped[entity]))
        parts.append(now)
    if kept:
        parts.append(AuditEvent.id.in_(kept))
    return or_(and_(AuditEvent.entity.in_(_MATTER_ITSELF), AuditEvent.entity_id == matter_id), *parts)


def _deleted_parts(session: Session, matter_id: int) -> tuple[list[int], dict[str, list[int]]]:
    """The audit row ids of the parts deleted from the matter (to show), and per kind of part the
    row ids of earlier parts whose id a part of this matter has now (to leave out).

    Read from the client's own delete rows (audit_events.client_id is indexed), then from the rows
    of those few part ids (the entity index): a handful of rows, whatever the size of the trail.
    A delete row written before a delete recorded its matter (hearings and follow-ups deleted
    before this change) has no matter_id: a hearing's is placed when the client has only this
    matter (matters are never deleted or moved, so every hearing of that client was on it); a
    follow-up's stays on the client's History only."""
    client_id = session.scalar(select(Matter.client_id).where(Matter.id == matter_id))
    if client_id is None:
        return [], {}
    ends_here: set[int] = set()  # the delete rows that took a part off this matter
    ids: dict[str, set[int]] = {entity: set() for entity in _DELETED_PARTS}
    only_matter: bool | None = None
    for row_id, entity, entity_id, changes in session.execute(
            select(AuditEvent.id, AuditEvent.entity, AuditEvent.entity_id, AuditEvent.changes)
            .where(AuditEvent.client_id == client_id, AuditEvent.action == "delete",
                   AuditEvent.entity.in_(_DELETED_PARTS))):
        left = json.loads(changes or "{}").get("matter_id")
        if left is None and entity == "hearing":
            if only_matter is None:
                only_matter = list(session.scalars(select(Matter.id).where(Matter.client_id == client_id)
                                                   .limit(2))) == [matter_id]
            here = only_matter
        else:
            here = isinstance(left, list) and bool(left) and left[0] == matter_id
        if here and entity_id is not None:
            ends_here.add(row_id)
            ids[entity].add(entity_id)
    # The parts this matter has now whose id was a deleted part's before.
    for entity, model in _MATTER_PARTS:
        if entity in ids:
            ids[entity].update(session.scalars(
                select(AuditEvent.entity_id).where(
                    AuditEvent.entity == entity, AuditEvent.action == "delete",
                    AuditEvent.entity_id.in_(select(model.id).where(model.matter_id == matter_id))).distinct()))
    kept: list[int] = []
    dropped: dict[str, list[int]] = {}
    for entity, entity_ids in ids.items():
        if not entity_ids:
            continue
        life: dict[int, list[int]] = {}  # part id -> the rows of its current life, so far
        for row_id, entity_id, action in session.execute(
                select(AuditEvent.id, AuditEvent.entity_id, AuditEvent.action)
                .where(AuditEvent.entity == entity, AuditEvent.entity_id.in_(sorted(entity_ids)))
                .order_by(AuditEvent.id)):
            rows = life.setdefault(entity_id or 0, [])  # never None: the ids asked for are not
            rows.append(row_id)
            if action == "delete":  # that life ends here: on this matter, or on another
                (kept if row_id in ends_here else dropped.setdefault(entity, [])).extend(rows)
                rows.clear()
    return kept, dropped


def _entries(session: Session, where: HistoryFilter, offset: int, limit: int | None) -> list[audit.AuditEntry]:
    private = or_(Client.sensitive, Client.restricted).label("private")
    query = (select(AuditEvent, private).outerjoin(Client, Client.id == AuditEvent.client_id)
             .where(*_conditions(session, where)).order_by(AuditEvent.id.desc()).offset(offset))
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
