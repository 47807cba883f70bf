"""Damage noticed before anything is written: SQLite's quick_check of an office at opening.

A damaged page in the middle of a file does not stop SQLite from opening it; writing on top of it
spreads the damage. So every opening of a SQLite office runs `PRAGMA quick_check` on its own
connection. On a big office that takes seconds, so it runs beside the caller (the window paints,
a search answers) and `Database.write()` waits for its verdict: no save reaches a file that has not
passed. A damaged office stays open for reading, to look things up and take the data elsewhere, and
every save is refused with a sentence that says what to do.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import sqlcipher3

log = logging.getLogger(__name__)

# quick_check stops after this many problems; the first few say enough.
MAX_PROBLEMS = 20


def damage_message(location: object) -> str:
    return (f"{location} is damaged, so it was opened read-only and nothing can be saved. Restore the newest "
            "backup (File → Restore from a backup…, or `kantor-cases restore`); `kantor-cases check` lists "
            "the damage.")


def _problems(connection: sqlcipher3.Connection) -> list[str]:
    """Damage found; OperationalError (locked, interrupted, an I/O error) is not damage and goes up."""
    try:
        lines = [str(row[0]) for row in connection.execute(f"PRAGMA quick_check({MAX_PROBLEMS})")]
    except sqlcipher3.OperationalError:
        raise
    except sqlcipher3.DatabaseError as error:  # "database disk image is malformed" and kin
        return [str(error)]
    return [] if lines == ["ok"] else lines


class IntegrityGate:
    """One quick_check of the office, started at opening; `verdict()` waits for it.

    `close()` interrupts a check still running (a CLI command that only read is done before it).
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._done = threading.Event()
        self._problems: list[str] = []
        self._connection: sqlcipher3.Connection | None = None
        self._lock = threading.Lock()
        self._closed = False
        self.seconds = 0.0
        self.unchecked = ""  # why the check could not run, if it could not

    def run(self) -> list[str]:
        """Check now, on the caller's thread."""
        started = time.perf_counter()
        try:
            connection = sqlcipher3.connect(f"{self._path.absolute().as_uri()}?mode=ro", uri=True, timeout=5,
                                            check_same_thread=False)
        except sqlcipher3.OperationalError as error:
            log.warning("quick_check could not open the database: %s", error)
            self.unchecked = str(error)
            self._finish([], started)
            return []
        with self._lock:
            self._connection = connection
        try:
            problems = [] if self._closed else _problems(connection)
        except sqlcipher3.OperationalError as error:
            # Interrupted by close(), or the file could not be read just now (locked, I/O): no
            # verdict of damage. Saves then meet the same condition themselves and say so.
            if not self._closed:
                log.warning("quick_check could not run: %s", error)
                self.unchecked = str(error)
            problems = []
        finally:
            with self._lock:
                self._connection = None
            connection.close()
        self._finish(problems, started)
        return problems

    def start(self) -> None:
        """Check on a thread of its own (SQLite releases the GIL while it reads the pages)."""
        threading.Thread(target=self.run, name="quick-check", daemon=True).start()

    def _finish(self, problems: list[str], started: float) -> None:
        if self._done.is_set():  # vouched for meanwhile
            return
        self._problems = problems
        self.seconds = time.perf_counter() - started
        if problems and not self._closed:
            log.error("quick_check found %d problems in the database; it is open read-only", len(problems))
        self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def verdict(self) -> list[str]:
        """The problems found (empty when sound), waiting for the check if it is still running."""
        self._done.wait()
        return self._problems

    def vouch(self) -> None:
        """A backup of the office just passed its own integrity_check: the backup API copies pages as
        they are, so the office's pages are sound too, and the slower check need not go on."""
        if self._done.is_set():
            return
        self._problems = []
        self._done.set()
        self.close()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            if self._connection is not None:
                self._connection.interrupt()
