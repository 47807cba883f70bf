"""The audit trail on a shared PostgreSQL office (issue 13 item 3): only INSERT, and two desks
appending at once keep one valid chain."""

from __future__ import annotations

import threading

import psycopg
import pytest
from postgres_support import URL, emptied_office, needs_postgres

from kantor_cases.db import audit_chain
from kantor_cases.db.engine import raw_connection
from kantor_cases.domain.records import ClientDraft
from kantor_cases.services import audit, locations
from kantor_cases.services.office import Office

pytestmark = needs_postgres


@pytest.fixture
def shared_office():
    office = emptied_office()
    office.clients.create(ClientDraft(given_name="José", family_name="Núñez"))
    yield office
    office.close()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET user_name = 'Beto'",
    "DELETE FROM audit_events",
    "TRUNCATE audit_events",
    "UPDATE audit_events SET row_hash = NULL",
])
def test_an_audit_row_cannot_be_changed_or_deleted(shared_office, statement):
    with raw_connection(URL) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege, match="only be added"):
        connection.execute(statement)
    assert audit.verify_trail(shared_office.database, None).ok


def test_an_audit_row_left_out_of_the_chain_is_refused_at_commit(shared_office):
    connection = raw_connection(URL)
    try:
        connection.execute("INSERT INTO audit_events (at, user_name, action, entity, summary, changes) "
                           "VALUES (now(), 'Beto', 'delete', 'client', 'x', '{}')")
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="not sealed"):
            connection.commit()
    finally:
        connection.close()


def test_a_forged_row_is_named_by_check(shared_office):
    head = audit.chain_head(shared_office.database)
    assert head is not None
    with raw_connection(URL) as connection:
        connection.execute(
            "INSERT INTO audit_events (at, user_name, action, entity, summary, changes, seq, prev_hash, row_hash) "
            "VALUES (now(), 'Beto', 'delete', 'client', 'x', '{}', %s, %s, %s)",
            (head.seq + 1, head.row_hash, "f" * 64))
        forged = connection.execute("SELECT max(id) FROM audit_events").fetchone()[0]
    assert shared_office.check() == [
        f"audit: audit row {forged} (#{head.seq + 1} in the chain) was edited after it was written; "
        "no backup holds the good version."]


def test_two_desks_adding_audit_rows_at_once_keep_one_valid_chain(shared_office):
    desks = [Office.open(locations.resolve(URL), name) for name in ("Ana", "Ruth", "Luis")]
    start = threading.Barrier(len(desks))
    failures: list[BaseException] = []

    def add_clients(desk: Office) -> None:
        try:
            start.wait()
            for i in range(25):
                desk.clients.create(ClientDraft(given_name=f"{desk.user}{i}", family_name="Reyes"))
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            failures.append(error)

    threads = [threading.Thread(target=add_clients, args=(desk,)) for desk in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for desk in desks:
        desk.close()
    assert failures == []
    verdict = audit.verify_trail(shared_office.database, None)
    assert verdict.ok, verdict.problems
    with shared_office.database.read() as session:
        ids_in_chain_order = [row[0] for row in session.connection().execute(
            audit_chain.AUDIT.select().with_only_columns(audit_chain.AUDIT.c.id).order_by(audit_chain.AUDIT.c.seq))]
    assert verdict.rows == len(ids_in_chain_order) >= 1 + 3 * 25
