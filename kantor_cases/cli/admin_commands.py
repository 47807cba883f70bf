"""Database housekeeping commands: setup, users, db status/upgrade/encrypt/decrypt, backup, restore, check."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kantor_cases.db.backup import RotationPolicy
from kantor_cases.db.integrity import damage_message
from kantor_cases.domain.clock import SYSTEM_CLOCK
from kantor_cases.domain.errors import DamagedDatabaseError, KantorError
from kantor_cases.domain.statuses import USER_ROLES
from kantor_cases.domain.validation import file_problem
from kantor_cases.services import locations as locs
from kantor_cases.services.output_files import check_output_target
from kantor_cases.services.sign_in import OfficeState, office_state, password_from_file

from . import CliContext, echo_json, pass_cli


def register(cli: click.Group) -> None:
    cli.add_command(setup_command)
    cli.add_command(users)
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
    # Opening upgrades (signing in first when the office is encrypted).
    database = context.office().database
    if database.damage():
        raise DamagedDatabaseError(damage_message(database.location))
    click.echo(f"{database.location} is up to date.")


@db.command("encrypt")
@click.option("--full-name", default="", help="Your full name, shown when signing in (default: the user name).")
@click.option("--recovery-sheet", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the recovery key as a printable PDF sheet.")
@click.option("--force", is_flag=True, help="Replace an existing recovery sheet file.")
@click.option("--yes", is_flag=True, help="Remove the plain backups afterwards without asking.")
@pass_cli
def db_encrypt(context: CliContext, full_name: str, recovery_sheet: Path | None, force: bool, yes: bool) -> None:
    """Encrypt a plain office; you (--user) become its first administrator.

    A verified backup is taken first; the encrypted copy is checked table by table (row counts and a
    checksum) before it replaces the plain file. Close Kantor Cases everywhere else first. The plain
    backups are listed afterwards and removed only after your yes (or --yes)."""
    from kantor_cases.services import accounts

    if not context.user:
        raise click.UsageError("Say who becomes the office's first administrator: --user NAME.")
    sheet = _sheet_target(context, recovery_sheet, force)
    office = context.office()
    password = context.new_password(context.user)
    accounts.check_password(password)
    firm = office.settings.firm().firm_name
    done = accounts.encrypt_office(office, full_name, password)
    context.forget_office()
    click.echo(f"{context.locations.database} is now encrypted ({done.tables} tables, {done.rows} rows checked). "
               f"The plain backup taken first is {done.safety_backup}.")
    _show_recovery_key(context, done.recovery_key, firm, sheet)
    if not done.plain_backups:
        return
    click.echo(f"{len(done.plain_backups)} backups from before are NOT encrypted (anyone who gets them can read them):")
    for path in done.plain_backups:
        click.echo(f"  {path}")
    if yes or (sys.stdin.isatty() and click.confirm("Remove these plain backups now?", default=False)):
        accounts.remove_plain_backups(done.plain_backups)
        click.echo("The plain backups were removed.")
    else:
        click.echo("They were kept; delete them yourself once you no longer need them.")


@db.command("remember-password")
@pass_cli
def db_remember_password(context: CliContext) -> None:
    """Keep a PostgreSQL office's database password in this computer's key store, for a URL without
    one (when neither PGPASSWORD nor ~/.pgpass gives it). Read from the file named by
    KANTOR_CASES_NEW_PASSWORD_FILE, or asked twice on a terminal; checked with the server first."""
    from kantor_cases.services.sign_in import remember_database_password

    if context.locations.database_path is not None:
        raise click.UsageError("Only a PostgreSQL office (--db postgresql+psycopg://…) has a database password.")
    remember_database_password(context.locations, context.new_password("the database"))
    click.echo("The database password is remembered on this computer.")


@db.command("grant-desk")
@click.argument("role")
@pass_cli
def db_grant_desk(context: CliContext, role: str) -> None:
    """Give a desk's own PostgreSQL login ROLE (made on the server with CREATE ROLE … LOGIN) what
    Kantor Cases needs, with only INSERT (and sealing) on the audit table: never UPDATE, DELETE or
    TRUNCATE of audit rows. Run as an administrator, with the tables' owner in the URL; run it again
    after `db upgrade` adds tables, and for a role `check` names."""
    if context.locations.database_path is not None:
        raise click.UsageError("Only a PostgreSQL office (--db postgresql+psycopg://…) has database roles.")
    context.office().grant_desk_role(role)
    click.echo(f"The role {role} may now use the office; audit rows it may only add.")


@db.command("decrypt")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The new, unencrypted copy (never an existing file).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_cli
def db_decrypt(context: CliContext, out: Path, yes: bool) -> None:
    """Write an unencrypted copy of the office (for a migration or a support case). Anyone who gets
    that file can read every client's data: delete it as soon as it has served."""
    from kantor_cases.services import accounts

    target = check_output_target(out, context.locations)
    office = context.office()
    if not yes:
        click.confirm(f"{out} will hold every client's data UNENCRYPTED. Write it?", abort=True)
    rows = accounts.decrypt_copy(office, target)
    click.echo(f"Unencrypted copy written to {target} ({rows} rows, checked). Delete it as soon as it has served.")


# --- set-up and users ---------------------------------------------------------------------------------


def _sheet_target(context: CliContext, sheet: Path | None, force: bool) -> Path | None:
    """The recovery sheet's file, refused before anything is done if it may not be written."""
    return check_output_target(sheet, context.locations, force=force) if sheet is not None else None


def _show_recovery_key(context: CliContext, recovery_key: str, firm: str, sheet: Path | None) -> None:
    from kantor_cases.services import accounts

    click.echo("Recovery key (shown only this once; it unlocks the office if every password is lost —")
    click.echo("print it or write it down, and keep it in the office safe):")
    click.echo(f"    {recovery_key}")
    if sheet is not None:
        # Checked (and refused if it exists) before set-up began; `force` was the user's to give then.
        accounts.write_recovery_sheet(context.locations, sheet, firm, recovery_key, SYSTEM_CLOCK.today(), force=True)
        click.echo(f"Recovery sheet written to {sheet}: print it, then delete the file.")


@click.command("setup")
@click.option("--firm", required=True, help="The firm's name.")
@click.option("--admin", required=True, metavar="USERNAME", help="The first administrator's user name.")
@click.option("--full-name", default="", help="The administrator's full name (default: the user name).")
@click.option("--recovery-sheet", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the recovery key as a printable PDF sheet.")
@click.option("--force", is_flag=True, help="Replace an existing recovery sheet file.")
@pass_cli
def setup_command(context: CliContext, firm: str, admin: str, full_name: str, recovery_sheet: Path | None,
                  force: bool) -> None:
    """Create a new encrypted office at --db with its first administrator.

    At a postgresql:// URL (an empty database): the schema and the first administrator; the server
    keeps the data encrypted, and everyone then signs in with their password as at an encrypted file.
    The password comes from the first line of the file named by KANTOR_CASES_NEW_PASSWORD_FILE (or
    KANTOR_CASES_PASSWORD_FILE), or is asked twice on a terminal; never from the command line."""
    from kantor_cases.services import accounts

    path = context.locations.database_path
    if path is None and recovery_sheet is not None:
        raise click.UsageError("A PostgreSQL office has no recovery key (its server keeps it encrypted); "
                               "drop --recovery-sheet.")
    sheet = _sheet_target(context, recovery_sheet, force)
    if path is not None and path.exists():
        raise click.UsageError(f"{path} already exists; setup only makes a new office.")
    context.warn_if_unverified()
    password = password_from_file(locs.ENV_NEW_PASSWORD_FILE) or password_from_file(locs.ENV_PASSWORD_FILE)
    if password is None:
        password = context.new_password(admin)
    made = accounts.set_up_office(context.locations, firm, admin, full_name, password)
    where = made.office.database.location  # a URL's password masked
    made.office.close()
    if not made.recovery_key:
        click.echo(f"A new office is set up at {where}; {admin} is its administrator and signs in with the "
                   "password just set. The server keeps its data encrypted, so there is no recovery key.")
        return
    click.echo(f"A new encrypted office is set up at {where}; {admin} is its administrator.")
    _show_recovery_key(context, made.recovery_key, firm, sheet)


@click.group()
def users() -> None:
    """The people who sign in to an encrypted office (or a PostgreSQL one)."""


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def users_list(context: CliContext, as_json: bool) -> None:
    """List the office's users, their roles and whether they can sign in."""
    from kantor_cases.services.accounts import AccountService

    accounts = AccountService.for_office(context.office()).list()
    if as_json:
        echo_json([{"name": a.name, "full_name": a.full_name, "role": a.role, "active": a.active,
                    "can_sign_in": a.can_sign_in} for a in accounts])
        return
    for account in accounts:
        notes = [] if account.active else ["inactive"]
        if not account.can_sign_in:
            notes.append("no password yet")
        extra = f"  ({', '.join(notes)})" if notes else ""
        click.echo(f"{account.name:<20} {account.role:<9} {account.full_name}{extra}")


@users.command("add")
@click.argument("name", metavar="USERNAME")
@click.option("--full-name", required=True, help="Shown when signing in.")
@click.option("--role", type=click.Choice(USER_ROLES), required=True,
              help="What they may do (README: who may do what).")
@pass_cli
def users_add(context: CliContext, name: str, full_name: str, role: str) -> None:
    """Add a user who can sign in (administrators only). Their password is asked twice on a terminal,
    or read from the file named by KANTOR_CASES_NEW_PASSWORD_FILE."""
    from kantor_cases.services.accounts import AccountService

    office = context.office()
    service = AccountService.for_office(office)
    password = context.new_password(name)
    service.add(name, full_name, role, password)
    click.echo(f"Added {name} ({role}); they sign in with the password just set.")


@users.command("passwd")
@click.argument("name", metavar="USERNAME")
@pass_cli
def users_passwd(context: CliContext, name: str) -> None:
    """Set a new password: your own, or anyone's if you are an administrator."""
    from kantor_cases.services.accounts import AccountService

    service = AccountService.for_office(context.office())
    service.set_password(name, context.new_password(name))
    click.echo(f"A new password was set for {name}.")


@users.command("remember")
@pass_cli
def users_remember(context: CliContext) -> None:
    """Keep your password (--user) for this office in the computer's key store (Windows Credential
    Manager, macOS Keychain, Secret Service), so later commands here need not ask for it."""
    from kantor_cases.services.sign_in import remember_password

    office = context.office()  # signs in: only a password that works is remembered
    password = context.password()
    assert password is not None and context.user
    remember_password(context.locations, context.user, password)
    click.echo(f"The password of {office.user} is remembered on this computer (users forget undoes it).")


@users.command("forget")
@pass_cli
def users_forget(context: CliContext) -> None:
    """Remove your remembered password (--user) for this office from the key store."""
    from kantor_cases.services.sign_in import forget_password

    if not context.user:
        raise click.UsageError("Say whose password to forget: --user NAME.")
    forget_password(context.locations, context.user)
    click.echo(f"No password of {context.user} is remembered here for this office now.")


@users.command("reset")
@click.argument("name", metavar="USERNAME")
@click.option("--recovery-key-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), required=True,
              help="A file holding the office's recovery key.")
@pass_cli
def users_reset(context: CliContext, name: str, recovery_key_file: Path) -> None:
    """Set a new password for a user with the recovery key, when no one can sign in."""
    from kantor_cases.services import accounts

    recovery = recovery_key_file.read_text(encoding="utf-8", errors="replace")
    accounts.reset_with_recovery_key(context.locations, name, recovery, context.new_password(name))
    click.echo(f"A new password was set for {name} with the recovery key.")


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
    """Take an online backup, verified with integrity_check, foreign_key_check and row counts.

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
    if office_state(context.locations) is OfficeState.NEW:
        # Restoring into an empty office made here would leave a plain office, and an encrypted
        # backup cannot be restored into one: the backup is a whole office already.
        raise click.UsageError(f"There is no office at {context.locations.database} to restore into. A backup is a "
                               f"whole office: copy {file} (and its .keys file, if it has one) to where the office "
                               "should be, and open it there.")
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
        click.echo("The database is healthy (integrity, foreign keys and the audit trail checked).")
    if problems:
        raise click.exceptions.Exit(1)
