"""What the services of a matter and its parts (hearings, PD requests, employment claims, benefit
applications) share: a change to a part is activity on its matter, a status moves only along the
allowed paths of `domain/statuses.py`, and an event sets off its deadlines (services/deadlines).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from kantor_cases.db.base import now
from kantor_cases.db.models import Client, Matter
from kantor_cases.domain import names
from kantor_cases.domain.errors import StatusChangeError
from kantor_cases.domain.records import StatusChangeRow

from .base import Service


def client_name(client: Client) -> str:
    return names.full_name(client.given_name, client.middle_name, client.family_name, client.second_family_name)


def status_history(rows: Any) -> tuple[StatusChangeRow, ...]:
    return tuple(StatusChangeRow(r.track, r.from_status, r.to_status, r.at, r.user_name, r.note) for r in rows)


class MatterPartService(Service):
    def _touch_matter(self, matter: Matter) -> None:
        self.touch(matter)
        matter.last_activity_at = now()

    def _apply_deadline_event(self, session: Session, matter_id: int, event: str, trigger: date) -> None:
        from . import deadlines

        deadlines.apply_event(session, self.user, matter_id, event, trigger)

    @staticmethod
    def _check_step(transitions: dict[str, frozenset[str]], current: str | None, to_status: str, what: str) -> None:
        if to_status not in transitions:
            raise StatusChangeError(f"“{to_status}” is not a {what}.")
        allowed = transitions.get(current or "", frozenset()) if current else frozenset(transitions)
        if to_status not in allowed:
            choices = ", ".join(sorted(allowed)) or "none (this is a final status)"
            raise StatusChangeError(f"The {what} cannot go from “{current}” to “{to_status}”; allowed next: {choices}.")
