"""Deadlines, follow-ups and agenda lines as plain records, and the events that trigger deadlines.

The deadline, follow-up and agenda services hand these to the Today, Follow-ups and Calendar
screens and to the CLI; none of them is tied to a database session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .automatic_follow_ups import RuleCount

# -- trigger events --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriggerEvent:
    """Something that happens on a matter and starts the clock of one or more deadline rules.

    Most events happen once per matter (or the latest one is what counts: a new IJ decision after a
    remand replaces the first one's deadlines). `recurs` marks those that start a clock of their own
    every time - each discrete discriminatory act, each pay period, each unfair labor practice.
    """

    id: str
    label: str
    rule_ids: tuple[str, ...]
    recurs: bool = False


_EVENT_LIST = (
    TriggerEvent("ij_decision", "Immigration judge's decision entered",
                 ("bia-appeal", "ij-motion-reconsider", "ij-motion-reopen")),
    TriggerEvent("in_absentia_order", "Removal ordered in absentia", ("in-absentia-rescission",)),
    TriggerEvent("bia_decision", "BIA decision", ("petition-for-review", "bia-motion-reconsider",
                                                  "bia-motion-reopen")),
    TriggerEvent("vd_granted", "Voluntary departure granted at the conclusion of proceedings", ("vd-bond",)),
    TriggerEvent("last_arrival", "Last arrival in the United States", ("asylum-one-year",)),
    TriggerEvent("discriminatory_act", "Discriminatory act (unlawful practice)", ("eeoc-charge-ca", "crd-complaint"),
                 recurs=True),
    TriggerEvent("eeoc_right_to_sue_received", "EEOC right-to-sue notice received", ("eeoc-suit",)),
    TriggerEvent("crd_right_to_sue_issued", "CRD right-to-sue notice issued", ("crd-suit",)),
    TriggerEvent("termination", "Termination of employment", ("wrongful-termination",)),
    TriggerEvent("unfair_labor_practice", "Unfair labor practice", ("nlrb-charge",), recurs=True),
    TriggerEvent("last_violation", "Last Labor Code violation (PAGA)", ("paga-notice",)),
    TriggerEvent("paga_notice_filed", "PAGA notice filed with the LWDA", ("paga-wait",)),
    TriggerEvent("wages_due", "Wages due (one pay period)", ("wage-claim",), recurs=True),
    TriggerEvent("bia_appeal_filed", "Appeal filed with the BIA (with voluntary departure)", ("vd-bond-proof-bia",)),
    TriggerEvent("bia_briefing_schedule", "BIA briefing schedule issued", ("bia-brief",)),
    TriggerEvent("conditional_residence", "Conditional permanent residence began", ("i751-window",)),
    TriggerEvent("daca_expiry", "Current DACA grant expires", ("daca-renewal-window",)),
    TriggerEvent("public_entity_injury", "Injury by a public entity (Government Claims Act)", ("gov-claim-911",),
                 recurs=True),
    TriggerEvent("motion_received", "Motion or filing received by the immigration court", ("motion-response",),
                 recurs=True),
    TriggerEvent("retaliation", "Retaliatory act (Labor Commissioner)", ("labor-retaliation-98-7",), recurs=True),
)

# Rules that need a date or period only the user has (a judge's grant, a notice's printed date):
# computed with `deadlines compute`, not set off by an event.
USER_INPUT_RULES = frozenset({"vd-departure", "uscis-rfe-response", "tps-reregistration"})

TRIGGER_EVENTS: dict[str, TriggerEvent] = {event.id: event for event in _EVENT_LIST}

# A deadline typed in by hand: no rule, never recomputed.
MANUAL_EVENT = "manual"


# -- deadlines --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRecord:
    """One deadline of a matter, current or part of its history (superseded by a recomputation)."""

    id: int
    matter_id: int
    rule_id: str  # "" for a deadline typed in by hand
    title: str
    trigger_event: str
    trigger_date: date | None
    due: date  # what the office works to: the computed date or the attorney's override
    raw_due: date | None  # trigger + period, before rolling past closed days
    computed_due: date | None  # what the rule gave (kept beside an override)
    rolled: str | None  # why `computed_due` differs from `raw_due`
    calendar: str
    citation: str
    notes: str  # the rule's standing notes
    ambiguity: str | None  # what is uncertain about this date, with the other possible date
    override_reason: str
    assignee: str
    done_at: datetime | None
    done_by: str
    done_note: str
    superseded_at: datetime | None
    superseded_by_id: int | None
    version: int

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def superseded(self) -> bool:
        return self.superseded_at is not None

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)

    @property
    def is_open(self) -> bool:
        return not self.done and not self.superseded


# -- follow-ups --------------------------------------------------------------------------------------------

# The "remind me in N days" buttons.
REMIND_IN_DAYS = (1, 3, 7, 14, 30)
SNOOZE_DAYS = (1, 3, 7)


@dataclass(frozen=True)
class FollowUpRecord:
    id: int
    client_id: int | None
    matter_id: int | None
    client_name: str
    assignee: str
    due: date
    note: str
    status: str  # open / done
    recurrence_days: int | None
    snoozed_until: date | None
    escalated_to: str
    escalated_at: datetime | None
    auto_key: str | None  # set on follow-ups the office raises by itself
    done_at: datetime | None
    done_by: str
    done_note: str
    version: int
    sensitive: bool = False  # the client's: privacy mode masks the name

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def automatic(self) -> bool:
        return self.auto_key is not None


@dataclass(frozen=True)
class AutomaticFollowUps:
    """What one run of the automatic follow-up check raised, by reason."""

    eoir_unverified: int
    inactive_matters: int
    hearing_reminders: int
    stopped: bool = False  # asked to stop before it was through (the window closed); the next run goes on
    engagements_to_send: int = 0

    @property
    def total(self) -> int:
        return self.eoir_unverified + self.inactive_matters + self.hearing_reminders + self.engagements_to_send


# -- the agenda -------------------------------------------------------------------------------------------

OVERDUE = "overdue"
TODAY = "today"
UPCOMING = "upcoming"
# Due after this week, shown because the rule's first reminder day has come (an RFE's 30 days before).
AHEAD = "ahead"
SECTION_LABELS = {OVERDUE: "Overdue", TODAY: "Today", UPCOMING: "This week", AHEAD: "Reminder"}

DEADLINE = "deadline"
FOLLOW_UP = "follow_up"
HEARING = "hearing"
# Today lists at most this many items of each kind (its queries stop there); a busy office can have more.
AGENDA_LIMIT = 300

KIND_LABELS = {DEADLINE: "Deadline", FOLLOW_UP: "Follow-up", HEARING: "Hearing"}


def section_of(day: date, today: date) -> str:
    if day < today:
        return OVERDUE
    if day == today:
        return TODAY
    return UPCOMING


@dataclass(frozen=True)
class AgendaItem:
    """One line of Today or the calendar: a deadline, a follow-up or a hearing."""

    kind: str  # deadline / follow_up / hearing
    id: int
    section: str  # overdue / today / upcoming (relative to the day asked about)
    due: date
    starts_at: datetime | None  # hearings only
    title: str
    client_name: str
    client_id: int | None
    matter_id: int | None
    assignee: str
    citation: str = ""  # deadlines: the rule's citation
    detail: str = ""  # deadlines: why it rolled / what is uncertain; follow-ups: escalation
    location: str = ""  # hearings: the court's address and courtroom
    done: bool = False
    cancelled: bool = False  # deadlines replaced by a recomputation (the calendar export only)
    sensitive: bool = False  # the client is confidential (asylum …): mask the name outside the office
    code: str = ""  # deadlines: the rule id; hearings: the hearing type
    version: int = 0

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def section_label(self) -> str:
        return SECTION_LABELS.get(self.section, self.section)

    @property
    def sort_key(self) -> tuple[date, datetime, str, int]:
        return (self.due, self.starts_at or datetime.combine(self.due, datetime.min.time()), self.kind, self.id)


def reached_limit(items: list[AgendaItem], limit: int) -> bool:
    """Whether some kind (deadline, follow-up, hearing) filled its `limit`: the list may be cut short."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return any(count >= limit for count in counts.values())


@dataclass(frozen=True)
class TodayView:
    """What Today shows: the automatic follow-ups counted by rule, then the items people entered
    (deadlines, hearings, follow-ups), each kind cut at `limit` lines; every count is exact."""

    items: tuple[AgendaItem, ...]
    counts: dict[str, int]  # overdue / today / upcoming: all of them, not only the lines listed
    automatic: tuple[RuleCount, ...]
    listed_all: bool  # False when some kind had more than `limit` lines

    @property
    def total(self) -> int:
        return sum(self.counts.values())
