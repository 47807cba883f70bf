"""A desk's own PostgreSQL role on a shared office (issue 13 item 3): the privilege system itself,
not only the append-only trigger, lets it add audit rows and never change or delete one, while it
writes every other table as the application needs."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import replace

import psycopg
import pytest
from postgres_support import URL, emptied_office, needs_postgres
from sqlalchemy import make_url

from kantor_cases.cli import main
from kantor_cases.db.engine import raw_connection
from kantor_cases.domain.errors import PermissionDenied, ValidationError
from kantor_cases.domain.records import ClientDraft
from kantor_cases.services import audit, locations
from kantor_cases.services.office import Office

pytestmark = needs_postgres

# What an office's administrator gives a desk's role by hand, after the office was set up.
BY_HAND = ("GRANT USAGE ON SCHEMA public TO {role}",
           "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
           "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")


def _as_owner(*statements: str) -> None:
    with raw_connection(URL) as connection:
        for statement in statements:
            connection.execute(statement)


@pytest.fixture
def shared_office() -> Iterator[Office]:
    office = emptied_office()
    office.clients.create(ClientDraft(given_name="José", family_name="Núñez"))
    yield office
    office.close()


@pytest.fixture
def desk_role(shared_office) -> Iterator[tuple[str, str]]:
    """A login role of its own for one desk (roles are the server's, not the database's: a unique
    name, dropped afterwards), and the office's URL signed in as it."""
    with raw_connection(URL) as connection:
        may_create = connection.execute(
            "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user").fetchone()[0]
    if not may_create:
        pytest.skip("the test database's user cannot create roles (CI's kantor user has CREATEROLE)")
    role, password = f"kantor_desk_{secrets.token_hex(4)}", secrets.token_hex(16)
    _as_owner(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    try:
        yield role, make_url(URL).set(username=role, password=password).render_as_string(hide_password=False)
    finally:
        _as_owner(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
                  f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}",
                  f"REVOKE ALL ON SCHEMA public FROM {role}",
                  f"DROP ROLE {role}")


def _refused(desk_url: str, statement: str) -> str:
    """The words PostgreSQL refuses `statement` with, run as the desk (SQLSTATE 42501 either way:
    the trigger raises insufficient_privilege too, in its own words)."""
    with raw_connection(desk_url) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege) as refusal:
        connection.execute(statement)
    assert refusal.value.sqlstate == "42501"
    return str(refusal.value)


REWRITES = ("UPDATE audit_events SET user_name = 'Beto'", "DELETE FROM audit_events", "TRUNCATE audit_events")
DENIED = "permission denied for table audit_events"  # the privilege system's own words, not the trigger's


def _work_at_the_desk(desk_url: str) -> int:
    """What a desk does: save a client and change it (audit rows added and sealed), then write other
    tables directly."""
    desk = Office.open(locations.resolve(desk_url), "Ruth")
    try:
        client = desk.clients.create(ClientDraft(given_name="Rosa", family_name="Reyes"))
        seen = desk.clients.get(client.id)
        desk.clients.update(client.id, replace(seen.draft(), city="Pasadena"), seen.version)
    finally:
        desk.close()
    with raw_connection(desk_url) as connection:
        connection.execute("UPDATE clients SET city = 'Glendale' WHERE id = %s", (client.id,))
        connection.execute("DELETE FROM search_entries WHERE client_id = %s", (client.id,))
    return client.id


def test_a_desk_role_given_its_privileges_by_the_app_may_only_add_audit_rows(shared_office, desk_role):
    role, desk_url = desk_role
    shared_office.grant_desk_role(role)
    for statement in REWRITES:
        assert DENIED in _refused(desk_url, statement), statement
    # The chain columns it may update (to seal its own rows): a sealed row's, the trigger refuses.
    assert "may only be added" in _refused(desk_url, "UPDATE audit_events SET row_hash = NULL")

    client_id = _work_at_the_desk(desk_url)
    with raw_connection(URL) as connection:
        assert connection.execute("SELECT city FROM clients WHERE id = %s", (client_id,)).fetchone() == ("Glendale",)
        granted = connection.execute("SELECT summary FROM audit_events WHERE action = 'grant'").fetchall()
    assert granted == [(f"gave the PostgreSQL role {role} a desk's privileges (audit rows: add only)",)]
    assert audit.verify_trail(shared_office.database, None).ok
    assert shared_office.check() == []


def test_a_desk_role_granted_by_hand_after_set_up_is_named_by_check_until_given_its_privileges(
        shared_office, desk_role, capsys):
    """Migration 0012 took UPDATE and DELETE on the audit table from the roles that had them then;
    an administrator's GRANT … ON ALL TABLES to a desk made later hands them out again."""
    role, desk_url = desk_role
    _as_owner(*(grant.format(role=role) for grant in BY_HAND))
    assert shared_office.check() == [
        f"audit: the PostgreSQL role {role} holds UPDATE, DELETE on audit_events, so only the trigger keeps it "
        f"from changing or deleting audit rows; as {make_url(URL).username} run `kantor-cases --db URL db grant-desk {role}` "
        "(or take back the role it holds them through)"]
    for statement in REWRITES[:2]:  # the trigger still refuses: the privileges did not
        assert "may only be added" in _refused(desk_url, statement)

    assert main(["--db", URL, "--user", "Ana", "db", "grant-desk", role]) == 0  # what check says to run
    assert capsys.readouterr().out == f"The role {role} may now use the office; audit rows it may only add.\n"
    assert shared_office.check() == []
    for statement in REWRITES:
        assert DENIED in _refused(desk_url, statement)
    _work_at_the_desk(desk_url)


def test_update_and_delete_granted_to_every_role_are_named_once(shared_office):
    _as_owner("GRANT UPDATE, DELETE ON audit_events TO PUBLIC")
    [problem] = shared_office.check()
    assert problem.startswith("audit: every PostgreSQL role (PUBLIC) holds UPDATE, DELETE on audit_events")
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC" in problem


def test_only_an_administrator_gives_a_desk_its_privileges(shared_office):
    shared_office.settings.save_user("Sam", "S", "staff")
    sam = Office(shared_office.database, shared_office.locations, "Sam", shared_office.clock)
    with pytest.raises(PermissionDenied):
        sam.grant_desk_role("kantor")
    with pytest.raises(ValidationError, match="owns the office's tables"):
        shared_office.grant_desk_role("kantor")
    with pytest.raises(ValidationError, match="^There is no PostgreSQL role"):  # one sentence, no "role:" label
        shared_office.grant_desk_role(f"nobody_{secrets.token_hex(4)}")
