"""Deadlines at scale (issue 15): `matter_deadlines_ms` — the service calls a matter's Deadlines tab
makes when it opens (ui/widgets/deadlines_view.py: the count, the first page and the acting user's
role), on a matter that has deadlines — and `deadlines_90_ms` — the first screen of the office's
"Deadlines — next 90 days" list with its count (ui/deadlines/deadlines_panel.py: count, first page,
the attorney filter's names and the role).

`measure(office)` takes an open office (it seeds the hearings' filing deadlines when the office has
no deadline at all, as the demo office has not); the matter measured is the one with the most deadlines.
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

from sqlalchemy import func, select, text

from kantor_cases.db.models import Deadline
from kantor_cases.services import locations
from kantor_cases.services.office import Office

RUNS = 7
PAGE = 200  # PagedTableModel.PAGE_SIZE
LIST_DAYS = 90


# The demo office writes its hearings straight into the table, so none has the filing deadline the
# hearing service gives it (services/deadlines.sync_hearing_deadlines). Seeded here the same way in
# bulk: 15 days before each master or individual hearing (EOIR Policy Manual Part II 3.1(b)), done
# when already past, assigned to the matter's attorney.
_SEED = text("""
INSERT INTO deadlines (matter_id, rule_id, title, trigger_event, trigger_date, raw_due, computed_due, due_on,
                       rolled_reason, calendar, citation, notes, override_reason, assignee, done_at, done_by,
                       done_note, created_by, updated_by, version, created_at, updated_at)
SELECT h.matter_id,
       CASE WHEN h.hearing_type = 'individual' THEN 'filing-before-individual' ELSE 'filing-before-master' END,
       'Filings due before the hearing', 'hearing:' || h.id, date(h.starts_at), date(h.starts_at, '-15 days'),
       date(h.starts_at, '-15 days'), date(h.starts_at, '-15 days'), '', 'federal',
       'EOIR Policy Manual Part II 3.1(b)', 'Rule version: in force.', '', coalesce(u.name, 'bench'),
       CASE WHEN date(h.starts_at, '-15 days') < :today THEN :stamp END,
       CASE WHEN date(h.starts_at, '-15 days') < :today THEN 'bench' ELSE '' END, '', 'bench', 'bench', 1,
       :stamp, :stamp
FROM hearings AS h JOIN matters AS m ON m.id = h.matter_id LEFT JOIN users AS u ON u.id = m.responsible_attorney_id
WHERE h.hearing_type IN ('initial_master', 'master', 'master_reset', 'individual')
""")


def _seed_deadlines(office: Office) -> int:
    with office.database.read() as session:
        if session.scalar(select(func.count()).select_from(Deadline)):
            return 0
    today = office.clock.today()
    with office.database.write() as session:
        session.execute(_SEED, {"today": today.isoformat(), "stamp": f"{today.isoformat()} 09:00:00.000000"})
        session.execute(text("ANALYZE deadlines"))
        return int(session.scalar(select(func.count()).select_from(Deadline)) or 0)


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
    seeded = _seed_deadlines(office)
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
            "matter_deadlines_of_busiest": count, "deadlines_90_ms": list_ms, "deadlines_90_count": total,
            "deadlines_seeded": seeded}


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
