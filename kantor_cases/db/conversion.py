"""Turning a plain office into an encrypted one (`db encrypt`) and taking a plain copy (`db decrypt`).

Both go through SQLCipher's `sqlcipher_export` into a new file and compare every table of the copy
with the original (row count and a SHA-256 of its rows) before the copy is used. Encrypting swaps
the files in an order that a crash at any moment leaves either the plain office or the encrypted one
with its keys — never neither:

1. export into `<database>.encrypting-<pid>.partial` and verify it (the plain office is untouched);
2. write the keys file (a plain file with a keys file beside it still opens as the plain office);
3. checkpoint the plain office out of WAL mode, so no -wal of it is left to be replayed;
4. rename the encrypted copy over the plain file (atomic).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import sqlcipher3

from kantor_cases.domain.errors import DatabaseError
from kantor_cases.domain.private_files import create_private_file, sync_folder

from .office_keys import OfficeKeys, connect, key_pragma, keys_path

Fingerprints = dict[str, tuple[int, str]]


def table_fingerprints(connection: sqlcipher3.Connection) -> Fingerprints:
    """Each table's row count and a SHA-256 of its rows in rowid order (the search index's shadow
    tables too: they are copied like any other)."""
    result: Fingerprints = {}
    tables = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for table in tables:
        digest = hashlib.sha256()
        count = 0
        try:
            rows = connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        except sqlcipher3.OperationalError:  # a WITHOUT ROWID table, or a virtual one: in key order
            rows = connection.execute(f'SELECT * FROM "{table}" ORDER BY 1')
        for row in rows:
            digest.update(repr(row).encode("utf-8"))
            count += 1
        result[table] = (count, digest.hexdigest())
    return result


def _export(source: sqlcipher3.Connection, destination: Path, destination_key: bytes | None) -> None:
    # The key is part of the ATTACH: an empty one makes a plain file.
    key = f"\"x'{destination_key.hex()}'\"" if destination_key is not None else "''"
    source.execute("ATTACH DATABASE ? AS target KEY " + key, (str(destination),))
    try:
        source.execute("SELECT sqlcipher_export('target')")
    finally:
        source.execute("DETACH DATABASE target")


def _verify(copy: Path, key: bytes | None, expected: Fingerprints) -> None:
    connection = connect(copy, key, read_only=True)
    try:
        found = table_fingerprints(connection)
    finally:
        connection.close()
    if found != expected:
        differing = sorted(name for name in expected.keys() | found.keys() if expected.get(name) != found.get(name))
        raise DatabaseError(f"The converted copy differs from the office in {', '.join(differing)}; it was deleted "
                            "and the office left as it was.")


def _open_elsewhere() -> DatabaseError:
    return DatabaseError("The office is open in another program or on another desk, so it was not encrypted; "
                         "nothing was changed. Close Kantor Cases everywhere else and try again.")


def partial_copies(database: Path) -> list[Path]:
    return sorted(database.parent.glob(f"{database.name}.encrypting-*.partial*"))


def encrypt_in_place(database: Path, data_key: bytes, keys: OfficeKeys,
                     pause: Callable[[str], None] | None = None) -> Fingerprints:
    """Encrypt the plain office `database` with `data_key`, `keys` becoming its keys file; returns
    what was verified. `pause(step)` is called between the steps (the crash test stops there).

    Every connection to the office must be closed, here and on other desks: the plain file is
    replaced under them."""
    for leftover in partial_copies(database):  # from an encryption that was killed
        leftover.unlink()
    partial = database.with_name(f"{database.name}.encrypting-{os.getpid()}.partial")
    source = sqlcipher3.connect(str(database), timeout=5, isolation_level=None)
    keys_saved = False
    try:
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        create_private_file(partial)
        try:
            source.execute("BEGIN IMMEDIATE")
            expected = table_fingerprints(source)
            source.execute("COMMIT")
            _export(source, partial, data_key)  # ATTACH cannot run inside a transaction
            # The write lock from here until the keys are written: a change made on another desk since
            # the copy is caught now, and none can be made until the plain file leaves WAL mode.
            source.execute("BEGIN IMMEDIATE")
            if table_fingerprints(source) != expected:
                raise DatabaseError("The office changed while it was being encrypted (is Kantor Cases open on "
                                    "another desk?); nothing was changed. Close it everywhere and try again.")
            _verify(partial, data_key, expected)
            if pause:
                pause("exported")
            keys.save(database)
            keys_saved = True
            if pause:
                pause("keys-written")
            source.execute("COMMIT")
            # Out of WAL mode: the plain office's -wal must not outlive it beside the encrypted file.
            mode = source.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if mode != "delete":
                raise _open_elsewhere()
        except BaseException:
            if source.in_transaction:
                source.execute("ROLLBACK")
            for leftover in (partial, *partial_copies(database)):
                leftover.unlink(missing_ok=True)
            if keys_saved:  # the office stays plain: no keys file to puzzle anyone
                keys_path(database).unlink(missing_ok=True)
            raise
    except sqlcipher3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise _open_elsewhere() from error
        raise
    finally:
        source.close()
    os.replace(partial, database)
    sync_folder(database.parent)
    if pause:
        pause("replaced")
    for companion in ("-wal", "-shm", "-journal"):
        database.with_name(database.name + companion).unlink(missing_ok=True)
    return expected


def export_plain_copy(database: Path, data_key: bytes, destination: Path) -> Fingerprints:
    """A verified plain copy of the encrypted office at `destination` (a new file, 0600)."""
    create_private_file(destination)
    try:
        source = sqlcipher3.connect(str(database), timeout=5, isolation_level=None)
        try:
            source.execute("PRAGMA cipher_log_level = NONE")
            source.execute(key_pragma(data_key))
            source.execute("BEGIN")
            expected = table_fingerprints(source)
            source.execute("COMMIT")
            _export(source, destination, None)
        finally:
            source.close()
        _verify(destination, None, expected)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    return expected
