"""Office-scale measurement of Today, the calendar export and the daily follow-up check.

Builds (or reuses) a synthetic office - 300,000 clients, 360,000 matters of which 60,000 are open,
120,000 removal cases, 200,000 hearings, 100,000 deadlines and 100,000 follow-ups - then times the
agenda queries and `raise_automatic` / `escalate_overdue`, printing each beside a full scan of the
matters table by raw sqlite3 in the same run, and the query plans of the agenda's statements.
It measures; it does not pass or fail.

    .venv/bin/python benchmarks/agenda_scale.py [--db PATH] [--fresh]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3

from kantor_cases.services import locations
from kantor_cases.services.office import Office

CLIENTS = 300_000
MATTERS = 360_000
OPEN_EVERY = 6  # one matter in six is open
TODAY = date(2026, 6, 1)
ATTORNEYS = ["Rosa Kantor", "David Kantor", "Elena Marsh"]
STAFF = ["Ana", "Luis", "Marta"]


def build(path: Path) -> None:
    Office.open(locations.resolve(str(path)), "bench").close()
    rng = random.Random(2026)
    stamp = "2026-01-05 09:00:00.000000"
    connection = sqlcipher3.connect(str(path))
    connection.execute("PRAGMA foreign_keys = OFF")
    execute = connection.executemany
    execute("INSERT INTO users (name, initials, role, email, bar_number, active, version, created_at, created_by, "
            "updated_at, updated_by) VALUES (?, '', ?, '', '', 1, 1, ?, 'bench', ?, 'bench')",
            [(name, "attorney" if name in ATTORNEYS else "staff", stamp, stamp) for name in ATTORNEYS + STAFF])
    execute("INSERT INTO courts (code, name, street, floor, city, state, postal_code, phone, detained, active, "
            "notes, version, created_at, created_by, updated_at, updated_by) VALUES ('BEN', 'Bench court', "
            "'606 S. Olive St.', '', 'Los Angeles', 'CA', '90014', '', 0, 1, '', 1, ?, 'b', ?, 'b')",
            [(stamp, stamp)])
    client_columns = ("given_name, middle_name, family_name, second_family_name, aliases, sort_name, name_folded, "
                      "family_folded, country_of_birth, nationality, languages, preferred_language, phone, "
                      "phone_alt, email, street, city, state, postal_code, referral_source, notes, detained, "
                      "detention_facility, sensitive, version, created_at, created_by, updated_at, updated_by")
    execute(f"INSERT INTO clients ({client_columns}) VALUES (?, '', ?, '', '[]', ?, ?, ?, '', '', '', 'en', '', "
            "'', '', '', '', '', '', '', '', 0, '', ?, 1, ?, 'b', ?, 'b')",
            ((f"Given{i}", f"Family{i % 5000}", f"Family{i % 5000}, Given{i}", f"given{i} family{i % 5000}",
              f"family{i % 5000}", 1 if i % 97 == 0 else 0, stamp, stamp) for i in range(CLIENTS)))

    def matters() -> Any:
        for i in range(1, MATTERS + 1):
            is_open = i % OPEN_EVERY == 0
            activity = datetime(2026, 6, 1, 9) - timedelta(days=rng.randint(0, 400))
            yield (
                (i - 1) % CLIENTS + 1, "removal" if i % 3 == 0 else "employment", (i % 3) + 1,
                "2024-01-01", None if is_open else "2025-06-01", "active" if is_open else "closed",
                activity.isoformat(sep=" ", timespec="microseconds"), stamp, stamp,
            )

    execute("INSERT INTO matters (client_id, kind, title, responsible_attorney_id, opened_on, closed_on, "
            "firm_status, conflict_check, conflict_acknowledged_by, last_activity_at, version, created_at, "
            "created_by, updated_at, updated_by) VALUES (?, ?, '', ?, ?, ?, ?, '', '', ?, 1, ?, 'b', ?, 'b')",
            matters())
    execute("INSERT INTO removal_cases (matter_id, judge, proceeding_type, custody, charges, relief_sought, "
            "last_verified_on, last_verified_via, version, created_at, created_by, updated_at, updated_by) "
            "VALUES (?, '', 'removal', 'never_detained', '', '[]', ?, '', 1, ?, 'b', ?, 'b')",
            ((m, None if m % 4 == 0 else (TODAY - timedelta(days=rng.randint(0, 30))).isoformat(), stamp, stamp)
             for m in range(3, MATTERS + 1, 3)))
    execute("INSERT INTO hearings (matter_id, starts_at, court_id, courtroom, judge, hearing_type, "
            "interpreter_language, result, next_step, version, created_at, created_by, updated_at, updated_by) "
            "VALUES (?, ?, 1, '', '', 'master', '', '', '', 1, ?, 'b', ?, 'b')",
            ((rng.randrange(3, MATTERS + 1, 3),
              (datetime(2026, 6, 1, 8, 30) + timedelta(days=rng.randint(-365, 365))).isoformat(sep=" "),
              stamp, stamp) for _ in range(200_000)))
    execute("INSERT INTO letters (client_id, matter_id, hearing_id, template_id, template_version, language, "
            "recipient, created_at, created_by, file_path, sha256, fields, batch_id) "
            "SELECT m.client_id, m.id, h.id, 'hearing-reminder', 0, 'es', '', ?, 'b', '', '', '{}', '' "
            "FROM hearings h JOIN matters m ON m.id = h.matter_id WHERE h.id % 2 = 0", [(stamp,)])
    deadline_values = (
        (rng.randint(1, MATTERS), (TODAY + timedelta(days=rng.randint(-200, 400))).isoformat(),
         rng.choice(ATTORNEYS), None if rng.random() < 0.7 else stamp, stamp, stamp)
        for _ in range(100_000))
    execute("INSERT INTO deadlines (matter_id, rule_id, title, trigger_event, due_on, rolled_reason, calendar, "
            "citation, notes, override_reason, assignee, done_at, done_by, done_note, version, created_at, "
            "created_by, updated_at, updated_by) VALUES (?, 'bia-appeal', 'Appeal', 'ij_decision', ?, '', "
            "'federal', '8 CFR 1003.38(b)', '', '', ?, ?, '', '', 1, ?, 'b', ?, 'b')", deadline_values)
    follow_up_values = (
        ((m := rng.randint(1, MATTERS)), (m - 1) % CLIENTS + 1, rng.choice(STAFF + ATTORNEYS),
         (TODAY + timedelta(days=rng.randint(-120, 120))).isoformat(),
         "open" if rng.random() < 0.4 else "done", stamp, stamp)
        for _ in range(100_000))
    execute("INSERT INTO follow_ups (matter_id, client_id, assignee, due_on, note, status, escalated_to, done_by, "
            "done_note, version, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, 'Call', ?, "
            "'', '', '', 1, ?, 'b', ?, 'b')", follow_up_values)
    connection.commit()
    connection.execute("ANALYZE")
    connection.commit()
    connection.close()


def timed(label: str, work: Callable[[], Any], baseline: float) -> Any:
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    print(f"{label:<48} {seconds * 1000:9.1f} ms  {seconds / baseline:6.2f}x scan   -> {describe(result)}")
    return result


def describe(result: Any) -> str:
    if isinstance(result, list):
        return f"{len(result)} rows"
    return str(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "kantor-agenda-bench.sqlite3")
    parser.add_argument("--fresh", action="store_true", help="rebuild the synthetic office")
    args = parser.parse_args()
    if args.fresh or not args.db.exists():
        for leftover in args.db.parent.glob(args.db.name + "*"):
            leftover.unlink()
        started = time.perf_counter()
        build(args.db)
        print(f"built {args.db} in {time.perf_counter() - started:.1f} s")
    raw = sqlcipher3.connect(str(args.db))
    started = time.perf_counter()
    raw.execute("SELECT count(*) FROM matters WHERE title = 'x'").fetchone()
    scan = time.perf_counter() - started
    print(f"{'raw sqlite3: full scan of matters':<48} {scan * 1000:9.1f} ms  (the baseline)")

    office = Office.open(locations.resolve(str(args.db)), "Rosa Kantor")
    try:
        timed("agenda, whole office, 7 days", lambda: office.agenda.agenda(today=TODAY), scan)
        timed("agenda, one attorney, 7 days", lambda: office.agenda.agenda(user="Rosa Kantor", today=TODAY), scan)
        timed("agenda, one staff member, 30 days",
              lambda: office.agenda.agenda(days=30, user="Luis", today=TODAY), scan)
        timed("calendar month, whole office",
              lambda: office.agenda.calendar_items(date(2026, 6, 1), date(2026, 6, 30), today=TODAY), scan)
        out = Path(tempfile.gettempdir()) / "kantor-bench.ics"
        timed("export .ics, one attorney, 30 days",
              lambda: office.agenda.export_ics(out, days=30, user="Rosa Kantor", today=TODAY, force=True), scan)
        timed("raise_automatic (first run)", lambda: office.follow_ups.raise_automatic(TODAY), scan)
        timed("raise_automatic (again: idempotent)", lambda: office.follow_ups.raise_automatic(TODAY), scan)
        timed("raise_automatic (next day)",
              lambda: office.follow_ups.raise_automatic(TODAY + timedelta(days=1)), scan)
        timed("escalate_overdue (first run)", lambda: office.follow_ups.escalate_overdue(TODAY), scan)
        timed("escalate_overdue (again)", lambda: office.follow_ups.escalate_overdue(TODAY), scan)
        timed("agenda, whole office, after the daily check", lambda: office.agenda.agenda(today=TODAY), scan)
    finally:
        office.close()

    print("\nQuery plans (SQLite):")
    plans = {
        "open deadlines due by a day": "SELECT id FROM deadlines WHERE done_at IS NULL AND superseded_at IS NULL "
                                       "AND due_on <= '2026-06-07' ORDER BY due_on, id LIMIT 300",
        "one person's follow-ups": "SELECT id FROM follow_ups WHERE assignee = 'Luis' AND status = 'open' "
                                   "AND due_on <= '2026-06-07' ORDER BY due_on, id LIMIT 300",
        "hearings in a week": "SELECT id FROM hearings WHERE starts_at >= '2026-06-01' AND starts_at < "
                              "'2026-06-08' ORDER BY starts_at, id LIMIT 300",
    }
    for label, sql in plans.items():
        steps = "; ".join(row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}"))
        print(f"  {label}: {steps}")
    raw.close()


if __name__ == "__main__":
    main()
