"""Engines and sessions for the two databases Kantor Cases runs on.

SQLite (through sqlcipher3, which bundles a recent SQLite with FTS5 trigram search) is the
default single-desk file; PostgreSQL serves an office whose desks share one database. Everything
dialect-specific about connecting lives here.

A PostgreSQL office's data is encrypted on its server (and on the wire with TLS: psycopg honours
`sslmode=verify-full` in the URL). Its database password comes from the URL, PGPASSWORD or
~/.pgpass (libpq reads both), and only when none of them gives one from the key store (service
"kantor-cases-database"); it is never printed or logged.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from kantor_cases.domain.clock import SYSTEM_CLOCK
from kantor_cases.domain.errors import ConflictError, DamagedDatabaseError, DatabaseError, KantorError

from .integrity import IntegrityGate, damage_message
from .office_keys import apply_key, connect, has_plain_header, keys_path, unlock

log = logging.getLogger(__name__)

# SQLAlchemy is imported where it is used, not with this module: the window opens a SQLite office
# and paints before anything needs it (its import is a third of a start-up), and the first read,
# on the thread pool, makes the engine.
if TYPE_CHECKING:
    from sqlalchemy import URL, Connection, Engine
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session, sessionmaker

# Seconds a writer waits for another desk or process holding the write lock before giving up.
BUSY_TIMEOUT_MS = 5000


def plain_database_error(error: OperationalError) -> str | None:
    """One plain sentence for the database failures a user can do something about, else None."""
    text = str(error.orig)
    if "locked" in text or "busy" in text:
        return ("The database is locked by another program or desk; nothing was changed. "
                "Wait a moment and try again.")
    if "readonly" in text or "read-only" in text:
        return "The database file is read-only; nothing was changed. Make it writable and try again."
    if "disk is full" in text:
        return "The disk is full; nothing was changed. Free some space and try again."
    if "disk I/O error" in text:
        # What SQLite says when a write fails with EFBIG (file too large) or EDQUOT (quota).
        return ("The database file could not grow (the disk or your quota may be full); nothing was changed. "
                "Free some space and try again.")
    return None


def is_url(target: str) -> bool:
    return "://" in target


def sqlite_url(path: Path) -> URL:
    from sqlalchemy import URL

    # Built, not parsed: a folder named "Reyes #2" or "Co?" is part of the path, not a URL's fragment
    # or query (parsed, the engine silently opened another file).
    return URL.create("sqlite+pysqlite", database=str(path))


ENCRYPTED_CACHE_KIB = 65_536


SQLITE_AUTOCHECKPOINT_PAGES = 1000  # SQLite's default, which the office keeps
_AUTOCHECKPOINT_OFF = "kantor_cases_autocheckpoint_off"


def defer_checkpoint(connection: Connection) -> None:
    """No automatic checkpoint when this SQLite transaction commits: SQLite runs one inside the COMMIT
    once the -wal holds 1,000 pages, which after a 100,000-row import is about a second of copying
    pages the commit has already made durable. The connection has it back when it returns to the
    pool; the caller folds the -wal in afterwards (`Database.checkpoint`)."""
    connection.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
    connection.connection.info[_AUTOCHECKPOINT_OFF] = True


def _configure_sqlite(engine: Engine, key: bytes | None) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:  # the driver's own connection
        # An encrypted office's key must be the first statement: any read before it fails.
        apply_key(dbapi_connection, key)
        # Hand transaction control to SQLAlchemy's begin event below, so that writes can start
        # with BEGIN IMMEDIATE (take the write lock up front instead of failing mid-transaction).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a transaction reported committed survives a power cut, not just a crash.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        if key is not None:
            # Every page read from the file is decrypted again unless it stays in SQLite's own
            # cache: 64 MB (filled only as pages are read) took search p95 at 300,000 clients from
            # 24.6 to 9.9 ms (docs/benchmarks.md).
            cursor.execute(f"PRAGMA cache_size = -{ENCRYPTED_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, record: Any) -> None:
        # A connection an import took automatic checkpoints from (defer_checkpoint) goes back to the
        # pool with them, after its commit.
        if dbapi_connection is not None and record.info.pop(_AUTOCHECKPOINT_OFF, False):
            dbapi_connection.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_AUTOCHECKPOINT_PAGES}")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


# Where a PostgreSQL office's database password is kept when the URL, PGPASSWORD and ~/.pgpass give none.
DATABASE_PASSWORD_SERVICE = "kantor-cases-database"
_LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1"})


def database_password_account(url: str | URL) -> str:
    """The key store's name for a database password: role, server and database, never the password."""
    from sqlalchemy import make_url

    url = make_url(url)
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def unverified_connection_warning(url: str) -> str | None:
    """One line when the URL reaches another computer without saying how to check the server's
    certificate (sslmode in the URL or PGSSLMODE); None for this computer or a verified connection."""
    from sqlalchemy import make_url

    parsed = make_url(url)
    host = parsed.host or ""
    if host in _LOCAL_HOSTS or host.startswith("/") or "sslmode" in parsed.query or os.environ.get("PGSSLMODE"):
        return None
    return (f"the connection to {host} is not verified (add ?sslmode=verify-full to the URL so that only "
            "the real server is trusted).")


def stored_database_password(url: URL) -> str | None:
    """The database password kept in the key store for `url`, if there is a key store and one is kept."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(DATABASE_PASSWORD_SERVICE, database_password_account(url))
    except KeyringError:  # no key store here, or a locked one: libpq's own answer stands
        return None


def _postgres_engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event

    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)

    @event.listens_for(engine, "do_connect")
    def _connect(dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        if cparams.get("password") or os.environ.get("PGPASSWORD"):
            return None  # the URL's or the environment's: the ordinary connect
        try:
            return dialect.connect(*cargs, **cparams)
        except dialect.loaded_dbapi.OperationalError as error:
            # libpq found no password (none in ~/.pgpass either): the key store's, if it keeps one.
            stored = stored_database_password(engine.url) if "no password supplied" in str(error) else None
            if stored is None:
                raise
        return dialect.connect(*cargs, **{**cparams, "password": stored})

    return engine


def make_engine(target: str | Path, key: bytes | None = None) -> Engine:
    """An engine for a SQLite file path (encrypted with `key` when given) or a PostgreSQL URL."""
    if isinstance(target, str) and is_url(target):
        if target.startswith("postgresql"):
            return _postgres_engine(target)
        if target.startswith("sqlite"):
            target = Path(target.split(":///", 1)[1])
        else:
            raise ValueError(f"{target.split('://')[0]} databases are not supported; use a file or postgresql://")
    from sqlalchemy import create_engine

    path = Path(target)
    engine = create_engine(
        sqlite_url(path),
        module=sqlcipher3,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        # Parameters are client names, notes, letter data: never in an error message or the log.
        hide_parameters=True,
    )
    _configure_sqlite(engine, key)
    return engine


def raw_connection(path: str | Path, user: str | None = None, password: str | None = None) -> Any:
    """A DB-API connection straight to an office, below every service: for support work and tests.

    `path` is the office's SQLite file or a postgresql:// URL. An encrypted file is signed in to as
    `user` with `password` through its keys file (a wrong password counts as a failed sign-in, like
    any other: WrongPasswordError), and the connection is keyed with the office's data key; a plain
    file needs neither. The connection is the driver's own (sqlcipher3, or psycopg for a URL): no
    SQLAlchemy session, no permission check, no audit row, and audit rows inserted on it are not
    sealed into the chain (so `check` reports them). A change is kept only after `commit()`;
    `close()` the connection when done. For example:

        connection = raw_connection("kantor-cases.sqlite3", "ana", "her password")
        connection.execute("SELECT count(*) FROM audit_events").fetchone()
    """
    if isinstance(path, str) and is_url(path):
        if not path.startswith("postgresql"):
            raise ValueError("raw_connection takes a SQLite file or a postgresql:// URL")
        import psycopg
        from sqlalchemy import make_url

        # The driver takes postgresql://, not SQLAlchemy's postgresql+psycopg://.
        return psycopg.connect(make_url(path).set(drivername="postgresql").render_as_string(hide_password=False))
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(path)
    key = None
    if not has_plain_header(path) and keys_path(path).is_file():
        if not user or password is None:
            raise KantorError("This office is encrypted: give the user and password that sign in to it.")
        key, _failed_sign_ins = unlock(path, user, password, SYSTEM_CLOCK.now())
    connection = connect(path, key, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return connection


class Database:
    """An open, migrated database: where it is and how to get a session on it.

    `write()` sessions begin IMMEDIATE on SQLite, so a user action either gets the write lock at
    once (or after waiting for another desk) or fails before anything was changed; `read()`
    sessions begin DEFERRED and never block other desks. A SQLite office carries the `integrity`
    check started at opening; `write()` waits for its verdict and refuses to write into a damaged file.

    The `engine` is given, or made by `make_engine` when first asked for (by whichever thread asks
    first): an office opened for the window is ready before SQLAlchemy is imported.
    """

    def __init__(self, engine: Engine | None, location: str, path: Path | None,
                 integrity: IntegrityGate | None = None, key: bytes | None = None,
                 make_engine: Callable[[], Engine] | None = None) -> None:
        if engine is None and make_engine is None:
            raise ValueError("a Database needs an engine or a way to make one")
        self._engine = engine
        self._make_engine = make_engine
        self._engine_lock = threading.Lock()
        self.location = location
        self.path = path
        self.integrity = integrity
        # An encrypted office's data key: backups and checks open their own connections with it.
        self.key = key

    def __repr__(self) -> str:
        return f"Database(location={self.location!r})"

    @property
    def engine(self) -> Engine:
        engine = self._engine
        if engine is None:
            with self._engine_lock:
                if self._engine is None:
                    assert self._make_engine is not None
                    self._engine = self._make_engine()
                engine = self._engine
        return engine

    # The ORM (a sixth of start-up's imports) is loaded with the first session, which the window
    # asks for off its thread once it has painted.
    @cached_property
    def _writer(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        from . import audit_chain

        audit_chain.install()  # each write's commit seals the audit rows it wrote, whoever wrote them
        return sessionmaker(self.engine, expire_on_commit=False)

    @cached_property
    def _reader(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        read_engine = (
            self.engine.execution_options(sqlite_begin="DEFERRED")
            if self.is_sqlite else self.engine
        )
        return sessionmaker(read_engine, expire_on_commit=False)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @property
    def is_sqlite(self) -> bool:
        # A SQLite office is a file; a server's has no path (answered without making the engine).
        return self.path is not None

    @contextmanager
    def write(self, vouched_before_commit: bool = False) -> Iterator[Session]:
        """One transaction for one user action: committed on success, rolled back on any error.

        The opening's integrity check is waited for first; with `vouched_before_commit` only before the
        commit, because the caller waits inside the block for something that vouches for the office
        (an import's safety backup checks a copy of every page while the rows are written)."""
        from sqlalchemy.exc import OperationalError
        from sqlalchemy.orm.exc import StaleDataError

        known = not vouched_before_commit or (self.integrity is not None and self.integrity.done)
        if known and self.damage():
            raise DamagedDatabaseError(damage_message(self.location))
        try:
            with self._writer.begin() as session:
                yield session
                if vouched_before_commit and self.damage():
                    raise DamagedDatabaseError(damage_message(self.location))
        except StaleDataError as error:
            # version_id_col found the row changed under us (possible on PostgreSQL between the
            # version check and the UPDATE): refuse rather than overwrite.
            raise ConflictError("This record", None, None) from error
        except OperationalError as error:
            plain = plain_database_error(error)
            if plain is None:
                raise
            raise DatabaseError(plain) from error

    @contextmanager
    def read(self) -> Iterator[Session]:
        from sqlalchemy.exc import OperationalError

        try:
            with self._reader() as session, session.begin():
                yield session
        except OperationalError as error:
            # Another program's lock on a read: the screens say the list could not be brought up
            # to date (with this sentence), never show it empty.
            plain = plain_database_error(error)
            if plain is None:
                raise
            raise DatabaseError(plain) from error

    def checkpoint(self) -> None:
        """Copy what the -wal holds into the database file (PASSIVE: nobody waits for it, and what a
        reader still needs stays), on a connection of its own; left to SQLite's next automatic
        checkpoint when the file is busy. SQLite offices only."""
        assert self.path is not None
        connection = connect(self.path, self.key, timeout=1)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlcipher3.OperationalError as error:  # locked by another program just now: nothing is lost
            log.warning("The checkpoint after an import was left to SQLite's next one: %s", error)
        finally:
            connection.close()

    def damage(self) -> list[str]:
        """What the opening's quick_check found wrong (waiting for it if it is still running)."""
        return self.integrity.verdict() if self.integrity is not None else []

    def sqlite_version(self) -> str:
        if not self.is_sqlite:
            return ""
        return str(sqlcipher3.sqlite_version)

    def dispose(self) -> None:
        if self.integrity is not None:
            self.integrity.close()
        if self._engine is not None:
            self._engine.dispose()
