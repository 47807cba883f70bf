"""trigram index for search on PostgreSQL (pg_trgm)

On SQLite, search goes through the FTS5 trigram table (0002). On PostgreSQL it asks
`text ILIKE '%fragment%'` of search_entries, which without an index reads every entry on every
keystroke (300,000 clients: about 450,000 entries). pg_trgm's GIN index answers the same ILIKE
from the index. pg_trgm is a trusted extension since PostgreSQL 13, so the database's owner may
create it; where the server refuses (an older server, a restricted role), search still works,
slower, and the log says why — the upgrade is not refused for a missing index.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as error:
        log.warning("pg_trgm is not available (%s); search on this database reads every entry. "
                    "Ask the server's administrator to run CREATE EXTENSION pg_trgm, then upgrade again.",
                    type(error.orig).__name__)
        return
    bind.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_search_entries_text_trgm "
                         "ON search_entries USING gin (text gin_trgm_ops)"))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text("DROP INDEX IF EXISTS ix_search_entries_text_trgm"))
