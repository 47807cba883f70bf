"""The audit trail's tamper-evident chain (issue 13 items 3, 5, 7): a row edited, deleted or inserted
through the SQL driver, or the whole trail rewritten, makes `check` and `audit verify` exit 1 naming
the row and the backup that still holds the good version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlcipher3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kantor_cases.cli import main
from kantor_cases.db import audit_chain, office_keys
from kantor_cases.db.engine import raw_connection
from kantor_cases.db.office_keys import KdfParameters
from kantor_cases.domain.errors import WrongPasswordError
from kantor_cases.domain.records import ClientDraft
from kantor_cases.services import audit, locations
from kantor_cases.services.office import Office

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap_key_derivation(monkeypatch):
    monkeypatch.setattr(office_keys, "DEFAULT_KDF", KdfParameters(1, 1024, 1))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    for variable in ("KANTOR_CASES_PASSWORD_FILE", "KANTOR_CASES_NEW_PASSWORD_FILE", "KANTOR_CASES_USER"):
        monkeypatch.delenv(variable, raising=False)


def _clients(office: Office, n: int) -> None:
    for i in range(n):
        office.clients.create(ClientDraft(given_name=f"Given{i}", family_name="Núñez"))


@pytest.fixture
def encrypted(tmp_path, monkeypatch, capsys) -> Path:
    """An encrypted office (administrator mk) with six audited clients and a backup of them; the CLI
    signs in as mk from here on."""
    path = tmp_path / "office" / "kantor-cases.sqlite3"
    new_password = tmp_path / "new-pw"
    new_password.write_text(PASSWORD + "\n", encoding="utf-8")
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", str(new_password))
    assert main(["--db", str(path), "setup", "--firm", "Kantor Law", "--admin", "mk"]) == 0
    monkeypatch.delenv("KANTOR_CASES_NEW_PASSWORD_FILE")
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", str(new_password))
    office = Office.open(locations.resolve(str(path)), "mk", password=PASSWORD)
    try:
        _clients(office, 6)
        office.backups.back_up()
    finally:
        office.close()
    capsys.readouterr()
    return path


def _check(path: Path, capsys) -> tuple[int, str]:
    code = main(["--db", str(path), "--user", "mk", "check"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _rows(path: Path) -> list[tuple]:
    connection = raw_connection(path, "mk", PASSWORD)
    try:
        return connection.execute("SELECT id, seq, prev_hash, row_hash, user_name FROM audit_events "
                                  "ORDER BY seq").fetchall()
    finally:
        connection.close()


def _tamper(path: Path, *statements: tuple[str, tuple]) -> None:
    connection = raw_connection(path, "mk", PASSWORD)
    try:
        for sql, parameters in statements:
            connection.execute(sql, parameters)
        connection.commit()
    finally:
        connection.close()


def test_every_saved_change_is_chained_and_check_says_healthy(encrypted, capsys):
    rows = _rows(encrypted)
    assert [row[1] for row in rows] == list(range(1, len(rows) + 1))
    assert rows[0][2] == audit_chain.GENESIS
    assert all(later[2] == earlier[3] for earlier, later in zip(rows, rows[1:], strict=False))
    assert _check(encrypted, capsys) == (0, "The database is healthy (integrity, foreign keys and the audit trail checked).\n")


def test_a_row_edited_through_the_driver_is_named_with_the_backup_holding_it(encrypted, capsys):
    victim = _rows(encrypted)[3][0]
    _tamper(encrypted, ("UPDATE audit_events SET user_name = 'Beto' WHERE id = ?", (victim,)))
    code, out = _check(encrypted, capsys)
    assert code == 1
    assert f"audit row {victim} " in out and "edited" in out
    assert "the backup kantor-cases-" in out and "still holds the good version" in out


def test_a_row_edited_and_given_a_new_hash_is_named(encrypted, capsys):
    row_id, seq, prev, _hash, _user = _rows(encrypted)[2]
    connection = raw_connection(encrypted, "mk", PASSWORD)
    at, action, entity, entity_id, client_id, summary, changes = connection.execute(
        "SELECT at, action, entity, entity_id, client_id, summary, changes FROM audit_events WHERE id = ?",
        (row_id,)).fetchone()
    forged = audit_chain.hash_row(row_id, seq, at, "Beto", action, entity, entity_id,
                                  client_id, summary, changes, prev)
    connection.execute("UPDATE audit_events SET user_name = 'Beto', row_hash = ? WHERE id = ?", (forged, row_id))
    connection.commit()
    connection.close()
    code, out = _check(encrypted, capsys)
    assert code == 1 and f"audit row {row_id} " in out and "edited" in out


def test_a_deleted_row_is_named_by_the_row_after_the_gap(encrypted, capsys):
    rows = _rows(encrypted)
    _tamper(encrypted, ("DELETE FROM audit_events WHERE id = ?", (rows[2][0],)))
    code, out = _check(encrypted, capsys)
    assert code == 1
    assert f"1 row just before audit row {rows[3][0]} " in out and "was deleted" in out
    assert "still holds the good version" in out


def test_an_inserted_row_is_named(encrypted, capsys):
    _tamper(encrypted, ("INSERT INTO audit_events (id, at, user_name, action, entity, summary, changes) "
                        "VALUES (4000, '2026-01-01 09:00:00.000000', 'Beto', 'delete', 'client', 'x', '{}')", ()))
    code, out = _check(encrypted, capsys)
    assert code == 1 and "audit row 4000 was inserted" in out


def test_a_row_inserted_by_hand_is_not_made_part_of_the_chain_by_the_next_save(encrypted, capsys):
    _tamper(encrypted, ("INSERT INTO audit_events (id, at, user_name, action, entity, summary, changes) "
                        "VALUES (4000, '2026-01-01 09:00:00.000000', 'Beto', 'delete', 'client', 'x', '{}')", ()))
    office = Office.open(locations.resolve(str(encrypted)), "mk", password=PASSWORD)
    try:
        _clients(office, 2)  # two ordinary saves, each sealing its own audit row
    finally:
        office.close()
    code, out = _check(encrypted, capsys)
    assert code == 1 and "audit row 4000 was inserted" in out


def test_a_whole_trail_rewritten_is_caught_against_an_older_backup(encrypted, capsys):
    """Every hash recomputed after the edit: the chain is consistent again, but no longer the one a
    backup took."""
    rows = _rows(encrypted)
    victim = rows[1][0]
    connection = raw_connection(encrypted, "mk", PASSWORD)
    connection.execute("UPDATE audit_events SET user_name = 'Beto' WHERE id = ?", (victim,))
    connection.execute("UPDATE audit_events SET seq = NULL, prev_hash = NULL, row_hash = NULL")
    connection.commit()
    connection.close()
    office = Office.open(locations.resolve(str(encrypted)), "mk", password=PASSWORD)
    try:
        with office.database.write() as session:
            audit_chain.seal(session.connection())
        verdict = audit.verify_trail(office.database, office.backups.folder)
    finally:
        office.close()
    assert verdict.broken is None  # consistent in itself
    code, out = _check(encrypted, capsys)
    assert code == 1
    assert f"rewritten from row {victim} " in out and "kantor-cases-" in out


def test_audit_verify_json_and_list(encrypted, capsys):
    assert main(["--db", str(encrypted), "--user", "mk", "audit", "verify", "--json"]) == 0
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["ok"] and verdict["backups_compared"] == 1 and verdict["head"]["seq"] == verdict["rows"]
    assert main(["--db", str(encrypted), "--user", "mk", "audit", "list", "--user", "mk", "--since",
                 "2000-01-01", "--json", "--limit", "3"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 3 and listed[0]["id"] > listed[1]["id"] and {row["user"] for row in listed} == {"mk"}
    assert main(["--db", str(encrypted), "--user", "mk", "audit", "list", "--user", "nobody"]) == 0
    assert capsys.readouterr().out == "No audit rows match.\n"
    client = next(row["client_id"] for row in listed if row["client_id"] is not None)
    assert main(["--db", str(encrypted), "--user", "mk", "audit", "list", "--client", str(client), "--json"]) == 0
    about_one = json.loads(capsys.readouterr().out)
    assert about_one and {row["client_id"] for row in about_one} == {client}
    assert main(["--db", str(encrypted), "--user", "mk", "audit", "list", "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out == "No audit rows match.\n"
    rows = _rows(encrypted)
    _tamper(encrypted, ("DELETE FROM audit_events WHERE id = ?", (rows[1][0],)))
    assert main(["--db", str(encrypted), "--user", "mk", "audit", "verify", "--json"]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["first_bad_row"] == {"row_id": rows[2][0], "seq": 2, "kind": "deleted"}
    assert verdict["good_backup"].startswith("kantor-cases-")


def test_raw_connection_signs_in_to_an_encrypted_office_and_refuses_a_wrong_password(encrypted):
    with pytest.raises(WrongPasswordError):
        raw_connection(encrypted, "mk", "not it")
    connection = raw_connection(encrypted, "mk", PASSWORD)
    assert connection.execute("SELECT count(*) FROM audit_events").fetchone()[0] >= 6
    connection.close()


def test_raw_connection_opens_a_plain_office(office, db_path):
    _clients(office, 1)
    connection = raw_connection(db_path)
    try:
        assert connection.execute("SELECT count(*) FROM clients").fetchone() == (1,)
    finally:
        connection.close()


def test_rows_inserted_in_bulk_are_chained(office, tmp_path):
    """The CSV import writes its audit rows with the driver's own SQL: they are sealed all the same."""
    source = tmp_path / "clients.csv"
    source.write_text("first_name,last_name\n" + "".join(f"G{i},Reyes\n" for i in range(30)), encoding="utf-8")
    office.client_csv.import_file(source)
    verdict = audit.verify_trail(office.database, office.backups.folder)
    assert verdict.ok and verdict.rows >= 30 and audit.chain_head(office.database) == verdict.head


def test_a_restore_leaves_newer_backups_behind_without_a_false_alarm(office):
    _clients(office, 2)
    older = office.backups.back_up().path
    _clients(office, 2)
    office.backups.back_up()
    office.backups.restore(older)
    reopened = Office.open(office.locations, "Ana")
    try:
        reopened.clients.create(ClientDraft(given_name="Rosa", family_name="Reyes"))
        assert reopened.check() == []
    finally:
        reopened.close()


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(summaries=st.lists(texts, min_size=2, max_size=8), victim=st.integers(0, 7),
       column=st.sampled_from(["user_name", "action", "entity", "summary", "changes", "at", "entity_id",
                               "client_id", "seq", "prev_hash", "row_hash"]),
       replacement=texts)
def test_any_change_to_any_column_of_any_row_is_found(office, db_path, summaries, victim, column, replacement):
    """Whatever the rows say and whatever one column of one row is changed to, the walk finds that row
    (or the gap it leaves) and never fails on what it reads."""
    from kantor_cases.services.audit import record

    with office.database.write() as session:
        session.execute(audit_chain.AUDIT.delete())
        for summary in summaries:
            record(session, summary or "x", "note", "client", None, summary, {"f": [summary, None]})
    connection = raw_connection(db_path)
    ids = [row[0] for row in connection.execute("SELECT id FROM audit_events ORDER BY seq")]
    target = ids[victim % len(ids)]
    before = connection.execute(f"SELECT {column} FROM audit_events WHERE id = ?", (target,)).fetchone()[0]
    try:
        connection.execute(f"UPDATE audit_events SET {column} = ? WHERE id = ?", (replacement, target))
        connection.commit()
        changed = before != replacement
    except sqlcipher3.IntegrityError:  # the unique seq refused it: nothing changed
        connection.rollback()
        changed = False
    connection.close()
    with office.database.read() as session:
        verdict = audit_chain.verify(session.connection())
    if not changed:
        assert verdict.broken is None
    else:
        assert verdict.broken is not None
        assert verdict.broken.row_id in (target, *ids)


@settings(max_examples=300, deadline=None)
@given(values=st.tuples(st.integers(-2**62, 2**62), st.one_of(st.none(), st.integers(0, 2**40)),
                        texts, texts, texts, st.one_of(st.none(), st.integers(-2**31, 2**31)), texts))
def test_sqlite_writes_the_same_document_the_seal_hashed(values):
    """`verify` has SQLite build each row's document (json_array) while the seal builds it in Python:
    any text the two wrote differently would read as an edited row."""
    import sqlcipher3 as driver

    row_id, client_id, at, user_name, summary, entity_id, changes = values
    content = (row_id, 7, at, user_name, "update", "client", entity_id, client_id, summary, changes, "0" * 64)
    connection = driver.connect(":memory:")
    try:
        built = connection.execute("SELECT json_array(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", content).fetchone()[0]
    finally:
        connection.close()
    assert built.encode("utf-8") == audit_chain.canonical(*content)


# --- an import's rows, sealed as they go in (issue 13 item 6) ------------------------------------


def _import(office: Office, folder: Path, count: int, name: str = "clientes Núñez \"2026\".csv") -> None:
    source = folder / name
    source.write_text("first_name,last_name\n" + "".join(f"Importado{i},Reyes\n" for i in range(count)),
                      encoding="utf-8")
    assert office.client_csv.import_file(source).imported == count


def test_an_import_writes_its_audit_rows_once_already_in_the_chain(office, db_path, tmp_path):
    """The import's audit rows go in numbered, linked and hashed (no second pass rewrites them), after
    the rows saved before it and before the ones saved after; the file's name, accents and quotes
    and all, is hashed as SQLite holds it."""
    _clients(office, 2)
    connection = raw_connection(db_path)
    connection.execute("CREATE TRIGGER audit_rows_only_added BEFORE UPDATE ON audit_events "
                       "BEGIN SELECT RAISE(ABORT, 'audit rows may only be added'); END")
    connection.commit()
    connection.close()
    _import(office, tmp_path, 40)
    connection = raw_connection(db_path)
    connection.execute("DROP TRIGGER audit_rows_only_added")
    connection.commit()
    connection.close()
    _clients(office, 1)
    verdict = audit.verify_trail(office.database, office.backups.folder)
    assert verdict.ok, verdict.problems
    connection = raw_connection(db_path)
    rows = connection.execute("SELECT id, seq, summary FROM audit_events WHERE seq IS NOT NULL ORDER BY seq").fetchall()
    unsealed = connection.execute("SELECT count(*) FROM audit_events WHERE seq IS NULL").fetchone()[0]
    connection.close()
    assert unsealed == 0 and verdict.rows == len(rows)
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)  # the chain follows the writes
    imported = [i for i, row in enumerate(rows) if row[2].startswith("imported the client from")]
    assert len(imported) == 40 and imported == list(range(imported[0], imported[0] + 40))
    assert imported[0] > 0 and imported[-1] < len(rows) - 1
    assert office.check() == []


def test_a_row_inserted_by_hand_before_an_import_stays_out_of_the_chain(encrypted, tmp_path, capsys):
    before = len(_rows(encrypted))
    _tamper(encrypted, ("INSERT INTO audit_events (id, at, user_name, action, entity, summary, changes) "
                        "VALUES (4000, '2026-01-01 09:00:00.000000', 'Beto', 'delete', 'client', 'x', '{}')", ()))
    office = Office.open(locations.resolve(str(encrypted)), "mk", password=PASSWORD)
    try:
        _import(office, tmp_path, 25)
    finally:
        office.close()
    code, out = _check(encrypted, capsys)
    assert code == 1 and "audit row 4000 was inserted" in out
    chained = [row for row in _rows(encrypted) if row[1] is not None]
    assert 4000 not in [row[0] for row in chained] and len(chained) >= before + 25
    assert [row[1] for row in chained] == list(range(1, len(chained) + 1))


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET user_name = 'Beto' WHERE id = ?",
    "UPDATE audit_events SET client_id = client_id + 1 WHERE id = ?",
])
def test_an_imported_row_edited_afterwards_is_named(encrypted, tmp_path, capsys, statement):
    office = Office.open(locations.resolve(str(encrypted)), "mk", password=PASSWORD)
    try:
        _import(office, tmp_path, 25)
    finally:
        office.close()
    assert _check(encrypted, capsys)[0] == 0
    victim = _rows(encrypted)[-10][0]
    _tamper(encrypted, (statement, (victim,)))
    code, out = _check(encrypted, capsys)
    assert code == 1 and f"audit row {victim} " in out and "edited" in out


def test_rows_sealed_on_insert_keep_the_order_they_were_written_in(office):
    """insert_sealed in a transaction that wrote audit rows before it and writes more after: one valid
    chain in the order of the writes; a transaction that fails leaves nothing behind for the next."""
    from kantor_cases.services.audit import record

    def bulk(session, label: str) -> None:
        audit_chain.insert_sealed(session.connection(), [
            ("2026-01-02 10:00:00.000000", "Ana", "create", "client", n, n, f"{label} {n}", "{}") for n in range(3)])

    with office.database.write() as session:
        record(session, "Ana", "note", "client", None, "before", {})
        session.flush()
        bulk(session, "bulk")
        record(session, "Ana", "note", "client", None, "after", {})
    with pytest.raises(RuntimeError), office.database.write() as session:
        bulk(session, "abandoned")
        raise RuntimeError
    _clients(office, 1)
    with office.database.read() as session:
        connection = session.connection()
        verdict = audit_chain.verify(connection)
        summaries = connection.exec_driver_sql("SELECT summary FROM audit_events ORDER BY seq").scalars().all()
    assert verdict.broken is None and verdict.rows == len(summaries)
    assert summaries[-6:-1] == ["before", "bulk 0", "bulk 1", "bulk 2", "after"]
    assert not any(s.startswith("abandoned") for s in summaries)


def test_work_beside_the_sealing_runs_on_another_thread_and_its_failure_writes_nothing(office):
    """An import's search index is built on a worker thread while its audit rows are hashed: the chain
    is whole afterwards, and a failure of that work fails the transaction."""
    import threading

    rows = [("2026-01-02 10:00:00.000000", "Ana", "create", "client", n, n, f"beside {n}", "{}") for n in range(3)]
    ran_on = []

    def beside(session):
        ran_on.append(threading.get_ident())
        session.connection().exec_driver_sql("SELECT count(*) FROM clients").scalar_one()

    with office.database.write() as session:
        audit_chain.insert_sealed(session.connection(), rows, beside=lambda: beside(session))
    assert len(ran_on) == 1 and ran_on[0] != threading.get_ident()

    def failing():
        raise RuntimeError("the index failed")

    with pytest.raises(RuntimeError, match="the index failed"), office.database.write() as session:
        audit_chain.insert_sealed(session.connection(), [(*row[:6], f"failed {row[4]}", "{}") for row in rows],
                                  beside=failing)
    with office.database.read() as session:
        connection = session.connection()
        verdict = audit_chain.verify(connection)
        summaries = connection.exec_driver_sql("SELECT summary FROM audit_events ORDER BY seq").scalars().all()
    assert verdict.broken is None and summaries[-3:] == ["beside 0", "beside 1", "beside 2"]
