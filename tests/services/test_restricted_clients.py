"""Restricted clients (issue 13 item 2): a restricted client exists only for the administrator and
the people named on them; a conflict check still warns without naming them; every view is audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from agenda_data import add_hearing, add_matter, add_user
from sqlalchemy import select

from kantor_cases.db.models import AuditEvent
from kantor_cases.domain.errors import NotFoundError, PermissionDenied, ValidationError
from kantor_cases.domain.records import ClientDraft, ClientQuery, ConflictCandidate
from kantor_cases.services.office import Office

A_NUMBER = "A123456789"


@pytest.fixture
def practice(office: Office) -> dict[str, Any]:
    admin = office.user  # Ana, the office's administrator (agenda_data.add_user)
    ids: dict[str, Any] = {"admin": admin}
    ids["attorney_id"] = add_user(office, "Rosa Kantor", "attorney")
    add_user(office, "Otto Lawyer", "attorney")
    add_user(office, "Sam Staff", "staff")
    add_user(office, "Paz Staff", "staff")
    ids["secret"] = office.clients.create(ClientDraft(given_name="Zoila", family_name="Quintanilla",
                                                      second_family_name="Barrios", a_number=A_NUMBER)).id
    ids["open"] = office.clients.create(ClientDraft(given_name="Zoila", family_name="Quintanar")).id
    ids["matter"] = add_matter(office, ids["secret"], attorney_id=ids["attorney_id"])
    add_hearing(office, ids["matter"], datetime(2026, 9, 1, 9, 0))
    office.clients.restrict(ids["secret"], ["Paz Staff"])
    return ids


def as_user(office: Office, name: str) -> Office:
    office.user = name
    return office


def test_staff_searching_the_exact_a_number_finds_nothing(practice, office):
    as_user(office, "Sam Staff")
    assert office.search.search(A_NUMBER) == []
    assert office.search.search("A-123-456-789") == []
    names = [hit.name for hit in office.search.search("Zoila")]
    assert names and not any("Quintanilla" in name for name in names)
    assert [hit.name for hit in office.search.search("Qu")] == ["Zoila Quintanar"]


def test_staff_searching_says_how_many_restricted_records_it_left_out(practice, office):
    as_user(office, "Sam Staff")
    hits, not_shown = office.search.search_counted(A_NUMBER)
    assert (hits, not_shown) == ([], 1)
    as_user(office, practice["admin"])
    hits, not_shown = office.search.search_counted(A_NUMBER)
    assert [hit.id for hit in hits] == [practice["secret"]] and not_shown == 0


@pytest.mark.parametrize("who", ["admin", "Rosa Kantor", "Paz Staff"])
def test_the_admin_the_responsible_attorney_and_the_named_user_see_the_client(practice, office, who):
    as_user(office, practice["admin"] if who == "admin" else who)
    assert [hit.id for hit in office.search.search(A_NUMBER)] == [practice["secret"]]
    assert office.clients.count() == 2
    assert practice["secret"] in [row.id for row in office.clients.page(ClientQuery(), 0, 10)]
    assert office.clients.get(practice["secret"]).a_number == A_NUMBER


@pytest.mark.parametrize("who", ["Sam Staff", "Otto Lawyer"])
def test_everyone_else_does_not_see_the_client_anywhere(practice, office, who):
    as_user(office, who)
    assert office.clients.count() == 1
    assert office.clients.count_not_shown() == 1
    assert [row.id for row in office.clients.page(ClientQuery(), 0, 10)] == [practice["open"]]
    with pytest.raises(NotFoundError):
        office.clients.get(practice["secret"])
    with pytest.raises(NotFoundError):
        office.clients.view(practice["secret"])


def test_the_conflict_check_says_restricted_and_whom_to_ask_without_naming_the_client(practice, office):
    as_user(office, "Sam Staff")
    report = office.conflicts.check(ConflictCandidate("Zoila Quintanilla Barrios", a_number=A_NUMBER))
    restricted = [hit for hit in report.hits if hit.kind == "restricted"]
    assert [hit.name for hit in restricted] == ["restricted client — ask Rosa Kantor"]
    shown = repr(report.hits)
    assert "Quintanilla" not in shown and str(practice["secret"]) not in [str(h.client_id) for h in report.hits]
    as_user(office, "Rosa Kantor")
    report = office.conflicts.check(ConflictCandidate("Zoila Quintanilla Barrios", a_number=A_NUMBER))
    assert any(hit.kind == "client" and hit.id == practice["secret"] for hit in report.hits)


def views(office: Office, client_id: int) -> list[str]:
    with office.database.read() as session:
        return list(session.scalars(select(AuditEvent.user_name).where(
            AuditEvent.action == "view", AuditEvent.client_id == client_id).order_by(AuditEvent.id)))


def test_every_view_of_a_restricted_client_is_audited(practice, office):
    as_user(office, "Paz Staff")
    office.clients.view(practice["secret"])
    as_user(office, "Rosa Kantor")
    office.clients.view(practice["secret"])
    office.matters.view(practice["matter"])
    office.clients.view(practice["open"])  # not restricted: not a view worth recording
    assert views(office, practice["secret"]) == ["Paz Staff", "Rosa Kantor", "Rosa Kantor"]
    assert views(office, practice["open"]) == []


def test_staff_cannot_restrict_and_an_unknown_user_is_refused(practice, office):
    as_user(office, "Paz Staff")
    with pytest.raises(PermissionDenied):
        office.clients.unrestrict(practice["secret"])
    as_user(office, "Rosa Kantor")
    with pytest.raises(ValidationError):
        office.clients.restrict(practice["secret"], ["Nobody Here"])


def test_unrestricting_shows_the_client_to_everyone_again(practice, office):
    as_user(office, "Rosa Kantor")
    office.clients.unrestrict(practice["secret"])
    as_user(office, "Sam Staff")
    assert [hit.id for hit in office.search.search(A_NUMBER)] == [practice["secret"]]
    assert office.clients.count_not_shown() == 0
