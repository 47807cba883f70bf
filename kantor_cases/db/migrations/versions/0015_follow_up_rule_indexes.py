"""partial indexes on follow_ups: one for those people entered, one per automatic rule

Today counts the open follow-ups due this week by automatic rule, and lists those people entered
(issue 15). After a first daily check a 300,000-client office holds about 300,000 automatic
follow-ups; with these indexes each count reads only its own rule's entries for the week
(ix_follow_ups_open_due alone made Today read every open follow-up of the week from the table:
~350 ms). A rule's follow-ups are those whose auto_key starts with its id (domain/automatic_follow_ups.py);
a new rule gets its own index.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# auto_key too, though the WHERE fixes it: only a covering index is preferred to ix_follow_ups_open_due
# by SQLite's planner (there are no statistics), and each count then reads its index alone.
COLUMNS = ['status', 'due_on', 'snoozed_until', 'client_id', 'auto_key']
WHERE = {
    'ix_follow_ups_entered': "auto_key IS NULL",
    'ix_follow_ups_eoir_verify': "auto_key >= 'eoir-verify:' AND auto_key < 'eoir-verify;'",
    'ix_follow_ups_inactive': "auto_key >= 'inactive:' AND auto_key < 'inactive;'",
    'ix_follow_ups_hearing_reminder': "auto_key >= 'hearing-reminder:' AND auto_key < 'hearing-reminder;'",
}


def upgrade() -> None:
    for name, where in WHERE.items():
        op.create_index(name, 'follow_ups', COLUMNS, sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def downgrade() -> None:
    for name in WHERE:
        op.drop_index(name, table_name='follow_ups')
