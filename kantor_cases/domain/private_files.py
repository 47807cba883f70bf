"""Files and folders only their owner may read (0600 in 0700), whatever the umask.

The office holds the histories of people who may be undocumented: another account on the same
computer must not read the database, its keys, backups, exports or logs. The composition root sets
a process umask of 0o077; these helpers make the same true when a library or a test runs under 022.
Standard library only, so every layer (db, letters, services, app) can use it.
"""

from __future__ import annotations

import os
from pathlib import Path

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


def write_private_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` all at once: written to a 0600 temporary file beside it, flushed to
    disk, renamed over it, and the folder flushed, so a crash leaves the old file or the new one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        if hasattr(os, "fchmod"):  # O_TRUNC reuses a temporary file a killed writer left
            os.fchmod(descriptor, PRIVATE_FILE)
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
        os.fsync(descriptor)
    except BaseException:
        os.close(descriptor)
        temporary.unlink(missing_ok=True)
        raise
    os.close(descriptor)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut (POSIX; Windows has no folder handles to flush)."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
