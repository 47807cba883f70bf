"""Today and the calendar: deadlines, follow-ups and hearings together, for one person or the office.

Every query here walks an index over a date range and stops at a LIMIT, or counts in SQL, so Today
opens at once on an office of 300,000 clients with exact counts. Today (`today`) counts the
automatic follow-ups by rule ("118 EOIR status checks") and lists only what people entered.
The Calendar (`calendar_items`, `busy_days`) and `export_ics`, which writes the same items as an
iCalendar file that Outlook and Google Calendar import (UIDs are stable, so importing a newer export
updates events in place), leave the automatic follow-ups out: they are the office's work queue
(thousands on a big office), not appointments.
The file is written atomically and never replaces an existing file unless asked to (`force`), nor
the office's own files even then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, String, and_, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from kantor_cases.db.engine import Database
from kantor_cases.db.models import Client, Court, Deadline, FollowUp, Hearing, Matter, User
from kantor_cases.domain.agenda_records import (
    AGENDA_LIMIT,
    AHEAD,
    DEADLINE,
    FOLLOW_UP,
    HEARING,
    OVERDUE,
    TODAY,
    UPCOMING,
    AgendaItem,
    TodayView,
    section_of,
)
from kantor_cases.domain.automatic_follow_ups import RULES, RULES_BY_ID, RuleCount
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.deadline_rules import reminder_horizons
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.hearing_rules import courtroom_label
from kantor_cases.domain.names import full_name
from kantor_cases.domain.statuses import HEARING_TYPES

from . import restricted
from .base import Service
from .file_writes import write_atomic
from .follow_ups import of_rule
from .locations import Locations
from .output_files import check_output_target

if TYPE_CHECKING:
    import icalendar

# Hearing times are stored as the office's wall-clock time (DOMAIN: a Los Angeles office).
OFFICE_TIMEZONE = ZoneInfo("America/Los_Angeles")
UID_DOMAIN = "kantor-cases"
# How long a hearing blocks the calendar; EOIR gives a start time only.
HEARING_HOURS = {"individual": 3}
# Past days an export still carries, so an item done or moved last week is updated in the calendar.
EXPORT_PAST_DAYS = 30
MAX_DAYS = 3660


def _reminding(today: date, end: date, user: str | None) -> tuple[ColumnElement[bool], date] | None:
    """Which open deadlines due after `end` Today shows as reminders, and the latest due date among
    them: those whose rule's first reminder day has come (an RFE response from 30 days before it is
    due). None when no rule reminds further ahead than `end`."""
    # Each rule's own date range in each term: SQLite then reads ix_deadlines_rule_open once per rule
    # (0.1 ms at 300,000 clients) instead of every open deadline of the coming month (70 ms).
    # coalesce: the assignee is checked on the few rows found, not searched by (which would read
    # every open deadline of the person's month through ix_deadlines_assignee).
    mine = (func.coalesce(Deadline.assignee, "") == user,) if user else ()
    conditions = [and_(Deadline.rule_id.in_(rule_ids), Deadline.done_at.is_(None), Deadline.superseded_at.is_(None),
                       Deadline.due_on > end, Deadline.due_on <= today + timedelta(days=days), *mine)
                  for days, rule_ids in reminder_horizons().items() if today + timedelta(days=days) > end]
    if not conditions:
        return None
    return or_(*conditions), today + timedelta(days=max(reminder_horizons()))


def _reminder_text(due: date, today: date, detail: str) -> str:
    days = (due - today).days
    return "\n".join(part for part in (f"Reminder: due in {days} days, on {due:%a %d %b %Y}.", detail) if part)


def _name(row: Any) -> str:
    return full_name(row.given_name or "", row.middle_name or "", row.family_name or "",
                     row.second_family_name or "")


_NAME_COLUMNS = (Client.given_name, Client.middle_name, Client.family_name, Client.second_family_name,
                 Client.sensitive)


def uid_for(kind: str, ident: int) -> str:
    """Stable across exports: the kind and the row's id, never its date or title."""
    return f"{kind.replace('_', '-')}-{ident}@{UID_DOMAIN}"


class AgendaService(Service):
    """What is due: overdue, today and the coming days; the calendar's month and week; .ics export."""

    def __init__(self, database: Database, actor: Callable[[], str], locations: Locations,
                 clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__(database, actor, clock)
        self._locations = locations

    def agenda(
        self, days: int = 7, user: str | None = None, today: date | None = None, limit: int = AGENDA_LIMIT,
    ) -> list[AgendaItem]:
        """Overdue items, then today's, then the rest of the `days` days starting today.

        `user` narrows it to one person: deadlines and follow-ups assigned (or escalated) to them,
        hearings of matters they are responsible for. Each kind stops at `limit` items.
        """
        if not 1 <= days <= MAX_DAYS:
            raise ValidationError({"days": f"Show 1 to {MAX_DAYS} days."})
        today = today or self.clock.today()
        end = today + timedelta(days=days - 1)
        with self._db.read() as session:
            items = (
                self._deadlines(session, None, end, user, today, limit)
                + self._follow_ups(session, None, end, user, today, limit, hide_snoozed=True)
                + self._hearings(session, today, end, user, today, limit)
            )
        return sorted(items, key=lambda item: (item.section != OVERDUE, item.sort_key))

    def today(
        self, days: int = 7, user: str | None = None, today: date | None = None, limit: int = AGENDA_LIMIT,
    ) -> TodayView:
        """Today's screen: the automatic follow-ups due within `days` counted by rule, then the items
        people entered (as `agenda`, without the automatic follow-ups), with exact counts of each
        section. Snoozed follow-ups are left out of both, as on the list."""
        if not 1 <= days <= MAX_DAYS:
            raise ValidationError({"days": f"Show 1 to {MAX_DAYS} days."})
        today = today or self.clock.today()
        end = today + timedelta(days=days - 1)
        reminding = _reminding(today, end, user)
        with self._db.read() as session:
            deadlines = self._deadlines(session, None, end, user, today, limit)
            reminded = [] if reminding is None else [
                replace(item, section=AHEAD, detail=_reminder_text(item.due, today, item.detail))
                for item in self._deadlines(session, None, reminding[1], user, today, limit, where=reminding[0])]
            follow_ups = self._follow_ups(session, None, end, user, today, limit, hide_snoozed=True, automatic=False)
            hearings = self._hearings(session, today, end, user, today, limit)
            counts = dict.fromkeys((OVERDUE, TODAY, UPCOMING, AHEAD), 0)
            listed_all = True
            ahead = {} if reminding is None else {
                (None, AHEAD): sum(self._count_deadlines(session, reminding[1], user, today, reminding[0]).values())}
            for found, counted in ((deadlines, self._count_deadlines(session, end, user, today)),
                                   (reminded, ahead),
                                   (follow_ups, self._count_follow_ups(session, end, user, today, automatic=False)),
                                   (hearings, self._count_hearings(session, end, user, today))):
                for (_rule, section), count in counted.items():
                    counts[section] += count
                listed_all = listed_all and len(found) == sum(counted.values())
            by_rule = self._count_follow_ups(session, end, user, today, automatic=True)
        automatic = tuple(
            RuleCount(rule, *(by_rule.get((rule.id, section), 0) for section in (OVERDUE, TODAY, UPCOMING)))
            for rule in RULES if any(rule_id == rule.id for rule_id, _section in by_rule))
        items = sorted(deadlines + reminded + follow_ups + hearings,
                       key=lambda item: (item.section != OVERDUE, item.section == AHEAD, item.sort_key))
        return TodayView(tuple(items), counts, automatic, listed_all)

    def automatic_follow_up_items(
        self, rule_id: str, days: int = 7, user: str | None = None, today: date | None = None,
        limit: int = AGENDA_LIMIT,
    ) -> list[AgendaItem]:
        """The open follow-ups of one automatic rule due within `days` (Today's "open list"), earliest
        first, at most `limit` of them."""
        if rule_id not in RULES_BY_ID:
            raise ValidationError({"rule": f"There is no automatic follow-up rule called “{rule_id}”."})
        today = today or self.clock.today()
        end = today + timedelta(days=days - 1)
        with self._db.read() as session:
            return self._follow_ups(session, None, end, user, today, limit, hide_snoozed=True, rule_id=rule_id)

    def calendar_items(
        self, start: date, end: date, user: str | None = None, today: date | None = None, limit: int = 2000,
    ) -> list[AgendaItem]:
        """Open deadlines and follow-ups due, and hearings held, from `start` to `end` (both included).
        The automatic follow-ups stay out, as in the `.ics`: a first run spreads thousands over the
        working days, and they would bury the day's hearings; Today counts them by rule."""
        if end < start:
            raise ValidationError({"end": "The end of the range is before its start."})
        if (end - start).days > MAX_DAYS:
            raise ValidationError({"end": f"Ask for at most {MAX_DAYS} days at a time."})
        today = today or self.clock.today()
        with self._db.read() as session:
            items = (
                self._deadlines(session, start, end, user, today, limit)
                + self._follow_ups(session, start, end, user, today, limit, hide_snoozed=False, automatic=False)
                + self._hearings(session, start, end, user, today, limit)
            )
        return sorted(items, key=lambda item: item.sort_key)

    def busy_days(self, start: date, end: date, user: str | None = None) -> list[date]:
        """The days from `start` to `end` with something on the calendar (an open deadline or follow-up
        due, a hearing), for the month view's bold days: a few DISTINCT queries, not every item."""
        first, after = datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)
        deadlines = select(Deadline.due_on).where(Deadline.done_at.is_(None), Deadline.superseded_at.is_(None),
                                                  Deadline.due_on >= start, Deadline.due_on <= end)
        follow_ups = select(FollowUp.due_on).where(FollowUp.status == "open", FollowUp.auto_key.is_(None),
                                                   FollowUp.due_on >= start, FollowUp.due_on <= end)
        hearings = select(func.substr(cast(Hearing.starts_at, String), 1, 10)).where(Hearing.starts_at >= first,
                                                                                     Hearing.starts_at < after)
        if user:
            deadlines = deadlines.where(Deadline.assignee == user)
            follow_ups = follow_ups.where(or_(FollowUp.assignee == user, FollowUp.escalated_to == user))
            attorney_id = select(User.id).where(User.name == user).scalar_subquery()
            hearings = hearings.join(Matter, Matter.id == Hearing.matter_id).where(
                Matter.responsible_attorney_id + 0 == attorney_id)  # "+ 0": see _hearings
        days: set[date] = set()
        with self._db.read() as session:
            hidden = restricted.hidden_client_ids(session, self.user)
            if hidden:
                deadlines = restricted.visible(deadlines.join(Matter, Matter.id == Deadline.matter_id),
                                               Matter.client_id, hidden)
                follow_ups = restricted.visible(follow_ups, FollowUp.client_id, hidden, nullable=True)
                if not user:
                    hearings = hearings.join(Matter, Matter.id == Hearing.matter_id)
                hearings = restricted.visible(hearings, Matter.client_id, hidden)
            for query in (deadlines, follow_ups):
                days.update(session.scalars(query.distinct()))
            days.update(date.fromisoformat(day) for day in session.scalars(hearings.distinct()))
        return sorted(days)

    def export_ics(
        self, path: str | Path, days: int = 90, user: str | None = None, today: date | None = None,
        mask_sensitive: bool = True, force: bool = False,
    ) -> int:
        """Write hearings (timed), deadlines and follow-ups people entered (all-day) to an .ics file;
        returns the count. The automatic follow-ups stay out (see the module's docstring).

        Items of the last 30 days come too, and deadlines done or recomputed in the window are
        written as done or cancelled under their old UID, so a re-import updates the calendar the
        office already has. Sensitive (e.g. asylum) clients appear by initials only, unless
        `mask_sensitive` is off: a calendar leaves the office's control. An existing file is
        replaced only with `force` (the save dialog has asked); the office's own files never are.
        """
        if not 1 <= days <= MAX_DAYS:
            raise ValidationError({"days": f"Export 1 to {MAX_DAYS} days."})
        target = Path(path)
        if target.suffix.lower() != ".ics":
            raise ValidationError({"file": f"{target.name} should end in .ics so calendars recognise it."})
        check_output_target(target, self._locations, force=force)
        today = today or self.clock.today()
        start, end = today - timedelta(days=EXPORT_PAST_DAYS), today + timedelta(days=days - 1)
        with self._db.read() as session:
            items = (
                self._deadlines(session, start, end, user, today, None, include_closed=True)
                + self._follow_ups(session, start, end, user, today, None, hide_snoozed=False,
                                   include_done=True, automatic=False)
                + self._hearings(session, start, end, user, today, None)
            )
        items.sort(key=lambda item: item.sort_key)
        import icalendar  # only the calendar export needs it; start-up does not

        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Kantor Cases//Deadlines and hearings//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", "Kantor Cases" + (f" - {user}" if user else ""))
        stamp = self.clock.now().astimezone(UTC).replace(microsecond=0)
        for item in items:
            calendar.add_component(_event(item, stamp, mask_sensitive))
        calendar.add_missing_timezones()
        write_atomic(target, calendar.to_ical())
        return len(items)

    # -- the three queries -------------------------------------------------------------------------

    def _deadlines(
        self, session: Session, start: date | None, end: date, user: str | None, today: date,
        limit: int | None, include_closed: bool = False, where: ColumnElement[bool] | None = None,
    ) -> list[AgendaItem]:
        query = (
            select(Deadline, Matter.client_id, *_NAME_COLUMNS)
            .join(Matter, Matter.id == Deadline.matter_id)
            .join(Client, Client.id == Matter.client_id)
        )
        # The reminders' own conditions (open, each rule's date range) stand alone: with the others
        # beside them SQLite reads every open deadline of the month instead.
        query = query.where(where if where is not None else Deadline.due_on <= end)
        if not include_closed and where is None:
            # Matches ix_deadlines_open_due (done_at, superseded_at, due_on).
            query = query.where(Deadline.done_at.is_(None), Deadline.superseded_at.is_(None))
        if start is not None:
            query = query.where(Deadline.due_on >= start)
        if user and where is None:
            query = query.where(Deadline.assignee == user)
        query = restricted.visible(query, Matter.client_id, restricted.hidden_client_ids(session, self.user))
        query = query.order_by(Deadline.due_on, Deadline.id)
        if limit is not None:
            query = query.limit(limit)
        items = []
        for row in session.execute(query):
            deadline: Deadline = row[0]
            detail = []
            if deadline.override_reason:
                computed = f"{deadline.computed_due:%d %b %Y}" if deadline.computed_due else "none"
                detail.append(f"Overridden (computed {computed}): {deadline.override_reason}")
            if deadline.rolled_reason:
                detail.append(deadline.rolled_reason)
            if deadline.notes.startswith("Uncertain: "):
                detail.append(deadline.notes.partition("\n\n")[0])
            items.append(AgendaItem(
                kind=DEADLINE, id=deadline.id, section=section_of(deadline.due_on, today), due=deadline.due_on,
                starts_at=None, title=deadline.title, client_name=_name(row), client_id=row.client_id,
                matter_id=deadline.matter_id, assignee=deadline.assignee, citation=deadline.citation,
                detail="\n".join(detail), done=deadline.done_at is not None, version=deadline.version,
                sensitive=bool(row.sensitive), cancelled=deadline.superseded_at is not None,
                code=deadline.rule_id,
            ))
        return items

    def _follow_ups(
        self, session: Session, start: date | None, end: date, user: str | None, today: date,
        limit: int | None, hide_snoozed: bool, include_done: bool = False, automatic: bool | None = None,
        rule_id: str | None = None,
    ) -> list[AgendaItem]:
        """`automatic`: only those the office raised (True), only those people entered (False), or
        both (None); `rule_id`: only that rule's."""
        base = (
            select(FollowUp, *_NAME_COLUMNS)
            .outerjoin(Client, Client.id == FollowUp.client_id)
            .where(FollowUp.due_on <= end)
        )
        if automatic is not None:
            base = base.where(FollowUp.auto_key.is_not(None) if automatic else FollowUp.auto_key.is_(None))
        if rule_id is not None:
            base = base.where(of_rule(rule_id))
        if not include_done:
            base = base.where(FollowUp.status == "open")
        if start is not None:
            base = base.where(FollowUp.due_on >= start)
        if hide_snoozed:
            base = base.where(or_(FollowUp.snoozed_until.is_(None), FollowUp.snoozed_until <= today))
        base = restricted.visible(base, FollowUp.client_id, restricted.hidden_client_ids(session, self.user),
                                  nullable=True)
        if user:
            # Two indexed queries rather than one OR, which would walk every open follow-up.
            queries = [base.where(FollowUp.assignee == user),
                       base.where(FollowUp.escalated_to == user, FollowUp.assignee != user)]
        else:
            queries = [base]
        items = []
        for query in queries:
            query = query.order_by(FollowUp.due_on, FollowUp.id)
            if limit is not None:
                query = query.limit(limit)
            for row in session.execute(query):
                follow_up: FollowUp = row[0]
                detail = []
                if follow_up.escalated_to:
                    detail.append(f"Escalated to {follow_up.escalated_to}")
                if follow_up.snoozed_until and follow_up.snoozed_until > today:
                    detail.append(f"Snoozed until {follow_up.snoozed_until:%d %b %Y}")
                if follow_up.recurrence_days:
                    detail.append(f"Repeats every {follow_up.recurrence_days} days")
                items.append(AgendaItem(
                    kind=FOLLOW_UP, id=follow_up.id, section=section_of(follow_up.due_on, today),
                    due=follow_up.due_on, starts_at=None, title=follow_up.note.splitlines()[0] if follow_up.note
                    else "Follow-up", client_name=_name(row) if follow_up.client_id else "",
                    client_id=follow_up.client_id, matter_id=follow_up.matter_id, assignee=follow_up.assignee,
                    detail="; ".join(detail), done=follow_up.status != "open", version=follow_up.version,
                    sensitive=bool(row.sensitive),
                ))
        if limit is not None and len(queries) > 1:
            items = sorted(items, key=lambda item: item.sort_key)[:limit]
        return items

    # -- exact counts for Today ---------------------------------------------------------------------

    @staticmethod
    def _section(column: Any, today: date) -> Any:
        return case((column < today, literal(OVERDUE)), (column == today, literal(TODAY)), else_=literal(UPCOMING))

    def _count_deadlines(self, session: Session, end: date, user: str | None,
                         today: date, where: ColumnElement[bool] | None = None) -> dict[tuple[str | None, str], int]:
        section = self._section(Deadline.due_on, today).label("section")
        query = select(section, func.count()).where(
            where if where is not None else and_(Deadline.done_at.is_(None), Deadline.superseded_at.is_(None),
                                                 Deadline.due_on <= end))
        if user and where is None:  # a reminders' condition names its user itself
            query = query.where(Deadline.assignee == user)
        hidden = restricted.hidden_client_ids(session, self.user)
        if hidden:
            query = restricted.visible(query.join(Matter, Matter.id == Deadline.matter_id), Matter.client_id, hidden)
        return {(None, row[0]): row[1] for row in session.execute(query.group_by(section))}

    def _count_hearings(self, session: Session, end: date, user: str | None,
                        today: date) -> dict[tuple[str | None, str], int]:
        section = case((Hearing.starts_at < datetime.combine(today + timedelta(days=1), time.min), literal(TODAY)),
                       else_=literal(UPCOMING)).label("section")
        query = select(section, func.count()).where(
            Hearing.starts_at >= datetime.combine(today, time.min),
            Hearing.starts_at < datetime.combine(end + timedelta(days=1), time.min))
        hidden = restricted.hidden_client_ids(session, self.user)
        if user or hidden:
            query = query.join(Matter, Matter.id == Hearing.matter_id)
        if user:
            attorney_id = select(User.id).where(User.name == user).scalar_subquery()
            query = query.where(Matter.responsible_attorney_id + 0 == attorney_id)  # "+ 0": see _hearings
        query = restricted.visible(query, Matter.client_id, hidden) if hidden else query
        return {(None, row[0]): row[1] for row in session.execute(query.group_by(section))}

    def _count_follow_ups(self, session: Session, end: date, user: str | None, today: date,
                          automatic: bool) -> dict[tuple[str | None, str], int]:
        """Open, unsnoozed follow-ups due by `end`, counted by (rule, section): the rule is None for
        those people entered. Counted in SQL, a day at a time, each from its own partial index
        (migration 0015): exact at any size, reading only the entries counted."""
        hidden = restricted.hidden_client_ids(session, self.user)
        wanted = ([(rule.id, of_rule(rule.id)) for rule in RULES] if automatic
                  else [(None, FollowUp.auto_key.is_(None))])
        counts: dict[tuple[str | None, str], int] = {}
        for rule_id, condition in wanted:
            base = select(FollowUp.due_on, func.count()).where(
                FollowUp.status == "open", condition, FollowUp.due_on <= end,
                or_(FollowUp.snoozed_until.is_(None), FollowUp.snoozed_until <= today))
            base = restricted.visible(base, FollowUp.client_id, hidden, nullable=True)
            queries = ([base.where(FollowUp.assignee == user),
                        base.where(FollowUp.escalated_to == user, FollowUp.assignee != user)] if user else [base])
            for query in queries:
                for day, count in session.execute(query.group_by(FollowUp.due_on)):
                    key = (rule_id, section_of(day, today))
                    counts[key] = counts.get(key, 0) + count
        return counts

    def _hearings(
        self, session: Session, start: date, end: date, user: str | None, today: date, limit: int | None,
    ) -> list[AgendaItem]:
        query = (
            select(Hearing, Matter.client_id, User.name.label("attorney"), Court.code, Court.name.label("court"),
                   Court.street, Court.floor, Court.city, Court.state, Court.postal_code, *_NAME_COLUMNS)
            .join(Matter, Matter.id == Hearing.matter_id)
            .join(Client, Client.id == Matter.client_id)
            .outerjoin(User, User.id == Matter.responsible_attorney_id)
            .outerjoin(Court, Court.id == Hearing.court_id)
            .where(Hearing.starts_at >= datetime.combine(start, time.min),
                   Hearing.starts_at < datetime.combine(end + timedelta(days=1), time.min))
        )
        if user:
            # "+ 0" keeps SQLite from starting at the attorney's matters (a quarter of a big office) instead
            # of the few days of hearings asked for: 230 ms instead of 2 ms at 300,000 clients.
            attorney_id = select(User.id).where(User.name == user).scalar_subquery()
            query = query.where(Matter.responsible_attorney_id + 0 == attorney_id)
        query = restricted.visible(query, Matter.client_id, restricted.hidden_client_ids(session, self.user))
        # In the order of ix_hearings_starts_matter: ordering by id straight after the time made SQLite
        # sort every hearing of the week (a busy court sets dozens at 8:30): 100 ms at 300,000 clients.
        query = query.order_by(Hearing.starts_at, Hearing.matter_id, Hearing.id)
        if limit is not None:
            query = query.limit(limit)
        items = []
        for row in session.execute(query):
            hearing: Hearing = row[0]
            title = f"{HEARING_TYPES.get(hearing.hearing_type, hearing.hearing_type)} hearing"
            if row.code:
                title += f", {row.code}"
            if hearing.judge:
                title += f", IJ {hearing.judge}"
            address = ", ".join(part for part in (
                row.court, row.street, row.floor, courtroom_label(hearing.courtroom),
                row.city, f"{row.state or ''} {row.postal_code or ''}".strip(),
            ) if part)
            detail = f"Interpreter: {hearing.interpreter_language}" if hearing.interpreter_language else ""
            items.append(AgendaItem(
                kind=HEARING, id=hearing.id, section=section_of(hearing.starts_at.date(), today),
                due=hearing.starts_at.date(), starts_at=hearing.starts_at, title=title, client_name=_name(row),
                client_id=row.client_id, matter_id=hearing.matter_id, assignee=row.attorney or "",
                detail=detail, location=address, version=hearing.version, sensitive=bool(row.sensitive),
                code=hearing.hearing_type,
            ))
        return items


def _initials(name: str) -> str:
    return " ".join(f"{part[0]}." for part in name.split() if part) or "Client"


def _event(item: AgendaItem, stamp: datetime, mask_sensitive: bool) -> icalendar.Event:
    import icalendar

    if mask_sensitive and item.sensitive:
        item = replace(item, client_name=_initials(item.client_name))
    event = icalendar.Event()
    event.add("uid", uid_for(item.kind, item.id))
    event.add("dtstamp", stamp)
    # SEQUENCE rises with every saved change, so calendars take a re-import as an update.
    event.add("sequence", item.version)
    who = f" - {item.client_name}" if item.client_name else ""
    if item.kind == HEARING and item.starts_at is not None:
        starts = item.starts_at.replace(tzinfo=OFFICE_TIMEZONE)
        event.add("summary", f"{item.title}{who}")
        event.add("dtstart", starts)
        event.add("dtend", starts + timedelta(hours=HEARING_HOURS.get(item.code, 1)))
        if item.location:
            event.add("location", item.location)
    else:
        label = "Deadline" if item.kind == DEADLINE else "Follow-up"
        prefix = "Done: " if item.done else ""
        event.add("summary", f"{prefix}{label}: {item.title}{who}")
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    lines = []
    if item.citation:
        lines.append(f"Rule: {item.citation}")
    if item.detail:
        lines.append(item.detail)
    if item.cancelled:
        lines.append("Replaced by a recomputed deadline (its trigger date changed).")
    if item.assignee:
        lines.append(f"Assigned to: {item.assignee}")
    if item.matter_id:
        lines.append(f"Matter no. {item.matter_id}")
    if lines:
        event.add("description", "\n".join(lines))
    event.add("categories", [item.kind_label])
    return event
