"""The audit trail's tamper-evident chain: each row keeps the SHA-256 of its own content and the
previous row's hash, so editing, deleting or inserting a row anywhere but through Kantor Cases shows.

Rows are inserted without their place in the chain (by the ORM, bulk inserts or the CSV import's
driver SQL alike); the commit that wrote them seals them: `install()` registers a hook that notices
any INSERT into audit_events on a connection and, just before that session commits, numbers the
new rows after the chain's head, links and hashes them (`seal`). A writer with thousands of rows (the
CSV import) inserts them already sealed instead (`insert_sealed`), sparing the commit reading them
back and rewriting each; the hash is the same `canonical` document. Appends are serialised: on SQLite
the write transaction already holds the file's write lock; on PostgreSQL `seal` takes a
transaction-scoped advisory lock before it reads the head, so two desks never both extend it. On
PostgreSQL the chain is numbered by `seq`, not `id`: the sequence hands out ids in insert order, and
transactions commit in another.

What a row's hash covers (`canonical`): id, seq, at (to the microsecond), user_name, action, entity,
entity_id, client_id, summary, changes and prev_hash, as a JSON array in that order. What it cannot
show is a row appended at the end with a correct hash, or the newest rows cut off: backups carry the
head at the time they were taken (their own copy of the trail), and `compare_with_backup` finds
where the live chain stopped agreeing with one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import (
    Connection,
    Engine,
    String,
    Table,
    event,
    select,
    text,
    type_coerce,
)
from sqlalchemy.orm import Session

from .models import AuditEvent

GENESIS = "0" * 64
# pg_advisory_xact_lock's key for "extending the audit chain" ("KANTOR" in ASCII).
ADVISORY_LOCK_KEY = 0x4B414E544F52
_UNSEALED = "kantor_audit_unsealed"
# The newest audit row id when this transaction inserted its first: only rows after it are its own.
_BOUNDARY = "kantor_audit_boundary"
# Rows fetched per round trip while verifying a million of them, or sealing an import's.
_VERIFY_BATCH = 20_000
_SEAL_BATCH = 20_000

AUDIT: Table = AuditEvent.__table__  # type: ignore[assignment]
# Rows are read in the driver's own SQL, so `at` comes as the database holds it: SQLite's text is
# hashed as it is (a row edited to hold something that is no time at all must still be read, and be
# found edited), PostgreSQL's timestamp as a datetime.
_AT = type_coerce(AUDIT.c.at, String).label("at")
# json.dumps(list, ensure_ascii=False, separators=(",", ":")), with the C encoder made once rather
# than at every call. It is also what SQLite's json_array() writes for the same integers, texts and
# NULLs, which `verify` has SQLite build (a million rows in seconds); a test holds the two together.
_c_encoder = c_make_encoder(None, None, encode_basestring, None, ":", ",", False, False, True) \
    if c_make_encoder is not None else None


def _dumps(values: Sequence[Any]) -> str:
    if _c_encoder is None:
        return json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return "".join(_c_encoder(values, 0))


def canonical(row_id: int, seq: int, at: datetime | str, user_name: str, action: str, entity: str,
              entity_id: int | None, client_id: int | None, summary: str, changes: str, prev_hash: str) -> bytes:
    """The bytes a row's hash is taken of (a change here changes every stored hash: never change it).
    `at` is SQLite's stored text, which SQLAlchemy always writes as isoformat(" ", "microseconds")."""
    return _dumps([row_id, seq, _iso(at), user_name, action, entity, entity_id, client_id, summary, changes,
                   prev_hash]).encode("utf-8")


def _iso(at: Any) -> Any:
    return at.isoformat(" ", "microseconds") if isinstance(at, datetime) else at


def hash_row(*content: Any) -> str:
    return hashlib.sha256(canonical(*content)).hexdigest()


@dataclass(frozen=True)
class ChainHead:
    """The newest sealed row: what a backup or a printed report records of the trail."""

    seq: int
    row_id: int
    row_hash: str
    at: datetime | None  # None when the row's time is no time at all (it was tampered with)


@dataclass(frozen=True)
class ChainBreak:
    """The first place the chain shows tampering; `row_id` is the row to look at."""

    row_id: int
    seq: int | None
    # "edited", "deleted" or "inserted"
    kind: str
    sentence: str


@dataclass(frozen=True)
class ChainVerdict:
    rows: int
    head: ChainHead | None
    broken: ChainBreak | None


# --- sealing -------------------------------------------------------------------------------------

_COLUMNS = "id, seq, at, user_name, action, entity, entity_id, client_id, summary, changes, prev_hash, row_hash"
_MIDDLE = "at, user_name, action, entity, entity_id, client_id, summary, changes"
# In the driver's own SQL: SQLAlchemy's statement building cost more than these statements.
_HEAD = "SELECT id, seq, row_hash FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)"
# SQLite hands out ids above every row's, one writer at a time: the new rows are the ones after the
# head's, read along the table itself. (A row put below the head by hand stays out, and is reported.)
_NEW_SQLITE = (f"SELECT id, json_array({_MIDDLE}) FROM audit_events WHERE id > ? AND seq IS NULL "
               f"ORDER BY id LIMIT {_SEAL_BATCH}")
# On PostgreSQL another desk's rows may have higher ids than this transaction's and commit first.
_NEW_POSTGRES = (f"SELECT id, {_MIDDLE} FROM audit_events WHERE seq IS NULL AND id > %s ORDER BY id "
                 f"LIMIT {_SEAL_BATCH}")
_SEAL = "UPDATE audit_events SET seq = ?, prev_hash = ?, row_hash = ? WHERE id = ?"


def seal(connection: Connection, after: int | None = None) -> int:
    """Number, link and hash the rows not yet in the chain, in id order; returns how many. Call it in
    the transaction that inserted them, just before it commits. With `after`, only rows with a higher
    id are sealed: a row someone put in by hand before this transaction stays out of the chain, and
    `verify` goes on reporting it, instead of being made part of the trail by the next save.

    A row's canonical document is `[id,seq,<the middle>,"prev_hash"]`, the middle being the JSON of
    at … changes: SQLite writes it (json_array, as `verify` does), PostgreSQL's rows get it here."""
    sqlite = connection.dialect.name == "sqlite"
    if not sqlite:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    newest = connection.exec_driver_sql(_HEAD).first()
    last_id, seq, prev = (newest[0], newest[1], newest[2] or "") if newest else (0, 0, GENESIS)
    if after is not None:
        last_id = max(last_id, after)
    first_id = after or 0

    def new_rows() -> list[tuple[int, str]]:
        if sqlite:
            return [(row[0], row[1][1:-1]) for row in connection.exec_driver_sql(_NEW_SQLITE, (last_id,)).all()]
        return [(row[0], _dumps([_iso(row[1]), *row[2:]])[1:-1])
                for row in connection.exec_driver_sql(_NEW_POSTGRES, (first_id,))]

    sealed = 0
    sha256 = hashlib.sha256
    update_sql = _SEAL if sqlite else _SEAL.replace("?", "%s")
    while rows := new_rows():  # in batches: an import's or the migration's rows never all sit in memory
        batch = []
        for row_id, middle in rows:
            seq += 1
            digest = sha256(f'[{row_id},{seq},{middle},"{prev}"]'.encode()).hexdigest()
            batch.append((seq, prev, digest, row_id))
            prev = digest
        connection.exec_driver_sql(update_sql, batch)
        sealed += len(batch)
        last_id = rows[-1][0]
        if len(rows) < _SEAL_BATCH:
            break
    return sealed


# Rows that go in already sealed (`insert_sealed`): every column, the chain's three among them.
_INSERT_SEALED = ("INSERT INTO audit_events (id, seq, prev_hash, row_hash, at, user_name, action, entity, entity_id, "
                  "client_id, summary, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_INSERT_UNSEALED = ("INSERT INTO audit_events (at, user_name, action, entity, entity_id, client_id, summary, "
                    "changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


def sealing_on() -> bool:
    """Whether commits seal audit rows (`install()`; a benchmark's unsealed baseline switches it off)."""
    return event.contains(Session, "before_commit", _seal_before_commit)


def insert_sealed(connection: Connection, rows: Sequence[Sequence[Any]],
                  beside: Callable[[], object] | None = None) -> None:
    """Insert audit rows already sealed: numbered after the chain's head, linked and hashed as they go
    in, so the commit has none of them to read back and update (an import's thousands). Each row is
    (at, user_name, action, entity, entity_id, client_id, summary, changes), `at` as the database is
    handed it (SQLite's text, PostgreSQL's datetime). For a writer inside a write transaction, late
    in it: on PostgreSQL the advisory lock taken here is held until the commit.

    Rows this transaction wrote earlier are sealed first, so the chain still follows the order rows
    were written in; rows written later are sealed by the commit as usual. A row someone put in by
    hand stays out of the chain, as with `seal`. While sealing is off the rows go in unsealed.

    `beside`, work of this transaction that lets go of the GIL (an import's full-text index, one
    statement), runs on a worker thread while the rows are hashed, which is Python alone: once the
    chain's head is read and before the rows go in, the connection is the worker's."""
    if not rows:
        if beside is not None:
            beside()
        return
    sqlite = connection.dialect.name == "sqlite"
    if not sealing_on():
        if beside is not None:
            beside()
        connection.exec_driver_sql(_INSERT_UNSEALED if sqlite else _INSERT_UNSEALED.replace("?", "%s"),
                                   [tuple(row) for row in rows])
        return
    if not sqlite:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    if connection.info.get(_UNSEALED):
        seal(connection, connection.info.get(_BOUNDARY))
    newest = connection.exec_driver_sql(_HEAD).first()
    seq, prev = (newest[1], newest[2] or "") if newest else (0, GENESIS)
    if sqlite:
        # The write transaction holds the file's lock: the ids SQLite would hand out, taken here.
        first = int(connection.exec_driver_sql("SELECT coalesce(max(id), 0) + 1 FROM audit_events").scalar_one())
        ids: Sequence[int] = range(first, first + len(rows))
    else:
        ids = sorted(connection.exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence('audit_events', 'id')) FROM generate_series(1, %s)",
            (len(rows),)).scalars())
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="beside-sealing") as worker:
        meanwhile = worker.submit(beside) if beside is not None else None
        sealed = []
        sha256 = hashlib.sha256
        for row_id, (at, user_name, action, entity, entity_id, client_id, summary, changes) in zip(ids, rows,
                                                                                                     strict=True):
            seq += 1
            at = _iso(at) if sqlite else at  # SQLite keeps the text hashed, not the driver's own rendering
            digest = sha256(canonical(row_id, seq, at, user_name, action, entity, entity_id, client_id, summary,
                                      changes, prev)).hexdigest()
            sealed.append((row_id, seq, prev, digest, at, user_name, action, entity, entity_id, client_id, summary,
                           changes))
            prev = digest
        if meanwhile is not None:
            meanwhile.result()
    connection.exec_driver_sql(_INSERT_SEALED if sqlite else _INSERT_SEALED.replace("?", "%s"), sealed)
    # The INSERT above was noticed as an unsealed one: nothing this transaction wrote is unsealed now.
    _forget_unsealed(connection)


def _notice_audit_insert(conn: Connection, cursor: Any, statement: str, _parameters: Any,
                         _context: Any, _executemany: bool) -> None:
    if "audit_events" in statement and statement.lstrip()[:6].upper() == "INSERT":
        if _UNSEALED not in conn.info:
            # Read on the driver's connection, before this transaction's first audit row goes in.
            probe = cursor.connection.cursor()
            try:
                probe.execute("SELECT coalesce(max(id), 0) FROM audit_events")
                conn.info[_BOUNDARY] = int(probe.fetchone()[0])
            finally:
                probe.close()
        conn.info[_UNSEALED] = True


def _forget_unsealed(conn: Connection) -> None:
    conn.info.pop(_UNSEALED, None)
    conn.info.pop(_BOUNDARY, None)


def _seal_before_commit(session: Session) -> None:
    session.flush()  # rows added to the session are inserted now, so that they are sealed too
    connection = session.connection()
    after = connection.info.pop(_BOUNDARY, None)
    if connection.info.pop(_UNSEALED, False):
        seal(connection, after)


_installed = False


def install() -> None:
    """Seal audit rows at every commit of every session from now on (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    event.listen(Engine, "before_cursor_execute", _notice_audit_insert)
    event.listen(Engine, "rollback", _forget_unsealed)
    event.listen(Session, "before_commit", _seal_before_commit)


# --- reading and verifying -----------------------------------------------------------------------

def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def head(connection: Connection) -> ChainHead | None:
    row = connection.execute(
        select(AUDIT.c.seq, AUDIT.c.id, AUDIT.c.row_hash, _AT)
        .where(AUDIT.c.seq.is_not(None)).order_by(AUDIT.c.seq.desc()).limit(1)).first()
    return ChainHead(row.seq, row.id, row.row_hash, _as_datetime(row.at)) if row else None


def _walk(rows: Iterable[Sequence[Any]]) -> tuple[int, ChainBreak | None]:
    """How many rows the chain holds, and its first break. Rows come in seq order as (the canonical
    document of the row's content, its stored hash, id, seq, prev_hash)."""
    expected, prev, prev_id = 1, GENESIS, 0
    count = 0
    sha256 = hashlib.sha256
    for document, stored, row_id, seq, prev_hash in rows:
        count += 1
        intact = sha256(document.encode("utf-8")).hexdigest() == stored
        if intact and seq == expected and prev_hash == prev:
            expected, prev, prev_id = expected + 1, stored, row_id
            continue
        if not isinstance(seq, int):
            return count, ChainBreak(row_id, None, "edited",
                                     f"audit row {row_id} was edited after it was written (its place in the chain)")
        if seq != expected:
            missing = f"{seq - expected} row" + ("s" if seq - expected > 1 else "")
            # `seq` of a deletion is the first place missing: what a backup may still hold.
            return count, ChainBreak(row_id, expected, "deleted",
                                     f"{missing} just before audit row {row_id} (#{seq} in the chain) "
                                     f"{'were' if seq - expected > 1 else 'was'} deleted")
        if not intact:
            return count, ChainBreak(row_id, seq, "edited",
                                     f"audit row {row_id} (#{seq} in the chain) was edited after it was written")
        # This row is intact but follows another hash: the one before it was changed and given a new
        # hash of its own.
        return count, ChainBreak(prev_id, seq - 1, "edited",
                                 f"audit row {prev_id} (#{seq - 1} in the chain) was edited after it was "
                                 "written (and given a new hash)")
    return count, None


_IN_CHAIN_ORDER = " FROM audit_events WHERE seq IS NOT NULL ORDER BY seq"


def _in_chain_order(connection: Connection) -> Iterator[Sequence[Any]]:
    """(canonical document, stored hash, id, seq, prev_hash) of every sealed row, in seq order. SQLite
    builds the documents itself (json_array); elsewhere they are built here."""
    streamed = connection.execution_options(stream_results=True)
    if connection.dialect.name == "sqlite":
        result = streamed.exec_driver_sql(
            "SELECT json_array(id, seq, at, user_name, action, entity, entity_id, client_id, summary, changes, "
            f"prev_hash), row_hash, id, seq, prev_hash{_IN_CHAIN_ORDER}")
        while batch := result.fetchmany(_VERIFY_BATCH):
            yield from batch
        return
    result = streamed.exec_driver_sql(f"SELECT {_COLUMNS}{_IN_CHAIN_ORDER}")
    while batch := result.fetchmany(_VERIFY_BATCH):
        for row in batch:
            document = canonical(*row[:11]).decode("utf-8")
            yield document, row[11], row[0], row[1], row[10]


def verify(connection: Connection) -> ChainVerdict:
    """Walk the whole chain: every row's hash recomputed, every link and number checked."""
    rows, broken = _walk(_in_chain_order(connection))
    inserted = connection.execute(select(AUDIT.c.id).where(AUDIT.c.seq.is_(None)).order_by(AUDIT.c.id)
                                  .limit(1)).scalar()
    if inserted is not None and (broken is None or inserted < broken.row_id):
        broken = ChainBreak(inserted, None, "inserted",
                            f"audit row {inserted} was inserted outside Kantor Cases (it is not in the chain)")
    return ChainVerdict(rows, head(connection), broken)


# --- backups -------------------------------------------------------------------------------------



def _backup_has_chain(backup: sqlcipher3.Connection) -> bool:
    columns = {row[1] for row in backup.execute("PRAGMA table_info(audit_events)")}
    return "row_hash" in columns


def backup_head(backup: sqlcipher3.Connection) -> ChainHead | None:
    """The head a backup recorded (None for one from before the chain, or with no audit rows)."""
    if not _backup_has_chain(backup):
        return None
    row = backup.execute("SELECT seq, id, row_hash, at FROM audit_events WHERE seq IS NOT NULL "
                         "ORDER BY seq DESC LIMIT 1").fetchone()
    return ChainHead(row[0], row[1], row[2], _as_datetime(row[3])) if row else None


def _live_hash(connection: Connection, seq: int) -> str | None:
    return connection.execute(select(AUDIT.c.row_hash).where(AUDIT.c.seq == seq)).scalar()


def _backup_hash(backup: sqlcipher3.Connection, seq: int) -> str | None:
    row = backup.execute("SELECT row_hash FROM audit_events WHERE seq = ?", (seq,)).fetchone()
    return row[0] if row else None


def first_difference(connection: Connection, backup: sqlcipher3.Connection, recorded: ChainHead) -> int | None:
    """The first place (seq) where the live chain and a backup's disagree, up to the backup's head;
    None when the live chain still holds the backup's head. A hash covers every row before it, so
    agreement at one place means agreement at every earlier one: a binary search finds it."""
    if _live_hash(connection, recorded.seq) == recorded.row_hash:
        return None
    low, high = 1, recorded.seq  # the answer is in [low, high]
    while low < high:
        middle = (low + high) // 2
        if _live_hash(connection, middle) == _backup_hash(backup, middle):
            low = middle + 1
        else:
            high = middle
    return low


def holds_good_row(backup: sqlcipher3.Connection, seq: int, prev_hash: str) -> bool:
    """Whether a backup holds an intact row at `seq` that follows `prev_hash` (the live chain's hash
    of the row before it): the version of that row from before the tampering."""
    if not _backup_has_chain(backup):
        return False
    row = backup.execute(f"SELECT {_COLUMNS} FROM audit_events WHERE seq = ?", (seq,)).fetchone()
    if row is None:
        return False
    row_id, seq_, at, user_name, action, entity, entity_id, client_id, summary, changes, prev, stored = row
    return prev == prev_hash and hash_row(row_id, seq_, at, user_name, action, entity, entity_id,
                                          client_id, summary, changes, prev) == stored


def live_prev_hash(connection: Connection, seq: int) -> str:
    """The live chain's hash of the row before `seq` (GENESIS before the first)."""
    if seq <= 1:
        return GENESIS
    return _live_hash(connection, seq - 1) or ""


def row_id_at(connection: Connection, seq: int) -> int | None:
    return connection.execute(select(AUDIT.c.id).where(AUDIT.c.seq == seq)).scalar()


def backup_row_id_at(backup: sqlcipher3.Connection, seq: int) -> int | None:
    row = backup.execute("SELECT id FROM audit_events WHERE seq = ?", (seq,)).fetchone()
    return row[0] if row else None


def open_for_comparison(path: Path, key: bytes | None) -> sqlcipher3.Connection:
    from .backup import open_backup

    return open_backup(path, key)
