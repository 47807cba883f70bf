"""the client's form of address: clients.salutation ("mr", "ms" or "" when not recorded)

Spanish letters agree with the person they are written to (Estimado/Estimada, lo/la); the form of
address is recorded on the client so that every letter agrees without anyone typing it again, and
letters use a neutral form while it is not recorded (issue 14 item 10). Existing clients have none.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('clients') as batch:
        batch.add_column(sa.Column('salutation', sa.String(length=10), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('clients') as batch:
        batch.drop_column('salutation')
