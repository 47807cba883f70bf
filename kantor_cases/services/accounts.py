"""The people and keys of an encrypted office: set-up, users and passwords, the recovery key, and
turning a plain office into an encrypted one (or taking a plain copy of an encrypted one).

The users table stays the source of names, full names and roles for the rest of the app; the keys
file beside the database holds one wrapped data key per user (see db/office_keys.py), with a copy of
the full name for the sign-in list. Both change in one action:
the keys file is written inside the database transaction that changes the users table, just before
its commit (under the write lock, so two desks never interleave), and put back as it was if that
commit fails. Only an administrator may add users or set someone else's password; what each role
may do is domain/permissions.py's table.

A PostgreSQL office is encrypted on its server, so it has no keys file and no recovery key: its
passwords are Argon2id hashes in the users table (sign_in.check_server_password), set up, added and
changed here the same way. Whoever can reach the database as its owner can clear them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kantor_cases.db import backup as backup_files
from kantor_cases.db import conversion, office_keys
from kantor_cases.db.models import FirmSettings, User
from kantor_cases.db.office_keys import KdfParameters, OfficeKeys
from kantor_cases.db.startup import open_database
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.domain.private_files import make_private_folder, write_private_atomically
from kantor_cases.domain.statuses import USER_ROLES

from . import audit
from .base import Service
from .locations import Locations
from .office import Office
from .output_files import check_output_target
from .sign_in import password_hasher

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class Account:
    name: str
    full_name: str
    role: str
    active: bool
    can_sign_in: bool  # has a password (an entry in the keys file, or a hash at a PostgreSQL office)


@dataclass(frozen=True)
class NewOffice:
    office: Office
    recovery_key: str  # shown once, in groups of four ("" at a PostgreSQL office: nothing to recover)


@dataclass(frozen=True)
class Encrypted:
    recovery_key: str
    safety_backup: Path
    tables: int
    rows: int
    plain_backups: list[Path]  # readable by anyone who gets them: offered for removal


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError({"password": f"A password needs at least {MIN_PASSWORD_LENGTH} characters."})


def _check_user_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 80 or any(not ch.isprintable() for ch in name):
        raise ValidationError({"name": "A user name is 1 to 80 printable characters."})
    return name


def _check_role(role: str) -> None:
    if role not in USER_ROLES:
        raise ValidationError({"role": "Choose admin, attorney, staff or read-only."})


def set_up_office(locations: Locations, firm: str, admin: str, full_name: str, password: str,
                  clock: Clock = SYSTEM_CLOCK, kdf: KdfParameters | None = None) -> NewOffice:
    """Create a new encrypted office with its first administrator; the recovery key comes back once.
    At a PostgreSQL URL: the schema, and the first administrator with a password hash."""
    path = locations.database_path
    if path is None:
        return _set_up_server_office(locations, firm, admin, full_name, password, clock)
    if path.exists():
        raise KantorError(f"{path} already exists; set-up only makes a new office. Choose a new file name.")
    admin = _check_user_name(admin)
    firm = firm.strip()
    if not firm:
        raise ValidationError({"firm": "Give the firm's name."})
    check_password(password)
    data_key, recovery_key = office_keys.new_data_key(), office_keys.new_data_key()
    keys = OfficeKeys.create(data_key, recovery_key, admin, full_name.strip() or admin, password, kdf)
    make_private_folder(path.parent)
    # The keys first: an encrypted file is never without them (a kill now leaves only a keys file).
    keys.save(path)
    try:
        database = open_database(path, locations.backups, key=data_key)
    except BaseException:
        if not path.exists():
            office_keys.keys_path(path).unlink(missing_ok=True)
        raise
    with database.write() as session:
        _add_first_administrator(session, firm, admin, full_name.strip() or admin, None)
    log.info("Set up a new encrypted office at %s", path)
    return NewOffice(Office(database, locations, admin, clock), office_keys.format_recovery_key(recovery_key))


def _set_up_server_office(locations: Locations, firm: str, admin: str, full_name: str, password: str,
                          clock: Clock) -> NewOffice:
    admin = _check_user_name(admin)
    firm = firm.strip()
    if not firm:
        raise ValidationError({"firm": "Give the firm's name."})
    check_password(password)
    password_hash = password_hasher().hash(password)
    database = open_database(locations.database)  # creates the schema in an empty database
    try:
        with database.write() as session:
            if session.scalar(select(func.count()).select_from(User)):
                raise KantorError(f"The database at {database.location} already has an office with users; "
                                  "sign in to it instead (setup only starts a new one).")
            _add_first_administrator(session, firm, admin, full_name.strip() or admin, password_hash)
    except BaseException:
        database.dispose()
        raise
    log.info("Set up a new office on a PostgreSQL server")
    return NewOffice(Office(database, locations, admin, clock), "")


def _add_first_administrator(session: Session, firm: str, admin: str, full_name: str,
                             password_hash: str | None) -> None:
    user = User(name=admin, full_name=full_name, role="admin", password_hash=password_hash,
                created_by=admin, updated_by=admin)
    session.add(user)
    session.flush()
    audit.record(session, admin, "create", "user", user.id, f"set up the office with {admin} as administrator")
    firm_row = session.get(FirmSettings, 1)
    if firm_row is not None:
        firm_row.firm_name = firm
        firm_row.updated_by = admin


def write_recovery_sheet(locations: Locations, target: Path, firm: str, recovery_key: str, today: date,
                         force: bool = False) -> Path:
    """The recovery key as a printable PDF sheet at `target` (0600; an existing file only with `force`)."""
    from kantor_cases.letters.recovery_sheet import recovery_sheet_pdf

    target = check_output_target(target, locations, force=force)
    write_private_atomically(target, recovery_sheet_pdf(firm, today, recovery_key, locations.database))
    return target


class AccountService(Service):
    """Users and passwords of an open office."""

    @classmethod
    def for_office(cls, office: Office) -> AccountService:
        return cls(office.database, lambda: office.user, office.clock)

    @property
    def _on_server(self) -> bool:
        return self._db.path is None

    def _keys_file(self) -> tuple[Path, bytes]:
        if self._db.path is None or self._db.key is None:
            raise KantorError("This office is not encrypted, so it has no passwords; encrypt it first "
                              "(kantor-cases db encrypt).")
        return self._db.path, self._db.key

    def list(self) -> list[Account]:
        keys = OfficeKeys.load(self._db.path) if self._db.key is not None and self._db.path else None
        with self._db.read() as session:
            users = list(session.scalars(select(User).order_by(User.name)))
            return [Account(u.name, u.full_name or u.name, u.role, u.active,
                            u.password_hash is not None if self._on_server else bool(keys and u.name in keys.users))
                    for u in users]

    def add(self, name: str, full_name: str, role: str, password: str, kdf: KdfParameters | None = None) -> Account:
        name = _check_user_name(name)
        _check_role(role)
        check_password(password)
        full_name = full_name.strip() or name
        if self._on_server:
            self._add_on_server(name, full_name, role, password_hasher().hash(password))
            return Account(name, full_name, role, True, True)
        path, data_key = self._keys_file()
        written = False
        try:
            with self._db.write() as session:
                self.require("users.manage", session)
                clash = session.scalar(select(User.name).where(func.lower(User.name) == name.lower()))
                if clash is not None:
                    raise ValidationError({"name": f"There is already a user called {clash}."})
                user = User(name=name, full_name=full_name, role=role, created_by=self.user, updated_by=self.user)
                session.add(user)
                session.flush()
                audit.record(session, self.user, "create", "user", user.id, f"added the user {name} ({role})")
                with office_keys.editing(path) as keys:
                    keys.set_password(name, password, data_key, full_name=full_name, role=role, kdf=kdf)
                written = True
        except BaseException:
            if written:  # the commit failed after the keys file was written: take the entry back out
                with office_keys.editing(path) as keys:
                    keys.users.pop(name, None)
            raise
        return Account(name, full_name, role, True, True)

    def _add_on_server(self, name: str, full_name: str, role: str, password_hash: str) -> None:
        with self._db.write() as session:
            self.require("users.manage", session)
            clash = session.scalar(select(User.name).where(func.lower(User.name) == name.lower()))
            if clash is not None:
                raise ValidationError({"name": f"There is already a user called {clash}."})
            user = User(name=name, full_name=full_name, role=role, password_hash=password_hash,
                        created_by=self.user, updated_by=self.user)
            session.add(user)
            session.flush()
            audit.record(session, self.user, "create", "user", user.id, f"added the user {name} ({role})")

    def set_password(self, name: str, password: str, kdf: KdfParameters | None = None) -> None:
        """A new password for `name`: your own, or anyone's if you are an administrator. Re-wraps one
        entry of the keys file; the database is not re-encrypted. A user of the users table with no
        password yet (added in Settings, or before the office was encrypted) gets one. At a PostgreSQL
        office the user's hash is replaced and their run of wrong passwords forgotten."""
        check_password(password)
        if self._on_server:
            self._set_password_on_server(name, password_hasher().hash(password))
            return
        path, data_key = self._keys_file()
        before: OfficeKeys | None = None
        try:
            with self._db.write() as session:
                if name != self.user:
                    self.require("users.manage", session)
                user = session.scalar(select(User).where(User.name == name))
                if user is None:
                    raise KantorError(f"There is no user {name} in this office.")
                audit.record(session, self.user, "update", "user", user.id, f"set a new password for {name}")
                with office_keys.editing(path) as keys:
                    before = OfficeKeys.loads(keys.dumps(), office_keys.keys_path(path))
                    known = name in keys.users
                    keys.set_password(name, password, data_key, kdf=kdf,
                                      full_name=None if known else user.full_name or name,
                                      role=None if known else user.role)
        except BaseException:
            if before is not None:
                with office_keys.keys_lock(path):
                    before.save(path)
            raise

    def _set_password_on_server(self, name: str, password_hash: str) -> None:
        with self._db.write() as session:
            if name != self.user:
                self.require("users.manage", session)
            user_id = session.scalar(select(User.id).where(User.name == name))
            if user_id is None:
                raise KantorError(f"There is no user {name} in this office.")
            # A plain UPDATE: a new password does not make someone's open edit of the user stale.
            session.execute(update(User).where(User.id == user_id).values(
                password_hash=password_hash, sign_in_failures=0, last_sign_in_failure=None))
            audit.record(session, self.user, "update", "user", user_id, f"set a new password for {name}")


def reset_with_recovery_key(locations: Locations, name: str, recovery_text: str, password: str,
                            kdf: KdfParameters | None = None) -> None:
    """Set `name`'s password with the recovery key, when no administrator can sign in. Whoever holds
    the key can read everything anyway; the reset is audited as done with it."""
    path = locations.database_path
    if path is None:
        raise KantorError("A PostgreSQL office has no recovery key: if no administrator can sign in, the "
                          "database's owner clears the passwords on the server (UPDATE users SET password_hash "
                          "= NULL) and users passwd gives new ones.")
    if not office_keys.is_encrypted_office(path):
        raise KantorError(f"{locations.database} is not an encrypted office.")
    check_password(password)
    data_key = OfficeKeys.load(path).unlock_with_recovery(office_keys.parse_recovery_key(recovery_text))
    database = open_database(path, locations.backups, key=data_key)
    try:
        AccountService(database, lambda: name).set_password(name, password, kdf)
        with database.write() as session:
            audit.record(session, name, "update", "user", None, f"the password of {name} was reset with the recovery key")
    finally:
        database.dispose()


def encrypt_office(office: Office, full_name: str, password: str, kdf: KdfParameters | None = None,
                   pause: Callable[[str], None] | None = None) -> Encrypted:
    """Encrypt the plain office `office` (which is closed by this): a verified backup first, then an
    encrypted copy checked table by table against it, then the swap (see db/conversion.py). The one
    encrypting it becomes its first administrator with `password`."""
    path = office.database.path
    if path is None:
        raise KantorError("A PostgreSQL office is encrypted on its server, not here.")
    if office.encrypted:
        raise KantorError(f"{path} is already encrypted.")
    admin = _check_user_name(office.user)
    check_password(password)
    with office.database.write() as session:
        user = session.scalar(select(User).where(User.name == admin))
        if user is None:
            user = User(name=admin, full_name=full_name.strip() or admin, role="admin", created_by=admin,
                        updated_by=admin)
            session.add(user)
            session.flush()
            audit.record(session, admin, "create", "user", user.id, f"added {admin} to encrypt the office")
        elif user.role != "admin":
            audit.record(session, admin, "update", "user", user.id, f"made {admin} an administrator to encrypt "
                         "the office", {"role": [user.role, "admin"]})
            user.role = "admin"
        shown_name = full_name.strip() or user.full_name or admin
        user.full_name = shown_name
    safety = office.backups.back_up(reason="before-encrypt")
    backups_folder = office.backups.folder
    office.close()
    data_key, recovery_key = office_keys.new_data_key(), office_keys.new_data_key()
    keys = OfficeKeys.create(data_key, recovery_key, admin, shown_name, password, kdf)
    verified = conversion.encrypt_in_place(path, data_key, keys, pause)
    database = open_database(path, backups_folder, key=data_key)
    try:
        with database.write() as session:
            audit.record(session, admin, "update", "office", None, "encrypted the office")
    finally:
        database.dispose()
    plain = [info.path for info in backup_files.list_backups(backups_folder)
             if office_keys.has_plain_header(info.path)]
    log.info("Encrypted %s (%d tables verified)", path, len(verified))
    return Encrypted(office_keys.format_recovery_key(recovery_key), safety.path, len(verified),
                     sum(count for count, _ in verified.values()), plain)


def remove_plain_backups(backups: list[Path]) -> None:
    """Delete the plain backups left from before the office was encrypted (after the user's yes)."""
    for path in backups:
        if office_keys.has_plain_header(path):
            for companion in ("", "-wal"):
                path.with_name(path.name + companion).unlink(missing_ok=True)


def decrypt_copy(office: Office, out: Path) -> int:
    """A plain, verified copy of the encrypted office at `out` (a new file, 0600); returns its rows."""
    path = office.database.path
    if path is None or office.database.key is None:
        raise KantorError("This office is not encrypted; take a copy with kantor-cases backup --out instead.")
    verified = conversion.export_plain_copy(path, office.database.key, out)
    with office.database.write() as session:
        audit.record(session, office.user, "export", "office", None, f"took an unencrypted copy ({out.name})")
    return sum(count for count, _ in verified.values())
