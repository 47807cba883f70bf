"""indexes for the list filters, hearings by date and court, the daily checks

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.create_index('ix_clients_detained_sort', ['detained', 'sort_name', 'id'], unique=False)
        batch_op.create_index('ix_clients_sensitive_sort', ['sensitive', 'sort_name', 'id'], unique=False)

    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadlines_assignee', ['assignee', 'done_at', 'due_on'], unique=False)

    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index('ix_follow_ups_escalated', ['escalated_to', 'status', 'due_on'], unique=False)

    with op.batch_alter_table('hearings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearings_starts_at'))
        batch_op.create_index('ix_hearings_court_starts', ['court_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_hearings_starts_matter', ['starts_at', 'matter_id'], unique=False)

    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.create_index('ix_matters_activity', ['closed_on', 'last_activity_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.drop_index('ix_matters_activity')

    with op.batch_alter_table('hearings', schema=None) as batch_op:
        batch_op.drop_index('ix_hearings_starts_matter')
        batch_op.drop_index('ix_hearings_court_starts')
        batch_op.create_index(batch_op.f('ix_hearings_starts_at'), ['starts_at'], unique=False)

    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_ups_escalated')

    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_assignee')

    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index('ix_clients_sensitive_sort')
        batch_op.drop_index('ix_clients_detained_sort')

