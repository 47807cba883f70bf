"""Alembic environment: always run in-process on a connection handed over by `db.migrate`."""

from __future__ import annotations

from alembic import context

from kantor_cases.db import models  # noqa: F401 - registers every table on Base.metadata
from kantor_cases.db.base import Base

config = context.config
target_metadata = Base.metadata


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
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("Offline (SQL script) migrations are not supported.")
run_migrations_online()
