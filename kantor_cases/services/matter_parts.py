"""What the services of a matter and its parts (hearings, PD requests, employment claims, benefit
applications) share: a change to a part is activity on its matter, a status moves only along the
allowed paths of `domain/statuses.py`, and an event sets off its deadlines (services/deadlines).
"""

from __future__ import annotations

import threading
import weakref
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from kantor_cases.db.base import now
from kantor_cases.db.engine import Database
from kantor_cases.db.models import Client, Deadline, Matter
from kantor_cases.domain import names
from kantor_cases.domain.errors import StatusChangeError
from kantor_cases.domain.records import StatusChangeRow

from .base import Service

# The status changes each user made in this sitting (since the office was opened and they signed
# in), per open database: only these may be undone (Ctrl+Z, "Undo last change").
# Keyed by the Database object's id, dropped when it is collected (it is not hashable).
_SITTINGS: dict[int, dict[str, list[int]]] = {}
_SITTINGS_LOCK = threading.Lock()


def _sitting(database: Database) -> dict[str, list[int]]:
    """The changes per user of `database` (call with the lock held)."""
    key = id(database)
    if key not in _SITTINGS:
        _SITTINGS[key] = {}
        weakref.finalize(database, _SITTINGS.pop, key, None)
    return _SITTINGS[key]


def client_name(client: Client) -> str:
    return names.full_name(client.given_name, client.middle_name, client.family_name, client.second_family_name)


def status_history(rows: Any) -> tuple[StatusChangeRow, ...]:
    return tuple(StatusChangeRow(r.track, r.from_status, r.to_status, r.at, r.user_name, r.note) for r in rows)


class MatterPartService(Service):
    def _touch_matter(self, matter: Matter) -> None:
        self.touch(matter)
        matter.last_activity_at = now()

    def _apply_deadline_event(self, session: Session, matter_id: int, event: str, trigger: date,
                              status_change_id: int | None = None) -> list[Deadline]:
        from . import deadlines

        return deadlines.apply_event(session, self.user, matter_id, event, trigger,
                                     status_change_id=status_change_id)

    def _remember(self, change_id: int) -> None:
        """Note a status change this user made in this sitting (it may be undone)."""
        with _SITTINGS_LOCK:
            _sitting(self._db).setdefault(self.user, []).append(change_id)

    def _made_in_sitting(self) -> list[int]:
        """The status change ids the acting user made in this sitting, oldest first."""
        with _SITTINGS_LOCK:
            return list(_sitting(self._db).get(self.user, []))

    def _forget(self, change_id: int) -> None:
        with _SITTINGS_LOCK:
            made = _sitting(self._db).get(self.user, [])
            if change_id in made:
                made.remove(change_id)

    @staticmethod
    def _check_step(transitions: dict[str, frozenset[str]], current: str | None, to_status: str, what: str) -> None:
        if to_status not in transitions:
            raise StatusChangeError(f"“{to_status}” is not a {what}.")
        allowed = transitions.get(current or "", frozenset()) if current else frozenset(transitions)
        if to_status not in allowed:
            choices = ", ".join(sorted(allowed)) or "none (this is a final status)"
            raise StatusChangeError(f"The {what} cannot go from “{current}” to “{to_status}”; allowed next: {choices}.")
