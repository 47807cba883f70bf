"""Search on PostgreSQL asks the trigram index even for a fragment the planner thinks common: with
its LIMIT, the planner would otherwise read search_entries from the start (at 300,000 clients
"nunez" took 32 ms that way, 4 ms through the index, and a rarer fragment reads the whole table)."""

from __future__ import annotations

import pytest
from postgres_support import emptied_office, needs_postgres
from sqlalchemy import text

from kantor_cases.db import search as backend

pytestmark = needs_postgres


@pytest.fixture
def office_with_common_name():
    """20,000 search entries, half of them Núñez, with the planner's statistics taken."""
    office = emptied_office()
    try:
        with office.database.write() as session:
            session.execute(text(
                "INSERT INTO search_entries (kind, ref_id, client_id, label, detail, text) "
                "SELECT 'client', n, NULL, 'someone', '', CASE WHEN n % 2 = 0 THEN 'José Núñez nunez zqJSNNS' "
                "ELSE 'Ana Ruiz zqANRS' END || ' ' || n FROM generate_series(1, 20000) AS n"))
        with office.database.engine.connect() as connection:
            connection.execute(text("ANALYZE search_entries"))
            connection.commit()
        yield office
    finally:
        office.close()


def test_a_common_fragment_is_found_through_the_trigram_index_not_by_reading_the_table(office_with_common_name):
    def scans(session):
        # This server process's counts not yet handed in (earlier transactions' too, until it does).
        return session.execute(text(
            "SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'search_entries'")).one()

    with office_with_common_name.database.read() as session:
        before = scans(session)
        ids = backend.matching_entry_ids(session, ["nunez"], 200)
        after = scans(session)
        planner_setting = session.execute(text("SELECT current_setting('enable_seqscan')")).scalar_one()
    assert len(ids) == 200
    assert (after[0] - before[0], after[1] - before[1]) == (0, 1)  # no sequential scan, one index scan
    assert planner_setting == "on"  # the rest of the transaction plans as usual


def test_the_search_box_finds_the_common_name_on_postgres(office_with_common_name):
    hits = office_with_common_name.search.search("Núñez", limit=20)
    assert len(hits) == 20 and all(hit.name == "someone" for hit in hits)
