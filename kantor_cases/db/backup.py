"""Online backups of the SQLite database: take, verify, list, rotate and restore.

A copy of a live WAL database can miss committed transactions still in the -wal file, or catch a
page half-written. So a backup copies the file as it is stored only while every committed page is in
it and nobody can change it: after a checkpoint has emptied the -wal, under the office's write lock
(a second or two for a 1 GB office; other desks' saves wait). When the -wal cannot be emptied (another
desk is reading or writing), it falls back to SQLite's online backup API, page by page.

A backup is written to a `.partial` file of its own (process id, host and a random part in its
name, so two imports or two desks never share one), verified there with `integrity_check`,
`foreign_key_check` and row counts, and only then given its final name — exclusively: a backup
never replaces a file, and two taken in the same millisecond get two names (a counter). A
`.partial` left by a process that died is removed at the next start (`remove_abandoned_partials`).

A backup of an encrypted office is encrypted with the same data key and has a copy of the office's
keys file beside it (`<backup>.keys`), claimed before the backup's own name: no backup is ever
without its keys. Backups are 0600 in a 0700 folder.
"""

from __future__ import annotations

import errno
import io
import itertools
import os
import re
import secrets
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import sqlcipher3

from kantor_cases.domain.errors import DamagedDatabaseError, DatabaseError
from kantor_cases.domain.private_files import (
    PRIVATE_FILE,
    create_private_file,
    make_private_folder,
    sync_folder,
    write_private_atomically,
)

from .office_keys import SIDECAR_SUFFIX, connect, keys_path

BACKUP_SUFFIX = ".sqlite3"
DEFAULT_DATABASE_NAME = "kantor-cases.sqlite3"
AUTOMATIC_REASONS = frozenset({"auto", "exit"})
# kantor-cases-20261206-160453.123-manual.sqlite3, a second one of that millisecond
# kantor-cases-20261206-160453.123.2-manual.sqlite3; names before milliseconds had no ".123".
_NAME = re.compile(r"kantor-cases-(\d{8}-\d{6})(?:\.(\d{3})(?:\.(\d+))?)?-(.+)\.sqlite3")
# The name being written, then ".<pid>-<host>-<random>.partial"; before that, only ".partial".
# SQLite's own -journal/-wal/-shm files of such a copy go with it.
_PARTIAL = re.compile(r"kantor-cases-.*\.sqlite3(?:\.(\d+)-([A-Za-z0-9]*)-[0-9a-f]+)?\.partial(?:-journal|-wal|-shm)?")
_HOST = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:40]
# No backup spends this long being copied and checked (a 760 MB office takes seconds): a `.partial`
# left untouched this long is abandoned, whoever wrote it (another desk, or an older version).
ABANDONED_AFTER = timedelta(hours=1)
# Pages copied per step when a backup may be stopped half-way (64 MB with 4 KB pages).
STOPPABLE_STEP_PAGES = 16_384
# Page cache while a copy is checked: integrity_check visits every index entry of every row, and
# with SQLite's default 2 MB it reads the same index pages again and again.
VERIFY_CACHE_KIB = 64 * 1024
# Largest office copied as it is stored (under the write lock): a 1 GB office took 0.3–2.2 s on the
# benchmark machine, and reading the copy back to compare it 0.3–0.5 s more, while another desk's
# save waits 5 s for the lock before it says the office is busy. Bigger offices are copied page by
# page, which never holds other desks up.
COPY_AT_REST_MAX_BYTES = 3 * 1024**3 // 2
# Connections checking a copy at once, table by table: integrity_check is CPU-bound (SQLite releases
# the GIL while it runs), so two take about half the time of one on a two-core desk.
CHECK_WORKERS = 2


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


def open_backup(path: Path, key: bytes | None = None) -> sqlcipher3.Connection:
    """A backup opened to be read, checked or restored from: read-only, and trusting nothing in it (a
    file chosen for a restore may come from anywhere). A file URI, so a folder named "Reyes #2" is
    not cut short at the "#". An encrypted office's backups need its data key.

    sqlcipher3 (2.6) has no `setconfig`, so SQLite's defensive mode cannot be switched on; what is
    available is used instead: views and triggers in the file may not call functions with side
    effects (trusted_schema), malformed pages are caught before they are used (cell_size_check),
    and nothing can be written (read-only URI, query_only).
    """
    connection = connect(path, key, read_only=True, timeout=5)
    try:
        for pragma in ("trusted_schema = OFF", "cell_size_check = ON", "query_only = ON"):
            connection.execute(f"PRAGMA {pragma}")
    except sqlcipher3.Error:
        connection.close()
        raise
    return connection


def backup_file_name(reason: str, when: datetime | None = None, counter: int = 1) -> str:
    """`kantor-cases-<date>-<time>.<milliseconds>[.<counter>]-<reason>.sqlite3`"""
    when = when or datetime.now()
    safe_reason = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "manual"
    again = f".{counter}" if counter > 1 else ""
    return f"kantor-cases-{when:%Y%m%d-%H%M%S}.{when.microsecond // 1000:03d}{again}-{safe_reason}{BACKUP_SUFFIX}"


def parse_backup_name(name: str) -> tuple[datetime, int, str] | None:
    """When a backup was taken, its counter within that millisecond and why, from its file name
    (this version's names and the older ones without milliseconds); None for any other name."""
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    stamp, millis, counter, reason = match.groups()
    try:
        taken_at = datetime.strptime(stamp, "%Y%m%d-%H%M%S")
    except ValueError:  # digits that are no date: somebody else's file
        return None
    return taken_at.replace(microsecond=int(millis or 0) * 1000), int(counter or 1), reason


def take_backup(source: Path, folder: Path, reason: str, should_stop: Callable[[], bool] | None = None,
                copied: Callable[[], None] | None = None, key: bytes | None = None,
                caller_idle: threading.Event | None = None,
                pages_sound: Callable[[Path], None] | None = None,
                office_checked: Callable[[], bool] | None = None) -> tuple[Path, dict[str, int]]:
    """A verified online backup of `source` in `folder`, under a name no file had; returns that path
    and the copy's row counts (see `verified_online_backup` for `should_stop`). `copied` is called
    once the pages are copied, before the slower check of the copy: from then on the office may
    change without touching the backup. An encrypted office's `key` encrypts the copy too.

    With `pages_sound`, the check goes in two steps: the copy's pages first (quick_check: every page
    readable and well-formed, each used once, the free list), after which the copy gets its name and
    `pages_sound` is told it; then, once `caller_idle` is set (if given) and unless `should_stop`,
    each table's rows against its indexes, foreign keys and counts, on all CHECK_WORKERS. A copy that
    fails the second step is deleted again (DamagedDatabaseError) — it is the office that is damaged
    then, since the copy is the office's pages as they were.

    `office_checked` answering True before the pages are copied says the office passed its own
    quick_check in this process (only SQLite has written to it since). A copy then made byte for byte
    while the office was at rest, and read back equal to it, is pages already checked: `pages_sound`
    is told at once, and the quick_check runs with the second step instead."""
    return _take(source, _free_names(folder, reason), should_stop, copied, key, caller_idle, pages_sound,
                 office_checked)


def _free_names(folder: Path, reason: str) -> Iterator[Path]:
    """The names a backup taken now may have, in order: this millisecond's, then its counters. The
    wall clock, not the office's "today": a backup's name says when the copy was made."""
    when = datetime.now()
    return (folder / backup_file_name(reason, when, counter) for counter in itertools.count(1))


def _partial_for(destination: Path) -> Path:
    """An in-progress copy's own name beside `destination` (pid and host, so the start-up clean-up
    can tell whose it is, and a random part, so two copies of one process never share it)."""
    return destination.with_name(f"{destination.name}.{os.getpid()}-{_HOST}-{secrets.token_hex(4)}.partial")


def online_backup(source: Path, destination: Path, key: bytes | None = None) -> Path:
    """Copy a live database into `destination` (which must not exist), then verify the copy."""
    verified_online_backup(source, destination, key=key)
    return destination


def verified_online_backup(source: Path, destination: Path,
                           should_stop: Callable[[], bool] | None = None, key: bytes | None = None) -> dict[str, int]:
    """`online_backup`, returning the verified copy's row counts (verifying a 700 MB office twice
    costs seconds, so callers that report the counts use this). FileExistsError when `destination`
    exists, even if it appeared while the copy was being taken: it is never replaced.

    With `should_stop`, the copy goes in steps and raises BackupStopped (removing the partial file)
    as soon as it answers True: an import that turns out to have bad rows does not wait for a backup
    it no longer needs. A step-wise copy starts over when another desk commits meanwhile; it still
    ends with one consistent snapshot.
    """
    return _take(source, iter([destination]), should_stop, key=key)[1]


def _take(source: Path, names: Iterator[Path], should_stop: Callable[[], bool] | None,
          copied: Callable[[], None] | None = None, key: bytes | None = None,
          caller_idle: threading.Event | None = None,
          pages_sound: Callable[[Path], None] | None = None,
          office_checked: Callable[[], bool] | None = None) -> tuple[Path, dict[str, int]]:
    """Copy `source` into a `.partial` of this process's own, verify it, then give it the first of
    `names` that is free (see `take_backup` for `pages_sound` and `office_checked`)."""
    first = next(names)
    make_private_folder(first.parent)
    partial = _partial_for(first)
    # The keys as they are when the pages are copied. The data key never changes, so they open
    # the copy whatever happens to the office's keys file afterwards.
    keys = keys_path(source).read_bytes() if key is not None else None

    def stop_when_asked(_status: int, _remaining: int, _total: int) -> None:
        if should_stop is not None and should_stop():
            raise BackupStopped

    try:
        create_private_file(partial)
        # Read back and compared only when that spares the copy's page check (under the write lock).
        compared = pages_sound is not None and office_checked is not None and office_checked()
        copied_at_rest = _copy_at_rest(source, partial, key, should_stop, compare=compared)
        if not copied_at_rest:
            src = connect(source, key, timeout=5)
            try:
                dst = connect(partial, key)
                try:
                    if should_stop is None:
                        src.backup(dst)
                    else:
                        src.backup(dst, pages=STOPPABLE_STEP_PAGES, progress=stop_when_asked)
                finally:
                    dst.close()
            finally:
                src.close()
        dst = connect(partial, key)
        try:
            # A backup must stand alone: no -wal file beside it.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
        if should_stop is not None and should_stop():
            raise BackupStopped
        if copied is not None:
            copied()
        if pages_sound is None:
            problem, counts = _examine(partial, key)
            if problem:
                raise _failed_check(problem)
            return _publish(partial, itertools.chain([first], names), keys), counts
        # The office's pages, checked in this process, read back equal from the copy: checked already.
        checked_already = compared and copied_at_rest
        if not checked_already:
            problem, _none = _examine(partial, key, rows=False)
            if problem:
                raise _failed_check(problem)
        destination = _publish(partial, itertools.chain([first], names), keys)
        _remove_with_companions(partial)  # the backup has its name: the partial is a second link to it
        pages_sound(destination)
        if caller_idle is not None:
            caller_idle.wait()  # the caller's work first (an import's rows and commit), then both cores
        if should_stop is not None and should_stop():
            _remove_backup(destination)
            raise BackupStopped
        problem, counts = _examine(destination, key, pages=checked_already)
        if problem:
            _remove_backup(destination)
            raise _failed_check(problem)
        return destination, counts
    finally:
        # Published, stopped, a full disk, a copy that failed its check: no partial file stays behind.
        _remove_with_companions(partial)


def _remove_backup(path: Path) -> None:
    path.unlink(missing_ok=True)
    keys_path(path).unlink(missing_ok=True)


def _failed_check(problem: str) -> DamagedDatabaseError:
    # The copy is the office's pages as they are: a copy that fails is an office that does.
    return DamagedDatabaseError(f"The backup just taken failed its check ({problem}), so it was deleted; "
                                "the office itself may be damaged: run kantor-cases check.")


def _copy_at_rest(source: Path, partial: Path, key: bytes | None,
                  should_stop: Callable[[], bool] | None, compare: bool = False) -> bool:
    """Copy `source` into `partial` byte for byte while the file holds every committed page and no one
    can change it: its -wal emptied by a checkpoint, then the office's write lock held (readers go on
    reading). An encrypted office's pages are copied as they are stored, under the same key, instead
    of being decrypted and encrypted again. False, with nothing copied, when the office is over
    COPY_AT_REST_MAX_BYTES, the -wal cannot be emptied or another desk holds the write lock: the
    caller then copies through the backup API. With `compare`, the copy is read back and compared
    with the office before the lock is let go (about 0.3 s per GB); OSError if they differ.
    BackupStopped between two steps when `should_stop` answers True."""
    if source.stat().st_size > COPY_AT_REST_MAX_BYTES:
        return False
    connection = connect(source, key, timeout=1, isolation_level=None)
    try:
        try:
            busy, _frames, _moved = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy:
                return False
            connection.execute("BEGIN IMMEDIATE")
        except sqlcipher3.DatabaseError:
            # Another desk is writing or reading from the -wal, or the file is no database at all:
            # the backup API then copies page by page, or meets the same problem and says what it is.
            return False
        try:
            wal = source.with_name(source.name + "-wal")
            if wal.exists() and wal.stat().st_size:  # a save slipped in between the checkpoint and the lock
                return False
            _copy_file(source, partial, should_stop)
            if compare and not _same_bytes(source, partial):
                raise OSError(errno.EIO, "the copy read back differs from the office it was copied from")
        finally:
            connection.execute("ROLLBACK")
    finally:
        connection.close()
    return True


def _copy_file(source: Path, destination: Path, should_stop: Callable[[], bool] | None) -> None:
    """Copy in steps of STOPPABLE_STEP_PAGES (4 KB) pages, in the kernel where it can, then flush."""
    step = STOPPABLE_STEP_PAGES * 4096
    with source.open("rb") as reading, destination.open("r+b") as writing:
        size = os.fstat(reading.fileno()).st_size
        offset = 0
        while offset < size:
            if should_stop is not None and should_stop():
                raise BackupStopped
            offset += _copy_range(reading, writing, offset, min(step, size - offset))
        writing.flush()
        os.fsync(writing.fileno())


def _same_bytes(one: Path, other: Path) -> bool:
    """Whether the two files hold the same bytes."""
    # Big steps: after each read this thread waits for the GIL, up to 5 ms while an import parses
    # its rows beside it, and the office's write lock is held meanwhile (4 MB steps: 2.5 s a GB).
    step = 32 * 1024 * 1024
    one_part, other_part = bytearray(step), bytearray(step)
    with one.open("rb", buffering=0) as reading_one, other.open("rb", buffering=0) as reading_other:
        if os.fstat(reading_one.fileno()).st_size != os.fstat(reading_other.fileno()).st_size:
            return False
        while True:
            count = _read_into(reading_one, one_part)
            if count != _read_into(reading_other, other_part):
                return False
            if not count:
                return True
            if count == step:
                if one_part != other_part:
                    return False
            elif one_part[:count] != other_part[:count]:
                return False


def _read_into(reading: io.RawIOBase, part: bytearray) -> int:
    """Fill `part` from `reading` (less only at the end of the file); how many bytes came."""
    view, filled = memoryview(part), 0
    while filled < len(part):
        count = reading.readinto(view[filled:])
        if not count:
            break
        filled += count
    return filled


def _copy_range(reading: BinaryIO, writing: BinaryIO, offset: int, count: int) -> int:
    if hasattr(os, "copy_file_range"):
        try:
            copied = os.copy_file_range(reading.fileno(), writing.fileno(), count, offset, offset)
        except OSError as error:
            if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
        else:
            if copied:
                return copied
    # No copy_file_range here (Windows, macOS, older kernels, some file systems): through memory.
    reading.seek(offset)
    data = reading.read(count)
    if not data:
        raise OSError(errno.EIO, f"{count} bytes at {offset} could not be read")
    writing.seek(offset)
    return writing.write(data)


def keep_as_is(source: Path, folder: Path, reason: str) -> Path:
    """A byte-for-byte copy of `source` (and its -wal) under a backup name of its own, unchecked: a
    damaged office cannot pass a backup's check, but what is in it must not be lost to a restore."""
    names = _free_names(folder, reason)
    first = next(names)
    make_private_folder(folder)
    partial = _partial_for(first)
    sidecar = keys_path(source)
    keys = sidecar.read_bytes() if sidecar.is_file() else None
    try:
        create_private_file(partial)
        shutil.copyfile(source, partial)
        destination = _publish(partial, itertools.chain([first], names), keys)
    finally:
        _remove_with_companions(partial)
    wal = source.with_name(source.name + "-wal")
    if wal.is_file() and wal.stat().st_size:
        wal_copy = destination.with_name(destination.name + "-wal")
        create_private_file(wal_copy)
        shutil.copyfile(wal, wal_copy)
    return destination


def _publish(partial: Path, names: Iterable[Path], keys: bytes | None = None) -> Path:
    """Give the verified copy the first of `names` that no file has yet (FileExistsError when all
    are taken). With `keys`, `<name>.keys` is claimed and written first, so a backup never stands
    without its keys (a kill between the two leaves keys without a backup, which the clean-up removes)."""
    refused: FileExistsError | None = None
    for destination in names:
        try:
            if keys is not None:
                _write_new_private(keys_path(destination), keys)
            try:
                _claim(partial, destination)
            except FileExistsError:
                if keys is not None:
                    keys_path(destination).unlink(missing_ok=True)
                raise
        except FileExistsError as error:
            refused = error
            continue
        return destination
    assert refused is not None
    raise refused


def _claim(partial: Path, destination: Path) -> None:
    """Give `partial` the name `destination` unless a file has it (FileExistsError). A hard link
    claims a name atomically: another process publishing a backup of the same millisecond, or a
    file the user made, is never replaced."""
    try:
        os.link(partial, destination)
        return
    except (FileExistsError, FileNotFoundError):
        raise
    except OSError:
        pass  # a file system without hard links (FAT, some network shares)
    # There, the name is claimed by creating it exclusively, and the copy moved onto the claimed file.
    os.close(os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        os.replace(partial, destination)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise


def _write_new_private(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet (FileExistsError), 0600, flushed to disk."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        os.write(descriptor, data)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    sync_folder(path.parent)


def _remove_with_companions(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _examine(path: Path, key: bytes | None = None, pages: bool = True,
             rows: bool = True) -> tuple[str, dict[str, int]]:
    """The first problem integrity_check, foreign_key_check or the table list finds in a backup
    ("" when there is none), and the rows of each table. Problems name tables, indexes and row ids,
    never what a row holds.

    integrity_check runs as quick_check (every page, the free list, no page used twice or never) and
    integrity_check(TABLE) of every table (its rows against its indexes), which together check what
    the whole-file pragma checks, spread over CHECK_WORKERS connections. `pages` and `rows` ask for
    one part only: the quick_check, or the rest (with the row counts).
    """
    try:
        connection = open_backup(path, key)
    except sqlcipher3.Error as error:
        return f"it cannot be opened: {error}", {}
    try:
        tables = _tables_largest_first(connection)
        if "alembic_version" not in tables:
            return "it is not a Kantor Cases database", {}
        counted = [t for t in tables if not t.startswith(("sqlite_", "search_fts"))] if rows else []
        checks = [("integrity_check", "PRAGMA quick_check")] if pages else []
        if rows:
            checks += [*(("integrity_check", f"PRAGMA integrity_check({_quoted(t)})") for t in tables),
                       *(("foreign_key_check", f"PRAGMA foreign_key_check({_quoted(t)})") for t in tables),
                       *(("count", f"SELECT count(*) FROM {_quoted(t)}") for t in counted)]
        answers = _run_spread(path, key, connection, [sql for _kind, sql in checks])
        for (kind, _sql), found in zip(checks, answers, strict=True):
            if kind == "integrity_check" and found[:1] != [("ok",)]:
                return f"integrity_check: {found[0][0] if found else 'no answer'}", {}
        for (kind, _sql), found in zip(checks, answers, strict=True):
            if kind == "foreign_key_check" and found:
                table, rowid, parent, _key = found[0]
                return f"foreign_key_check: {table} row {rowid} points to a missing {parent} row", {}
        counts = [found[0][0] for (kind, _sql), found in zip(checks, answers, strict=True) if kind == "count"]
        return "", {table: count for table, count in sorted(zip(counted, counts, strict=True))}
    except sqlcipher3.DatabaseError as error:
        if key is not None and "not a database" in str(error):
            return "it is not encrypted with this office's key", {}
        return f"it is not a usable database: {error}", {}
    finally:
        connection.close()


def _quoted(name: str) -> str:
    """A table name from the file (which may come from anywhere) as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _tables_largest_first(connection: sqlcipher3.Connection) -> list[str]:
    """Every table, the ones likely to take longest to check first (so the last to finish is a small
    one): virtual tables (a full-text index re-reads its whole content), then by rows times indexes."""
    schema = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    indexes: dict[str, int] = {}
    for kind, _name, table, _sql in schema:
        if kind == "index":
            indexes[table] = indexes.get(table, 0) + 1
    virtual = [name for kind, name, _table, sql in schema
               if kind == "table" and (sql or "").upper().startswith("CREATE VIRTUAL")]
    cost: dict[str, float] = {name: float("inf") for name in virtual}
    for kind, name, _table, _sql in schema:
        if kind != "table" or name in cost:
            continue
        if name.startswith(tuple(f"{table}_" for table in virtual)):
            cost[name] = 0  # a full-text index's own tables: small, and their row ids are no row counts
            continue
        try:
            rows = connection.execute(f"SELECT max(rowid) FROM {_quoted(name)}").fetchone()[0] or 0
        except sqlcipher3.OperationalError:  # a WITHOUT ROWID table: no cheap estimate, and none is big
            rows = 0
        cost[name] = rows * (1 + indexes.get(name, 0))
    return sorted(cost, key=lambda name: cost[name], reverse=True)


def _run_spread(path: Path, key: bytes | None, connection: sqlcipher3.Connection,
                statements: list[str]) -> list[list[tuple]]:
    """Each statement's rows, the statements taken in order by `connection` and, for more than one,
    CHECK_WORKERS - 1 more read-only connections to `path`, each on a thread of its own (a
    connection stays on its thread)."""
    answers: list[list[tuple] | None] = [None] * len(statements)
    next_statement = iter(range(len(statements)))
    taking = threading.Lock()
    stop = threading.Event()  # one connection failed: the others take nothing more
    failures: list[sqlcipher3.Error] = []

    def work(on: sqlcipher3.Connection) -> None:
        on.execute(f"PRAGMA cache_size = {-VERIFY_CACHE_KIB}")
        while not stop.is_set():
            with taking:
                index = next(next_statement, None)
            if index is None:
                return
            answers[index] = on.execute(statements[index]).fetchall()

    def helper() -> None:
        try:
            extra = open_backup(path, key)
            try:
                work(extra)
            finally:
                extra.close()
        except sqlcipher3.Error as error:  # handed to the caller's thread, which reports it
            failures.append(error)
            stop.set()

    helpers = [threading.Thread(target=helper, name=f"backup-check-{n}", daemon=True)
               for n in range(1, min(CHECK_WORKERS, len(statements)))]
    for thread in helpers:
        thread.start()
    try:
        work(connection)
    finally:
        stop.set()  # every statement is taken, or this connection failed
        for thread in helpers:
            thread.join()
    if failures:
        raise failures[0]
    return [rows if rows is not None else [] for rows in answers]


def verify_backup(path: Path, key: bytes | None = None) -> dict[str, int]:
    """The row counts of a backup chosen for a restore, once integrity_check and foreign_key_check
    find nothing wrong with it; else DatabaseError."""
    problem, counts = _examine(path, key)
    if problem:
        raise DatabaseError(f"{path} cannot be restored ({problem}), so nothing was changed: choose another backup.")
    return counts


def restore_into(backup: Path, target: Path, wait_seconds: float = 5.0, key: bytes | None = None) -> None:
    """Overwrite the live database `target` with `backup`, page by page, through the backup API; an
    encrypted office gets the backup's keys file back too (the users and passwords of that moment)."""
    locked = DatabaseError(
        f"{target} is locked by another program or desk; nothing was restored. "
        "Close Kantor Cases everywhere else and try again."
    )
    src = open_backup(backup, key)
    try:
        dst = connect(target, key, timeout=wait_seconds, isolation_level=None)
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
    backup_keys = keys_path(backup)
    if key is not None and backup_keys.is_file():
        write_private_atomically(keys_path(target), backup_keys.read_bytes())


def list_backups(folder: Path) -> list[BackupInfo]:
    """Backups in `folder`, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"kantor-cases-*{BACKUP_SUFFIX}"):
        parsed = parse_backup_name(path.name)
        if parsed is None:
            continue
        taken_at, counter, reason = parsed
        try:
            stat = path.stat()
        except FileNotFoundError:  # rotated away by another desk meanwhile
            continue
        found.append(((taken_at, counter, stat.st_mtime_ns), BackupInfo(path, taken_at, stat.st_size, reason)))
    return [info for _key, info in sorted(found, key=lambda pair: pair[0], reverse=True)]


def remove_abandoned_partials(folder: Path, now: datetime | None = None) -> list[Path]:
    """Remove the `.partial` copies in `folder` whose writer is gone: one of a process of this machine
    that no longer runs, or any untouched for ABANDONED_AFTER (another desk's, an older version's,
    or a process id used again since). Each is a readable copy of the whole office."""
    if not folder.is_dir():
        return []
    now = now or datetime.now()
    removed = []
    for path in folder.glob("kantor-cases-*.partial*"):
        match = _PARTIAL.fullmatch(path.name)
        if match is None:
            continue
        try:
            age = now - datetime.fromtimestamp(path.stat().st_mtime)
        except FileNotFoundError:
            continue
        pid, host = match.groups()
        writer_gone = pid is not None and host == _HOST and not _process_runs(int(pid))
        if writer_gone or age > ABANDONED_AFTER:
            path.unlink(missing_ok=True)
            removed.append(path)
    # Keys whose backup never got its name (a kill between the two); a backup is only ever
    # published after its keys, so a young one may be a backup being published just now.
    for path in folder.glob(f"kantor-cases-*{BACKUP_SUFFIX}{SIDECAR_SUFFIX}"):
        try:
            age = now - datetime.fromtimestamp(path.stat().st_mtime)
        except FileNotFoundError:
            continue
        if age > ABANDONED_AFTER and not path.with_name(path.name.removesuffix(SIDECAR_SUFFIX)).exists():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _process_runs(pid: int) -> bool:
    if os.name == "nt":
        return True  # os.kill would end the process there, not ask about it; the age rule covers Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


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
        keys_path(info.path).unlink(missing_ok=True)
        deleted.append(info.path)
    return deleted


def backup_age(folder: Path, now: datetime | None = None) -> timedelta | None:
    backups = list_backups(folder)
    if not backups:
        return None
    return (now or datetime.now()) - backups[0].taken_at
