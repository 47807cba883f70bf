"""What the fault tests check after every kill: the office as `kantor-cases check` and a user see it."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlcipher3

from kantor_cases.cli import main as cli_main


def check_is_clean(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`kantor-cases check` exits 0 and says the database is healthy."""
    capsys.readouterr()
    code = cli_main(["--db", str(db), "check"])
    out, err = capsys.readouterr()
    assert code == 0, f"check failed after the kill: {out} {err}"
    assert "healthy" in out


def half_saved_clients(db: Path) -> list[int]:
    """Clients without their search entry or their audit row: a save that was only partly written."""
    connection = sqlcipher3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute(
            "SELECT c.id FROM clients c WHERE NOT EXISTS (SELECT 1 FROM search_entries e WHERE e.kind = 'client' "
            "AND e.ref_id = c.id) OR NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.entity = 'client' "
            "AND a.entity_id = c.id AND a.action = 'create')")]
    finally:
        connection.close()


def file_digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def client_count(db: Path) -> int:
    connection = sqlcipher3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM clients").fetchone()[0]
    finally:
        connection.close()


def run_cli(args: list[str], preexec_fn: Callable[[], None] | None = None, wrapper: list[str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`kantor-cases ARGS` in a child process (optionally limited by `preexec_fn` or run under
    `wrapper`); returns the CompletedProcess with text output."""
    import sys

    return subprocess.run([*(wrapper or []), sys.executable, "-m", "kantor_cases", *args], capture_output=True,
                          text=True, timeout=timeout, preexec_fn=preexec_fn, check=False)


def write_import_csv(path: Path, rows: int, city: str, first_a_number: int = 400_000_000) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["first_name", "last_name", "a_number", "date_of_birth", "phone", "city"])
        for number in range(rows):
            writer.writerow([f"Person{number}", "Fault", f"A{first_a_number + number:09d}", "1979-05-06",
                             f"(323) 555-{number % 10000:04d}", city])
