"""deadlines, follow-ups, letter templates and the letter log

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('letter_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_templates'))
    )
    with op.batch_alter_table('letter_templates', schema=None) as batch_op:
        batch_op.create_index('ix_letter_templates_id_lang_version', ['template_id', 'language', 'version'], unique=True)

    op.create_table('deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('trigger_event', sa.String(length=40), nullable=False),
    sa.Column('trigger_date', sa.Date(), nullable=True),
    sa.Column('raw_due', sa.Date(), nullable=True),
    sa.Column('computed_due', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('rolled_reason', sa.Text(), nullable=False),
    sa.Column('calendar', sa.String(length=60), nullable=False),
    sa.Column('citation', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('assignee', sa.String(length=80), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_by', sa.String(length=80), nullable=False),
    sa.Column('done_note', sa.Text(), nullable=False),
    sa.Column('superseded_at', sa.DateTime(), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_deadlines_matter_id_matters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['deadlines.id'], name=op.f('fk_deadlines_superseded_by_id_deadlines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadlines'))
    )
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadlines_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_deadlines_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index('ix_deadlines_open_due', ['done_at', 'superseded_at', 'due_on'], unique=False)

    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('matter_id', sa.Integer(), nullable=True),
    sa.Column('assignee', sa.String(length=80), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('recurrence_days', sa.Integer(), nullable=True),
    sa.Column('snoozed_until', sa.Date(), nullable=True),
    sa.Column('escalated_to', sa.String(length=80), nullable=False),
    sa.Column('escalated_at', sa.DateTime(), nullable=True),
    sa.Column('auto_key', sa.String(length=80), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_by', sa.String(length=80), nullable=False),
    sa.Column('done_note', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_follow_ups_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_follow_ups_matter_id_matters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups')),
    sa.UniqueConstraint('auto_key', name=op.f('uq_follow_ups_auto_key'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index('ix_follow_ups_assignee', ['assignee', 'status', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index('ix_follow_ups_open_due', ['status', 'due_on'], unique=False)

    op.create_table('letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=True),
    sa.Column('hearing_id', sa.Integer(), nullable=True),
    sa.Column('template_id', sa.String(length=40), nullable=False),
    sa.Column('template_version', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('recipient', sa.String(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('file_path', sa.String(length=1000), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('batch_id', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_letters_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearings.id'], name=op.f('fk_letters_hearing_id_hearings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_letters_matter_id_matters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letters'))
    )
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letters_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_hearing_id'), ['hearing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index('ix_letters_template_hearing', ['template_id', 'hearing_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index('ix_letters_template_hearing')
        batch_op.drop_index(batch_op.f('ix_letters_matter_id'))
        batch_op.drop_index(batch_op.f('ix_letters_hearing_id'))
        batch_op.drop_index(batch_op.f('ix_letters_client_id'))

    op.drop_table('letters')
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_ups_open_due')
        batch_op.drop_index(batch_op.f('ix_follow_ups_matter_id'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_client_id'))
        batch_op.drop_index('ix_follow_ups_assignee')

    op.drop_table('follow_ups')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_open_due')
        batch_op.drop_index(batch_op.f('ix_deadlines_matter_id'))
        batch_op.drop_index(batch_op.f('ix_deadlines_due_on'))

    op.drop_table('deadlines')
    with op.batch_alter_table('letter_templates', schema=None) as batch_op:
        batch_op.drop_index('ix_letter_templates_id_lang_version')

    op.drop_table('letter_templates')
