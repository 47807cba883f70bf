"""A plain (unencrypted) office for tests that need one: `demo` on a new path makes an encrypted office,
so a test that corrupts, converts or reads the file itself makes the empty plain office first, as an
office from before encryption is, and `demo` fills it as it is."""

from __future__ import annotations

from pathlib import Path


def plain_office(path: str | Path) -> str:
    """An empty plain office at `path` (a new path); its path as text, for `--db`."""
    from kantor_cases.db.models import User
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office, fallback_user

    office = Office.open(locations.resolve(str(path)), "test")
    # Commands run without --user act as the login name: it is the office's administrator, so the
    # demo's users (added beside it) do not make it a read-only stranger (domain/permissions.py).
    with office.database.write() as session:
        session.add(User(name=fallback_user(), role="admin", created_by="test", updated_by="test"))
    office.close()
    return str(path)
