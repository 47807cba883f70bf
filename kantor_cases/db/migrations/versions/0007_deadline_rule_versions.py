"""the firm's own deadline rule versions and switches: deadline_rule_changes

A rule is a list of versions (issue 14). The program ships its versions as data; this table keeps what
the firm changed - its own version of a rule, or a switch that puts a stored version in use (the
10-day BIA appeal period, should its vacatur be reversed). Rows are never deleted: taking a change
back sets `withdrawn_at`.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('deadline_rule_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.String(length=40), nullable=False),
    sa.Column('switch', sa.String(length=60), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('period_amount', sa.Integer(), nullable=True),
    sa.Column('period_unit', sa.String(length=20), nullable=False),
    sa.Column('citation', sa.String(length=300), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_by', sa.String(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_rule_changes'))
    )
    with op.batch_alter_table('deadline_rule_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_rule_changes_rule_id'), ['rule_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deadline_rule_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_rule_changes_rule_id'))
    op.drop_table('deadline_rule_changes')
