"""restricted clients: clients.restricted and client_access (client id, user name)

A restricted client (issue 13 item 2) is visible only to administrators, to the responsible attorney
of any of their matters and to the users listed for them in client_access. The flag is its own
column beside `sensitive`, which keeps meaning "mask in privacy mode": restricting a client also
marks them sensitive, but the office's many sensitive (asylum) clients stay visible to every desk.
The partial index keeps "which clients are restricted" a read of those few rows only.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('clients') as batch:
        batch.add_column(sa.Column('restricted', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index('ix_clients_restricted', 'clients', ['id'], sqlite_where=sa.text('restricted'),
                    postgresql_where=sa.text('restricted'))
    op.create_table(
        'client_access',
        sa.Column('client_id', sa.Integer(), sa.ForeignKey('clients.id', ondelete='CASCADE'), nullable=False),
        sa.Column('user_name', sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint('client_id', 'user_name'),
    )


def downgrade() -> None:
    op.drop_table('client_access')
    op.drop_index('ix_clients_restricted', table_name='clients')
    with op.batch_alter_table('clients') as batch:
        batch.drop_column('restricted')
