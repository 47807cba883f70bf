"""one client per A-number: a unique index on clients.a_number (where there is one)

An import checked for duplicate A-numbers before it took the write lock, so two imports of one file
started together both passed the check and inserted every client twice. The checks now run under
the write lock, and this index makes a second client with the same A-number impossible whatever
path a row takes. A-numbers are stored normalised ("A012345678") or NULL; the few empty strings an
old version may have stored become NULL first, so the index can be partial on `IS NOT NULL` (which
SQLite and PostgreSQL both use for `a_number = ?` lookups).

An office that already holds duplicates is not refused the upgrade: refusing would keep it on the
old version, where the race that made them is still open. Instead the ids of the clients that share
an A-number are logged (never the A-numbers or names), the plain index stays, and the upgrade
completes; a later migration can create the unique index once staff have merged those clients, with
this same check in front of it.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

log = logging.getLogger("kantor_cases.db.migrations")


def upgrade() -> None:
    connection = op.get_bind()
    connection.execute(sa.text("UPDATE clients SET a_number = NULL WHERE a_number = ''"))
    shared = connection.execute(sa.text(
        "SELECT a_number, id FROM clients WHERE a_number IN "
        "(SELECT a_number FROM clients WHERE a_number IS NOT NULL GROUP BY a_number HAVING count(*) > 1) "
        "ORDER BY a_number, id")).all()
    if shared:
        groups: dict[str, list[int]] = {}
        for a_number, client_id in shared:
            groups.setdefault(a_number, []).append(client_id)
        log.warning("Clients share an A-number, so the A-number stays without a unique index; merge or correct "
                    "these clients (ids, one group per A-number): %s",
                    "; ".join(", ".join(map(str, ids)) for ids in groups.values()))
        return
    op.drop_index('ix_clients_a_number', table_name='clients')
    op.create_index('ix_clients_a_number', 'clients', ['a_number'], unique=True,
                    sqlite_where=sa.text('a_number IS NOT NULL'), postgresql_where=sa.text('a_number IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_clients_a_number', table_name='clients')
    op.create_index('ix_clients_a_number', 'clients', ['a_number'], unique=False)
