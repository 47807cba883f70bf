"""What every service shares: the database, who is acting and what their role lets them do, and the
optimistic-locking check."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from kantor_cases.db.engine import Database
from kantor_cases.domain import permissions
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.errors import ConflictError, NotFoundError

if TYPE_CHECKING:
    from sqlalchemy import TextClause
    from sqlalchemy.orm import Session


@cache
def _role_of() -> TextClause:
    """It runs before every change: one plain statement costs a sixth of the same query built with
    select(). Made at its first use: the window opens an office before SQLAlchemy is imported."""
    from sqlalchemy import text

    return text("SELECT (SELECT role FROM users WHERE name = :user AND active), EXISTS (SELECT 1 FROM users)")


def acting_role(session: Session, user: str) -> str:
    """The role `user` acts with, read from the users table now: a role changed in Settings applies
    to the next action (domain/permissions.py says how a name not in the table is treated)."""
    stored, has_users = session.execute(_role_of(), {"user": user}).one()
    return permissions.effective_role(stored, bool(has_users))


class Service:
    def __init__(self, database: Database, actor: Callable[[], str], clock: Clock = SYSTEM_CLOCK) -> None:
        self._db = database
        self._actor = actor
        self.clock = clock

    @property
    def user(self) -> str:
        return self._actor()

    def require(self, action: str, session: Session | None = None) -> None:
        """Refuse with `PermissionDenied` unless the acting user's role may do `action`. Called first
        in a service method (its own short read), or with the method's session when that is open."""
        if session is not None:
            permissions.check(acting_role(session, self.user), action)
            return
        with self._db.read() as reading:
            permissions.check(acting_role(reading, self.user), action)

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
