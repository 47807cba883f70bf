"""Restricted clients (issue 13 item 2): a restricted client exists only for the administrator and
the people named on them; a conflict check still warns without naming them; every view is audited."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from agenda_data import add_hearing, add_matter, add_user, log_reminder_letter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kantor_cases.db.models import AuditEvent
from kantor_cases.domain.errors import NotFoundError, PermissionDenied, ValidationError
from kantor_cases.domain.records import ClientDraft, ClientQuery, ConflictCandidate, PdRequestDraft
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


@pytest.fixture
def busy_practice(practice, office) -> dict[str, Any]:
    """The restricted client with something in every list: a hearing in three days, a deadline, a
    follow-up, a PD request and a letter."""
    today = office.clock.today()
    soon = datetime.combine(today + timedelta(days=3), time(9, 0))
    practice["hearing"] = add_hearing(office, practice["matter"], soon)
    office.deadlines.add_manual(practice["matter"], "File the brief", today + timedelta(days=5), assignee="Sam Staff")
    office.follow_ups.create(today + timedelta(days=2), "Call Zoila", client_id=practice["secret"],
                             matter_id=practice["matter"], assignee="Sam Staff")
    office.pd_requests.create_pd_request(practice["matter"], PdRequestDraft("doyle-2022", "dismissal"))
    log_reminder_letter(office, practice["hearing"])
    return practice


def everything_listed(office: Office) -> dict[str, int]:
    today = office.clock.today()
    return {
        "agenda": len(office.agenda.agenda(days=14)),
        "calendar": len(office.agenda.calendar_items(today, today + timedelta(days=14))),
        "busy days": len(office.agenda.busy_days(today, today + timedelta(days=14))),
        "hearings": len(office.hearings.upcoming_hearings(14)),
        "hearing count": office.hearings.count_upcoming_hearings(14),
        "pd requests": len(office.pd_requests.pd_requests()),
        "pd count": office.pd_requests.count_pd_requests(),
        "follow-ups": office.follow_ups.count_open_for("Sam Staff"),
        "letters": office.letters.count(),
        "letter page": len(office.letters.page(None, 0, 10)),
        "matters": office.matters.count(),
        "matter page": len(office.matters.page(0, 10)),
        "reminder batch": sum(office.letters.batch_candidates("hearing-reminder", hearings_within_days=14)),
    }


def test_the_restricted_client_is_in_no_list_of_a_user_not_named_on_them(busy_practice, office, tmp_path):
    shown_to_the_admin = everything_listed(office)
    assert all(shown_to_the_admin.values()), shown_to_the_admin
    as_user(office, "Sam Staff")  # the deadline and the follow-up are even assigned to him
    assert everything_listed(office) == dict.fromkeys(shown_to_the_admin, 0)
    assert office.client_csv.export_file(tmp_path / "clients.csv") == 1
    assert "Quintanilla" not in (tmp_path / "clients.csv").read_text(encoding="utf-8-sig")
    assert office.agenda.export_ics(tmp_path / "office.ics", mask_sensitive=False) == 0
    with pytest.raises(NotFoundError):
        office.matters.get(busy_practice["matter"])
    with pytest.raises(NotFoundError):
        office.hearings.hearings_for_client(busy_practice["secret"])
    for reading in (office.clients.related_persons, office.clients.history):
        with pytest.raises(NotFoundError):
            reading(busy_practice["secret"])
    with pytest.raises(NotFoundError):
        office.letters.preview("hearing-reminder", client_id=busy_practice["secret"])
    as_user(office, "Paz Staff")
    assert everything_listed(office) == shown_to_the_admin


# --- the hidden set against its definition, for any office ---------------------------------------------

PEOPLE = ("Ana", "Rosa Kantor", "Otto Lawyer", "Sam Staff", "Paz Staff", "Nadie")  # Nadie is not a user
ROLES = {"Ana": "admin", "Rosa Kantor": "attorney", "Otto Lawyer": "attorney", "Sam Staff": "staff",
         "Paz Staff": "staff"}

a_client = st.fixed_dictionaries({
    "restricted": st.booleans(),
    "allowed": st.sets(st.sampled_from(PEOPLE[1:]), max_size=3),
    "attorneys": st.lists(st.sampled_from([None, "Rosa Kantor", "Otto Lawyer"]), max_size=3),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(clients=st.lists(a_client, min_size=1, max_size=6))
def test_who_sees_a_client_is_the_admin_and_the_people_named_on_them(tmp_path_factory, clients):
    from kantor_cases.db.models import Client, ClientAccess, Matter, User
    from kantor_cases.services import locations
    from kantor_cases.services.restricted import hidden_client_ids

    path = tmp_path_factory.mktemp("office") / "k.sqlite3"
    office = Office.open(locations.resolve(str(path)), "Ana")
    try:
        with office.database.write() as session:
            users = {}
            for name, role in ROLES.items():
                user = User(name=name, role=role, created_by="t", updated_by="t")
                session.add(user)
                session.flush()
                users[name] = user.id
            ids = []
            for number, client in enumerate(clients):
                row = Client(given_name=f"C{number}", sort_name=f"C{number}", name_folded=f"c{number}",
                             family_folded="", restricted=client["restricted"], created_by="t", updated_by="t")
                session.add(row)
                session.flush()
                ids.append(row.id)
                session.add_all(ClientAccess(client_id=row.id, user_name=name) for name in client["allowed"])
                session.add_all(Matter(client_id=row.id, kind="other", opened_on=date(2026, 1, 5),
                                       responsible_attorney_id=users[name] if name else None,
                                       created_by="t", updated_by="t") for name in client["attorneys"])
        for person in PEOPLE:
            expected = {client_id for client_id, client in zip(ids, clients, strict=True)
                        if client["restricted"] and ROLES.get(person) != "admin"
                        and person not in client["allowed"] and person not in client["attorneys"]}
            with office.database.read() as session:
                assert hidden_client_ids(session, person) == expected, person
    finally:
        office.close()
