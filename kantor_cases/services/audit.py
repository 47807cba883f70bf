"""The audit trail: one row per change, written inside the transaction that makes the change."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    return [AuditEntry(r.at, r.user_name, r.action, r.entity, r.entity_id, r.summary,
                       json.loads(r.changes or "{}")) for r in rows]


def entries_for(session: Session, entity: str, entity_id: int) -> list[AuditEntry]:
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.id)
    )
    return [AuditEntry(r.at, r.user_name, r.action, r.entity, r.entity_id, r.summary,
                       json.loads(r.changes or "{}")) for r in rows]
