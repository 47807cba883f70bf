"""Search: 50 front-desk queries through SearchService beside the raw index statements it sends.

The queries are drawn from the office itself (seeded, in a fixed order, so SQLite and PostgreSQL
offices of the same seed get the same 50): full names as written and as typed without accents,
partial names, accented and non-Latin names, A-number and phone fragments, receipt numbers and
employers. Each query's raw counterpart is the very index statement (with its parameters) the
service sent for it — FTS5 MATCH on SQLite, ILIKE on PostgreSQL — captured from the engine and
replayed on a bare connection (sqlcipher3 or psycopg).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kantor_cases.domain.names import fold
from kantor_cases.services.office import Office

from .measure import captured_sql, percentile, replay

ROUNDS = 3


@dataclass(frozen=True)
class SearchFigures:
    p50_ms: float
    p95_ms: float
    raw_p50_ms: float
    raw_p95_ms: float
    slowest: list[tuple[str, float, float]]  # (query, service ms, raw ms), slowest first
    queries: int
    hits_found: int  # queries with at least one hit
    index_statements: list[tuple[str, Any]]  # what was replayed, with parameters (for EXPLAIN)


def realistic_queries(raw: Any, seed: int = 50) -> list[str]:
    rng = random.Random(seed)

    def sample(sql: str, count: int) -> list[Any]:
        rows = raw.execute(sql).fetchall()
        return [row[0] if len(row) == 1 else row for row in rng.sample(rows, min(count, len(rows)))]

    people = sample("SELECT given_name, middle_name, family_name, second_family_name FROM clients "
                    "WHERE id % 97 = 0 ORDER BY id", 26)
    queries: list[str] = []
    for given, middle, family, second in people[:9]:  # full names, as written
        queries.append(" ".join(p for p in (given, middle, family, second) if p))
    for given, _middle, family, second in people[9:17]:  # typed without accents, lower case
        queries.append(fold(" ".join(p for p in (given, family, second) if p)))
    for given, _middle, family, _second in people[17:26]:  # partial: the start of each name
        queries.append(f"{fold(family)[:4]} {fold(given)[:3]}".strip())
    queries += ["Núñez", "Nguyễn Thị", "Castañeda", "Müller-Lüdenscheidt", "Łukasz", "Петросян", "Иван Петров",
                "O'Brien", "dela cruz", "Ter-Petrosyan"]
    a_numbers = sample("SELECT a_number FROM clients WHERE a_number IS NOT NULL AND id % 89 = 0 "
                       "ORDER BY a_number", 8)
    queries += [a[1:7] for a in a_numbers[:3]]  # six digits from the start
    queries += [a[-5:] for a in a_numbers[3:5]]  # the last five digits
    queries += [f"{a[:4]}-{a[4:7]}" for a in a_numbers[5:7]]  # typed with the dash, half way
    queries += [f"{a[:4]}-{a[4:7]}-{a[7:]}" for a in a_numbers[7:8]]  # a whole A-number as printed
    phones = sample("SELECT phone FROM clients WHERE phone != '' AND id % 83 = 0 ORDER BY id", 2)
    queries += [f"({p[2:5]}) {p[5:8]}-{p[8:]}" for p in phones]
    queries += sample("SELECT receipt_number FROM benefit_applications WHERE id % 7 = 0 "
                       "ORDER BY receipt_number", 2)
    queries += ["Morrison Vale", "Pacific Garment"]
    return queries[:50]


# What asks the search index: FTS5 MATCH on SQLite; on PostgreSQL the ILIKE and the planner
# setting around it (kantor_cases/db/search.py).
INDEX_MARKS = ("MATCH", "ILIKE", "enable_seqscan")


def _index_statements(statements: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The statements that asked the search index, else all of them."""
    return [s for s in statements if any(mark in s[0] for mark in INDEX_MARKS)] or statements


def measure_search(office: Office, raw_connect: Callable[[], Any], queries: list[str]) -> SearchFigures:
    search = office.search
    raw = raw_connect()
    try:
        # One untimed pass warms the caches (as any office's first searches of the morning do) and
        # captures, per query, the index statements the service sends.
        fts: dict[str, list[tuple[str, Any]]] = {}
        found = 0
        for query in queries:
            with captured_sql(office.database.engine) as captured:
                hits = search.search(query, limit=50)
            found += bool(hits)
            fts[query] = _index_statements(captured.queries())
        service: dict[str, list[float]] = {q: [] for q in queries}
        engine: dict[str, list[float]] = {q: [] for q in queries}
        for _ in range(ROUNDS):
            for query in queries:
                started = time.perf_counter()
                search.search(query, limit=50)
                service[query].append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                replay(raw, fts[query])
                engine[query].append((time.perf_counter() - started) * 1000)
    finally:
        raw.close()
    all_service = [t for times in service.values() for t in times]
    all_raw = [t for times in engine.values() for t in times]
    slowest = sorted(((q, max(service[q]), max(engine[q])) for q in queries), key=lambda x: -x[1])[:5]
    return SearchFigures(percentile(all_service, 0.5), percentile(all_service, 0.95), percentile(all_raw, 0.5),
                         percentile(all_raw, 0.95), slowest, len(queries), found,
                         [s for statements in fts.values() for s in statements])
