"""Start-up guards: backup before upgrade, restore on failure, refuse newer and foreign files untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlcipher3 as sqlite3  # the same SQLite library as the app: POSIX locks are per process

from kantor_cases.db import backup, migrate
from kantor_cases.db.engine import make_engine
from kantor_cases.db.startup import open_database
from kantor_cases.domain.errors import DatabaseError


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_old_database(path: Path) -> None:
    """A database at the first revision with one user in it, as an older release left it."""
    engine = make_engine(path)
    with engine.connect() as connection:
        migrate.upgrade(connection, "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO users (name, initials, role, email, bar_number, active, version, created_at, "
            "created_by, updated_at, updated_by) VALUES ('Ruth', 'RK', 'attorney', '', '', 1, 1, "
            "'2026-01-01', 'x', '2026-01-01', 'x')")
    engine.dispose()


def revision_of(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_an_old_database_is_backed_up_then_upgraded(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    make_old_database(path)
    database = open_database(path, tmp_path / "backups")
    database.dispose()
    assert revision_of(path) == migrate.head_revision()
    backups = backup.list_backups(tmp_path / "backups")
    assert [b.reason for b in backups] == ["before-upgrade-0001"]
    with sqlite3.connect(backups[0].path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert connection.execute("SELECT name FROM users").fetchall() == [("Ruth",)]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT name FROM users").fetchall() == [("Ruth",)]


def test_a_failing_upgrade_restores_the_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "old.sqlite3"
    make_old_database(path)
    real_upgrade = migrate.upgrade

    def upgrade_then_fail(connection, target="head"):
        real_upgrade(connection, target)
        connection.exec_driver_sql("DELETE FROM users")
        raise RuntimeError("simulated migration failure")

    monkeypatch.setattr(migrate, "upgrade", upgrade_then_fail)
    with pytest.raises(DatabaseError, match="restored from the backup"):
        open_database(path, tmp_path / "backups")
    assert revision_of(path) == "0001"
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT name FROM users").fetchall() == [("Ruth",)]
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "clients" not in tables


def test_a_database_from_a_newer_version_is_refused_and_untouched(tmp_path: Path):
    path = tmp_path / "newer.sqlite3"
    open_database(path).dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        connection.execute("PRAGMA journal_mode = DELETE")
    before = digest(path)
    with pytest.raises(DatabaseError, match="newer version"):
        open_database(path, tmp_path / "backups")
    assert digest(path) == before
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize("content", [b"this is a letter, not a database\n" * 50, b"\x00\xff" * 4096])
def test_a_file_that_is_not_a_database_is_refused_and_untouched(tmp_path: Path, content: bytes):
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match="not a Kantor Cases database") as raised:
        open_database(path)
    assert str(path) in str(raised.value)
    assert path.read_bytes() == content


def test_a_damaged_database_is_refused_and_untouched(tmp_path: Path):
    path = tmp_path / "damaged.sqlite3"
    open_database(path).dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xde\xad" * ((4096 - 100) // 2)  # wreck the schema page after the header
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="damaged") as raised:
        open_database(path)
    assert str(path) in str(raised.value)
    assert path.read_bytes() == bytes(data)


def test_another_programs_sqlite_file_is_refused(tmp_path: Path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    before = digest(path)
    with pytest.raises(DatabaseError, match="some other program"):
        open_database(path)
    assert digest(path) == before


def test_the_postgres_tests_never_empty_a_database_not_named_for_tests():
    from postgres_support import empty_test_schema

    with pytest.raises(RuntimeError, match="_test"):
        empty_test_schema("postgresql+psycopg://kantor:kantor@localhost/kantor_office")
