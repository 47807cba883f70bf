"""Today for the whole office (issue 15, `today_office_ms`): exactly the service calls the Today
panel makes when it opens on "Whole office" (`AgendaService.today` and the acting user's role),
on an office whose first daily follow-up check has run, so thousands of automatic follow-ups are
open and Today counts them by rule.

`measure(office)` takes an open office; it runs the daily check first when none of the office's
automatic follow-ups exists yet (and says how long that took). Run by hand on a copy:

    .venv/bin/python -m benchmarks.today_bench /tmp/office-copy.sqlite3
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

from kantor_cases.db.models import FollowUp
from kantor_cases.domain.agenda_records import AGENDA_LIMIT
from kantor_cases.services import locations
from kantor_cases.services.office import Office

# Today's window (ui/agenda/today_panel.py AGENDA_DAYS).
TODAY_DAYS = 7
RUNS = 7


def _automatic_follow_ups(office: Office) -> int:
    with office.database.read() as session:
        return int(session.scalar(select(func.count()).select_from(FollowUp).where(FollowUp.auto_key.is_not(None)))
                   or 0)


def measure(office: Office) -> dict[str, Any]:
    """Median milliseconds of Today opening for the whole office, with what it showed."""
    result: dict[str, Any] = {}
    if _automatic_follow_ups(office) == 0:
        started = time.perf_counter()
        raised, escalated = office.follow_ups.run_daily()
        result["first_daily_check_s"] = round(time.perf_counter() - started, 1)
        result["first_daily_check_raised"] = raised.total
        result["first_daily_check_escalated"] = escalated
    agenda, today = office.agenda, office.clock.today()
    timings = []
    view = None
    for _run in range(RUNS):
        started = time.perf_counter()
        view = agenda.today(days=TODAY_DAYS, user=None, today=today, limit=AGENDA_LIMIT)
        office.role()
        timings.append((time.perf_counter() - started) * 1000)
    assert view is not None
    result["today_office_ms"] = round(statistics.median(timings), 1)
    result["today_counts"] = dict(view.counts)
    result["today_automatic"] = {count.rule.id: count.total for count in view.automatic}
    result["today_lines"] = len(view.items)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("office", type=Path, help="a COPY of a plain demo office (it is changed)")
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
