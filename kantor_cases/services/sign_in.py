"""Signing in to an office, for the set-up and sign-in dialogs and the command line.

Before anything is unlocked the window asks `office_state()` (set up a new office, sign in to an
encrypted one, or open a plain one with its "not encrypted" banner) and `office_users()` (the names
to list, read from the keys file). `Office.open(locations, user, password=…)` then signs in: the
password unwraps the data key (see db/office_keys.py). "Remember me" keeps the password in the
operating system's key store through `keyring`; `key_store()` says whether there is one.

A PostgreSQL office (SERVER) is encrypted on its server; its users sign in against the users
table's Argon2id hashes (`check_server_password`), counted and delayed after five wrong ones like an
encrypted office, each failure audited at once. A server office where nobody has a password yet (one
made before passwords) opens as before, naming who acts; `office_users()` is then empty.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from kantor_cases.db import office_keys
from kantor_cases.db.engine import DATABASE_PASSWORD_SERVICE, Database, database_password_account, make_engine
from kantor_cases.db.office_keys import FIRST_DELAY, FREE_FAILURES, LONGEST_DELAY, OfficeKeys
from kantor_cases.db.startup import open_database
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.errors import DatabaseError, KantorError, SignInDelayedError, WrongPasswordError

from .locations import Locations

# SQLAlchemy is imported by the functions that read or write through it (the server's sign-in, a
# password kept for a server): signing in to an office file and painting the window need none of it.

log = logging.getLogger(__name__)

KEY_STORE_SERVICE = "kantor-cases"


class OfficeState(Enum):
    NEW = "new"              # nothing at the path yet: set-up
    ENCRYPTED = "encrypted"  # sign in
    PLAIN = "plain"          # opens as before, with the "not encrypted" banner
    SERVER = "server"        # PostgreSQL: encrypted on the server, not here


class SignInRequired(KantorError):
    """An encrypted office was opened without a user name or a password."""


@dataclass(frozen=True)
class OfficeUser:
    """A person who can sign in, as the keys file lists them (readable before signing in)."""

    name: str
    full_name: str
    role: str


def office_state(locations: Locations) -> OfficeState:
    path = locations.database_path
    if path is None:
        return OfficeState.SERVER
    if not path.exists():
        return OfficeState.NEW
    return OfficeState.ENCRYPTED if office_keys.is_encrypted_office(path) else OfficeState.PLAIN


def shown_database(locations: Locations) -> str:
    """The office's file, or its PostgreSQL URL with the database password masked: for the window's
    words and anything it keeps per office (never the password in a dialog or a settings file)."""
    if locations.database_path is not None:
        return locations.database
    from sqlalchemy import make_url

    return make_url(locations.database).render_as_string(hide_password=True)


def office_users(locations: Locations) -> list[OfficeUser]:
    """Who may sign in to the encrypted office at `locations`, by user name; at a PostgreSQL office,
    its active users who have a password (none: it opens as before, naming who acts)."""
    if locations.database_path is None:
        database = open_database(locations.database)
        try:
            return server_users(database)
        finally:
            database.dispose()
    path = _encrypted_path(locations)
    keys = OfficeKeys.load(path)
    return [OfficeUser(entry.user, entry.full_name, entry.role) for _, entry in sorted(keys.users.items())]


def _encrypted_path(locations: Locations) -> Path:
    path = locations.database_path
    if path is None:  # (its URL may hold the database password: never in a message)
        raise KantorError("A PostgreSQL office has no keys file: its server keeps it encrypted.")
    if not office_keys.is_encrypted_office(path):
        raise KantorError(f"{locations.database} is not an encrypted office.")
    return path


@dataclass(frozen=True)
class SignedIn:
    user: str
    data_key: bytes = b""
    # Wrong passwords typed since the last successful sign-in, to be written to the audit trail.
    failed_sign_ins: tuple[dict[str, str], ...] = ()

    def __repr__(self) -> str:  # never the key, in a log or a traceback
        return f"SignedIn(user={self.user!r})"


def sign_in(locations: Locations, user: str | None, password: str | None, clock: Clock = SYSTEM_CLOCK) -> SignedIn:
    """Unlock the encrypted office at `locations` as `user`. WrongPasswordError ("The password is
    wrong."), SignInDelayedError after five wrong ones in a row, SignInRequired without a name or a
    password; nothing in the office is read or changed by a failure."""
    path = _encrypted_path(locations)
    if not user:
        raise SignInRequired("This office is encrypted: say who you are (--user or KANTOR_CASES_USER).")
    if password is None:
        raise SignInRequired(f"This office is encrypted and no password was given for {user} (put it in the "
                             "file named by KANTOR_CASES_PASSWORD_FILE, or run the command on a terminal).")
    data_key, pending = office_keys.unlock(path, user, password, clock.now())
    return SignedIn(user, data_key, tuple(pending))


def sign_in_if_encrypted(locations: Locations, user: str | None, password: str | None,
                         clock: Clock = SYSTEM_CLOCK) -> SignedIn | None:
    """`sign_in` for an encrypted office; None for a plain one. At a PostgreSQL office whose users have
    passwords, `user`'s password is checked (on a connection of its own) before None is returned."""
    state = office_state(locations)
    if state is OfficeState.SERVER:
        database = open_database(locations.database)
        try:
            check_server_password(database, user, password)
        finally:
            database.dispose()
        return None
    if state is not OfficeState.ENCRYPTED:
        return None
    return sign_in(locations, user, password, clock)


# --- a PostgreSQL office's passwords ---------------------------------------------------------------

def password_hasher() -> Any:
    """Argon2id at the cost an encrypted office's keys use (office_keys.DEFAULT_KDF, looked up now so a
    test can make it cheap); a hash made at another cost still verifies and is renewed at sign-in."""
    from argon2 import PasswordHasher

    kdf = office_keys.DEFAULT_KDF
    return PasswordHasher(time_cost=kdf.time_cost, memory_cost=kdf.memory_kib, parallelism=kdf.parallelism)


def server_needs_sign_in(locations: Locations) -> bool:
    """Whether the PostgreSQL office at `locations` has passwords (then everyone signs in)."""
    database = open_database(locations.database)
    try:
        return server_has_passwords(database)
    finally:
        database.dispose()


def signs_in(database: Database) -> bool:
    """Whether the people of this open office have passwords: an encrypted file, or a PostgreSQL
    office whose users have been given them. Only then can the window lock and switch users."""
    if database.path is not None:
        return database.encrypted
    return server_has_passwords(database)


def record_sign_in(database: Database, user: str, how: str) -> None:
    """A sign-in at the window (at start-up, or at its lock) in the audit trail: the History shows
    who was at the desk from when. A damaged or locked office cannot take it; the sign-in stands."""
    from . import audit

    try:
        with database.write() as session:
            audit.record(session, user, "sign-in", "user", None, f"signed in {how}")
    except DatabaseError as error:
        log.warning("A sign-in was not audited: %s", type(error).__name__)


def check_password(database: Database, locations: Locations, user: str, password: str) -> str:
    """Check `user`'s password against the office that is open (the window's lock): the keys file's
    entry must unwrap the very key the file is open with, or the server's hash must match. Returns
    the user name; WrongPasswordError or SignInDelayedError otherwise."""
    if database.path is None:
        check_server_password(database, user, password)
        record_sign_in(database, user, "at the locked window")
        return user
    signed_in = sign_in(locations, user, password)
    if signed_in.data_key != database.key:
        raise WrongPasswordError("The password is wrong.")
    # Wrong passwords typed at the lock (or anywhere since the last sign-in) reach the audit trail.
    audit_failed_sign_ins(database, locations, signed_in)
    record_sign_in(database, signed_in.user, "at the locked window")
    return signed_in.user


def server_has_passwords(database: Database) -> bool:
    from sqlalchemy import select

    from kantor_cases.db.models import User

    with database.read() as session:
        return session.scalar(select(User.id).where(User.password_hash.is_not(None)).limit(1)) is not None


def server_users(database: Database) -> list[OfficeUser]:
    from sqlalchemy import select

    from kantor_cases.db.models import User

    with database.read() as session:
        rows = session.execute(select(User.name, User.full_name, User.role).where(
            User.password_hash.is_not(None), User.active.is_(True)).order_by(User.name))
        return [OfficeUser(name, full_name or name, role) for name, full_name, role in rows]


def _wait_left(failures: int, last_failure: datetime | None, now: datetime) -> int:
    """Seconds before the next try, as an encrypted office's keys file counts them."""
    if failures < FREE_FAILURES or last_failure is None:
        return 0
    delay = min(FIRST_DELAY * 2 ** (failures - FREE_FAILURES), LONGEST_DELAY)
    return max(0, int((last_failure + delay - now).total_seconds() + 0.999))


def check_server_password(database: Database, user: str | None, password: str | None,
                          now: datetime | None = None) -> None:
    """Sign `user` in to the PostgreSQL office `database` with `password`, when its users have passwords
    (else nothing to check: it opens as before); also what the window's lock asks of an open office.
    A wrong password is counted on the user's row and audited before WrongPasswordError; after five in
    a row each try waits longer (SignInDelayedError, the password not even tried)."""
    from sqlalchemy import func, select, update

    from kantor_cases.db.models import User

    if not server_has_passwords(database):
        return
    if now is None:
        with database.read() as session:
            # The server's clock, not this desk's: every desk counts the same wait.
            now = session.scalar(select(func.localtimestamp()))
        assert now is not None
    if not user:
        raise SignInRequired("This office has passwords: say who you are (--user or KANTOR_CASES_USER).")
    if password is None:
        raise SignInRequired(f"No password was given for {user} (put it in the file named by "
                             "KANTOR_CASES_PASSWORD_FILE, or run the command on a terminal).")
    with database.read() as session:
        found = session.execute(select(User.id, User.password_hash, User.active, User.sign_in_failures,
                                       User.last_sign_in_failure).where(User.name == user)).first()
    if found is None:
        _record_failure(database, user, None, now)
        raise WrongPasswordError(f"There is no user {user} in this office.")
    user_id, stored, active, failures, last_failure = found
    if not active:
        raise WrongPasswordError(f"{user} is no longer an active user of this office.")
    if stored is None:
        raise WrongPasswordError(f"{user} has no password yet; an administrator gives one with "
                                 f"kantor-cases users passwd {user}.")
    left = _wait_left(failures, last_failure, now)
    if left:
        raise SignInDelayedError(user, left)
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = password_hasher()
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        _record_failure(database, user, user_id, now)
        raise WrongPasswordError("The password is wrong.") from None
    renewed = hasher.hash(password) if hasher.check_needs_rehash(stored) else None
    if failures or renewed:
        with database.write() as session:
            values: dict[str, Any] = {"sign_in_failures": 0, "last_sign_in_failure": None}
            if renewed:
                values["password_hash"] = renewed
            session.execute(update(User).where(User.id == user_id).values(**values))


def _record_failure(database: Database, user: str, user_id: int | None, now: datetime) -> None:
    from sqlalchemy import update

    from kantor_cases.db.models import User

    from . import audit

    with database.write() as session:
        if user_id is not None:
            session.execute(update(User).where(User.id == user_id).values(
                sign_in_failures=User.sign_in_failures + 1, last_sign_in_failure=now))
        # The name as typed (cut to the column), like an encrypted office's failed sign-ins.
        audit.record(session, user[:80], "sign-in failed", "user", user_id, "A wrong password was given")


def audit_failed_sign_ins(database: Database, locations: Locations, signed_in: SignedIn) -> None:
    """Write the wrong passwords typed since the last sign-in to the audit trail, now that the office
    can be written, and drop them from the keys file. A damaged or locked office keeps them for later."""
    if not signed_in.failed_sign_ins:
        return  # before importing the models: most sign-ins have none, and the window waits for this
    from kantor_cases.db.models import AuditEvent

    try:
        with database.write() as session:
            for failure in signed_in.failed_sign_ins:
                session.add(AuditEvent(at=datetime.fromisoformat(failure["at"]), user_name=failure["user"],
                                       action="sign-in failed", entity="user", entity_id=None,
                                       summary="A wrong password was given", changes="{}"))
    except DatabaseError as error:
        log.warning("Failed sign-ins not yet audited: %s", error)
        return
    path = locations.database_path
    assert path is not None
    office_keys.forget_audited_failures(path, list(signed_in.failed_sign_ins))


def password_from_file(variable: str) -> str | None:
    """The first line of the file the environment variable `variable` names (None when unset): how
    a scripted desk, the tests, and the window started with KANTOR_CASES_USER give a password."""
    name = os.environ.get(variable)
    if not name:
        return None
    try:
        with open(name, encoding="utf-8") as handle:
            line = handle.readline().rstrip("\r\n")
    except OSError as error:
        raise KantorError(f"The password file named by {variable} cannot be read ({error.strerror}).") from error
    except UnicodeDecodeError as error:
        raise KantorError(f"The password file named by {variable} is not UTF-8 text.") from error
    if not line:
        raise KantorError(f"The password file named by {variable} has no password on its first line.")
    return line


# --- the operating system's key store -----------------------------------------------------------

def key_store() -> str | None:
    """The name of the key store "Remember me" would use, or None where there is none (a server
    without a desktop session, a minimal Linux): then the option is not offered."""
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring | null.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return type(backend).__name__


def _account(locations: Locations, user: str) -> str:
    if locations.database_path is None:
        # A server office: its address without the database password (which is never stored here).
        from sqlalchemy import make_url

        url = make_url(locations.database)
        return f"{url.host or 'localhost'}:{url.port or 5432}/{url.database}:{user}"
    # The office's own id, not its path: moving the office's folder keeps the remembered passwords.
    return f"{OfficeKeys.load(_encrypted_path(locations)).office_id}:{user}"


def remembered_password(locations: Locations, user: str) -> str | None:
    if key_store() is None:
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEY_STORE_SERVICE, _account(locations, user))
    except KeyringError as error:  # a locked or broken store: ask instead
        log.warning("The key store could not be read: %s", type(error).__name__)
        return None


def remember_password(locations: Locations, user: str, password: str) -> None:
    """Keep `user`'s password for this office in the key store (after a successful sign-in)."""
    if key_store() is None:
        raise KantorError("This computer has no key store (such as Windows Credential Manager, macOS Keychain "
                          "or a Secret Service), so the password cannot be remembered.")
    import keyring

    keyring.set_password(KEY_STORE_SERVICE, _account(locations, user), password)


def forget_password(locations: Locations, user: str) -> None:
    if key_store() is None:
        return
    import keyring
    from keyring.errors import PasswordDeleteError

    with contextlib.suppress(PasswordDeleteError):  # nothing was remembered
        keyring.delete_password(KEY_STORE_SERVICE, _account(locations, user))


def remember_database_password(locations: Locations, password: str) -> None:
    """Keep the database password of the PostgreSQL office at `locations` in the key store, once the
    server has taken it: for desks whose URL, PGPASSWORD and ~/.pgpass give none."""
    if locations.database_path is not None:
        raise KantorError("Only a PostgreSQL office has a database password; an office file has none.")
    if key_store() is None:
        raise KantorError("This computer has no key store (such as Windows Credential Manager, macOS Keychain "
                          "or a Secret Service); use ~/.pgpass (0600) for the database password instead.")
    from sqlalchemy import make_url
    from sqlalchemy.exc import OperationalError

    url = make_url(locations.database)
    engine = make_engine(url.set(password=password).render_as_string(hide_password=False))
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[-1] if error.orig else type(error).__name__
        raise KantorError(f"The database server did not take that password ({reason}); nothing was remembered.") \
            from None
    finally:
        engine.dispose()
    import keyring

    keyring.set_password(DATABASE_PASSWORD_SERVICE, database_password_account(url), password)
