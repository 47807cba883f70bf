"""Restricted clients at scale (issue 13 item 2): search and the clients list of the 300,000-client
benchmark office, as its administrator (nothing hidden) and as a staff user from whom 1 client in
1,000 is hidden (restricted, and not named on it), each beside the same statements on a bare
connection.

It works on a copy of the cached plain benchmark office (`make bench` builds it), brought up to the
current migration by opening it; the cache is left alone. Run:

    .venv/bin/python -m benchmarks.restricted_bench [--office .bench/office-300000-….sqlite3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from kantor_cases.services import locations
from kantor_cases.services.office import Office

from .office_cache import BENCH_USER

STAFF = "bench-staff"
EVERY = 1000  # one client in EVERY is restricted; the staff user is named on half of those


def _cached_office(cache: Path) -> Path:
    plain = [p for p in cache.glob("office-300000-*.sqlite3") if "encrypted" not in p.name]
    if not plain:
        raise SystemExit(f"No cached 300,000-client office in {cache}: run `make bench` once first.")
    return max(plain, key=lambda p: p.stat().st_mtime)


def _restrict(office: Office) -> tuple[int, int]:
    from kantor_cases.db.models import User

    with office.database.write() as session:
        known = set(session.scalars(select(User.name)))
        session.add_all(User(name=name, full_name=name, role=role, created_by="bench", updated_by="bench")
                        for name, role in ((BENCH_USER, "admin"), (STAFF, "staff")) if name not in known)
        session.flush()
        session.execute(text(f"UPDATE clients SET restricted = 1, sensitive = 1 WHERE id % {EVERY} = 0"))
        session.execute(text(f"INSERT INTO client_access (client_id, user_name) SELECT id, :n FROM clients "
                             f"WHERE id % {2 * EVERY} = 0"), {"n": STAFF})
        restricted = session.execute(text("SELECT count(*) FROM clients WHERE restricted")).scalar_one()
    office.user = STAFF
    hidden = office.clients.count_not_shown()
    office.user = BENCH_USER
    return int(restricted), hidden


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--office", type=Path, help="the plain benchmark office to copy")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    source = args.office or _cached_office(Path(".bench"))
    from .list_bench import measure_list
    from .search_bench import measure_search, realistic_queries

    with tempfile.TemporaryDirectory(prefix="kantor-restricted-bench-") as work:
        database = Path(work) / "office" / "kantor-cases.sqlite3"
        database.parent.mkdir()
        shutil.copyfile(source, database)
        started = time.perf_counter()
        office = Office.open(locations.resolve(str(database)), BENCH_USER)
        figures: dict[str, Any] = {"open_and_migrate_s": round(time.perf_counter() - started, 1)}
        office.database.damage()  # the opening's integrity check, out of the way of the figures

        def connect_raw() -> Any:
            from kantor_cases.db.office_keys import connect

            return connect(database, None)

        try:
            figures["restricted_clients"], figures["hidden_from_staff"] = _restrict(office)
            raw = connect_raw()
            try:
                queries = realistic_queries(raw)
            finally:
                raw.close()
            for who in (BENCH_USER, STAFF):
                office.user = who
                found = measure_search(office, connect_raw, queries)
                shown = measure_list(office, connect_raw)
                figures[who] = {"search_p50_ms": round(found.p50_ms, 2), "search_p95_ms": round(found.p95_ms, 2),
                                "search_raw_p95_ms": round(found.raw_p95_ms, 2),
                                "queries_with_hits": found.hits_found,
                                "list_open_ms": round(shown.open_ms, 1), "list_end_ms": round(shown.end_ms, 1),
                                "list_raw_open_ms": round(shown.raw_open_ms, 1),
                                "list_raw_end_ms": round(shown.raw_end_ms, 1), "list_rows": shown.rows}
        finally:
            office.close()
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
