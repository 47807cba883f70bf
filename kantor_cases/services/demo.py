"""A realistic, fictional practice for trying the software and for measuring it at office scale.

Names mix the office's real clientele (Spanish double surnames, Armenian, Vietnamese with
diacritics, Russian in Cyrillic, Chinese in Han characters, Korean, Tagalog, apostrophes and
hyphens); matters of every kind, hearings over the coming months, PD requests in every state,
employment claims with agency filings, related persons and follow-ups that need doing.

Everything is written in one transaction, straight through the DB-API cursor with the values
already in the form SQLAlchemy stores them; the secondary indexes and the search index are built
once at the end, so 300,000 clients take well under a minute and a half on a 2-core machine.
The same seed gives the same office.

An encrypted demo office (`set_up_encrypted_demo`, or `fill_encrypted_demo` for one just set up)
gives every demo user the acting administrator's password, so that anyone trying it can sign in
as each of them: demo only, never a way to run a real office.
"""

from __future__ import annotations

import json
import time
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from random import Random
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text

from kantor_cases.db import search as search_backend
from kantor_cases.db.engine import Database
from kantor_cases.db.models import (
    AgencyFiling,
    AuditEvent,
    BenefitApplication,
    Client,
    Court,
    Deadline,
    EmploymentClaim,
    FollowUp,
    Hearing,
    Matter,
    Party,
    PdRequest,
    RelatedPerson,
    RemovalCase,
    SearchEntry,
    StatusChange,
    User,
)
from kantor_cases.domain import names
from kantor_cases.domain import statuses as st
from kantor_cases.domain.agenda_records import TRIGGER_EVENTS
from kantor_cases.domain.calendars import get_calendar
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.deadline_rules import compute_deadline
from kantor_cases.domain.decisions import decision_events
from kantor_cases.domain.errors import KantorError
from kantor_cases.domain.identifiers import format_a_number
from kantor_cases.domain.pd_regimes import REGIMES, regime_on

from . import accounts, search
from .deadlines import HEARING_RULES, computed_columns, hearing_event
from .locations import Locations
from .office import Office

CHUNK = 20_000
DEMO_FIRM = "Kantor & Associates"

# (weight, given names, middle names, family names, second family names, languages, country)
ORIGINS: list[tuple[int, list[str], list[str], list[str], list[str], str, str]] = [
    (58, ["José", "María", "Juan", "Guadalupe", "Jesús", "Ana", "Luis", "Carmen", "Francisco", "Rosa", "Miguel",
          "Verónica", "Óscar", "Sofía", "Raúl", "Inés", "Martín", "Lucía", "Ramón", "Adriana", "Héctor", "Yesenia",
          "Andrés", "Itzel", "Joaquín", "Maribel", "Ángel", "Beatriz", "Efraín", "Noemí"],
     ["", "", "", "Luis", "del Carmen", "Antonio", "Isabel", "de Jesús"],
     ["García", "López", "Martínez", "Hernández", "González", "Pérez", "Rodríguez", "Sánchez", "Ramírez", "Núñez",
      "Jiménez", "Muñoz", "Ortiz", "Vázquez", "Gómez", "Díaz", "Castañeda", "Ibáñez", "Cruz", "Morales", "Reyes",
      "Gutiérrez", "Chávez", "Mendoza", "Domínguez", "Velásquez", "Peña", "Orellana", "Aguilar", "Zúñiga"],
     ["López", "García", "Martínez", "Flores", "Romero", "Herrera", "Medina", "Rivas", "Castillo", "", "", ""],
     "Spanish", "Mexico"),
    (8, ["Armen", "Ani", "Tigran", "Nare", "Hayk", "Lilit", "Gor", "Mariam", "Aram", "Anahit", "Davit", "Սոնա"],
     [""], ["Petrosyan", "Sargsyan", "Hovhannisyan", "Grigoryan", "Karapetyan", "Avetisyan", "Պետրոսյան",
            "Ter-Petrosyan"], [""], "Armenian", "Armenia"),
    (8, ["Hương", "Minh", "Thảo", "Dũng", "Lan", "Tuấn", "Ngọc Anh", "Phúc", "Hạnh", "Quốc"],
     ["Thị", "Văn", "Ngọc", "Đức", ""], ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"], [""],
     "Vietnamese", "Vietnam"),
    (6, ["Иван", "Ольга", "Сергей", "Наталья", "Dmitri", "Yelena", "Алексей", "Татьяна"], [""],
     ["Петров", "Иванова", "Смирнов", "Кузнецова", "Volkov", "Sokolova", "Петросян"], [""], "Russian", "Russia"),
    (5, ["小明", "娜", "伟", "Wei", "Li", "Xiu Ying", "Jun"], [""], ["王", "李", "张", "Zhang", "Chen", "Liu"], [""],
     "Mandarin", "China"),
    (4, ["민준", "Min-jun", "Seo-yeon", "Ji-ho", "지우"], [""], ["김", "Kim", "Lee", "Park", "박"], [""], "Korean",
     "South Korea"),
    (7, ["Maria Cristina", "Jose", "Rowena", "Ramon", "Marites", "Jun-Jun", "Analyn"], ["", "Reyes", "Santos"],
     ["Santos", "dela Cruz", "Bautista", "Villanueva", "Mendoza", "Ramos"], [""], "Tagalog", "Philippines"),
    (4, ["Seán", "Jean-Pierre", "Aoife", "Zoë", "Łukasz", "Chloé"], [""],
     ["O'Brien", "D'Souza", "Müller-Lüdenscheidt", "Żółć", "N'Diaye", "O'Connor"], [""], "English", "Ireland"),
]
CITIES = [("Los Angeles", "900"), ("Van Nuys", "914"), ("Santa Ana", "927"), ("Glendale", "912"),
          ("Pasadena", "911"), ("Long Beach", "908"), ("Anaheim", "928"), ("Pomona", "917"),
          ("Burbank", "915"), ("Inglewood", "903")]
STREETS = ["Main St", "Sunset Blvd", "Figueroa St", "Vermont Ave", "Broadway", "Olympic Blvd", "Pico Blvd",
           "Alvarado St", "Western Ave", "Colorado Blvd", "Brand Blvd", "César E. Chávez Ave"]
JUDGES = ["Hon. A. Whitfield", "Hon. R. Castellanos", "Hon. M. Okafor", "Hon. L. Bernstein", "Hon. D. Nakamura",
          "Hon. S. Alvarado", "Hon. P. Kowalski", "Hon. J. Thornton"]
EMPLOYER_WORDS = (["Pacific", "Golden State", "Sunrise", "Valley", "Coastal", "Angel City", "Westside", "Harbor",
                   "Mission", "Sierra", "Olympic", "Canyon"],
                  ["Garment", "Car Wash", "Restaurant Group", "Construction", "Home Care", "Logistics",
                   "Landscaping", "Packing", "Hotel", "Janitorial", "Bakery", "Warehouse"],
                  ["Inc.", "LLC", "Co.", "Corp.", "Services, Inc.", "& Sons"])
COUNSEL = ["Hartley & Crane LLP", "Morrison Vale LLP", "Baxter Sloan Employment Defense", "Reed Whitman LLP",
           "Fisher & Locke", "Greene Abbott PC"]
FORMS = ["I-130", "I-485", "I-765", "I-589", "N-400", "I-821D", "I-131", "I-751"]
RECEIPT_PREFIXES = ["IOE", "MSC", "NBC", "WAC", "EAC", "LIN", "SRC", "YSC"]
LANGUAGE_NAMES = {"Spanish": "es"}
AREA_CODES = ["213", "323", "818", "626", "714", "310"]
RELATIONSHIPS = ["spouse", "child", "child", "parent", "sibling"]
RELATED_STATUSES = ["usc", "usc", "lpr", "other"]
MATTER_KINDS = (["removal", "benefit", "employment", "labor", "other"], [45, 25, 18, 4, 8])
FIRM_STATUSES = (["intake", "engaged", "active", "on_hold", "closed"], [5, 10, 60, 5, 20])
REMOVAL_STATUSES = ["master_set", "master_set", "continued", "individual_set", "admin_closed", "bia_appeal"]
BENEFIT_STATUSES = ["filed", "receipt_received", "biometrics", "interview", "rfe"]
EMPLOYMENT_STATUSES = ["investigation", "agency_filing", "agency_pending", "right_to_sue", "complaint_filed",
                       "discovery"]
LABOR_STATUSES = ["charge_filed", "investigation"]
RELIEF = ["asylum", "withholding", "cat", "cancellation_non_lpr", "adjustment"]
AGENCIES = ["eeoc", "crd", "dlse", "lwda"]
FOLLOW_UP_NOTES = ["Call client about missing tax returns", "Verify EOIR status on ACIS",
                   "Request birth certificate translation", "Follow up with OPLA on PD request",
                   "Send retainer agreement for signature"]
DETENTION_FACILITY = "Adelanto ICE Processing Center"
EXHIBITS = json.dumps(["Birth certificates of USC children", "Tax returns 2019–2025"])

# Column order of the rows built below (one tuple per row; Editable tables end with STAMP_COLUMNS).
STAMP_COLUMNS = ("version", "created_at", "created_by", "updated_at", "updated_by")
CLIENT_COLUMNS = ("id", "given_name", "middle_name", "family_name", "second_family_name", "aliases", "sort_name",
                  "name_folded", "family_folded", "date_of_birth", "country_of_birth", "nationality", "languages",
                  "preferred_language", "phone", "phone_alt", "email", "street", "city", "state", "postal_code",
                  "a_number", "intake_date", "referral_source", "notes", "detained", "detention_facility",
                  "sensitive", "salutation", "restricted", *STAMP_COLUMNS)
RELATED_COLUMNS = ("id", "client_id", "given_name", "family_name", "name_folded", "relationship",
                   "immigration_status", "date_of_birth", "a_number", "phone", "notes", *STAMP_COLUMNS)
MATTER_COLUMNS = ("id", "client_id", "kind", "title", "responsible_attorney_id", "opened_on", "closed_on",
                  "firm_status", "government_status", "conflict_check", "conflict_acknowledged_by",
                  "conflict_acknowledged_at", "last_activity_at", *STAMP_COLUMNS)
HISTORY_COLUMNS = ("matter_id", "pd_request_id", "track", "from_status", "to_status", "at", "user_name", "note")
REMOVAL_COLUMNS = ("matter_id", "court_id", "judge", "proceeding_type", "custody", "nta_date", "charges",
                   "relief_sought", "last_verified_on", "last_verified_via", *STAMP_COLUMNS)
HEARING_COLUMNS = ("id", "matter_id", "starts_at", "court_id", "courtroom", "judge", "hearing_type",
                   "interpreter_language", "result", "next_step", "special_setting", *STAMP_COLUMNS)
PD_COLUMNS = ("id", "matter_id", "regime", "action_requested", "opla_office_id", "channel", "submitted_on", "status",
              "status_changed_on", "positive_factors", "negative_factors", "factors_notes", "exhibits",
              "background_check", "outcome", *STAMP_COLUMNS)
CLAIM_COLUMNS = ("matter_id", "claim_types", "employer_id", "opposing_counsel_id", "right_to_sue_issued_on",
                 "right_to_sue_received_on", *STAMP_COLUMNS)
FILING_COLUMNS = ("matter_id", "agency", "number", "filed_on", "right_to_sue_issued_on", "right_to_sue_received_on",
                  "notes", *STAMP_COLUMNS)
BENEFIT_COLUMNS = ("matter_id", "form", "receipt_number", "filed_on", "status", "notes", *STAMP_COLUMNS)
FOLLOW_UP_COLUMNS = ("client_id", "matter_id", "assignee", "due_on", "note", "status", "recurrence_days",
                     "snoozed_until", "escalated_to", "escalated_at", "auto_key", "done_at", "done_by", "done_note",
                     *STAMP_COLUMNS)
DEADLINE_COLUMNS = ("matter_id", "trigger_event", "rule_id", "title", "trigger_date", "raw_due", "computed_due", "due_on",
                    "rolled_reason", "calendar", "citation", "notes", "override_reason", "assignee", "done_at",
                    "done_by", "done_note", *STAMP_COLUMNS)
ENTRY_COLUMNS = ("kind", "ref_id", "client_id", "label", "detail", "text")
# Tables whose secondary indexes are dropped while filling and built once at the end.
BULK_TABLES = (Client, RelatedPerson, Matter, StatusChange, RemovalCase, Hearing, PdRequest, EmploymentClaim,
               AgencyFiling, BenefitApplication, FollowUp, Deadline, SearchEntry)


@dataclass(frozen=True)
class DemoReport:
    clients: int
    matters: int
    hearings: int
    pd_requests: int
    follow_ups: int
    seconds: float


def generate_demo(database: Database, clients: int = 2000, seed: int = 1,
                  progress: Callable[[str, float], None] | None = None, clock: Clock = SYSTEM_CLOCK) -> DemoReport:
    """Fill an empty database with a fictional office of `clients` clients, dated around `clock`'s today."""
    started = time.monotonic()
    if clients < 1:
        raise KantorError("A demo office needs at least one client.")
    rng = Random(seed)
    now = clock.now().replace(microsecond=0)
    report = None
    with database.write() as session:
        if session.execute(select(func.count()).select_from(Client)).scalar_one():
            raise KantorError("This database already has clients; make the demo office in a new file (--db).")
        connection = session.connection()
        raw = connection.connection.driver_connection
        if connection.dialect.name == "sqlite":
            with _indexes_built_at_end(raw), search_backend.bulk_loading(connection):
                report = _fill(connection, raw, rng, clients, now, progress)
        else:
            report = _fill(connection, raw, rng, clients, now, progress)
        if progress:
            progress("search index built", 1.0)
    seconds = time.monotonic() - started
    assert report is not None
    return DemoReport(*report, seconds=seconds)


@dataclass(frozen=True)
class DemoSignIns:
    """Who can sign in to an encrypted demo office, every one with the same password."""

    users: tuple[str, ...]
    recovery_key: str = ""  # shown once, when the demo made the office


def fill_encrypted_demo(office: Office, password: str, clients: int = 2000, seed: int = 1,
                        progress: Callable[[str, float], None] | None = None) -> tuple[DemoReport, DemoSignIns]:
    """Fill the encrypted office `office` (signed in to by an administrator with `password`, no
    clients yet) and give each demo user without a password that same password."""
    users = accounts.AccountService.for_office(office)
    if not any(account.name == office.user and account.role == "admin" for account in users.list()):
        # The demo users get passwords, which only an administrator may give.
        raise KantorError(f"Only an administrator may fill an encrypted office with the demo; {office.user} is not one.")
    report = generate_demo(office.database, clients=clients, seed=seed, progress=progress, clock=office.clock)
    for account in users.list():
        if account.active and not account.can_sign_in:
            users.set_password(account.name, password)
    return report, DemoSignIns(tuple(account.name for account in users.list() if account.can_sign_in))


def set_up_encrypted_demo(locations: Locations, admin: str, password: str, clients: int = 2000, seed: int = 1,
                          progress: Callable[[str, float], None] | None = None,
                          clock: Clock = SYSTEM_CLOCK) -> tuple[Office, DemoReport, DemoSignIns]:
    """A new encrypted office at `locations`, `admin` its administrator, filled with the demo; the
    office comes back open. If filling fails, the office stays set up and empty, to be filled again."""
    made = accounts.set_up_office(locations, DEMO_FIRM, admin, admin, password, clock)
    try:
        report, sign_ins = fill_encrypted_demo(made.office, password, clients, seed, progress)
    except BaseException:
        made.office.close()
        raise
    return made.office, report, DemoSignIns(sign_ins.users, made.recovery_key)


@contextmanager
def _indexes_built_at_end(raw: Any) -> Iterator[None]:
    """Drop the bulk tables' secondary indexes, then create them again from the same SQL.

    Building an index once over sorted data is several times cheaper than keeping it up to date
    through hundreds of thousands of random-order inserts. All of it is inside the demo's one
    transaction: if generating fails, the rollback brings the indexes back untouched.
    """
    tables = [model.__table__.name for model in BULK_TABLES]  # type: ignore[attr-defined]
    marks = ", ".join("?" for _ in tables)
    indexes = raw.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                          f"AND tbl_name IN ({marks})", tables).fetchall()
    for name, _sql in indexes:
        raw.execute(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        raw.execute(sql)


class _Rows:
    """A bulk INSERT of ready-made tuples through the DB-API cursor, bypassing SQLAlchemy's
    per-row parameter processing (which costs more than SQLite's own work at this scale)."""

    def __init__(self, raw: Any, model: Any, columns: Sequence[str], paramstyle: str = "qmark") -> None:
        table: Table = model.__table__
        unknown = [c for c in columns if c not in table.c]
        # A column added by a later migration with a NOT NULL or a default must be filled here too.
        unfilled = [c.name for c in table.c if c.name not in columns and not (c.primary_key and c.autoincrement)
                    and (not c.nullable or c.default is not None or c.server_default is not None)]
        if unknown or unfilled:
            raise RuntimeError(f"the demo generator is out of date for {table.name}: "
                               f"unknown {unknown}, not filled {unfilled}")
        self._raw = raw
        # sqlite3 takes qmark parameters, psycopg %s; executemany is on the cursor in both.
        mark = "?" if paramstyle == "qmark" else "%s"
        self._sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
                     f"VALUES ({', '.join(mark for _ in columns)})")

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            with closing(self._raw.cursor()) as cursor:
                cursor.executemany(self._sql, rows)


def _datetime_text(value: datetime) -> str:
    # SQLAlchemy's SQLite DATETIME storage format (always with microseconds), so demo rows sort and
    # compare exactly like rows the services write.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _fill(connection: Connection, raw: Any, rng: Random, n: int, now: datetime,
          progress: Callable[[str, float], None] | None) -> tuple[int, int, int, int, int]:
    today = now.date()
    stamp = {"version": 1, "created_at": now, "created_by": "demo", "updated_at": now, "updated_by": "demo"}
    now_text = _datetime_text(now)
    stamp_row = (1, now_text, "demo", now_text, "demo")

    # Draws as local functions: the same algorithms as random.Random's choice/randint/choices on
    # CPython (so a seed keeps giving the same office), minus three Python frames per draw, which
    # at several million draws is a good part of the run.
    getrandbits = rng.getrandbits
    uniform = rng.random
    sample = rng.sample

    def below(limit: int) -> int:
        bits = limit.bit_length()
        value = getrandbits(bits)
        while value >= limit:
            value = getrandbits(bits)
        return value

    def randint(low: int, high: int) -> int:
        return low + below(high - low + 1)

    def choice(items: Sequence[Any]) -> Any:
        return items[below(len(items))]

    def weighted(items: Sequence[Any], cumulative: list[int]) -> Any:
        return items[bisect(cumulative, uniform() * cumulative[-1], 0, len(items) - 1)]

    origin_weights = list(accumulate(o[0] for o in ORIGINS))
    kind_weights = list(accumulate(MATTER_KINDS[1]))
    firm_weights = list(accumulate(FIRM_STATUSES[1]))

    # Dates as stored text, by offset in days from today (every offset the generator uses).
    day = {offset: (today + timedelta(days=offset)).isoformat() for offset in range(-3700, 300)}
    midnight = {offset: f"{text_} 00:00:00.000000" for offset, text_ in day.items()}
    days_ago = [_datetime_text(now - timedelta(days=d)) for d in range(121)]

    connection.execute(text(
        "UPDATE firm_settings SET firm_name = :f, attorney_name = :a, bar_number = :b, street = :s, city = :c, "
        "state = 'CA', postal_code = :p, phone = :t, email = :e WHERE id = 1"),
        {"f": DEMO_FIRM, "a": "Ruth Kantor", "b": "123456", "s": "9454 Wilshire Blvd., Suite 600",
         "c": "Beverly Hills", "p": "90212", "t": "+13105550100", "e": "office@kantor-law.example"})
    users = [("Ruth Kantor", "RK", "attorney"), ("Daniel Reyes", "DR", "attorney"), ("Ana Morales", "AM", "staff"),
             ("Luis Ortega", "LO", "staff")]
    existing = set(connection.execute(select(User.name)).scalars())
    new_users = [{"name": name, "initials": initials, "role": role, "email": "", "bar_number": "", "active": True,
                  **stamp} for name, initials, role in users if name not in existing]
    if new_users:
        connection.execute(insert(User), new_users)
    attorney_names = {row.id: row.name for row in connection.execute(select(User.id, User.name)
                                                                      .where(User.role == "attorney"))}
    attorney_ids = list(attorney_names)
    staff_names = list(connection.execute(select(User.name)).scalars())
    court_rows = list(connection.execute(select(Court.id, Court.code, Court.detained)))
    courts = {code: court_id for court_id, code, _detained in court_rows}
    # Detained clients are heard at the detained court (Adelanto), and no one else is at a court
    # the table marks as detained.
    detained_courts = {court_id for court_id, _code, detained in court_rows if detained}
    la_courts = [courts[c] for c in ("LOS", "NLA", "VNS", "WLA", "SNC") if c in courts
                 and courts[c] not in detained_courts]
    detained_court = courts.get("ADL")
    federal = get_calendar("federal")
    court_days: dict[int, str] = {}

    def court_day(offset: int) -> str:
        """The first day the courts sit on or after `offset` days from today (no weekend or holiday)."""
        found = court_days.get(offset)
        if found is None:
            found = court_days[offset] = federal.next_business_day(today + timedelta(days=offset)).isoformat()
        return found

    # Organisations: employers, opposing counsel, OPLA offices.
    parties: list[dict[str, Any]] = []
    party_id = int(connection.execute(select(func.coalesce(func.max(Party.id), 0))).scalar_one())
    employer_ids, counsel_ids = [], []
    employer_count = max(10, min(2000, n // 100))
    for i in range(employer_count):
        party_id += 1
        name = f"{choice(EMPLOYER_WORDS[0])} {choice(EMPLOYER_WORDS[1])} {choice(EMPLOYER_WORDS[2])}"
        if i >= len(EMPLOYER_WORDS[0]) * 3:
            name = f"{name} #{i}"
        parties.append({"id": party_id, "kind": "employer", "name": name, "name_folded": names.fold(name)})
        employer_ids.append(party_id)
    for name in COUNSEL:
        party_id += 1
        parties.append({"id": party_id, "kind": "opposing_counsel", "name": name, "name_folded": names.fold(name)})
        counsel_ids.append(party_id)
    party_id += 1
    opla_id = party_id
    parties.append({"id": opla_id, "kind": "opla", "name": "ICE OPLA Los Angeles Field Office",
                    "name_folded": names.fold("ICE OPLA Los Angeles Field Office")})
    # Where detained clients are held: reminders go to them care of the facility, at this address.
    party_id += 1
    parties.append({"id": party_id, "kind": "other", "name": DETENTION_FACILITY,
                    "name_folded": names.fold(DETENTION_FACILITY), "street": "10250 Rancho Road",
                    "city": "Adelanto", "postal_code": "92301"})
    connection.execute(insert(Party), [{"contact_name": "", "street": "", "city": "", "state": "CA",
                                        "postal_code": "", "phone": "", "email": "", "notes": "", **p, **stamp}
                                       for p in parties])
    connection.execute(insert(SearchEntry), [search.party_entry(_Obj(p)) for p in parties])
    party_names = {p["id"]: (p["name"], p["name_folded"]) for p in parties}

    paramstyle = connection.dialect.paramstyle
    client_rows = _Rows(raw, Client, CLIENT_COLUMNS, paramstyle)
    related_rows = _Rows(raw, RelatedPerson, RELATED_COLUMNS, paramstyle)
    matter_rows = _Rows(raw, Matter, MATTER_COLUMNS, paramstyle)
    history_rows = _Rows(raw, StatusChange, HISTORY_COLUMNS, paramstyle)
    removal_rows = _Rows(raw, RemovalCase, REMOVAL_COLUMNS, paramstyle)
    hearing_rows = _Rows(raw, Hearing, HEARING_COLUMNS, paramstyle)
    pd_rows = _Rows(raw, PdRequest, PD_COLUMNS, paramstyle)
    claim_rows = _Rows(raw, EmploymentClaim, CLAIM_COLUMNS, paramstyle)
    filing_rows = _Rows(raw, AgencyFiling, FILING_COLUMNS, paramstyle)
    benefit_rows = _Rows(raw, BenefitApplication, BENEFIT_COLUMNS, paramstyle)
    follow_up_rows = _Rows(raw, FollowUp, FOLLOW_UP_COLUMNS, paramstyle)
    deadline_rows = _Rows(raw, Deadline, DEADLINE_COLUMNS, paramstyle)
    entry_rows = _Rows(raw, SearchEntry, ENTRY_COLUMNS, paramstyle)

    def max_id(model: Any) -> int:
        return int(connection.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one())

    client_base = max_id(Client)
    matter_id = max_id(Matter)
    related_id = max_id(RelatedPerson)
    pd_id = max_id(PdRequest)
    hearing_id = max_id(Hearing)
    # Deadlines, whether they were kept, and the steps PD requests went through are drawn from a
    # stream of their own: the rest of the office stays what the seed always gave.
    extra_draw = Random(f"demo deadlines {n}").random
    computed_deadlines: dict[tuple[str, str], dict[str, Any]] = {}
    today_text = today.isoformat()

    def deadline(matter_id: int, event: str, rule_id: str, trigger: str, assignee: str) -> tuple[Any, ...]:
        """A deadline row as the deadline service writes it; those past due mostly done, some late or missed."""
        columns = computed_deadlines.get((rule_id, trigger))
        if columns is None:
            columns = computed_columns(compute_deadline(rule_id, date.fromisoformat(trigger)))
            columns = computed_deadlines[(rule_id, trigger)] = {
                **columns, **{k: v.isoformat() for k, v in columns.items() if isinstance(v, date)}}
        due = date.fromisoformat(columns["due_on"])
        done_at, done_by, kept = None, "", extra_draw()
        if due < today and kept < 0.9 or due >= today and kept < 0.1:
            late = due < today and kept >= 0.82
            done_day = due + timedelta(days=1 + int(kept * 40) % 5) if late else due - timedelta(days=int(kept * 60) % 6)
            done_at, done_by = _datetime_text(datetime.combine(min(done_day, today), datetime.min.time())
                                              + timedelta(hours=16)), assignee
        return (matter_id, event, rule_id, columns["title"], columns["trigger_date"], columns["raw_due"],
                columns["computed_due"], columns["due_on"], columns["rolled_reason"], columns["calendar"],
                columns["citation"], columns["notes"], "", assignee, done_at, done_by, "", *stamp_row)
    totals = {"matters": 0, "hearings": 0, "pd": 0, "follow_ups": 0}
    pd_states = list(st.PD_STATUS_LABELS)
    pd_regimes, pd_actions = REGIMES, list(st.PD_ACTIONS)
    pd_positive, pd_negative = list(st.PD_POSITIVE_FACTORS), list(st.PD_NEGATIVE_FACTORS)
    claim_types, hearing_types = list(st.CLAIM_TYPES), list(st.HEARING_TYPES)
    kind_labels = {kind: st.MatterKind(kind).label for kind in MATTER_KINDS[0]}
    pd_counter = 0
    a_numbers: set[int] = set()

    # Everything derived from a name is computed once per distinct name: a few thousand distinct
    # names cover 300,000 clients, and folding/sound-alike keys are most of the per-client work.
    client_names: dict[tuple[str, ...], tuple[str, str, str, str, str]] = {}
    related_names: dict[tuple[str, str], tuple[str, str, str]] = {}
    email_words: dict[str, str] = {}

    def client_name_parts(given: str, middle: str, family: str, second: str, aliases: str) -> tuple[str, ...]:
        key = (given, middle, family, second, aliases)
        found = client_names.get(key)
        if found is None:
            stub = _Obj({"id": 0, "given_name": given, "middle_name": middle, "family_name": family,
                         "second_family_name": second, "aliases": aliases, "a_number": None, "phone": "",
                         "phone_alt": "", "email": "", "city": ""})
            found = (names.sort_name(given, family, second),
                     names.fold(names.full_name(given, middle, family, second)),
                     names.fold(" ".join(p for p in (family, second) if p)),
                     names.full_name(given, middle, family, second),
                     search.client_entry(stub)["text"])
            client_names[key] = found
        return found

    def related_name_parts(given: str, family: str) -> tuple[str, str, str]:
        found = related_names.get((given, family))
        if found is None:
            stub = _Obj({"id": 0, "client_id": 0, "given_name": given, "family_name": family, "a_number": None,
                         "relationship": ""})
            entry = search.related_entry(stub, "")
            found = (names.fold(f"{given} {family}"), entry["label"], entry["text"])
            related_names[(given, family)] = found
        return found

    for chunk_start in range(0, n, CHUNK):
        chunk_end = min(n, chunk_start + CHUNK)
        clients: list[tuple[Any, ...]] = []
        entries: list[tuple[Any, ...]] = []
        related: list[tuple[Any, ...]] = []
        related_entries: list[tuple[Any, ...]] = []
        matters: list[tuple[Any, ...]] = []
        history: list[tuple[Any, ...]] = []
        removals: list[tuple[Any, ...]] = []
        hearings: list[tuple[Any, ...]] = []
        pds: list[tuple[Any, ...]] = []
        pd_history: list[tuple[Any, ...]] = []
        claims: list[tuple[Any, ...]] = []
        filings: list[tuple[Any, ...]] = []
        benefits: list[tuple[Any, ...]] = []
        follow_ups: list[tuple[Any, ...]] = []
        deadlines: list[tuple[Any, ...]] = []
        for offset in range(chunk_start, chunk_end):
            client_id = client_base + offset + 1
            _, givens, middles, families, seconds_, language, country = weighted(ORIGINS, origin_weights)
            given, middle, family = choice(givens), choice(middles), choice(families)
            second = choice(seconds_)
            if second == family:
                second = ""
            while True:
                number = 10_000_000 + below(989_999_999)
                if number not in a_numbers:
                    a_numbers.add(number)
                    break
            has_a_number = uniform() < 0.8
            city, zip_prefix = choice(CITIES)
            dob = f"{randint(1950, 2006):04d}-{randint(1, 12):02d}-{randint(1, 28):02d}"
            phone = f"+1{choice(AREA_CODES)}555{randint(0, 9999):04d}"
            if uniform() < 0.6:
                email = ""
            else:
                word = email_words.get(given)
                if word is None:
                    word = email_words[given] = names.fold(given).split()[0]
                email = f"{word}.{client_id}@example.com".replace("'", "")
            street = f"{randint(100, 9999)} {choice(STREETS)}"
            postal_code = f"{zip_prefix}{randint(10, 99)}"
            intake_date = day[-randint(0, 3650)]
            detained = uniform() < 0.04
            sensitive = uniform() < 0.1
            aliases = "[]"
            if uniform() < 0.05:
                aliases = json.dumps([f"{given} {choice(families)}"], ensure_ascii=False)
            sort_name, name_folded, family_folded, client_name, name_text = client_name_parts(
                given, middle, family, second, aliases)
            # The client's row and search entry are completed after the matters: a client in removal
            # proceedings always has an A-number (EOIR assigns one with the Notice to Appear).
            entry_at = len(entries)
            entries.append(())
            in_removal = False

            if uniform() < 0.4:
                for _ in range(randint(1, 2)):
                    relationship = choice(RELATIONSHIPS)
                    rel_given = choice(givens)
                    related_id += 1
                    rel_folded, rel_label, rel_text = related_name_parts(rel_given, family)
                    related.append((related_id, client_id, rel_given, family, rel_folded, relationship,
                                    choice(RELATED_STATUSES), None, None, "", "", *stamp_row))
                    related_entries.append(("related", related_id, client_id, rel_label,
                                            f"{relationship} of {client_name}"[:400], rel_text))

            for _ in range(2 if uniform() < 0.3 else 1):
                matter_id += 1
                totals["matters"] += 1
                kind = weighted(MATTER_KINDS[0], kind_weights)
                firm_status = weighted(FIRM_STATUSES[0], firm_weights)
                opened = -randint(0, 2500)
                # Drawn for every kind, in this order, so that a seed keeps giving the same office.
                by_kind = {"removal": choice(REMOVAL_STATUSES), "benefit": choice(BENEFIT_STATUSES),
                           "employment": choice(EMPLOYMENT_STATUSES), "labor": choice(LABOR_STATUSES)}
                government = by_kind.get(kind)
                if government == "individual_set" and firm_status != "closed" and extra_draw() < 0.2:
                    # Decided lately, so that the office has appeal clocks running (drawn apart from the
                    # seed's stream, which stays as it was).
                    government = "removal_ordered"
                attorney = choice(attorney_ids) if attorney_ids else None
                closed_on = day[-randint(0, 300)] if firm_status == "closed" else None
                title = kind_labels[kind]
                in_removal = in_removal or kind == "removal"
                matters.append((matter_id, client_id, kind, title, attorney, day[opened], closed_on,
                                firm_status, government, "", "", None, days_ago[randint(0, 120)], *stamp_row))
                history.append((matter_id, None, "firm", None, firm_status, midnight[opened], "demo",
                                "matter opened"))
                if government:
                    history.append((matter_id, None, "government", None, government, midnight[opened], "demo", ""))
                extra_text: list[str] = []
                if kind == "removal":
                    court_id = choice(la_courts) if la_courts else None
                    if detained and detained_court is not None:
                        court_id = detained_court
                    judge = choice(JUDGES)
                    verified = day[-randint(0, 30)] if uniform() < 0.7 else None
                    custody = "detained" if detained else choice(["never_detained", "released"])
                    nta_date = day[opened + randint(0, 60)] if opened < 0 else None
                    removals.append((matter_id, court_id, judge, "removal (INA 240)", custody, nta_date,
                                     "INA 212(a)(6)(A)(i)", json.dumps(sample(RELIEF, 2)), verified,
                                     "acis" if verified else "", *stamp_row))
                    owner = attorney_names.get(attorney, "demo") if attorney is not None else "demo"
                    if firm_status != "closed":
                        for _ in range(randint(1, 2)):
                            starts_day = court_day(randint(-60, 200))
                            hour = choice([8, 9, 10, 13, 14])
                            minute = choice([0, 30])
                            courtroom = f"Courtroom {randint(1, 18)}"
                            hearing_type = choice(hearing_types)
                            if government == "removal_ordered" and starts_day > today_text:
                                continue  # no hearing after the order
                            hearing_id += 1
                            hearings.append((hearing_id, matter_id, f"{starts_day} {hour:02d}:{minute:02d}:00.000000",
                                             court_id, courtroom, judge, hearing_type,
                                             language if language != "English" else "", "", "", False,
                                             *stamp_row))
                            totals["hearings"] += 1
                            # The filing deadline the hearing service sets (none for a detained client:
                            # the judge sets those).
                            filing_rule = HEARING_RULES.get(hearing_type)
                            if filing_rule and custody != "detained":
                                deadlines.append(deadline(matter_id, hearing_event(hearing_id), filing_rule,
                                                          starts_day, owner))
                        for event in decision_events(kind, government or ""):
                            # Decided within the last six weeks: the appeal clocks are running.
                            decided = (today - timedelta(days=int(extra_draw() * 42))).isoformat()
                            deadlines.extend(deadline(matter_id, event, rule_id, decided, owner)
                                             for rule_id in TRIGGER_EVENTS[event].rule_ids)
                    if uniform() < 0.06:
                        pd_counter += 1
                        pd_id += 1
                        status = pd_states[pd_counter % len(pd_states)]
                        action = choice(pd_actions)
                        # A request carries the guidance in force on the day it went in (a draft:
                        # today's); between regimes it went in on the next one's first day.
                        back = min(randint(10, 1500), -opened) if opened < 0 else 0
                        sent_on = today - timedelta(days=back)
                        regime_now = regime_on(sent_on)
                        if regime_now is None:
                            regime_now = next(r for r in pd_regimes if r.start > sent_on)
                            sent_on = regime_now.start
                        submitted = None if status == "draft" else sent_on.isoformat()
                        regime = (regime_on(today) or pd_regimes[-1]).id if status == "draft" else regime_now.id
                        changed = max(day[-randint(0, 90)], submitted or "")
                        positive = json.dumps(sample(pd_positive, 3))
                        negative = json.dumps(sample(pd_negative, 1) if uniform() < 0.3 else [])
                        check = {"background_check": "pending", "cleared": "cleared",
                                 "adverse": "adverse"}.get(status, "not_started")
                        pds.append((pd_id, matter_id, regime, action, opla_id, "e-mail to OPLA field office",
                                    submitted, status, changed, positive, negative, "", EXHIBITS, check, "",
                                    *stamp_row))
                        pd_history.extend(_pd_steps(matter_id, pd_id, status, submitted, changed, extra_draw))
                        totals["pd"] += 1
                elif kind == "employment":
                    employer = choice(employer_ids)
                    counsel = choice(counsel_ids)
                    claims.append((matter_id, json.dumps(sample(claim_types, 2)), employer, counsel, None, None,
                                   *stamp_row))
                    agency = choice(AGENCIES)
                    # Every agency's number is drawn, in this order, so a seed keeps giving the same office.
                    numbers = {"eeoc": f"480-{today.year - 1}-{randint(1000, 99999):05d}",
                               "crd": f"{randint(200000, 999999)}-{randint(100000, 999999)}",
                               "dlse": f"WC-CM-{randint(100000, 999999)}",
                               "lwda": f"LWDA-CM-{randint(1000000, 9999999)}-{today.year % 100}"}
                    filing_number = numbers[agency]
                    filed = opened + randint(10, 90)
                    filings.append((matter_id, agency, filing_number, day[min(filed, 0)], None, None, "",
                                    *stamp_row))
                    # Findable by employer and opposing counsel, as search.reindex_matter makes it.
                    extra_text += [filing_number, *party_names[employer], *party_names[counsel]]
                elif kind == "benefit":
                    receipt = f"{choice(RECEIPT_PREFIXES)}{randint(10 ** 9, 10 ** 10 - 1)}"
                    form = choice(FORMS)
                    filed_on = day[opened + randint(0, 30)] if opened < 0 else None
                    benefits.append((matter_id, form, receipt, filed_on, government or "filed", "", *stamp_row))
                    extra_text.append(receipt)
                # Every matter has a title, so the matter service indexes every matter, not only
                # those with receipt or agency numbers.
                entry = search.matter_entry(_Obj({"id": matter_id, "client_id": client_id, "kind": kind,
                                                  "title": title}), client_name, extra_text)
                entries.append(tuple(entry[c] for c in ENTRY_COLUMNS))
                if uniform() < 0.03:
                    assignee = choice(staff_names) if staff_names else ""
                    due_on = day[randint(-20, 30)]
                    follow_ups.append((client_id, matter_id, assignee, due_on, choice(FOLLOW_UP_NOTES), "open",
                                       None, None, "", None, None, None, "", "", *stamp_row))
                    totals["follow_ups"] += 1

            a_number = f"A{number:09d}" if has_a_number or in_removal else None
            clients.append((
                client_id, given, middle, family, second, aliases, sort_name, name_folded, family_folded, dob,
                country, country, language, "es" if language == "Spanish" else "en", phone, "", email, street,
                city, "CA", postal_code, a_number, intake_date, "", "", detained,
                DETENTION_FACILITY if detained else "", sensitive, "", False, *stamp_row))
            # The same entry search.client_entry makes (tests/services/test_demo.py holds them equal).
            entry_text = [name_text]
            if a_number:
                entry_text.append(a_number)
            entry_text.append(phone[2:])
            if email:
                entry_text.append(email)
            entries[entry_at] = ("client", client_id, client_id, client_name[:400],
                                 f"{format_a_number(a_number)} · {city}" if a_number else city, " ".join(entry_text))

        client_rows.insert(clients)
        related_rows.insert(related)
        matter_rows.insert(matters)
        history_rows.insert(history)
        removal_rows.insert(removals)
        hearing_rows.insert(hearings)
        claim_rows.insert(claims)
        filing_rows.insert(filings)
        benefit_rows.insert(benefits)
        follow_up_rows.insert(follow_ups)
        deadline_rows.insert(deadlines)
        pd_rows.insert(pds)
        history_rows.insert(pd_history)
        entry_rows.insert(entries + related_entries)
        if progress:
            progress(f"{chunk_end:,} of {n:,} clients", chunk_end / n)

    connection.execute(insert(AuditEvent), [{"user_name": "demo", "action": "create", "entity": "demo",
                                             "entity_id": None, "client_id": None, "at": now,
                                             "summary": f"generated a demo office of {n:,} clients", "changes": "{}"}])
    return n, totals["matters"], totals["hearings"], totals["pd"], totals["follow_ups"]


# The steps a PD request went through to reach each status, and how long each usually takes
# (relative weights: the background check is the long wait, as in the 2011–2012 review).
_PD_PATHS: dict[str, tuple[str, ...]] = {
    "submitted": ("submitted",),
    "under_review": ("submitted", "under_review"),
    "info_requested": ("submitted", "under_review", "info_requested"),
    "no_response": ("submitted", "no_response"),
    "withdrawn": ("submitted", "withdrawn"),
    "denied": ("submitted", "under_review", "denied"),
    "offer_received": ("submitted", "under_review", "offer_received"),
    "background_check": ("submitted", "under_review", "offer_received", "background_check"),
    "cleared": ("submitted", "under_review", "offer_received", "background_check", "cleared"),
    "adverse": ("submitted", "under_review", "offer_received", "background_check", "adverse"),
    "offer_accepted": ("submitted", "under_review", "offer_received", "background_check", "cleared",
                       "offer_accepted"),
    "offer_declined": ("submitted", "under_review", "offer_received", "background_check", "cleared",
                       "offer_declined"),
    "joint_motion_filed": ("submitted", "under_review", "offer_received", "background_check", "cleared",
                           "offer_accepted", "joint_motion_filed"),
    "granted": ("submitted", "under_review", "offer_received", "background_check", "cleared", "offer_accepted",
                "joint_motion_filed", "granted"),
    "recalendared": ("submitted", "under_review", "offer_received", "background_check", "cleared",
                     "offer_accepted", "joint_motion_filed", "granted", "recalendared"),
}
_PD_STEP_WEIGHT = {"cleared": 4.0, "adverse": 4.0}


def _pd_steps(matter_id: int, pd_id: int, status: str, submitted: str | None, changed: str,
              draw: Callable[[], float]) -> list[tuple[Any, ...]]:
    """The status history of a demo PD request: each step from submission to `status`, the last on
    the day its status changed, the others spread between (a draft has only its creation)."""
    path = _PD_PATHS.get(status)
    if not path or submitted is None:
        return [(matter_id, pd_id, "pd", None, status, f"{changed} 10:00:00.000000", "demo", "")]
    start, end = date.fromisoformat(submitted), date.fromisoformat(changed)
    weights = [_PD_STEP_WEIGHT.get(step, 1.0) * (0.5 + draw()) for step in path[1:]]
    total = sum(weights) or 1.0
    span = (end - start).days
    rows: list[tuple[Any, ...]] = []
    elapsed = 0.0
    before: str | None = None
    for step, weight in zip(path, [0.0, *weights], strict=True):
        elapsed += weight
        on = start + timedelta(days=round(span * elapsed / total))
        rows.append((matter_id, pd_id, "pd", before, step, f"{on.isoformat()} 10:00:00.000000", "demo", ""))
        before = step
    return rows


class _Obj:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
