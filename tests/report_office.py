"""A hand-built office whose report figures are known, for the report tests (services, CLI, PDF).

Today is 1 June 2026, 9:00. Every figure the tests check is worked out by hand in the comments here.

PD requests (all on removal matters of Rosa's, submitted in 2025–2026), with the days in each stage:

    R1  submitted 10, acknowledged 30, offer 10, background check 30, cleared 10, accepted 10,
        joint motion 30 → granted (closed)
    R2  submitted 20, offer 10, background check 40, cleared 10, accepted 10, joint motion 30 → granted
    R3  submitted 30, offer 43, background check since 13 Nov 2025: 200 days so far (stalled)
    R4  submitted 20, acknowledged since 21 Mar 2026: 72 days so far (not stalled at 90)
    R5  submitted 30 → denied
    R6  submitted 10, offer 10 → declined
    R7  submitted 30, acknowledged 10, offer 10, background check 30 → adverse 30 → denied

    closure rate 2 / 7 = 28.6 %
    background check 30, 30, 40, 200: median 35.0, 90th percentile 40 + 0.7 × 160 = 152.0
    submitted 10, 10, 20, 20, 30, 30, 30: median 20.0, 90th percentile 30.0
    acknowledged 10, 30, 72: median 30.0, 90th percentile 30 + 0.8 × 42 = 63.6
    offer received 10, 10, 10, 10, 43: median 10.0, 90th percentile 10 + 0.6 × 33 = 29.8

A restricted client (Rosa is their attorney; Sam, staff, is not named on them) has two removal matters,
each with a PD request submitted 1 Jan 2026 and still submitted (151 days: stalled).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select

from kantor_cases.db.models import (
    AgencyFiling,
    Client,
    Court,
    Deadline,
    Hearing,
    Letter,
    Matter,
    PdRequest,
    StatusChange,
    User,
)
from kantor_cases.domain.clock import FixedClock
from kantor_cases.domain.names import fold, sort_name
from kantor_cases.services import locations
from kantor_cases.services.office import Office

TODAY = datetime(2026, 6, 1, 9, 0)
ODD_NAME = ("Ольга", "<Ivanova> & Co")  # prints literally in the PDF: Cyrillic, "<" and "&"

# (days in each status, in order, the last one's status; None: the status it is still in)
PD_PATHS: dict[str, tuple[date, list[tuple[str, int | None]]]] = {
    "R1": (date(2025, 9, 1), [("submitted", 10), ("under_review", 30), ("offer_received", 10),
                              ("background_check", 30), ("cleared", 10), ("offer_accepted", 10),
                              ("joint_motion_filed", 30), ("granted", None)]),
    "R2": (date(2025, 9, 1), [("submitted", 20), ("offer_received", 10), ("background_check", 40), ("cleared", 10),
                              ("offer_accepted", 10), ("joint_motion_filed", 30), ("granted", None)]),
    "R3": (date(2025, 9, 1), [("submitted", 30), ("offer_received", 43), ("background_check", None)]),
    "R4": (date(2026, 3, 1), [("submitted", 20), ("under_review", None)]),
    "R5": (date(2026, 1, 2), [("submitted", 30), ("denied", None)]),
    "R6": (date(2025, 12, 1), [("submitted", 10), ("offer_received", 10), ("offer_declined", None)]),
    "R7": (date(2025, 10, 1), [("submitted", 30), ("under_review", 10), ("offer_received", 10),
                               ("background_check", 30), ("adverse", 30), ("denied", None)]),
}


@dataclass
class Built:
    office: Office
    rosa: int
    restricted_client: int
    first_matter: int


def open_office(path: str, user: str) -> Office:
    return Office.open(locations.resolve(path), user, clock=FixedClock(TODAY))


def _client(session, given: str, family: str, intake: date, language: str = "es", country: str = "Mexico",
            source: str = "", restricted: bool = False) -> int:
    client = Client(given_name=given, family_name=family, sort_name=sort_name(given, family),
                    name_folded=fold(f"{given} {family}"), family_folded=fold(family), intake_date=intake,
                    preferred_language=language, country_of_birth=country, referral_source=source,
                    restricted=restricted, created_by="test", updated_by="test")
    session.add(client)
    session.flush()
    return client.id


def _matter(session, client_id: int, kind: str, attorney: int | None, opened: date, closed: date | None = None,
            government: str | None = None, conflict_check: str = "", acknowledged: str = "") -> int:
    matter = Matter(client_id=client_id, kind=kind, title=f"{kind} matter", responsible_attorney_id=attorney,
                    opened_on=opened, closed_on=closed, firm_status="closed" if closed else "active",
                    government_status=government, conflict_check=conflict_check,
                    conflict_acknowledged_by=acknowledged, created_by="test", updated_by="test")
    session.add(matter)
    session.flush()
    return matter.id


def _pd_request(session, matter_id: int, submitted: date, path: list[tuple[str, int | None]]) -> None:
    from datetime import timedelta

    request = PdRequest(matter_id=matter_id, regime="post-2025", action_requested="dismissal", submitted_on=submitted,
                        status=path[-1][0], status_changed_on=submitted, created_by="test", updated_by="test")
    session.add(request)
    session.flush()
    at = datetime.combine(submitted, time(9, 0))
    previous = None
    for status, days in path:
        session.add(StatusChange(matter_id=matter_id, pd_request_id=request.id, track="pd", from_status=previous,
                                 to_status=status, at=at, user_name="test"))
        request.status_changed_on = at.date()
        previous = status
        if days is not None:
            at += timedelta(days=days)


def build(path: str) -> Built:
    """The office described above, at `path`, opened as its administrator Ada."""
    office = open_office(path, "Ada")
    with office.database.write() as session:
        users = {}
        for name, role in (("Ada", "admin"), ("Rosa", "attorney"), ("Dan", "attorney"), ("Sam", "staff")):
            user = User(name=name, role=role, created_by="test", updated_by="test")
            session.add(user)
            session.flush()
            users[name] = user.id
        rosa, dan = users["Rosa"], users["Dan"]

        # Seven PD clients, taken in on 1 Aug 2025: four Spanish speakers born in Mexico (two sent by
        # the radio), three English speakers born in Guatemala.
        matters = []
        for index, (key, (submitted, steps)) in enumerate(PD_PATHS.items()):
            given, family = ODD_NAME if key == "R1" else (f"Cliente{index + 1}", "Prueba")
            client = _client(session, given, family, date(2025, 8, 1), "es" if index < 4 else "en",
                             "Mexico" if index < 4 else "Guatemala", "Radio Bilingüe" if index < 2 else "")
            conflict = ""
            if key == "R1":
                conflict = json.dumps({"candidate": "x", "hits": [{"kind": "client", "id": 99, "name": "y",
                                                                   "reasons": ["same name"], "score": 80}]})
            elif key == "R2":
                conflict = json.dumps({"candidate": "x", "hits": []})
            matter = _matter(session, client, "removal", rosa, date(2025, 8, 1), government="master_set",
                             conflict_check=conflict, acknowledged="Rosa" if key == "R1" else "")
            matters.append(matter)
            _pd_request(session, matter, submitted, steps)

        restricted = _client(session, "Secreta", "Reservada", date(2025, 8, 1), restricted=True)
        for _ in range(2):
            matter = _matter(session, restricted, "removal", rosa, date(2025, 8, 1), government="master_set")
            _pd_request(session, matter, date(2026, 1, 1), [("submitted", None)])

        # Employment: one employment claim (EEOC and CRD filings, an EEOC notice issued 1 May 2026 and
        # received 4 May) and one labor matter (NLRB), both opened 15 Jan 2026; a suit deadline ahead.
        worker = _client(session, "Trabajador", "Ejemplo", date(2026, 1, 15))
        claim = _matter(session, worker, "employment", rosa, date(2026, 1, 15), government="agency_pending")
        labor = _matter(session, worker, "labor", rosa, date(2026, 1, 15), government="charge_filed")
        session.add_all([
            AgencyFiling(matter_id=claim, agency="eeoc", right_to_sue_issued_on=date(2026, 5, 1),
                         right_to_sue_received_on=date(2026, 5, 4), created_by="t", updated_by="t"),
            AgencyFiling(matter_id=claim, agency="crd", created_by="t", updated_by="t"),
            AgencyFiling(matter_id=labor, agency="nlrb", created_by="t", updated_by="t"),
            Deadline(matter_id=claim, rule_id="eeoc-suit", title="Federal suit", due_on=date(2026, 7, 30),
                     created_by="t", updated_by="t"),
        ])

        # Dan's one benefit matter, opened 10 Feb 2026 and closed 5 Apr 2026.
        benefit_client = _client(session, "Beneficio", "Cerrado", date(2026, 2, 10), "en", "Philippines")
        _matter(session, benefit_client, "benefit", dan, date(2026, 2, 10), closed=date(2026, 4, 5))

        # Deadlines of the first matter: on time ×3 (one of them overridden), late, missed, open, and a
        # superseded one that does not count.
        first = matters[0]

        def deadline(due: date, done: datetime | None, **extra: object) -> None:
            session.add(Deadline(matter_id=first, due_on=due, done_at=done, title="A deadline",
                                 created_by="t", updated_by="t", **extra))

        deadline(date(2026, 3, 1), datetime(2026, 2, 28, 10, 0))
        deadline(date(2026, 3, 1), datetime(2026, 3, 1, 17, 0))
        deadline(date(2026, 3, 10), datetime(2026, 3, 12, 9, 0))
        deadline(date(2026, 4, 1), None)
        deadline(date(2026, 6, 1), None)
        deadline(date(2026, 5, 1), datetime(2026, 4, 30, 9, 0), rule_id="bia-appeal", computed_due=date(2026, 4, 20),
                 override_reason="the judge extended it")
        deadline(date(2026, 3, 5), None, superseded_at=datetime(2026, 2, 1, 9, 0))

        # Hearings of the first matter at Olive Street: two held in March, two on 10 June (one reminded).
        court = session.query(Court.id).filter(Court.code == "LOS").scalar()
        for starts, judge in ((datetime(2026, 3, 10, 9, 0), "Hon. A"), (datetime(2026, 3, 24, 9, 0), "Hon. A"),
                              (datetime(2026, 6, 10, 9, 0), "Hon. B"), (datetime(2026, 6, 10, 10, 0), "Hon. B")):
            session.add(Hearing(matter_id=first, starts_at=starts, court_id=court, judge=judge,
                                created_by="t", updated_by="t"))
        session.flush()
        reminded = session.query(Hearing.id).filter(Hearing.starts_at == datetime(2026, 6, 10, 9, 0)).scalar()
        client_of_first = session.scalar(select(Matter.client_id).where(Matter.id == first))
        session.add(Letter(client_id=client_of_first, matter_id=first, hearing_id=reminded,
                           template_id="hearing-reminder", language="es"))
    return Built(office, rosa, restricted, matters[0])
