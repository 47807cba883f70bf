"""The command line: one thin command per service call, for scripting and batch jobs.

`main()` turns every user mistake into one plain line on stderr and exit code 2; unexpected
errors are logged with their traceback and the message says where the log is.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from kantor_cases import __version__
from kantor_cases.db.engine import plain_database_error, unverified_connection_warning
from kantor_cases.domain.errors import KantorError
from kantor_cases.services import locations as locs
from kantor_cases.services.office import Office
from kantor_cases.services.sign_in import (
    OfficeState,
    SignInRequired,
    office_state,
    password_from_file,
    record_sign_in,
    remembered_password,
    server_needs_sign_in,
)

if TYPE_CHECKING:
    from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)

EXIT_USAGE = 2
EXIT_UNEXPECTED = 1


@dataclass
class CliContext:
    locations: locs.Locations
    user: str | None
    open_window: Callable[[locs.Locations, str | None], int] | None = None
    _office: Office | None = field(default=None, repr=False)
    _password: str | None = field(default=None, repr=False)
    _warned: bool = False

    def office(self) -> Office:
        """The office at --db, signed in to. A path with nothing there is refused (a mistyped --db would
        otherwise become a new, empty and unencrypted office, and a search of it would answer "No
        matches."): offices are made by `setup` or `demo`."""
        if self._office is None:
            password = None
            state = office_state(self.locations)
            if state is OfficeState.NEW:
                where = self.locations.database
                raise click.UsageError(f"There is no office at {where}. Check the path, or make one with: "
                                       f"kantor-cases --db {where} setup --firm NAME --admin USERNAME")
            self.warn_if_unverified()
            if state is OfficeState.ENCRYPTED or (state is OfficeState.SERVER and server_needs_sign_in(self.locations)):
                if not self.user:
                    kind = "is encrypted" if state is OfficeState.ENCRYPTED else "has passwords"
                    raise SignInRequired(f"This office {kind}: say who you are (--user or KANTOR_CASES_USER).")
                password = self.password()
            self._office = Office.open(self.locations, self.user, password=password)
            if password is not None:
                # As at the window: the History shows who used the office from the command line,
                # and with which command (its name only, never its arguments).
                context = click.get_current_context(silent=True)
                command = context.command_path if context is not None else "kantor-cases"
                record_sign_in(self._office.database, self._office.user, f"at the command line ({command})")
        return self._office

    def warn_if_unverified(self) -> None:
        """Once: a PostgreSQL server on another computer reached without checking its certificate."""
        if self.locations.database_path is None and not self._warned:
            self._warned = True
            warning = unverified_connection_warning(self.locations.database)
            if warning:
                click.echo(f"Warning: {warning}", err=True)

    def password(self) -> str | None:
        """The signing-in user's password: the first line of KANTOR_CASES_PASSWORD_FILE, else the key
        store when it was remembered there, else asked without echo on a terminal (None otherwise)."""
        if self._password is None:
            self._password = password_from_file(locs.ENV_PASSWORD_FILE)
        if self._password is None:
            assert self.user
            self._password = remembered_password(self.locations, self.user)
        if self._password is None and sys.stdin.isatty():
            self._password = str(click.prompt(f"Password for {self.user}", hide_input=True, err=True))
        return self._password

    def new_password(self, whose: str) -> str:
        """A new password: the first line of KANTOR_CASES_NEW_PASSWORD_FILE, else asked twice without
        echo on a terminal."""
        from_file = password_from_file(locs.ENV_NEW_PASSWORD_FILE)
        if from_file is not None:
            return from_file
        if sys.stdin.isatty():
            return str(click.prompt(f"New password for {whose}", hide_input=True, confirmation_prompt=True,
                                    err=True))
        raise click.UsageError(f"No new password for {whose}: put it in the file named by "
                               f"{locs.ENV_NEW_PASSWORD_FILE}, or run the command on a terminal.")


    def forget_office(self) -> None:
        """The office was closed by the command (encrypting it replaces its file)."""
        self._office = None

    def close(self) -> None:
        if self._office is not None:
            self._office.close()


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


pass_cli = click.make_pass_decorator(CliContext)


class _CommandsOnDemand(click.Group):
    """The command modules are imported when a command is looked up (or listed), not when the bare
    `kantor-cases` opens the window: they would add a tenth of a second to its start."""

    _loaded = False

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True
            _register_commands(self)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)


def _register_commands(group: click.Group) -> None:
    from . import (
        admin_commands,
        audit_commands,
        deadline_commands,
        letter_commands,
        practice_commands,
        report_commands,
    )

    for module in (admin_commands, practice_commands, deadline_commands, letter_commands, audit_commands,
                   report_commands):
        module.register(group)


@click.group(cls=_CommandsOnDemand, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "database", metavar="PATH_OR_URL", envvar=locs.ENV_DB,
              help="Database file or postgresql+psycopg:// URL (default: the one in your data folder).")
@click.option("--user", metavar="NAME", envvar=locs.ENV_USER, help="Who is acting, for the audit trail.")
@click.version_option(__version__, prog_name="kantor-cases")
@click.pass_context
def cli(ctx: click.Context, database: str | None, user: str | None) -> None:
    """Kantor Cases: clients, removal cases, PD requests, employment claims, deadlines and letters.

    With no command, opens the desktop window.
    """
    obj = ctx.obj if isinstance(ctx.obj, CliContext) else CliContext(locs.resolve(database), user)
    obj.locations = locs.resolve(database)
    obj.user = user
    ctx.obj = obj
    ctx.call_on_close(obj.close)
    if ctx.invoked_subcommand is None:
        if obj.open_window is None:
            raise click.UsageError("The desktop window is not available here; give a command (see --help).")
        ctx.exit(obj.open_window(obj.locations, user))


# Whatever follows these commands is client data (a name searched for, a file of clients, a letter's
# field values or a file named after its client): not logged.
PRIVATE_AFTER = frozenset({"conflicts", "search", "clients", "letters", "calendar"})
_URL_PASSWORD = re.compile(r"(://[^/:@\s]*:)[^@]*@")


def loggable_command(args: list[str]) -> str:
    """The command line as it may go into the log: URL passwords masked, client data left out."""
    shown = []
    for arg in args:
        shown.append(_URL_PASSWORD.sub(r"\1***@", arg))
        if arg in PRIVATE_AFTER:
            shown.append("…")
            break
    return " ".join(shown)


def _database_errors() -> tuple[type[OperationalError], ...]:
    """SQLAlchemy's OperationalError once SQLAlchemy is imported; before that nothing can raise it
    (the window opens an office without it, so the CLI does not import it to catch its errors)."""
    errors = sys.modules.get("sqlalchemy.exc")
    return (errors.OperationalError,) if errors is not None else ()


def main(
    args: list[str] | None = None,
    open_window: Callable[[locs.Locations, str | None], int] | None = None,
    log_file: str | None = None,
) -> int:
    """Run the CLI; return the exit code instead of raising (tests call this directly)."""
    context = CliContext(locs.resolve(None), None, open_window)
    try:
        result = cli.main(args=args, prog_name="kantor-cases", standalone_mode=False, obj=context)
        return result if isinstance(result, int) else 0
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.exceptions.Abort:
        click.echo("Cancelled; nothing was changed.", err=True)
        return EXIT_USAGE
    except click.ClickException as error:
        click.echo(f"Error: {error.format_message()}", err=True)
        return error.exit_code if error.exit_code != 1 else EXIT_USAGE
    except KantorError as error:
        click.echo(f"Error: {error}", err=True)
        return EXIT_USAGE
    except _database_errors() as error:
        plain = plain_database_error(error)
        if plain:
            log.warning("%s", error)
            click.echo(f"Error: {plain}", err=True)
            return EXIT_USAGE
        log.exception("Unexpected database error running %s",
                      loggable_command(args if args is not None else sys.argv[1:]))
        click.echo(f"Unexpected database error: {error.orig}. Details are in {log_file or 'the log'}.", err=True)
        return EXIT_UNEXPECTED
    except OSError as error:
        # Files the user named: missing, unreadable, unwritable folders.
        where = f" {error.filename}" if error.filename else ""
        click.echo(f"Error: cannot use{where}: {error.strerror or error}.", err=True)
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001 - the last line of defence: never show a traceback
        log.exception("Unexpected error running %s", loggable_command(args if args is not None else sys.argv[1:]))
        # The message itself may quote client data; the class of error is enough on screen.
        click.echo(f"Unexpected error ({type(error).__name__}). Details are in {log_file or 'the log'}.", err=True)
        return EXIT_UNEXPECTED
