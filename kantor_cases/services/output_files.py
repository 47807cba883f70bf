"""Where a command or a screen may write a file the user named: export, letter, calendar, report.

An office file must never be overwritten by a mistyped path (`clients export office.sqlite3` once
turned the live database into CSV text). So a target that exists is refused unless the user asked
for it (`--force`, or "Replace" in a save dialog), and the office's own files — the database, its
`-wal`/`-shm`/`-journal`, and anything in the backups folder — are refused even then.
"""

from __future__ import annotations

import os
from pathlib import Path

from kantor_cases.domain.errors import KantorError

from .locations import Locations

_DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")


class TargetRefused(KantorError):
    """The file named as output may not be written (it exists, or it belongs to the office)."""


def _real(path: Path) -> Path:
    # resolve() follows symlinks, so a link pointing at the database is caught too.
    return Path(os.path.realpath(path.expanduser()))


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def check_output_target(target: Path, locations: Locations | None, *, force: bool = False) -> Path:
    """The target, made absolute, if it may be written; else TargetRefused in one plain sentence.

    The folder must exist. `force` allows replacing an ordinary existing file, never the office's.
    """
    path = _real(target)
    if locations is not None:
        database = locations.database_path
        if database is not None:
            real_database = _real(database)
            for suffix in _DATABASE_COMPANIONS:
                if path == real_database.with_name(real_database.name + suffix):
                    raise TargetRefused(f"{target} is the office's database; it is never overwritten. "
                                        "Choose another file name.")
        if _is_inside(path, _real(locations.backups)):
            raise TargetRefused(f"{target} is in the office's backups folder, which only backups are written to. "
                                "Choose another folder.")
    if path.is_dir():
        raise TargetRefused(f"{target} is a folder; name a file inside it.")
    if not path.parent.is_dir():
        raise TargetRefused(f"The folder {target.parent} does not exist.")
    if path.exists() and not force:
        raise TargetRefused(f"{target} already exists and was left as it is. Choose a new name, or replace it "
                            "with --force.")
    return path
