"""Errors every layer raises and every front end turns into one plain sentence for the user."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime


class KantorError(Exception):
    """Base of the errors a user can cause and should be told about in plain words."""


class ValidationError(KantorError):
    """Input that cannot be saved; `fields` maps a field name to what is wrong with it."""

    def __init__(self, fields: Mapping[str, str] | str, message: str | None = None) -> None:
        if isinstance(fields, str):
            fields = {"": fields}
        self.fields: dict[str, str] = dict(fields)
        super().__init__(message or "; ".join(
            f"{name.replace('_', ' ')}: {text}" if name else text for name, text in self.fields.items()
        ))


class NotFoundError(KantorError):
    """A record the user asked for does not exist (any more)."""


class ConflictError(KantorError):
    """Someone else saved the record after it was loaded; saving now would overwrite their change."""

    def __init__(self, what: str, changed_by: str | None, changed_at: datetime | None) -> None:
        self.changed_by = changed_by
        self.changed_at = changed_at
        who = changed_by or "another user"
        when = changed_at.strftime("%d %b %Y %H:%M") if changed_at else "recently"
        super().__init__(
            f"{what} was changed by {who} on {when} after you opened it. "
            "Reload it to see their change, then make yours again."
        )


class StatusChangeError(KantorError):
    """A status change that is not an allowed next step."""


class DatabaseError(KantorError):
    """The database file cannot be used as it is (damaged, newer, locked, unwritable)."""


class DamagedDatabaseError(DatabaseError):
    """The file itself is damaged (SQLite found corrupt pages): restoring a backup is the remedy."""


class WrongPasswordError(KantorError):
    """The password (or recovery key) does not unlock the office."""


class SignInDelayedError(KantorError):
    """Too many wrong passwords for this user: the next try must wait (the window counts down)."""

    def __init__(self, user: str, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(f"Too many wrong passwords for {user}; try again in {seconds} seconds.")


class PermissionDenied(KantorError):
    """The acting user's role may not do this (domain/permissions.py); the sentence says whom to ask."""
