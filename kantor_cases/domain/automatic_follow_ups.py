"""The office's automatic follow-ups: which rules raise them, how often, for whom, and when they are due.

The follow-up service raises them in its daily check; Settings → Automatic follow-ups lists the
rules (an attorney may switch one off or hand it to someone other than the matter's responsible
attorney); Today counts them by rule instead of listing thousands of lines. A rule's follow-ups
carry keys that start with the rule's id ("eoir-verify:12:2026-05-30"), so the rule of any
automatic follow-up is read off its key.

The first run of a rule on an office that already holds thousands of matters would put every one
of them on the same day; `spread_due` gives each matter a day of its own over the coming working
weeks instead, by matter id, so the same office always gets the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# The first run of a rule spreads its follow-ups over this many working days (four weeks).
SPREAD_WORKING_DAYS = 20


@dataclass(frozen=True)
class AutomaticRule:
    id: str  # also the start of its follow-ups' auto_key
    label: str  # one of them: "EOIR status check"
    plural: str  # "EOIR status checks"
    raised_when: str
    cadence: str
    closes_when: str
    spread_first_run: bool  # time-critical rules (a hearing's reminder) are never put off


EOIR_VERIFY = "eoir-verify"
INACTIVE = "inactive"
HEARING_REMINDER = "hearing-reminder"
SEND_RETAINER = "send-retainer"
# A matter taken in this many days ago and still not engaged gets its "send the agreement" follow-up.
RETAINER_AFTER_DAYS = 3

RULES: tuple[AutomaticRule, ...] = (
    AutomaticRule(EOIR_VERIFY, "EOIR status check", "EOIR status checks",
                  "An open removal case not verified with EOIR for 7 days",
                  "Weekly, after each verification", "By itself when the case is verified with EOIR (Verify now)", True),
    AutomaticRule(INACTIVE, "inactive matter check", "inactive matter checks",
                  "An open matter with no activity for 60 days",
                  "Once per quiet spell of 60 days", "When someone marks it done", True),
    AutomaticRule(HEARING_REMINDER, "hearing reminder to send", "hearing reminders to send",
                  "A hearing 30, 7 or 1 days away with no reminder letter logged",
                  "At 30, 7 and 1 days before the hearing", "By itself when the hearing reminder letter is printed",
                  False),
    AutomaticRule(SEND_RETAINER, "engagement agreement to send", "engagement agreements to send",
                  f"A matter taken in {RETAINER_AFTER_DAYS} days ago or more and not yet engaged",
                  "Once per matter", "By itself when the matter is marked engaged (the agreement came back signed)",
                  True),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}


def rule_of(auto_key: str | None) -> str | None:
    """The rule id an automatic follow-up's key starts with; None for one a person entered."""
    if not auto_key:
        return None
    rule_id = auto_key.partition(":")[0]
    return rule_id if rule_id in RULES_BY_ID else None


def key_range(rule_id: str) -> tuple[str, str]:
    """Keys of `rule_id`'s follow-ups are >= the first and < the second (';' sorts right after ':'),
    so a rule's follow-ups are one range of the unique index on auto_key."""
    return f"{rule_id}:", f"{rule_id};"


def working_days_from(today: date, count: int) -> list[date]:
    """The first `count` weekdays from `today` (today included when it is one)."""
    days: list[date] = []
    day = today
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def spread_due(today: date, matter_id: int, working_days: int = SPREAD_WORKING_DAYS) -> date:
    """The due date of a first run's follow-up on `matter_id`: one of the next `working_days`
    weekdays, chosen by the matter's id (the same matter always lands on the same day)."""
    return working_days_from(today, working_days)[matter_id % working_days]


@dataclass(frozen=True)
class RuleSetting:
    """How the office runs one rule: on or off, and who gets its follow-ups ("" = each matter's
    responsible attorney)."""

    rule: AutomaticRule
    enabled: bool = True
    assignee: str = ""

    @property
    def assignee_text(self) -> str:
        return self.assignee or "the matter's responsible attorney"


@dataclass(frozen=True)
class RuleCount:
    """Open follow-ups of one rule due by the end of Today's window (snoozed ones left out), exact."""

    rule: AutomaticRule
    overdue: int
    today: int
    upcoming: int

    @property
    def total(self) -> int:
        return self.overdue + self.today + self.upcoming
