"""name and date of birth index for import duplicate checks

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clients_name_folded'))
        batch_op.create_index('ix_clients_name_dob', ['name_folded', 'date_of_birth'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index('ix_clients_name_dob')
        batch_op.create_index(batch_op.f('ix_clients_name_folded'), ['name_folded'], unique=False)

