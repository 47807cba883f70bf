"""CSV import and export of clients, in the columns an office keeps in Excel.

Import accepts what Excel writes (UTF-8 with or without BOM, Windows-1252, CRLF; dates as
YYYY-MM-DD or M/D/YYYY) and is all-or-nothing by default: one bad row and nothing is written,
with every problem listed by row, column and reason. Duplicates (same A-number, or same name and
date of birth, in the database or earlier in the file) are reported and never inserted twice.
A real import takes a backup first.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from kantor_cases.db import search as search_backend
from kantor_cases.db.base import now
from kantor_cases.db.models import AuditEvent, Client, SearchEntry
from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.domain.identifiers import format_a_number
from kantor_cases.domain.records import ClientDraft, ImportProblem, ImportReport
from kantor_cases.domain.validation import file_problem, parse_date

from . import search
from .base import Service
from .clients import client_columns
from .validation import validate_client

COLUMNS = ("first_name", "middle_name", "last_name", "second_last_name", "a_number", "date_of_birth",
           "country_of_birth", "preferred_language", "phone", "email", "street", "city", "state", "postal_code",
           "notes")
# CSV column → ClientDraft field (where the names differ).
FIELD_OF = {"first_name": "given_name", "middle_name": "middle_name", "last_name": "family_name",
            "second_last_name": "second_family_name"}
MAX_FILE_BYTES = 200 * 1024 * 1024
INSERT_CHUNK = 5000

Progress = Callable[[int, int], bool]  # (done, total) -> keep going?


@dataclass(frozen=True)
class ParsedRow:
    line: int
    draft: ClientDraft
    columns: dict[str, Any]  # the table columns of the draft, computed once per row


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which is what Excel on Windows saves."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _row_draft(values: dict[str, str], line: int, problems: list[ImportProblem]) -> ClientDraft | None:
    dob = None
    raw_dob = values.get("date_of_birth", "").strip()
    if raw_dob:
        try:
            dob = parse_date(raw_dob)
        except ValueError as error:
            problems.append(ImportProblem(line, "date_of_birth", str(error)))
            return None
    draft = ClientDraft(
        given_name=values.get("first_name", ""), middle_name=values.get("middle_name", ""),
        family_name=values.get("last_name", ""), second_family_name=values.get("second_last_name", ""),
        a_number=values.get("a_number", ""), date_of_birth=dob, country_of_birth=values.get("country_of_birth", ""),
        preferred_language=values.get("preferred_language", "") or "en", phone=values.get("phone", ""),
        email=values.get("email", ""), street=values.get("street", ""), city=values.get("city", ""),
        state=values.get("state", ""), postal_code=values.get("postal_code", ""), notes=values.get("notes", ""))
    try:
        return validate_client(draft)
    except ValidationError as error:
        column_of = {v: k for k, v in FIELD_OF.items()}
        for field, reason in error.fields.items():
            problems.append(ImportProblem(line, column_of.get(field, field), reason))
        return None


class ClientCsvService(Service):
    def __init__(self, database: Any, actor: Callable[[], str], backup: Callable[[str], Any] | None = None) -> None:
        super().__init__(database, actor)
        self._backup = backup

    def parse(self, path: Path) -> tuple[list[ParsedRow], list[ImportProblem], int]:
        problem = file_problem(path)
        if problem:
            raise KantorError(problem)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise KantorError(f"{path} is larger than {MAX_FILE_BYTES // 1_048_576} MB; split it into smaller files.")
        text = decode(path.read_bytes())
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader)
        except StopIteration:
            raise KantorError(f"{path} is empty.") from None
        except csv.Error as error:
            raise KantorError(f"{path} is not a readable CSV file: {error}.") from None
        header = [h.strip().lower().replace(" ", "_") for h in header]
        missing = [c for c in ("first_name", "last_name") if c not in header]
        if missing:
            raise KantorError(f"{path} has no {' or '.join(missing)} column; the first row must name the columns: "
                              f"{', '.join(COLUMNS)}.")
        unknown = [h for h in header if h and h not in COLUMNS]
        problems: list[ImportProblem] = []
        if unknown:
            problems.append(ImportProblem(1, ", ".join(unknown), "unknown column, ignored"))
        rows: list[ParsedRow] = []
        count = 0
        try:
            for line_no, record in enumerate(reader, start=2):
                if not any(cell.strip() for cell in record):
                    continue
                count += 1
                if len(record) > len(header):
                    problems.append(ImportProblem(line_no, "", f"has {len(record)} cells but the header has "
                                                               f"{len(header)}; check for an unquoted comma"))
                    continue
                values = dict(zip(header, record, strict=False))
                draft = _row_draft(values, line_no, problems)
                if draft is not None:
                    rows.append(ParsedRow(line_no, draft, client_columns(draft)))
        except csv.Error as error:
            problems.append(ImportProblem(reader.line_num, "", f"the file is broken here: {error}"))
        # The unknown-column note is a warning, not a rejected row.
        return rows, problems, count

    def import_file(self, path: Path, dry_run: bool = False, skip_invalid: bool = False,
                    progress: Progress | None = None) -> ImportReport:
        rows, problems, total = self.parse(path)
        warnings = [p for p in problems if p.row == 1]
        errors = [p for p in problems if p.row != 1]
        with self._db.read() as session:
            fresh, duplicates = self._without_duplicates(session, rows)
        if errors and not skip_invalid:
            return ImportReport(total, 0, len(duplicates), tuple(problems), dry_run, "", tuple(duplicates))
        if dry_run or not fresh:
            return ImportReport(total, 0 if dry_run else 0, len(duplicates), tuple(problems), dry_run, "",
                                tuple(duplicates))
        backup_path = ""
        if self._backup is not None:
            result = self._backup("before-import")
            backup_path = str(getattr(result, "path", result) or "")
        imported = self._insert(fresh, path.name, progress)
        return ImportReport(total, imported, len(duplicates), tuple(warnings + errors), dry_run, backup_path,
                            tuple(duplicates))

    @staticmethod
    def _without_duplicates(session: Session, rows: list[ParsedRow]) -> tuple[list[ParsedRow], list[ImportProblem]]:
        a_numbers = [r.draft.a_number for r in rows if r.draft.a_number]
        existing_a: dict[str, int] = {}
        for start in range(0, len(a_numbers), 900):
            chunk = a_numbers[start:start + 900]
            for a_number, client_id in session.execute(select(Client.a_number, Client.id)
                                                       .where(Client.a_number.in_(chunk))):
                existing_a[str(a_number)] = client_id
        keys: list[tuple[str, date]] = [(r.columns["name_folded"], r.draft.date_of_birth)
                                        for r in rows if r.draft.date_of_birth]
        existing_names: dict[tuple[str, date], int] = {}
        wanted = set(keys)
        distinct_names = sorted({name for name, _dob in keys})
        for start in range(0, len(distinct_names), 900):
            name_chunk = distinct_names[start:start + 900]
            for name, dob, client_id in session.execute(
                    select(Client.name_folded, Client.date_of_birth, Client.id)
                    .where(Client.name_folded.in_(name_chunk), Client.date_of_birth.is_not(None))):
                if dob is not None and (name, dob) in wanted:
                    existing_names[(name, dob)] = client_id
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

    def _insert(self, rows: list[ParsedRow], source: str, progress: Progress | None) -> int:
        """One transaction for the whole file: it is wholly present or wholly absent.

        Core executemany (no RETURNING) with ids handed out under the write lock: the ORM's bulk
        insert with RETURNING costs more than SQLite's own work at 100,000 rows. The search index
        takes the new entries in one statement at the end.
        """
        user = self.user
        stamp = now()
        with self._db.write() as session:
            connection = session.connection()
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                # A bigger page cache for this one transaction keeps the indexes' pages in memory.
                connection.exec_driver_sql("PRAGMA cache_size = -65536")
            next_id = int(session.execute(select(func.coalesce(func.max(Client.id), 0))).scalar_one()) + 1
            with search_backend.appending(connection):
                for start in range(0, len(rows), INSERT_CHUNK):
                    chunk = rows[start:start + INSERT_CHUNK]
                    values = []
                    for offset, row in enumerate(chunk):
                        value = dict(row.columns)
                        value.update(version=1, created_at=stamp, created_by=user, updated_at=stamp,
                                     updated_by=user)
                        if sqlite:
                            value["id"] = next_id + start + offset
                        values.append(value)
                    if sqlite:
                        connection.execute(insert(Client), values)
                        ids = [v["id"] for v in values]
                    else:
                        ids = list(session.scalars(insert(Client).returning(Client.id), values))
                    entries = [search.client_entry(_Row({**value, "id": client_id}))
                               for client_id, value in zip(ids, values, strict=True)]
                    connection.execute(insert(SearchEntry), entries)
                    connection.execute(insert(AuditEvent), [
                        {"at": stamp, "user_name": user, "action": "create", "entity": "client", "entity_id": client_id,
                         "client_id": client_id, "summary": f"imported the client from {source}", "changes": "{}"}
                        for client_id in ids])
                    if progress is not None and not progress(start + len(chunk), len(rows)):
                        raise KantorError("Import cancelled; nothing was imported.")
            if sqlite:
                connection.exec_driver_sql("PRAGMA cache_size = -2000")
        return len(rows)

    # --- export -----------------------------------------------------------------------------------------

    def export_file(self, path: Path) -> int:
        """Write every client; importing this into an empty database and exporting gives the same file."""
        path = path.expanduser()
        if path.parent and not path.parent.exists():
            raise KantorError(f"The folder {path.parent} does not exist.")
        descriptor, temporary = tempfile.mkstemp(prefix=".export-", suffix=".csv", dir=path.parent)
        count = 0
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\r\n")
                writer.writerow(COLUMNS)
                for row in self._export_rows():
                    writer.writerow(row)
                    count += 1
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return count

    def _export_rows(self) -> Iterator[list[str]]:
        columns = (Client.given_name, Client.middle_name, Client.family_name, Client.second_family_name,
                   Client.a_number, Client.date_of_birth, Client.country_of_birth, Client.preferred_language,
                   Client.phone, Client.email, Client.street, Client.city, Client.state, Client.postal_code,
                   Client.notes)
        with self._db.read() as session:
            result = session.execute(select(*columns).order_by(Client.id).execution_options(yield_per=2000))
            for row in result:
                yield ["" if v is None else v.isoformat() if isinstance(v, date) else str(v) for v in row]


class _Row:
    """Attribute access over a dict, so bulk rows can reuse `search.client_entry`."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
        self.aliases = json.loads(values.get("aliases", "[]"))
