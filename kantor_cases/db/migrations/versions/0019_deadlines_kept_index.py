"""a covering index for the deadlines-kept report (issue 16)

The report counts a year of deadlines by rule and by who kept them, on time, late or not at all.
With only the due date indexed, SQLite read each deadline's wide row (its notes and citation) to get
the few columns it counts: 0.36 s plain and 1.2 s encrypted at 300,000 clients, over the target.
From this index alone: 0.14 s plain.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

COLUMNS = ['due_on', 'superseded_at', 'matter_id', 'rule_id', 'done_at', 'override_reason']


def upgrade() -> None:
    op.create_index('ix_deadlines_kept', 'deadlines', COLUMNS)


def downgrade() -> None:
    op.drop_index('ix_deadlines_kept', table_name='deadlines')
