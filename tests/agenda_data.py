"""Test data for the deadline, follow-up, agenda and calendar tests, written straight into the tables.

The practice services have their own tests; these helpers only need rows to exist, so they stay
independent of how those services validate input.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from kantor_cases.db.models import Client, Court, Hearing, Letter, Matter, RemovalCase, User
from kantor_cases.domain.names import fold, sort_name


def add_user(office, name: str, role: str = "attorney") -> int:
    with office.database.write() as session:
        if name != office.user and session.scalar(select(User.id).limit(1)) is None:
            # The acting user (Ana) is the office's administrator, as she was while it had no users:
            # adding the first other user must not make her a read-only stranger (domain/permissions.py).
            session.add(User(name=office.user, role="admin", created_by="test", updated_by="test"))
        user = User(name=name, initials="".join(p[0] for p in name.split()), role=role,
                    created_by="test", updated_by="test")
        session.add(user)
        session.flush()
        return user.id


def add_client(office, given: str = "María", family: str = "García", second: str = "López",
               sensitive: bool = False) -> int:
    with office.database.write() as session:
        client = Client(
            given_name=given, family_name=family, second_family_name=second,
            sort_name=sort_name(given, family, second), name_folded=fold(f"{given} {family} {second}"),
            family_folded=fold(f"{family} {second}"), sensitive=sensitive, created_by="test", updated_by="test",
        )
        session.add(client)
        session.flush()
        return client.id


def add_matter(office, client_id: int | None = None, kind: str = "removal", attorney_id: int | None = None,
               last_activity_at: datetime | None = None, closed: bool = False,
               last_verified_on: date | None = None, removal: bool | None = None) -> int:
    client_id = client_id if client_id is not None else add_client(office)
    with office.database.write() as session:
        matter = Matter(
            client_id=client_id, kind=kind, title=f"{kind} matter", responsible_attorney_id=attorney_id,
            opened_on=date(2025, 1, 6), firm_status="closed" if closed else "active",
            closed_on=date(2025, 12, 1) if closed else None, created_by="test", updated_by="test",
        )
        if last_activity_at is not None:
            matter.last_activity_at = last_activity_at
        session.add(matter)
        session.flush()
        if removal if removal is not None else kind == "removal":
            session.add(RemovalCase(matter_id=matter.id, last_verified_on=last_verified_on,
                                    created_by="test", updated_by="test"))
        return matter.id


def add_court(office, code: str = "TST") -> int:
    with office.database.write() as session:
        court = Court(code=code, name="Los Angeles Immigration Court (test)", street="606 S. Olive St.",
                      floor="15th floor", city="Los Angeles", state="CA", postal_code="90014",
                      created_by="test", updated_by="test")
        session.add(court)
        session.flush()
        return court.id


def add_hearing(office, matter_id: int, starts_at: datetime, court_id: int | None = None,
                hearing_type: str = "master", courtroom: str = "") -> int:
    with office.database.write() as session:
        hearing = Hearing(matter_id=matter_id, starts_at=starts_at, court_id=court_id, hearing_type=hearing_type,
                          courtroom=courtroom, judge="Judge Rivera", created_by="test", updated_by="test")
        session.add(hearing)
        session.flush()
        return hearing.id


def log_reminder_letter(office, hearing_id: int) -> None:
    with office.database.write() as session:
        hearing = session.get(Hearing, hearing_id)
        matter = session.get(Matter, hearing.matter_id)
        session.add(Letter(client_id=matter.client_id, matter_id=matter.id, hearing_id=hearing_id,
                           template_id="hearing-reminder", language="es", created_by="test"))
