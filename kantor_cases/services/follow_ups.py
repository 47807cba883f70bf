"""Follow-ups: the staff's tasks on a client or matter - reminders, recurring checks, escalation.

Besides what people enter, the office raises follow-ups by itself (`raise_automatic`): a removal
case not verified with EOIR for a week, a matter with no activity for 60 days, a hearing 30, 7 or
1 days away without a reminder letter (the rules: domain/automatic_follow_ups.py). Those checks and
the escalation of overdue items run as a few set-based statements, because they look across the
whole office (300,000 clients). A rule's first run spreads its follow-ups over the coming working
weeks; an attorney can switch a rule off or give its follow-ups to someone (kept in app_meta); a
follow-up whose purpose is met (the reminder printed, the case verified) is closed where that
happens, in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    and_,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from kantor_cases.db.base import now
from kantor_cases.db.models import AppMeta, AuditEvent, Client, FollowUp, Hearing, Matter, RemovalCase, User
from kantor_cases.domain.agenda_records import AutomaticFollowUps, FollowUpRecord
from kantor_cases.domain.automatic_follow_ups import (
    EOIR_VERIFY,
    HEARING_REMINDER,
    INACTIVE,
    RETAINER_AFTER_DAYS,
    RULES,
    RULES_BY_ID,
    SEND_RETAINER,
    RuleSetting,
    key_range,
    spread_due,
)
from kantor_cases.domain.errors import NotFoundError, ValidationError
from kantor_cases.domain.names import clean, full_name

from . import audit, restricted
from .base import Service
from .deadlines import mark_activity
from .hearings import reminder_sent

# DOMAIN.md §2: EOIR's status line is often stale, so offices re-verify every week.
EOIR_VERIFY_DAYS = 7
INACTIVE_DAYS = 60
# Days before a hearing on which a missing reminder letter raises a follow-up.
HEARING_REMINDER_DAYS = (30, 7, 1)
MAX_RECURRENCE_DAYS = 366
SYSTEM_USER = "Kantor Cases"
# The bulk statements below work on the tables themselves (no ORM unit of work for thousands of rows).
# Automatic follow-ups written per transaction: the write lock is never held long (15 columns a row
# stays under SQLite's 32,766 bound parameters).
RAISE_BATCH = 1000
Progress = Callable[[int, int], bool]  # (done, total) -> keep going?
FOLLOW_UPS: Table = FollowUp.__table__  # type: ignore[assignment]
AUDIT_EVENTS: Table = AuditEvent.__table__  # type: ignore[assignment]
# app_meta keys of the rules' settings: "automatic_follow_ups.eoir-verify" -> {"enabled": …, "assignee": …}
RULE_SETTING_PREFIX = "automatic_follow_ups."


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _client_name(given: str | None, middle: str | None, family: str | None, second: str | None) -> str:
    return full_name(given or "", middle or "", family or "", second or "")


def follow_up_query() -> Any:
    """Follow-ups with their client's name parts (outer join: a client may have been merged away)."""
    return (
        select(FollowUp, Client.given_name, Client.middle_name, Client.family_name, Client.second_family_name,
               Client.sensitive)
        .outerjoin(Client, Client.id == FollowUp.client_id)
    )


def to_record(row: FollowUp, given: str | None, middle: str | None, family: str | None, second: str | None,
              sensitive: bool | None) -> FollowUpRecord:
    """A row of `follow_up_query()` as a record: the follow-up and its client's name parts and flag."""
    return FollowUpRecord(
        id=row.id, client_id=row.client_id, matter_id=row.matter_id,
        client_name=_client_name(given, middle, family, second),
        assignee=row.assignee, due=row.due_on, note=row.note, status=row.status,
        recurrence_days=row.recurrence_days, snoozed_until=row.snoozed_until,
        escalated_to=row.escalated_to, escalated_at=row.escalated_at, auto_key=row.auto_key,
        done_at=row.done_at, done_by=row.done_by, done_note=row.done_note, version=row.version,
        sensitive=bool(sensitive),
    )


def _records(session: Session, query: Any) -> list[FollowUpRecord]:
    return [to_record(row, *names) for row, *names in session.execute(query)]


def of_rule(rule_id: str) -> Any:
    """The open or done follow-ups of an automatic rule, written as its partial index's WHERE is
    (literals, not parameters: migration 0015), so SQLite sees that the index holds every row asked
    for and counts and lists from it alone."""
    low, high = key_range(rule_id)
    return text(f"follow_ups.auto_key >= '{low}' AND follow_ups.auto_key < '{high}'")


def next_occurrence(due: date, every_days: int, today: date) -> date:
    """The next due date of a recurring follow-up: on its cadence, but never in the past."""
    step = timedelta(days=every_days)
    following = due + step
    if following <= today:
        following += step * ((today - following).days // every_days + 1)
    return following


class FollowUpService(Service):
    """Follow-up actions, one transaction each; results are `FollowUpRecord`s."""

    # -- what people enter -------------------------------------------------------------------------

    def create(
        self, due_on: date, note: str, *, client_id: int | None = None, matter_id: int | None = None,
        assignee: str | None = None, recurrence_days: int | None = None,
    ) -> FollowUpRecord:
        """A follow-up on a client or a matter (a matter's follow-up also belongs to its client)."""
        self.require("follow_ups.edit")
        note = (note or "").strip()
        problems: dict[str, str] = {}
        if not note:
            problems["note"] = "Say what needs to be done."
        if client_id is None and matter_id is None:
            problems["client"] = "A follow-up belongs to a client or a matter."
        if not isinstance(due_on, date) or isinstance(due_on, datetime):
            problems["due_on"] = "Give a due date."
        if recurrence_days is not None and not 1 <= recurrence_days <= MAX_RECURRENCE_DAYS:
            problems["recurrence_days"] = f"Repeat every 1 to {MAX_RECURRENCE_DAYS} days."
        if problems:
            raise ValidationError(problems)
        with self._db.write() as session:
            if matter_id is not None:
                matter_client = session.scalar(select(Matter.client_id).where(Matter.id == matter_id))
                if matter_client is None:
                    raise NotFoundError(f"Matter {matter_id} does not exist (it may have been deleted).")
                if client_id is not None and client_id != matter_client:
                    raise ValidationError({"client": f"Matter {matter_id} belongs to another client."})
                client_id = matter_client
            elif session.get(Client, client_id) is None:
                raise NotFoundError(f"Client {client_id} does not exist (it may have been deleted).")
            row = FollowUp(
                client_id=client_id, matter_id=matter_id, assignee=clean(assignee) or self.user,
                due_on=due_on, note=note, status="open", recurrence_days=recurrence_days,
                created_by=self.user, updated_by=self.user,
            )
            session.add(row)
            session.flush()
            repeat = f", every {recurrence_days} days" if recurrence_days else ""
            audit.record(
                session, self.user, "create", "follow_up", row.id,
                f"Follow-up for {row.assignee} due {due_on:%d %b %Y}{repeat}: {note}",
                {"due_on": [None, due_on], "assignee": [None, row.assignee], "note": [None, note]},
                client_id=client_id,
            )
            return self._get(session, row.id)

    def remind_me(
        self, days: int, note: str, *, client_id: int | None = None, matter_id: int | None = None,
        today: date | None = None,
    ) -> FollowUpRecord:
        """"Remind me in N days": a follow-up for whoever is acting."""
        self.require("follow_ups.edit")
        if not isinstance(days, int) or days < 1:
            raise ValidationError({"days": "Remind in at least 1 day."})
        today = today or self.clock.today()
        return self.create(today + timedelta(days=days), note, client_id=client_id, matter_id=matter_id,
                           assignee=self.user)

    def snooze(
        self, follow_up_id: int, until: date, expected_version: int | None = None, today: date | None = None,
    ) -> FollowUpRecord:
        """Hide it from Today until `until`; it keeps its due date (and shows as overdue after)."""
        self.require("follow_ups.edit")
        today = today or self.clock.today()
        if until <= today:
            raise ValidationError({"until": "Snooze until a day after today."})
        with self._db.write() as session:
            row = self._load_open(session, follow_up_id, expected_version)
            before = row.snoozed_until
            row.snoozed_until = until
            self.touch(row)
            session.flush()
            audit.record(
                session, self.user, "update", "follow_up", row.id, f"Snoozed until {until:%d %b %Y}: {row.note}",
                {"snoozed_until": [before, until]}, client_id=row.client_id,
            )
            return self._get(session, row.id)

    def assign(self, follow_up_id: int, assignee: str, expected_version: int | None = None) -> FollowUpRecord:
        self.require("follow_ups.edit")
        assignee = clean(assignee)
        if not assignee:
            raise ValidationError({"assignee": "Say who should do it."})
        with self._db.write() as session:
            row = self._load_open(session, follow_up_id, expected_version)
            before = row.assignee
            if before != assignee:
                row.assignee = assignee
                self.touch(row)
                session.flush()
                audit.record(
                    session, self.user, "update", "follow_up", row.id, f"Assigned to {assignee}: {row.note}",
                    {"assignee": [before, assignee]}, client_id=row.client_id,
                )
            return self._get(session, row.id)

    def mark_done(
        self, follow_up_id: int, note: str = "", expected_version: int | None = None, today: date | None = None,
    ) -> tuple[FollowUpRecord, FollowUpRecord | None]:
        """Done with a note; a recurring follow-up creates its next occurrence (returned second)."""
        self.require("follow_ups.edit")
        today = today or self.clock.today()
        with self._db.write() as session:
            row = self._load_open(session, follow_up_id, expected_version)
            row.status = "done"
            row.done_at = now()
            row.done_by = self.user
            row.done_note = (note or "").strip()
            self.touch(row)
            session.flush()
            audit.record(
                session, self.user, "update", "follow_up", row.id,
                f"Done: {row.note}" + (f" ({row.done_note})" if row.done_note else ""),
                {"status": ["open", "done"], "done_note": ["", row.done_note]}, client_id=row.client_id,
            )
            following = None
            if row.recurrence_days:
                nxt = FollowUp(
                    client_id=row.client_id, matter_id=row.matter_id, assignee=row.assignee,
                    due_on=next_occurrence(row.due_on, row.recurrence_days, today), note=row.note,
                    status="open", recurrence_days=row.recurrence_days,
                    created_by=self.user, updated_by=self.user,
                )
                session.add(nxt)
                session.flush()
                audit.record(
                    session, self.user, "create", "follow_up", nxt.id,
                    f"Next of a follow-up repeated every {row.recurrence_days} days, due {nxt.due_on:%d %b %Y}: "
                    f"{nxt.note}",
                    {"due_on": [None, nxt.due_on]}, client_id=nxt.client_id,
                )
                following = self._get(session, nxt.id)
            if row.matter_id is not None:
                mark_activity(session, row.matter_id)
            return self._get(session, row.id), following

    def reopen(self, follow_up_id: int, expected_version: int | None = None,
               next_id: int | None = None) -> FollowUpRecord:
        """Undo Done (a slip of the key): the follow-up is open again. `next_id`, the occurrence a
        recurring follow-up created when it was done, goes away if nobody has touched it since."""
        self.require("follow_ups.edit")
        with self._db.write() as session:
            row: FollowUp = self.load(session, FollowUp, follow_up_id, "Follow-up")
            self.check_version(row, expected_version, "This follow-up")
            if row.status != "done":
                raise ValidationError("This follow-up is open already.")
            row.status = "open"
            row.done_at = None
            row.done_by = ""
            row.done_note = ""
            self.touch(row)
            session.flush()
            audit.record(session, self.user, "update", "follow_up", row.id, f"Open again: {row.note}",
                         {"status": ["done", "open"]}, client_id=row.client_id)
            following = session.get(FollowUp, next_id) if next_id is not None else None
            if following is not None and following.status == "open" and following.version == 1:
                # The matter it leaves, for the matter's History (services/history).
                left = {"matter_id": [following.matter_id, None]} if following.matter_id is not None else {}
                audit.record(session, self.user, "delete", "follow_up", following.id,
                             f"Withdrawn with the undone follow-up: {following.note}", left,
                             client_id=following.client_id)
                session.delete(following)
            return self._get(session, row.id)

    # -- reading -------------------------------------------------------------------------------------

    def get(self, follow_up_id: int) -> FollowUpRecord:
        with self._db.read() as session:
            return self._get(session, follow_up_id)

    def count_open_for(self, user: str | None = None, due_before: date | None = None) -> int:
        """How many open follow-ups `user` has (assigned, or escalated to them); `due_before`: only those."""
        with self._db.read() as session:
            hidden = restricted.hidden_client_ids(session, self.user)
            mine = self._open_for(user or self.user, due_before, hidden).subquery()
            return int(session.scalar(select(func.count()).select_from(mine)) or 0)

    def page_open_for(self, user: str | None, offset: int, limit: int) -> list[FollowUpRecord]:
        """One page of `user`'s open follow-ups, earliest due first (the My follow-ups list at any size)."""
        with self._db.read() as session:
            mine = self._open_for(user or self.user, None, restricted.hidden_client_ids(session, self.user)).subquery()
            page_ids = list(session.scalars(select(mine.c.id).order_by(mine.c.due_on, mine.c.id)
                                            .offset(offset).limit(limit)))
            found = {r.id: r for r in _records(session, follow_up_query().where(FollowUp.id.in_(page_ids)))}
        return [found[i] for i in page_ids if i in found]

    @staticmethod
    def _open_for(user: str, due_before: date | None = None, hidden: frozenset[int] = frozenset()) -> Any:
        """Ids and due dates of the open follow-ups assigned or escalated to `user`: two indexed
        queries put together, since one OR would walk every open follow-up of the office. None of
        the `hidden` clients' (services/restricted.py)."""
        assigned = select(FollowUp.id, FollowUp.due_on).where(FollowUp.assignee == user, FollowUp.status == "open")
        escalated = select(FollowUp.id, FollowUp.due_on).where(FollowUp.escalated_to == user,
                                                               FollowUp.status == "open", FollowUp.assignee != user)
        if due_before is not None:
            assigned = assigned.where(FollowUp.due_on < due_before)
            escalated = escalated.where(FollowUp.due_on < due_before)
        assigned = restricted.visible(assigned, FollowUp.client_id, hidden, nullable=True)
        escalated = restricted.visible(escalated, FollowUp.client_id, hidden, nullable=True)
        return union_all(assigned, escalated)

    def count_open(self, user: str | None = None, client_id: int | None = None, rule_id: str | None = None) -> int:
        """How many open follow-ups there are: of `user` (assigned or escalated to them; None: the whole
        office), on `client_id`, raised by the automatic rule `rule_id` - counted in SQL, exact."""
        with self._db.read() as session:
            found = self._open_where(user, client_id, rule_id, restricted.hidden_client_ids(session, self.user))
            return int(session.scalar(select(func.count()).select_from(found.subquery())) or 0)

    def page_open(self, user: str | None, client_id: int | None, rule_id: str | None, offset: int,
                  limit: int) -> list[FollowUpRecord]:
        """One page of those `count_open` counts, earliest due first."""
        with self._db.read() as session:
            found = self._open_where(user, client_id, rule_id,
                                     restricted.hidden_client_ids(session, self.user)).subquery()
            page_ids = list(session.scalars(select(found.c.id).order_by(found.c.due_on, found.c.id)
                                            .offset(offset).limit(limit)))
            rows = {r.id: r for r in _records(session, follow_up_query().where(FollowUp.id.in_(page_ids)))}
        return [rows[i] for i in page_ids if i in rows]

    def _open_where(self, user: str | None, client_id: int | None, rule_id: str | None,
                    hidden: frozenset[int]) -> Any:
        if rule_id is not None and rule_id not in RULES_BY_ID:
            raise NotFoundError(f"There is no automatic follow-up rule called “{rule_id}”; "
                                f"the rules are {', '.join(RULES_BY_ID)}.")
        if user is not None:
            query = self._open_for(user, None, hidden)
            if client_id is None and rule_id is None:
                return query
            mine = query.subquery()
            query = select(FollowUp.id, FollowUp.due_on).where(FollowUp.id.in_(select(mine.c.id)))
        else:
            query = restricted.visible(select(FollowUp.id, FollowUp.due_on).where(FollowUp.status == "open"),
                                       FollowUp.client_id, hidden, nullable=True)
        if client_id is not None:
            query = query.where(FollowUp.client_id == client_id)
        if rule_id is not None:
            query = query.where(of_rule(rule_id))
        return query

    def for_client(self, client_id: int, include_done: bool = False) -> list[FollowUpRecord]:
        return self._listing(FollowUp.client_id == client_id, include_done)

    def for_matter(self, matter_id: int, include_done: bool = False) -> list[FollowUpRecord]:
        return self._listing(FollowUp.matter_id == matter_id, include_done)

    # -- what the office does by itself ------------------------------------------------------------------

    def escalate_overdue(self, today: date | None = None) -> int:
        """Escalate open overdue follow-ups on a matter to its responsible attorney; returns how many.

        Idempotent: an item is escalated once (escalated_at is set). Snoozed items wait, and nothing
        is escalated to the person it is already assigned to.
        """
        today = today or self.clock.today()
        table = FOLLOW_UPS
        attorney = (
            select(User.name).join(Matter, Matter.responsible_attorney_id == User.id)
            .where(Matter.id == table.c.matter_id).scalar_subquery()
        )
        stamp = now()
        statement = (
            update(table)
            .where(
                table.c.status == "open", table.c.due_on < today, table.c.escalated_at.is_(None),
                table.c.matter_id.is_not(None),
                or_(table.c.snoozed_until.is_(None), table.c.snoozed_until <= today),
                attorney.is_not(None), attorney != table.c.assignee,
            )
            .values(escalated_to=attorney, escalated_at=stamp, version=table.c.version + 1,
                    updated_at=stamp, updated_by=SYSTEM_USER)
            .returning(table.c.id, table.c.client_id, table.c.escalated_to, table.c.assignee,
                       table.c.due_on, table.c.note)
        )
        with self._db.write() as session:
            escalated = session.execute(statement).all()
            self._audit_many(session, "update", (
                (r.id, r.client_id,
                 f"Escalated to {r.escalated_to}: overdue since {r.due_on:%d %b %Y} (assigned to "
                 f"{r.assignee or 'nobody'}): {r.note}",
                 {"escalated_to": ["", r.escalated_to]})
                for r in escalated
            ))
        return len(escalated)

    def raise_automatic(self, today: date | None = None, progress: Progress | None = None) -> AutomaticFollowUps:
        """Raise the office's automatic follow-ups; running it again raises nothing new.

        Each carries an `auto_key` naming its rule, record and the fact it is about (the date of
        the last EOIR check, of the last activity, of the hearing): done once, it is not raised
        again until that fact changes. A rule switched off in Settings raises nothing; a rule given
        to someone raises its follow-ups for them. A rule's first run on an office (none of its
        follow-ups exists yet) spreads them over the coming working weeks by matter id, so an office
        of thousands of matters does not find them all due today; later runs raise what is due today.

        It runs at every start, so it must not hold the write lock: on a big office finding the
        candidates takes seconds, and a save made meanwhile would wait and then fail as "locked".
        Candidates are found in a read transaction; new ones are written in short transactions of
        RAISE_BATCH rows, each with its audit rows, skipping any key another desk took meanwhile.
        When `progress` says stop (the window is closing), it stops after the current batch; what
        is not raised yet is raised by the next check.
        """
        today = today or self.clock.today()
        keep_going = progress or (lambda _done, _total: True)
        settings = {setting.rule.id: setting for setting in self.automatic_rules()}
        raised = dict.fromkeys((EOIR_VERIFY, INACTIVE, HEARING_REMINDER, SEND_RETAINER), 0)
        candidates = {EOIR_VERIFY: self._eoir_candidates, INACTIVE: self._inactive_candidates,
                      HEARING_REMINDER: self._hearing_candidates, SEND_RETAINER: self._retainer_candidates}
        for rule_id, find in candidates.items():
            if not settings[rule_id].enabled:
                continue
            raised[rule_id], finished = self._raise(rule_id, find(today), today, keep_going, settings[rule_id].assignee)
            if not finished:
                return AutomaticFollowUps(raised[EOIR_VERIFY], raised[INACTIVE], raised[HEARING_REMINDER],
                                          stopped=True, engagements_to_send=raised[SEND_RETAINER])
        return AutomaticFollowUps(raised[EOIR_VERIFY], raised[INACTIVE], raised[HEARING_REMINDER],
                                  engagements_to_send=raised[SEND_RETAINER])

    # -- the rules' settings -------------------------------------------------------------------------------

    def automatic_rules(self) -> list[RuleSetting]:
        """Each rule with how the office runs it (on, and the matter's attorney, unless changed)."""
        with self._db.read() as session:
            stored = {key: value for key, value in session.execute(
                select(AppMeta.key, AppMeta.value).where(AppMeta.key.in_([RULE_SETTING_PREFIX + r.id for r in RULES])))}
        settings = []
        for rule in RULES:
            try:
                values = json.loads(stored.get(RULE_SETTING_PREFIX + rule.id, "{}"))
            except ValueError:
                values = {}  # written by hand or damaged: the rule's defaults, as if never changed
            settings.append(RuleSetting(rule, enabled=values.get("enabled", True) is not False,
                                        assignee=str(values.get("assignee") or "")))
        return settings

    def set_automatic_rule(self, rule_id: str, enabled: bool, assignee: str = "") -> RuleSetting:
        """Switch a rule on or off and say who gets its follow-ups ("" = each matter's responsible
        attorney); audited. Follow-ups already raised stay as they are."""
        self.require("follow_ups.rules")
        rule = RULES_BY_ID.get(rule_id)
        if rule is None:
            raise NotFoundError(f"There is no automatic follow-up rule called “{rule_id}”; "
                                f"the rules are {', '.join(RULES_BY_ID)}.")
        assignee = clean(assignee)
        before = next(setting for setting in self.automatic_rules() if setting.rule.id == rule_id)
        after = RuleSetting(rule, enabled, assignee)
        with self._db.write() as session:
            if assignee and session.scalar(select(User.id).where(User.name == assignee, User.active)) is None:
                raise ValidationError({"assignee": f"{assignee} is not an active user of this office."})
            if after == before:
                return after
            row = session.get(AppMeta, RULE_SETTING_PREFIX + rule_id)
            value = json.dumps({"enabled": enabled, "assignee": assignee})
            if row is None:
                session.add(AppMeta(key=RULE_SETTING_PREFIX + rule_id, value=value))
            else:
                row.value = value
            changes: dict[str, list[Any]] = {}
            if before.enabled != enabled:
                changes["enabled"] = [before.enabled, enabled]
            if before.assignee != assignee:
                changes["assignee"] = [before.assignee, assignee]
            audit.record(session, self.user, "update", "automatic_follow_up_rule", None,
                         f"Automatic follow-ups, {rule.plural}: {'on' if enabled else 'off'}, for "
                         f"{after.assignee_text}", changes)
        return after

    def run_daily(self, today: date | None = None, progress: Progress | None = None) -> tuple[AutomaticFollowUps, int]:
        """The daily check: raise automatic follow-ups, then escalate what is overdue."""
        raised = self.raise_automatic(today, progress)
        if raised.stopped:
            return raised, 0
        return raised, self.escalate_overdue(today)

    # -- helpers -------------------------------------------------------------------------------------

    def _get(self, session: Session, follow_up_id: int) -> FollowUpRecord:
        found = session.execute(follow_up_query().where(FollowUp.id == follow_up_id)).first()
        if found is None:
            raise NotFoundError(f"Follow-up {follow_up_id} does not exist (it may have been deleted).")
        row, *names = found
        return to_record(row, *names)

    def _load_open(self, session: Session, follow_up_id: int, expected_version: int | None) -> FollowUp:
        row: FollowUp = self.load(session, FollowUp, follow_up_id, "Follow-up")
        self.check_version(row, expected_version, "This follow-up")
        if row.status != "open":
            raise ValidationError(
                f"This follow-up was already done by {row.done_by}"
                + (f" on {row.done_at:%d %b %Y}." if row.done_at else ".")
            )
        return row

    def _listing(self, condition: ColumnElement[bool], include_done: bool) -> list[FollowUpRecord]:
        query = follow_up_query().where(condition)
        if not include_done:
            # Written so that no index serves it: SQLite would otherwise walk every open follow-up of the
            # office in due order (50 ms at 300,000 follow-ups) rather than the client's or matter's few.
            query = query.where(FollowUp.status.concat("") == "open")
        with self._db.read() as session:
            query = restricted.visible(query, FollowUp.client_id, restricted.hidden_client_ids(session, self.user),
                                       nullable=True)
            return _records(session, query.order_by(FollowUp.due_on, FollowUp.id))

    def _audit_many(self, session: Session, action: str,
                    rows: Iterable[tuple[int, int | None, str, dict[str, list[Any]]]]) -> None:
        stamp = now()
        values = [
            {"at": stamp, "user_name": SYSTEM_USER, "action": action, "entity": "follow_up", "entity_id": ident,
             "client_id": client_id, "summary": summary,
             "changes": json.dumps({k: [_plain(v) for v in pair] for k, pair in changes.items()},
                                   ensure_ascii=False)}
            for ident, client_id, summary, changes in rows
        ]
        if values:
            session.execute(insert(AUDIT_EVENTS), values)

    def _raise(self, rule_id: str, candidates: Any, today: date, keep_going: Progress,
               assignee: str = "") -> tuple[int, bool]:
        """Write the candidates whose key is not taken yet, with an audit row each; returns how many,
        and whether it got through them all."""
        key = candidates.selected_columns.auto_key
        low, high = key_range(rule_id)
        with self._db.read() as session:
            fresh = [row._asdict() for row in session.execute(
                candidates.where(~exists().where(FollowUp.auto_key == key)))]
            first_run = RULES_BY_ID[rule_id].spread_first_run and session.scalar(
                select(FollowUp.id).where(FollowUp.auto_key >= low, FollowUp.auto_key < high).limit(1)) is None
        for row in fresh:
            row["due_on"] = spread_due(today, row["matter_id"]) if first_run else today
            if assignee:
                row["assignee"] = assignee
        created = 0
        for start in range(0, len(fresh), RAISE_BATCH):
            stamp = now()
            batch = [{**row, "status": "open", "escalated_to": "", "done_by": "", "done_note": "",
                      "version": 1, "created_at": stamp, "created_by": SYSTEM_USER, "updated_at": stamp,
                      "updated_by": SYSTEM_USER} for row in fresh[start:start + RAISE_BATCH]]
            with self._db.write() as session:
                # Two desks on a shared PostgreSQL office may run the check at the same moment; the
                # second skips the keys the first took instead of failing on the unique index.
                statement = (
                    _dialect_insert(session)(FOLLOW_UPS)
                    .on_conflict_do_nothing(index_elements=[FOLLOW_UPS.c.auto_key])
                    .returning(FOLLOW_UPS.c.id, FOLLOW_UPS.c.client_id, FOLLOW_UPS.c.assignee, FOLLOW_UPS.c.note,
                               FOLLOW_UPS.c.due_on)
                )
                written = session.execute(statement, batch).all()
                self._audit_many(session, "create", (
                    (r.id, r.client_id, f"Automatic follow-up for {r.assignee or 'the office'}, due "
                                        f"{r.due_on:%d %b %Y}: {r.note}",
                     {"note": [None, r.note], "due_on": [None, r.due_on]})
                    for r in written
                ))
                if rule_id == HEARING_REMINDER:
                    # The candidates were found before this batch was written (at 300,000 clients the
                    # check runs for a minute or more): a reminder printed meanwhile closes its follow-up now.
                    hearing_ids = [int(row["auto_key"].split(":")[1]) for row in batch]
                    close_reminder_follow_ups(session, session.scalars(select(Hearing.id).where(
                        Hearing.id.in_(hearing_ids), reminder_sent(Hearing.id))), SYSTEM_USER)
                if rule_id == EOIR_VERIFY:
                    # Likewise a case verified meanwhile: its key names the verification it was raised on.
                    raised_on = {row["matter_id"]: row["auto_key"].rsplit(":", 1)[1] for row in batch}
                    for matter_id, verified in session.execute(select(RemovalCase.matter_id, RemovalCase.last_verified_on)
                                                               .where(RemovalCase.matter_id.in_(raised_on))):
                        if verified is not None and verified.isoformat() != raised_on[matter_id]:
                            close_eoir_follow_ups(session, [matter_id], SYSTEM_USER,
                                                  f"verified with EOIR on {verified:%d %b %Y}")
            created += len(written)
            if not keep_going(start + len(batch), len(fresh)) and start + len(batch) < len(fresh):
                return created, False
        return created, True

    @staticmethod
    def _open_matter() -> ColumnElement[bool]:
        return and_(Matter.closed_on.is_(None), Matter.firm_status != "closed")

    def _eoir_candidates(self, today: date) -> Any:
        cutoff = today - timedelta(days=EOIR_VERIFY_DAYS)
        verified = func.coalesce(cast(RemovalCase.last_verified_on, String), "never")
        return (
            select(
                Matter.client_id.label("client_id"), Matter.id.label("matter_id"),
                func.coalesce(User.name, "").label("assignee"),
                (literal("Verify the case with EOIR (ACIS web portal or 1-800-898-7180); last verified: ")
                 .concat(verified)).label("note"),
                (literal("eoir-verify:").concat(cast(Matter.id, String)).concat(":").concat(verified))
                .label("auto_key"),
            )
            .select_from(RemovalCase)
            .join(Matter, Matter.id == RemovalCase.matter_id)
            .outerjoin(User, User.id == Matter.responsible_attorney_id)
            .where(or_(RemovalCase.last_verified_on.is_(None), RemovalCase.last_verified_on <= cutoff),
                   self._open_matter())
        )

    def _inactive_candidates(self, today: date) -> Any:
        cutoff = datetime.combine(today - timedelta(days=INACTIVE_DAYS), time.min)
        last_day = func.substr(cast(Matter.last_activity_at, String), 1, 10)
        return (
            select(
                Matter.client_id.label("client_id"), Matter.id.label("matter_id"),
                func.coalesce(User.name, "").label("assignee"),
                (literal(f"No activity on this matter for {INACTIVE_DAYS} days (last: ").concat(last_day)
                 .concat("): check in with the client and update the file.")).label("note"),
                (literal("inactive:").concat(cast(Matter.id, String)).concat(":").concat(last_day))
                .label("auto_key"),
            )
            .select_from(Matter)
            .outerjoin(User, User.id == Matter.responsible_attorney_id)
            .where(Matter.last_activity_at < cutoff, self._open_matter())
        )

    def _retainer_candidates(self, today: date) -> Any:
        """Matters taken in at least RETAINER_AFTER_DAYS days ago and still not engaged: the engagement
        agreement (the retainer) is to be sent for signature. One per matter."""
        return (
            select(
                Matter.client_id.label("client_id"), Matter.id.label("matter_id"),
                func.coalesce(User.name, "").label("assignee"),
                literal("Send the engagement agreement (retainer) for signature; mark the matter engaged "
                        "when it comes back signed.").label("note"),
                (literal(f"{SEND_RETAINER}:").concat(cast(Matter.id, String)).concat(":")
                 .concat(cast(Matter.opened_on, String))).label("auto_key"),
            )
            .select_from(Matter)
            .outerjoin(User, User.id == Matter.responsible_attorney_id)
            .where(Matter.firm_status == "intake", Matter.closed_on.is_(None),
                   Matter.opened_on <= today - timedelta(days=RETAINER_AFTER_DAYS))
        )

    def _hearing_candidates(self, today: date) -> Any:
        """Hearings within 30 days with no reminder letter; the key names the 30/7/1-day step reached."""
        midnight = datetime.combine(today, time.min)
        steps = sorted(HEARING_REMINDER_DAYS)
        bucket = case(
            *[(Hearing.starts_at < midnight + timedelta(days=days + 1), str(days)) for days in steps[:-1]],
            else_=str(steps[-1]),
        )
        hearing_day = func.substr(cast(Hearing.starts_at, String), 1, 10)
        reminded = reminder_sent(Hearing.id)
        return (
            select(
                Matter.client_id.label("client_id"), Matter.id.label("matter_id"),
                func.coalesce(User.name, "").label("assignee"),
                (literal("Hearing on ").concat(hearing_day)
                 .concat(" and no reminder letter logged: send the hearing reminder.")).label("note"),
                (literal("hearing-reminder:").concat(cast(Hearing.id, String)).concat(":").concat(hearing_day)
                 .concat(":").concat(bucket)).label("auto_key"),
            )
            .select_from(Hearing)
            .join(Matter, Matter.id == Hearing.matter_id)
            .outerjoin(User, User.id == Matter.responsible_attorney_id)
            .where(Hearing.starts_at >= midnight,
                   Hearing.starts_at < midnight + timedelta(days=steps[-1] + 1),
                   ~reminded)
        )


def _dialect_insert(session: Session) -> Any:
    """INSERT with ON CONFLICT for the database in use (SQLite and PostgreSQL spell it alike)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def close_reminder_follow_ups(session: Session, hearing_ids: Iterable[int], user: str) -> int:
    """The daily check's "send the hearing reminder" follow-ups of these hearings are done once a
    reminder letter is logged for them (in the same transaction as the letter), audited as done."""
    return close_automatic(session, HEARING_REMINDER, hearing_ids, user, "reminder letter printed",
                           "the reminder letter was printed")


def close_retainer_follow_ups(session: Session, matter_ids: Iterable[int], user: str) -> int:
    """The "send the engagement agreement" follow-ups of these matters are done once the matter is
    marked engaged (in that change's transaction)."""
    return close_automatic(session, SEND_RETAINER, matter_ids, user, "engagement agreement signed",
                           "the matter was marked engaged")


def close_eoir_follow_ups(session: Session, matter_ids: Iterable[int], user: str, how: str) -> int:
    """The "verify the case with EOIR" follow-ups of these matters are done once verified (in the
    verification's transaction), with `how` it was verified as their note."""
    return close_automatic(session, EOIR_VERIFY, matter_ids, user, how, how)


def close_automatic(session: Session, rule_id: str, record_ids: Iterable[int], user: str, note: str,
                    why: str) -> int:
    """Mark done the open follow-ups `rule_id` raised about these records (hearings or matters), with
    `note`, each audited. Their keys are `<rule>:<record id>:…`: each record's keys are one range of
    the unique index on auto_key, so this finds them without a scan."""
    ids = sorted(set(record_ids))
    closed = 0
    stamp = now()
    for start in range(0, len(ids), 200):
        ranges = [and_(FollowUp.auto_key >= f"{rule_id}:{record_id}:",
                       FollowUp.auto_key < f"{rule_id}:{record_id};")  # ';' sorts right after ':'
                  for record_id in ids[start:start + 200]]
        rows = session.scalars(select(FollowUp).where(FollowUp.status == "open", or_(*ranges))).all()
        for row in rows:
            row.status = "done"
            row.done_at = stamp
            row.done_by = user
            row.done_note = note
            row.updated_at = stamp
            row.updated_by = user
            audit.record(session, user, "update", "follow_up", row.id, f"Done: {row.note} ({why})",
                         {"status": ["open", "done"], "done_note": ["", note]}, client_id=row.client_id)
        closed += len(rows)
    return closed
