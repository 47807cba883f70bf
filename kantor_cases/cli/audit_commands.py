"""The audit trail from the command line: verify its chain (also part of `check`) and list its rows."""

from __future__ import annotations

from datetime import date, datetime

import click

from kantor_cases.services import audit

from . import CliContext, echo_json, pass_cli


def register(cli: click.Group) -> None:
    cli.add_command(audit_group)


@click.group("audit")
def audit_group() -> None:
    """The audit trail: verify that nobody changed it, list who did what."""


@audit_group.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def verify_command(context: CliContext, as_json: bool) -> None:
    """Recompute every audit row's hash and link, and compare the chain with every backup's copy of it;
    exit 1 naming the first bad row and the backup that still holds the good version."""
    office = context.office()
    verdict = audit.verify_trail(office.database,
                                 office.backups.folder if office.backups.supported else None)
    if as_json:
        echo_json(verdict.as_json())
    elif verdict.problems:
        for line in verdict.problems:
            click.echo(line)
    else:
        head = verdict.head
        newest = f"; its newest row is {head.row_id}, hash {head.row_hash}" if head else ""
        behind = (f" ({verdict.backups_left_behind} from before a restore no longer apply)"
                  if verdict.backups_left_behind else "")
        click.echo(f"The audit trail is intact: {verdict.rows:,} rows checked, and "
                   f"{verdict.backups_compared} backups agree with it{behind}{newest}.")
    if not verdict.ok:
        raise click.exceptions.Exit(1)


@audit_group.command("list")
@click.option("--user", "user_name", metavar="NAME", help="Only what this user did.")
@click.option("--client", "client_id", type=int, metavar="ID", help="Only rows about this client.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD", help="Only from this day on.")
@click.option("--limit", type=click.IntRange(1), default=200, show_default=True, help="At most this many rows.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def list_command(context: CliContext, user_name: str | None, client_id: int | None, since: datetime | None,
                 limit: int, as_json: bool) -> None:
    """The newest audit rows first: when, who, what (administrators: the rows name every client,
    restricted ones too)."""
    day: date | None = since.date() if since else None
    office = context.office()
    office.require("audit.view_all")
    rows = audit.events(office.database, user_name, client_id, day, limit)
    if as_json:
        echo_json([{"id": row.row_id, "at": row.at.isoformat(" ", "seconds"), "user": row.user_name,
                    "action": row.action, "entity": row.entity, "entity_id": row.entity_id,
                    "client_id": row.client_id, "summary": row.summary, "changes": row.changes} for row in rows])
        return
    if not rows:
        click.echo("No audit rows match.")
    for row in rows:
        click.echo(f"{row.row_id:>8}  {row.sentence()}")
