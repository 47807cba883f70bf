"""Deadline, agenda and calendar commands: the rules, a computation, a matter's deadlines, Today, .ics export."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from kantor_cases.domain.agenda_records import (
    SECTION_LABELS,
    TRIGGER_EVENTS,
    AgendaItem,
    DeadlineRecord,
    FollowUpRecord,
)
from kantor_cases.domain.calendars import format_day
from kantor_cases.domain.clock import SYSTEM_CLOCK
from kantor_cases.domain.deadline_rules import (
    RULES,
    FirmRules,
    Period,
    Unit,
    compute_deadline,
    get_rule,
    select_version,
)
from kantor_cases.domain.errors import KantorError
from kantor_cases.domain.follow_up_due import due_date
from kantor_cases.domain.records import plain
from kantor_cases.domain.validation import parse_date

from . import CliContext, echo_json, pass_cli


class DateType(click.ParamType):
    """YYYY-MM-DD (or M/D/YYYY); anything else - "tomorrow", 2026-02-30 - is a usage error, exit 2."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


DATE = DateType()


def register(cli: click.Group) -> None:
    cli.add_command(deadlines)
    cli.add_command(agenda_command)
    cli.add_command(calendar)
    cli.add_command(follow_ups)


@click.group()
def deadlines() -> None:
    """Deadline rules, computations and the deadlines of a matter."""


def _firm_rules(context: CliContext, built_in: bool) -> FirmRules | None:
    """The office's own rule versions and switches, when there is an office to read them from."""
    path = context.locations.database_path
    if built_in or (path is not None and not path.exists()):
        return None
    return context.office().deadlines.firm_rules()


@deadlines.command("rules")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--built-in", is_flag=True, help="Leave out the office's own versions and switches.")
@pass_cli
def deadlines_rules(context: CliContext, as_json: bool, built_in: bool) -> None:
    """List the rules: id, period, calendar, citation, and every version with its dates."""
    stored = _firm_rules(context, built_in)
    firm = stored or FirmRules()
    # The built-in rules are listed without an office, and so by the system's clock.
    today = (context.office().clock if stored is not None else SYSTEM_CLOCK).today()
    rows: list[dict[str, Any]] = []
    for rule in RULES.values():
        versions = [version.as_dict(firm.switches) for version in (*rule.versions, *firm.versions_of(rule.id))]
        in_force = select_version(rule, today, firm)
        rows.append({
            "id": rule.id, "title": rule.title, "period": str(in_force.period) if in_force.period else None,
            "trigger": rule.trigger, "calendar": " + ".join(rule.calendar_ids), "citation": in_force.citation,
            "kind": str(rule.kind), "version_today": in_force.label, "last_reviewed": in_force.last_reviewed.isoformat(),
            "watch": rule.watch or None, "period_set_by": rule.period_set_by or None,
            "due_from_notice": rule.due_from_notice or None, "versions": versions,
        })
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        period = row["period"] or ("set by notice" if row["due_from_notice"] else "window")
        click.echo(f"{row['id']:<24} {period:<16} {row['calendar']:<28} {row['citation']}")
        for version in row["versions"][1:]:
            state = "in use" if version["in_use"] else f"off (switch {version['switch']})"
            click.echo(f"{'':<26}version {version['label']}: {state}")


@deadlines.command("compute")
@click.argument("rule")
@click.option("--trigger", "trigger", type=DATE, required=True, help="The date of the triggering event.")
@click.option("--period", "period_days", type=int, help="The period in days a judge granted (vd-departure).")
@click.option("--due", "due", type=DATE, help="The date printed on the notice (uscis-rfe-response, tps-reregistration).")
@click.option("--built-in", is_flag=True, help="Leave out the office's own versions and switches.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def deadlines_compute(context: CliContext, rule: str, trigger: date, period_days: int | None, due: date | None,
                      built_in: bool, as_json: bool) -> None:
    """Compute RULE's due date for an event on --trigger: the rule version used, the reason it rolled and
    any alternative date."""
    found = get_rule(rule)  # an unknown id is a KantorError: one line, exit 2
    firm = _firm_rules(context, built_in)
    try:
        result = compute_deadline(found, trigger, period_days=period_days, due=due, firm=firm)
    except ValueError as error:  # outside the years the court calendars cover
        raise click.UsageError(str(error)) from None
    if as_json:
        echo_json(result.as_dict())
        return
    click.echo(f"{result.rule_id}: {result.title}")
    lines = [("Trigger", format_day(result.trigger))]
    if result.window_opens:
        lines.append(("Opens", format_day(result.window_opens)))
    lines += [
        ("Due", format_day(result.due)),
        ("Raw date", format_day(result.raw_due)),
        ("Rolled", result.rolled or "no"),
    ]
    if result.alternative_due:
        lines.append(("Or", f"{format_day(result.alternative_due)} (see Uncertain)"))
    lines += [
        ("Version", result.version + (f" (last reviewed {result.last_reviewed:%d %b %Y})" if result.last_reviewed else "")),
        ("Calendar", " + ".join(result.calendar_ids)),
        ("Citation", result.citation),
        ("How", result.explanation),
    ]
    if result.ambiguity:
        lines.append(("Uncertain", result.ambiguity))
    if result.reminders:
        lines.append(("Remind", ", ".join(format_day(day) for day in result.reminders)))
    if result.version_note:
        lines.append(("Watch" if "WATCH" in result.version_note else "Version note", result.version_note))
    lines.append(("Notes", result.notes))
    for label, text in lines:
        click.echo(f"{label + ':':<11}{text}")


@deadlines.command("rule-switch")
@click.argument("switch")
@click.option("--on/--off", "turn_on", required=True, help="Put the stored version in use, or take it out.")
@click.option("--reason", required=True, help="Why (a court order, a new regulation …); it goes in the audit trail.")
@pass_cli
def deadlines_rule_switch(context: CliContext, switch: str, turn_on: bool, reason: str) -> None:
    """Turn a stored rule version on or off (attorneys only); open deadlines it reaches are recomputed."""
    service = context.office().deadlines
    moved = service.turn_on_version(switch, reason) if turn_on else service.turn_off_version(switch, reason)
    click.echo(f"'{switch}' is {'on' if turn_on else 'off'}; {len(moved)} open deadlines recomputed "
               "(the old dates are kept as history).")
    for record in moved:
        click.echo(_deadline_line(record))


@deadlines.command("rule-version")
@click.argument("rule")
@click.option("--period", "amount", type=click.IntRange(1, 3660), required=True, help="The new period.")
@click.option("--unit", type=click.Choice([str(unit) for unit in Unit]), default="days", show_default=True)
@click.option("--citation", required=True, help="What the new period rests on.")
@click.option("--from", "effective_from", type=DATE, required=True, help="The first trigger date it applies to.")
@click.option("--reason", required=True, help="Why; it goes in the audit trail and beside each date.")
@pass_cli
def deadlines_rule_version(context: CliContext, rule: str, amount: int, unit: str, citation: str,
                           effective_from: date, reason: str) -> None:
    """Add the firm's own version of RULE (attorneys only); open deadlines it reaches are recomputed."""
    moved = context.office().deadlines.add_rule_version(rule, Period(amount, Unit(unit)), citation,
                                                        effective_from, reason)
    click.echo(f"Added a firm version of {rule}; {len(moved)} open deadlines recomputed "
               "(the old dates are kept as history).")
    for record in moved:
        click.echo(_deadline_line(record))


def _deadline_line(record: DeadlineRecord) -> str:
    state = "done" if record.done else "superseded" if record.superseded else "open"
    override = f"  (overridden; computed {record.computed_due})" if record.overridden else ""
    return (f"{record.id:>6}  {record.due}  {state:<10} {record.rule_id or 'manual':<22} {record.assignee:<16} "
            f"{record.citation}{override}")


@deadlines.command("list")
@click.argument("matter_id", type=int)
@click.option("--history", is_flag=True, help="Include deadlines replaced by a recomputation.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def deadlines_list(context: CliContext, matter_id: int, history: bool, as_json: bool) -> None:
    """The deadlines of a matter, by due date."""
    records = context.office().deadlines.for_matter(matter_id, include_history=history)
    if as_json:
        echo_json([plain(record) for record in records])
        return
    if not records:
        click.echo(f"Matter {matter_id} has no deadlines.")
    for record in records:
        click.echo(_deadline_line(record))


@deadlines.command("event")
@click.argument("matter_id", type=int)
@click.argument("event", type=click.Choice(list(TRIGGER_EVENTS)))
@click.option("--date", "on", type=DATE, required=True, help="When it happened.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def deadlines_event(context: CliContext, matter_id: int, event: str, on: date, as_json: bool) -> None:
    """Record EVENT on a matter; the deadlines it sets off are created (a new date replaces the old)."""
    records = context.office().deadlines.record_event(matter_id, event, on)
    if as_json:
        echo_json([plain(record) for record in records])
        return
    for record in records:
        click.echo(_deadline_line(record))


@deadlines.command("add")
@click.argument("matter_id", type=int)
@click.argument("rule")
@click.option("--trigger", "trigger", type=DATE, required=True, help="The date of the order or notice.")
@click.option("--period", "period_days", type=int, help="The period in days the judge granted (vd-departure).")
@click.option("--due", "due", type=DATE, help="The date printed on the notice (uscis-rfe-response, tps-reregistration).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def deadlines_add(context: CliContext, matter_id: int, rule: str, trigger: date, period_days: int | None,
                  due: date | None, as_json: bool) -> None:
    """Put RULE's deadline on a matter with the period or date from the order or notice."""
    try:
        record = context.office().deadlines.add_from_rule(matter_id, rule, trigger, period_days, due)
    except ValueError as error:  # outside the years the court calendars cover
        raise click.UsageError(str(error)) from None
    if as_json:
        echo_json(plain(record))
        return
    click.echo(_deadline_line(record))


@deadlines.command("done")
@click.argument("deadline_id", type=int)
@click.option("--note", default="", help="What was done (filed, received, …).")
@pass_cli
def deadlines_done(context: CliContext, deadline_id: int, note: str) -> None:
    """Mark a deadline done (it is kept, never deleted)."""
    record = context.office().deadlines.mark_done(deadline_id, note)
    click.echo(f"Done: {record.title} (due {record.due}).")


def _agenda_line(item: AgendaItem) -> str:
    when = f"{item.starts_at:%Y-%m-%d %H:%M}" if item.starts_at else f"{item.due}      "
    where = f"{item.client_name} (matter {item.matter_id})" if item.matter_id else item.client_name
    text = f"  {when}  {item.kind_label:<9}  {item.title}  —  {where}  [{item.assignee or 'unassigned'}]"
    if item.citation:
        text += f"  {item.citation}"
    return text


@click.command("agenda")
@click.option("--days", type=click.IntRange(1, 3660), default=7, show_default=True,
              help="How many days from today.")
@click.option("--user", "who", metavar="NAME", help="Only this person's items (default: the whole office).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def agenda_command(context: CliContext, days: int, who: str | None, as_json: bool) -> None:
    """Overdue, today and the coming days: deadlines, follow-ups and hearings."""
    office = context.office()
    today = office.clock.today()
    items = office.agenda.agenda(days=days, user=who, today=today)
    if as_json:
        echo_json({"today": today.isoformat(), "days": days, "user": who,
                   "items": [plain(item) for item in items]})
        return
    if not items:
        click.echo("Nothing due." if not who else f"Nothing due for {who}.")
    section = None
    for item in items:
        if item.section != section:
            section = item.section
            click.echo(f"{SECTION_LABELS[section]}:")
        click.echo(_agenda_line(item))


@click.group()
def calendar() -> None:
    """Hearings, deadlines and follow-ups as a calendar."""


@calendar.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--days", type=click.IntRange(1, 3660), default=90, show_default=True,
              help="How many days ahead.")
@click.option("--user", "who", metavar="NAME", help="Only this person's items.")
@click.option("--show-sensitive", is_flag=True, help="Write the full names of sensitive clients too.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists (never the office's own files).")
@pass_cli
def calendar_export(context: CliContext, file: Path, days: int, who: str | None, show_sensitive: bool,
                    force: bool) -> None:
    """Write an .ics file that Outlook and Google Calendar import (importing a newer export updates
    the same events; write it over the old file with --force)."""
    count = context.office().agenda.export_ics(file, days=days, user=who, mask_sensitive=not show_sensitive,
                                               force=force)
    click.echo(f"Wrote {count} events to {file}.")


@click.group("follow-ups")
def follow_ups() -> None:
    """Follow-ups: add one, list them, the office's daily check."""


# `follow-ups list` prints at most this many lines unless asked for more; it always says how many there are.
LIST_LIMIT = 50


def _known_user(office: Any, name: str) -> str:
    """The office's spelling of an active user's name; a name it does not know is refused in a sentence."""
    user = office.settings.user_by_name(name)
    if user is None or not user.active:
        raise KantorError(f"{name} is not an active user of this office; `users list` shows who is.")
    return str(user.name)


def _follow_up_line(record: FollowUpRecord) -> str:
    about = f"matter {record.matter_id}" if record.matter_id else f"client {record.client_id}"
    repeat = f", every {record.recurrence_days} days" if record.recurrence_days else ""
    return (f"  {record.id:>7}  {format_day(record.due)}  {about}  [{record.assignee or 'unassigned'}{repeat}]  "
            f"{record.note.splitlines()[0] if record.note else ''}")


@follow_ups.command("add")
@click.option("--client", "client_id", type=int, help="The client it is about.")
@click.option("--matter", "matter_id", type=int, help="The matter it is about (and so its client).")
@click.option("--note", required=True, help="What needs to be done.")
@click.option("--in", "in_days", type=int, metavar="DAYS", help="Due in DAYS days (0: today).")
@click.option("--due", type=DATE, help="Due on this date.")
@click.option("--assign", "assignee", metavar="USER", help="Whose it is (default: whoever runs the command).")
@click.option("--every", "every_days", type=int, metavar="DAYS", help="Repeat every DAYS days once done.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def follow_ups_add(context: CliContext, client_id: int | None, matter_id: int | None, note: str, in_days: int | None,
                   due: date | None, assignee: str | None, every_days: int | None, as_json: bool) -> None:
    """Add a follow-up about a client or a matter, due in N days or on a date."""
    if (client_id is None) == (matter_id is None):
        raise click.UsageError("Give --client ID or --matter ID (one of the two).")
    office = context.office()
    due_on = due_date(office.clock.today(), in_days, due)
    record = office.follow_ups.create(due_on, note, client_id=client_id, matter_id=matter_id,
                                      assignee=_known_user(office, assignee) if assignee else None,
                                      recurrence_days=every_days)
    if as_json:
        echo_json(plain(record))
        return
    click.echo(f"Added follow-up {record.id} for {record.assignee}, due {format_day(record.due)}.")


@follow_ups.command("list")
@click.option("--user", "who", metavar="USER", help="Only this person's (assigned or escalated to them).")
@click.option("--client", "client_id", type=int, help="Only those about this client (and their matters).")
@click.option("--limit", type=click.IntRange(1, 100_000), default=LIST_LIMIT, show_default=True,
              help="Print at most this many, earliest due first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def follow_ups_list(context: CliContext, who: str | None, client_id: int | None, limit: int, as_json: bool) -> None:
    """Open follow-ups, earliest due first, with how many there are in all."""
    office = context.office()
    if who:
        who = _known_user(office, who)
    if client_id is not None:
        office.clients.get(client_id)  # an unknown client is refused in a sentence, not listed as "0 open"
    total = office.follow_ups.count_open(user=who, client_id=client_id)
    records = office.follow_ups.page_open(who, client_id, None, 0, limit)
    if as_json:
        echo_json({"total": total, "shown": len(records), "follow_ups": [plain(record) for record in records]})
        return
    scope = " and ".join(part for part in (f"for {who}" if who else "", f"about client {client_id}"
                                           if client_id is not None else "") if part) or "in the office"
    if not total:
        click.echo(f"No open follow-ups {scope}.")
        return
    click.echo(f"{total:,} open follow-up{'s' if total != 1 else ''} {scope}"
               + (f"; the first {len(records):,} (--limit for more):" if len(records) < total else ":"))
    for record in records:
        click.echo(_follow_up_line(record))


@follow_ups.command("daily")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def follow_ups_daily(context: CliContext, as_json: bool) -> None:
    """Raise the automatic follow-ups (EOIR check, inactivity, hearing reminders, engagement agreements to
    send) and escalate overdue ones."""
    raised, escalated = context.office().follow_ups.run_daily()
    if as_json:
        echo_json({"eoir_unverified": raised.eoir_unverified, "inactive_matters": raised.inactive_matters,
                   "hearing_reminders": raised.hearing_reminders,
                   "engagements_to_send": raised.engagements_to_send, "escalated": escalated})
        return
    click.echo(f"Raised {raised.total} follow-ups ({raised.eoir_unverified} EOIR checks, "
               f"{raised.inactive_matters} inactive matters, {raised.hearing_reminders} hearing reminders, "
               f"{raised.engagements_to_send} engagement agreements to send); "
               f"escalated {escalated} overdue.")
