"""A realistic, fictional practice for trying the software and for measuring it at office scale.

Names mix the office's real clientele (Spanish double surnames, Armenian, Vietnamese with
diacritics, Russian in Cyrillic, Chinese in Han characters, Korean, Tagalog, apostrophes and
hyphens); matters of every kind, hearings over the coming months, PD requests in every state,
employment claims with agency filings, related persons and follow-ups that need doing.
Everything is written in bulk in one transaction and the search index is built once at the end,
so 300,000 clients take about a minute.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from kantor_cases.db import search as search_backend
from kantor_cases.db.engine import Database
from kantor_cases.db.models import (
    AgencyFiling,
    AuditEvent,
    BenefitApplication,
    Client,
    Court,
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
from kantor_cases.domain.errors import KantorError

from . import search

CHUNK = 20_000

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


@dataclass(frozen=True)
class DemoReport:
    clients: int
    matters: int
    hearings: int
    pd_requests: int
    follow_ups: int
    seconds: float


def _pick_origin(rng: random.Random) -> tuple[int, list[str], list[str], list[str], list[str], str, str]:
    return rng.choices(ORIGINS, weights=[o[0] for o in ORIGINS])[0]


def generate_demo(database: Database, clients: int = 2000, seed: int = 1,
                  progress: Callable[[str, float], None] | None = None, today: date | None = None) -> DemoReport:
    """Fill an empty database with a fictional office of `clients` clients."""
    started = datetime.now()
    if clients < 1:
        raise KantorError("A demo office needs at least one client.")
    rng = random.Random(seed)
    today = today or date.today()
    report = None
    with database.write() as session:
        if session.execute(select(func.count()).select_from(Client)).scalar_one():
            raise KantorError("This database already has clients; make the demo office in a new file (--db).")
        connection = session.connection()
        with search_backend.bulk_loading(connection):
            report = _fill(connection, rng, clients, today, progress)
        if progress:
            progress("search index built", 1.0)
    seconds = (datetime.now() - started).total_seconds()
    assert report is not None
    return DemoReport(*report, seconds=seconds)


def _fill(connection: Connection, rng: random.Random, n: int, today: date,
          progress: Callable[[str, float], None] | None) -> tuple[int, int, int, int, int]:
    now = datetime.now().replace(microsecond=0)
    stamp = {"version": 1, "created_at": now, "created_by": "demo", "updated_at": now, "updated_by": "demo"}

    connection.execute(text(
        "UPDATE firm_settings SET firm_name = :f, attorney_name = :a, bar_number = :b, street = :s, city = :c, "
        "state = 'CA', postal_code = :p, phone = :t, email = :e WHERE id = 1"),
        {"f": "Kantor & Associates", "a": "Ruth Kantor", "b": "123456", "s": "9454 Wilshire Blvd., Suite 600",
         "c": "Beverly Hills", "p": "90212", "t": "+13105550100", "e": "office@kantor-law.example"})
    users = [("Ruth Kantor", "RK", "attorney"), ("Daniel Reyes", "DR", "attorney"), ("Ana Morales", "AM", "staff"),
             ("Luis Ortega", "LO", "staff")]
    existing = set(connection.execute(select(User.name)).scalars())
    new_users = [{"name": name, "initials": initials, "role": role, "email": "", "bar_number": "", "active": True,
                  **stamp} for name, initials, role in users if name not in existing]
    if new_users:
        connection.execute(insert(User), new_users)
    attorney_ids = list(connection.execute(select(User.id).where(User.role == "attorney")).scalars())
    staff_names = list(connection.execute(select(User.name)).scalars())
    courts = {code: court_id for court_id, code in connection.execute(select(Court.id, Court.code))}
    la_courts = [courts[c] for c in ("LOS", "NLA", "VNS", "WLA", "SNC", "ADL") if c in courts]

    # Organisations: employers, opposing counsel, OPLA offices.
    parties: list[dict[str, Any]] = []
    party_id = int(connection.execute(select(func.coalesce(func.max(Party.id), 0))).scalar_one())
    employer_ids, counsel_ids = [], []
    employer_count = max(10, min(2000, n // 100))
    for i in range(employer_count):
        party_id += 1
        name = f"{rng.choice(EMPLOYER_WORDS[0])} {rng.choice(EMPLOYER_WORDS[1])} {rng.choice(EMPLOYER_WORDS[2])}"
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
    connection.execute(insert(Party), [{**p, "contact_name": "", "street": "", "city": "", "state": "CA",
                                        "postal_code": "", "phone": "", "email": "", "notes": "", **stamp}
                                       for p in parties])
    connection.execute(insert(SearchEntry), [search.party_entry(_Obj(p)) for p in parties])

    client_base = int(connection.execute(select(func.coalesce(func.max(Client.id), 0))).scalar_one())
    matter_id = int(connection.execute(select(func.coalesce(func.max(Matter.id), 0))).scalar_one())
    totals = {"matters": 0, "hearings": 0, "pd": 0, "follow_ups": 0}
    pd_states = list(st.PD_STATUS_LABELS)
    pd_counter = 0
    a_numbers: set[int] = set()

    for chunk_start in range(0, n, CHUNK):
        chunk_end = min(n, chunk_start + CHUNK)
        clients, entries, related, matters, history, removals, hearings = [], [], [], [], [], [], []
        pds, claims, filings, benefits, follow_ups = [], [], [], [], []
        for offset in range(chunk_start, chunk_end):
            client_id = client_base + offset + 1
            _, givens, middles, families, seconds_, language, country = _pick_origin(rng)
            given, middle, family = rng.choice(givens), rng.choice(middles), rng.choice(families)
            second = rng.choice(seconds_)
            if second == family:
                second = ""
            while True:
                number = rng.randrange(10_000_000, 999_999_999)
                if number not in a_numbers:
                    a_numbers.add(number)
                    break
            a_number = f"A{number:09d}" if rng.random() < 0.8 else None
            city, zip_prefix = rng.choice(CITIES)
            dob = date(rng.randint(1950, 2006), rng.randint(1, 12), rng.randint(1, 28))
            row: dict[str, Any] = {
                "id": client_id, "given_name": given, "middle_name": middle, "family_name": family,
                "second_family_name": second, "aliases": "[]",
                "sort_name": names.sort_name(given, family, second),
                "name_folded": names.fold(names.full_name(given, middle, family, second)),
                "family_folded": names.fold(" ".join(p for p in (family, second) if p)),
                "date_of_birth": dob, "country_of_birth": country, "nationality": country, "languages": language,
                "preferred_language": "es" if language == "Spanish" else "en",
                "phone": f"+1{rng.choice(['213', '323', '818', '626', '714', '310'])}555{rng.randint(0, 9999):04d}",
                "phone_alt": "", "email": "" if rng.random() < 0.6 else
                f"{names.fold(given).split()[0]}.{client_id}@example.com".replace("'", ""),
                "street": f"{rng.randint(100, 9999)} {rng.choice(STREETS)}", "city": city, "state": "CA",
                "postal_code": f"{zip_prefix}{rng.randint(10, 99)}", "a_number": a_number,
                "intake_date": today - timedelta(days=rng.randint(0, 3650)), "referral_source": "",
                "notes": "", "detained": rng.random() < 0.04, "detention_facility": "", "sensitive": rng.random() < 0.1,
                **stamp,
            }
            if row["detained"]:
                row["detention_facility"] = "Adelanto ICE Processing Center"
            if rng.random() < 0.05:
                row["aliases"] = json.dumps([f"{given} {rng.choice(families)}"], ensure_ascii=False)
            clients.append(row)
            entries.append(search.client_entry(_Obj(row)))
            client_name = names.full_name(given, middle, family, second)

            if rng.random() < 0.4:
                for _ in range(rng.randint(1, 2)):
                    relationship = rng.choice(["spouse", "child", "child", "parent", "sibling"])
                    rel_given = rng.choice(givens)
                    person = {"client_id": client_id, "given_name": rel_given, "family_name": family,
                              "name_folded": names.fold(f"{rel_given} {family}"), "relationship": relationship,
                              "immigration_status": rng.choice(["usc", "usc", "lpr", "other"]),
                              "date_of_birth": None, "a_number": None, "phone": "", "notes": "", **stamp}
                    related.append(person)

            for _ in range(2 if rng.random() < 0.3 else 1):
                matter_id += 1
                totals["matters"] += 1
                kind = rng.choices(["removal", "benefit", "employment", "labor", "other"], [45, 25, 18, 4, 8])[0]
                firm_status = rng.choices(["intake", "engaged", "active", "on_hold", "closed"], [5, 10, 60, 5, 20])[0]
                opened = today - timedelta(days=rng.randint(0, 2500))
                government = {"removal": rng.choice(["master_set", "master_set", "continued", "individual_set",
                                                     "admin_closed", "bia_appeal"]),
                              "benefit": rng.choice(["filed", "receipt_received", "biometrics", "interview", "rfe"]),
                              "employment": rng.choice(["investigation", "agency_filing", "agency_pending",
                                                        "right_to_sue", "complaint_filed", "discovery"]),
                              "labor": rng.choice(["charge_filed", "investigation"]), "other": None}[kind]
                matters.append({
                    "id": matter_id, "client_id": client_id, "kind": kind, "title": st.MatterKind(kind).label,
                    "responsible_attorney_id": rng.choice(attorney_ids) if attorney_ids else None, "opened_on": opened,
                    "closed_on": today - timedelta(days=rng.randint(0, 300)) if firm_status == "closed" else None,
                    "firm_status": firm_status, "government_status": government, "conflict_check": "",
                    "conflict_acknowledged_by": "", "conflict_acknowledged_at": None,
                    "last_activity_at": now - timedelta(days=rng.randint(0, 120)), **stamp})
                history.append({"matter_id": matter_id, "pd_request_id": None, "track": "firm", "from_status": None,
                                "to_status": firm_status, "at": datetime.combine(opened, datetime.min.time()),
                                "user_name": "demo", "note": "matter opened"})
                if government:
                    history.append({"matter_id": matter_id, "pd_request_id": None, "track": "government",
                                    "from_status": None, "to_status": government,
                                    "at": datetime.combine(opened, datetime.min.time()), "user_name": "demo",
                                    "note": ""})
                extra_text: list[str] = []
                if kind == "removal":
                    court_id = rng.choice(la_courts) if la_courts else None
                    judge = rng.choice(JUDGES)
                    verified = today - timedelta(days=rng.randint(0, 30)) if rng.random() < 0.7 else None
                    removals.append({
                        "matter_id": matter_id, "court_id": court_id, "judge": judge,
                        "proceeding_type": "removal (INA 240)",
                        "custody": "detained" if row["detained"] else rng.choice(["never_detained", "released"]),
                        "nta_date": opened + timedelta(days=rng.randint(0, 60)) if opened < today else None,
                        "charges": "INA 212(a)(6)(A)(i)",
                        "relief_sought": json.dumps(rng.sample(["asylum", "withholding", "cat",
                                                                "cancellation_non_lpr", "adjustment"], 2)),
                        "last_verified_on": verified, "last_verified_via": "acis" if verified else "", **stamp})
                    if firm_status != "closed":
                        for _ in range(rng.randint(1, 2)):
                            starts = datetime.combine(today + timedelta(days=rng.randint(-60, 200)),
                                                      datetime.min.time()).replace(hour=rng.choice([8, 9, 10, 13, 14]),
                                                                                   minute=rng.choice([0, 30]))
                            hearings.append({"matter_id": matter_id, "starts_at": starts, "court_id": court_id,
                                             "courtroom": f"Courtroom {rng.randint(1, 18)}", "judge": judge,
                                             "hearing_type": rng.choice(list(st.HEARING_TYPES)),
                                             "interpreter_language": language if language != "English" else "",
                                             "result": "", "next_step": "", **stamp})
                            totals["hearings"] += 1
                    if rng.random() < 0.06:
                        pd_counter += 1
                        status = pd_states[pd_counter % len(pd_states)]
                        pds.append({
                            "matter_id": matter_id, "regime": rng.choice(list(st.PD_REGIMES)),
                            "action_requested": rng.choice(list(st.PD_ACTIONS)), "opla_office_id": opla_id,
                            "channel": "e-mail to OPLA field office",
                            "submitted_on": None if status == "draft" else today - timedelta(days=rng.randint(10, 400)),
                            "status": status, "status_changed_on": today - timedelta(days=rng.randint(0, 90)),
                            "positive_factors": json.dumps(rng.sample(list(st.PD_POSITIVE_FACTORS), 3)),
                            "negative_factors": json.dumps(rng.sample(list(st.PD_NEGATIVE_FACTORS), 1)
                                                           if rng.random() < 0.3 else []),
                            "factors_notes": "", "exhibits": json.dumps(["Birth certificates of USC children",
                                                                         "Tax returns 2019–2025"]),
                            "background_check": {"background_check": "pending", "cleared": "cleared",
                                                 "adverse": "adverse"}.get(status, "not_started"),
                            "outcome": "", **stamp})
                        totals["pd"] += 1
                elif kind == "employment":
                    employer = rng.choice(employer_ids)
                    counsel = rng.choice(counsel_ids)
                    claims.append({"matter_id": matter_id,
                                   "claim_types": json.dumps(rng.sample(list(st.CLAIM_TYPES), 2)),
                                   "employer_id": employer, "opposing_counsel_id": counsel,
                                   "right_to_sue_issued_on": None, "right_to_sue_received_on": None, **stamp})
                    agency = rng.choice(["eeoc", "crd", "dlse", "lwda"])
                    filing_number = {"eeoc": f"480-{today.year - 1}-{rng.randint(1000, 99999):05d}",
                              "crd": f"{rng.randint(200000, 999999)}-{rng.randint(100000, 999999)}",
                              "dlse": f"WC-CM-{rng.randint(100000, 999999)}",
                              "lwda": f"LWDA-CM-{rng.randint(1000000, 9999999)}-{today.year % 100}"}[agency]
                    filed = opened + timedelta(days=rng.randint(10, 90))
                    filings.append({"matter_id": matter_id, "agency": agency, "number": filing_number,
                                    "filed_on": min(filed, today), "right_to_sue_issued_on": None,
                                    "right_to_sue_received_on": None, "notes": "", **stamp})
                    party_name = parties[employer - parties[0]["id"]]["name"]
                    extra_text += [filing_number, party_name, names.fold(party_name)]
                elif kind == "benefit":
                    receipt = f"{rng.choice(RECEIPT_PREFIXES)}{rng.randint(10 ** 9, 10 ** 10 - 1)}"
                    benefits.append({"matter_id": matter_id, "form": rng.choice(FORMS), "receipt_number": receipt,
                                     "filed_on": opened + timedelta(days=rng.randint(0, 30)) if opened < today
                                     else None, "status": government or "filed", "notes": "", **stamp})
                    extra_text.append(receipt)
                if extra_text:
                    entries.append(search.matter_entry(_Obj(matters[-1]), client_name, extra_text))
                if rng.random() < 0.03:
                    follow_ups.append({"client_id": client_id, "matter_id": matter_id,
                                       "assignee": rng.choice(staff_names) if staff_names else "",
                                       "due_on": today + timedelta(days=rng.randint(-20, 30)),
                                       "note": rng.choice(["Call client about missing tax returns",
                                                           "Verify EOIR status on ACIS",
                                                           "Request birth certificate translation",
                                                           "Follow up with OPLA on PD request",
                                                           "Send retainer agreement for signature"]),
                                       "status": "open", "recurrence_days": None, "snoozed_until": None,
                                       "escalated_to": "", "escalated_at": None, "auto_key": None,
                                       "done_at": None, "done_by": "", "done_note": "", **stamp})
                    totals["follow_ups"] += 1

        connection.execute(insert(Client), clients)
        for table, rows in ((RelatedPerson, related), (Matter, matters), (StatusChange, history),
                            (RemovalCase, removals), (Hearing, hearings), (EmploymentClaim, claims),
                            (AgencyFiling, filings), (BenefitApplication, benefits), (FollowUp, follow_ups)):
            if rows:
                connection.execute(insert(table), rows)
        if pds:
            ids = list(connection.execute(insert(PdRequest).returning(PdRequest.id), pds).scalars())
            connection.execute(insert(StatusChange), [
                {"matter_id": p["matter_id"], "pd_request_id": pd_id, "track": "pd", "from_status": None,
                 "to_status": p["status"], "at": now, "user_name": "demo", "note": ""} for pd_id, p in zip(ids, pds,
                                                                                                          strict=True)])
        if related:
            first_id = int(connection.execute(select(func.max(RelatedPerson.id))).scalar_one()) - len(related) + 1
            for offset_id, person in enumerate(related):
                person_obj = _Obj({**person, "id": first_id + offset_id})
                owner = clients[person["client_id"] - clients[0]["id"]]
                entries.append(search.related_entry(person_obj, names.full_name(
                    owner["given_name"], owner["middle_name"], owner["family_name"], owner["second_family_name"])))
        connection.execute(insert(SearchEntry), entries)
        if progress:
            progress(f"{chunk_end:,} of {n:,} clients", chunk_end / n)

    connection.execute(insert(AuditEvent), [{"user_name": "demo", "action": "create", "entity": "demo",
                                             "entity_id": None, "client_id": None, "at": now,
                                             "summary": f"generated a demo office of {n:,} clients", "changes": "{}"}])
    return n, totals["matters"], totals["hearings"], totals["pd"], totals["follow_ups"]


class _Obj:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

