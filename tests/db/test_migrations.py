"""The shipped migrations: one head, upgrade from empty, models equal the schema, down/up round trip."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from kantor_cases.db import migrate
from kantor_cases.db.base import Base
from kantor_cases.db.engine import make_engine
from kantor_cases.db.startup import open_database


def test_there_is_exactly_one_head_and_the_code_knows_it():
    heads = migrate.script_directory().get_heads()
    assert len(heads) == 1
    # Start-up compares against this constant so that it need not load Alembic.
    assert heads[0] == migrate.HEAD_REVISION


def test_upgrade_from_empty_reaches_head_and_seeds_reference_data(tmp_path: Path):
    database = open_database(tmp_path / "new.sqlite3")
    with database.engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()
        tables = set(inspect(connection).get_table_names())
        courts = connection.exec_driver_sql("SELECT code FROM courts ORDER BY code").scalars().all()
    assert {"clients", "matters", "hearings", "users", "audit_events", "app_meta"} <= tables
    assert {"LOS", "NLA", "VNS", "WLA", "SNC", "ADL", "SND", "OTM", "IMP", "SFR", "CCC", "SMO"} <= set(courts)
    database.dispose()


def test_models_match_the_migrated_schema(tmp_path: Path):
    database = open_database(tmp_path / "schema.sqlite3")
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, Base.metadata)
                       # The FTS5 shadow tables belong to SQLite, not to the models.
                       if not (d[0] == "remove_table" and d[1].name.startswith("search_fts"))]
    assert differences == []
    database.dispose()


def test_downgrade_to_base_and_upgrade_again(tmp_path: Path):
    path = tmp_path / "roundtrip.sqlite3"
    open_database(path).dispose()
    engine = make_engine(path)
    with engine.connect() as connection:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        migrate.downgrade(connection, "base")
        assert set(inspect(connection).get_table_names()) == {"alembic_version"}
        migrate.upgrade(connection)
        assert migrate.current_revision(connection) == migrate.head_revision()
    engine.dispose()
