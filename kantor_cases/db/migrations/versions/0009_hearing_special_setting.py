"""a hearing the attorney confirmed as a special setting: hearings.special_setting

Immigration courts sit on business days only, so a hearing entered on a weekend or a federal holiday
is refused as a mistyped date, and a reminder batch lists such hearings instead of printing (issue
14 item 7). The rare real one (a court's special setting) is kept, and printed, once an attorney
confirms it; this column records that confirmation. Existing hearings are unconfirmed.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('hearings') as batch:
        batch.add_column(sa.Column('special_setting', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('hearings') as batch:
        batch.drop_column('special_setting')
