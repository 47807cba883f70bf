"""The office's day at scale (issue 15): Today for the whole office after the first daily check
(`today_office_ms`), a matter's Deadlines tab (`matter_deadlines_ms`) and the first screen of the
90-day deadlines list (`deadlines_90_ms`), each beside the same SQL statements replayed on a bare
connection.

It runs on a copy of its own: the daily check raises a follow-up for most matters (about 300,000 at
300,000 clients, a minute and a half), which must not change the office the other figures are of.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from kantor_cases.domain.agenda_records import AGENDA_LIMIT
from kantor_cases.services import locations
from kantor_cases.services.office import Office

from . import deadlines_bench, today_bench
from .measure import captured_sql, replay

RUNS = 7


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
        # The statements behind each figure, replayed below on a bare connection: the raw engine
        # doing exactly the same reads.
        today, engine = office.clock.today(), office.database.engine
        with captured_sql(engine) as today_sql:
            office.agenda.today(days=today_bench.TODAY_DAYS, user=None, today=today, limit=AGENDA_LIMIT)
        matter_id = result["matter_deadlines_matter"]
        with captured_sql(engine) as matter_sql:
            office.deadlines.count_for(matter_id=matter_id)
            office.deadlines.page_for(0, deadlines_bench.PAGE, matter_id=matter_id)
        with captured_sql(engine) as ninety_sql:
            office.deadlines.upcoming_count(deadlines_bench.LIST_DAYS)
            office.deadlines.upcoming_page(deadlines_bench.LIST_DAYS, 0, deadlines_bench.PAGE)
            office.deadlines.assignees()
    finally:
        office.close()
    raw = connect_raw()
    try:
        for name, captured in (("today_raw_ms", today_sql), ("matter_deadlines_raw_ms", matter_sql),
                               ("deadlines_90_raw_ms", ninety_sql)):
            result[name] = _median_ms(partial(replay, raw, captured.queries()))
    finally:
        raw.close()
    return result
