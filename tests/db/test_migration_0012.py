"""Migration 0012: the audit rows already there are hashed into a chain, in id order."""

from __future__ import annotations

from kantor_cases.db import audit_chain, migrate
from kantor_cases.db.engine import make_engine
from kantor_cases.db.startup import open_database


def test_existing_audit_rows_are_chained_in_id_order_and_back(tmp_path):
    path = tmp_path / "k.sqlite3"
    open_database(path).dispose()
    connection = make_engine(path).connect()
    migrate.downgrade(connection, "0011")
    connection.exec_driver_sql("DELETE FROM audit_events")
    connection.exec_driver_sql(
        "INSERT INTO audit_events (id, at, user_name, action, entity, entity_id, client_id, summary, changes) "
        "VALUES (?, ?, ?, 'update', 'client', 1, 1, ?, '{}')",
        [(i, f"2026-01-0{1 + i % 9} 09:00:00.000000", "Ana" if i % 2 else "Núñez", f"change {i}")
         for i in (7, 3, 12, 4)])
    connection.commit()
    migrate.upgrade(connection)
    rows = connection.exec_driver_sql("SELECT id, seq FROM audit_events ORDER BY seq").all()
    assert rows == [(3, 1), (4, 2), (7, 3), (12, 4)]
    verdict = audit_chain.verify(connection)
    assert verdict.rows == 4 and verdict.broken is None and verdict.head.row_id == 12
    migrate.downgrade(connection, "0011")
    assert "row_hash" not in {row[1] for row in connection.exec_driver_sql("PRAGMA table_info(audit_events)")}
    connection.close()


def test_a_write_sealed_with_nothing_but_the_database_layer_loaded(tmp_path):
    """Audit rows written by code that never imports the audit service (the failed sign-ins, a bulk
    insert) are sealed all the same: every write session installs the seal."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from kantor_cases.db.startup import open_database\n"
        "from kantor_cases.db.models import AuditEvent\n"
        "database = open_database(sys.argv[1])\n"
        "with database.write() as session:\n"
        "    session.add(AuditEvent(user_name='x', action='sign-in failed', entity='user', summary='s', changes='{}'))\n"
        "assert 'kantor_cases.services.audit' not in sys.modules\n"
        "with database.read() as session:\n"
        "    print(session.connection().exec_driver_sql('SELECT count(*) FROM audit_events WHERE seq IS NULL')"
        ".scalar())\n"
        "database.dispose()\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "k.sqlite3")], capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "0"
