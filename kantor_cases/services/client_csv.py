"""CSV import and export of clients, in the columns an office keeps in Excel.

Import reads strictly (`domain/csv_text.py`): UTF-8 with or without BOM, or UTF-16 with a BOM;
Windows-1252 only when asked (`encoding="cp1252"`). A file it cannot read whole — another encoding,
a quote that never closes, a column named twice, a column it does not know (unless told to leave
those out) — is refused with CsvRefused and nothing is written. Every other problem belongs to one
row (a NUL or control character, a cell over its column's limit, a bad date …) and is listed by
line, column and reason; the report accounts for every record read: imported + invalid +
duplicates (+ valid rows held back by a dry run or an all-or-nothing refusal) = records.

Every valid row goes through the conflict check too, as one batch (same A-number or name as a
client's family member, same name as a client or an organisation on file): the report lists them,
by line and client or organisation number, for someone to look at; they are imported like any row.

All-or-nothing by default: one bad row and nothing is written. Duplicates (same A-number, or same
name and date of birth, in the database or earlier in the file) are never inserted twice: they are
checked again inside the write transaction if anything was committed since the first check
(SQLite's data_version; always on PostgreSQL), and a unique index on the A-number backs that up.
A real import takes a backup first.

Export writes every client atomically to a file that may be written (`check_output_target`), with
cells a spreadsheet would run as formulas marked by a leading apostrophe, which import strips again.
"""

from __future__ import annotations

import csv
import gc
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kantor_cases.db import audit_chain, office_keys
from kantor_cases.db import search as search_backend
from kantor_cases.db.base import now
from kantor_cases.db.engine import defer_checkpoint
from kantor_cases.db.integrity import IntegrityGate
from kantor_cases.db.models import Client
from kantor_cases.domain import csv_text, names
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.csv_text import CellChecks, CsvRecords, CsvRefused, UnknownColumns
from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.domain.identifiers import format_a_number
from kantor_cases.domain.records import ClientDraft, ImportProblem, ImportReport
from kantor_cases.domain.validation import file_problem, parse_date

from . import restricted, search
from .base import Service
from .clients import client_columns
from .conflicts import BatchPerson, BatchStopped, batch_conflicts, batch_matches, word_batch
from .file_writes import atomic_file
from .locations import Locations
from .output_files import check_output_target
from .validation import validate_client, with_values

COLUMNS = ("first_name", "middle_name", "last_name", "second_last_name", "a_number", "date_of_birth",
           "country_of_birth", "preferred_language", "phone", "email", "street", "city", "state", "postal_code",
           "notes")
# CSV column → ClientDraft field (where the names differ).
FIELD_OF = {"first_name": "given_name", "middle_name": "middle_name", "last_name": "family_name",
            "second_last_name": "second_family_name"}
MAX_FILE_BYTES = 200 * 1024 * 1024
# Characters a cell may hold: notes are free text; every other column (names, address, phone …) is
# one short line, and no table column holds more than 200.
NOTES_LIMIT = 10_000
CELL_LIMIT = 200
FREE_TEXT = frozenset({"notes"})  # may hold tabs, line breaks and bidi marks (right-to-left notes)
ENCODINGS = {"utf-8": "UTF-8", "cp1252": "Windows-1252"}
MASKED_NAME = "(confidential)"  # a sensitive client's name in an export made in privacy mode
INSERT_CHUNK = 5000
DATE_COLUMNS = frozenset({"date_of_birth", "intake_date"})
IMPORT_CACHE_KIB = 256 * 1024  # SQLite page cache while an import writes
# From this many new clients on, the rows are written while the safety backup's copy is checked
# (the commit waits for the check); below it, the check is waited for before the write lock.
OVERLAP_CHECK_ROWS = 10_000

Progress = Callable[[int, int], bool]  # (done, total) -> keep going?
_Result = TypeVar("_Result")
_NON_ASCII_LINE = re.compile(rb"[^\r\n]*[\x80-\xff][^\r\n]*")
_BLANK = ClientDraft(given_name="")  # a row's draft is this with the row's cells (`with_values`)


@dataclass(frozen=True)
class ParsedRow:
    line: int
    draft: ClientDraft
    columns: dict[str, Any]  # the table columns of the draft, computed once per row


class ParsedFile(NamedTuple):
    rows: list[ParsedRow]  # the valid rows
    problems: list[ImportProblem]  # of the invalid rows, by line
    records: int  # every record read (a blank line is not one)


def preview(path: Path, count: int = 5) -> dict[str, list[str]]:
    """How each encoding reads the names on the first `count` lines that are not plain ASCII, for
    someone to choose between ("JosÃ©" under one, "José" under the other; a byte an encoding does
    not allow shows as \ufffd)."""
    data = path.read_bytes()
    header = data[:data.find(b"\n")]
    lines = [match.group() for match in itertools.islice(_NON_ASCII_LINE.finditer(data, len(header)), count)]
    shown: dict[str, list[str]] = {}
    for encoding in ENCODINGS:
        columns = [h.strip().lower().replace(" ", "_")
                   for h in next(csv.reader([header.decode(encoding, errors="replace").lstrip("\ufeff")]))]
        names = []
        for line in lines:
            values = dict(zip(columns, next(csv.reader([line.decode(encoding, errors="replace")]), []),
                              strict=False))
            names.append(" ".join(values.get(c, "").strip() for c in ("first_name", "last_name")).strip())
        shown[encoding] = names
    return shown


def _row_draft(values: dict[str, str], line: int, problems: list[ImportProblem], today: date) -> ClientDraft | None:
    dob = None
    bad_date = False
    raw_dob = values.get("date_of_birth", "").strip()
    if raw_dob:
        try:
            dob = parse_date(raw_dob)
        except ValueError as error:
            # Checked on without it, so the row's other problems are listed too.
            problems.append(ImportProblem(line, "date_of_birth", str(error)))
            bad_date = True
    draft = with_values(_BLANK, {
        "given_name": values.get("first_name", ""), "middle_name": values.get("middle_name", ""),
        "family_name": values.get("last_name", ""), "second_family_name": values.get("second_last_name", ""),
        "a_number": values.get("a_number", ""), "date_of_birth": dob,
        "country_of_birth": values.get("country_of_birth", ""),
        "preferred_language": values.get("preferred_language", "") or "en", "phone": values.get("phone", ""),
        "email": values.get("email", ""), "street": values.get("street", ""), "city": values.get("city", ""),
        "state": values.get("state", ""), "postal_code": values.get("postal_code", ""),
        "notes": values.get("notes", "")})
    try:
        valid = validate_client(draft, today)
        return None if bad_date else valid
    except ValidationError as error:
        column_of = {v: k for k, v in FIELD_OF.items()}
        for field, reason in error.fields.items():
            problems.append(ImportProblem(line, column_of.get(field, field), reason))
        return None


class ClientCsvService(Service):
    def __init__(self, database: Any, actor: Callable[[], str], locations: Locations | None = None,
                 backup: Callable[..., Any] | None = None, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__(database, actor, clock)
        self._locations = locations
        self._backup = backup

    @staticmethod
    def _check_file(path: Path) -> None:
        problem = file_problem(path)
        if problem:
            raise KantorError(problem)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise KantorError(f"{path} is larger than {MAX_FILE_BYTES // 1_048_576} MB; split it into smaller files.")

    def parse(self, path: Path, encoding: str = "utf-8", ignore_extra_columns: bool = False) -> ParsedFile:
        """The valid rows, the problems of the others, and how many records the file holds."""
        return self._read(path, encoding, ignore_extra_columns)[0]

    def _read(self, path: Path, encoding: str, ignore_extra_columns: bool) -> tuple[ParsedFile, list[str]]:
        """The parsed file and the columns left out (`ignore_extra_columns`); CsvRefused if the file
        cannot be read whole."""
        self._check_file(path)
        records = CsvRecords(csv_text.decode(path.read_bytes(), path.name, encoding), path.name)
        header = [h.strip().lower().replace(" ", "_") for h in records.header]
        ignored = _check_header(path.name, header, ignore_extra_columns)
        # A cell under a column without a name would be lost without a word: a problem of its row.
        unnamed = [] if ignore_extra_columns else [i for i, h in enumerate(header) if not h]
        checks = CellChecks(header, {"notes": NOTES_LIMIT}, CELL_LIMIT, FREE_TEXT)
        suspect, marked = records.suspect, records.marked
        rows: list[ParsedRow] = []
        problems: list[ImportProblem] = []
        count = 0
        today = self.clock.today()
        for line, cells in records:
            count += 1
            if len(cells) > len(header):
                problems.append(ImportProblem(line, "", f"has {len(cells)} cells but the header has "
                                                        f"{len(header)}; check for an unquoted comma"))
                continue
            found = checks.problems(cells, suspect)
            found += [("", f"has a value in column {i + 1}, which has no name in the first row")
                      for i in unnamed if i < len(cells) and cells[i].strip()]
            if found:
                problems += [ImportProblem(line, column, reason) for column, reason in found]
                continue
            if marked:
                cells = [csv_text.unmark(cell) for cell in cells]
            draft = _row_draft(dict(zip(header, cells, strict=False)), line, problems, today)
            if draft is not None:
                rows.append(ParsedRow(line, draft, client_columns(draft)))
        return ParsedFile(rows, problems, count), ignored

    def import_file(self, path: Path, dry_run: bool = False, skip_invalid: bool = False,
                    progress: Progress | None = None, encoding: str = "utf-8",
                    ignore_extra_columns: bool = False) -> ImportReport:
        """Read, check and (unless `dry_run`) write the file; CsvRefused if it cannot be read whole.

        A real import's safety backup is taken while the file is read and checked, on the other
        core, and dropped again if nothing is imported. A small file is written once the backup is
        wholly verified; a big one (OVERLAP_CHECK_ROWS rows) is written while the copy's pages are
        checked and committed once they are sound, and the report's `backup_check` waits for the
        rest of the backup's check (each table against its indexes). In an office whose own
        start-up check has passed, a copy read back equal to the office is sound at once, and its
        whole check comes after the commit (db/backup.take_backup). Duplicates are looked for
        while reading (so a refused or dry run reports them too) and again under the write lock,
        where no other import or save can slip in between, unless nothing was committed since.
        A big file's conflict check runs beside the write, on a read connection of its own.
        """
        self.require("clients.import")
        self._check_file(path)
        with _collector_paused():
            # Called, so that the rows go with its locals before the collector is back on (its first
            # pass walks every object made meanwhile that is still there).
            return self._import(path, dry_run, skip_invalid, progress, encoding, ignore_extra_columns)

    def _import(self, path: Path, dry_run: bool, skip_invalid: bool, progress: Progress | None, encoding: str,
                ignore_extra_columns: bool) -> ImportReport:
        backup = None if dry_run else self._backup
        with _SafetyBackup(backup, "before-import", self._db.integrity) as safety_backup, \
                _CommitWatch(self._db) as watch:
            parsed, ignored = self._read(path, encoding, ignore_extra_columns)
            warnings = tuple(ImportProblem(1, column, "not a column this import knows; left out")
                             for column in ignored)
            # Begun just before the first look for duplicates, and after the reading: by then the backup
            # has emptied the -wal, which SQLite counts as a change too.
            watch.begin()
            with self._db.read() as session:
                if not dry_run and (skip_invalid or not parsed.problems) and len(parsed.rows) >= OVERLAP_CHECK_ROWS:
                    # A big file that will be written (unless every row is a duplicate): its search
                    # entries are worked out while SQLite looks for the duplicates, on a read connection
                    # of its own, in two statements during which it lets go of the GIL.
                    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-duplicates") as worker:
                        looking = worker.submit(self._existing_apart, parsed.rows)
                        entry_of = {row.line: _search_entry(row) for row in parsed.rows}
                        existing = looking.result()
                else:
                    existing, entry_of = _existing_clients(session.connection(), parsed.rows), {}
                fresh, duplicates = _without_duplicates(existing, parsed.rows)
                written = not ((parsed.problems and not skip_invalid) or dry_run or not fresh)
                conflicts = [] if written and len(fresh) >= OVERLAP_CHECK_ROWS else _conflicts(session, fresh,
                                                                                                 self.user)
            if not written:
                return ImportReport(parsed.records, 0, len(duplicates), tuple(parsed.problems), dry_run, "",
                                    tuple(duplicates), warnings, tuple(conflicts))
            if len(fresh) >= OVERLAP_CHECK_ROWS:
                # The conflict check only feeds the report: a big file's runs on a read connection of its
                # own beside the write (SQLite lets go of the GIL while it looks names up), and the commit
                # waits for it, so a check that fails writes nothing, as before. It waits its turn: until
                # the rows are in and the search index takes them in one statement that lets go of the
                # GIL (the inserts before need the GIL back after every row, and the check's own Python
                # held them up), and the copy's pages are checked (three busy threads on two cores
                # slowed all three); or until the rows are written if that comes first.
                # The commit waits only for its look-ups: the wording of what they found is Python
                # alone, done while SQLite commits.
                rows_in, rows_written, looked_up = threading.Event(), threading.Event(), threading.Event()

                def conflicts_turn() -> bool:
                    return rows_written.wait(0.05) or (rows_in.is_set() and safety_backup.pages_checked_or_over())

                def before_commit() -> None:
                    rows_written.set()
                    # The conflict check's look-ups done (or their error raised), then the copy's pages.
                    while not looked_up.wait(0.05):
                        if checked.done():
                            checked.result()
                            break
                    safety_backup.wait_sound()

                with _beside(self._conflicts_apart, fresh, self.user, conflicts_turn, looked_up,
                             rows_written) as checked:
                    # Search entries were worked out before the write lock, while the duplicates were
                    # looked up.
                    entries = [entry_of.get(row.line) or _search_entry(row) for row in fresh]
                    # Written while the copy's pages are checked (seconds on a big office, on the other
                    # core); the commit waits for that check, so nothing is committed unless the backup
                    # taken before it is whole and its pages sound. The office may change once the pages
                    # are copied.
                    safety_backup.wait_copied()
                    try:
                        imported, late_duplicates = self._insert(
                            fresh, entries, path.name, progress, watch,
                            before_commit=before_commit, rows_in=rows_in.set)
                    finally:
                        rows_written.set()
                    conflicts = checked.result()
                # Committed once the copy's pages were sound (every page readable and well-formed, none
                # lost or used twice): the copy is whole, and a kill from here on leaves it. Each table's
                # check against its indexes goes on after the commit, and is the caller's to wait for.
                backup_path = safety_backup.wait_sound()
                if imported and self._db.path is not None:
                    # The commit left the rows in the -wal (defer_checkpoint): folded into the file beside
                    # the backup's last check, not inside the commit.
                    threading.Thread(target=self._db.checkpoint, name="import-checkpoint").start()
            else:
                entries = [_search_entry(row) for row in fresh]
                # A small import into a big office must not hold the write lock for the seconds the
                # backup's check takes: waited for first.
                backup_path = safety_backup.wait()
                imported, late_duplicates = self._insert(fresh, entries, path.name, progress, watch)
            if imported:
                safety_backup.keep()
            backup_check = safety_backup.hand_over() if imported else None
        duplicates = sorted([*duplicates, *late_duplicates], key=lambda p: p.row)
        late = {p.row for p in late_duplicates}
        return ImportReport(parsed.records, imported, len(duplicates), tuple(parsed.problems), dry_run,
                            backup_path if imported else "", tuple(duplicates), warnings,
                            tuple(c for c in conflicts if c.row not in late), backup_check)

    def _existing_apart(self, rows: list[ParsedRow]) -> tuple[dict[str, int], dict[tuple[str, date], int]]:
        """`_existing_clients` for a worker thread, on a read session of its own."""
        with self._db.read() as session:
            return _existing_clients(session.connection(), rows)

    def _conflicts_apart(self, rows: list[ParsedRow], user: str, its_turn: Callable[[], bool],
                         looked_up: threading.Event, word_after: threading.Event,
                         should_stop: Callable[[], bool]) -> list[ImportProblem]:
        """`_conflicts` for a worker thread, on a read session of its own (a session is not shared),
        once `its_turn()` answers True (it may wait a moment before it answers). `looked_up` is set
        once the office has been read; what was found is worded once `word_after` is set."""
        while not its_turn():
            if should_stop():
                raise BatchStopped()
        people = _batch_people(rows)
        with self._db.read() as session:
            hidden = restricted.hidden_client_ids(session, user)
            matches = batch_matches(session.connection(), people, should_stop)
        looked_up.set()
        while not word_after.wait(0.05):
            if should_stop():
                raise BatchStopped()
        return word_batch(people, matches, hidden)

    def _insert(self, rows: list[ParsedRow], entries: list[tuple[str, str, str]], source: str,
                progress: Progress | None, watch: _CommitWatch, before_commit: Callable[[], object] | None = None,
                rows_in: Callable[[], object] | None = None) -> tuple[int, list[ImportProblem]]:
        """One transaction for the whole file: it is wholly present or wholly absent. Returns how many
        rows were written, and the rows another desk or import saved since they were checked (looked
        for again unless `watch`, begun before that check, saw nothing committed since).
        `before_commit` is called last inside the transaction; if it raises, nothing is written.

        The rows go to the driver's executemany as plain tuples, with ids handed out under the write
        lock: SQLAlchemy's per-row parameter processing costs more than SQLite's own work at 100,000
        rows. The search index takes the new entries in one statement at the end.
        """
        try:
            with self._db.write(vouched_before_commit=before_commit is not None) as session:
                connection = session.connection()
                sqlite = connection.dialect.name == "sqlite"
                if not sqlite:
                    # SQLite's write transaction (BEGIN IMMEDIATE) already keeps every other writer out;
                    # on PostgreSQL this keeps out other imports and client saves until the commit.
                    connection.exec_driver_sql("LOCK TABLE clients IN SHARE ROW EXCLUSIVE MODE")
                late_duplicates: list[ImportProblem] = []
                if watch.nothing_committed():
                    # Under the write lock, and nobody committed since the rows were checked: that check
                    # stands, and a second look at every row (most of a second at 100,000) is saved.
                    fresh = rows
                else:
                    fresh, late_duplicates = _without_duplicates(_existing_clients(connection, rows), rows)
                if late_duplicates:
                    kept = {row.line for row in fresh}
                    entries = [entry for row, entry in zip(rows, entries, strict=True) if row.line in kept]
                if not fresh:
                    return 0, late_duplicates
                if sqlite:
                    # The indexes of a big office do not fit SQLite's default 2 MB page cache; inserting
                    # 100,000 rows into them then rereads the same pages thousands of times.
                    connection.exec_driver_sql(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
                    if before_commit is not None:  # a big file: its caller folds the -wal in after
                        defer_checkpoint(connection)
                try:
                    self._write_rows(connection, fresh, entries, source, progress, rows_in)
                finally:
                    if sqlite:  # the pooled connection goes back with the default (and its memory freed)
                        connection.exec_driver_sql("PRAGMA cache_size = -2000")
                if before_commit is not None:
                    before_commit()
        except IntegrityError as error:
            if "a_number" in str(error.orig):
                # The unique A-number index caught a save the checks above could not see (it should
                # not happen: they run under the write lock).
                raise KantorError("Another desk saved a client with one of these A-numbers while the file "
                                  "was imported; nothing was imported. Import the file again: clients "
                                  "already there are skipped as duplicates.") from error
            # Not the file's fault and not another desk's: the driver's text may quote a row, so it
            # goes no further than the exception chain.
            raise KantorError("The database refused to store the imported rows (one of its own checks "
                              "failed); nothing was imported. Run kantor-cases check, and if it finds "
                              "nothing, ask for support with the time of this import.") from error
        return len(fresh), late_duplicates

    def _write_rows(self, connection: Connection, rows: list[ParsedRow], entries: list[tuple[str, str, str]],
                    source: str, progress: Progress | None, rows_in: Callable[[], object] | None = None) -> None:
        """The rows, their search entries and audit rows, written. `rows_in` is called once the rows and
        entries are in, before the search index takes them (one statement, which lets go of the GIL)."""
        user = self.user
        stamp = now()
        sqlite = connection.dialect.name == "sqlite"
        stamp_value = stamp.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else stamp
        # SQLAlchemy keeps dates in SQLite as ISO text; the driver is handed the same.
        date_columns = [i for i, name in enumerate(rows[0].columns) if sqlite and name in DATE_COLUMNS]
        client_names = [*rows[0].columns, "id", "version", "created_at", "created_by", "updated_at",
                        "updated_by"]
        client_sql = _insert_sql(connection, "clients", client_names)
        entry_sql = _insert_sql(connection, "search_entries", ["kind", "ref_id", "client_id", "label", "detail",
                                                               "text"])
        ids = _reserve_client_ids(connection, len(rows))
        summary = f"imported the client from {source}"
        with search_backend.appending(connection) as index_entries:
            for start in range(0, len(rows), INSERT_CHUNK):
                chunk = rows[start:start + INSERT_CHUNK]
                chunk_ids = ids[start:start + INSERT_CHUNK]
                client_values = []
                for row, client_id in zip(chunk, chunk_ids, strict=True):
                    values = [*row.columns.values(), client_id, 1, stamp_value, user, stamp_value, user]
                    for i in date_columns:
                        if values[i] is not None:
                            values[i] = values[i].isoformat()
                    client_values.append(tuple(values))
                connection.exec_driver_sql(client_sql, client_values)
                connection.exec_driver_sql(entry_sql, [
                    ("client", client_id, client_id, label, detail, text)
                    for (label, detail, text), client_id in zip(entries[start:start + INSERT_CHUNK], chunk_ids,
                                                                strict=True)])
                if progress is not None and not progress(start + len(chunk), len(rows)):
                    raise KantorError("Import cancelled; nothing was imported.")
            if rows_in is not None:
                rows_in()
            # Each client's audit row, sealed into the chain as it goes in rather than read back and
            # updated by the commit; last, so PostgreSQL's lock on the chain is held only until the
            # commit. The search index takes the entries meanwhile (SQLite), while the rows are hashed.
            audit_chain.insert_sealed(connection, [
                (stamp_value, user, "create", "client", client_id, client_id, summary, "{}") for client_id in ids],
                beside=index_entries)

    # --- export -----------------------------------------------------------------------------------------

    def export_file(self, path: Path, mask_sensitive: bool = False, force: bool = False) -> int:
        """Write every client the acting user may see (services/restricted.py); importing this into an empty database and exporting gives the same file.

        The target must be one that may be written (`check_output_target`: an existing file only with
        `force`, the office's own files never). It is written whole or not at all
        (`file_writes.atomic_file`). A cell a spreadsheet would run as a formula starts with an
        apostrophe (`csv_text.mark`).

        `mask_sensitive` (privacy mode is on): a sensitive client's name reads MASKED_NAME and the
        A-number is left out, so the file can go where those must not (DOMAIN.md §1)."""
        self.require("clients.export")
        target = check_output_target(path, self._locations, force=force)
        count = 0
        with atomic_file(target, shown=path, encoding="utf-8-sig") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(COLUMNS)
            for row in self._export_rows(mask_sensitive):
                writer.writerow([csv_text.mark(value) for value in row])
                count += 1
        return count

    def _export_rows(self, mask_sensitive: bool) -> Iterator[list[str]]:
        columns = (Client.given_name, Client.middle_name, Client.family_name, Client.second_family_name,
                   Client.a_number, Client.date_of_birth, Client.country_of_birth, Client.preferred_language,
                   Client.phone, Client.email, Client.street, Client.city, Client.state, Client.postal_code,
                   Client.notes, Client.sensitive)
        with self._db.read() as session:
            visible = restricted.visible(select(*columns), Client.id, restricted.hidden_client_ids(session, self.user))
            result = session.execute(visible.order_by(Client.id).execution_options(yield_per=2000))
            for *row, sensitive in result:
                values = ["" if v is None else v.isoformat() if isinstance(v, date) else str(v) for v in row]
                if mask_sensitive and sensitive:
                    values[:5] = [MASKED_NAME, "", "", "", ""]  # the name parts and the A-number
                yield values


def _check_header(name: str, header: list[str], ignore_extra_columns: bool) -> list[str]:
    """The columns to leave out (unknown ones, with `ignore_extra_columns`); CsvRefused for a header
    that cannot be read without losing or mixing up data."""
    # First: a first row that is not a header holds client data, which no message may quote.
    missing = [c for c in ("first_name", "last_name") if c not in header]
    if missing:
        raise CsvRefused(f"{name} has no {' or '.join(missing)} column; the first row must name the columns: "
                         f"{', '.join(COLUMNS)}.")
    named = [h for h in header if h]
    twice = sorted({h for h in named if named.count(h) > 1})
    if twice:
        raise CsvRefused(f"{name} names the column {' and '.join(twice)} more than once, so it is not clear which "
                         "cell to take; nothing was imported. Remove or rename the extra column.")
    unknown = [h for h in named if h not in COLUMNS]
    if unknown and not ignore_extra_columns:
        raise UnknownColumns(f"{name} has columns this import does not know: {', '.join(unknown)}; nothing was "
                             f"imported. Rename them to one of {', '.join(COLUMNS)}, or leave them out of the "
                             "import (--ignore-extra-columns).", unknown)
    unnamed = [f"column {i + 1} (no name)" for i, h in enumerate(header) if not h]
    return unknown + (unnamed if ignore_extra_columns else [])


def _without_duplicates(existing: tuple[dict[str, int], dict[tuple[str, date], int]], rows: list[ParsedRow]
                        ) -> tuple[list[ParsedRow], list[ImportProblem]]:
    """The rows that are nobody already in the database (`existing`, from `_existing_clients`) or
    earlier in the file, and the others."""
    existing_a, existing_names = existing
    fresh: list[ParsedRow] = []
    duplicates: list[ImportProblem] = []
    seen_a: dict[str, int] = {}
    seen_names: dict[tuple[str, date], int] = {}
    for row in rows:
        draft = row.draft
        name_key = (row.columns["name_folded"], draft.date_of_birth) if draft.date_of_birth else None
        if draft.a_number and draft.a_number in existing_a:
            duplicates.append(ImportProblem(row.line, "a_number", f"{format_a_number(draft.a_number)} is already "
                                                                  f"client {existing_a[draft.a_number]}"))
        elif draft.a_number and draft.a_number in seen_a:
            duplicates.append(ImportProblem(row.line, "a_number", f"same A-number as row {seen_a[draft.a_number]}"))
        elif name_key and name_key in existing_names:
            duplicates.append(ImportProblem(row.line, "last_name", "same name and date of birth as client "
                                                                   f"{existing_names[name_key]}"))
        elif name_key and name_key in seen_names:
            duplicates.append(ImportProblem(row.line, "last_name",
                                            f"same name and date of birth as row {seen_names[name_key]}"))
        else:
            fresh.append(row)
            if draft.a_number:
                seen_a[draft.a_number] = row.line
            if name_key:
                seen_names[name_key] = row.line
    return fresh, duplicates


def _conflicts(session: Session, rows: list[ParsedRow], user: str,
               should_stop: Callable[[], bool] | None = None) -> list[ImportProblem]:
    """The conflict check of the rows to import, as one batch (services/conflicts.batch_conflicts)."""
    return batch_conflicts(session.connection(), _batch_people(rows), restricted.hidden_client_ids(session, user),
                           should_stop)


def _batch_people(rows: list[ParsedRow]) -> list[BatchPerson]:
    # Validated drafts hold clean names: no full_name() (its cleaning) a 100,000 times over.
    return [BatchPerson(row.line, row.columns["name_folded"], _short_folded(row), row.draft.a_number or None)
            for row in rows]


def _short_folded(row: ParsedRow) -> str:
    """The row's first and family name folded. Without a middle or second family name that is its
    whole folded name, already worked out: the conflict check runs beside the write and holds the
    interpreter's lock while it folds, so 100,000 folds (0.7 s) it need not do slow the import."""
    draft = row.draft
    if not draft.middle_name and not draft.second_family_name:
        return str(row.columns["name_folded"])
    return names.fold(f"{draft.given_name} {draft.family_name}")


def _existing_clients(connection: Connection, rows: list[ParsedRow]
                      ) -> tuple[dict[str, int], dict[tuple[str, date], int]]:
    """The ids of clients already holding the rows' A-numbers, and their (folded name, date of birth).

    Plain SQL on the driver: an import runs this twice (while reading, and under the write lock), and
    SQLAlchemy's per-parameter processing of 100,000 pairs cost five times SQLite's own lookups.
    """
    a_numbers = [r.draft.a_number for r in rows if r.draft.a_number]
    pairs = [(r.columns["name_folded"], r.draft.date_of_birth) for r in rows if r.draft.date_of_birth]
    if connection.dialect.name == "sqlite":
        # Every key in one JSON text, every answer in one: two statements instead of some 300 IN
        # lists, which SQLite works out without the GIL (an import works out its search entries
        # meanwhile; after each IN list it needed the GIL back). Dates are ISO text, as SQLAlchemy
        # writes them.
        found = connection.exec_driver_sql(
            "SELECT json_group_array(json_array(c.a_number, c.id)) FROM json_each(?) AS wanted "
            "JOIN clients AS c ON c.a_number = wanted.value", (json.dumps(a_numbers),)).scalar_one()
        by_name = connection.exec_driver_sql(
            "SELECT json_group_array(json_array(c.name_folded, c.date_of_birth, c.id)) FROM json_each(?) AS wanted "
            "JOIN clients AS c ON c.name_folded = wanted.value ->> 0 AND c.date_of_birth = wanted.value ->> 1",
            (json.dumps([(folded, born.isoformat()) for folded, born in pairs]),)).scalar_one()
        return (dict(json.loads(found)),
                {(name, date.fromisoformat(born)): client_id for name, born, client_id in json.loads(by_name)})
    # PostgreSQL: IN lists, neither sorted nor made unique (the database does both, faster).
    mark = "%s"
    existing_a: dict[str, int] = {}
    for start in range(0, len(a_numbers), 900):
        some = a_numbers[start:start + 900]
        for a_number, client_id in connection.exec_driver_sql(
                f"SELECT a_number, id FROM clients WHERE a_number IN ({', '.join([mark] * len(some))})", tuple(some)):
            existing_a[a_number] = client_id
    existing_names: dict[tuple[str, date], int] = {}
    for start in range(0, len(pairs), 450):
        chunk = pairs[start:start + 450]
        for name, born, client_id in connection.exec_driver_sql(
                "SELECT name_folded, date_of_birth, id FROM clients WHERE (name_folded, date_of_birth) IN "
                f"(VALUES {', '.join([f'({mark}, {mark}::date)'] * len(chunk))})",
                tuple(value for pair in chunk for value in pair)):
            existing_names[(name, born)] = client_id
    return existing_a, existing_names


def _insert_sql(connection: Connection, table: str, columns: list[str]) -> str:
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(mark for _ in columns)})"


def _reserve_client_ids(connection: Connection, count: int) -> list[int]:
    """`count` new client ids. The caller holds the write lock, so on SQLite nobody else takes one."""
    if connection.dialect.name == "sqlite":
        first = int(connection.exec_driver_sql("SELECT coalesce(max(id), 0) + 1 FROM clients").scalar_one())
        return list(range(first, first + count))
    return list(connection.exec_driver_sql(
        "SELECT nextval(pg_get_serial_sequence('clients', 'id')) FROM generate_series(1, %s)", (count,)).scalars())


@contextmanager
def _beside(work: Callable[..., _Result], *arguments: Any) -> Iterator[Future[_Result]]:
    """`work(*arguments, should_stop)` in a worker thread while the block runs. If the block fails
    (a cancelled import, a refused write), the work is told to stop: leaving then waits for the step
    it is in, not for the rest of it."""
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-conflicts") as worker:
        future = worker.submit(work, *arguments, stop.is_set)
        try:
            yield future
        except BaseException:
            stop.set()
            raise


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while an import works (for the whole process: there is one).

    The rows read make the heap grow by hundreds of thousands of objects, and every full collection
    walks all of them: a fifth of a 100,000-row import's time, spent finding no garbage, as reference
    counting frees what the import drops. The few cycles made meanwhile are collected once it is
    done. Left alone if the collector was off already (another import, or whoever turned it off).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class _CommitWatch:
    """Whether anyone has committed to a SQLite office since the watch began, by SQLite's own count:
    an idle connection's PRAGMA data_version changes whenever any other connection commits (another
    desk, another program, this process's own writer). This connection only reads. On PostgreSQL
    there is no such count, and it always answers that something may have been committed."""

    def __init__(self, database: Any) -> None:
        self._connection = office_keys.connect(database.path, database.key, read_only=True) \
            if database.is_sqlite else None
        self._began: int | None = None

    def begin(self) -> None:
        self._began = self._version()

    def _version(self) -> int | None:
        if self._connection is None:
            return None
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def nothing_committed(self) -> bool:
        return self._began is not None and self._version() == self._began

    def __enter__(self) -> _CommitWatch:
        return self

    def __exit__(self, *_exception: object) -> None:
        if self._connection is not None:
            self._connection.close()


class _SafetyBackup:
    """A backup taken in a worker thread while the caller goes on (SQLite releases the GIL while it
    copies and checks pages). Unless `keep()` is called, leaving the block stops it and removes it:
    nothing was imported, so the copy is of no use.

    Its check goes in two steps (db/backup.take_backup): the copy's pages, then — once the caller is
    idle, so the import keeps its core — each table against its indexes, on both cores. A big import
    commits after the first step (`wait_sound`) and hands the second over to its caller (`hand_over`).
    When the office passed its own start-up check, the first step is the copy read back equal to the
    office, and the pages are checked in the second.
    """

    def __init__(self, take: Callable[..., Any] | None, reason: str, integrity: IntegrityGate | None = None) -> None:
        self._take = take
        self._reason = reason
        # The backup's check of every page stands for the office's own quick_check (see
        # IntegrityGate.pause): one full read of a big office instead of two at once.
        self._integrity = integrity if take is not None else None
        self._stop = threading.Event()
        self._copied = threading.Event()
        self._sound = threading.Event()
        self._idle = threading.Event()
        self._sound_path = ""
        self._kept = False
        self._handed_over = False
        self._executor: ThreadPoolExecutor | None = None
        self._future: Future[Any] | None = None

    def __enter__(self) -> _SafetyBackup:
        if self._integrity is not None:
            self._integrity.pause()
        if self._take is not None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-backup")
            self._future = self._executor.submit(self._take, reason=self._reason, should_stop=self._stop.is_set,
                                                 copied=self._copied.set, caller_idle=self._idle,
                                                 pages_sound=self._pages_sound)
        return self

    def _pages_sound(self, path: Path) -> None:
        self._sound_path = str(path)
        self._sound.set()

    def pages_checked_or_over(self) -> bool:
        """Whether the copy's pages have passed their check, or the backup has ended otherwise (failed,
        stopped) or there is none: its core is free for other work."""
        return self._sound.is_set() or self._future is None or self._future.done()

    def wait_copied(self) -> None:
        """Until the office's pages are copied (only the check of the copy may still be running); the
        backup's error if it failed before that."""
        if self._future is None:
            return
        while not self._copied.wait(0.05):
            if self._future.done():
                self._future.result()  # its error, if it failed
                return

    def wait_sound(self) -> str:
        """The backup's path once its pages passed their check and it has its name (each table's
        check against its indexes may still be to come); its error if it failed before that."""
        if self._future is None:
            return ""
        while not self._sound.wait(0.05):
            if self._future.done():
                return self.wait()
        return self._sound_path

    def wait(self) -> str:
        """The backup's path once it is written and wholly verified; its error if it failed."""
        if self._future is None:
            return ""
        self._idle.set()
        result = self._future.result()
        return str(getattr(result, "path", result) or "")

    def keep(self) -> None:
        self._kept = True

    def hand_over(self) -> Callable[[], str] | None:
        """For a kept backup whose check is still running: what waits for its end (the backup's path,
        or its error), after the block is left. None when there is nothing left to wait for."""
        if self._future is None or self._future.done():
            return None
        self._handed_over = True
        self._idle.set()  # the import is done: both cores for the rest of the check
        return self._finish

    def _finish(self) -> str:
        try:
            return self.wait()
        finally:
            self._close()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: Any) -> None:
        if self._future is None or self._executor is None:
            return
        if not self._kept:
            self._stop.set()
        self._idle.set()
        if self._handed_over:
            return
        self._close()

    def _close(self) -> None:
        assert self._future is not None and self._executor is not None
        self._executor.shutdown(wait=True)
        if not self._kept and self._future.exception() is None:
            backup = Path(self.wait())
            backup.unlink(missing_ok=True)
            office_keys.keys_path(backup).unlink(missing_ok=True)
        if self._integrity is not None:
            self._integrity.resume()  # nothing vouched (stopped, failed): the office is checked after all


def _search_entry(row: ParsedRow) -> tuple[str, str, str]:
    """The label, detail and text of a new client's search entry (its id is not known yet)."""
    return search.client_entry_parts(row.draft)
