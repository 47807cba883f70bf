"""the status change that set off a deadline: deadlines.status_change_id

Recording a court decision on a matter creates its deadlines (a BIA appeal due in 30 days). Undoing
that status change (issue 15: Ctrl+Z, "Undo last change") must take back exactly the deadlines it
created and bring back the ones it replaced; this column says which rows those are. Deadlines
entered before it, by hand or from a hearing, have none.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deadlines') as batch:
        batch.add_column(sa.Column('status_change_id', sa.Integer(), nullable=True))
    op.create_index('ix_deadlines_status_change_id', 'deadlines', ['status_change_id'])


def downgrade() -> None:
    op.drop_index('ix_deadlines_status_change_id', table_name='deadlines')
    with op.batch_alter_table('deadlines') as batch:
        batch.drop_column('status_change_id')
