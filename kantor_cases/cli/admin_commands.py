"""Database housekeeping commands: db status/upgrade, backup, restore, check."""

from __future__ import annotations

from pathlib import Path

import click

from kantor_cases.db.backup import RotationPolicy
from kantor_cases.db.integrity import damage_message
from kantor_cases.db.startup import open_database
from kantor_cases.domain.errors import DamagedDatabaseError, KantorError
from kantor_cases.domain.validation import file_problem

from . import CliContext, echo_json, pass_cli


def register(cli: click.Group) -> None:
    cli.add_command(db)
    cli.add_command(backup_command)
    cli.add_command(restore_command)
    cli.add_command(check_command)


@click.group()
def db() -> None:
    """Database status and upgrades."""


@db.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def db_status(context: CliContext, as_json: bool) -> None:
    """Show the database, its schema revision and the SQLite version."""
    status = context.office().status()
    if as_json:
        echo_json(status)
        return
    click.echo(f"Database:  {status['database']}")
    click.echo(f"Revision:  {status['revision']} (this version's head: {status['head']})")
    if status["sqlite_version"]:
        click.echo(f"SQLite:    {status['sqlite_version']}")
    else:
        click.echo(f"Engine:    {status['dialect']}")


@db.command("upgrade")
@pass_cli
def db_upgrade(context: CliContext) -> None:
    """Bring the database up to this version's schema (a backup is taken first)."""
    database = open_database(context.locations.database, context.locations.backups)
    try:
        if database.damage():
            raise DamagedDatabaseError(damage_message(database.location))
    finally:
        database.dispose()
    click.echo(f"{database.location} is up to date.")


@click.command("backup")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the backup to this file.")
@click.option("--list", "list_only", is_flag=True, help="List existing backups (and the rotation) instead.")
@click.option("--if-changed", is_flag=True,
              help="Only if the data changed since the newest backup (an automatic backup, rotated).")
@click.option("--keep-hourly", type=click.IntRange(0, 10_000), help="Automatic backups kept: one per hour, this many.")
@click.option("--keep-daily", type=click.IntRange(0, 10_000), help="… one per day, this many.")
@click.option("--keep-weekly", type=click.IntRange(0, 10_000), help="… one per week, this many.")
@click.option("--keep-monthly", type=click.IntRange(0, 10_000), help="… one per month, this many.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def backup_command(context: CliContext, out: Path | None, list_only: bool, if_changed: bool,
                   keep_hourly: int | None, keep_daily: int | None, keep_weekly: int | None,
                   keep_monthly: int | None, as_json: bool) -> None:
    """Take an online backup, verified by opening it and running quick_check.

    The --keep-* options store how many automatic backups (every 30 minutes while the window is
    open, and at exit) are kept; backups you take yourself, and the safety copies before an
    import, restore or upgrade, are never deleted.
    """
    office = context.office()
    keep = {"hourly": keep_hourly, "daily": keep_daily, "weekly": keep_weekly, "monthly": keep_monthly}
    if any(value is not None for value in keep.values()):
        if not office.backups.supported:
            raise click.UsageError("A shared PostgreSQL database is backed up on the server, not from this desk.")
        policy = office.backups.automatic.set_policy(**keep)
        if not as_json:
            click.echo(f"Keeping {_policy_text(policy)}.")
    if list_only:
        backups = office.backups.list()
        if as_json:
            echo_json([{"file": str(b.path), "taken_at": b.taken_at.isoformat(), "size": b.size,
                        "reason": b.reason} for b in backups])
            return
        if office.backups.supported:
            status = office.backups.automatic.status()
            click.echo(f"{status.text}{' (older than a day: back up now)' if status.old else ''}; "
                       f"automatic backups keep {_policy_text(office.backups.policy)}.")
        if not backups:
            click.echo(f"No backups yet in {office.backups.folder}.")
        for info in backups:
            click.echo(f"{info.taken_at:%Y-%m-%d %H:%M:%S}  {info.size / 1_048_576:8.1f} MB  "
                       f"{info.reason:<24} {info.path}")
        return
    if if_changed:
        if out is not None:
            raise click.UsageError("--if-changed takes an automatic backup into the backups folder; drop --out.")
        outcome = office.backups.automatic.back_up_if_changed("auto")
        if as_json:
            echo_json({"taken": outcome.taken, "file": str(outcome.path or ""), "rows": outcome.row_counts or {},
                       "skipped": outcome.skipped})
        elif outcome.taken:
            click.echo(f"Backup written and verified: {outcome.path}")
        else:
            click.echo(f"No backup taken: {outcome.skipped}.")
        return
    if out is not None and out.exists():
        raise click.UsageError(f"{out} already exists; choose a new file name.")
    result = office.backups.back_up(out)
    if as_json:
        echo_json({"file": str(result.path), "rows": result.row_counts})
        return
    click.echo(f"Backup written and verified: {result.path}")


def _policy_text(policy: RotationPolicy) -> str:
    return (f"{policy.hourly} hourly, {policy.daily} daily, {policy.weekly} weekly and {policy.monthly} monthly "
            "automatic backups")


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_cli
def restore_command(context: CliContext, file: Path, yes: bool) -> None:
    """Replace the current database with a backup (a safety backup is taken first)."""
    problem = file_problem(file)
    if problem:
        raise click.UsageError(problem)
    office = context.office()
    if not yes:
        click.confirm(f"Replace everything in {office.database.location} with {file}?", abort=True)
    result = office.backups.restore(file)
    click.echo(f"Restored from {file}. The data that was there is kept in {result.path}.")


@click.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def check_command(context: CliContext, as_json: bool) -> None:
    """Run integrity_check and foreign_key_check; exit 1 if anything is wrong.

    With --json the answer is always JSON, also for a file that cannot be opened at all: exit 1 when
    it is damaged, 2 when it cannot be checked (missing, empty, locked, read-only)."""
    try:
        problems = context.office().check()
    except KantorError as error:
        if not as_json:
            raise
        echo_json({"ok": False, "damaged": isinstance(error, DamagedDatabaseError), "problems": [str(error)]})
        raise click.exceptions.Exit(1 if isinstance(error, DamagedDatabaseError) else 2) from None
    if as_json:
        echo_json({"ok": not problems, "damaged": bool(problems), "problems": problems})
    elif problems:
        for line in problems:
            click.echo(line)
    else:
        click.echo("The database is healthy (integrity and foreign keys checked).")
    if problems:
        raise click.exceptions.Exit(1)
