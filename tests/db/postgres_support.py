"""The shared-office tests' PostgreSQL: emptied before each test, and only ever a test database."""

from __future__ import annotations

from sqlalchemy import create_engine, make_url, text


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
