"""SIGKILL a process importing a CSV, at random moments: afterwards the import is wholly present or
wholly absent (never a part of the file), and `kantor-cases check` finds the file healthy."""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

import pytest
import sqlcipher3
from fault_checks import check_is_clean, half_saved_clients, write_import_csv
from fault_children import import_csv, read_log

ROWS = 1500
CITY = "Importville"


def _imported(db: Path) -> int:
    connection = sqlcipher3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM clients WHERE city = ?", (CITY,)).fetchone()[0]
    finally:
        connection.close()


def _run(children, db: Path, log: Path, csv_path: Path, kill_after: float | None) -> float:
    """Kill the importing child `kill_after` seconds after it opened the office (None: let it
    finish); return its exit code, or how long the whole import took."""
    child = children.Process(target=import_csv, args=(str(db), str(log), str(csv_path)))
    child.start()
    deadline = time.monotonic() + 30
    while not (log.exists() and "ready" in log.read_text(encoding="utf-8")):
        assert time.monotonic() < deadline, "the importing child never started"
        time.sleep(0.002)
    if kill_after is None:
        started = time.monotonic()
        child.join(60)
        assert child.exitcode == 0
        return time.monotonic() - started
    time.sleep(kill_after)
    child.kill()
    child.join(10)
    return child.exitcode


@pytest.mark.parametrize("runs", [12, pytest.param(120, marks=pytest.mark.long)])
def test_an_import_killed_at_any_moment_is_all_or_nothing(children, template_office, tmp_path, capsys, runs):
    csv_path = tmp_path / "clients.csv"
    write_import_csv(csv_path, ROWS, CITY, 300_000_000)

    # How long a whole import takes here, so the kills land anywhere in it (parse, backup, insert, commit).
    whole = tmp_path / "whole" / "office.sqlite3"
    whole.parent.mkdir()
    shutil.copyfile(template_office, whole)
    duration = _run(children, whole, tmp_path / "whole.log", csv_path, None)
    assert _imported(whole) == ROWS
    assert read_log(tmp_path / "whole.log")[-1] == ["imported", str(ROWS)]

    rng = random.Random(runs)
    outcomes = {"absent": 0, "present": 0}
    for run in range(runs):
        db = tmp_path / f"run{run}" / "office.sqlite3"
        db.parent.mkdir()
        shutil.copyfile(template_office, db)
        log = tmp_path / f"run{run}.log"
        # Every other kill lands in the last part, where the rows are written and committed.
        when = rng.uniform(0.0, duration) if run % 2 == 0 else rng.uniform(0.6, 1.05) * duration
        exit_code = _run(children, db, log, csv_path, when)

        check_is_clean(db, capsys)
        found = _imported(db)
        assert found in (0, ROWS), f"run {run}: {found} of {ROWS} rows of a killed import are in the office"
        assert half_saved_clients(db) == []
        if exit_code == 0:  # it finished before the kill: it said so, and all of it is there
            assert found == ROWS
        outcomes["present" if found else "absent"] += 1
        shutil.rmtree(db.parent)
    print(f"\n{runs} killed imports: {outcomes}")
