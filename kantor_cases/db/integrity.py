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

from .office_keys import connect

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

    A verified backup may `vouch()` for the office instead (its copy passed integrity_check); a safety
    backup about to do that may `pause()` the check first. `close()` interrupts a check still running
    (a CLI command that only read is done before it).
    """

    def __init__(self, path: Path, key: bytes | None = None) -> None:
        self._path = path
        self._key = key
        self._done = threading.Event()
        self._problems: list[str] = []
        self._connection: sqlcipher3.Connection | None = None
        self._lock = threading.Lock()
        # Each run belongs to a generation; pausing or closing starts a new one, so an interrupted
        # run can never hand in an "ok" it did not earn.
        self._generation = 0
        self._paused = False
        self._closed = False
        self._rerun = threading.Lock()
        self.seconds = 0.0
        self.unchecked = ""  # why the check could not run, if it could not

    def run(self) -> list[str]:
        """Check now, on the caller's thread."""
        generation = self._generation
        started = time.perf_counter()
        try:
            connection = connect(self._path, self._key, read_only=True, timeout=5, check_same_thread=False)
        except sqlcipher3.OperationalError as error:
            log.warning("quick_check could not open the database: %s", error)
            self.unchecked = str(error)
            self._finish([], started, generation)
            return []
        with self._lock:
            self._connection = connection
        try:
            problems = _problems(connection) if generation == self._generation else []
        except sqlcipher3.OperationalError as error:
            # Interrupted (pause, close), or the file could not be read just now (locked, I/O): no
            # verdict of damage. Saves then meet the same condition themselves and say so.
            if generation == self._generation:
                log.warning("quick_check could not run: %s", error)
                self.unchecked = str(error)
            problems = []
        finally:
            with self._lock:
                self._connection = None
            connection.close()
        self._finish(problems, started, generation)
        return problems

    def start(self) -> None:
        """Check on a thread of its own (SQLite releases the GIL while it reads the pages)."""
        threading.Thread(target=self.run, name="quick-check", daemon=True).start()

    def _finish(self, problems: list[str], started: float, generation: int) -> None:
        with self._lock:
            if self._done.is_set() or generation != self._generation:  # vouched for, paused or closed
                return
            self._problems = problems
            self.seconds = time.perf_counter() - started
            self._done.set()
        if problems:
            log.error("quick_check found %d problems in the database; it is open read-only", len(problems))

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def passed(self) -> bool:
        """Whether the office's pages have been found sound in this process (by its own check, or by
        a backup's check of a copy of them), without waiting: False while the check runs, when it is
        paused, found problems or could not run, and once the office is closed."""
        with self._lock:
            return self._done.is_set() and not self._problems and not self.unchecked and not self._closed

    def verdict(self) -> list[str]:
        """The problems found (empty when sound), waiting for the check if it is still running, or
        running it now if it was paused and nothing has vouched for the office since."""
        if self._paused and not self._done.is_set():
            with self._rerun:
                if self._paused and not self._done.is_set():
                    self._paused = False
                    self.run()
        self._done.wait()
        return self._problems

    def pause(self) -> None:
        """Stop a check still running: a safety backup is about to check a copy of every page anyway
        and vouch for the office (two full reads on two cores would slow both). If nothing vouches,
        the next `verdict()` checks on its own."""
        with self._lock:
            if self._done.is_set():
                return
            self._paused = True
            self._interrupt()

    def resume(self) -> None:
        """Go on checking beside the caller after a `pause()` nothing vouched for (an import that
        wrote nothing drops its backup)."""
        with self._lock:
            if self._done.is_set() or not self._paused:
                return
            self._paused = False
        self.start()

    def vouch(self) -> None:
        """A backup of the office just passed its check of every page: a backup is the office's pages
        as they are, so the office's pages are sound too, and the slower check need not go on."""
        with self._lock:
            if self._done.is_set():
                return
            self._problems = []
            self._done.set()
            self._interrupt()

    def replaced(self) -> None:
        """The file was replaced by a backup that passed integrity_check: its verdict is the office's
        now, whatever was found in the file before (a damaged office is restored)."""
        with self._lock:
            self._problems = []
            self._done.set()
            self._interrupt()

    def close(self) -> None:
        """The office is being closed: a check still running is stopped, and waits on it end."""
        with self._lock:
            self._closed = True
            self._interrupt()
            self._done.set()

    def _interrupt(self) -> None:
        # Called with the lock held.
        self._generation += 1
        if self._connection is not None:
            self._connection.interrupt()
