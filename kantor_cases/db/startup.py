"""Safe start-up, shared by the window and the CLI: open a database, creating or upgrading it.

A new file is created and migrated. A file behind the code is backed up (online backup API),
upgraded in-process on one connection, checked with foreign_key_check, and restored from that
backup if anything fails. A file written by a newer version, a file that is not a database, or a
damaged one is refused with a plain message and left byte-for-byte untouched.

An encrypted office is opened with its data key (see office_keys.py; the caller signs in to get
it); a new office given a key is created encrypted. Files and folders created here are private
(0600 in 0700).
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from kantor_cases import __version__
from kantor_cases.domain.errors import DamagedDatabaseError, DatabaseError
from kantor_cases.domain.private_files import create_private_file, make_private_folder

from . import backup, migrate
from .engine import Database, is_url, make_engine
from .integrity import IntegrityGate
from .office_keys import SQLITE_HEADER, connect, keys_path

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)


def open_database(target: str | Path, backups_dir: Path | None = None, check_later: bool = False,
                  key: bytes | None = None) -> Database:
    """Open (creating or upgrading as needed) the database at a file path or PostgreSQL URL; a SQLite
    office with `key` is encrypted with it (a new one is created encrypted).

    A SQLite office's quick_check starts at once beside the caller, or with `check_later` when the
    caller resumes it (the window, after its first paint); a save asked for before either runs it."""
    if isinstance(target, str) and is_url(target) and not target.startswith("sqlite"):
        return _open_server(target)
    if isinstance(target, str) and target.startswith("sqlite"):
        target = target.split(":///", 1)[1]
    path = Path(target).expanduser().resolve()
    if backups_dir is None:
        backups_dir = backup.folder_beside(path, "backups")
    return _open_sqlite(path, backups_dir, check_later, key)


def inspect_sqlite(path: Path, key: bytes | None = None) -> str | None:
    """The Alembic revision stored in an existing file (None for an empty file), read without
    writing a single byte; raise DatabaseError for anything that is not a Kantor Cases database (or,
    with `key`, not one that key opens)."""
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if not header:
        return None
    if header != SQLITE_HEADER and key is None:
        if keys_path(path).is_file():
            raise DatabaseError(f"{path} is an encrypted office: sign in to open it.")
        raise DatabaseError(
            f"{path} is not a Kantor Cases database (it is not a database file at all). "
            "It was left untouched; choose another file."
        )
    if header == SQLITE_HEADER and key is not None:
        raise DatabaseError(f"{path} is not encrypted, so the office's keys do not apply to it.")
    try:
        connection = connect(path, key, read_only=True, timeout=5)
    except sqlcipher3.Error as error:
        raise DatabaseError(f"{path} cannot be opened: {error}.") from error
    try:
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlcipher3.DatabaseError as error:
            if key is not None and "not a database" in str(error):
                # The password unwrapped a key, and that key does not open this file.
                raise DatabaseError(f"The keys file {keys_path(path)} belongs to another office: it does not open "
                                    f"{path}. Nothing was changed.") from error
            raise
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise DatabaseError(
                f"{path} is a database of some other program, not of Kantor Cases. It was left untouched."
            )
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlcipher3.OperationalError as error:
        # Locked, read-only, full, failing: the file may be perfectly sound. Only a definite
        # verdict of damage (below) may tell the user to restore a backup.
        raise cannot_open(path, error) from error
    except sqlcipher3.DatabaseError as error:
        raise _damaged(path, error) from error
    finally:
        connection.close()


def _damaged(path: Path, error: Exception) -> DatabaseError:
    return DamagedDatabaseError(
        f"{path} is damaged and cannot be opened ({error}). It was left untouched; "
        "restore a backup with `kantor-cases restore`."
    )


# Below this much free space, an I/O error while opening is taken for a full disk.
FULL_DISK_BYTES = 1024 * 1024


def cannot_open(path: Path, error: Exception) -> DatabaseError:
    """One plain sentence for a sound file that cannot be used just now, telling the causes apart:
    another desk's lock, a read-only folder or file, a full disk, or an I/O error."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return DatabaseError(f"{path} is locked by another program or desk. Wait a moment, or close Kantor "
                             "Cases there, and try again; the file was not changed.")
    if not _can_create_in(path.parent):
        return DatabaseError(f"The folder {path.parent} is read-only, and Kantor Cases must write its working files "
                             "(-wal, -shm) beside the database. The file is fine: make the folder writable, or copy "
                             "the office to a writable folder.")
    if not _can_open_for_writing(path):
        return DatabaseError(f"{path} is read-only: Kantor Cases needs to write to it. The file is fine: change "
                             "its permissions, or copy it somewhere writable.")
    free = _free_bytes(path.parent)
    if free is not None and free < FULL_DISK_BYTES:
        return DatabaseError(f"The disk holding {path} is full ({free // 1024} KB free). The file is fine: free "
                             "some space and try again.")
    return DatabaseError(f"{path} could not be opened ({error}); it was left untouched. If this happens again, the "
                         "disk may be failing: copy the office and its backups elsewhere.")


def _can_create_in(folder: Path) -> bool:
    # os.access() answers yes to root whatever the permissions; trying is the only true answer.
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError as error:
        return error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS)


def _can_open_for_writing(path: Path) -> bool:
    try:
        with open(path, "r+b"):
            return True
    except OSError as error:
        return error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS)


def _free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _refuse_newer(where: object, revision: str) -> DatabaseError:
    return DatabaseError(
        f"{where} was written by a newer version of Kantor Cases (schema {revision}); this version "
        f"({__version__}) knows schema {migrate.head_revision()} at most. It was left untouched; "
        "install the newer version to open it."
    )


def _open_sqlite(path: Path, backups_dir: Path, check_later: bool = False, key: bytes | None = None) -> Database:
    exists = path.exists()
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a Kantor Cases office; name the office's file, e.g. "
                            f"{path / backup.DEFAULT_DATABASE_NAME}.")
    if exists and path.stat().st_size == 0:
        # Not a new office: a file someone made, or a copy that went wrong. Never fill it in.
        raise DatabaseError(f"{path} is an empty file — not a Kantor Cases office. It was left as it is; "
                            "choose the office's file, or a new file name to start a new office.")
    if exists:
        if not os.access(path, os.R_OK):
            raise DatabaseError(f"{path} cannot be read: permission denied.")
        revision = inspect_sqlite(path, key)
        if revision is not None and not migrate.is_known(revision):
            raise _refuse_newer(path, revision)
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise DatabaseError(
                f"{path} is read-only (or its folder is): Kantor Cases needs to write to it. "
                "Change its permissions or copy it somewhere writable."
            )
    else:
        revision = None
        try:
            make_private_folder(path.parent)
        except OSError as error:
            raise DatabaseError(f"Cannot create the folder {path.parent}: {error.strerror}.") from error
        if not os.access(path.parent, os.W_OK):
            raise DatabaseError(f"Cannot create a database in {path.parent}: the folder is not writable.")
        try:
            # Created 0600 before SQLite fills it: its -wal and -shm take the same permissions.
            create_private_file(path)
        except OSError as error:
            raise DatabaseError(f"Cannot create a database in {path.parent}: {error.strerror}.") from error

    head = migrate.head_revision()
    if revision == head:
        # Checked beside the caller; writes wait for the verdict (see integrity.py).
        integrity = IntegrityGate(path, key)
        if check_later:
            integrity.pause()
        else:
            integrity.start()
        # Nothing is read through SQLAlchemy yet: its engine (and import) waits for the first session.
        return Database(None, str(path), path, integrity, key, make_engine=partial(make_engine, path, key))

    safety_copy: Path | None = None
    if exists and revision is not None:
        try:
            # The copy's integrity_check answers for the office too (its pages are copied as they are).
            safety_copy, _counts = backup.take_backup(path, backups_dir, f"before-upgrade-{revision}", key=key)
        except DamagedDatabaseError as error:
            raise DamagedDatabaseError(f"{path} is damaged, so it was not upgraded; it was left untouched. Restore "
                                       "a backup with `kantor-cases restore`.") from error
        except (OSError, sqlcipher3.Error) as error:
            raise DatabaseError(
                f"Could not back up {path} before upgrading it ({error}); nothing was changed."
            ) from error
        log.info("Backed up %s to %s before upgrading from %s", path, safety_copy, revision)

    from sqlalchemy.exc import OperationalError

    engine = make_engine(path, key)
    try:
        _upgrade_sqlite(engine)
        if revision is None:
            _stamp_created(engine)
    except Exception as error:
        engine.dispose()
        if safety_copy is not None:
            backup.restore_into(safety_copy, path, key=key)
            log.exception("Upgrade of %s failed; restored from %s", path, safety_copy)
            raise DatabaseError(
                f"Upgrading {path} failed ({error}). It was restored from the backup taken just "
                f"before: {safety_copy}."
            ) from error
        log.exception("Creating %s failed", path)
        if not exists and path.stat().st_size == 0:
            path.unlink()  # nothing was written: a new start must not meet an "empty file"
        if isinstance(error, OperationalError) and "locked" in str(error):
            raise DatabaseError(f"{path} is locked by another program; try again later.") from error
        raise DatabaseError(f"Could not create the database {path}: {error}.") from error
    log.info("Database %s is at schema %s", path, head)
    return Database(engine, str(path), path, key=key)


def _upgrade_sqlite(engine: Engine) -> None:
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None  # None only once a connection is closed; this one was just opened
        # Batch migrations rebuild tables by copying them; foreign keys must be off during the copy
        # (a PRAGMA that only works outside a transaction), and are checked once afterwards.
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            migrate.upgrade(connection)
            problems = raw.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise DatabaseError(f"the upgraded data breaks {len(problems)} foreign keys")
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def _stamp_created(engine: Engine) -> None:
    from sqlalchemy import text

    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO app_meta (key, value) VALUES ('created_with', :version)"),
            {"version": __version__},
        )


def _open_server(url: str) -> Database:
    from sqlalchemy.exc import SQLAlchemyError

    try:
        engine = make_engine(url)
        with engine.connect() as connection:
            revision = migrate.current_revision(connection)
        if revision is not None and not migrate.is_known(revision):
            raise _refuse_newer(engine.url.render_as_string(hide_password=True), revision)
        if revision != migrate.head_revision():
            # Shared office databases are backed up by the server (pg_dump); we only migrate.
            with engine.connect() as connection:
                migrate.upgrade(connection)
                connection.commit()
    except SQLAlchemyError as error:
        where = url.split("@")[-1]
        raise DatabaseError(f"Cannot open the database at {where}: {error.__class__.__name__}: "
                            f"{str(error.orig if hasattr(error, 'orig') else error).strip()}") from error
    return Database(engine, engine.url.render_as_string(hide_password=True), None)
