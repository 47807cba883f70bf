"""covering indexes for the employment claims report (issue 16)

The report counts the employment and labor matters by stage and dates, and looks for the suit
deadlines still open ahead. Without these, SQLite fetched every employment matter's row from the
table (about 80,000 at 300,000 clients) and walked every open deadline ahead to find the few suit
deadlines among them.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_matters_kind_dates': ('matters', ['kind', 'government_status', 'opened_on', 'closed_on',
                                          'responsible_attorney_id', 'client_id']),
    'ix_deadlines_rule_open': ('deadlines', ['rule_id', 'done_at', 'superseded_at', 'due_on', 'matter_id']),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
