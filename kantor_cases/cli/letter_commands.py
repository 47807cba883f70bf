"""Letter commands: the templates, one letter to a file, batch runs, the letter log, regenerating.

    letters templates [--json]
    letters render TEMPLATE (--matter ID | --client ID) [--hearing ID] [--lang en|es|zh|tl|vi|ko] --out FILE.pdf [--force]
    letters batch TEMPLATE --hearings-within DAYS --out DIR [--force] [--json]
    letters batch status-update (--firm-status S | --government-status S) --out DIR [--force] [--json]
    letters list [--client ID | --matter ID] [--json]
    letters regenerate LETTER_ID [--out FILE.pdf [--force]] [--json]

User mistakes (a template that needs a matter given only a client, missing data, an --out file
that exists or is one of the office's own) are one line on stderr and exit code 2; a batch exits 1
when some letters could not be printed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from kantor_cases.domain.letter_records import LANGUAGE_NAMES, BatchResult, LetterRow
from kantor_cases.domain.records import plain

from . import CliContext, echo_json, pass_cli

# The letter service (and with it ReportLab) is imported by the commands that use it, not here:
# every start of the program, the window's included, imports this module to register it.
BATCH_TEMPLATES = ("hearing-reminder", "status-update")
# Every language a letter may be in; the service refuses one the letter has no version in, by name.
LETTER_LANGUAGES = tuple(LANGUAGE_NAMES)


def _check_template(template: str) -> None:
    from kantor_cases.services.letters import TITLES

    if template not in TITLES:
        raise click.UsageError(f"There is no letter called {template!r}; the letters are {', '.join(TITLES)}.")


def register(cli: click.Group) -> None:
    cli.add_command(letters)


@click.group()
def letters() -> None:
    """Letters: templates, printing one letter, batch runs, the letter log."""


@letters.command("templates")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def letters_templates(context: CliContext, as_json: bool) -> None:
    """List the letters, their languages, what each is written about and the text in use."""
    templates = context.office().letters.templates()
    if as_json:
        echo_json([asdict(t) for t in templates])
        return
    for t in templates:
        versions = ", ".join(f"{lang}: {'built-in' if v == 0 else f'office copy v{v}'}"
                             for lang, v in t.active_versions.items())
        click.echo(f"{t.template_id:<18} {t.title:<26} needs {t.needs:<8} {versions}")


def _parse_value(text: str) -> Any:
    """JSON when it is JSON (lists, true/false, numbers), else the text as typed."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def _overrides(field_options: tuple[str, ...], fields_file: Path | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if fields_file is not None:
        try:
            loaded = json.loads(fields_file.read_text(encoding="utf-8"))
        except ValueError as error:
            raise click.UsageError(f"{fields_file} is not valid JSON: {error}.") from None
        if not isinstance(loaded, dict):
            raise click.UsageError(f"{fields_file} must hold a JSON object of field names and values.")
        values.update(_flatten(loaded))
    for option in field_options:
        name, sep, value = option.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"--field takes NAME=VALUE (e.g. closing.outcome=\"...\"), not {option!r}.")
        values[name.strip()] = _parse_value(value)
    return values


@letters.command("render")
@click.argument("template")
@click.option("--matter", "matter_id", type=int, help="The matter the letter is about.")
@click.option("--client", "client_id", type=int, help="The client (for letters that need only a client).")
@click.option("--hearing", "hearing_id", type=int, help="The hearing (hearing reminder; default: the next one).")
@click.option("--lang", "language", type=click.Choice(LETTER_LANGUAGES),
              help="Language (default: the client's preferred language); zh, tl, vi and ko once the firm has "
                   "added its own version of the letter in that language.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="PDF file to write.")
@click.option("--force", is_flag=True, help="Replace the --out file if it exists (never the office's own files).")
@click.option("--field", "field_options", multiple=True, metavar="NAME=VALUE",
              help="Fill in a field the records do not hold (repeatable; JSON values allowed).")
@click.option("--fields", "fields_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A JSON file of field names and values to fill in.")
@click.option("--save", is_flag=True,
              help="Also file the letter in the client's documents folder and record it in the letter log.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def letters_render(context: CliContext, template: str, matter_id: int | None, client_id: int | None,
                   hearing_id: int | None, language: str | None, out: Path, force: bool,
                   field_options: tuple[str, ...], fields_file: Path | None, save: bool, as_json: bool) -> None:
    """Print one letter to a PDF file (a preview unless --save); `letters templates` lists TEMPLATE."""
    if matter_id is not None and client_id is not None:
        raise click.UsageError("Give either --matter or --client, not both.")
    if matter_id is None and client_id is None and hearing_id is None:
        raise click.UsageError("Give --matter ID or --client ID (and --hearing ID for a particular hearing).")
    from kantor_cases.services.letters import NEEDS, TITLES

    _check_template(template)
    if client_id is not None and hearing_id is None and NEEDS[template] != "client":
        client_only = ", ".join(t for t, needs in NEEDS.items() if needs == "client")
        what = "a hearing: give --matter ID (its next hearing) or --hearing ID" if NEEDS[template] == "hearing" \
            else "a matter: give --matter ID"
        raise click.UsageError(f"A {TITLES[template].lower()} is written about {what}; --client serves the letters "
                               f"that need only a client ({client_only}).")
    overrides = _overrides(field_options, fields_file)
    service = context.office().letters
    arguments: dict[str, Any] = {"client_id": client_id, "matter_id": matter_id, "hearing_id": hearing_id,
                                 "language": language, "fields": overrides}
    logged = None
    if save:
        logged = service.generate(template, **arguments, copy_to=out, force=force)
    else:
        service.write_copy(out, service.preview(template, **arguments), force=force)
    size = out.stat().st_size
    if as_json:
        echo_json({"file": str(out), "bytes": size, "letter": plain(logged) if logged else None})
        return
    click.echo(f"Wrote {out} ({size / 1024:.0f} KB).")
    if logged is not None:
        click.echo(f"Filed as {logged.file_path} and logged as letter {logged.id} "
                   f"({logged.title.lower()} in {LANGUAGE_NAMES[logged.language]}).")


def _batch_json(result: BatchResult) -> dict[str, Any]:
    return {
        "batch_id": result.batch_id, "template": result.template_id, "letters": result.count,
        "skipped_already_sent": result.skipped, "not_printed": len(result.problems), "cancelled": result.cancelled,
        "folder": result.folder, "combined": result.combined_path or None,
        "files": [letter.file_path for letter in result.letters],
        "problems": [asdict(p) for p in result.problems],
        "seconds": round(result.seconds, 3), "letters_per_second": round(result.rate, 1),
    }


@letters.command("batch")
@click.argument("template", type=click.Choice(BATCH_TEMPLATES))
@click.option("--hearings-within", "days", type=click.IntRange(0, 366), metavar="DAYS",
              help="Hearing reminders: every hearing from now to DAYS days ahead.")
@click.option("--firm-status", help="Status updates: matters with this firm status (e.g. active).")
@click.option("--government-status", help="Status updates: matters with this court/agency status.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the letters and the combined print file (created if needed).")
@click.option("--force", is_flag=True, help="Print again the letters already sent.")
@click.option("--lang", "language", type=click.Choice(LETTER_LANGUAGES),
              help="One language for every letter (default: each client's preferred language); zh, tl, vi "
                   "and ko once the firm has added its own version of the letter in that language.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def letters_batch(context: CliContext, template: str, days: int | None, firm_status: str | None,
                  government_status: str | None, out: Path, force: bool, language: str | None,
                  as_json: bool) -> None:
    """Print one template for a whole set: one PDF per letter, one combined file for printing.

    Exit 0 when every letter was printed, 1 when some could not be (missing data; listed).
    """
    if template == "hearing-reminder" and days is None:
        raise click.UsageError("Hearing reminders need --hearings-within DAYS.")
    if template == "status-update" and not (firm_status or government_status):
        raise click.UsageError("Status updates need --firm-status or --government-status.")
    if template == "status-update" and days is not None:
        raise click.UsageError("--hearings-within is for hearing reminders; status updates are chosen by status.")
    if template == "hearing-reminder" and (firm_status or government_status):
        raise click.UsageError("Hearing reminders are chosen with --hearings-within, not by status.")
    if out.exists() and not out.is_dir():
        raise click.UsageError(f"{out} is a file; give a folder.")
    result = context.office().letters.run_batch(
        template, hearings_within_days=days, firm_status=firm_status, government_status=government_status,
        force=force, language=language, out_dir=out)
    if as_json:
        echo_json(_batch_json(result))
    else:
        what = "hearing reminder" if template == "hearing-reminder" else "status update"
        click.echo(f"Printed {result.count} {what}{'s' if result.count != 1 else ''} into {result.folder} "
                   f"in {result.seconds:.1f} s ({result.skipped} already sent and skipped, "
                   f"{len(result.problems)} not printed).")
        for letter in result.letters:
            click.echo(f"  {letter.file_path}")
        if result.combined_path:
            click.echo(f"Print file: {result.combined_path}")
        for problem in result.problems:
            click.echo(f"Not printed: {problem.client_name} (client {problem.client_id}): {problem.message}")
    if result.problems:
        raise click.exceptions.Exit(1)


def _row_json(row: LetterRow) -> dict[str, Any]:
    return plain(row)


@letters.command("list")
@click.option("--client", "client_id", type=int, help="One client's letters.")
@click.option("--matter", "matter_id", type=int, help="One matter's letters.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def letters_list(context: CliContext, client_id: int | None, matter_id: int | None, limit: int,
                 as_json: bool) -> None:
    """The letter log, newest first (the whole office, or one client or matter)."""
    service = context.office().letters
    if client_id is not None or matter_id is not None:
        rows = service.letters_for(client_id=client_id, matter_id=matter_id, limit=limit)
    else:
        rows = service.page(None, 0, limit)
    if as_json:
        echo_json([_row_json(r) for r in rows])
        return
    if not rows:
        click.echo("No letters yet.")
    for r in rows:
        click.echo(f"{r.id:>6}  {r.created_at:%Y-%m-%d %H:%M}  {r.title:<24} {r.language}  {r.client_name:<30} "
                   f"{r.created_by:<12} {r.file_path}")


@letters.command("regenerate")
@click.argument("letter_id", type=int)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the new copy here.")
@click.option("--force", is_flag=True, help="Replace the --out file if it exists (never the office's own files).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def letters_regenerate(context: CliContext, letter_id: int, out: Path | None, force: bool, as_json: bool) -> None:
    """Print a logged letter again from its stored data; say whether it is byte for byte the same.

    A missing file is written back when the copy matches. Exit 1 when it does not match.
    """
    result = context.office().letters.regenerate(letter_id, copy_to=out, force=force)
    if as_json:
        echo_json({"letter": _row_json(result.letter), "matches": result.matches, "file": result.file_state,
                   "restored": result.restored, "out": str(out) if out else None})
    else:
        same = "the same letter, byte for byte" if result.matches else "NOT the same bytes as the logged letter"
        file_text = {"ok": "the filed copy is intact", "missing": "the filed copy was missing",
                     "changed": "the filed copy has been changed since it was printed"}[result.file_state]
        click.echo(f"Letter {letter_id}: {same}; {file_text}"
                   + ("; it has been written back." if result.restored else "."))
    if not result.matches:
        raise click.exceptions.Exit(1)
