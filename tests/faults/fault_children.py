"""What the fault tests' child processes do: save clients, import a CSV, hold the write lock, edit a
client in step with the test. They run forked from a server that has already imported the app, so a
child is saving within milliseconds and thirty kills cost seconds, not minutes.

Each child reports what it did by appending lines to a log file with os.write (no Python buffer):
a line written before SIGKILL is in the file afterwards, and a child prints a save only after the
commit has returned.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import sqlcipher3

from kantor_cases.domain.errors import ConflictError
from kantor_cases.domain.records import ClientDraft
from kantor_cases.services import locations
from kantor_cases.services.clients import with_changes
from kantor_cases.services.office import Office


def _warm_up() -> None:
    """Open (and drop) a throwaway office once, so every service module and SQLAlchemy's compiled
    caches are loaded in the fork server and each forked child starts saving at once."""
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="kantor-fault-warm-")
    try:
        office = open_office(str(Path(folder) / "warm.sqlite3"))
        office.clients.create(ClientDraft(given_name="Warm", family_name="Up"))
        office.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class Log:
    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def say(self, text: str) -> None:
        os.write(self._fd, (text + "\n").encode())


def read_log(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [line.split(" ") for line in path.read_text(encoding="utf-8").splitlines() if line]


def open_office(db: str) -> Office:
    return Office.open(locations.resolve(db), "fault-child")


def save_clients(db: str, log_path: str, run: int) -> None:
    """Create clients and edit every third one, forever; report each after its commit returned."""
    log = Log(log_path)
    office = open_office(db)
    log.say("ready")
    previous = None
    number = 0
    while True:
        number += 1
        created = office.clients.create(ClientDraft(given_name=f"Run{run}", family_name=f"Saved{number}",
                                                    phone="(213) 555-0100", city="Los Angeles"))
        log.say(f"created {created.id}")
        if previous is not None and number % 3 == 0:
            note = f"edit-{run}-{number}"
            edited = office.clients.update(previous.id, with_changes(previous, notes=note), previous.version)
            log.say(f"edited {edited.id} {edited.version} {note}")
        previous = created


def import_csv(db: str, log_path: str, csv_path: str) -> None:
    log = Log(log_path)
    office = open_office(db)
    log.say("ready")
    report = office.client_csv.import_file(Path(csv_path))
    log.say(f"imported {report.imported}")
    office.close()


def hold_write_lock(db: str, log_path: str, seconds: float) -> None:
    """Take the write lock as another desk's long save would, and keep it."""
    log = Log(log_path)
    connection = sqlcipher3.connect(db, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    log.say("locked")
    time.sleep(seconds)
    connection.execute("ROLLBACK")
    connection.close()


def edit_client_when_told(db: str, client_id: int, pipe: Any) -> None:
    """Load a client, wait for the word, then save an edit based on what was loaded."""
    office = open_office(db)
    loaded = office.clients.get(client_id)
    pipe.send(("loaded", loaded.version))
    pipe.recv()
    try:
        office.clients.update(client_id, with_changes(loaded, notes="second desk's edit"), loaded.version)
    except ConflictError as error:
        pipe.send(("conflict", str(error)))
    else:
        pipe.send(("saved", ""))
    office.close()


_warm_up()
