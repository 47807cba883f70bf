"""Roles in the services: each role tries each action its row of the permission table forbids, and
is refused with the table's sentence and nothing written; a role changed in Settings applies to the
next action; a name not in the users table acts as the administrator of an office with no users,
and as read-only once it has them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from agenda_data import add_client, add_hearing, add_matter, add_user
from sqlalchemy import func, select

from kantor_cases.db.models import AuditEvent, Client, Matter
from kantor_cases.domain import permissions
from kantor_cases.domain.errors import PermissionDenied
from kantor_cases.domain.records import ClientDraft, HearingDraft
from kantor_cases.services.history import HistoryFilter
from kantor_cases.services.office import Office

PEOPLE = {"admin": "Ada Admin", "attorney": "Rosa Kantor", "staff": "Sam Staff", "read-only": "Rita Reader"}
A_SATURDAY = datetime(2026, 6, 6, 9, 0)


@pytest.fixture
def practice(office: Office) -> dict[str, Any]:
    for role, name in PEOPLE.items():
        add_user(office, name, role)
    client = add_client(office)
    matter = add_matter(office, client)
    add_hearing(office, matter, datetime(2026, 9, 1, 9, 0))
    office.user = PEOPLE["attorney"]
    deadline = office.deadlines.add_manual(matter, "File the brief", date(2026, 9, 15)).id
    return {"client": client, "matter": matter, "deadline": deadline}


def version_of(office: Office, model: Any, key: int) -> int:
    with office.database.read() as session:
        return session.get(model, key).version


# Each action, done the way a screen or a command does it: (what is checked first, the call).
Attempt = Callable[[Office, dict[str, Any], Path], Any]
ATTEMPTS: dict[str, tuple[tuple[str, ...], Attempt]] = {
    "clients.edit": ((), lambda o, ids, tmp: o.clients.create(ClientDraft(given_name="Nueva", family_name="Cliente"))),
    "clients.delete": ((), lambda o, ids, tmp: o.clients.delete(ids["client"], version_of(o, Client, ids["client"]))),
    "clients.restrict": ((), lambda o, ids, tmp: o.clients.restrict(ids["client"], [])),
    "clients.import": ((), lambda o, ids, tmp: o.client_csv.import_file(tmp / "clients.csv")),
    "clients.export": ((), lambda o, ids, tmp: o.client_csv.export_file(tmp / "out.csv")),
    "matters.edit": ((), lambda o, ids, tmp: o.matters.update(ids["matter"], version_of(o, Matter, ids["matter"]),
                                                              title="Renamed")),
    "matter.close": ((), lambda o, ids, tmp: o.matters.change_firm_status(
        ids["matter"], "closed", "", version_of(o, Matter, ids["matter"]))),
    "decision.record": ((), lambda o, ids, tmp: o.matters.change_government_status(
        ids["matter"], "removal_ordered", "", version_of(o, Matter, ids["matter"]))),
    "hearings.edit": ((), lambda o, ids, tmp: o.hearings.add_hearing(ids["matter"], HearingDraft(
        datetime(2026, 10, 1, 9, 0)))),
    "hearing.special_setting": (("hearings.edit",), lambda o, ids, tmp: o.hearings.add_hearing(
        ids["matter"], HearingDraft(A_SATURDAY, special_setting=True))),
    "deadlines.edit": ((), lambda o, ids, tmp: o.deadlines.add_manual(ids["matter"], "Call EOIR", date(2026, 9, 2))),
    "deadline.override": ((), lambda o, ids, tmp: o.deadlines.override(ids["deadline"], date(2026, 9, 20),
                                                                       "the judge extended it")),
    "deadline_rules.edit": ((), lambda o, ids, tmp: o.deadlines.turn_on_version("bia-appeal-10-day", "stayed")),
    "follow_ups.edit": ((), lambda o, ids, tmp: o.follow_ups.create(date(2026, 9, 3), "Call the client",
                                                                    client_id=ids["client"])),
    "follow_ups.rules": ((), lambda o, ids, tmp: o.follow_ups.set_automatic_rule("inactive", False)),
    "letters.print": ((), lambda o, ids, tmp: o.letters.generate("hearing-reminder", client_id=ids["client"])),
    "templates.edit": ((), lambda o, ids, tmp: o.letters.save_template("hearing-reminder", "en", "{{ x }}")),
    "settings.lists": ((), lambda o, ids, tmp: o.settings.update_court(o.settings.courts()[0], 1)),
    "settings.firm": ((), lambda o, ids, tmp: o.settings.update_firm(o.settings.firm(), o.settings.firm().version)),
    "users.manage": ((), lambda o, ids, tmp: o.settings.save_user("Eve Nueva", role="staff")),
    "backup.restore": ((), lambda o, ids, tmp: o.backups.restore(tmp / "a-backup.sqlite3")),
    "audit.view_all": ((), lambda o, ids, tmp: o.history.count(HistoryFilter())),
}

FORBIDDEN = [(role, action.name) for action in permissions.ACTIONS for role in permissions.ROLES
             if role not in action.roles]


def test_every_action_of_the_table_is_tried():
    assert set(ATTEMPTS) == {action.name for action in permissions.ACTIONS}


def audit_rows(office: Office) -> int:
    with office.database.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize("role, action", FORBIDDEN)
def test_each_role_is_refused_what_the_table_forbids(practice, office, tmp_path, role, action):
    first_checked, attempt = ATTEMPTS[action]
    refused_for = next(a for a in (*first_checked, action) if not permissions.allowed(role, a))
    office.user = PEOPLE[role]
    before = audit_rows(office)
    with pytest.raises(PermissionDenied) as refusal:
        attempt(office, practice, tmp_path)
    assert str(refusal.value) == permissions.denial(role, refused_for)
    assert audit_rows(office) == before


def test_the_sentences_name_the_role_and_whom_to_ask():
    assert permissions.denial("staff", "deadline.override") == \
        "Staff cannot override a deadline or move its trigger date; ask an attorney."
    assert permissions.denial("attorney", "backup.restore") == "Attorneys cannot restore a backup; ask an administrator."
    assert permissions.denial("read-only", "follow_ups.edit") == \
        "Read-only users cannot add or change a follow-up; ask a staff member or an attorney."


def test_a_role_changed_in_settings_applies_to_the_next_action(practice, office):
    override = ATTEMPTS["deadline.override"][1]
    deadlines = office.deadlines  # the same service object throughout: nothing is cached in it
    office.user = PEOPLE["staff"]
    with pytest.raises(PermissionDenied):
        override(office, practice, Path())
    office.user = PEOPLE["admin"]
    sam = office.settings.user_by_name(PEOPLE["staff"])
    assert sam is not None
    office.settings.save_user(sam.name, sam.initials, "attorney", user_id=sam.id, expected_version=sam.version)
    office.user = PEOPLE["staff"]
    assert deadlines.override(practice["deadline"], date(2026, 9, 21), "moved by the court").due == date(2026, 9, 21)


def test_an_office_with_no_users_lets_its_one_person_do_everything(office):
    office.user = "Whoever"
    assert office.role() == "admin"
    office.settings.update_firm(office.settings.firm(), office.settings.firm().version)


def test_once_there_are_users_a_name_not_among_them_is_read_only(practice, office):
    office.user = "Mallory"
    assert office.role() == "read-only"
    with pytest.raises(PermissionDenied, match="Read-only users cannot add or edit a client"):
        ATTEMPTS["clients.edit"][1](office, practice, Path())
    assert office.clients.get(practice["client"]).id == practice["client"]  # reading is everyone's


def test_a_deactivated_user_is_read_only(practice, office):
    office.user = PEOPLE["admin"]
    sam = office.settings.user_by_name(PEOPLE["staff"])
    assert sam is not None
    office.settings.save_user(sam.name, sam.initials, "staff", active=False, user_id=sam.id,
                              expected_version=sam.version)
    office.user = PEOPLE["staff"]
    assert office.role() == "read-only"
