"""CSV import: a valid 100,000-row file through the import service (parse, validate, duplicate check,
backup, insert with search entries and audit rows) beside raw `executemany` of the same client rows,
as the service stores them, in one transaction on a bare sqlcipher3 connection (keyed with the
office's data key when it is encrypted).

Both run on private copies of the office, so each starts from the same data.
"""

from __future__ import annotations

import csv
import gc
import os
import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kantor_cases.db.office_keys import connect
from kantor_cases.domain import names
from kantor_cases.services import locations
from kantor_cases.services.client_csv import COLUMNS, IMPORT_CACHE_KIB
from kantor_cases.services.clients import client_columns
from kantor_cases.services.demo import CITIES, ORIGINS, STREETS
from kantor_cases.services.office import Office

ROWS = 100_000


@dataclass(frozen=True)
class ImportFigures:
    rows_per_s: float  # into an office open in the window: its start-up check done before the file is chosen
    raw_rows_per_s: float
    parse_s: float  # reading and validating the file (a dry run), part of the import
    import_s: float  # until import_file returned: the rows committed
    backup_s: float | None
    imported: int
    # until the safety backup's last check ended (a big import commits once the copy is sound; the
    # rest of its check runs after that)
    checked_s: float
    startup_check_s: float  # the office's start-up check, waited for before the import was timed
    # `kantor-cases clients import` as one command: the office opened and the file imported at once,
    # so the copy's pages are checked before the commit, standing in for the start-up check
    command_rows_per_s: float
    command_s: float


def write_csv(path: Path, database: Path, key: bytes | None = None, rows: int = ROWS, seed: int = 100) -> None:
    """`rows` valid clients, none a duplicate of the office's (A-number, or name and date of birth)."""
    connection = connect(database, key, read_only=True)
    try:
        taken_a = {r[0] for r in connection.execute("SELECT a_number FROM clients WHERE a_number IS NOT NULL")}
        taken_names = set(connection.execute("SELECT name_folded, date_of_birth FROM clients"))
    finally:
        connection.close()
    rng = random.Random(seed)
    born = date(1950, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        written = 0
        while written < rows:
            _, givens, middles, families, seconds, language, country = rng.choices(
                ORIGINS, weights=[o[0] for o in ORIGINS])[0]
            given, middle, family, second = (rng.choice(givens), rng.choice(middles), rng.choice(families),
                                             rng.choice(seconds))
            dob = born + timedelta(days=rng.randrange(20_000))
            a_number = f"A{rng.randrange(10_000_000, 999_999_999):09d}" if rng.random() < 0.8 else ""
            folded = names.fold(names.full_name(given, middle, family, second))
            if (a_number and a_number in taken_a) or (folded, dob.isoformat()) in taken_names:
                continue
            taken_a.add(a_number)
            taken_names.add((folded, dob.isoformat()))
            city, zip_prefix = rng.choice(CITIES)
            area = rng.choice(["213", "323", "818", "626"])
            line = rng.randrange(10_000)
            phone = rng.choice([f"({area}) 555-{line:04d}", f"{area}-555-{line:04d}", f"+1 {area} 555 {line:04d}"])
            email = f"{names.fold(given).split()[0]}.{written}@example.org".replace("'", "") \
                if rng.random() < 0.5 else ""
            written_dob = dob.isoformat() if rng.random() < 0.5 else f"{dob.month}/{dob.day}/{dob.year}"
            writer.writerow([given, middle, family, second, a_number, written_dob, country,
                             "es" if language == "Spanish" else "en", phone, email,
                             f"{rng.randrange(100, 9999)} {rng.choice(STREETS)}", city, "CA",
                             f"{zip_prefix}{rng.randrange(10, 99)}", ""])
            written += 1


def measure_import(cached: Path, folder: Path, csv_path: Path, password: str | None = None) -> ImportFigures:
    """The import into a copy of the office `cached` (signed in with `password` when it is encrypted)."""
    from .office_cache import working_copy

    # The raw floor: the service's own rows (parsed outside the clock), written by executemany.
    service_copy = working_copy(cached, folder, "import-service")
    office = Office.open(locations.resolve(str(service_copy)), "bench", password=password)
    key = office.database.key
    try:
        started = time.perf_counter()
        parsed, problems, total = office.client_csv.parse(csv_path)
        parse_s = time.perf_counter() - started
        if problems or len(parsed) != total:
            raise RuntimeError(f"the benchmark CSV is not valid: {problems[:3]}")
        raw_rows = [{**client_columns(row.draft), "created_by": "bench", "updated_by": "bench", "version": 1}
                    for row in parsed]
    finally:
        office.close()
    raw_copy = working_copy(cached, folder, "import-raw")
    # Each timing starts on a quiet disk: the 760 MB copies just written would otherwise still be
    # flushing while the timed commit waits for its own writes (an office file is not freshly copied).
    os.sync()
    raw_s = _raw_insert(raw_copy, raw_rows, key)
    raw_copy.unlink()
    # The raw step's 200,000 row objects are not the app's: gone before the app is timed, or every
    # garbage collection during the import would walk them.
    row_count = len(raw_rows)
    del parsed, raw_rows
    gc.collect()
    os.sync()

    # As in the window: signed in, the office's start-up check has run by the time a file is chosen.
    started = time.perf_counter()
    open_office = Office.open(locations.resolve(str(service_copy)), "bench", password=password)
    if open_office.database.integrity is not None:
        open_office.database.integrity.verdict()
    startup_check_s = time.perf_counter() - started
    import_s, checked_s, backup_s, report = _timed_import(open_office, csv_path)
    service_copy.unlink()
    if report.imported != row_count:
        raise RuntimeError(f"the import wrote {report.imported} of {row_count} rows: {report.problems[:3]}")

    # As one command: opened and imported at once.
    command_copy = working_copy(cached, folder, "import-command")
    gc.collect()
    os.sync()
    command_s, _checked, _backup, command_report = _timed_import(
        Office.open(locations.resolve(str(command_copy)), "bench", password=password), csv_path)
    command_copy.unlink()
    if command_report.imported != row_count:
        raise RuntimeError(f"the command wrote {command_report.imported} of {row_count} rows")
    return ImportFigures(report.imported / import_s, row_count / raw_s, parse_s, import_s, backup_s, report.imported,
                         checked_s, startup_check_s, row_count / command_s, command_s)


def _timed_import(office: Office, csv_path: Path) -> tuple[float, float, float | None, Any]:
    """Seconds until `office` imported the file and until its backup's check ended, the backup's own
    seconds, and the report; the office is closed after."""
    backup_times: list[float] = []
    backups = office.client_csv._backup
    if backups is not None:
        def timed_backup(**arguments: Any) -> Any:
            started = time.perf_counter()
            try:
                return backups(**arguments)
            finally:
                backup_times.append(time.perf_counter() - started)

        office.client_csv._backup = timed_backup
    try:
        started = time.perf_counter()
        report = office.client_csv.import_file(csv_path)
        import_s = time.perf_counter() - started
        if report.backup_check is not None:
            report.backup_check()
        checked_s = time.perf_counter() - started
    finally:
        office.close()
    return import_s, checked_s, backup_times[0] if backup_times else None, report


def _raw_insert(path: Path, rows: list[dict[str, Any]], key: bytes | None) -> float:
    """Seconds for executemany of the client rows (as the service stores them) in one transaction,
    with the same durability and page cache as the import service."""
    connection = connect(path, key, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous = FULL")  # as the app's connections
        connection.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")  # as the import service sets it
        columns = list(rows[0])
        # Dates as SQLAlchemy stores them (ISO text); everything else is already a plain value.
        values = [tuple(v.isoformat() if isinstance(v, date) else v for v in row.values()) for row in rows]
        sql = (f"INSERT INTO clients ({', '.join(columns)}, created_at, updated_at) "
               f"VALUES ({', '.join('?' for _ in columns)}, datetime('now'), datetime('now'))")
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(sql, values)
        connection.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        connection.close()
