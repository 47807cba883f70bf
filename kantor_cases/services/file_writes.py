"""Writing a file whole or not at all, and saying which file when the disk says no.

The data goes to a temporary file beside the target, is fsynced, then renamed over the target
(os.replace): a reader, or the office after a crash, sees the old file or the new one, never half
of one, and the temporary file is removed whenever a step fails. This is the one way the office
writes a file the user asked for: a letter, a copy, a batch's letters and print file, a CSV export,
a calendar. The error then names the file the user asked for — not the `.x1y2.part` they never
heard of — and what to do about it.

Every such file is its owner's alone (0600), whatever the umask of the process that writes it: they
hold client data, and a script or a test calling the services does not run under the umask the
program sets at start-up.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from kantor_cases.domain.errors import KantorError
from kantor_cases.domain.private_files import replacing


class WriteFailed(KantorError):
    """A file could not be written (no permission, a full disk, a failing disk); no part of it was left."""


_ADVICE = {
    errno.EACCES: "permission denied. Choose a folder you may write to",
    errno.EPERM: "permission denied. Choose a folder you may write to",
    errno.EROFS: "the disk is read-only. Choose another folder",
    errno.ENOSPC: "the disk is full. Free some space and try again",
    errno.EDQUOT: "the disk quota is used up. Free some space and try again",
    errno.EFBIG: "the file is too large for the disk. Choose another disk",
}


def failure_reason(error: OSError) -> str:
    """What went wrong and what to do, in words (`permission denied. Choose a folder …`)."""
    if error.errno in _ADVICE:
        return _ADVICE[error.errno]
    reason = (error.strerror or "the disk reported an error").rstrip(".")
    return f"{reason[:1].lower()}{reason[1:]}. Check the disk and try again"


def cannot_write(shown: str | Path, error: OSError) -> WriteFailed:
    """The error for a failed write of `shown`: the file as the user knows it, never the temporary one."""
    return WriteFailed(f"{shown} could not be written: {failure_reason(error)}.")


@contextmanager
def atomic_file(path: Path, shown: str | Path | None = None, sync: bool = True,
                encoding: str | None = None) -> Iterator[IO[Any]]:
    """A file to write `path` through, all at once: on leaving the block it is fsynced and renamed
    over `path`; if the block (or the disk) fails, `path` is as before and the temporary file gone.

    With `encoding` the file is text (newline="", for csv); without, bytes. Without `sync` the
    caller fsyncs the file itself (`sync_written`: a batch syncs its letters together). A failure
    of the disk is WriteFailed naming `shown` (default: `path`); a client's file passes words that
    do not carry the client's name.
    """
    name = path if shown is None else shown
    try:
        with replacing(path, sync, encoding) as handle:
            yield handle
    except OSError as error:
        raise cannot_write(name, error) from None


def write_atomic(path: Path, data: bytes, sync: bool = True, shown: str | Path | None = None) -> None:
    """Write `data` to `path` so that the file is either as before or complete, never partial
    (`atomic_file`)."""
    with atomic_file(path, shown, sync) as handle:
        handle.write(data)


def sync_written(paths: Iterable[Path], shown: str | Path) -> None:
    """Make files written without `sync` durable (one fsync each, after all the writes, so that the
    disk can coalesce them). The first that fails is WriteFailed naming `shown`: a disk that cannot
    keep one file will not keep the next, so the caller stops rather than carries on."""
    for path in paths:
        try:
            fd = os.open(path, os.O_RDWR)  # read-write: Windows cannot flush a file opened read-only
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as error:
            raise cannot_write(shown, error) from None
