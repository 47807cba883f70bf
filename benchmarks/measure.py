"""Small tools the benchmark modules share: percentiles, the machine, and the SQL a call issues."""

from __future__ import annotations

import math
import os
import platform
import statistics
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from sqlalchemy import Engine, event


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `fraction` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for package in ("PySide6", "SQLAlchemy", "reportlab"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), **versions}


def load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


@dataclass
class Captured:
    statements: list[tuple[str, Any]] = field(default_factory=list)

    def queries(self) -> list[tuple[str, Any]]:
        """What reached SQLite, minus transaction control (the raw replay runs in autocommit)."""
        return [(sql, params) for sql, params in self.statements
                if not sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"))]


@contextmanager
def captured_sql(engine: Engine) -> Iterator[Captured]:
    """Record every statement and its driver-level parameters that `engine` sends to SQLite."""
    captured = Captured()

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        captured.statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield captured
    finally:
        event.remove(engine, "before_cursor_execute", record)


def replay(raw: Any, queries: Sequence[tuple[str, Any]]) -> int:
    """Run captured statements on a raw DB-API connection, fetching every row, then commit (on
    PostgreSQL they ran in one transaction, as the app's read session does; SQLite's raw
    connection opens none for reading); return the row count."""
    rows = 0
    for sql, params in queries:
        rows += len(raw.execute(sql, params or ()).fetchall())
    raw.commit()
    return rows
