"""The office's day at scale (issue 15): Today for the whole office after the first daily check
(`today_office_ms`), a matter's Deadlines tab (`matter_deadlines_ms`) and the first screen of the
90-day deadlines list (`deadlines_90_ms`), each beside the same counts and first page read on a
bare connection.

It runs on a copy of its own: the daily check raises a follow-up for most matters (about 300,000 at
300,000 clients, a minute and a half), which must not change the office the other figures are of.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from kantor_cases.services import locations
from kantor_cases.services.office import Office

from . import deadlines_bench, today_bench

RUNS = 7
_OPEN_DEADLINES = "FROM deadlines WHERE done_at IS NULL AND superseded_at IS NULL AND due_on <= ?"


def _median_ms(work: Callable[[], object]) -> float:
    timings = []
    for _run in range(RUNS):
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 2)


def measure(database: Path, user: str, password: str | None, connect_raw: Callable[[], Any]) -> dict[str, Any]:
    office = Office.open(locations.resolve(str(database)), user, password=password)
    try:
        result = today_bench.measure(office)
        result.update(deadlines_bench.measure(office))
        today = office.clock.today()
    finally:
        office.close()
    week_end = (today + timedelta(days=today_bench.TODAY_DAYS)).isoformat()
    ninety_end = (today + timedelta(days=deadlines_bench.LIST_DAYS)).isoformat()
    matter_id = result["matter_deadlines_matter"]
    raw = connect_raw()
    try:
        def today_raw() -> None:
            raw.execute("SELECT auto_key IS NULL, count(*) FROM follow_ups WHERE status = 'open' AND due_on <= ? "
                        "GROUP BY auto_key", (week_end,)).fetchall()
            raw.execute(f"SELECT count(*) {_OPEN_DEADLINES}", (week_end,)).fetchone()
            raw.execute("SELECT count(*) FROM hearings WHERE starts_at >= ? AND starts_at < ?",
                        (today.isoformat(), week_end)).fetchone()

        def matter_raw() -> None:
            raw.execute("SELECT count(*) FROM deadlines WHERE matter_id = ?", (matter_id,)).fetchone()
            raw.execute("SELECT * FROM deadlines WHERE matter_id = ? ORDER BY due_on, id LIMIT ?",
                        (matter_id, deadlines_bench.PAGE)).fetchall()

        def ninety_raw() -> None:
            raw.execute(f"SELECT count(*) {_OPEN_DEADLINES}", (ninety_end,)).fetchone()
            raw.execute(f"SELECT * {_OPEN_DEADLINES} ORDER BY due_on, id LIMIT ?",
                        (ninety_end, deadlines_bench.PAGE)).fetchall()

        result["today_raw_ms"] = _median_ms(today_raw)
        result["matter_deadlines_raw_ms"] = _median_ms(matter_raw)
        result["deadlines_90_raw_ms"] = _median_ms(ninety_raw)
    finally:
        raw.close()
    return result
