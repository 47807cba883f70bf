"""The office's deadline rules as data, and the pure computation of a due date from a rule and a trigger.

A computed deadline is the trigger date plus the rule's period, then - if that last day is a day the
forum is closed - rolled forward to the next open day of the rule's calendar(s) (DOMAIN.md §5):

* days: the trigger day is not counted, the last day is (FRAP 26(a)(1)(A), CCP 12, 8 CFR 1001.1(h));
* months and years: the same day number, clamped to the end of a shorter month (31 Jan + 1 month =
  28/29 Feb; 29 Feb + 1 year = 28 Feb) - the earlier of the two possible readings;
* business days: the n-th day after the trigger that is open on every calendar of the rule;
* counted back from a hearing (day 0): a closed day gives the preceding business day as the safe date;
* a window (I-751, DACA renewal): opening and last day counted back from an anchor, never rolled;
* a date printed on a notice (RFE, TPS notice) or a period a judge granted (voluntary departure): the
  user gives it, and the rule still rolls, flags and reminds.

One principle settles every doubtful point: **for a deadline, show the earlier date and say why** - a
missed deadline costs more than an early filing.  The clearest case is a weekday an office closes
*in place of* a weekend holiday (Fri 3 Jul 2026 for Independence Day): FRAP 26(a)(6)(A) and FRCP
6(a)(6)(A) count it as a legal holiday, CCP 12b does for a court clerk's office that is closed all
day, but whether 8 CFR 1001.1(h) (EOIR), the EEOC or the NLRB do is unconfirmed (domain-research §4.2,
§7 item 4).  Each rule therefore lists the calendars whose observed days may extend it
(`observed_days_extend`); for the others the result stops on the observed day and carries the later
date as `alternative_due` with an explanation in `ambiguity`.  A single holiday can be doubtful too
(`doubtful_holidays`: the day after Thanksgiving for a petition for review).  A waiting period
(`paga-wait`) is the mirror image: there the later date is the safe one.

Rules change, so a rule is a list of versions (`RuleVersion`), each covering the trigger dates from
`effective_from` to `effective_until`, with its citation, `last_reviewed` and a note; the trigger date
chooses one (`select_version`) and the result names it.  A stored version with a `switch` is used only
when the firm turns it on; the firm may add its own versions (`FirmRules`, kept by the service layer).

Rule ids are part of the product's interface (CLI and UI); the results carry the rule, citation and
calendar so the attorney can check - and override - every date.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from kantor_cases.domain.calendars import (
    Calendar,
    Closure,
    ClosureKind,
    format_day,
    get_calendar,
    month_abbreviation,
)
from kantor_cases.domain.errors import KantorError, ValidationError

__all__ = [
    "RULES",
    "ComputedDeadline",
    "DeadlineRule",
    "FirmRules",
    "Period",
    "RuleKind",
    "RuleVersion",
    "Unit",
    "UnknownRuleError",
    "Window",
    "add_months",
    "compute_deadline",
    "get_rule",
    "select_version",
]


class Unit(StrEnum):
    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"
    BUSINESS_DAYS = "business_days"


_UNIT_WORDS = {
    Unit.DAYS: ("day", "days"),
    Unit.MONTHS: ("month", "months"),
    Unit.YEARS: ("year", "years"),
    Unit.BUSINESS_DAYS: ("business day", "business days"),
}


@dataclass(frozen=True)
class Period:
    """An amount of a unit: 30 days, 6 months, 1 year, 5 business days."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", Unit(self.unit))  # also accepts "days" etc.
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 1:
            raise ValueError(f"A period needs a whole number of at least 1, not {self.amount!r}.")

    def __str__(self) -> str:
        singular, plural = _UNIT_WORDS[self.unit]
        return f"{self.amount} {singular if self.amount == 1 else plural}"


@dataclass(frozen=True)
class RuleVersion:
    """One version of a rule: what it says for triggers from `effective_from` to `effective_until`.

    A version with a `switch` is stored but dormant: it applies only when the firm turns that switch
    on (a rule struck down before it took effect, kept ready in case the court is reversed). A firm's
    own version (`source` "firm") applies to triggers from its effective date on.
    """

    label: str
    period: Period | None
    citation: str
    effective_from: date | None = None  # the first trigger date it covers (None: any earlier one)
    effective_until: date | None = None  # the last trigger date it covers (None: no end)
    last_reviewed: date = date(2026, 11, 29)
    note: str = ""
    switch: str = ""
    source: str = "built-in"

    def covers(self, trigger: date) -> bool:
        return ((self.effective_from is None or self.effective_from <= trigger)
                and (self.effective_until is None or trigger <= self.effective_until))

    def as_dict(self, switches: frozenset[str] = frozenset()) -> dict[str, str | bool | None]:
        return {
            "label": self.label,
            "period": str(self.period) if self.period else None,
            "citation": self.citation,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "effective_until": self.effective_until.isoformat() if self.effective_until else None,
            "last_reviewed": self.last_reviewed.isoformat(),
            "note": self.note,
            "switch": self.switch or None,
            "in_use": not self.switch or self.switch in switches,
            "source": self.source,
        }


@dataclass(frozen=True)
class FirmRules:
    """What the firm changed: the switches it turned on and its own versions, by rule id."""

    switches: frozenset[str] = frozenset()
    versions: tuple[tuple[str, RuleVersion], ...] = ()  # (rule id, version), oldest first

    def versions_of(self, rule_id: str) -> tuple[RuleVersion, ...]:
        return tuple(version for of_rule, version in self.versions if of_rule == rule_id)


@dataclass(frozen=True)
class Window:
    """A filing window counted back from an anchor date (trigger + period, or the trigger itself)."""

    opens_before: int  # days before the anchor the window opens
    closes_before: int  # days before the anchor its last day is


class RuleKind(StrEnum):
    DEADLINE = "deadline"
    """The last day to act: where the law is unclear, the earlier date is shown."""
    WAITING = "waiting"
    """The end of a period one must wait out before acting: where unclear, the later date is shown."""


@dataclass(frozen=True)
class DeadlineRule:
    """One deadline rule.  `notes` carry the nuances an attorney must see next to the date."""

    id: str
    title: str
    period: Period | None  # None: the due date is printed on a notice (`due_from_notice`) or is the anchor
    trigger: str  # the event the period runs from, in words
    calendar_ids: tuple[str, ...]
    citation: str
    notes: str
    roll_basis: str = ""  # the provision that moves a last day off a closed day
    # Calendars whose OBSERVED days (a weekday closed in place of a weekend holiday) certainly extend
    # this rule; observed days of the other calendars are treated as open (earlier date) and flagged.
    observed_days_extend: tuple[str, ...] = ()
    # Holidays (by name, on any of the rule's calendars) that may or may not extend this rule: the
    # strict reading does not roll past them, and `doubtful_why` says why in the result.
    doubtful_holidays: tuple[str, ...] = ()
    doubtful_why: str = ""
    kind: RuleKind = RuleKind.DEADLINE
    applies_from: date | None = None  # triggers before this date fall under older law
    before_applies_from: str = ""  # what to tell the attorney when they do
    # Who sets the period when a judge or notice does (the rule's period is then only the usual one,
    # and the user gives the real one, up to `max_period_days`).
    period_set_by: str = ""
    max_period_days: int = 0
    due_from_notice: str = ""  # the notice whose printed date is the due date (the user gives it)
    window: Window | None = None
    counts_back: bool = False  # the period ends `period` before the trigger (a hearing: day 0)
    reminder_days: tuple[int, ...] = ()  # remind this many days before the due date
    last_reviewed: date = date(2026, 11, 29)
    # The version the fields above describe, and the rule's other versions (older law, dormant ones).
    version_label: str = "in force"
    effective_from: date | None = None
    effective_until: date | None = None
    other_versions: tuple[RuleVersion, ...] = ()
    watch: str = ""  # a change pending in the courts or the agency that the attorney should watch

    @property
    def versions(self) -> tuple[RuleVersion, ...]:
        """Every version, the one described by the rule's own fields first."""
        own = RuleVersion(self.version_label, self.period, self.citation, self.effective_from,
                          self.effective_until, self.last_reviewed, self.watch)
        return (own, *self.other_versions)

    def __post_init__(self) -> None:
        if not self.calendar_ids:
            raise ValueError(f"Rule {self.id!r} needs at least one calendar.")
        for calendar_id in self.calendar_ids:
            get_calendar(calendar_id)
        if self.period is None and not (self.due_from_notice or self.window):
            raise ValueError(f"Rule {self.id!r} needs a period, a notice date or a window.")
        stray = set(self.observed_days_extend) - set(self.calendar_ids)
        if stray:
            raise ValueError(f"Rule {self.id!r}: observed_days_extend names calendars it does not use: {stray}")


@dataclass(frozen=True)
class ComputedDeadline:
    """A due date with everything needed to check it: rule, citation, calendar, raw date, why it moved."""

    rule_id: str
    title: str
    kind: RuleKind
    period: Period | None  # None: a window anchored on the trigger itself
    trigger: date
    raw_due: date  # trigger + period, before rolling
    due: date
    calendar_ids: tuple[str, ...]
    citation: str
    rolled: str | None  # why `due` differs from `raw_due` (or which closed days were not counted)
    explanation: str  # the whole computation in one line
    notes: str  # the rule's standing notes
    ambiguity: str | None = None  # what is uncertain about *this* date, and the other possible date
    alternative_due: date | None = None  # the date under the other reading (later, for a deadline)
    window_opens: date | None = None  # for a filing window: the first day one may file
    reminders: tuple[date, ...] = ()  # days to remind on before `due`
    version: str = ""  # the label of the rule version used, chosen by the trigger date
    version_note: str = ""  # that version's note (a watch note, a firm's reason)
    last_reviewed: date | None = None

    def as_dict(self) -> dict[str, str | list[str] | None]:
        """JSON-ready values (dates as ISO strings); the CLI prints exactly this."""
        return {
            "rule": self.rule_id,
            "title": self.title,
            "kind": str(self.kind),
            "period": str(self.period) if self.period else None,
            "trigger": self.trigger.isoformat(),
            "raw_due": self.raw_due.isoformat(),
            "due": self.due.isoformat(),
            "calendar": " + ".join(self.calendar_ids),
            "calendars": list(self.calendar_ids),
            "citation": self.citation,
            "rolled": self.rolled,
            "explanation": self.explanation,
            "notes": self.notes,
            "ambiguity": self.ambiguity,
            "alternative_due": self.alternative_due.isoformat() if self.alternative_due else None,
            "window_opens": self.window_opens.isoformat() if self.window_opens else None,
            "reminders": [day.isoformat() for day in self.reminders],
            "version": self.version,
            "version_note": self.version_note,
            "last_reviewed": self.last_reviewed.isoformat() if self.last_reviewed else None,
        }


class UnknownRuleError(KantorError, KeyError):
    """A rule id that is not in `RULES`; the message names the id and lists the valid ones."""

    def __init__(self, rule_id: str) -> None:
        self.rule_id = rule_id
        self.message = f"Unknown deadline rule {rule_id!r}. Valid rule ids: {', '.join(RULES)}."
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would print the message inside quotes
        return self.message


# -- the rules ------------------------------------------------------------------------------------------

_FED = ("federal",)
_CA = ("california-courts",)
_EOIR_OBSERVED = (
    " A weekday EOIR closes in place of a weekend holiday is not treated as extending this deadline "
    "(8 CFR 1001.1(h) does not say; earlier date shown, later one as the alternative)."
)


# Counting back from a hearing, the hearing is day 0 and the day before it day 1 (ch. 3.1(c)(2)).
_HEARING_ROLL_BASIS = "EOIR Policy Manual Part II, ch. 3.1(c)(2)"

_RULE_LIST = (
    DeadlineRule(
        "bia-appeal", "Appeal of an immigration judge's decision to the BIA (EOIR-26)",
        Period(30, Unit.DAYS), "IJ decision: the day it was stated orally, or the day a written decision was mailed",
        _FED, "8 CFR 1003.38(b)",
        "The notice of appeal must be RECEIVED by the BIA within 30 calendar days; mailing it is not filing "
        "(no mailbox rule). No appeal lies from an in-absentia removal order (move to reopen/rescind instead) "
        "or after the appeal was waived." + _EOIR_OBSERVED,
        roll_basis="8 CFR 1003.38(b)",
        last_reviewed=date(2026, 12, 6),
        version_label="30 days (8 CFR 1003.38(b))",
        watch=(
            "WATCH: EOIR's interim final rule of 6 Feb 2026 (91 FR, 'Appellate Procedures for the Board of "
            "Immigration Appeals') cut this period to 10 days for IJ decisions from 9 Mar 2026, but the D.D.C. "
            "(Judge Moss, in the suit of Amica Center for Immigrant Rights and others, filed 26 Feb 2026) "
            "vacated its core, the 10-day period included, on 8 Mar 2026 under the APA, before it took effect "
            "(reported by Reuters, 9 Mar 2026): 30 days applies. If the vacatur is reversed "
            "or stayed, turn on the stored 10-day version (switch 'bia-appeal-10-day')."
        ),
        other_versions=(
            RuleVersion(
                "10 days (EOIR interim final rule, 6 Feb 2026)", Period(10, Unit.DAYS),
                "8 CFR 1003.38(b) as amended by EOIR interim final rule, 91 FR (6 Feb 2026), FR Doc. 2026-02326",
                effective_from=date(2026, 3, 9), last_reviewed=date(2026, 12, 6),
                note=(
                    "Vacated by the D.D.C. on 8 Mar 2026 before it took effect; in use only when the firm turns "
                    "on 'bia-appeal-10-day' (the vacatur reversed or stayed). Applies to IJ decisions from "
                    "9 Mar 2026. The rule kept 30 days for certain asylum cases: check the rule's text before "
                    "relying on 10 days in an asylum appeal."
                ),
                switch="bia-appeal-10-day",
            ),
        ),
    ),
    DeadlineRule(
        "ij-motion-reconsider", "Motion to reconsider before the immigration judge",
        Period(30, Unit.DAYS), "IJ final administrative order", _FED, "8 CFR 1003.23(b)(1)",
        "One motion to reconsider. Filed means received by the immigration court." + _EOIR_OBSERVED,
        roll_basis="8 CFR 1001.1(h)",
    ),
    DeadlineRule(
        "ij-motion-reopen", "Motion to reopen before the immigration judge",
        Period(90, Unit.DAYS), "IJ final administrative order", _FED, "8 CFR 1003.23(b)(1)",
        "One motion to reopen; filing it does NOT toll the 30-day BIA appeal period. In-absentia rescission "
        "and changed-country-conditions asylum motions have their own periods. Filed means received by the "
        "immigration court." + _EOIR_OBSERVED,
        roll_basis="8 CFR 1001.1(h)",
    ),
    DeadlineRule(
        "bia-motion-reconsider", "Motion to reconsider before the BIA",
        Period(30, Unit.DAYS), "mailing (or service) of the BIA decision", _FED, "8 CFR 1003.2(b)(2)",
        "One motion to reconsider; must be received by the BIA. It does not toll the 30-day petition for "
        "review (Stone v. INS, 514 U.S. 386 (1995))." + _EOIR_OBSERVED,
        roll_basis="8 CFR 1001.1(h)",
    ),
    DeadlineRule(
        "bia-motion-reopen", "Motion to reopen before the BIA",
        Period(90, Unit.DAYS), "BIA final administrative decision", _FED, "8 CFR 1003.2(c)(2)",
        "One motion to reopen; must be received by the BIA; does not toll the petition for review. "
        "8 CFR 1003.2(c)(2) is partly confirmed (secondary sources; regulation text not read)." + _EOIR_OBSERVED,
        roll_basis="8 CFR 1001.1(h)",
    ),
    DeadlineRule(
        "in-absentia-rescission", "Motion to reopen to rescind an in-absentia removal order",
        Period(180, Unit.DAYS), "date of the in-absentia removal order", _FED,
        "INA 240(b)(5)(C)(i); 8 CFR 1003.23(b)(4)(ii)",
        "180 days applies when the failure to appear was due to exceptional circumstances. With no proper "
        "notice of the hearing, or when the respondent was in federal or state custody, the motion may be "
        "filed at any time (INA 240(b)(5)(C)(ii)) - this date does not apply to those grounds." + _EOIR_OBSERVED,
        roll_basis="8 CFR 1001.1(h)",
    ),
    DeadlineRule(
        "petition-for-review", "Petition for review in the Ninth Circuit",
        Period(30, Unit.DAYS), "date of the BIA decision (final order of removal)",
        ("federal", "california-courts"), "INA 242(b)(1), 8 USC 1252(b)(1); FRAP 26(a)",
        "Must be RECEIVED by the Ninth Circuit clerk within 30 days. Not tolled by a motion to reopen or "
        "reconsider before the BIA (Stone v. INS); no automatic stay of removal - move for a stay; filing "
        "ends a voluntary departure period. Riley v. Bondi (2025) calls the limit a claim-processing rule, "
        "not jurisdictional: still treat it as strict. FRAP 26(a)(6)(C) also skips the state holidays of "
        "California, where the circuit clerk's principal office is, so the date rolls until a day open on "
        "both calendars. California state holidays that are not court holidays (Admission Day 9 Sep, Lunar "
        "New Year, Genocide Remembrance Day 24 Apr) and the California courts' Friday closures for a "
        "Saturday holiday (CRC 1.11) are not rolled past: the earlier date is shown. Nor is the day after "
        "Thanksgiving: the earlier date is shown, the Monday as the alternative.",
        roll_basis="FRAP 26(a)(1)(C)", observed_days_extend=_FED, last_reviewed=date(2026, 12, 6),
        doubtful_holidays=("Day after Thanksgiving",),
        doubtful_why=(
            "it is a California court holiday (CCP 135) but not a federal one, and whether FRAP 26(a)(6)(C)'s "
            "'day declared a holiday by the state' where the circuit clerk's principal office is takes in a "
            "court-only holiday is not confirmed"
        ),
    ),
    DeadlineRule(
        "asylum-one-year", "Asylum application one-year deadline (I-589)",
        Period(1, Unit.YEARS), "last arrival in the United States", _FED,
        "INA 208(a)(2)(B); 8 CFR 1208.4(a)(2)",
        "Runs from the date of LAST arrival (or 1 Apr 1997 if later). An arrival on 29 Feb ends on 28 Feb "
        "(the earlier reading). Exceptions: changed or extraordinary circumstances, if filed within a "
        "reasonable period (INA 208(a)(2)(D)). Filed means received by USCIS (affirmative) or the "
        "immigration court (defensive). A weekday offices close in place of a weekend holiday is not treated "
        "as a 'legal holiday' of 8 CFR 1208.4(a)(2)(ii) (unconfirmed; earlier date shown).",
        roll_basis="8 CFR 1208.4(a)(2)(ii)",
    ),
    DeadlineRule(
        "vd-bond", "Voluntary departure bond (grant at the conclusion of proceedings)",
        Period(5, Unit.BUSINESS_DAYS), "IJ order granting voluntary departure at the conclusion of proceedings",
        _FED, "8 CFR 1240.26(c)(3)",
        "A bond of at least $500 must be posted with DHS (ICE ERO) within 5 business days of the order, or "
        "the voluntary departure grant lapses into the alternate order of removal. The departure period "
        "itself (up to 60 days) is a separate date. A weekday federal offices close in place of a weekend "
        "holiday is counted as a business day here (earlier date; unconfirmed).",
        roll_basis="8 CFR 1240.26(c)(3)",
    ),
    DeadlineRule(
        "eeoc-charge-ca", "EEOC charge (300 days in California)",
        Period(300, Unit.DAYS),
        "the discriminatory act (each discrete act, e.g. notice of termination; harassment: the last incident)",
        _FED, "42 USC 2000e-5(e)(1); 29 CFR 1601.13",
        "300 days (not 180) because California has a fair-employment agency, the CRD; charges are dual-filed "
        "under the worksharing agreement. ADEA: 300 days only because California has a state age law and "
        "agency (29 USC 626(d)(1)). Each discrete act starts its own period. A weekday federal offices close "
        "in place of a weekend holiday is not treated as extending it (unconfirmed; earlier date shown).",
        roll_basis="EEOC time-limit guidance (next business day)",
    ),
    DeadlineRule(
        "eeoc-suit", "Federal suit after the EEOC notice of right to sue",
        Period(90, Unit.DAYS), "RECEIPT of the EEOC notice of right to sue (by the claimant or counsel)",
        _FED, "42 USC 2000e-5(f)(1)",
        "Runs from RECEIPT of the notice, not its date of issue - by the claimant or the attorney, whichever "
        "is first. If the receipt date is unknown, enter the issue date (the earlier date); courts otherwise "
        "presume receipt a few days after mailing. Computed under FRCP 6(a) on the federal calendar; "
        "FRCP 6(a)(6)(C) would also skip California state holidays (e.g. Cesar Chavez Day) - not rolled past, "
        "so the earlier date is shown.",
        roll_basis="FRCP 6(a)(1)(C)", observed_days_extend=_FED,
    ),
    DeadlineRule(
        "crd-complaint", "CRD (FEHA) administrative complaint",
        Period(3, Unit.YEARS), "the unlawful practice (delayed discovery may extend it)", _CA,
        "Gov. Code 12960(e) (AB 9)",
        "3 years since AB 9 (Stats. 2019, ch. 709, in force 1 Jan 2020), formerly 1 year; AB 9 did not revive "
        "claims that had already lapsed. Subsection letter unconfirmed. The complaint is filed with the CRD, "
        "an agency: a Friday the courts close for a Saturday holiday (CRC 1.11) is not treated as extending "
        "it (earlier date shown).",
        roll_basis="CCP 12a",
        applies_from=date(2019, 1, 1),
        before_applies_from=(
            "The practice predates 2019: AB 9's 3-year period covers only claims still alive on 1 Jan 2020; "
            "under the former 1-year limit this claim may have lapsed - check before relying on this date."
        ),
    ),
    DeadlineRule(
        "crd-suit", "FEHA civil action after the CRD right-to-sue notice",
        Period(1, Unit.YEARS), "ISSUANCE of the CRD right-to-sue notice (its date, not its receipt)", _CA,
        "Gov. Code 12965; Hall v. Goodwill Industries (2011) 193 Cal.App.4th 718",
        "Runs from the date the notice was ISSUED, even if received later (Hall v. Goodwill). May be tolled "
        "while the EEOC investigates a dual-filed charge (Gov. Code 12965) - this date ignores tolling (the "
        "earlier date). Current subsection numbering unconfirmed (renumbered by SB 807, 2021).",
        roll_basis="CCP 12a, 12b", observed_days_extend=_CA,
    ),
    DeadlineRule(
        "nlrb-charge", "NLRB unfair labor practice charge",
        Period(6, Unit.MONTHS), "the unfair labor practice (when the charging party knew or should have known)",
        _FED, "NLRA 10(b), 29 USC 160(b)",
        "The charge must be both FILED with the NLRB regional office AND SERVED on the charged party within "
        "6 months; serve it well before this date. The day of the act is not counted. A weekday federal "
        "offices close in place of a weekend holiday is not treated as extending it (unconfirmed; earlier "
        "date shown).",
        roll_basis="29 CFR 102.2(a)",
    ),
    DeadlineRule(
        "paga-notice", "PAGA notice to the LWDA and the employer",
        Period(1, Unit.YEARS), "the last Labor Code violation", _CA, "CCP 340(a); Labor Code 2699.3(a)(1)",
        "The notice is filed online with the LWDA and sent by certified mail to the employer within the 1-year "
        "limitations period; the period is tolled during the LWDA's 65-day review (see paga-wait) - this date "
        "ignores that tolling (the earlier date). 2024 reforms apply to notices from 19 Jun 2024. An agency "
        "filing: a Friday the courts close for a Saturday holiday is not treated as extending it.",
        roll_basis="CCP 12a",
    ),
    DeadlineRule(
        "paga-wait", "PAGA 65-day LWDA review period",
        Period(65, Unit.DAYS), "the PAGA notice filed with the LWDA (postmark date of the notice)", _CA,
        "Labor Code 2699.3(a)(2)",
        "A WAITING period, not a deadline: the civil action may be filed only after it ends (from the next "
        "day), unless the LWDA says earlier that it will not investigate. Where it is unclear whether a "
        "closed day extends the period, the later date is shown - waiting longer is the safe side.",
        # The LWDA is an agency: whether a court's Friday closure (CRC 1.11) extends its 65 days is
        # unclear, so such a day is left out of the strict reading - and, this being a waiting period,
        # the lenient (later) reading is the one shown.
        roll_basis="CCP 12a", kind=RuleKind.WAITING,
    ),
    DeadlineRule(
        "wrongful-termination", "Wrongful termination in violation of public policy (Tameny)",
        Period(2, Unit.YEARS), "the termination", _CA, "CCP 335.1",
        "2 years from the termination for the common-law claim. Related claims run separately: FEHA through "
        "the CRD (crd-complaint), Labor Code 1102.5 retaliation 3 years (CCP 338(a)). Filed in superior "
        "court, so a Friday the court clerk's office closes for a Saturday holiday extends it (CCP 12b).",
        roll_basis="CCP 12a, 12b", observed_days_extend=_CA,
    ),
    DeadlineRule(
        "wage-claim", "Statutory wage claim (Labor Commissioner or superior court)",
        Period(3, Unit.YEARS), "the day the wages were due (each pay period separately)", _CA, "CCP 338(a)",
        "3 years for statutory claims (minimum wage, overtime, meal and rest premiums, reimbursement, sick "
        "leave); 2 years for an oral promise (CCP 339), 4 years for a written contract (CCP 337), 1 year for "
        "some penalties (CCP 340). Each pay period starts its own clock. May be filed with the Labor "
        "Commissioner, an agency: a Friday the courts close for a Saturday holiday is not treated as "
        "extending it (earlier date shown).",
        roll_basis="CCP 12a",
    ),
    # -- added by issue 14 (checked 6 Dec 2026) -------------------------------------------------------
    DeadlineRule(
        "vd-departure", "Voluntary departure: last day to leave the United States",
        Period(60, Unit.DAYS),
        "the order granting voluntary departure (or the BIA order reinstating it)", _FED,
        "INA 240B(a)(2)(A), (b)(2), 8 USC 1229c; Monsalvo Velázquez v. Bondi, No. 23-929 (U.S. 2025)",
        "The judge grants up to 120 days before the conclusion of proceedings or up to 60 days at the "
        "conclusion: give the period actually granted (--period). A last day on a Saturday, Sunday or legal "
        "holiday moves to the next business day (Monsalvo Velázquez v. Bondi, U.S. Supreme Court, 22 Apr "
        "2025). Overstaying brings a civil penalty and a 10-year bar to most relief (INA 240B(d)); a motion to "
        "reopen or reconsider filed within the period ends the grant; a petition for review ends it too "
        "(8 CFR 1240.26(i))." + _EOIR_OBSERVED,
        roll_basis="Monsalvo Velázquez v. Bondi (2025); 8 CFR 1001.1(h)",
        period_set_by="the immigration judge (or the BIA)", max_period_days=120,
        reminder_days=(30, 14, 7), last_reviewed=date(2026, 12, 6),
    ),
    DeadlineRule(
        "vd-bond-proof-bia", "Proof of the voluntary departure bond to the BIA",
        Period(30, Unit.DAYS), "the filing of the appeal with the BIA (the day the BIA received it)", _FED,
        "8 CFR 1240.26(c)(3)(ii)",
        "Within 30 days of filing the appeal, file proof with the BIA that the voluntary departure bond was "
        "posted with DHS; without it the Board does not reinstate voluntary departure in its final order. Must "
        "be RECEIVED by the BIA." + _EOIR_OBSERVED,
        roll_basis="8 CFR 1001.1(h)", last_reviewed=date(2026, 12, 6),
    ),
    DeadlineRule(
        "bia-brief", "Brief to the BIA",
        Period(21, Unit.DAYS), "the date of the BIA briefing schedule notice", _FED,
        "8 CFR 1003.3(c)(1); EOIR Policy Manual Part III, ch. 4.7",
        "Non-detained: the appealing party has 21 days from the briefing schedule notice, the other party 21 "
        "days from that due date; detained: both file within the same 21 days. The Board's policy is one "
        "extension per party (21 days, however much is asked), if the request is RECEIVED before the brief is "
        "due; a second only in extraordinary circumstances (BIA Practice Manual 4.7(c)). Enter the extended "
        "date as an override. A brief must be received by the BIA." + _EOIR_OBSERVED,
        roll_basis="8 CFR 1001.1(h)", reminder_days=(7,), last_reviewed=date(2026, 12, 6),
    ),
    DeadlineRule(
        "uscis-rfe-response", "Response to a USCIS request for evidence (RFE) or notice of intent to deny (NOID)",
        None, "the date of the RFE or NOID (the response is due on the date printed on it)", _FED,
        "8 CFR 103.2(b)(8)(iv), 103.2(b)(13)",
        "The due date is the one printed on the notice (--due); USCIS grants no extension, and a late or missing "
        "response lets it decide on the record (usually a denial). From 29 Mar 2023 USCIS treats a PAPER "
        "response received the next business day after a Saturday, Sunday or federal holiday as timely; an "
        "online response is not extended - the printed date is shown, the next business day as the "
        "alternative.",
        roll_basis="USCIS Policy Manual update of 29 Mar 2023 (paper filings)",
        due_from_notice="the RFE or NOID", reminder_days=(30, 14, 7), last_reviewed=date(2026, 12, 6),
    ),
    DeadlineRule(
        "i751-window", "Petition to remove conditions on residence (I-751): the filing window",
        Period(2, Unit.YEARS), "the day conditional permanent residence began (the date on the 2-year card)", _FED,
        "INA 216(d)(2)(A); 8 CFR 216.4(a)(1)",
        "File within the 90 days before the second anniversary of conditional residence (the card's expiry). "
        "USCIS returns a petition filed before the window opens. The last day shown is the day before the "
        "anniversary and is not rolled forward (the earlier date). Filing late needs good cause and "
        "extenuating circumstances (8 CFR 216.4(a)(6)); a waiver petition may be filed at any time.",
        window=Window(opens_before=90, closes_before=1), reminder_days=(30, 14, 7),
        last_reviewed=date(2026, 12, 6),
    ),
    DeadlineRule(
        "daca-renewal-window", "DACA renewal: the recommended filing window",
        None, "the expiry date of the current DACA grant and work permit", _FED,
        "USCIS DACA renewal guidance (file 150 to 120 days before expiry)",
        "USCIS recommends filing the renewal between 150 and 120 days before the current grant expires; "
        "that is a recommendation, not a legal deadline, so the last day shown is the end of that window and "
        "is not rolled forward. After expiry, a request within one year still counts as a renewal.",
        window=Window(opens_before=150, closes_before=120), reminder_days=(30, 14, 7),
        last_reviewed=date(2026, 12, 6),
    ),
    DeadlineRule(
        "tps-reregistration", "TPS re-registration (the window of the Federal Register notice)",
        None, "the first day of the re-registration window in the Federal Register notice for the country",
        _FED, "INA 244(c)(3)(C); 8 CFR 244.17; the Federal Register notice for the country",
        "Each country's notice sets its own window: enter its first day as the trigger and its last day "
        "(--due). Late re-registration needs good cause (8 CFR 244.17(b)). A PAPER filing received the next "
        "business day after a Saturday, Sunday or federal holiday is treated as timely by USCIS; an online one "
        "is not - the notice's date is shown, the next business day as the alternative.",
        roll_basis="USCIS Policy Manual update of 29 Mar 2023 (paper filings)",
        due_from_notice="the Federal Register notice", reminder_days=(30, 14, 7),
        last_reviewed=date(2026, 12, 6),
    ),
    DeadlineRule(
        "filing-before-master", "Filings before a master calendar hearing (when a ruling is wanted)",
        Period(15, Unit.DAYS), "the master calendar hearing (day 0)", _FED,
        "EOIR Policy Manual Part II, ch. 3.1(b)(1), 3.1(c)(2); Appendix C",
        "Non-detained: a filing on which a ruling is wanted at or before the master calendar hearing must be "
        "RECEIVED by the court at least 15 days before it; otherwise it may be filed in advance or at the "
        "hearing. Responses are due 10 days after the filing is received (motion-response). Detained: the "
        "court sets the deadline - enter it by hand.",
        roll_basis=_HEARING_ROLL_BASIS, counts_back=True, reminder_days=(7,), last_reviewed=date(2026, 12, 6),
    ),
    DeadlineRule(
        "filing-before-individual", "Filings before an individual (merits) hearing",
        Period(30, Unit.DAYS), "the individual hearing (day 0)", _FED,
        "EOIR Policy Manual Part II, ch. 3.1(b)(2), 3.1(c)(2); Appendix C",
        "Non-detained: filings (applications, evidence, witness lists, briefs) must be RECEIVED by the court at "
        "least 30 days before the individual hearing, except exhibits offered only to rebut or impeach. The "
        "manual said 15 days from Aug 2022; Appendix C now says 30. Detained: the court sets the deadline - "
        "enter it by hand.",
        roll_basis=_HEARING_ROLL_BASIS, counts_back=True, reminder_days=(14, 7), last_reviewed=date(2026, 12, 6),
    ),
    DeadlineRule(
        "motion-response", "Response to a motion or filing before the immigration court",
        Period(10, Unit.DAYS), "the day the immigration court RECEIVED the motion or filing", _FED,
        "EOIR Policy Manual Part II, ch. 3.1(b), 5.12; Appendix C",
        "Due 10 days after the court received the motion or filing; an unanswered motion may be deemed "
        "unopposed. Filed less than 15 days before a master calendar hearing, the response may be made at the "
        "hearing. Detained: the court sets the deadline." + _EOIR_OBSERVED,
        roll_basis="EOIR Policy Manual Part II, ch. 3.1(c)(2)", last_reviewed=date(2026, 12, 6),
    ),
    DeadlineRule(
        "gov-claim-911", "Government claim against a public entity (e.g. a public employer)",
        Period(6, Unit.MONTHS), "accrual of the cause of action (usually the injury or the adverse act)", _CA,
        "Gov. Code 911.2(a) (Government Claims Act)",
        "A claim for death or for injury to a person or to personal property must be presented to the public "
        "entity within 6 months; a claim on any other cause of action within 1 year (Gov. Code 911.2(a)) - "
        "the 6-month date is computed, the earlier one. No suit for damages lies until the claim is rejected "
        "(Gov. Code 945.4); a late claim needs an application within one year (Gov. Code 911.4). FEHA claims "
        "do not need a government claim. The claim goes to the entity, not a court: a Friday the courts "
        "close for a Saturday holiday is not treated as extending it (earlier date shown).",
        roll_basis="CCP 12, 12a", reminder_days=(30, 14, 7), last_reviewed=date(2026, 12, 6),
    ),
    DeadlineRule(
        "labor-retaliation-98-7", "Retaliation complaint to the Labor Commissioner",
        Period(1, Unit.YEARS), "the retaliatory act (discharge, demotion, cut in hours or pay, threat)", _CA,
        "Lab. Code 98.7(a)(1) (AB 1947, Stats. 2020, ch. 344)",
        "1 year since AB 1947 (in force 1 Jan 2021), formerly 6 months; the Labor Commissioner's own summary "
        "page may still say six months. The complaint goes to an agency: a Friday the courts close for a "
        "Saturday holiday is not treated as extending it (earlier date shown).",
        roll_basis="CCP 12a", reminder_days=(30, 14, 7), last_reviewed=date(2026, 12, 6),
        version_label="1 year (AB 1947)", effective_from=date(2021, 1, 1),
        other_versions=(
            RuleVersion(
                "6 months (before AB 1947)", Period(6, Unit.MONTHS), "Lab. Code 98.7(a) (before AB 1947)",
                effective_until=date(2020, 12, 31), last_reviewed=date(2026, 12, 6),
                note=(
                    "An act before 1 Jan 2021: the former 6-month limit is shown, the earlier date. Whether AB "
                    "1947's 1 year reaches an act whose 6 months had not run out by then is not settled here."
                ),
            ),
        ),
    ),
)

RULES: dict[str, DeadlineRule] = {rule.id: rule for rule in _RULE_LIST}


def reminder_horizons() -> dict[int, tuple[str, ...]]:
    """The rules that remind ahead of their due date, by how many days ahead the first reminder comes
    (30: an RFE response, a DACA renewal …; 14: filings before an individual hearing)."""
    horizons: dict[int, list[str]] = {}
    for rule in RULES.values():
        if rule.reminder_days:
            horizons.setdefault(max(rule.reminder_days), []).append(rule.id)
    return {days: tuple(sorted(ids)) for days, ids in sorted(horizons.items())}


def get_rule(rule_id: str) -> DeadlineRule:
    """The rule with this id (case and surrounding spaces ignored); `UnknownRuleError` otherwise."""
    rule = RULES.get(rule_id.strip().lower()) if isinstance(rule_id, str) else None
    if rule is None:
        raise UnknownRuleError(rule_id)
    return rule


# -- the computation ----------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """Same day number `months` later, clamped to the last day of a shorter month."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, _stdlib_calendar.monthrange(year, month)[1]))


def select_version(rule: DeadlineRule, trigger: date, firm: FirmRules | None = None) -> RuleVersion:
    """The version that governs an event on `trigger`: of those in use that cover it, the one in force
    latest (the firm's own, entered later, wins a tie)."""
    firm = firm or FirmRules()
    in_use = [version for version in (*rule.versions, *firm.versions_of(rule.id))
              if not version.switch or version.switch in firm.switches]
    covering = [(version.effective_from or date.min, index, version)
                for index, version in enumerate(in_use) if version.covers(trigger)]
    if not covering:  # a trigger before every version: the earliest one, the closest law there is
        return min(in_use, key=lambda version: version.effective_from or date.min)
    return max(covering, key=lambda item: item[:2])[2]


def compute_deadline(
    rule: str | DeadlineRule, trigger: date, *, period_days: int | None = None, due: date | None = None,
    firm: FirmRules | None = None,
) -> ComputedDeadline:
    """Compute the due date of `rule` (an id or a `DeadlineRule`) for an event on `trigger`.

    The rule version is chosen by the trigger date (`select_version`; `firm` adds the firm's switches
    and own versions) and named in the result. `period_days` is the period a judge granted, for a rule
    whose period a judge sets; `due` the date printed on a notice, for a rule that takes it from one.
    Either given to a rule that does not take it is a `ValidationError`, as is a notice rule without `due`.
    """
    if not isinstance(rule, DeadlineRule):
        rule = get_rule(rule)
    for name, value in (("trigger", trigger), ("due", due)):
        if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
            raise TypeError(f"The {name} must be a date, not {type(value).__name__}.")
    version = select_version(rule, trigger, firm)
    rule = replace(rule, period=version.period, citation=version.citation)
    usual_period = bool(rule.period_set_by) and period_days is None
    rule = _with_given_period(rule, period_days)
    calendars = tuple(get_calendar(calendar_id) for calendar_id in rule.calendar_ids)
    if rule.due_from_notice:
        result = _notice_deadline(rule, calendars, trigger, due)
    elif due is not None:
        raise ValidationError({"due": f"{rule.id} computes its own due date; leave out the due date "
                                      "(an attorney can override it on the matter)."})
    elif rule.window is not None:
        result = _window_deadline(rule, trigger)
    elif rule.counts_back:
        result = _backward_deadline(rule, calendars, trigger)
    elif rule.period is not None and rule.period.unit is Unit.BUSINESS_DAYS:
        result = _business_day_deadline(rule, calendars, trigger)
    else:
        result = _calendar_deadline(rule, calendars, trigger)
    if rule.applies_from is not None and trigger < rule.applies_from:
        ambiguity = " ".join(part for part in (result.ambiguity, rule.before_applies_from) if part)
        result = replace(result, ambiguity=ambiguity or None)
    if usual_period:
        result = replace(result, explanation=f"{result.explanation} (the usual {rule.period}: give the period "
                                                 f"{rule.period_set_by} granted)")
    # A reminder before the clock starts (or the window opens) reminds of nothing.
    start = (result.window_opens if result.window_opens is not None
             else date.min if rule.counts_back else trigger + timedelta(days=1))
    reminders = tuple(result.due - timedelta(days=days) for days in rule.reminder_days
                      if result.due - timedelta(days=days) >= start)
    return replace(result, reminders=reminders, version=version.label, version_note=version.note,
                   last_reviewed=version.last_reviewed)


def _with_given_period(rule: DeadlineRule, period_days: int | None) -> DeadlineRule:
    if period_days is None:
        return rule
    if not rule.period_set_by:
        raise ValidationError({"period": f"{rule.id} has a fixed period ({rule.period}); leave out the period."})
    if isinstance(period_days, bool) or not isinstance(period_days, int) or not 1 <= period_days <= rule.max_period_days:
        raise ValidationError({"period": f"Give the period {rule.period_set_by} granted, 1 to "
                                         f"{rule.max_period_days} days."})
    return replace(rule, period=Period(period_days, Unit.DAYS))


def _notice_deadline(
    rule: DeadlineRule, calendars: tuple[Calendar, ...], trigger: date, due: date | None,
) -> ComputedDeadline:
    """The date printed on a notice; a paper filing due on a closed day may come the next open day."""
    if due is None:
        raise ValidationError({"due": f"{rule.id} is due on the date printed on {rule.due_from_notice}; give "
                                      "that date."})
    if due <= trigger:
        raise ValidationError({"due": f"The due date must come after the trigger date ({format_day(trigger)})."})
    period = Period((due - trigger).days, Unit.DAYS)
    later, skipped = _roll(rule, calendars, due, lenient=True)
    ambiguity = None
    if skipped:
        ambiguity = (
            f"{format_day(due)} is {_reasons(skipped[0][1], calendars)}: a paper filing received on "
            f"{format_day(later)} is treated as timely{_under(rule)}, an online one is not, so the printed date "
            f"is shown. File by {format_day(_previous_open_day(due, calendars))}."
        )
    return ComputedDeadline(
        rule.id, rule.title, rule.kind, period, trigger, due, due, rule.calendar_ids, rule.citation, None,
        f"{format_day(trigger)}: due on the date printed on {rule.due_from_notice}, {format_day(due)}",
        rule.notes, ambiguity, later if skipped else None,
    )


def _backward_deadline(rule: DeadlineRule, calendars: tuple[Calendar, ...], hearing: date) -> ComputedDeadline:
    """A filing due `period` days before a hearing (day 0).

    When that day is closed, the Immigration Court Practice Manual (ch. 3.1(c), 2008 on) construes the
    deadline to fall on the NEXT business day even counting back from a hearing - a day closer to the
    hearing. That reading is shown as the alternative; the date shown is the preceding business day,
    the safe 'file by' date (the earlier date, DOMAIN §5).
    """
    assert rule.period is not None and rule.period.unit is Unit.DAYS
    raw = hearing - timedelta(days=rule.period.amount)
    explanation = f"{format_day(hearing)} (the hearing, day 0) - {rule.period} = {format_day(raw)}"
    closures = _closures_on(raw, calendars)
    if not closures:
        return ComputedDeadline(rule.id, rule.title, rule.kind, rule.period, hearing, raw, raw, rule.calendar_ids,
                                rule.citation, None, explanation, rule.notes)
    safe = _previous_open_day(raw, calendars)
    manual, _ = _roll(rule, calendars, raw, lenient=True)
    rolled = (f"{_ordinal(rule.period.amount)} day before the hearing is {format_day(raw)} "
              f"({_reasons(closures, calendars)}); file by the preceding business day, {format_day(safe)} "
              f"(the safe date; {rule.roll_basis} gives {format_day(manual)})")
    ambiguity = (
        f"{format_day(raw)} is closed. The Practice Manual's ch. 3.1(c) construes a deadline on a Saturday, "
        f"Sunday or legal holiday to fall on the next business day, {format_day(manual)}, even counting back "
        f"from a hearing (as read in the 2008 text; the current wording of {rule.roll_basis} was not re-read "
        "here). Filing that late "
        f"leaves the other side less time before the hearing, so the preceding business day, {format_day(safe)}, "
        "is shown as the safe date."
    )
    return ComputedDeadline(
        rule.id, rule.title, rule.kind, rule.period, hearing, raw, safe, rule.calendar_ids, rule.citation, rolled,
        f"{explanation}; file by {format_day(safe)}", rule.notes, ambiguity, manual,
    )


def _window_deadline(rule: DeadlineRule, trigger: date) -> ComputedDeadline:
    """A window counted back from its anchor; counting back, nothing is rolled (the earlier date)."""
    assert rule.window is not None
    if rule.period is None:
        anchor, how = trigger, f"{format_day(trigger)}"
    else:
        anchor = (trigger + timedelta(days=rule.period.amount) if rule.period.unit is Unit.DAYS
                  else add_months(trigger, rule.period.amount * (12 if rule.period.unit is Unit.YEARS else 1)))
        how = f"{format_day(trigger)} + {rule.period} = {format_day(anchor)}"
    opens = anchor - timedelta(days=rule.window.opens_before)
    due = anchor - timedelta(days=rule.window.closes_before)
    explanation = (f"{how}; the window opens {rule.window.opens_before} days before it, {format_day(opens)}, "
                   f"and its last day is {format_day(due)}")
    return ComputedDeadline(
        rule.id, rule.title, rule.kind, rule.period, trigger, due, due, rule.calendar_ids, rule.citation, None, explanation, rule.notes, window_opens=opens,
    )


_Skipped = list[tuple[date, list[Closure]]]


def _closures_on(day: date, calendars: tuple[Calendar, ...]) -> list[Closure]:
    return [closure for calendar in calendars if (closure := calendar.closure(day)) is not None]


def _extends(rule: DeadlineRule, closure: Closure, lenient: bool) -> bool:
    """Whether this closed day moves (or, for business days, is not counted in) the rule's period.

    Strict reading: weekends and holidays do; an observed day only on the calendars the rule names.
    Lenient reading: every closed day does.  A deadline uses the strict reading (earlier), a waiting
    period the lenient one (later); the other reading gives `alternative_due`.
    """
    if lenient:
        return True
    if _is_doubtful_holiday(rule, closure):
        return False
    if closure.kind is not ClosureKind.OBSERVED:
        return True
    return closure.calendar_id in rule.observed_days_extend


def _is_doubtful_holiday(rule: DeadlineRule, closure: Closure) -> bool:
    return closure.kind is ClosureKind.HOLIDAY and closure.reason in rule.doubtful_holidays


def _is_blocked(rule: DeadlineRule, closures: list[Closure], lenient: bool) -> bool:
    return any(_extends(rule, closure, lenient) for closure in closures)


def _roll(rule: DeadlineRule, calendars: tuple[Calendar, ...], raw: date, lenient: bool) -> tuple[date, _Skipped]:
    day, skipped = raw, []
    while _is_blocked(rule, closures := _closures_on(day, calendars), lenient):
        skipped.append((day, closures))
        day += timedelta(days=1)
    return day, skipped


def _count_business_days(
    rule: DeadlineRule, calendars: tuple[Calendar, ...], trigger: date, lenient: bool,
) -> tuple[date, _Skipped, _Skipped]:
    """The n-th counted day after `trigger`, the closed days not counted, and closed days counted."""
    assert rule.period is not None
    day, counted = trigger, 0
    skipped: _Skipped = []
    counted_closed: _Skipped = []
    while counted < rule.period.amount:
        day += timedelta(days=1)
        closures = _closures_on(day, calendars)
        if _is_blocked(rule, closures, lenient):
            skipped.append((day, closures))
        else:
            counted += 1
            if closures:
                counted_closed.append((day, closures))
    return day, skipped, counted_closed


def _reasons(closures: list[Closure], calendars: tuple[Calendar, ...]) -> str:
    """'Juneteenth', or with several calendars 'Day after Thanksgiving [california-courts]'."""
    by_reason: dict[str, list[str]] = {}
    for closure in closures:
        by_reason.setdefault(closure.reason, []).append(closure.calendar_id)
    parts = []
    for reason, calendar_ids in by_reason.items():
        if len(calendars) > 1 and len(calendar_ids) < len(calendars):
            reason = f"{reason} [{', '.join(calendar_ids)}]"
        parts.append(reason)
    return " / ".join(parts)


def _day_list(days: _Skipped, calendars: tuple[Calendar, ...]) -> str:
    return ", ".join(f"{format_day(day)} ({_reasons(closures, calendars)})" for day, closures in days)


def _ordinal(number: int) -> str:
    suffix = "th" if 11 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _previous_open_day(day: date, calendars: tuple[Calendar, ...]) -> date:
    day -= timedelta(days=1)
    while _closures_on(day, calendars):
        day -= timedelta(days=1)
    return day


def _under(rule: DeadlineRule) -> str:
    return f" under {rule.roll_basis}" if rule.roll_basis else ""


def _calendar_deadline(rule: DeadlineRule, calendars: tuple[Calendar, ...], trigger: date) -> ComputedDeadline:
    period = rule.period
    assert period is not None
    if period.unit is Unit.DAYS:
        raw = trigger + timedelta(days=period.amount)
    else:
        raw = add_months(trigger, period.amount * (12 if period.unit is Unit.YEARS else 1))
    strict, strict_skipped = _roll(rule, calendars, raw, lenient=False)
    lenient, lenient_skipped = _roll(rule, calendars, raw, lenient=True)
    if rule.kind is RuleKind.DEADLINE:
        due, skipped, other = strict, strict_skipped, lenient
    else:
        due, skipped, other = lenient, lenient_skipped, strict

    rolled = None
    if skipped:
        first_day, first_closures = skipped[0]
        if period.unit is Unit.DAYS:
            head = f"{_ordinal(period.amount)} day is {format_day(first_day)}"
        else:
            head = f"{period} after the trigger is {format_day(first_day)}"
        rolled = f"{head} ({_reasons(first_closures, calendars)})"
        if len(skipped) > 1:
            rolled += f"; also closed: {_day_list(skipped[1:], calendars)}"
        rolled += f"; rolled to {format_day(due)}" + (f" ({rule.roll_basis})" if rule.roll_basis else "")

    explanation = f"{format_day(trigger)} + {period} = {format_day(raw)}"
    if period.unit is not Unit.DAYS and raw.day != trigger.day:
        explanation += f" (there is no {trigger.day} {month_abbreviation(raw.month)} {raw.year}: month-end)"
    if due != raw:
        explanation += f"; due {format_day(due)}"

    ambiguity = None
    if other != due and rule.kind is RuleKind.DEADLINE:
        closures = _closures_on(due, calendars)
        if any(_is_doubtful_holiday(rule, closure) for closure in closures):
            doubt = f"{rule.doubtful_why}, so the earlier date is shown"
            counts = "that day does count"
        else:
            doubt = (f"offices close that day in place of a weekend holiday, but whether such a day extends this "
                     f"deadline{_under(rule)} is not confirmed, so the earlier date is shown")
            counts = "the observed day does count"
        ambiguity = (
            f"{format_day(due)} is {_reasons(closures, calendars)}: {doubt}. File by "
            f"{format_day(_previous_open_day(due, calendars))}, or electronically on {format_day(due)}; if "
            f"{counts}, the last day is {format_day(other)}."
        )
    elif other != due:
        uncertain = [(day, closures) for day, closures in lenient_skipped
                     if not _is_blocked(rule, closures, lenient=False)]
        ambiguity = (
            f"The period was rolled past {_day_list(uncertain, calendars)}, a day closed only in place of a "
            f"weekend holiday; if that does not extend it, the period ends {format_day(other)}. The later "
            "date is shown because waiting longer is the safe side."
        )
    return ComputedDeadline(
        rule.id, rule.title, rule.kind, period, trigger, raw, due, rule.calendar_ids, rule.citation,
        rolled, explanation, rule.notes, ambiguity, other if other != due else None,
    )


def _business_day_deadline(
    rule: DeadlineRule, calendars: tuple[Calendar, ...], trigger: date,
) -> ComputedDeadline:
    strict = _count_business_days(rule, calendars, trigger, lenient=False)
    lenient = _count_business_days(rule, calendars, trigger, lenient=True)
    chosen, other = (strict, lenient) if rule.kind is RuleKind.DEADLINE else (lenient, strict)
    due, skipped, counted_closed = chosen

    # Weekends go without saying; name the weekdays that were not counted.
    holidays = [(day, closures) for day, closures in skipped if day.weekday() < 5]
    rolled = None
    if holidays:
        rolled = f"counted {rule.period}; not counted: {_day_list(holidays, calendars)}"

    ambiguity = None
    if other[0] != due and rule.kind is RuleKind.DEADLINE:
        ambiguity = (
            f"Counted as business days although offices close in place of a weekend holiday: "
            f"{_day_list(counted_closed, calendars)}. Whether such a day is a business day{_under(rule)} is not "
            f"confirmed, so the earlier date is shown; if it is not, the last day is {format_day(other[0])}."
        )
    elif other[0] != due:
        ambiguity = (
            f"Not counted although offices close only in place of a weekend holiday: "
            f"{_day_list(other[2], calendars)}; if they count, the period ends {format_day(other[0])}. "
            "The later date is shown because waiting longer is the safe side."
        )
    explanation = f"{rule.period} after {format_day(trigger)}: {format_day(due)}"
    return ComputedDeadline(
        rule.id, rule.title, rule.kind, rule.period, trigger, due, due, rule.calendar_ids, rule.citation,
        rolled, explanation, rule.notes, ambiguity, other[0] if other[0] != due else None,
    )

