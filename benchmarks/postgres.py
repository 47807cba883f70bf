"""The benchmark on a PostgreSQL server (`--db postgresql+psycopg://…`): the demo office built into
a database kept for benchmarking, the raw psycopg connection that replays the app's SQL, and what
the server says about how search was answered (EXPLAIN, and its own count of sequential scans).

The database is emptied (its `public` schema dropped) whenever the office has to be built, so only
a database whose name ends in `_bench` or `_test` is accepted. The office built there is reused
while its size, the schema revision and the demo generator are unchanged: the key is kept as the
comment of the `public` schema (which goes when anyone empties the schema), with the generation
time and the load it was built under.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import URL, create_engine, make_url, text
from sqlalchemy.exc import ArgumentError

from kantor_cases.domain.errors import KantorError
from kantor_cases.services import demo, locations
from kantor_cases.services.office import Office

from .measure import load_average
from .office_cache import SEED, CachedOffice, office_key

DISPOSABLE_SUFFIXES = ("_bench", "_test")
TRIGRAM_INDEX = "ix_search_entries_text_trgm"


def checked_url(url: str) -> URL:
    """The URL of a PostgreSQL database the benchmark may empty; anything else is refused."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise KantorError("--db takes a PostgreSQL URL such as "
                          "postgresql+psycopg://kantor:kantor@localhost/kantor_bench.") from None
    if parsed.get_backend_name() != "postgresql":
        raise KantorError("--db takes a PostgreSQL URL; the SQLite benchmark runs without --db.")
    name = parsed.database or ""
    if not name.endswith(DISPOSABLE_SUFFIXES):
        raise KantorError(f"Refusing to benchmark on the database {name!r}: the benchmark empties it, "
                          "so its name must end in _bench or _test.")
    return parsed


def raw_connect(url: URL, autocommit: bool = False) -> psycopg.Connection[Any]:
    """A bare psycopg connection to the same database (statements run in a transaction until commit,
    as in the app's sessions)."""
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(conninfo, autocommit=autocommit)


def _stored_build(engine: Any) -> dict[str, Any]:
    with engine.connect() as connection:
        comment = connection.execute(text("SELECT obj_description('public'::regnamespace, 'pg_namespace')")
                                     ).scalar_one()
        if connection.execute(text("SELECT to_regclass('public.clients')")).scalar_one() is None:
            return {}
        clients = connection.execute(text("SELECT count(*) FROM clients")).scalar_one()
    try:
        build = json.loads(comment or "{}")
    except json.JSONDecodeError:
        return {}
    return build if isinstance(build, dict) and build.get("clients") == clients else {}


def cached_office(url: URL, clients: int, rebuild: bool = False,
                  say: Callable[[str], None] = print) -> CachedOffice:
    """The demo office of `clients` clients in the database at `url`, built there unless it already is."""
    key = office_key(clients)
    engine = create_engine(url)
    try:
        build = {} if rebuild else _stored_build(engine)
        if build.get("key") == key:
            return CachedOffice(None, clients, build["demo_s"], build["built_at"], build.get("load"), False)
        say(f"building a demo office of {clients:,} clients (seed {SEED}) in the database {url.database} …")
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    load = load_average()
    office = Office.open(locations.resolve(url.render_as_string(hide_password=False)), "demo")
    try:
        started = time.perf_counter()
        demo.generate_demo(office.database, clients=clients, seed=SEED)
        demo_s = time.perf_counter() - started
    finally:
        office.close()
    # What autovacuum does within a minute or two of a bulk load, done now so that every run
    # measures the same settled office: planner statistics, and the trigram index's pending list
    # (GIN's fast-update buffer, read in full by every search until merged) merged into the index.
    started = time.perf_counter()
    with raw_connect(url, autocommit=True) as raw:
        raw.execute("VACUUM ANALYZE")
    vacuum_s = time.perf_counter() - started
    built_at = datetime.now().isoformat(timespec="seconds")
    build = {"key": key, "clients": clients, "demo_s": demo_s, "vacuum_analyze_s": round(vacuum_s, 1),
             "built_at": built_at, "load": load}
    with raw_connect(url) as raw:
        # COMMENT takes a literal, not a parameter.
        raw.execute(sql.SQL("COMMENT ON SCHEMA public IS {}").format(sql.Literal(json.dumps(build))))
    say(f"  demo {demo_s:.1f} s, then VACUUM ANALYZE {vacuum_s:.1f} s")
    return CachedOffice(None, clients, demo_s, built_at, load, True)


def server_version(raw: psycopg.Connection[Any]) -> str:
    row = raw.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else ""


def search_plans(raw: psycopg.Connection[Any], statements: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    """EXPLAIN of each statement search sent to search_entries (with its parameters, after the
    statements sent before it in the same transaction, as the app ran them): how many the trigram
    index answers and which, if any, read the whole table."""
    asked = 0
    by_index = 0
    scanning: list[str] = []
    for statement, params in statements:
        if not ("search_entries" in statement and "ILIKE" in statement.upper()):
            raw.execute(statement, params or None)
            continue
        plan = "\n".join(row[0] for row in raw.execute("EXPLAIN " + statement, params or None).fetchall())
        asked += 1
        by_index += TRIGRAM_INDEX in plan
        if "Seq Scan on search_entries" in plan:
            scanning.append(plan)
    raw.rollback()
    return {"statements": asked, "index": TRIGRAM_INDEX, "by_trigram_index": by_index,
            "sequential_scans": len(scanning), "sequential_plans": scanning[:3]}


def table_scans(raw: psycopg.Connection[Any], table: str) -> tuple[int, int]:
    """The server's own count of (sequential, index) scans of `table` since its statistics began."""
    row = raw.execute("SELECT coalesce(seq_scan, 0), coalesce(idx_scan, 0) FROM pg_stat_user_tables "
                      "WHERE relname = %s", (table,)).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def scans_since(url: URL, table: str, before: tuple[int, int]) -> dict[str, int]:
    """The scans of `table` the server counted since `before`, once every connection that ran them
    has closed (a server process hands in its counts as it ends, so they are read until they settle)."""
    last: tuple[int, int] | None = None
    for _ in range(20):
        time.sleep(0.25)
        with raw_connect(url) as raw:
            now = table_scans(raw, table)
        if now == last:
            break
        last = now
    return {"sequential": now[0] - before[0], "index": now[1] - before[1]}
