"""Deadlines on matters: trigger events create them through the rule engine, and they are kept for good.

A deadline is never deleted: it is marked done, or - when its trigger date is corrected or the rule
it came from changes - superseded by a recomputed row that points back to it. An attorney may
override a date with a reason; the computed date stays beside it. An attorney may also change the
rules themselves (a firm version of a rule, or a switch that puts a stored version in use): the
open deadlines it reaches are recomputed at once. `apply_event` works inside another service's
transaction (the matter service calls it when a court decision is entered); `DeadlineService` wraps
each user action in its own transaction. Every change writes an audit row in the same transaction.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kantor_cases.db.base import now
from kantor_cases.db.engine import Database
from kantor_cases.db.models import Client, Deadline, DeadlineRuleChange, Matter, RemovalCase, User
from kantor_cases.domain import csv_text
from kantor_cases.domain.agenda_records import MANUAL_EVENT, TRIGGER_EVENTS, DeadlineRecord, TriggerEvent
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.deadline_rules import (
    RULES,
    ComputedDeadline,
    FirmRules,
    Period,
    RuleVersion,
    Unit,
    compute_deadline,
    get_rule,
)
from kantor_cases.domain.errors import NotFoundError, ValidationError
from kantor_cases.domain.names import clean, full_name

from . import audit, restricted
from .base import Service
from .file_writes import atomic_file, write_atomic
from .locations import Locations
from .output_files import check_output_target

__all__ = [
    "LIST_DAYS",
    "DeadlineRow",
    "DeadlineService",
    "apply_event",
    "change_trigger_in",
    "get_event",
    "load_firm_rules",
    "sync_hearing_deadlines",
]

# The filing deadline each hearing type sets, counted back from the hearing (Policy Manual Part II 3.1(b)).
HEARING_RULES = {
    "initial_master": "filing-before-master",
    "master": "filing-before-master",
    "master_reset": "filing-before-master",
    "individual": "filing-before-individual",
}

# The trigger event of a deadline entered from a rule with the user's period or notice date.
ENTERED_EVENT = "entered"

# A computed date's uncertainty is stored at the head of `notes`, so the record can show it apart.
_AMBIGUITY_MARK = "Uncertain: "


def get_event(event: str) -> TriggerEvent:
    found = TRIGGER_EVENTS.get(event.strip().lower()) if isinstance(event, str) else None
    if found is None:
        raise ValidationError(
            {"event": f"Unknown trigger event {event!r}. Known events: {', '.join(TRIGGER_EVENTS)}."}
        )
    return found


def to_record(row: Deadline) -> DeadlineRecord:
    notes, ambiguity = row.notes, None
    if notes.startswith(_AMBIGUITY_MARK):
        head, _, notes = notes.partition("\n\n")
        ambiguity = head[len(_AMBIGUITY_MARK):]
    return DeadlineRecord(
        id=row.id, matter_id=row.matter_id, rule_id=row.rule_id, title=row.title,
        trigger_event=row.trigger_event, trigger_date=row.trigger_date, due=row.due_on,
        raw_due=row.raw_due, computed_due=row.computed_due, rolled=row.rolled_reason or None,
        calendar=row.calendar, citation=row.citation, notes=notes, ambiguity=ambiguity,
        override_reason=row.override_reason, assignee=row.assignee, done_at=row.done_at,
        done_by=row.done_by, done_note=row.done_note, superseded_at=row.superseded_at,
        superseded_by_id=row.superseded_by_id, version=row.version,
    )


# The firm-wide list's spans ("Deadlines — next 30 / 60 / 90 days").
LIST_DAYS = (30, 60, 90)
_VERSION_MARK = "Rule version: "


def rule_version(record: DeadlineRecord) -> str:
    """The rule version a computed deadline was made under ("" for one typed in by hand)."""
    _, found, rest = record.notes.partition(_VERSION_MARK)
    if not found:
        return ""
    return rest.split(", last reviewed", 1)[0].split(".\n", 1)[0].rstrip(".")


def roll_reason(record: DeadlineRecord) -> str:
    """Why the date is not simply trigger + period: a weekend or holiday roll, an alternative date."""
    parts = [part for part in (record.rolled, record.ambiguity and f"Uncertain: {record.ambiguity}") if part]
    return "; ".join(parts)


def status_text(record: DeadlineRecord, today: date) -> str:
    if record.done_at is not None:
        return f"done {record.done_at:%d %b %Y} by {record.done_by}"
    if record.superseded_at is not None:
        return (f"replaced by no. {record.superseded_by_id}" if record.superseded_by_id
                else "withdrawn (kept as history)")
    if record.due < today:
        return f"overdue by {(today - record.due).days} days"
    if record.due == today:
        return "due today"
    return f"open, {(record.due - today).days} days left"


@dataclass(frozen=True)
class DeadlineRow:
    """A deadline as the lists show it: the record, and whose it is (client and matter)."""

    record: DeadlineRecord
    client_id: int
    client_name: str
    matter_title: str
    sensitive: bool

    @property
    def id(self) -> int:
        return self.record.id


def _load_matter(session: Session, matter_id: int) -> Matter:
    matter = session.get(Matter, matter_id)
    if matter is None:
        raise NotFoundError(f"Matter {matter_id} does not exist (it may have been deleted).")
    return matter


def default_assignee(session: Session, matter: Matter, user: str) -> str:
    """The matter's responsible attorney, else whoever is acting: a deadline always has an owner."""
    if matter.responsible_attorney_id is not None:
        name = session.scalar(select(User.name).where(User.id == matter.responsible_attorney_id))
        if name:
            return name
    return user


def mark_activity(session: Session, matter_id: int) -> None:
    """Note activity on the matter (the 60-day inactivity check reads it).

    A bulk UPDATE on purpose: it leaves the matter's version alone, so someone editing the matter
    at the same time is not told their copy is stale because a deadline was ticked off.
    """
    session.execute(
        update(Matter).where(Matter.id == matter_id).values(last_activity_at=now()),
        execution_options={"synchronize_session": False},
    )


def load_firm_rules(session: Session) -> FirmRules:
    """The firm's switches and own rule versions still in force, oldest first."""
    rows = session.scalars(select(DeadlineRuleChange).where(DeadlineRuleChange.withdrawn_at.is_(None))
                           .order_by(DeadlineRuleChange.id))
    switches: set[str] = set()
    versions: list[tuple[str, RuleVersion]] = []
    for row in rows:
        if row.switch:
            switches.add(row.switch)
        elif row.period_amount is not None and row.effective_from is not None:
            versions.append((row.rule_id, RuleVersion(
                row.label, Period(row.period_amount, Unit(row.period_unit)), row.citation,
                effective_from=row.effective_from, last_reviewed=row.created_at.date(), note=row.reason,
                source="firm",
            )))
    return FirmRules(frozenset(switches), tuple(versions))


def computed_columns(computed: ComputedDeadline) -> dict[str, Any]:
    """A computed deadline's columns as a deadline row keeps them (the demo office writes the same)."""
    notes = computed.notes
    if computed.version:
        reviewed = f", last reviewed {computed.last_reviewed:%d %b %Y}" if computed.last_reviewed else ""
        notes += f"\n\nRule version: {computed.version}{reviewed}."
        if computed.version_note:
            notes += f" {computed.version_note}"
    if computed.ambiguity:
        notes = f"{_AMBIGUITY_MARK}{computed.ambiguity}\n\n{notes}"
    return {"rule_id": computed.rule_id, "title": computed.title, "trigger_date": computed.trigger,
            "raw_due": computed.raw_due, "computed_due": computed.due, "due_on": computed.due,
            "rolled_reason": computed.rolled or "", "calendar": " + ".join(computed.calendar_ids),
            "citation": computed.citation, "notes": notes, "override_reason": ""}


def _new_row(matter: Matter, event: str, computed: ComputedDeadline, assignee: str, user: str) -> Deadline:
    return Deadline(matter_id=matter.id, trigger_event=event, assignee=assignee, created_by=user, updated_by=user,
                    **computed_columns(computed))


def _current_rows(session: Session, matter_id: int, event: str, trigger_date: date | None = None) -> list[Deadline]:
    query = select(Deadline).where(
        Deadline.matter_id == matter_id, Deadline.trigger_event == event, Deadline.superseded_at.is_(None),
    )
    if trigger_date is not None:
        query = query.where(Deadline.trigger_date == trigger_date)
    return list(session.scalars(query.order_by(Deadline.id)))


def _audit_created(session: Session, user: str, matter: Matter, row: Deadline, why: str) -> None:
    audit.record(
        session, user, "create", "deadline", row.id,
        f"{why}: {row.title} due {row.due_on:%d %b %Y} ({row.citation}), assigned to {row.assignee}",
        {"due_on": [None, row.due_on], "rule_id": [None, row.rule_id], "trigger_date": [None, row.trigger_date]},
        client_id=matter.client_id,
    )


def _supersede(session: Session, user: str, matter: Matter, old: Deadline, new: Deadline, why: str) -> None:
    """Mark `old` replaced by `new` (both kept) and say in the audit trail what moved and why."""
    stamp = now()
    old.superseded_at = stamp
    old.superseded_by_id = new.id
    old.updated_at = stamp
    old.updated_by = user
    summary = f"{why}: {old.title} now due {new.due_on:%d %b %Y} (was {old.due_on:%d %b %Y})"
    if old.override_reason:
        summary += f"; the override to {old.due_on:%d %b %Y} ({old.override_reason}) was not carried over"
    audit.record(
        session, user, "update", "deadline", old.id, summary,
        {"trigger_date": [old.trigger_date, new.trigger_date], "due_on": [old.due_on, new.due_on],
         "superseded_by_id": [None, new.id]},
        client_id=matter.client_id,
    )


def apply_event(
    session: Session, user: str, matter_id: int, event: str, trigger_date: date,
    assignee: str | None = None, status_change_id: int | None = None,
) -> list[Deadline]:
    """Create the deadlines `event` on `trigger_date` starts, inside the caller's transaction.

    Entering the same event with the same date again changes nothing and returns the deadlines
    already there. For an event that happens once (an IJ decision, a right-to-sue notice) a new
    date replaces the open deadlines of the old one, which are kept as superseded: the latest
    decision or notice is what counts. A recurring event (`TriggerEvent.recurs`: each
    discriminatory act, each pay period) adds deadlines beside the earlier ones. `status_change_id`
    names the court decision that set them off (undoing it takes them back: `withdraw_for_change`).
    """
    spec = get_event(event)
    if not isinstance(trigger_date, date) or isinstance(trigger_date, datetime):
        raise ValidationError({"trigger_date": "Give the date of the event."})
    matter = _load_matter(session, matter_id)
    current = _current_rows(session, matter_id, spec.id)
    owner = clean(assignee) or default_assignee(session, matter, user)
    firm = load_firm_rules(session)
    rows: list[Deadline] = []
    for rule_id in spec.rule_ids:
        of_rule = [row for row in current if row.rule_id == rule_id]
        same = [row for row in of_rule if row.trigger_date == trigger_date]
        if same:
            rows.append(same[0])
            continue
        replaced = [] if spec.recurs else [row for row in of_rule if row.done_at is None]
        # Whoever was on the old deadline stays on it when the date moves.
        row = _new_row(matter, spec.id, compute_deadline(rule_id, trigger_date, firm=firm),
                       replaced[0].assignee if replaced and not assignee else owner, user)
        row.status_change_id = status_change_id
        session.add(row)
        session.flush()
        _audit_created(session, user, matter, row, f"{spec.label} on {trigger_date:%d %b %Y}")
        for old in replaced:
            _supersede(session, user, matter, old, row,
                       f"{spec.label} now on {trigger_date:%d %b %Y} (was {old.trigger_date:%d %b %Y})")
        rows.append(row)
    session.flush()
    mark_activity(session, matter_id)
    return rows


def withdraw_for_change(session: Session, user: str, matter: Matter, change_id: int, why: str) -> list[Deadline]:
    """Take back the deadlines status change `change_id` set off, inside the caller's transaction.

    They are kept as history (superseded with no replacement), and the deadlines they had replaced
    are current again. Refused, changing nothing, when someone has acted on one since: marked it
    done, overridden its date or moved its trigger (that work would be lost without a word).
    """
    created = list(session.scalars(select(Deadline).where(Deadline.status_change_id == change_id)
                                   .order_by(Deadline.id)))
    for row in created:
        acted = ("was marked done" if row.done_at is not None
                 else "had its date overridden" if row.override_reason
                 else "was recomputed since" if row.superseded_at is not None else "")
        if acted:
            raise ValidationError(f"{row.title} (due {row.due_on:%d %b %Y}) {acted}; the status change that "
                                  "set it off can no longer be undone. Record the right status instead.")
    stamp = now()
    ids = [row.id for row in created]
    for row in created:
        row.superseded_at = stamp
        row.updated_at = stamp
        row.updated_by = user
        audit.record(session, user, "update", "deadline", row.id,
                     f"{row.title} (due {row.due_on:%d %b %Y}) withdrawn, kept as history: {why}",
                     {"superseded_at": [None, stamp]}, client_id=matter.client_id)
    if ids:
        for old in session.scalars(select(Deadline).where(Deadline.superseded_by_id.in_(ids))):
            old.superseded_at = None
            old.superseded_by_id = None
            old.updated_at = stamp
            old.updated_by = user
            audit.record(session, user, "update", "deadline", old.id,
                         f"{old.title} (due {old.due_on:%d %b %Y}) current again: {why}",
                         {"superseded_at": [stamp, None]}, client_id=matter.client_id)
    session.flush()
    return created


def hearing_event(hearing_id: int) -> str:
    """The trigger event of the deadlines a hearing sets (a hearing has no row in TRIGGER_EVENTS)."""
    return f"hearing:{hearing_id}"


def sync_hearing_deadlines(
    session: Session, user: str, matter_id: int, hearing_id: int, hearing_type: str | None, day: date | None,
) -> list[Deadline]:
    """Make the hearing's filing deadline match the hearing, inside the caller's transaction.

    Called when a hearing is added, edited or vacated (`hearing_type` None). A new hearing gets its
    deadline; a moved one gets a recomputed row and the old one is kept, superseded; a vacated one (or
    one whose type no longer sets a deadline) keeps its open deadline as history, superseded with no
    replacement. A deadline already done is left alone. A detained respondent's deadlines are set by
    the court, so none is made. Returns the open deadlines of the hearing.
    """
    event = hearing_event(hearing_id)
    matter = _load_matter(session, matter_id)
    custody = session.scalar(select(RemovalCase.custody).where(RemovalCase.matter_id == matter_id))
    wanted = HEARING_RULES.get(hearing_type or "") if custody != "detained" and day is not None else None
    rows = _current_rows(session, matter_id, event)
    label = f"Hearing on {day:%d %b %Y}" if day else "Hearing vacated"
    # Computed once: the firm's rule versions are read once, however many rows the hearing has.
    computed = compute_deadline(wanted, day, firm=load_firm_rules(session)) if wanted and day is not None else None
    kept: list[Deadline] = []
    for old in rows:
        if old.done_at is not None:
            continue
        if old.rule_id == wanted and old.trigger_date == day:
            kept.append(old)
        elif old.rule_id == wanted and computed is not None and day is not None:
            new = _new_row(matter, event, computed, old.assignee, user)
            session.add(new)
            session.flush()
            _audit_created(session, user, matter, new, f"{label} (moved)")
            _supersede(session, user, matter, old, new,
                       f"Hearing moved from {old.trigger_date:%d %b %Y} to {day:%d %b %Y}")
            kept.append(new)
        else:
            stamp = now()
            old.superseded_at = stamp
            old.updated_at = stamp
            old.updated_by = user
            why = "the hearing was vacated" if day is None else "the hearing no longer sets it"
            audit.record(session, user, "update", "deadline", old.id,
                         f"{old.title} (due {old.due_on:%d %b %Y}) kept as history: {why}",
                         {"superseded_at": [None, stamp]}, client_id=matter.client_id)
    done = [row for row in rows if row.done_at is not None]
    if computed is not None and not any(row.rule_id == wanted for row in (*kept, *done)):
        row = _new_row(matter, event, computed, default_assignee(session, matter, user), user)
        session.add(row)
        session.flush()
        _audit_created(session, user, matter, row, label)
        kept.append(row)
    session.flush()
    return kept


def change_trigger_in(
    session: Session, user: str, matter_id: int, event: str, old_date: date, new_date: date,
) -> list[Deadline]:
    """Correct the date of `event`: its open deadlines from `old_date` are recomputed from `new_date`.

    Each old row is marked superseded and points to its replacement. A deadline already done stays
    as it is (the act was done); an override is not carried over, because it was a judgement about
    the old date - the audit row says so.
    """
    spec = get_event(event)
    matter = _load_matter(session, matter_id)
    rows = _current_rows(session, matter_id, spec.id, old_date)
    if not rows:
        raise NotFoundError(
            f"Matter {matter_id} has no deadlines from '{spec.label}' on {old_date:%d %b %Y}."
        )
    if new_date == old_date:
        return [row for row in rows if row.done_at is None]
    replaced: list[Deadline] = []
    firm = load_firm_rules(session)
    for old in rows:
        if old.done_at is not None or not old.rule_id:
            continue
        new = _new_row(matter, spec.id, compute_deadline(old.rule_id, new_date, firm=firm), old.assignee, user)
        session.add(new)
        session.flush()
        _audit_created(session, user, matter, new, f"Recomputed from {new_date:%d %b %Y}")
        _supersede(session, user, matter, old, new,
                   f"{spec.label} moved from {old_date:%d %b %Y} to {new_date:%d %b %Y}")
        replaced.append(new)
    session.flush()
    mark_activity(session, matter_id)
    return replaced


def _stored_version(switch: str) -> tuple[str, RuleVersion]:
    for rule in RULES.values():
        for version in rule.versions:
            if version.switch and version.switch == (switch or "").strip():
                return rule.id, version
    known = sorted(version.switch for rule in RULES.values() for version in rule.versions if version.switch)
    raise ValidationError({"switch": f"Unknown rule switch {switch!r}. Known switches: {', '.join(known)}."})


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the rule changes (a court order, a new regulation …)."})
    return reason


class DeadlineService(Service):
    """Deadline actions, one transaction each; results are `DeadlineRecord`s. The lists (a matter's,
    a client's, the office's next 30/60/90 days) page in SQL and leave out restricted clients the
    acting user may not see; the office's list prints as a PDF and exports as CSV."""

    def __init__(self, database: Database, actor: Callable[[], str], clock: Clock = SYSTEM_CLOCK,
                 locations: Locations | None = None) -> None:
        super().__init__(database, actor, clock)
        self._locations = locations

    def record_event(
        self, matter_id: int, event: str, trigger_date: date, assignee: str | None = None,
    ) -> list[DeadlineRecord]:
        self.require("deadlines.edit")
        with self._db.write() as session:
            rows = apply_event(session, self.user, matter_id, event, trigger_date, assignee)
            return [to_record(row) for row in rows]

    def change_trigger(
        self, matter_id: int, event: str, new_date: date, old_date: date | None = None,
    ) -> list[DeadlineRecord]:
        """Move the trigger date of `event` on a matter; its open deadlines are recomputed.

        `old_date` may be left out when the matter has that event on only one date.
        """
        self.require("deadline.override")
        spec = get_event(event)
        with self._db.write() as session:
            if old_date is None:
                dates = sorted({row.trigger_date for row in _current_rows(session, matter_id, spec.id)
                                if row.trigger_date is not None})
                if not dates:
                    raise NotFoundError(f"Matter {matter_id} has no deadlines from '{spec.label}'.")
                if len(dates) > 1:
                    listed = ", ".join(f"{d:%d %b %Y}" for d in dates)
                    raise ValidationError({"old_date": f"'{spec.label}' was entered on several dates "
                                                       f"({listed}); say which one moves."})
                old_date = dates[0]
            rows = change_trigger_in(session, self.user, matter_id, spec.id, old_date, new_date)
            return [to_record(row) for row in rows]

    def add_from_rule(
        self, matter_id: int, rule_id: str, trigger: date, period_days: int | None = None, due: date | None = None,
        assignee: str | None = None,
    ) -> DeadlineRecord:
        """A deadline from a rule whose period a judge grants or whose date a notice prints (vd-departure,
        uscis-rfe-response, tps-reregistration): computed like any other, with what the user read off the
        order or notice. Entering the rule again replaces the open one (kept, superseded)."""
        self.require("deadlines.edit")
        rule = get_rule(rule_id)
        if not isinstance(trigger, date) or isinstance(trigger, datetime):
            raise ValidationError({"trigger": "Give the date of the order or notice."})
        with self._db.write() as session:
            matter = _load_matter(session, matter_id)
            computed = compute_deadline(rule, trigger, period_days=period_days, due=due,
                                        firm=load_firm_rules(session))
            current = [row for row in _current_rows(session, matter_id, ENTERED_EVENT)
                       if row.rule_id == rule.id and row.done_at is None]
            owner = clean(assignee) or (current[0].assignee if current else default_assignee(session, matter,
                                                                                           self.user))
            row = _new_row(matter, ENTERED_EVENT, computed, owner, self.user)
            session.add(row)
            session.flush()
            _audit_created(session, self.user, matter, row, f"Entered from {rule.id} on {trigger:%d %b %Y}")
            for old in current:
                _supersede(session, self.user, matter, old, row, f"{rule.id} entered again")
            mark_activity(session, matter_id)
            return to_record(row)

    def add_manual(
        self, matter_id: int, title: str, due_on: date, assignee: str | None = None, notes: str = "",
    ) -> DeadlineRecord:
        """A deadline typed in by hand (a court's scheduling order, an agency's letter)."""
        self.require("deadlines.edit")
        title = clean(title)
        if not title:
            raise ValidationError({"title": "Say what is due."})
        with self._db.write() as session:
            matter = _load_matter(session, matter_id)
            row = Deadline(
                matter_id=matter_id, rule_id="", title=title, trigger_event=MANUAL_EVENT, due_on=due_on,
                notes=notes.strip(), assignee=clean(assignee) or default_assignee(session, matter, self.user),
                created_by=self.user, updated_by=self.user,
            )
            session.add(row)
            session.flush()
            _audit_created(session, self.user, matter, row, "Entered by hand")
            mark_activity(session, matter_id)
            return to_record(row)

    def override(
        self, deadline_id: int, new_date: date, reason: str, expected_version: int | None = None,
    ) -> DeadlineRecord:
        """Set the date the office works to; the computed date is kept and the reason audited."""
        self.require("deadline.override")
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": "Say why the computed date is overridden."})
        if not isinstance(new_date, date):
            raise ValidationError({"due": "Give the new due date."})
        with self._db.write() as session:
            row = self._load_current(session, deadline_id)
            self.check_version(row, expected_version, "This deadline")
            before = {"due_on": row.due_on, "override_reason": row.override_reason}
            row.due_on = new_date
            row.override_reason = reason
            self.touch(row)
            session.flush()
            computed = f" (computed {row.computed_due:%d %b %Y})" if row.computed_due else ""
            audit.record(
                session, self.user, "update", "deadline", row.id,
                f"Override: {row.title} due {new_date:%d %b %Y}{computed} because {reason}",
                audit.diff(before, {"due_on": row.due_on, "override_reason": row.override_reason}),
                client_id=self._client_id(session, row),
            )
            mark_activity(session, row.matter_id)
            return to_record(row)

    def assign(self, deadline_id: int, assignee: str, expected_version: int | None = None) -> DeadlineRecord:
        self.require("deadlines.edit")
        assignee = clean(assignee)
        if not assignee:
            raise ValidationError({"assignee": "Say who is on this deadline."})
        with self._db.write() as session:
            row = self._load_current(session, deadline_id)
            self.check_version(row, expected_version, "This deadline")
            if row.assignee == assignee:
                return to_record(row)
            before = row.assignee
            row.assignee = assignee
            self.touch(row)
            session.flush()
            audit.record(
                session, self.user, "update", "deadline", row.id, f"{row.title} assigned to {assignee}",
                {"assignee": [before, assignee]}, client_id=self._client_id(session, row),
            )
            return to_record(row)

    def mark_done(self, deadline_id: int, note: str = "", expected_version: int | None = None) -> DeadlineRecord:
        """Done, never deleted: the row stays with who did it, when and the note."""
        self.require("deadlines.edit")
        with self._db.write() as session:
            row = self._load_current(session, deadline_id)
            self.check_version(row, expected_version, "This deadline")
            if row.done_at is not None:
                raise ValidationError(
                    f"{row.title} was already marked done by {row.done_by} on {row.done_at:%d %b %Y}."
                )
            row.done_at = now()
            row.done_by = self.user
            row.done_note = (note or "").strip()
            self.touch(row)
            session.flush()
            audit.record(
                session, self.user, "update", "deadline", row.id,
                f"Done: {row.title}" + (f" ({row.done_note})" if row.done_note else ""),
                {"done_at": [None, row.done_at], "done_note": ["", row.done_note]},
                client_id=self._client_id(session, row),
            )
            mark_activity(session, row.matter_id)
            return to_record(row)

    def reopen(self, deadline_id: int, expected_version: int | None = None) -> DeadlineRecord:
        """Undo Done (a slip of the key): the deadline is open again; the audit trail keeps both steps."""
        self.require("deadlines.edit")
        with self._db.write() as session:
            row = self._load_current(session, deadline_id)
            self.check_version(row, expected_version, "This deadline")
            if row.done_at is None:
                raise ValidationError(f"{row.title} is not marked done.")
            before = row.done_at
            row.done_at = None
            row.done_by = ""
            row.done_note = ""
            self.touch(row)
            session.flush()
            audit.record(session, self.user, "update", "deadline", row.id, f"Open again: {row.title}",
                         {"done_at": [before, None]}, client_id=self._client_id(session, row))
            return to_record(row)

    def get(self, deadline_id: int) -> DeadlineRecord:
        with self._db.read() as session:
            row = self.load(session, Deadline, deadline_id, "Deadline")
            client_id = session.scalar(select(Matter.client_id).where(Matter.id == row.matter_id))
            restricted.refuse_hidden(session, self.user, client_id, "Deadline", deadline_id)
            return to_record(row)

    def for_matter(self, matter_id: int, include_history: bool = True) -> list[DeadlineRecord]:
        """The matter's deadlines by due date; with the history, superseded rows come too."""
        with self._db.read() as session:
            client_id = session.scalar(select(Matter.client_id).where(Matter.id == matter_id))
            restricted.refuse_hidden(session, self.user, client_id, "Matter", matter_id)
            query = select(Deadline).where(Deadline.matter_id == matter_id)
            if not include_history:
                query = query.where(Deadline.superseded_at.is_(None))
            rows: Sequence[Deadline] = session.scalars(query.order_by(Deadline.due_on, Deadline.id)).all()
            return [to_record(row) for row in rows]

    def count_for(self, matter_id: int | None = None, client_id: int | None = None) -> int:
        """How many deadlines (history included) a matter, or all a client's matters, have."""
        with self._db.read() as session:
            statement = self._of(session, select(func.count()).select_from(Deadline), matter_id, client_id)
            return int(session.execute(statement).scalar_one())

    def page_for(self, offset: int, limit: int, matter_id: int | None = None,
                 client_id: int | None = None) -> list[DeadlineRow]:
        """A matter's (or a client's) deadlines, open ones first by due date, then done and replaced ones."""
        with self._db.read() as session:
            statement = self._of(session, self._rows_statement(), matter_id, client_id)
            history_last = (Deadline.done_at.is_not(None)) | (Deadline.superseded_at.is_not(None))
            statement = statement.order_by(history_last, Deadline.due_on, Deadline.id).offset(offset).limit(limit)
            return [self._row(r) for r in session.execute(statement)]

    def _of(self, session: Session, statement: Any, matter_id: int | None, client_id: int | None) -> Any:
        if (matter_id is None) == (client_id is None):
            raise ValueError("give a matter or a client")  # a programming error
        if matter_id is not None:
            owner = session.scalar(select(Matter.client_id).where(Matter.id == matter_id))
            restricted.refuse_hidden(session, self.user, owner, "Matter", matter_id)
            return statement.where(Deadline.matter_id == matter_id)
        restricted.refuse_hidden(session, self.user, client_id, "Client", client_id)
        return statement.where(Deadline.matter_id.in_(select(Matter.id).where(Matter.client_id == client_id)))

    # -- the office's list: next 30 / 60 / 90 days ---------------------------------------------------------

    def upcoming_count(self, days: int, attorney: str | None = None) -> int:
        """Open deadlines due within `days` days from today, overdue ones included."""
        with self._db.read() as session:
            count = select(func.count()).select_from(Deadline)
            if not attorney:
                return int(session.execute(self._upcoming(session, count, days, None)).scalar_one())
            # ix_deadlines_assignee has no superseded_at: counting the not-done rows there is index-only,
            # and the few superseded ones among them are taken off (24,000 table reads took 250 ms).
            not_done = self._upcoming(session, count, days, attorney, superseded=None)
            superseded = not_done.where(Deadline.superseded_at.is_not(None))
            return int(session.execute(not_done).scalar_one()) - int(session.execute(superseded).scalar_one())

    def upcoming_page(self, days: int, offset: int, limit: int, attorney: str | None = None) -> list[DeadlineRow]:
        """A page of the office's open deadlines due within `days` days, the earliest (overdue) first."""
        with self._db.read() as session:
            # The page's ids first, from an index alone: SQLite evaluates an OFFSET's skipped rows in
            # full, and skipping 40,000 joined rows took 1.3 s.
            ids = self._upcoming(session, select(Deadline.id), days, attorney)
            page_ids = list(session.scalars(ids.order_by(Deadline.due_on, Deadline.id).offset(offset).limit(limit)))
            found = {row.id: row for row in map(self._row, session.execute(
                self._rows_statement().where(Deadline.id.in_(page_ids))))}
            return [found[i] for i in page_ids if i in found]

    def assignees(self) -> list[str]:
        """Who open deadlines are assigned to, for the list's attorney filter."""
        with self._db.read() as session:
            # Read along ix_deadlines_assignee alone (coalesce keeps the planner off ix_deadlines_open_due,
            # whose 56,000 open rows it would visit one by one: 380 ms at 300,000 clients, 7 ms this way).
            # A superseded row counts as open here: at worst a name whose list is empty is offered.
            return list(session.scalars(select(Deadline.assignee).where(
                func.coalesce(Deadline.done_at, Deadline.done_at).is_(None))
                .group_by(Deadline.assignee).order_by(Deadline.assignee)))

    def export_csv(self, days: int, target: Path, attorney: str | None = None, force: bool = False) -> int:
        """The office's list as CSV (cells a spreadsheet would run as a formula start with an
        apostrophe); never over an existing file unless `force`, never over the office's own files.
        Audited; returns the number of deadlines written."""
        self.require("clients.export")
        path = check_output_target(target, self._locations, force=force)
        today = self.clock.today()
        rows = self._all_upcoming(days, attorney)
        with self._db.write() as session:
            with atomic_file(path, shown=target, encoding="utf-8-sig") as handle:
                writer = csv.writer(handle, lineterminator="\r\n")
                writer.writerow(EXPORT_COLUMNS)
                for row in rows:
                    writer.writerow([csv_text.mark(value) for value in _export_cells(row, today)])
            audit.record(session, self.user, "export", "deadline", None,
                         f"exported the deadlines of the next {days} days as CSV ({len(rows)} rows)")
        return len(rows)

    def export_pdf(self, days: int, target: Path, attorney: str | None = None, force: bool = False) -> int:
        """The office's list as a printable PDF, written and audited like `export_csv`."""
        # ReportLab is imported when something is printed, not with the deadlines (start-up).
        from kantor_cases.letters.deadline_list import DeadlineList, deadline_list_pdf

        self.require("clients.export")
        path = check_output_target(target, self._locations, force=force)
        today = self.clock.today()
        rows = self._all_upcoming(days, attorney)
        with self._db.read() as session:
            firm = _firm_name(session)
        listing = DeadlineList(
            firm_name=firm, title=f"Deadlines — next {days} days", until=today + timedelta(days=days),
            scope=f"assigned to {attorney}" if attorney else "the whole office",
            generated_at=self.clock.now(), generated_by=self.user,
            rows=[_pdf_cells(row, today) for row in rows])
        pdf = deadline_list_pdf(listing)
        with self._db.write() as session:
            write_atomic(path, pdf, shown=target)
            audit.record(session, self.user, "export", "deadline", None,
                         f"printed the deadlines of the next {days} days as a PDF ({len(rows)} rows)")
        return len(rows)

    def _all_upcoming(self, days: int, attorney: str | None) -> list[DeadlineRow]:
        with self._db.read() as session:
            statement = self._upcoming(session, self._rows_statement(), days, attorney)
            return [self._row(r) for r in session.execute(statement.order_by(Deadline.due_on, Deadline.id))]

    def _upcoming(self, session: Session, statement: Any, days: int, attorney: str | None,
                  superseded: bool | None = False) -> Any:
        """`statement` narrowed to the deadlines not done, due within `days` days, of `attorney` if
        given, not superseded (`superseded` None: either), of clients the user may see."""
        if not 1 <= days <= 3660:
            raise ValidationError({"days": "Show 1 to 3,660 days."})
        end = self.clock.today() + timedelta(days=days)
        statement = statement.where(Deadline.done_at.is_(None), Deadline.due_on <= end)
        if superseded is not None:
            statement = statement.where(Deadline.superseded_at.is_(None))
        if attorney:
            statement = statement.where(Deadline.assignee == attorney)
        hidden = restricted.hidden_client_ids(session, self.user)
        if hidden:
            statement = statement.where(Deadline.matter_id.not_in(
                select(Matter.id).where(Matter.client_id.in_(hidden))))
        return statement

    @staticmethod
    def _rows_statement() -> Any:
        return (select(Deadline, Matter.client_id, Matter.title, Client.given_name, Client.middle_name,
                       Client.family_name, Client.second_family_name, Client.sensitive)
                .join(Matter, Matter.id == Deadline.matter_id).join(Client, Client.id == Matter.client_id))

    @staticmethod
    def _row(r: Any) -> DeadlineRow:
        deadline, client_id, title, given, middle, family, second, sensitive = r
        return DeadlineRow(to_record(deadline), client_id, full_name(given, middle, family, second), title,
                           bool(sensitive))

    # -- the firm's changes to the rules ---------------------------------------------------------------------

    def firm_rules(self) -> FirmRules:
        with self._db.read() as session:
            return load_firm_rules(session)

    def turn_on_version(self, switch: str, reason: str) -> list[DeadlineRecord]:
        """Put a stored rule version in use (one step, e.g. the 10-day BIA appeal should its vacatur be
        reversed); the open deadlines it reaches are recomputed, the old dates kept as history."""
        rule_id, version = _stored_version(switch)
        reason = _required_reason(reason)
        with self._db.write() as session:
            self.require("deadline_rules.edit", session)
            if switch in load_firm_rules(session).switches:
                raise ValidationError({"switch": f"'{switch}' is already on."})
            row = DeadlineRuleChange(rule_id=rule_id, switch=switch, label=version.label, reason=reason,
                                     created_by=self.user, updated_by=self.user)
            session.add(row)
            session.flush()
            audit.record(session, self.user, "create", "deadline_rule_change", row.id,
                         f"Turned on {rule_id} version '{version.label}' because {reason}", {"switch": [None, switch]})
            return self._recompute_rule(session, rule_id, f"{rule_id} version '{version.label}' turned on")

    def turn_off_version(self, switch: str, reason: str) -> list[DeadlineRecord]:
        """Take a switched-on version out of use again; its row is kept, the deadlines recomputed."""
        rule_id, version = _stored_version(switch)
        reason = _required_reason(reason)
        with self._db.write() as session:
            self.require("deadline_rules.edit", session)
            row = session.scalar(select(DeadlineRuleChange).where(DeadlineRuleChange.switch == switch,
                                                                   DeadlineRuleChange.withdrawn_at.is_(None)))
            if row is None:
                raise ValidationError({"switch": f"'{switch}' is not on."})
            self._withdraw(session, row, f"Turned off {rule_id} version '{version.label}' because {reason}")
            return self._recompute_rule(session, rule_id, f"{rule_id} version '{version.label}' turned off")

    def add_rule_version(
        self, rule_id: str, period: Period, citation: str, effective_from: date, reason: str,
    ) -> list[DeadlineRecord]:
        """The firm's own version of a rule, for triggers from `effective_from` on; the open deadlines it
        reaches are recomputed at once, each old date kept as history. Attorneys only; audited."""
        rule = get_rule(rule_id)
        if rule.due_from_notice or rule.window is not None:
            raise ValidationError({"rule": f"{rule.id} takes its dates from a notice or a window, not a period; "
                                           "override the deadline on the matter instead."})
        if rule.counts_back and period.unit is not Unit.DAYS:
            raise ValidationError({"period": f"{rule.id} is counted back from a hearing in days; give a number "
                                             "of days."})
        citation, reason = citation.strip(), _required_reason(reason)
        if not citation:
            raise ValidationError({"citation": "Give the citation the new period rests on."})
        if not isinstance(effective_from, date) or isinstance(effective_from, datetime):
            raise ValidationError({"effective_from": "Give the first trigger date the new version applies to."})
        label = f"firm version from {effective_from:%d %b %Y}: {period}"
        with self._db.write() as session:
            self.require("deadline_rules.edit", session)
            row = DeadlineRuleChange(rule_id=rule.id, label=label, period_amount=period.amount,
                                     period_unit=str(period.unit), citation=citation, effective_from=effective_from,
                                     reason=reason, created_by=self.user, updated_by=self.user)
            session.add(row)
            session.flush()
            audit.record(session, self.user, "create", "deadline_rule_change", row.id,
                         f"Added {rule.id} {label} ({citation}) because {reason}",
                         {"period": [str(rule.period), str(period)], "effective_from": [None, effective_from]})
            return self._recompute_rule(session, rule.id, f"{rule.id} {label}")

    def withdraw_rule_version(self, change_id: int, reason: str) -> list[DeadlineRecord]:
        """Take a firm version back (kept, marked withdrawn); the deadlines it set are recomputed."""
        reason = _required_reason(reason)
        with self._db.write() as session:
            self.require("deadline_rules.edit", session)
            row = self.load(session, DeadlineRuleChange, change_id, "Rule change")
            if row.withdrawn_at is not None or row.switch:
                raise ValidationError({"change": f"Rule change {change_id} is not a firm version in force."})
            self._withdraw(session, row, f"Withdrew {row.rule_id} {row.label} because {reason}")
            return self._recompute_rule(session, row.rule_id, f"{row.rule_id} {row.label} withdrawn")

    def _withdraw(self, session: Session, row: DeadlineRuleChange, summary: str) -> None:
        row.withdrawn_at = now()
        row.withdrawn_by = self.user
        self.touch(row)
        session.flush()
        audit.record(session, self.user, "update", "deadline_rule_change", row.id, summary,
                     {"withdrawn_at": [None, row.withdrawn_at]})

    def _recompute_rule(self, session: Session, rule_id: str, why: str) -> list[DeadlineRecord]:
        """Recompute the open deadlines of `rule_id` under the firm's rules as they now stand.

        A date that moves gets a new row and the old one is kept, superseded, with an audit row saying
        why; an override is not carried over (it was a judgement about the old date). Rules whose date
        or period the user typed in are left alone: there is nothing to recompute them from.
        """
        rule = get_rule(rule_id)
        if rule.due_from_notice or rule.period_set_by:
            return []
        firm = load_firm_rules(session)
        rows = list(session.scalars(select(Deadline).where(
            Deadline.rule_id == rule_id, Deadline.superseded_at.is_(None), Deadline.done_at.is_(None),
            Deadline.trigger_date.is_not(None)).order_by(Deadline.id)))
        moved: list[DeadlineRecord] = []
        for old in rows:
            assert old.trigger_date is not None
            computed = compute_deadline(rule, old.trigger_date, firm=firm)
            if computed.due == old.computed_due and computed.citation == old.citation:
                continue
            matter = _load_matter(session, old.matter_id)
            new = _new_row(matter, old.trigger_event, computed, old.assignee, self.user)
            session.add(new)
            session.flush()
            _audit_created(session, self.user, matter, new, f"Recomputed: {why}")
            _supersede(session, self.user, matter, old, new, why)
            moved.append(to_record(new))
        session.flush()
        return moved

    # -- helpers -----------------------------------------------------------------------------------------

    def _load_current(self, session: Session, deadline_id: int) -> Deadline:
        row: Deadline = self.load(session, Deadline, deadline_id, "Deadline")
        if row.superseded_at is not None and row.superseded_by_id is None:
            raise ValidationError(f"{row.title} (due {row.due_on:%d %b %Y}) is history: its hearing was vacated "
                                  "or the decision that set it off was undone.")
        if row.superseded_at is not None:
            raise ValidationError(
                f"{row.title} (due {row.due_on:%d %b %Y}) was replaced when its trigger date changed; "
                f"use the current deadline (no. {row.superseded_by_id})."
            )
        return row

    @staticmethod
    def _client_id(session: Session, row: Deadline) -> int | None:
        return session.scalar(select(Matter.client_id).where(Matter.id == row.matter_id))


EXPORT_COLUMNS = ("Due", "Deadline", "Client", "Matter", "Citation", "Rule version", "Computed", "Override reason",
                  "Roll / uncertainty", "Assigned to", "Status", "Client id", "Matter id", "Deadline id")


def _export_cells(row: DeadlineRow, today: date) -> list[str]:
    record = row.record
    return [f"{record.due:%Y-%m-%d}", record.title, row.client_name, row.matter_title, record.citation,
            rule_version(record), f"{record.computed_due:%Y-%m-%d}" if record.computed_due else "",
            record.override_reason, roll_reason(record), record.assignee, status_text(record, today),
            str(row.client_id), str(record.matter_id), str(record.id)]


def _pdf_cells(row: DeadlineRow, today: date) -> tuple[str, ...]:
    cells = _export_cells(row, today)
    cells[0] = f"{row.record.due:%d %b %Y}"
    return tuple(cells[i] for i in (0, 1, 2, 3, 4, 5, 9, 10))


def _firm_name(session: Session) -> str:
    from kantor_cases.db.models import FirmSettings

    firm = session.scalar(select(FirmSettings).limit(1))
    return firm.firm_name if firm is not None and firm.firm_name else "Kantor Cases"
