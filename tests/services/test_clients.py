"""Client service: validation, audit rows, optimistic locking, related persons, paged lists."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from kantor_cases.db.models import AuditEvent
from kantor_cases.domain.calendars import get_calendar
from kantor_cases.domain.errors import ConflictError, ValidationError
from kantor_cases.domain.records import (
    ClientDraft,
    ClientQuery,
    HearingDraft,
    MatterDraft,
    RelatedPersonDraft,
)
from kantor_cases.services import locations
from kantor_cases.services.clients import with_changes
from kantor_cases.services.office import Office


def audit_rows(office, entity="client"):
    with office.database.read() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)))


def test_create_normalises_what_was_typed_and_writes_an_audit_row(office):
    client = office.clients.create(ClientDraft(
        given_name="  María ", family_name="García", second_family_name="López", a_number="a 12-345-678",
        phone="(213) 555-0134", email="Maria@Example.com", state="ca", date_of_birth=date(1980, 5, 1)))
    assert client.full_name == "María García López"
    assert client.a_number == "A012345678" and client.a_number_display == "A012-345-678"
    assert client.phone == "+12135550134"
    assert client.email == "Maria@example.com"
    assert client.state == "CA"
    rows = audit_rows(office)
    assert [(r.action, r.user_name, r.client_id) for r in rows] == [("create", "Ana", client.id)]


def test_invalid_input_names_every_wrong_field_and_saves_nothing(office):
    with pytest.raises(ValidationError) as raised:
        office.clients.create(ClientDraft(given_name="", family_name="", a_number="A12", phone="12",
                                          email="not-an-email", date_of_birth=date.today() + timedelta(days=1),
                                          preferred_language="fr"))
    assert set(raised.value.fields) == {"given_name", "a_number", "phone", "email", "date_of_birth",
                                        "preferred_language"}
    assert office.clients.count() == 0
    assert audit_rows(office) == []


def test_a_second_client_with_the_same_a_number_is_refused(office):
    first = office.clients.create(ClientDraft(given_name="Ana", family_name="Ruiz", a_number="A012345678"))
    with pytest.raises(ValidationError, match=f"already belongs to client {first.id};") as refused:
        office.clients.create(ClientDraft(given_name="Otra", family_name="Persona", a_number="012-345-678"))
    assert "Ruiz" not in str(refused.value)  # error text names records by number, never by name


def test_update_records_before_and_after_in_the_history(office):
    client = office.clients.create(ClientDraft(given_name="Armen", family_name="Petrosyan", street="1 Main St"))
    office.user = "Ruth"
    updated = office.clients.update(client.id, with_changes(client, street="22 Brand Blvd"), client.version)
    assert updated.version == client.version + 1 and updated.updated_by == "Ruth"
    history = office.clients.history(client.id)
    assert "Ruth changed the street from “1 Main St” to “22 Brand Blvd”" in history[0].sentence()
    changes = json.loads(audit_rows(office)[-1].changes)
    assert changes == {"street": ["1 Main St", "22 Brand Blvd"]}


def test_saving_over_someone_elses_change_is_a_conflict_naming_them(db_path):
    first = Office.open(locations.resolve(str(db_path)), "Ana")
    second = Office.open(locations.resolve(str(db_path)), "Ruth")
    try:
        client = first.clients.create(ClientDraft(given_name="Hương", family_name="Nguyễn"))
        seen_by_ana = first.clients.get(client.id)
        seen_by_ruth = second.clients.get(client.id)
        second.clients.update(client.id, with_changes(seen_by_ruth, phone="213 555 0100"), seen_by_ruth.version)
        with pytest.raises(ConflictError) as raised:
            first.clients.update(client.id, with_changes(seen_by_ana, phone="213 555 0199"), seen_by_ana.version)
        assert raised.value.changed_by == "Ruth"
        assert "Ruth" in str(raised.value)
        assert first.clients.get(client.id).phone == "+12135550100"
    finally:
        first.close()
        second.close()


def test_delete_is_audited_and_removes_the_client_from_search(office):
    client = office.clients.create(ClientDraft(given_name="Zoë", family_name="O'Connor"))
    assert office.search.search("O'Connor")
    office.clients.delete(client.id, client.version)
    assert office.search.search("O'Connor") == []
    assert audit_rows(office)[-1].action == "delete"


def test_related_persons_are_kept_with_status_and_audited(office):
    client = office.clients.create(ClientDraft(given_name="José", family_name="Ramírez"))
    spouse = office.clients.add_related_person(client.id, RelatedPersonDraft(
        given_name="Laura", family_name="Ramírez", relationship="spouse", immigration_status="usc"))
    assert [p.name for p in office.clients.related_persons(client.id)] == ["Laura Ramírez"]
    with pytest.raises(ValidationError):
        office.clients.add_related_person(client.id, RelatedPersonDraft(given_name="X", immigration_status="mars"))
    office.clients.delete_related_person(spouse.id, spouse.version)
    assert office.clients.related_persons(client.id) == []
    assert [e.action for e in reversed(office.clients.history(client.id))] == ["create", "create", "delete"]


def test_the_list_pages_sorts_and_filters_in_sql(office):
    for i, (given, family, lang, detained) in enumerate([
            ("Ana", "Zamora", "es", False), ("Boris", "Abramov", "en", True), ("Carla", "Mendez", "es", False),
            ("Dario", "Ibarra", "es", True), ("Eva", "Quintero", "en", False)]):
        office.clients.create(ClientDraft(given_name=given, family_name=family, preferred_language=lang,
                                          detained=detained, a_number=f"A00000000{i + 1}"))
    query = ClientQuery()
    assert office.clients.count(query) == 5
    first_two = office.clients.page(query, 0, 2)
    assert [r.name for r in first_two] == ["Abramov, Boris", "Ibarra, Dario"]
    # The tail is read from the end; order must still be ascending.
    assert [r.name for r in office.clients.page(query, 3, 2)] == ["Quintero, Eva", "Zamora, Ana"]
    assert [r.name for r in office.clients.page(ClientQuery(descending=True), 0, 1)] == ["Zamora, Ana"]
    assert office.clients.count(ClientQuery(detained=True)) == 2
    assert [r.name for r in office.clients.page(ClientQuery(language="en"), 0, 10)] == ["Abramov, Boris",
                                                                                       "Quintero, Eva"]
    assert [r.name for r in office.clients.page(ClientQuery(text="mendez"), 0, 10)] == ["Mendez, Carla"]


def test_hearing_within_30_days_filter(office):
    soon = office.clients.create(ClientDraft(given_name="Soon", family_name="Hearing"))
    later = office.clients.create(ClientDraft(given_name="Later", family_name="Hearing"))
    for client, days in ((soon, 10), (later, 60)):
        matter = office.matters.create(client.id, MatterDraft(kind="removal"))
        day = get_calendar("federal").next_business_day(office.clock.today() + timedelta(days=days))  # courts sit
        office.hearings.add_hearing(matter.id, HearingDraft(starts_at=datetime.combine(day, time(9))))
    rows = office.clients.page(ClientQuery(hearing_within_days=30), 0, 10)
    assert [r.id for r in rows] == [soon.id]
    assert rows[0].next_hearing is not None


def test_the_detained_and_sensitive_lists_read_only_the_flagged_clients_index(office):
    """Those indexes hold the flagged few alone, so that no other client's save or import writes into
    them; the list must still page and count through them, not through all 300,000 clients."""
    from sqlalchemy import event

    office.clients.create(ClientDraft(given_name="Ana", family_name="Zamora", detained=True,
                                      detention_facility="Adelanto ICE Processing Center"))
    office.clients.create(ClientDraft(given_name="Boris", family_name="Abramov", sensitive=True))
    office.clients.create(ClientDraft(given_name="Carla", family_name="Ruiz"))
    plans: list[str] = []

    def explain(_connection, cursor, statement, parameters, _context, _executemany):
        if statement.lstrip().startswith("SELECT") and "FROM clients" in statement:
            plans.extend(row[-1] for row in cursor.connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters))

    event.listen(office.database.engine, "before_cursor_execute", explain)
    try:
        for flag, index, name in (("detained", "ix_clients_detained_sort", "Zamora, Ana"),
                                  ("sensitive", "ix_clients_sensitive_sort", "Abramov, Boris")):
            plans.clear()
            query = ClientQuery(**{flag: True})
            assert office.clients.count(query) == 1
            assert [r.name for r in office.clients.page(query, 0, 10)] == [name]
            scans = [plan for plan in plans if plan.startswith(("SCAN clients", "SEARCH clients"))]
            assert scans and all(index in plan for plan in scans), scans
    finally:
        event.remove(office.database.engine, "before_cursor_execute", explain)
