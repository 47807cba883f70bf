"""A shared PostgreSQL office's desk roles (issue 13 item 3): the privileges a desk's own login role
needs, and the roles that could change or delete audit rows.

Migration 0012 took UPDATE, DELETE and TRUNCATE on audit_events from every role other than the
owner, but only from the roles that held them then: a desk role an administrator gives
`GRANT … ON ALL TABLES` later holds them again, and only the append-only trigger stands in its way.
`grant_desk` gives a role what a desk needs and no more (audit rows: read, add, and seal its own —
UPDATE of the three chain columns); `audit_rewriters` names every role that holds more, for `check`.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from kantor_cases.domain.errors import KantorError, ValidationError

# The columns the commit that writes an audit row fills in (db/audit_chain.py): UPDATE of these
# alone is what sealing needs, and the trigger refuses it on a sealed row.
CHAIN_COLUMNS = ("seq", "prev_hash", "row_hash")

_AUDIT_TABLE = text("""
SELECT t.oid, t.relowner, pg_get_userbyid(t.relowner) AS owner,
       pg_has_role(current_user, t.relowner, 'USAGE') AS acting_as_owner
FROM pg_class AS t
WHERE t.relname = 'audit_events' AND t.relnamespace = current_schema()::regnamespace
""")

# Per role: may it delete, truncate, or update a column other than the chain's (through its own
# grants, a role it belongs to, PUBLIC or pg_write_all_data). The owner and superusers are left
# out: the owner's rows are guarded by the trigger (and only it may drop it), a superuser by nothing.
_REWRITERS = text("""
SELECT r.rolname,
       has_table_privilege(r.oid, CAST(:table AS oid), 'DELETE') AS can_delete,
       has_table_privilege(r.oid, CAST(:table AS oid), 'TRUNCATE') AS can_truncate,
       EXISTS (SELECT 1 FROM pg_attribute AS a
               WHERE a.attrelid = CAST(:table AS oid) AND a.attnum > 0 AND NOT a.attisdropped
                 AND a.attname::text <> ALL (CAST(:chain AS text[]))
                 AND has_column_privilege(r.oid, CAST(:table AS oid), a.attnum, 'UPDATE')) AS can_update
FROM pg_roles AS r
WHERE NOT r.rolsuper AND r.oid <> CAST(:owner AS oid) AND r.rolname NOT LIKE 'pg\\_%'
ORDER BY r.rolname
""")

_PUBLIC = text("""
SELECT has_table_privilege('public', CAST(:table AS oid), 'DELETE'), has_table_privilege('public', CAST(:table AS oid), 'TRUNCATE'),
       EXISTS (SELECT 1 FROM pg_attribute AS a
               WHERE a.attrelid = CAST(:table AS oid) AND a.attnum > 0 AND NOT a.attisdropped
                 AND a.attname::text <> ALL (CAST(:chain AS text[]))
                 AND has_column_privilege('public', CAST(:table AS oid), a.attnum, 'UPDATE'))
""")


def _audit_table(connection: Connection) -> tuple[int, int, str, bool]:
    row = connection.execute(_AUDIT_TABLE).one_or_none()
    if row is None:
        raise KantorError("This database has no audit table yet: open it once with Kantor Cases first.")
    return row.oid, row.relowner, row.owner, bool(row.acting_as_owner)


def _held(delete: bool, truncate: bool, update: bool) -> list[str]:
    return [name for name, held in (("UPDATE", update), ("DELETE", delete), ("TRUNCATE", truncate)) if held]


def audit_rewriters(connection: Connection) -> list[str]:
    """One sentence per role (other than the owner and superusers) that the privilege system lets
    change or delete audit rows, with what fixes it; empty when none may. PostgreSQL only."""
    table, owner, owner_name, _ = _audit_table(connection)
    values = {"table": table, "owner": owner, "chain": list(CHAIN_COLUMNS)}
    public = _held(*connection.execute(_PUBLIC, values).one())
    if public:  # every role holds it through PUBLIC: one sentence, not one per role
        return [f"every PostgreSQL role (PUBLIC) holds {', '.join(public)} on audit_events, so only the trigger "
                f"keeps audit rows from being changed or deleted; as {owner_name} run REVOKE UPDATE, DELETE, "
                f"TRUNCATE ON audit_events FROM PUBLIC"]
    problems = []
    for row in connection.execute(_REWRITERS, values):
        held = _held(row.can_delete, row.can_truncate, row.can_update)
        if held:
            problems.append(
                f"the PostgreSQL role {row.rolname} holds {', '.join(held)} on audit_events, so only the trigger "
                f"keeps it from changing or deleting audit rows; as {owner_name} run `kantor-cases --db URL db "
                f"grant-desk {row.rolname}` (or take back the role it holds them through)")
    return problems


def grant_desk(connection: Connection, role: str) -> None:
    """Give `role` what a desk needs in this database, and no more on the audit table: every table
    read and written, the sequences used, audit rows read, added and sealed (UPDATE of the chain
    columns), never changed, deleted or truncated; the schema's revision only read. Run as the
    owner of the tables (a GRANT by anyone else is silently no grant at all)."""
    _, owner, owner_name, acting_as_owner = _audit_table(connection)
    target = connection.execute(text("SELECT oid, rolsuper FROM pg_roles WHERE rolname = :role"),
                                {"role": role}).one_or_none()
    if target is None:
        missing = f"There is no PostgreSQL role {role!r}: create it on the server first (CREATE ROLE … LOGIN PASSWORD …)."
        raise ValidationError({"role": missing}, message=missing)
    if target.oid == owner:
        owns = f"{role} owns the office's tables already; a desk needs a role of its own."
        raise ValidationError({"role": owns}, message=owns)
    if not acting_as_owner:
        raise KantorError(f"Only the owner of the office's tables ({owner_name}) may give a desk its privileges: "
                          "run this with the owner's user in the URL.")
    quoted = connection.dialect.identifier_preparer.quote(role)
    for statement in (
        f"GRANT USAGE ON SCHEMA {_schema(connection)} TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {_schema(connection)} TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {_schema(connection)} TO {quoted}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {quoted}",
        f"GRANT UPDATE ({', '.join(CHAIN_COLUMNS)}) ON audit_events TO {quoted}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {quoted}",
    ):
        connection.execute(text(statement))


def _schema(connection: Connection) -> str:
    name = connection.execute(text("SELECT current_schema()")).scalar_one()
    return str(connection.dialect.identifier_preparer.quote(name))
