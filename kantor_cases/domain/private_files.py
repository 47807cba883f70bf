"""Files and folders only their owner may read (0600 in 0700), whatever the umask.

The office holds the histories of people who may be undocumented: another account on the same
computer must not read the database, its keys, backups, exports or logs. The composition root sets
a process umask of 0o077; these helpers make the same true when a library or a test runs under 022.
Standard library only, so every layer (db, letters, services, app) can use it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def make_private_folder(folder: Path) -> Path:
    """Create `folder` and its missing parents as 0700; folders that already exist are left as they
    are (a user's own Documents folder is theirs to set)."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for level in reversed(missing):
        try:
            level.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:  # made by another process meanwhile
            continue
        # mkdir's mode passes through the umask; chmod does not.
        os.chmod(level, PRIVATE_FOLDER)
    return folder


def create_private_file(path: Path) -> None:
    """Create `path` empty and 0600 (FileExistsError if it exists): a file SQLite is about to fill
    takes its permissions, and its -wal and -shm take the same ones."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.close(descriptor)
    os.chmod(path, PRIVATE_FILE)


def make_private(path: Path) -> None:
    """0600 for a file we just wrote (a library created it with the umask's permissions)."""
    if path.exists():
        os.chmod(path, PRIVATE_FILE)


@contextmanager
def replacing(path: Path, sync: bool = True, encoding: str | None = None) -> Iterator[IO[Any]]:
    """A file to write `path` through, all at once: a 0600 temporary file beside it (mkstemp makes it
    0600 whatever the umask, and the rename keeps that), fsynced and renamed over `path` when the
    block ends, the folder flushed; if anything fails, `path` is as before and the temporary file
    gone. With `encoding` the file is text (newline="", for csv); without, bytes. Without `sync` the
    caller makes the file durable itself (a batch syncs its letters together). The one atomic write
    every layer uses (services/file_writes.atomic_file adds the words for a failing disk)."""
    descriptor, temporary = tempfile.mkstemp(prefix=".", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb" if encoding is None else "w", encoding=encoding,
                       newline=None if encoding is None else "") as handle:
            yield handle
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    if sync:
        sync_folder(path.parent)


def write_private_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` all at once (`replacing`)."""
    with replacing(path) as handle:
        handle.write(data)


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut (POSIX; Windows has no folder handles to flush)."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
