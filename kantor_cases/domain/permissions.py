"""Who may do what: the office's one table of permissions, by role.

The services check it (`Service.require`), the window reads it to disable what the signed-in role
cannot do, and Settings → Users shows it. Reading is open to every role; the table lists the
actions that change something (or hand the data out of the office).

An acting user who is not in the users table: while the office has no users at all (a first start,
a one-person office) they act as its administrator; once it has users, an unknown or deactivated
name is read-only, so a typo in `--user` cannot change anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import PermissionDenied

ADMIN, ATTORNEY, STAFF, READ_ONLY = "admin", "attorney", "staff", "read-only"
ROLES = (ADMIN, ATTORNEY, STAFF, READ_ONLY)

# How a sentence names the people of a role ("Staff cannot …"), and whom a denial sends them to.
ROLE_PEOPLE = {ADMIN: "Administrators", ATTORNEY: "Attorneys", STAFF: "Staff", READ_ONLY: "Read-only users"}
ROLE_LABELS = {ADMIN: "Administrator", ATTORNEY: "Attorney", STAFF: "Staff", READ_ONLY: "Read-only"}
_ASK = {ADMIN: "an administrator", ATTORNEY: "an attorney", STAFF: "a staff member or an attorney"}

_EVERYONE_WHO_WORKS = frozenset({ADMIN, ATTORNEY, STAFF})
_LAWYERS = frozenset({ADMIN, ATTORNEY})
_ADMIN_ONLY = frozenset({ADMIN})


@dataclass(frozen=True)
class Action:
    name: str
    does: str  # completes "Staff cannot …"
    roles: frozenset[str]


ACTIONS: tuple[Action, ...] = (
    Action("clients.edit", "add or edit a client", _EVERYONE_WHO_WORKS),
    Action("clients.delete", "delete a client", _LAWYERS),
    Action("clients.restrict", "restrict a client or change who may see them", _LAWYERS),
    Action("clients.import", "import clients from a file", _EVERYONE_WHO_WORKS),
    Action("clients.export", "export the client list", _EVERYONE_WHO_WORKS),
    Action("matters.edit", "open or edit a matter", _EVERYONE_WHO_WORKS),
    Action("matter.close", "close or reopen a matter", _LAWYERS),
    Action("decision.record", "record a decision", _LAWYERS),
    Action("hearings.edit", "add, edit or remove a hearing", _EVERYONE_WHO_WORKS),
    Action("hearing.special_setting", "confirm a hearing as a special setting", _LAWYERS),
    Action("deadlines.edit", "add, assign or complete a deadline", _EVERYONE_WHO_WORKS),
    Action("deadline.override", "override a deadline or move its trigger date", _LAWYERS),
    Action("deadline_rules.edit", "change a deadline rule", _LAWYERS),
    Action("follow_ups.edit", "add or change a follow-up", _EVERYONE_WHO_WORKS),
    Action("follow_ups.rules", "switch an automatic follow-up rule off or reassign it", _LAWYERS),
    Action("letters.print", "print a letter", _EVERYONE_WHO_WORKS),
    Action("templates.edit", "edit a letter template", _LAWYERS),
    Action("settings.lists", "edit the courts or organisations", _LAWYERS),
    Action("settings.firm", "change the firm's letterhead", _ADMIN_ONLY),
    Action("users.manage", "add or change users", _ADMIN_ONLY),
    Action("backup.restore", "restore a backup", _ADMIN_ONLY),
    Action("audit.view_all", "see the whole office's audit trail", _ADMIN_ONLY),
)
_BY_NAME = {action.name: action for action in ACTIONS}


def action(name: str) -> Action:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"No permission is called {name!r}.") from None  # a programming error


def allowed(role: str, name: str) -> bool:
    return role in action(name).roles


def denial(role: str, name: str) -> str:
    """The one sentence a refusal shows: who cannot do what, and whom to ask."""
    wanted = action(name)
    ask = next(_ASK[r] for r in (STAFF, ATTORNEY, ADMIN) if r in wanted.roles)
    return f"{ROLE_PEOPLE.get(role, ROLE_PEOPLE[READ_ONLY])} cannot {wanted.does}; ask {ask}."


def check(role: str, name: str) -> None:
    if not allowed(role, name):
        raise PermissionDenied(denial(role, name))


def restricted_not_shown(count: int) -> str:
    """What a count or a search says when it left out restricted clients the user is not named on
    (services/restricted.py): "1 restricted record not shown"."""
    return f"{count} restricted record{'' if count == 1 else 's'} not shown"


def effective_role(stored_role: str | None, office_has_users: bool) -> str:
    """The role an acting user acts with (see the module docstring): `stored_role` is theirs in the
    users table (None when they are not an active user there)."""
    if stored_role is None:
        return READ_ONLY if office_has_users else ADMIN
    return stored_role if stored_role in ROLES else READ_ONLY


def table() -> list[tuple[str, dict[str, bool]]]:
    """The permission table as Settings and the README show it: each action, and per role whether
    it may (reading is everyone's and is not listed)."""
    return [(a.does[0].upper() + a.does[1:], {role: role in a.roles for role in ROLES}) for a in ACTIONS]
