"""A shared office database on PostgreSQL: opened, migrated, used through the same services."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from agenda_data import add_matter
from postgres_support import URL, empty_test_schema, needs_postgres
from sqlalchemy import create_engine, text

from kantor_cases.db import migrate
from kantor_cases.domain.errors import ConflictError, DatabaseError
from kantor_cases.domain.records import ClientDraft, ConflictCandidate
from kantor_cases.services import locations
from kantor_cases.services.clients import with_changes
from kantor_cases.services.office import Office

pytestmark = needs_postgres


@pytest.fixture
def empty_postgres():
    empty_test_schema(URL)
    yield URL


def test_a_new_postgres_database_is_migrated_and_serves_two_desks(empty_postgres):
    desk_a = Office.open(locations.resolve(empty_postgres), "Ana")
    desk_b = Office.open(locations.resolve(empty_postgres), "Ruth")
    try:
        assert desk_a.status()["revision"] == migrate.head_revision()
        assert len(desk_a.settings.courts()) >= 12
        client = desk_a.clients.create(ClientDraft(given_name="José", family_name="Núñez", a_number="A012345678"))
        assert desk_b.search.search("A 012-345-678")[0].id == client.id
        assert desk_b.search.search("Núñez")[0].id == client.id
        assert desk_b.conflicts.check(ConflictCandidate("Jose Nunez")).hits
        seen = desk_a.clients.get(client.id)
        desk_b.clients.update(client.id, with_changes(desk_b.clients.get(client.id), city="Glendale"), seen.version)
        with pytest.raises(ConflictError):
            desk_a.clients.update(client.id, with_changes(seen, city="Pasadena"), seen.version)
        assert desk_a.backups.supported is False
    finally:
        desk_a.close()
        desk_b.close()


def test_a_postgres_database_from_a_newer_version_is_refused(empty_postgres):
    Office.open(locations.resolve(empty_postgres), "Ana").close()
    engine = create_engine(URL)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="newer version"):
        Office.open(locations.resolve(empty_postgres), "Ana")


def test_a_csv_import_on_postgres_takes_ids_from_the_sequence(empty_postgres, tmp_path):
    desk = Office.open(locations.resolve(empty_postgres), "Ana")
    try:
        first = desk.clients.create(ClientDraft(given_name="Ana", family_name="Ruiz"))
        csv_file = tmp_path / "clients.csv"
        csv_file.write_text("first_name,last_name,a_number,date_of_birth\n"
                            "José,Núñez,A012345678,1980-04-02\nHương,Nguyễn,,3/1/1990\n", encoding="utf-8")
        report = desk.client_csv.import_file(csv_file)
        assert report.imported == 2 and report.backup == ""
        later = desk.clients.create(ClientDraft(given_name="Luis", family_name="Soto"))
        found = desk.search.search("nguyen")[0]
        assert desk.clients.get(found.id).date_of_birth.isoformat() == "1990-03-01"
        assert len({first.id, found.id, desk.search.search("A012345678")[0].id, later.id}) == 4
    finally:
        desk.close()


def test_two_desks_running_the_daily_check_at_once_do_not_clash(empty_postgres):
    desk_a = Office.open(locations.resolve(empty_postgres), "Ana")
    desk_b = Office.open(locations.resolve(empty_postgres), "Ruth")
    other_desk = create_engine(URL)
    try:
        first, second = add_matter(desk_a), add_matter(desk_a)
        # Desk A has raised the first matter's follow-up but not committed yet …
        connection = other_desk.connect()
        transaction = connection.begin()
        connection.execute(text(
            "INSERT INTO follow_ups (client_id, matter_id, assignee, due_on, note, status, escalated_to, done_by, "
            "done_note, auto_key, version, created_at, created_by, updated_at, updated_by) SELECT client_id, id, '', "
            ":today, 'verify', 'open', '', '', '', :key, 1, now(), 'system', now(), 'system' FROM matters "
            "WHERE id = :id"), {"today": date.today(), "key": f"eoir-verify:{first}:never", "id": first})
        outcome: list[object] = []
        desk_b_check = threading.Thread(target=lambda: outcome.append(_raised_or_error(desk_b)))
        desk_b_check.start()  # … when desk B runs the same check: it waits for desk A's row
        time.sleep(0.5)
        transaction.commit()
        connection.close()
        desk_b_check.join(timeout=30)
        assert len(outcome) == 1 and not isinstance(outcome[0], Exception), outcome
        assert outcome[0].eoir_unverified == 1  # the second matter's; the first was desk A's
        assert [len(desk_a.follow_ups.for_matter(matter)) for matter in (first, second)] == [1, 1]
    finally:
        other_desk.dispose()
        desk_a.close()
        desk_b.close()


def _raised_or_error(desk):
    try:
        return desk.follow_ups.raise_automatic()
    except Exception as error:  # the assertion in the test shows it
        return error


def test_a_demo_office_fills_a_shared_postgres_database(empty_postgres):
    from kantor_cases.cli import main as cli_main

    assert cli_main(["--db", empty_postgres, "demo", "--clients", "60", "--seed", "2"]) == 0
    office = Office.open(locations.resolve(empty_postgres), "Ana")
    try:
        assert office.clients.count() == 60
        first = office.clients.get(1)
        assert office.search.search(first.family_name)[0].kind in {"client", "related", "party", "matter"}
        assert office.matters.for_client(1)
    finally:
        office.close()


def test_search_on_postgres_is_served_by_the_trigram_index(empty_postgres):
    office = Office.open(locations.resolve(empty_postgres), "Ana")
    office.close()
    engine = create_engine(empty_postgres)
    try:
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table would be scanned anyway
            plan = "\n".join(row[0] for row in connection.execute(text(
                "EXPLAIN SELECT id FROM search_entries WHERE text ILIKE '%garc%' AND text ILIKE '%lop%' LIMIT 50")))
    finally:
        engine.dispose()
    assert "ix_search_entries_text_trgm" in plan, plan
