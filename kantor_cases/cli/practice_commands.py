"""Practice-data commands: clients import/export/show, matters show, search, conflicts, demo."""

from __future__ import annotations

import sys
from dataclasses import asdict
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import click

from kantor_cases.domain import statuses as st
from kantor_cases.domain.permissions import restricted_not_shown as not_shown_line
from kantor_cases.domain.records import ConflictCandidate, ImportReport, plain
from kantor_cases.domain.validation import file_problem, parse_date
from kantor_cases.services import locations as locs
from kantor_cases.services.sign_in import OfficeState, office_state, password_from_file

from . import CliContext, echo_json, pass_cli


def register(cli: click.Group) -> None:
    cli.add_command(clients)
    cli.add_command(matters)
    cli.add_command(search_command)
    cli.add_command(conflicts_command)
    cli.add_command(demo_command)


@click.group()
def clients() -> None:
    """Clients: import, export, show, restrict, unrestrict."""


def _report_json(report: ImportReport) -> dict[str, Any]:
    return {"rows": report.rows, "imported": report.imported, "rejected": report.rejected,
            "duplicates": report.skipped_duplicates, "held_back": report.held_back, "dry_run": report.dry_run,
            "backup": report.backup or None, "problems": [asdict(p) for p in report.problems],
            "duplicate_rows": [asdict(p) for p in report.duplicates],
            "conflict_rows": [asdict(p) for p in report.conflicts],
            "ignored_columns": [p.column for p in report.warnings]}


def _summary(report: ImportReport) -> str:
    """One true sentence about what happened to every row."""
    counts = f"{report.rejected:,} invalid, {report.skipped_duplicates:,} duplicates"
    if report.dry_run:
        return (f"Dry run: {report.rows:,} rows, {report.valid:,} would be imported ({counts}). "
                "Nothing was written.")
    if report.held_back:
        return (f"Nothing was imported: {report.rejected:,} of {report.rows:,} rows are invalid. Fix them, or use "
                f"--skip-invalid to import the {report.valid:,} valid rows.")
    return (f"Imported {report.imported:,} of {report.rows:,} rows ({counts} skipped)."
            + (f" Backup taken first: {report.backup}" if report.backup else ""))


@clients.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows even if some rows are invalid.")
@click.option("--encoding", type=click.Choice(["utf-8", "cp1252"]), default="utf-8", show_default=True,
              help="cp1252: the file was saved by Excel on Windows as plain 'CSV', not 'CSV UTF-8'.")
@click.option("--ignore-extra-columns", is_flag=True, help="Leave out columns the import does not know.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def clients_import(context: CliContext, file: Path, dry_run: bool, skip_invalid: bool, encoding: str,
                   ignore_extra_columns: bool, as_json: bool) -> None:
    """Import clients from a CSV file (all-or-nothing unless --skip-invalid).

    Exit 0 when every row was imported (or, with --dry-run, would be), 1 when any row was rejected
    or is a duplicate, 2 for a usage error or a file that cannot be read whole (not UTF-8, a quote
    that never closes, a column named twice or unknown).
    """
    unreadable = file_problem(file)
    if unreadable:
        raise click.UsageError(unreadable)
    office = context.office()
    run_import = partial(office.client_csv.import_file, file, dry_run=dry_run, skip_invalid=skip_invalid,
                         encoding=encoding, ignore_extra_columns=ignore_extra_columns)
    if as_json or not sys.stderr.isatty():
        report = run_import()
    else:
        # A big file takes seconds: say what is happening on the terminal (Ctrl+C imports nothing).
        click.echo(f"Reading and checking {file.name}…", err=True)
        with click.progressbar(length=1, label="Writing clients", file=sys.stderr) as bar:
            def progress(done: int, total: int) -> bool:
                bar.length = total
                bar.update(done - bar.pos)
                return True

            report = run_import(progress=progress)
    if as_json:
        echo_json(_report_json(report))
    else:
        for warning in report.warnings:
            click.echo(f"column {warning.column}: {warning.reason}")
        for problem in report.problems:
            where = f"row {problem.row}" + (f", column {problem.column}" if problem.column else "")
            click.echo(f"{where}: {problem.reason}")
        for duplicate in report.duplicates:
            click.echo(f"row {duplicate.row}: duplicate, not imported — {duplicate.reason}")
        for conflict in report.conflicts:
            click.echo(f"row {conflict.row}: possible conflict — {conflict.reason}")
        click.echo(_summary(report))
        if report.conflicts:
            count = len(report.conflicts)
            click.echo(f"{count:,} row{'s' if count != 1 else ''} may be someone already in the records (listed "
                       "above); look at them before opening their matters.")
    if report.backup_check is not None:
        # The rows are in; the safety backup's pages passed their check before the commit, and the
        # rest of its check (each table against its indexes) ends now. A failure exits non-zero.
        if not as_json:
            click.echo("Finishing the check of the safety backup…", err=True)
        report.backup_check()
        if not as_json:
            click.echo("The safety backup passed its check.", err=True)
    if report.rejected or report.skipped_duplicates:
        raise click.exceptions.Exit(1)


@clients.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--mask-sensitive", is_flag=True,
              help="Write sensitive clients' names as (confidential) and leave out their A-numbers.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists (the office's own files never).")
@pass_cli
def clients_export(context: CliContext, file: Path, mask_sensitive: bool, force: bool) -> None:
    """Export every client to a CSV file (the same columns import reads).

    A cell that a spreadsheet would run as a formula (it starts with = + - or @) is written with a
    leading apostrophe; import takes it off again.
    """
    office = context.office()
    count = office.client_csv.export_file(file, mask_sensitive=mask_sensitive, force=force)
    click.echo(f"Exported {count:,} clients to {file}" + (", sensitive clients masked." if mask_sensitive else "."))
    not_shown = office.clients.count_not_shown()
    if not_shown:
        click.echo(f"{not_shown_line(not_shown)} (restricted clients you are not named on).")


@clients.command("show")
@click.argument("client_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def clients_show(context: CliContext, client_id: int, as_json: bool) -> None:
    """Show one client with their matters and related persons."""
    office = context.office()
    client = office.clients.view(client_id)
    matter_rows = office.matters.for_client(client_id)
    related = office.clients.related_persons(client_id)
    if as_json:
        echo_json({**plain(client), "full_name": client.full_name, "a_number_display": client.a_number_display,
                   "matters": [plain(m) for m in matter_rows], "related_persons": [plain(r) for r in related]})
        return
    flags = ", ".join(f for f, on in (("detained", client.detained), ("sensitive", client.sensitive)) if on)
    click.echo(f"{client.full_name}  (client {client.id}){'  [' + flags + ']' if flags else ''}")
    for label, value in (("A-number", client.a_number_display), ("Born", client.date_of_birth),
                         ("Country of birth", client.country_of_birth), ("Letters in", client.preferred_language),
                         ("Phone", client.phone), ("E-mail", client.email),
                         ("Address", ", ".join(client.address_lines))):
        if value:
            click.echo(f"  {label + ':':<18}{value}")
    for matter in matter_rows:
        click.echo(f"  Matter {matter.id}: {matter.title} — {matter.firm_status}"
                   + (f" / {st.government_status_label(matter.kind, matter.government_status)}"
                      if matter.government_status else ""))
    for person in related:
        click.echo(f"  Related: {person.name} ({person.relationship}, {person.immigration_status.upper()})")


@clients.command("restrict")
@click.argument("client_id", type=int)
@click.option("--allow", "allow", multiple=True, metavar="USER",
              help="A user who may see the client besides the administrators and the client's responsible "
                   "attorneys (repeat it for more; the list replaces the one before).")
@pass_cli
def clients_restrict(context: CliContext, client_id: int, allow: tuple[str, ...]) -> None:
    """Make a client visible only to the administrators and the people named on them."""
    restriction = context.office().clients.restrict(client_id, list(allow))
    click.echo(f"Client {client_id} is restricted: visible only to administrators"
               + (f" and {', '.join(restriction.people)}." if restriction.people else "."))


@clients.command("unrestrict")
@click.argument("client_id", type=int)
@pass_cli
def clients_unrestrict(context: CliContext, client_id: int) -> None:
    """Make a restricted client visible to every desk again."""
    context.office().clients.unrestrict(client_id)
    click.echo(f"Client {client_id} is no longer restricted.")


@click.group()
def matters() -> None:
    """Matters: show."""


@matters.command("show")
@click.argument("matter_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def matters_show(context: CliContext, matter_id: int, as_json: bool) -> None:
    """Show one matter: statuses with history, removal case, hearings, PD requests, claims."""
    matter = context.office().matters.view(matter_id)
    if as_json:
        echo_json(plain(matter))
        return
    click.echo(f"Matter {matter.id}: {matter.title} for {matter.client_name} (client {matter.client_id})")
    click.echo(f"  Firm status: {matter.firm_status}; opened {matter.opened_on}"
               + (f"; responsible: {matter.responsible_attorney}" if matter.responsible_attorney else ""))
    if matter.government_status:
        click.echo(f"  Court/agency: {st.government_status_label(matter.kind, matter.government_status)}")
    if matter.removal:
        r = matter.removal
        click.echo(f"  Court: {r.court_name or '—'}; judge {r.judge or '—'}; custody {r.custody}; "
                   f"last verified with EOIR: {r.last_verified_on or 'never'}")
    for hearing in matter.hearings:
        click.echo(f"  Hearing {hearing.starts_at:%a %d %b %Y %H:%M} — {st.HEARING_TYPES[hearing.hearing_type]}, "
                   f"{hearing.court_code} {hearing.courtroom}".rstrip())
    for pd in matter.pd_requests:
        click.echo(f"  PD request {pd.id}: {st.PD_STATUS_LABELS[pd.status]} ({st.PD_ACTIONS[pd.action_requested]})")
    if matter.employment:
        e = matter.employment
        click.echo(f"  Employer: {e.employer_name or '—'}; opposing counsel: {e.opposing_counsel_name or '—'}")
        for filing in e.filings:
            click.echo(f"  Filing: {st.AGENCIES[filing.agency]} {filing.number} filed {filing.filed_on or '—'}")
    for benefit in matter.benefits:
        click.echo(f"  {benefit.form} {benefit.receipt_number} — {benefit.status}")
    for change in matter.history:
        click.echo(f"  {change.at:%d %b %Y %H:%M} {change.user_name}: {change.track} "
                   f"{change.from_status or '—'} → {change.to_status}{' — ' + change.note if change.note else ''}")


@click.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def search_command(context: CliContext, text: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Search clients, related persons, matters and organisations the way the front desk types."""
    hits, not_shown = context.office().search.search_counted(" ".join(text), limit=limit)
    if as_json:
        echo_json([plain(h) for h in hits])
        return
    if not hits:
        click.echo("No matches.")
    for hit in hits:
        click.echo(f"{hit.kind:<8} {hit.id:>8}  {hit.name}" + (f"  ({hit.detail})" if hit.detail else ""))
    if not_shown:
        click.echo(f"{not_shown_line(not_shown)}.")


def _date_option(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


@click.command("conflicts")
@click.argument("name", nargs=-1, required=True)
@click.option("--a-number", default="", help="The person's A-number, in any written form.")
@click.option("--dob", default=None, help="Date of birth, YYYY-MM-DD or M/D/YYYY.")
@click.option("--employer", default="", help="The employer (for employment matters).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def conflicts_command(context: CliContext, name: tuple[str, ...], a_number: str, dob: str | None, employer: str,
                      as_json: bool) -> None:
    """Check a prospective client or opposing party against everyone in the records."""
    candidate = ConflictCandidate(" ".join(name), a_number, _date_option(dob), employer)
    report = context.office().conflicts.check(candidate)
    if as_json:
        echo_json({"candidate": plain(candidate), "clear": report.clear,
                   "hits": [plain(h) for h in report.hits]})
        return
    if report.clear:
        click.echo(f"No possible conflicts found for {candidate.name}.")
        return
    click.echo(f"{len(report.hits)} possible conflicts for {candidate.name}:")
    for hit in report.hits:
        whose = f" ({hit.relation})" if hit.relation else ""
        click.echo(f"  {hit.score:>3}%  {hit.kind:<8} {hit.id:>7}  {hit.name}{whose} — {'; '.join(hit.reasons)}")


@click.command("demo")
@click.option("--clients", "count", default=2000, show_default=True, type=click.IntRange(1, 2_000_000))
@click.option("--seed", default=1, show_default=True, type=int)
@pass_cli
def demo_command(context: CliContext, count: int, seed: int) -> None:
    """Fill an office that has no clients yet with a realistic, fictional practice.

    On a new path the demo office is encrypted: --user (default admin) is its administrator, with
    the password from the first line of the file named by KANTOR_CASES_NEW_PASSWORD_FILE (or
    KANTOR_CASES_PASSWORD_FILE), or asked twice on a terminal. An encrypted office is filled signed
    in as --user, an administrator. Every demo user gets that same password: demo only. A plain
    office is filled as it is.
    """
    from kantor_cases.services import demo

    def show(step: str, fraction: float) -> None:
        click.echo(f"\r{fraction:6.1%}  {step}".ljust(60), nl=False, err=True)

    sign_ins = None
    state = office_state(context.locations)
    if state is OfficeState.NEW:
        user = context.user or "admin"
        password = password_from_file(locs.ENV_NEW_PASSWORD_FILE) or password_from_file(locs.ENV_PASSWORD_FILE)
        office, report, sign_ins = demo.set_up_encrypted_demo(
            context.locations, user, password or context.new_password(user), clients=count, seed=seed,
            progress=show)
        office.close()
    elif state is OfficeState.ENCRYPTED:
        office = context.office()
        password = context.password()
        assert password is not None  # the office was signed in to with it
        report, sign_ins = demo.fill_encrypted_demo(office, password, clients=count, seed=seed, progress=show)
    else:
        office = context.office()
        report = demo.generate_demo(office.database, clients=count, seed=seed, progress=show, clock=office.clock)
    click.echo("", err=True)
    click.echo(f"Demo office ready in {report.seconds:.1f} s: {report.clients:,} clients, {report.matters:,} matters, "
               f"{report.hearings:,} hearings, {report.pd_requests:,} PD requests, {report.follow_ups:,} follow-ups.")
    click.echo(f"Database: {office.database.location}")
    if sign_ins is not None:
        click.echo(f"Encrypted. Users: {', '.join(sign_ins.users)} — demo only: every demo user has the same "
                   "password.")
    if sign_ins is not None and sign_ins.recovery_key:
        click.echo(f"Recovery key (shown only this once): {sign_ins.recovery_key}")
