"""Alembic environment: always run in-process on a connection handed over by `db.migrate`."""

from __future__ import annotations

from typing import Any

from alembic import context

from kantor_cases.db import models  # noqa: F401 - registers every table on Base.metadata
from kantor_cases.db.base import Base

config = context.config
target_metadata = Base.metadata


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    # The FTS5 index and its shadow tables are SQLite's, created by hand in 0002.
    return not (type_ == "table" and name and name.startswith("search_fts"))


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Kantor Cases migrations run through kantor_cases.db.migrate, not the alembic CLI.")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("Offline (SQL script) migrations are not supported.")
run_migrations_online()
