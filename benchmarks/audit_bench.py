"""The audit trail's chain at scale (issue 13 item 6): `audit_verify_s`, how long verifying a trail of
1,000,000 rows takes (target ≤ 10 s), and what sealing the chain costs a single save and an import
(target ≤ 10 % each), each measured with the seal and with it switched off, alternately.

Verifying is measured on an encrypted office, as one set up today is (a random data key, no keys
file: the services are built on the open database directly); the seal's cost on a plain one, where
nothing else (the cipher) hides it. `python -m benchmarks.audit_bench [--rows N] [--only verify save
import] [--json FILE]` runs it (`make bench` does, after `python -m benchmarks`, into
.bench/latest-audit.json).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .measure import median

VERIFY_ROWS = 1_000_000
SAVES = 150
IMPORT_ROWS = 20_000
IMPORT_RUNS = 5


@contextmanager
def _sealing_off() -> Iterator[None]:
    """The commit hook that seals audit rows, switched off (the rows stay out of the chain). The
    import's audit rows, which go in sealed (`audit_chain.insert_sealed`), then go in unsealed too:
    that follows the same hook (`audit_chain.sealing_on`). The hook that marks a connection as having
    audit rows to seal is off too: a pooled connection marked meanwhile would otherwise have the
    unsealed rows sealed by its next commit, after this block (a big import's reads and checks go on
    past its return)."""
    from sqlalchemy import Engine, event
    from sqlalchemy.orm import Session

    from kantor_cases.db import audit_chain

    audit_chain.install()  # as the first write would: an unsealed run may come before any sealed one
    event.remove(Session, "before_commit", audit_chain._seal_before_commit)
    event.remove(Engine, "before_cursor_execute", audit_chain._notice_audit_insert)
    try:
        yield
    finally:
        event.listen(Engine, "before_cursor_execute", audit_chain._notice_audit_insert)
        event.listen(Session, "before_commit", audit_chain._seal_before_commit)


def _office(folder: Path, encrypted: bool = False) -> Any:
    from kantor_cases.db.startup import open_database
    from kantor_cases.services import audit, locations  # noqa: F401 - installs the sealing hook
    from kantor_cases.services.office import Office

    path = folder / "kantor-cases.sqlite3"
    return Office(open_database(path, key=os.urandom(32) if encrypted else None), locations.resolve(str(path)), "bench")


def _fill_trail(office: Any, rows: int, say: Callable[[str], None]) -> float:
    """`rows` audit rows written in one transaction and sealed at its commit; returns the seconds
    the sealing took (the commit)."""
    from sqlalchemy import text

    start = datetime(2026, 1, 1, 9, 0)
    sql = text("INSERT INTO audit_events (at, user_name, action, entity, entity_id, client_id, summary, changes) "
               "VALUES (:at, :user, 'update', 'client', :client, :client, :summary, :changes)")
    with office.database.write() as session:
        connection = session.connection()
        for chunk in range(0, rows, 50_000):
            connection.execute(sql, [
                {"at": (start + timedelta(seconds=i)).strftime("%Y-%m-%d %H:%M:%S.%f"), "user": f"user{i % 7}",
                 "client": i % 300_000, "summary": f"changed the client's city (row {i})",
                 "changes": json.dumps({"city": ["Los Angeles", "Glendale"]})}
                for i in range(chunk, min(rows, chunk + 50_000))])
        say(f"  {rows:,} audit rows written; sealing them …")
        sealing = time.perf_counter()
        session.flush()
    return time.perf_counter() - sealing


def measure_verify(folder: Path, rows: int = VERIFY_ROWS, say: Callable[[str], None] = print) -> dict[str, Any]:
    from kantor_cases.services import audit

    office = _office(folder, encrypted=True)
    try:
        sealed = time.perf_counter()
        _fill_trail(office, rows, say)
        seal_s = time.perf_counter() - sealed
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            verdict = audit.verify_trail(office.database, office.backups.folder)
            runs.append(time.perf_counter() - started)
            assert verdict.ok and verdict.rows == rows, verdict.problems
        return {"audit_verify_s": round(median(runs), 2), "runs_s": [round(r, 2) for r in runs],
                "rows": rows, "write_and_seal_s": round(seal_s, 1)}
    finally:
        office.close()


def _two_offices(folder: Path) -> tuple[Any, Any]:
    """One office whose saves are sealed and one whose are not, side by side: in one office the
    unsealed runs' rows would be sealed by the next sealed commit, charging it twice."""
    (folder / "sealed").mkdir()
    (folder / "unsealed").mkdir()
    return _office(folder / "sealed"), _office(folder / "unsealed")


def measure_save_cost(folder: Path, saves: int = SAVES) -> dict[str, Any]:
    """A single save (one new client and its audit row, one transaction) with the seal and without,
    alternately, each in an office of its own."""
    from kantor_cases.domain.records import ClientDraft

    sealed_office, bare_office = _two_offices(folder)
    try:
        with_seal, without = [], []
        for i in range(saves):
            for sealing in ((True, False) if i % 2 else (False, True)):
                draft = ClientDraft(given_name=f"Bench{i}", family_name="Reyes")
                started = time.perf_counter()
                if sealing:
                    sealed_office.clients.create(draft)
                else:
                    with _sealing_off():
                        bare_office.clients.create(draft)
                (with_seal if sealing else without).append(time.perf_counter() - started)
        sealed_ms, bare_ms = median(with_seal) * 1000, median(without) * 1000
        return {"save_sealed_ms": round(sealed_ms, 2), "save_unsealed_ms": round(bare_ms, 2),
                "save_seal_cost_pct": round(100 * (sealed_ms - bare_ms) / bare_ms, 1)}
    finally:
        sealed_office.close()
        bare_office.close()


def _unsealed_rows(office: Any) -> int:
    with office.database.read() as session:
        return int(session.connection().exec_driver_sql(
            "SELECT count(*) FROM audit_events WHERE seq IS NULL").scalar_one())


def measure_import_cost(folder: Path, rows: int = IMPORT_ROWS, runs: int = IMPORT_RUNS) -> dict[str, Any]:
    """Importing `rows` new clients (each with its audit row) with the seal and without, alternately,
    each in an office of its own."""
    sealed_office, bare_office = _two_offices(folder)
    try:
        with_seal, without = [], []
        for run in range(runs):
            for sealing in ((True, False) if run % 2 else (False, True)):
                source = folder / f"import-{run}-{sealing}.csv"
                source.write_text("first_name,last_name,city\n" + "".join(
                    f"Given{run}x{i},Family{i % 997},Los Angeles\n" for i in range(rows)), encoding="utf-8")
                started = time.perf_counter()
                if sealing:
                    report = sealed_office.client_csv.import_file(source)
                else:
                    with _sealing_off():
                        report = bare_office.client_csv.import_file(source)
                (with_seal if sealing else without).append(time.perf_counter() - started)
                if report.backup_check is not None:  # its backup's last check, not timed: over before the next run
                    report.backup_check()
        # Honest figures: every row of the sealed office in the chain, none of the other's.
        assert _unsealed_rows(sealed_office) == 0 and _unsealed_rows(bare_office) >= rows * runs
        sealed_s, bare_s = median(with_seal), median(without)
        return {"import_sealed_rows_per_s": round(rows / sealed_s), "import_unsealed_rows_per_s": round(rows / bare_s),
                "import_seal_cost_pct": round(100 * (sealed_s - bare_s) / bare_s, 1)}
    finally:
        sealed_office.close()
        bare_office.close()


PARTS = ("verify", "save", "import")


def measure_audit(work: Path, rows: int = VERIFY_ROWS, say: Callable[[str], None] = print,
                  only: Collection[str] = PARTS) -> dict[str, Any]:
    """Every figure of this module (or those of the parts in `only`), each in an office of its own
    under `work`."""
    figures: dict[str, Any] = {}
    for name, measure in (("verify", lambda f: measure_verify(f, rows, say)), ("save", measure_save_cost),
                          ("import", measure_import_cost)):
        if name not in only:
            continue
        folder = work / f"audit-{name}"
        folder.mkdir(parents=True)
        figures.update(measure(folder))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.audit_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=VERIFY_ROWS, help="audit rows to verify (default 1,000,000)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--only", nargs="+", choices=PARTS, default=PARTS, help="measure only these parts")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kantor-audit-bench-") as work:
        figures = measure_audit(Path(work), args.rows, say=lambda text: print(text, file=sys.stderr, flush=True),
                                only=args.only)
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
