"""What the parts of the letter service share: where letters are filed, the worker processes, and
how a refusal and a letter's file name are made.

Folders and file names carry a client's number, never the name: a list of folder names, a backup
listing or a synced drive's log must not tell who the office's clients are.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kantor_cases.db.engine import Database
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.domain.private_files import make_private_folder

from ..base import Service
from ..file_writes import cannot_write, write_atomic
from ..locations import Locations
from ..output_files import check_output_target
from .workers import RenderWorkers


def refuse(field_name: str, message: str) -> ValidationError:
    """A refusal with one plain sentence (the field keeps it for the form that shows it)."""
    return ValidationError({field_name: message}, message=message)


def client_number(client_id: int) -> str:
    """How a client is named in folder and file names: `client-000123`."""
    return f"client-{client_id:06d}"


def make_letter_folder(folder: Path, shown: str | Path) -> None:
    """Create `folder` (and missing parents) 0700 whatever the umask; a refusal of the disk is
    WriteFailed naming `shown`."""
    try:
        make_private_folder(folder)
    except OSError as error:
        raise cannot_write(shown, error) from None


def unique_path(folder: Path, stem: str, taken: set[str] | None = None) -> Path:
    """`folder/stem.pdf`, or `stem (2).pdf` and so on: a name no file there (nor in `taken`) has yet."""
    for number in range(1, 10_000):
        name = f"{stem}.pdf" if number == 1 else f"{stem} ({number}).pdf"
        if (taken is None or name not in taken) and not (folder / name).exists():
            if taken is not None:
                taken.add(name)
            return folder / name
    raise KantorError(f"{folder} has too many letters called {stem}; move some of them first.")


class LetterServiceBase(Service):
    """What every part of `LetterService` is built on: the office's folders and the batch workers,
    whose warm-up letter is dated by the office's clock."""

    def __init__(self, database: Database, actor: Callable[[], str], locations: Locations,
                 workers: int | None = None, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__(database, actor, clock)
        self._locations = locations
        self._documents = locations.documents
        self._workers = RenderWorkers(workers, clock.today)

    def close(self) -> None:
        """Stop the batch worker processes (the office is closing)."""
        self._workers.close()

    def start_workers(self, expected_letters: int | None = None, wait: bool = False) -> None:
        """Start the batch worker processes now, so that the next batch does not wait for them.

        The batch dialog calls this when it opens, with the number of letters it expects (nothing
        is started for a batch too small to use them). Starting takes about half a second (a fork
        server starts and imports the renderer), so by default it runs on a daemon thread.
        """
        self._workers.start(expected_letters, wait)

    def copy_target(self, target: Path, force: bool = False) -> Path:
        """`target`, made absolute, if a letter may be written there: refused (TargetRefused, one plain
        sentence) when it exists and `force` is off, and always when it is one of the office's own files."""
        return check_output_target(Path(target), self._locations, force=force)

    def write_copy(self, target: Path, pdf: bytes, force: bool = False) -> Path:
        """Write a letter (a preview, or a logged letter printed again) to a file the user named."""
        path = self.copy_target(target, force)
        write_atomic(path, pdf, shown=target)
        return path
