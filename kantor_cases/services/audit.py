"""The audit trail: one row per change, written inside the transaction that makes the change;
checking its tamper-evident chain (db/audit_chain.py) against itself and the office's backups; and
the rows as `audit list` shows them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import select
from sqlalchemy.orm import Session

from kantor_cases.db import audit_chain
from kantor_cases.db.backup import BackupInfo, list_backups
from kantor_cases.db.engine import Database
from kantor_cases.db.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in after
        if before.get(key) != after.get(key)
    }


def record(
    session: Session,
    user: str,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str,
    changes: Mapping[str, Any] | None = None,
    client_id: int | None = None,
) -> None:
    session.add(AuditEvent(
        user_name=user,
        action=action,
        entity=entity,
        entity_id=entity_id,
        client_id=client_id,
        summary=summary,
        changes=json.dumps({k: [_plain(v) for v in pair] for k, pair in (changes or {}).items()},
                           ensure_ascii=False),
    ))


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user_name: str
    action: str
    entity: str
    entity_id: int | None
    summary: str
    changes: dict[str, list[Any]]
    row_id: int | None = None
    client_id: int | None = None
    # The client is sensitive or restricted: privacy mode masks the row's words on the office's list.
    private: bool = False

    def sentence(self) -> str:
        """ "19 Nov 2026 10:42 — Ana changed the address from … to …" """
        when = self.at.strftime("%d %b %Y %H:%M")
        if self.action == "update" and self.changes:
            parts = [
                f"the {field.replace('_', ' ')} from “{before or '—'}” to “{after or '—'}”"
                for field, (before, after) in self.changes.items()
            ]
            return f"{when} — {self.user_name} changed {', '.join(parts)} ({self.summary})"
        return f"{when} — {self.user_name}: {self.summary}"


def entries_for_client(session: Session, client_id: int, limit: int = 500) -> list[AuditEntry]:
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.client_id == client_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    )
    return [_entry(r) for r in rows]


def _entry(r: AuditEvent) -> AuditEntry:
    return AuditEntry(r.at, r.user_name, r.action, r.entity, r.entity_id, r.summary, json.loads(r.changes or "{}"),
                      r.id, r.client_id)


def entries_for(session: Session, entity: str, entity_id: int) -> list[AuditEntry]:
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.id)
    )
    return [_entry(r) for r in rows]


# --- the chain, verified --------------------------------------------------------------------------

@dataclass(frozen=True)
class TrailVerdict:
    """What `verify_trail` found: `problems` are the sentences `check` and `audit verify` print."""

    rows: int
    head: audit_chain.ChainHead | None
    broken: audit_chain.ChainBreak | None
    # The newest backup holding the good version of the broken row (or of rows rewritten since).
    good_backup: str | None
    backups_compared: int
    # Backups from before a restore that disagree with the trail the restore brought back.
    backups_left_behind: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "head": None if self.head is None else {
                "seq": self.head.seq, "row_id": self.head.row_id, "hash": self.head.row_hash,
                "at": self.head.at.isoformat(" ", "seconds") if self.head.at else None},
            "first_bad_row": None if self.broken is None else {
                "row_id": self.broken.row_id, "seq": self.broken.seq, "kind": self.broken.kind},
            "good_backup": self.good_backup,
            "backups_compared": self.backups_compared,
            "backups_left_behind_by_a_restore": self.backups_left_behind,
            "problems": self.problems,
        }


def chain_head(database: Database) -> audit_chain.ChainHead | None:
    """The newest row of the trail's chain (its place, row id, hash and time), for Settings → Audit
    and a printed report: a later rewrite of the trail no longer reproduces it."""
    with database.read() as session:
        return audit_chain.head(session.connection())


def verify_trail(database: Database, backups_folder: Path | None) -> TrailVerdict:
    """Every row's hash and link checked, then the chain compared with the head each backup in
    `backups_folder` holds: a trail rewritten whole (every hash recomputed) still disagrees with the
    backups taken before."""
    with database.read() as session:
        connection = session.connection()
        verdict = audit_chain.verify(connection)
        backups = list_backups(backups_folder) if backups_folder is not None and database.is_sqlite else []
        good_backup = None
        # (backup, its head, where the live chain first disagrees with it or None, the sentence saying so)
        compared: list[tuple[BackupInfo, audit_chain.ChainHead, int | None, str]] = []
        for info in backups:  # newest first
            if info.reason == "damaged-before-restore":
                continue  # the bytes of a damaged office, kept unchecked (and opening them writes beside them)
            try:
                backup = audit_chain.open_for_comparison(info.path, database.key)
            except sqlcipher3.Error:
                continue  # not readable with this office's key (a backup from before it was encrypted)
            try:
                if verdict.broken is not None and good_backup is None and _holds_good_version(
                        connection, backup, verdict.broken):
                    good_backup = info.path.name
                recorded = audit_chain.backup_head(backup)
                if recorded is None:
                    continue
                differs_at = audit_chain.first_difference(connection, backup, recorded)
                sentence = "" if differs_at is None else _rewritten_sentence(connection, backup, differs_at,
                                                                              info.path.name)
                compared.append((info, recorded, differs_at, sentence))
            except sqlcipher3.DatabaseError:
                continue  # a backup too damaged to read says nothing about the trail
            finally:
                backup.close()
    problems: list[str] = []
    if verdict.broken is not None:
        where = (f"the backup {good_backup} still holds the good version" if good_backup
                 else "no backup holds the good version")
        problems.append(f"{verdict.broken.sentence}; {where}.")
    left_behind = sum(1 for info, _head, differs_at, _ in compared
                      if differs_at is not None and _taken_before_a_restore(info, backups))
    rewritten = next(((info, sentence) for info, _head, differs_at, sentence in compared
                      if differs_at is not None and not _taken_before_a_restore(info, backups)), None)
    if rewritten is not None:
        problems.append(rewritten[1])
        good_backup = good_backup or rewritten[0].path.name
    return TrailVerdict(verdict.rows, verdict.head, verdict.broken, good_backup, len(compared) - left_behind,
                        left_behind, problems)


# The safety copies a restore takes of what it replaces (services/backups.py).
RESTORE_SAFETY_REASONS = frozenset({"before-restore", "damaged-before-restore"})


def _taken_before_a_restore(info: BackupInfo, backups: list[BackupInfo]) -> bool:
    """Whether a restore has replaced the office since this backup was taken (its safety copy is no
    older than it): the trail then goes on from the backup restored, which may be any older one or a
    file from elsewhere, so backups from before it no longer have to agree with it."""
    return any(other.reason in RESTORE_SAFETY_REASONS and other.taken_at >= info.taken_at for other in backups)


def _holds_good_version(connection: Any, backup: Any, broken: audit_chain.ChainBreak) -> bool:
    if broken.kind == "inserted":
        return backup.execute("SELECT 1 FROM audit_events WHERE id = ?", (broken.row_id,)).fetchone() is None
    assert broken.seq is not None
    return audit_chain.holds_good_row(backup, broken.seq, audit_chain.live_prev_hash(connection, broken.seq))


def _rewritten_sentence(connection: Any, backup: Any, seq: int, name: str) -> str:
    live_id = audit_chain.row_id_at(connection, seq)
    if live_id is None:
        backup_id = audit_chain.backup_row_id_at(backup, seq)
        return (f"audit rows from row {backup_id} (#{seq} in the chain) on were deleted; the backup {name} "
                "still holds them.")
    return (f"the audit trail was rewritten from row {live_id} (#{seq} in the chain) on: every hash after it "
            f"was recomputed, but the backup {name} still holds the good version.")


# --- listing --------------------------------------------------------------------------------------

def events(database: Database, user: str | None = None, client_id: int | None = None,
           since: date | None = None, limit: int = 200) -> list[AuditEntry]:
    """The newest audit rows first, of one user, one client and from one day on when asked."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if user is not None:
        query = query.where(AuditEvent.user_name == user)
    if client_id is not None:
        query = query.where(AuditEvent.client_id == client_id)
    if since is not None:
        query = query.where(AuditEvent.at >= datetime.combine(since, datetime.min.time()))
    with database.read() as session:
        return [_entry(row) for row in session.scalars(query)]
