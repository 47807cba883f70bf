"""The permission table itself: its shape, the role an acting user gets from what the users table
holds (outside input: any text may be stored there), and its sentences."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as strategies

from kantor_cases.domain import permissions
from kantor_cases.domain.statuses import USER_ROLES


def test_the_roles_a_user_may_have_are_the_tables_roles():
    assert set(USER_ROLES) == set(permissions.ROLES)


def test_admin_may_do_everything_and_read_only_nothing():
    for action in permissions.ACTIONS:
        assert permissions.allowed("admin", action.name)
        assert not permissions.allowed("read-only", action.name)


def test_staff_cannot_do_what_the_attorney_decides_or_the_administrator_runs():
    refused = {"matter.close", "decision.record", "deadline.override", "deadline_rules.edit", "templates.edit",
               "settings.firm", "settings.lists", "users.manage", "backup.restore", "clients.delete",
               "hearing.special_setting", "audit.view_all", "clients.restrict", "follow_ups.rules"}
    assert {a.name for a in permissions.ACTIONS if not permissions.allowed("staff", a.name)} == refused
    assert {a.name for a in permissions.ACTIONS if not permissions.allowed("attorney", a.name)} == \
        {"settings.firm", "users.manage", "backup.restore", "audit.view_all"}


def test_the_table_settings_shows_has_a_row_per_action_and_a_column_per_role():
    rows = permissions.table()
    assert len(rows) == len(permissions.ACTIONS)
    assert all(list(may) == list(permissions.ROLES) for _what, may in rows)
    assert ("Override a deadline or move its trigger date",
            {"admin": True, "attorney": True, "staff": False, "read-only": False}) in rows


@given(stored=strategies.one_of(strategies.none(), strategies.text(max_size=30), strategies.sampled_from(USER_ROLES)),
       has_users=strategies.booleans())
def test_an_acting_user_never_gets_more_than_the_users_table_gives(stored, has_users):
    role = permissions.effective_role(stored, has_users or stored is not None)
    assert role in permissions.ROLES
    if stored is None:
        assert role == ("read-only" if has_users else "admin")
    else:
        # A stored role the table does not know (a typo, a newer version's role) grants nothing.
        assert role == (stored if stored in permissions.ROLES else "read-only")


@given(role=strategies.text(max_size=20), action=strategies.sampled_from([a.name for a in permissions.ACTIONS]))
def test_every_refusal_is_one_sentence_saying_whom_to_ask(role, action):
    sentence = permissions.denial(role, action)
    assert sentence.endswith(".") and sentence.count(". ") == 0 and "; ask " in sentence
