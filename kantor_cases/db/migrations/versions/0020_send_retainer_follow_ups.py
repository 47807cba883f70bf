"""the partial index of the new automatic rule "send the engagement agreement" (issue 15)

Each automatic follow-up rule has its own partial index (0015), so Today counts a rule's follow-ups
of the week without reading the others'.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

NAME = 'ix_follow_ups_send_retainer'
WHERE = "auto_key >= 'send-retainer:' AND auto_key < 'send-retainer;'"


def upgrade() -> None:
    op.create_index(NAME, 'follow_ups', ['status', 'due_on', 'snoozed_until', 'client_id', 'auto_key'],
                    sqlite_where=sa.text(WHERE), postgresql_where=sa.text(WHERE))


def downgrade() -> None:
    op.drop_index(NAME, table_name='follow_ups')
