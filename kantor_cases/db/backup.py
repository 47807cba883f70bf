"""Online backups of the SQLite database: take, verify, list, rotate and restore.

Backups use SQLite's online backup API, never a file copy: a copy of a live WAL database can miss
committed transactions still in the -wal file.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlcipher3

from kantor_cases.domain.errors import DatabaseError

BACKUP_SUFFIX = ".sqlite3"
DEFAULT_DATABASE_NAME = "kantor-cases.sqlite3"
AUTOMATIC_REASONS = frozenset({"auto", "exit"})
_STAMP = re.compile(r"(\d{8}-\d{6})")
# Pages copied per step when a backup may be stopped half-way (64 MB with 4 KB pages).
STOPPABLE_STEP_PAGES = 16_384


class BackupStopped(Exception):
    """The caller no longer wanted the backup; nothing was left behind."""


def folder_beside(database: Path, kind: str) -> Path:
    """`backups/` or `documents/` beside the database; a database with another file name gets its own
    subfolder there, so two offices kept in one folder never mix backups, rotation or letters."""
    if database.name == DEFAULT_DATABASE_NAME:
        return database.parent / kind
    return database.parent / kind / database.stem


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    size: int
    reason: str


@dataclass(frozen=True)
class RotationPolicy:
    """How many backups to keep per period (the newest in each hour/day/week/month survives)."""

    hourly: int = 48
    daily: int = 14
    weekly: int = 8
    monthly: int = 12


def _connect(path: Path, *, read_only: bool = False) -> sqlcipher3.Connection:
    if read_only:
        return sqlcipher3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    return sqlcipher3.connect(str(path), timeout=5)


def backup_file_name(reason: str, when: datetime | None = None) -> str:
    when = when or datetime.now()
    safe_reason = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "manual"
    return f"kantor-cases-{when:%Y%m%d-%H%M%S}-{safe_reason}{BACKUP_SUFFIX}"


def online_backup(source: Path, destination: Path) -> Path:
    """Copy a live database into `destination` with the backup API, then verify the copy."""
    verified_online_backup(source, destination)
    return destination


def verified_online_backup(source: Path, destination: Path,
                           should_stop: Callable[[], bool] | None = None) -> dict[str, int]:
    """`online_backup`, returning the verified copy's row counts (verifying a 700 MB office twice
    costs seconds, so callers that report the counts use this).

    With `should_stop`, the copy goes in steps and raises BackupStopped (removing the partial file)
    as soon as it answers True: an import that turns out to have bad rows does not wait for a backup
    it no longer needs. A step-wise copy starts over when another desk commits meanwhile; it still
    ends with one consistent snapshot.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)

    def stop_when_asked(_status: int, _remaining: int, _total: int) -> None:
        if should_stop is not None and should_stop():
            raise BackupStopped

    try:
        src = _connect(source)
        try:
            dst = sqlcipher3.connect(str(partial))
            try:
                if should_stop is None:
                    src.backup(dst)
                else:
                    src.backup(dst, pages=STOPPABLE_STEP_PAGES, progress=stop_when_asked)
                # A backup must stand alone: no -wal file beside it.
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        if should_stop is not None and should_stop():
            raise BackupStopped
        counts = verify_backup(partial)
    except BaseException:
        # Stopped, a full disk, a copy that failed its check: no half-written file stays behind.
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, destination)
    return counts


def verify_backup(path: Path) -> dict[str, int]:
    """quick_check the file and count the rows of each table; raise DatabaseError if unusable."""
    try:
        connection = _connect(path, read_only=True)
    except sqlcipher3.Error as error:
        raise DatabaseError(f"The backup {path} cannot be opened: {error}.") from error
    try:
        result = connection.execute("PRAGMA quick_check").fetchall()
        if result != [("ok",)]:
            raise DatabaseError(f"The backup {path} is damaged: {result[0][0]}.")
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'search_fts%'")]
        if "alembic_version" not in tables:
            raise DatabaseError(f"{path} is not a Kantor Cases database.")
        return {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                for table in tables}
    except sqlcipher3.DatabaseError as error:
        raise DatabaseError(f"The backup {path} is not a usable database: {error}.") from error
    finally:
        connection.close()


def restore_into(backup: Path, target: Path, wait_seconds: float = 5.0) -> None:
    """Overwrite the live database `target` with `backup`, page by page, through the backup API."""
    locked = DatabaseError(
        f"{target} is locked by another program or desk; nothing was restored. "
        "Close Kantor Cases everywhere else and try again."
    )
    src = _connect(backup, read_only=True)
    try:
        dst = sqlcipher3.connect(str(target), timeout=wait_seconds, isolation_level=None)
        try:
            # Python's backup() retries a busy destination forever; find out first, with a timeout.
            try:
                dst.execute("BEGIN IMMEDIATE")
                dst.execute("ROLLBACK")
            except sqlcipher3.OperationalError as error:
                raise locked from error
            deadline = time.monotonic() + wait_seconds

            def give_up_when_late(status: int, remaining: int, total: int) -> None:
                if time.monotonic() > deadline:
                    raise TimeoutError

            try:
                src.backup(dst, progress=give_up_when_late)
            except (TimeoutError, sqlcipher3.OperationalError) as error:
                raise locked from error
        finally:
            dst.close()
    finally:
        src.close()


def list_backups(folder: Path) -> list[BackupInfo]:
    """Backups in `folder`, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"kantor-cases-*{BACKUP_SUFFIX}"):
        match = _STAMP.search(path.name)
        if not match:
            continue
        taken_at = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
        reason = path.name[len("kantor-cases-") + 16:-len(BACKUP_SUFFIX)].strip("-") or "manual"
        found.append(BackupInfo(path, taken_at, path.stat().st_size, reason))
    return sorted(found, key=lambda info: (info.taken_at, info.path.stat().st_mtime_ns), reverse=True)


def backups_to_delete(backups: Iterable[BackupInfo], policy: RotationPolicy) -> list[BackupInfo]:
    """Grandfather-father-son rotation: keep the newest backup of each of the last N hours, days,
    weeks and months; everything else may go. Only automatic backups (periodic, at exit) rotate:
    one the user asked for, or a safety copy before an upgrade, import or restore, stays."""
    newest_first = sorted((b for b in backups if b.reason in AUTOMATIC_REASONS),
                          key=lambda info: info.taken_at, reverse=True)
    keep: set[Path] = set()
    buckets: list[tuple[int, object]] = [
        (policy.hourly, lambda t: t.strftime("%Y%m%d%H")),
        (policy.daily, lambda t: t.strftime("%Y%m%d")),
        (policy.weekly, lambda t: t.strftime("%G%V")),
        (policy.monthly, lambda t: t.strftime("%Y%m")),
    ]
    for count, key_of in buckets:
        seen: set[str] = set()
        for info in newest_first:
            key = key_of(info.taken_at)  # type: ignore[operator]
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(key)
            keep.add(info.path)
    return [info for info in newest_first if info.path not in keep]


def rotate(folder: Path, policy: RotationPolicy, keep: Iterable[Path] = ()) -> list[Path]:
    deleted = []
    protected = set(keep)
    for info in backups_to_delete(list_backups(folder), policy):
        if info.path in protected:
            continue
        info.path.unlink(missing_ok=True)
        deleted.append(info.path)
    return deleted


def backup_age(folder: Path, now: datetime | None = None) -> timedelta | None:
    backups = list_backups(folder)
    if not backups:
        return None
    return (now or datetime.now()) - backups[0].taken_at
