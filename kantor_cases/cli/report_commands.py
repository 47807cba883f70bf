"""Reports from the command line: list them, run one and print it as JSON or save it as CSV or PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kantor_cases.domain.reports import REPORT_IDS, ReportFilters, ReportResult, ReportTable

from . import CliContext, echo_json, pass_cli
from .deadline_commands import DATE


def register(cli: click.Group) -> None:
    cli.add_command(reports)


@click.group()
def reports() -> None:
    """Caseload, hearings, PD outcomes, deadlines kept, employment claims and intake."""


@reports.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def list_command(context: CliContext, as_json: bool) -> None:
    """The reports there are: id, title and what each shows."""
    kinds = context.office().reports.list()
    if as_json:
        echo_json([{"id": kind.id, "title": kind.title, "description": kind.description} for kind in kinds])
        return
    for kind in kinds:
        click.echo(f"{kind.id:<16}{kind.title}: {kind.description}")


@reports.command("run")
@click.argument("report", type=click.Choice(REPORT_IDS))
@click.option("--from", "date_from", type=DATE, help="First day of the range (default: the report's own).")
@click.option("--to", "date_to", type=DATE, help="Last day of the range.")
@click.option("--attorney", metavar="USER", help="Only the matters this user is the responsible attorney of.")
@click.option("--kind", metavar="KIND", help="Only matters of this kind (removal, benefit, employment, labor, other).")
@click.option("--stall-days", type=click.IntRange(1), default=90, show_default=True,
              help="PD outcomes: a request is stalled when its status has not moved for longer than this.")
@click.option("--privacy", is_flag=True, help="Name clients \"Client <id>\" instead of by name.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (see below).")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path), help="Save every table as CSV.")
@click.option("--pdf", "pdf_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Save the report as a PDF with the firm's letterhead.")
@click.option("--force", is_flag=True, help="Replace the CSV or PDF file if it exists.")
@pass_cli
def run_command(context: CliContext, report: str, date_from: Any, date_to: Any, attorney: str | None,
                kind: str | None, stall_days: int, privacy: bool, as_json: bool, csv_file: Path | None,
                pdf_file: Path | None, force: bool) -> None:
    """Run REPORT and print it as JSON (--json) or save it (--csv FILE or --pdf FILE).

    The JSON is {"report", "filters", "generated_at", "rows", "totals", "notes", "tables"}: "rows"
    are the rows of the report's first table as objects keyed by its column names; "tables" holds
    every table (the first one too) as {"title", "columns", "rows"} with rows as lists.
    """
    if [as_json, csv_file is not None, pdf_file is not None].count(True) != 1:
        raise click.UsageError("Give exactly one of --json, --csv FILE or --pdf FILE.")
    office = context.office()
    filters = ReportFilters(date_from, date_to, attorney, kind, stall_days)
    result = office.reports.run(report, filters, privacy=privacy)
    if as_json:
        echo_json(report_json(result))
    elif csv_file is not None:
        click.echo(f"Saved {office.reports.save_csv(result, csv_file, force=force)}")
    elif pdf_file is not None:
        click.echo(f"Saved {office.reports.save_pdf(result, pdf_file, force=force)}")


def report_json(result: ReportResult) -> dict[str, Any]:
    filters = result.filters
    main = result.tables[0] if result.tables else ReportTable("", (), ())
    return {
        "report": result.report,
        "filters": {"from": result.date_from.isoformat(), "to": result.date_to.isoformat(),
                    "attorney": filters.attorney, "kind": filters.kind, "stall_days": filters.stall_days},
        "generated_at": result.generated_at.isoformat(" ", "seconds"),
        "generated_by": result.generated_by,
        "rows": [dict(zip(main.columns, row, strict=True)) for row in main.rows],
        "totals": result.totals,
        "notes": list(result.notes),
        "tables": [{"title": table.title, "columns": list(table.columns), "rows": [list(row) for row in table.rows]}
                   for table in result.tables],
    }
