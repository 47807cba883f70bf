"""users' full names, and PostgreSQL offices' passwords: users.full_name, users.password_hash,
users.sign_in_failures, users.last_sign_in_failure

The users table becomes the source of full names (an encrypted office's keys file keeps a display
copy for its sign-in list); existing users get their user name as full name. A PostgreSQL office
keeps its encryption on the server and its passwords here, as Argon2id hashes, with each user's run
of wrong passwords (issue 12 item 6). Existing users have no password: an office without any opens
as before, naming who acts.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('full_name', sa.String(length=200), nullable=False, server_default=''))
        batch.add_column(sa.Column('password_hash', sa.String(length=255), nullable=True))
        batch.add_column(sa.Column('sign_in_failures', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('last_sign_in_failure', sa.DateTime(), nullable=True))
    op.execute("UPDATE users SET full_name = name")


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('last_sign_in_failure')
        batch.drop_column('sign_in_failures')
        batch.drop_column('password_hash')
        batch.drop_column('full_name')
