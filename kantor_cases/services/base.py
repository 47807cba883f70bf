"""What every service shares: the database, who is acting, and the optimistic-locking check."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from kantor_cases.db.engine import Database
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.errors import ConflictError, NotFoundError


class Service:
    def __init__(self, database: Database, actor: Callable[[], str], clock: Clock = SYSTEM_CLOCK) -> None:
        self._db = database
        self._actor = actor
        self.clock = clock

    @property
    def user(self) -> str:
        return self._actor()

    @staticmethod
    def load(session: Session, model: type[Any], key: Any, what: str) -> Any:
        row = session.get(model, key)
        if row is None:
            raise NotFoundError(f"{what} {key} does not exist (it may have been deleted).")
        return row

    @staticmethod
    def check_version(row: Any, expected_version: int | None, what: str) -> None:
        """Refuse to save over a change someone else made after this user loaded the record."""
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(what, row.updated_by, row.updated_at)

    def touch(self, row: Any) -> None:
        from kantor_cases.db.base import now

        row.updated_at = now()
        row.updated_by = self.user

    def save_with_audit(self, session: Session, row: Any, values: Mapping[str, Any], entity: str, summary: str,
                        client_id: int | None = None, entity_id: int | None = None) -> dict[str, list[Any]]:
        """Set `values` on a row loaded (and version-checked) for editing, stamp it with who and when,
        and write one "update" row to the audit trail with what changed — none when nothing did.
        Returns the changes (field -> [before, after]); `entity_id` defaults to the row's id."""
        from . import audit

        changes = audit.diff({key: getattr(row, key) for key in values}, values)
        for key, value in values.items():
            setattr(row, key, value)
        self.touch(row)
        if changes:
            audit.record(session, self.user, "update", entity, row.id if entity_id is None else entity_id, summary,
                         changes, client_id=client_id)
        return changes
