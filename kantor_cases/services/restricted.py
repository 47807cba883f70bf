"""Restricted clients (issue 13 item 2): who may see them, and which client ids are hidden from the
acting user.

A restricted client, with all their matters, hearings, deadlines, follow-ups and letters, is visible
only to administrators, to the responsible attorney of any of their matters and to the users named
for them in `client_access`. Everyone else's lists, searches, counts and exports leave them out.

Each query asks `hidden_client_ids` once: one read of the partial index over the few restricted
clients (ix_clients_restricted), never of the client table, so the set is small and the filter is a
`NOT IN` the database applies while it pages — nothing is filtered in Python over rows. When nothing
is hidden (an administrator, or an office without restricted clients) the statements are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import or_, text
from sqlalchemy.orm import Session

from kantor_cases.domain.errors import NotFoundError
from kantor_cases.domain.permissions import ADMIN

from .base import acting_role

_Statement = TypeVar("_Statement")

_HIDDEN = text("""
SELECT c.id FROM clients AS c
WHERE c.restricted
  AND NOT EXISTS (SELECT 1 FROM client_access AS a WHERE a.client_id = c.id AND a.user_name = :user)
  AND NOT EXISTS (SELECT 1 FROM matters AS m JOIN users AS u ON u.id = m.responsible_attorney_id
                  WHERE m.client_id = c.id AND u.name = :user)
""")

_ATTORNEYS = text("""
SELECT DISTINCT u.name FROM matters AS m JOIN users AS u ON u.id = m.responsible_attorney_id
WHERE m.client_id = :client ORDER BY u.name
""")


@dataclass(frozen=True)
class Restriction:
    """Whether a client is restricted, and who is named on them besides the administrators."""

    restricted: bool
    allowed: tuple[str, ...] = ()  # added by name (client_access)
    attorneys: tuple[str, ...] = ()  # responsible attorneys of the client's matters

    @property
    def people(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.allowed) | set(self.attorneys)))


def hidden_client_ids(session: Session, user: str) -> frozenset[int]:
    """The restricted clients `user` may not see (none for an administrator)."""
    if acting_role(session, user) == ADMIN:
        return frozenset()
    return frozenset(session.execute(_HIDDEN, {"user": user}).scalars())


def visible(statement: _Statement, client_id_column: Any, hidden: Iterable[int],
            nullable: bool = False) -> _Statement:
    """`statement` without the rows whose `client_id_column` is one of the `hidden` clients (rows of
    no client at all stay when the column is `nullable`: NOT IN is never true of NULL)."""
    hidden = tuple(hidden)
    if not hidden:
        return statement
    condition = client_id_column.not_in(hidden)
    if nullable:
        condition = or_(client_id_column.is_(None), condition)
    return statement.where(condition)  # type: ignore[attr-defined]


def refuse_hidden(session: Session, user: str, client_id: int | None, what: str, key: Any) -> None:
    """Refuse a record of a client `user` may not see exactly as if it did not exist."""
    if client_id is not None and client_id in hidden_client_ids(session, user):
        raise NotFoundError(f"{what} {key} does not exist (it may have been deleted).")


def restriction(session: Session, client_id: int) -> Restriction:
    restricted = session.execute(text("SELECT restricted FROM clients WHERE id = :client"),
                                 {"client": client_id}).scalar()
    if not restricted:
        return Restriction(False)
    allowed = session.execute(text("SELECT user_name FROM client_access WHERE client_id = :client "
                                   "ORDER BY user_name"), {"client": client_id}).scalars()
    attorneys = session.execute(_ATTORNEYS, {"client": client_id}).scalars()
    return Restriction(True, tuple(allowed), tuple(attorneys))
