"""Signing in to an office, for the set-up and sign-in dialogs and the command line.

Before anything is unlocked the window asks `office_state()` (set up a new office, sign in to an
encrypted one, or open a plain one with its "not encrypted" banner) and `office_users()` (the names
to list, read from the keys file). `Office.open(locations, user, password=…)` then signs in: the
password unwraps the data key (see db/office_keys.py). "Remember me" keeps the password in the
operating system's key store through `keyring`; `key_store()` says whether there is one.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

from kantor_cases.db import office_keys
from kantor_cases.db.engine import Database
from kantor_cases.db.models import AuditEvent
from kantor_cases.db.office_keys import OfficeKeys
from kantor_cases.domain.errors import DatabaseError, KantorError

from .locations import Locations

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


def office_users(locations: Locations) -> list[OfficeUser]:
    """Who may sign in to the encrypted office at `locations`, by user name."""
    path = _encrypted_path(locations)
    keys = OfficeKeys.load(path)
    return [OfficeUser(entry.user, entry.full_name, entry.role) for _, entry in sorted(keys.users.items())]


def _encrypted_path(locations: Locations) -> Path:
    path = locations.database_path
    if path is None or not office_keys.is_encrypted_office(path):
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


def sign_in(locations: Locations, user: str | None, password: str | None, now: datetime | None = None) -> SignedIn:
    """Unlock the encrypted office at `locations` as `user`. WrongPasswordError ("The password is
    wrong."), SignInDelayedError after five wrong ones in a row, SignInRequired without a name or a
    password; nothing in the office is read or changed by a failure."""
    path = _encrypted_path(locations)
    if not user:
        raise SignInRequired("This office is encrypted: say who you are (--user or KANTOR_CASES_USER).")
    if password is None:
        raise SignInRequired(f"This office is encrypted and no password was given for {user} (put it in the "
                             "file named by KANTOR_CASES_PASSWORD_FILE, or run the command on a terminal).")
    data_key, pending = office_keys.unlock(path, user, password, now or datetime.now())
    return SignedIn(user, data_key, tuple(pending))


def sign_in_if_encrypted(locations: Locations, user: str | None, password: str | None) -> SignedIn | None:
    """`sign_in` for an encrypted office; None for a plain one or a server (they open as before)."""
    if office_state(locations) is not OfficeState.ENCRYPTED:
        return None
    return sign_in(locations, user, password)


def audit_failed_sign_ins(database: Database, locations: Locations, signed_in: SignedIn) -> None:
    """Write the wrong passwords typed since the last sign-in to the audit trail, now that the office
    can be written, and drop them from the keys file. A damaged or locked office keeps them for later."""
    if not signed_in.failed_sign_ins:
        return
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
