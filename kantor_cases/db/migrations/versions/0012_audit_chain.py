"""the audit trail's tamper-evident chain: audit_events.seq, prev_hash, row_hash

Every audit row gets its place in the chain, the previous row's hash and the SHA-256 of its own
content with it (db/audit_chain.py; issue 13 item 3). The rows already there are hashed now, in id
order. On PostgreSQL the table becomes append-only: a trigger refuses UPDATE (other than the commit
sealing its own new rows), DELETE and TRUNCATE; a constraint trigger refuses to commit a row left out
of the chain; and roles other than the owner lose UPDATE, DELETE and TRUNCATE on it (keeping UPDATE of
the three chain columns, which the sealing needs).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kantor_cases.db.audit_chain import seal

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

_REFUSE_CHANGE = """
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.row_hash IS NULL AND OLD.seq IS NULL
           AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.user_name = OLD.user_name
           AND NEW.action = OLD.action AND NEW.entity = OLD.entity
           AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id
           AND NEW.client_id IS NOT DISTINCT FROM OLD.client_id
           AND NEW.summary = OLD.summary AND NEW.changes = OLD.changes THEN
            RETURN NEW;  -- the commit that wrote the row seals it into the chain
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_events rows may only be added, never changed or deleted (%)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$
"""

_REQUIRE_SEAL = """
CREATE OR REPLACE FUNCTION audit_events_require_seal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id AND row_hash IS NULL) THEN
        RAISE EXCEPTION 'audit row % was not sealed into the chain', NEW.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$
"""

_REVOKE_FROM_OTHERS = """
DO $$
DECLARE
    grantee_name text;
    owner_name text;
BEGIN
    SELECT tableowner INTO owner_name FROM pg_tables
     WHERE tablename = 'audit_events' AND schemaname = current_schema();
    FOR grantee_name IN
        SELECT DISTINCT grantee FROM information_schema.role_table_grants
         WHERE table_name = 'audit_events' AND table_schema = current_schema()
           AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') AND grantee <> owner_name
    LOOP
        IF grantee_name = 'PUBLIC' THEN
            REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;
            GRANT UPDATE (seq, prev_hash, row_hash) ON audit_events TO PUBLIC;
        ELSE
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM %I', grantee_name);
            EXECUTE format('GRANT UPDATE (seq, prev_hash, row_hash) ON audit_events TO %I', grantee_name);
        END IF;
    END LOOP;
END $$
"""


def upgrade() -> None:
    with op.batch_alter_table('audit_events') as batch:
        batch.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('row_hash', sa.String(length=64), nullable=True))
    op.create_index('ux_audit_events_seq', 'audit_events', ['seq'], unique=True)
    bind = op.get_bind()
    seal(bind)
    if bind.dialect.name != "postgresql":
        return
    op.execute(_REFUSE_CHANGE)
    op.execute("CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
               "FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()")
    op.execute("CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
               "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()")
    op.execute(_REQUIRE_SEAL)
    op.execute("CREATE CONSTRAINT TRIGGER audit_events_sealed AFTER INSERT ON audit_events "
               "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_events_require_seal()")
    op.execute(_REVOKE_FROM_OTHERS)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_sealed ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_require_seal()")
        op.execute("DROP FUNCTION IF EXISTS audit_events_refuse_change()")
    op.drop_index('ux_audit_events_seq', table_name='audit_events')
    with op.batch_alter_table('audit_events') as batch:
        batch.drop_column('row_hash')
        batch.drop_column('prev_hash')
        batch.drop_column('seq')
