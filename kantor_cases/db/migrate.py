"""Running the shipped Alembic migrations in-process, and asking which revision a database is at.

Alembic is imported only when a migration has to run or be inspected: opening a database that is
already at HEAD_REVISION (every start but the first after an update) does not pay for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The newest migration shipped in versions/; tests/db checks it against Alembic's own answer.
HEAD_REVISION = "0021"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    return HEAD_REVISION


def known_revisions() -> set[str]:
    return {script.revision for script in script_directory().walk_revisions()}


def is_known(revision: str) -> bool:
    return revision == HEAD_REVISION or revision in known_revisions()


def current_revision(connection: Connection) -> str | None:
    """The revision stamped in the database, read with plain SQL (None for an empty database)."""
    from sqlalchemy import text

    if not connection.dialect.has_table(connection, "alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(connection: Connection, target: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), target)


def downgrade(connection: Connection, target: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(connection), target)
