"""Migration 0006: one client per A-number, and an office that already has duplicates still upgrades."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from kantor_cases.db import migrate
from kantor_cases.db.engine import make_engine
from kantor_cases.db.startup import open_database
from kantor_cases.domain.records import ClientDraft
from kantor_cases.services.clients import client_columns


def insert(connection: Connection, client_id: int, a_number: str | None) -> None:
    values = {**client_columns(ClientDraft(given_name="Ana", family_name=f"Ruiz{client_id}")), "a_number": a_number,
              "id": client_id, "version": 1, "created_at": "2026-01-05 09:00:00", "created_by": "x",
              "updated_at": "2026-01-05 09:00:00", "updated_by": "x"}
    # Only the columns the table has at this revision (later migrations add more, e.g. 0010's salutation).
    present = {row[1] for row in connection.exec_driver_sql("PRAGMA table_info(clients)")}
    values = {name: value for name, value in values.items() if name in present}
    connection.execute(text(f"INSERT INTO clients ({', '.join(values)}) VALUES ({', '.join(':' + k for k in values)})"),
                       values)


def at_0005_with(path: Path, a_numbers: list[str | None]) -> Connection:
    open_database(path).dispose()
    connection = make_engine(path).connect()
    migrate.downgrade(connection, "0005")
    for client_id, a_number in enumerate(a_numbers, start=1):
        insert(connection, client_id, a_number)
    connection.commit()
    return connection


def a_number_index(connection: Connection) -> tuple[str, int]:
    row = connection.exec_driver_sql("SELECT m.sql, i.\"unique\" FROM sqlite_master AS m JOIN pragma_index_list('clients') "
                                     "AS i ON m.name = i.name WHERE m.name = 'ix_clients_a_number'").one()
    return row[0], row[1]


def test_the_upgrade_makes_a_second_client_with_an_a_number_impossible(tmp_path):
    connection = at_0005_with(tmp_path / "k.sqlite3", ["A012345678", None, "", "", "A087654321"])
    migrate.upgrade(connection)
    assert migrate.current_revision(connection) == migrate.head_revision()
    sql, unique = a_number_index(connection)
    assert unique == 1 and "WHERE a_number IS NOT NULL" in sql
    # Empty A-numbers became NULL, which the index leaves alone.
    assert connection.exec_driver_sql("SELECT count(*) FROM clients WHERE a_number IS NULL").scalar() == 3
    with pytest.raises(Exception, match="UNIQUE constraint failed: clients.a_number"):
        insert(connection, 9, "A012345678")
    connection.rollback()
    migrate.downgrade(connection, "0005")
    assert a_number_index(connection)[1] == 0
    connection.close()


def test_an_office_with_duplicates_upgrades_and_the_log_names_the_client_ids(tmp_path, caplog):
    connection = at_0005_with(tmp_path / "k.sqlite3", ["A012345678", "A087654321", "A012345678", None, "A012345678"])
    with caplog.at_level(logging.WARNING, logger="kantor_cases.db.migrations"):
        migrate.upgrade(connection)
    assert migrate.current_revision(connection) == migrate.head_revision()
    assert a_number_index(connection)[1] == 0, "the plain index stays while clients share an A-number"
    warning = next(r.getMessage() for r in caplog.records if r.name == "kantor_cases.db.migrations")
    assert warning.endswith("1, 3, 5") and "A012345678" not in warning
    connection.close()
