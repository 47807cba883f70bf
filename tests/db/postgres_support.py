"""The shared-office tests' PostgreSQL: emptied before each test, and only ever a test database."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, make_url, text

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

URL = os.environ.get("KANTOR_TEST_POSTGRES_URL", "")
# Each shared-office test module's `pytestmark`: skipped where no server is given (CI starts one).
needs_postgres = pytest.mark.skipif(not URL, reason="set KANTOR_TEST_POSTGRES_URL (CI starts a PostgreSQL server)")


def empty_test_schema(url: str) -> None:
    """Drop and recreate the public schema of `url` — refused unless the database's name ends in
    `_test`, so a KANTOR_TEST_POSTGRES_URL pointing at a real office can never be wiped."""
    name = make_url(url).database or ""
    if not name.endswith("_test"):
        raise RuntimeError(f"Refusing to empty the database {name!r}: a test database's name ends in _test.")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def emptied_office(user: str = "Ana") -> Office:
    """A new office on the emptied test database, opened (and so migrated) as `user`."""
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    empty_test_schema(URL)
    return Office.open(locations.resolve(URL), user)
