"""What every report shares: the filters resolved against the office (the attorney's user id, the
range with its defaults), the clients the acting user may not see, the few SQL expressions whose
spelling differs between SQLite and PostgreSQL, and how a client is named (or not, in privacy mode).

Each report module builds its statements from `Scope`; nothing here reads rows into Python beyond
the handful of grouped rows a report shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, Float, case, cast, func, literal, select
from sqlalchemy.orm import Session

from kantor_cases.db.models import Client, Matter
from kantor_cases.domain.names import full_name

NO_ATTORNEY = "(no attorney)"
# Lists of single records (stalled requests, hearings without a reminder …) show at most this many;
# the report's totals carry the true count.
LIST_LIMIT = 50


def first_of_month_after(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return first_of_month_after(day, 1) - timedelta(days=1)


def months_between(first: date, last: date) -> list[str]:
    """"2026-01", "2026-02", … for every month from `first`'s to `last`'s, both included."""
    months: list[str] = []
    current = date(first.year, first.month, 1)
    while current <= last:
        months.append(f"{current:%Y-%m}")
        current = first_of_month_after(current, 1)
    return months


def percent(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


@dataclass(frozen=True)
class Scope:
    session: Session
    dialect: str  # "sqlite" or "postgresql"
    now: datetime
    date_from: date
    date_to: date
    attorney_id: int | None
    kind: str | None
    hidden: frozenset[int]  # restricted clients the acting user may not see
    privacy: bool
    stall_days: int = 90

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def start(self) -> datetime:
        """The first moment of the range (for datetime columns)."""
        return datetime.combine(self.date_from, time.min)

    @property
    def end(self) -> datetime:
        """The first moment after the range."""
        return datetime.combine(self.date_to + timedelta(days=1), time.min)

    # --- the filters ------------------------------------------------------------------------------

    def matter_filters(self, hidden_too: bool = False) -> list[Any]:
        """Conditions on `Matter` for the attorney and kind asked for, and (unless `hidden_too`)
        without the matters of clients the user may not see."""
        conditions: list[Any] = []
        if self.attorney_id is not None:
            conditions.append(Matter.responsible_attorney_id == self.attorney_id)
        if self.kind is not None:
            conditions.append(Matter.kind == self.kind)
        if self.hidden and not hidden_too:
            conditions.append(Matter.client_id.not_in(self.hidden))
        return conditions

    def narrowed(self, statement: Any, matter_id: Any) -> Any:
        """`statement` (over a table with a `matter_id` column) joined to its matter and narrowed by
        the filters; left alone when nothing narrows it, so that it can read a covering index alone."""
        conditions = self.matter_filters()
        if not conditions:
            return statement
        return statement.join(Matter, Matter.id == matter_id).where(*conditions)

    def restricted_matters(self, statement: Any) -> int:
        """How many matters `statement` (a select of Matter.id, already joined and narrowed as the
        report narrows them, restricted clients included) holds of clients the user may not see."""
        if not self.hidden:
            return 0
        counted = statement.where(Matter.client_id.in_(self.hidden)).distinct().subquery()
        return int(self.session.scalar(select(func.count()).select_from(counted)) or 0)

    # --- SQL whose spelling differs between the two databases --------------------------------------

    def month(self, column: Any) -> Any:
        """"2026-06" of a date or datetime column."""
        if self.dialect == "sqlite":
            return func.strftime("%Y-%m", column)
        return func.to_char(column, "YYYY-MM")

    def day(self, column: Any) -> Any:
        """The date of a datetime column, comparable with a date column and with a Python date."""
        if self.dialect == "sqlite":
            return func.date(column)
        return cast(column, Date)

    def days_between(self, later: Any, earlier: Any) -> Any:
        """Days (with fractions) from one datetime column to another."""
        if self.dialect == "sqlite":
            return func.julianday(later) - func.julianday(earlier)
        return cast(func.extract("epoch", later - earlier), Float) / 86400.0

    def now_literal(self) -> Any:
        """The office's "now" as a datetime the database compares with its datetime columns."""
        return literal(self.now)

    # --- naming -----------------------------------------------------------------------------------

    def client_label(self, client_id: int, given: str, middle: str, family: str, second: str) -> str:
        """The client's name, or "Client 123" in privacy mode (screens shared with a visitor)."""
        if self.privacy:
            return f"Client {client_id}"
        return full_name(given, middle, family, second)

    @staticmethod
    def client_columns() -> tuple[Any, ...]:
        return (Client.id, Client.given_name, Client.middle_name, Client.family_name, Client.second_family_name)


def count_where(condition: Any) -> Any:
    """COUNT of the rows meeting `condition` (a SUM of CASE: the same on both databases)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
