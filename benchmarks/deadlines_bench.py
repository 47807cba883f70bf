"""Deadlines at scale (issue 15): `matter_deadlines_ms` — the service calls a matter's Deadlines tab
makes when it opens (ui/widgets/deadlines_view.py: the count, the first page and the acting user's
role), on a matter that has deadlines — and `deadlines_90_ms` — the first screen of the office's
"Deadlines — next 90 days" list with its count (ui/deadlines/deadlines_panel.py: count, first page,
the attorney filter's names and the role).

`measure(office)` takes an open office (the demo office has its hearings' filing deadlines and its
recent decisions' appeal clocks); the matter measured is the one with the most deadlines.
Run by hand on a copy of the cached benchmark office:

    .venv/bin/python -m benchmarks.deadlines_bench /tmp/office-copy.sqlite3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from kantor_cases.db.models import Deadline
from kantor_cases.services import locations
from kantor_cases.services.office import Office

RUNS = 7
PAGE = 200  # PagedTableModel.PAGE_SIZE
LIST_DAYS = 90


def _busiest_matter(office: Office) -> tuple[int, int]:
    with office.database.read() as session:
        row = session.execute(select(Deadline.matter_id, func.count()).group_by(Deadline.matter_id)
                              .order_by(func.count().desc()).limit(1)).first()
    if row is None:
        raise SystemExit("The office has no deadlines to measure.")
    return int(row[0]), int(row[1])


def _median_ms(work: Any) -> tuple[float, Any]:
    timings, result = [], None
    for _run in range(RUNS):
        started = time.perf_counter()
        result = work()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1), result


def measure(office: Office) -> dict[str, Any]:
    """Median milliseconds of a matter's Deadlines tab and of the 90-day list's first screen."""
    deadlines = office.deadlines
    matter_id, count = _busiest_matter(office)

    def matter_tab() -> int:
        total = deadlines.count_for(matter_id=matter_id)
        deadlines.page_for(0, PAGE, matter_id=matter_id)
        office.role()
        return total

    def ninety_days() -> int:
        total = deadlines.upcoming_count(LIST_DAYS)
        deadlines.upcoming_page(LIST_DAYS, 0, PAGE)
        deadlines.assignees()
        office.role()
        return total

    matter_ms, shown = _median_ms(matter_tab)
    list_ms, total = _median_ms(ninety_days)
    return {"matter_deadlines_ms": matter_ms, "matter_deadlines_rows": shown, "matter_deadlines_matter": matter_id,
            "matter_deadlines_of_busiest": count, "deadlines_90_ms": list_ms, "deadlines_90_count": total}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("office", type=Path, help="a COPY of a plain demo office")
    parser.add_argument("--user", default="bench")
    args = parser.parse_args(argv)
    office = Office.open(locations.resolve(str(args.office)), args.user)
    try:
        print(json.dumps(measure(office), indent=2))
    finally:
        office.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
