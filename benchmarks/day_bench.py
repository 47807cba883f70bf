"""The office's day at scale (issue 15), on an office whose first daily follow-up check has run (it
runs it when none of the office's automatic follow-ups exists yet, and says how long it took):

* `today_office_ms`: Today on "Whole office", the calls the Today panel makes when it opens
  (`AgendaService.today` and the acting user's role);
* `matter_deadlines_ms`: a matter's Deadlines tab (ui/widgets/deadlines_view.py: the count, the first
  page and the role), on the matter with the most deadlines;
* `deadlines_90_ms`: the first screen of the "Deadlines — next 90 days" list
  (ui/deadlines/deadlines_panel.py: count, first page, the assignee filter's names and the role);

each beside the same SQL statements replayed on a bare connection. It runs on a copy of its own: the
daily check raises a follow-up for most matters (about 300,000 at 300,000 clients, a minute or more),
which must not change the office the other figures are of.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from kantor_cases.db.models import Deadline, FollowUp
from kantor_cases.domain.agenda_records import AGENDA_LIMIT
from kantor_cases.services import locations
from kantor_cases.services.office import Office

from .measure import captured_sql, replay

RUNS = 7
TODAY_DAYS = 7  # ui/agenda/today_panel.py AGENDA_DAYS
PAGE = 200  # PagedTableModel.PAGE_SIZE
LIST_DAYS = 90


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    """Median milliseconds of RUNS calls of `work`, and what the last one returned."""
    timings, result = [], None
    for _run in range(RUNS):
        started = time.perf_counter()
        result = work()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1), result


def measure(database: Path, user: str, password: str | None, connect_raw: Callable[[], Any]) -> dict[str, Any]:
    office = Office.open(locations.resolve(str(database)), user, password=password)
    result: dict[str, Any] = {}
    try:
        with office.database.read() as session:
            automatic = session.scalar(select(func.count()).select_from(FollowUp)
                                       .where(FollowUp.auto_key.is_not(None)))
            busiest = session.execute(select(Deadline.matter_id, func.count()).group_by(Deadline.matter_id)
                                      .order_by(func.count().desc()).limit(1)).first()
        if busiest is None:
            raise SystemExit("The office has no deadlines to measure.")
        if not automatic:
            started = time.perf_counter()
            raised, escalated = office.follow_ups.run_daily()
            result.update(first_daily_check_s=round(time.perf_counter() - started, 1),
                          first_daily_check_raised=raised.total, first_daily_check_escalated=escalated)
        today, deadlines, matter_id = office.clock.today(), office.deadlines, int(busiest[0])

        def today_screen() -> Any:
            view = office.agenda.today(days=TODAY_DAYS, user=None, today=today, limit=AGENDA_LIMIT)
            office.role()
            return view

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

        result["today_office_ms"], view = _timed(today_screen)
        result["matter_deadlines_ms"], result["matter_deadlines_rows"] = _timed(matter_tab)
        result["deadlines_90_ms"], result["deadlines_90_count"] = _timed(ninety_days)
        result.update(today_counts=dict(view.counts), today_lines=len(view.items),
                      today_automatic={count.rule.id: count.total for count in view.automatic},
                      matter_deadlines_matter=matter_id)
        # The statements behind each figure, replayed below on a bare connection: the raw engine
        # doing exactly the same reads.
        captured = {}
        for name, work in (("today_raw_ms", today_screen), ("matter_deadlines_raw_ms", matter_tab),
                           ("deadlines_90_raw_ms", ninety_days)):
            with captured_sql(office.database.engine) as sql:
                work()
            captured[name] = sql.queries()
    finally:
        office.close()
    raw = connect_raw()
    try:
        for name, queries in captured.items():
            result[name] = _timed(partial(replay, raw, queries))[0]
    finally:
        raw.close()
    return result
