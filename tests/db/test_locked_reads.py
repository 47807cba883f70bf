"""A read that meets another program's exclusive lock says so in one plain sentence.

Screens show that sentence ("could not be brought up to date …") instead of an empty list; a raw
driver error would reach the person as "Something went wrong".
"""

from __future__ import annotations

import sqlcipher3
from sqlalchemy import text

from kantor_cases.db import engine as engine_module
from kantor_cases.domain.errors import DatabaseError
from kantor_cases.services import locations
from kantor_cases.services.office import Office


def test_a_read_under_another_programs_exclusive_lock_is_a_plain_database_error(db_path, monkeypatch):
    office = Office.open(locations.resolve(str(db_path)), user="Ana")
    try:
        monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 50)
        office.database.engine.dispose()  # new connections take the short wait
        holder = sqlcipher3.connect(str(db_path), isolation_level=None)
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("CREATE TABLE held (x)")
        try:
            try:
                with office.database.read() as session:
                    session.execute(text("SELECT count(*) FROM clients")).scalar()
            except DatabaseError as error:
                assert "locked by another program or desk" in str(error)
            else:
                raise AssertionError("the read went through an exclusive lock")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    finally:
        office.close()


def test_an_encrypted_office_keeps_a_large_page_cache_and_a_plain_one_the_default(db_path, tmp_path, monkeypatch):
    from sqlalchemy import text

    from kantor_cases.db import office_keys
    from kantor_cases.db.engine import ENCRYPTED_CACHE_KIB
    from kantor_cases.db.office_keys import KdfParameters
    from kantor_cases.services import accounts

    monkeypatch.setattr(office_keys, "DEFAULT_KDF", KdfParameters(1, 1024, 1))
    made = accounts.set_up_office(locations.resolve(str(tmp_path / "locked.sqlite3")), "Firm", "mk", "M K",
                                  "correct horse battery")
    plain = Office.open(locations.resolve(str(db_path)), user="Ana")
    try:
        with made.office.database.read() as session:
            assert session.execute(text("PRAGMA cache_size")).scalar() == -ENCRYPTED_CACHE_KIB
        with plain.database.read() as session:
            assert session.execute(text("PRAGMA cache_size")).scalar() > -ENCRYPTED_CACHE_KIB  # the default
    finally:
        made.office.close()
        plain.close()
