"""The dialect-specific half of search: FTS5 trigram on SQLite, ILIKE on PostgreSQL.

Services decide *what* goes into `search_entries` and how hits are ranked; this module only
answers "which entries contain all these fragments", fast, and rebuilds the index after bulk loads.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Row, text
from sqlalchemy.orm import Session

from .migrations_support import SQLITE_SEARCH_TRIGGERS

_TRIGGERS = ("search_entries_ai", "search_entries_ad", "search_entries_au")


def fts_phrase(token: str) -> str:
    """One token as an FTS5 string literal: quotes doubled, so `AND`, `NEAR(`, `*` or `-` are text."""
    return '"' + token.replace('"', '""') + '"'


ENTRY_COLUMNS = "id, kind, ref_id, client_id, label, detail, text"


def matching_entry_ids(session: Session, fragments: Sequence[str], limit: int, any_of: bool = False) -> list[int]:
    """Ids of search entries whose text contains every fragment (or any, with `any_of`); each
    fragment is at least 3 characters."""
    return [row[0] for row in _matching(session, fragments, limit, any_of, "id")]


def matching_entries(session: Session, fragments: Sequence[str], limit: int,
                     hidden_clients: Collection[int] = ()) -> Sequence[Row[Any]]:
    """The search entries (ENTRY_COLUMNS) whose text contains every fragment, in one statement;
    none of the `hidden_clients` (restricted clients the acting user may not see)."""
    return _matching(session, fragments, limit, False, ENTRY_COLUMNS, hidden_clients)


def _not_hidden(hidden_clients: Collection[int], table: str = "") -> str:
    """The condition leaving out the hidden clients' entries. The ids are the database's own
    integers, written into the statement: a handful of them, and no parameters to bind."""
    ids = ", ".join(str(int(client_id)) for client_id in sorted(hidden_clients))
    return f"({table}client_id IS NULL OR {table}client_id NOT IN ({ids}))"


def _matching(session: Session, fragments: Sequence[str], limit: int, any_of: bool,
              columns: str, hidden_clients: Collection[int] = ()) -> Sequence[Row[Any]]:
    if not fragments:
        return []
    if session.get_bind().dialect.name == "sqlite":
        query = (" OR " if any_of else " ").join(fts_phrase(f) for f in fragments)
        if hidden_clients:
            # Filtered while the index is read, so the LIMIT counts only entries the user may see.
            prefixed = ", ".join(f"e.{column.strip()}" for column in columns.split(","))
            statement = (f"SELECT {prefixed} FROM search_fts JOIN search_entries AS e ON e.id = search_fts.rowid "
                         f"WHERE search_fts MATCH :q AND {_not_hidden(hidden_clients, 'e.')} LIMIT :n")
            return session.execute(text(statement), {"q": query, "n": limit}).all()
        hits = "SELECT rowid FROM search_fts WHERE search_fts MATCH :q LIMIT :n"
        statement = hits if columns == "id" else f"SELECT {columns} FROM search_entries WHERE id IN ({hits})"
        return session.execute(text(statement), {"q": query, "n": limit}).all()
    conditions = (" OR " if any_of else " AND ").join(f"text ILIKE :f{i}" for i in range(len(fragments)))
    if hidden_clients:
        conditions = f"({conditions}) AND {_not_hidden(hidden_clients)}"
    params: dict[str, object] = {f"f{i}": f"%{_like_escape(f)}%" for i, f in enumerate(fragments)}
    params["n"] = limit
    # Through pg_trgm's GIN index (migration 0008), never by reading the table. The planner prices
    # ILIKE at a fraction of its cost, so with the LIMIT it reads from the start for any fragment its
    # statistics call common: "nunez" took 32 ms at 300,000 clients against 4 ms through the index,
    # and a fragment rarer than it guessed reads all of the ~870,000 entries. Off for this one
    # statement; the rest of the transaction plans as usual.
    previous = session.execute(text("SELECT current_setting('enable_seqscan'), "
                                    "set_config('enable_seqscan', 'off', true)")).scalar_one()
    rows = session.execute(text(f"SELECT {columns} FROM search_entries WHERE {conditions} LIMIT :n"), params).all()
    session.execute(text("SELECT set_config('enable_seqscan', :previous, true)"), {"previous": previous})
    return rows


def _like_escape(fragment: str) -> str:
    return fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@contextmanager
def bulk_loading(connection: Connection) -> Iterator[None]:
    """Fill search_entries without per-row index upkeep, then build the FTS index once at the end."""
    if connection.dialect.name != "sqlite":
        yield
        return
    for trigger in _TRIGGERS:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    try:
        yield
    finally:
        connection.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        for statement in SQLITE_SEARCH_TRIGGERS:
            connection.exec_driver_sql(statement)


@contextmanager
def appending(connection: Connection) -> Iterator[Callable[[], None] | None]:
    """Add many search entries in one go: the FTS index takes them in a single statement at the end
    (one index segment) instead of one trigger call, and one segment, per row. Same transaction.

    Yields the call that indexes the entries added so far, for a caller who has other work to do
    meanwhile (it is one statement, during which SQLite lets go of the GIL); otherwise it runs at
    the end. None on PostgreSQL, whose index keeps itself."""
    if connection.dialect.name != "sqlite":
        yield None
        return
    last_id = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM search_entries").scalar_one()
    for trigger in _TRIGGERS:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")

    def index() -> None:
        nonlocal last_id
        connection.exec_driver_sql(
            "INSERT INTO search_fts(rowid, text) SELECT id, text FROM search_entries WHERE id > ?", (last_id,))
        last_id = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM search_entries").scalar_one()

    try:
        yield index
        index()
    finally:
        for statement in SQLITE_SEARCH_TRIGGERS:
            connection.exec_driver_sql(statement)
