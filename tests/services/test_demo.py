"""The demo office: the rows the fast generator writes are the rows the services would write."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import select
from sqlalchemy.orm import Session

from kantor_cases.db.models import Client, Matter, RelatedPerson, SearchEntry
from kantor_cases.domain import names
from kantor_cases.domain.calendars import get_calendar
from kantor_cases.domain.clock import FixedClock
from kantor_cases.domain.errors import KantorError
from kantor_cases.domain.pd_regimes import regime_on
from kantor_cases.domain.records import HearingDraft
from kantor_cases.services import demo, locations, search
from kantor_cases.services.demo import generate_demo
from kantor_cases.services.office import Office

TODAY = date(2026, 3, 2)
PINNED = FixedClock(datetime.combine(TODAY, time(9)))


def _open(path: Path) -> Office:
    return Office.open(locations.resolve(str(path)), "Ana")


def _content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, minus the columns stamped with the wall-clock time of generation."""
    skip = {"created_at", "updated_at", "at", "last_activity_at"}
    connection = sqlcipher3.connect(str(path))
    try:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_fts%'")]
        content = {}
        for table in tables:
            columns = [r[1] for r in connection.execute(f"PRAGMA table_info({table})") if r[1] not in skip]
            content[table] = connection.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid").fetchall()
        return content
    finally:
        connection.close()


def _schema(path: Path) -> list[tuple[str, str]]:
    connection = sqlcipher3.connect(str(path))
    try:
        return connection.execute("SELECT type, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                                  "AND sql IS NOT NULL ORDER BY name").fetchall()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def demo_office(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    office = _open(path)
    generate_demo(office.database, clients=600, seed=5, clock=PINNED)
    yield office, path
    office.close()


def test_the_same_seed_gives_the_same_office(demo_office, tmp_path):
    _, first = demo_office
    office = _open(tmp_path / "again.sqlite3")
    try:
        report = generate_demo(office.database, clients=600, seed=5, clock=PINNED)
    finally:
        office.close()
    assert report.clients == 600 and report.matters >= 600
    assert _content(tmp_path / "again.sqlite3") == _content(first)


def test_indexes_and_search_triggers_are_all_back(demo_office, tmp_path):
    _, path = demo_office
    empty = _open(tmp_path / "empty.sqlite3")
    empty.close()
    assert _schema(path) == _schema(tmp_path / "empty.sqlite3")


def test_search_entries_are_what_the_services_would_write(demo_office):
    office, _ = demo_office
    with Session(office.database.engine) as session:
        stored = {(e.kind, e.ref_id): (e.client_id, e.label, e.detail, e.text)
                  for e in session.scalars(select(SearchEntry))}
        clients = {c.id: c for c in session.scalars(select(Client))}
        expected = {}
        for client in clients.values():
            entry = search.client_entry(client)
            expected[("client", client.id)] = (entry["client_id"], entry["label"], entry["detail"], entry["text"])
        for person in session.scalars(select(RelatedPerson)):
            owner = clients[person.client_id]
            entry = search.related_entry(person, names.full_name(
                owner.given_name, owner.middle_name, owner.family_name, owner.second_family_name))
            expected[("related", person.id)] = (entry["client_id"], entry["label"], entry["detail"], entry["text"])
        # The matter entries as the matter service rebuilds them after an edit (then thrown away).
        for matter in session.scalars(select(Matter)):
            search.reindex_matter(session, matter)
        session.flush()
        for entry in session.scalars(select(SearchEntry).where(SearchEntry.kind == "matter")):
            expected[("matter", entry.ref_id)] = (entry.client_id, entry.label, entry.detail, entry.text)
        session.rollback()
    for key in [k for k in stored if k[0] == "party"]:
        stored.pop(key)
    assert stored == expected


def test_derived_name_columns_match_the_client_service(demo_office):
    office, _ = demo_office
    with Session(office.database.engine) as session:
        for client in session.scalars(select(Client)):
            full = names.full_name(client.given_name, client.middle_name, client.family_name,
                                   client.second_family_name)
            assert client.name_folded == names.fold(full)
            assert client.sort_name == names.sort_name(client.given_name, client.family_name,
                                                       client.second_family_name)
            assert client.family_folded == names.fold(
                " ".join(p for p in (client.family_name, client.second_family_name) if p))


def test_dates_read_back_as_dates_and_the_office_is_searchable(demo_office):
    office, _ = demo_office
    client = office.clients.get(1)
    assert isinstance(client.date_of_birth, date) and isinstance(client.created_at, datetime)
    hits = office.search.search(client.family_name, limit=50)
    assert any(hit.kind == "client" for hit in hits)
    assert office.check() == []


def test_a_failed_generation_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CHUNK", 100)
    path = tmp_path / "failed.sqlite3"
    office = _open(path)

    def cancel(step: str, fraction: float) -> None:
        if fraction > 0.4:
            raise KantorError("cancelled")

    try:
        with pytest.raises(KantorError):
            generate_demo(office.database, clients=300, seed=2, progress=cancel)
        assert office.clients.count() == 0
        assert office.search.search("garcia") == []
    finally:
        office.close()
    empty = _open(tmp_path / "empty.sqlite3")
    empty.close()
    assert _schema(path) == _schema(tmp_path / "empty.sqlite3")



def test_clients_in_removal_proceedings_have_an_a_number(demo_office):
    """EOIR gives every respondent an A-number; a reminder for a hearing prints it."""
    _, path = demo_office
    connection = sqlcipher3.connect(str(path))
    try:
        missing = connection.execute(
            "SELECT count(*) FROM clients c WHERE c.a_number IS NULL AND EXISTS "
            "(SELECT 1 FROM matters m WHERE m.client_id = c.id AND m.kind = 'removal')").fetchone()[0]
        without = connection.execute("SELECT count(*) FROM clients WHERE a_number IS NULL").fetchone()[0]
    finally:
        connection.close()
    assert missing == 0
    assert without > 0, "other clients may have none (a new benefits client often has no A-number)"


def test_demo_pd_requests_carry_the_regime_in_force_on_their_date(demo_office):
    """Issue 14 item 11: a request's regime is the guidance in force when it went in (a draft: today's)."""
    _, path = demo_office
    connection = sqlcipher3.connect(str(path))
    try:
        requests = connection.execute("SELECT regime, submitted_on, status, status_changed_on FROM pd_requests"
                                      ).fetchall()
    finally:
        connection.close()
    assert requests
    for regime, submitted, status, changed in requests:
        on = date.fromisoformat(submitted) if submitted else TODAY
        in_force = regime_on(on)
        assert in_force is not None and in_force.id == regime, (regime, submitted, status)
        assert submitted is None or changed >= submitted
    assert len({regime for regime, *_ in requests}) >= 2, "older requests went in under earlier guidance"


def test_demo_detained_clients_and_only_they_are_heard_at_the_detained_court(demo_office):
    _, path = demo_office
    connection = sqlcipher3.connect(str(path))
    try:
        rows = connection.execute(
            "SELECT c.detained, co.detained, r.custody FROM removal_cases r JOIN matters m ON m.id = r.matter_id "
            "JOIN clients c ON c.id = m.client_id JOIN courts co ON co.id = r.court_id").fetchall()
        hearing_courts = connection.execute(
            "SELECT c.detained, co.detained FROM hearings h JOIN matters m ON m.id = h.matter_id "
            "JOIN clients c ON c.id = m.client_id JOIN courts co ON co.id = h.court_id").fetchall()
    finally:
        connection.close()
    assert any(client for client, _court, _custody in rows)
    for client, court, custody in rows:
        assert bool(client) == bool(court) == (custody == "detained")
    assert all(bool(client) == bool(court) for client, court in hearing_courts)


def test_demo_hearings_fall_on_days_the_courts_sit(demo_office):
    _, path = demo_office
    connection = sqlcipher3.connect(str(path))
    try:
        days = [date.fromisoformat(row[0][:10]) for row in connection.execute("SELECT starts_at FROM hearings")]
    finally:
        connection.close()
    federal = get_calendar("federal")
    assert days and all(federal.is_business_day(day) for day in days)


def test_a_demo_office_prints_its_detained_reminders(demo_office):
    office, path = demo_office
    connection = sqlcipher3.connect(str(path))
    try:
        hearing_id = connection.execute(
            "SELECT h.id FROM hearings h JOIN removal_cases r ON r.matter_id = h.matter_id "
            "WHERE r.custody = 'detained' LIMIT 1").fetchone()[0]
    finally:
        connection.close()
    plan = office.letters.plan("hearing-reminder", hearing_id=hearing_id)
    assert not plan.problems and "c/o Adelanto ICE Processing Center" in plan.fields["recipient.address"]


def test_the_demo_office_has_the_deadlines_its_hearings_and_decisions_set_and_the_services_own_them(tmp_path):
    office = _open(tmp_path / "demo.sqlite3")
    generate_demo(office.database, clients=600, seed=5, clock=PINNED)
    ruth = Office(office.database, office.locations, "Ruth Kantor", PINNED)
    try:
        # The Deadlines screen of a demo office is not empty: filing deadlines and running appeal clocks.
        upcoming = ruth.deadlines.upcoming_page(90, 0, 500)
        rules = {row.record.rule_id for row in upcoming}
        assert {"filing-before-master", "bia-appeal"} <= rules
        # Past ones were mostly kept, some late, a few missed: the "deadlines kept" report has figures.
        connection = sqlcipher3.connect(str(tmp_path / "demo.sqlite3"))
        try:
            kept, late, missed = connection.execute(
                "SELECT sum(done_at IS NOT NULL AND date(done_at) <= due_on), "
                "sum(done_at IS NOT NULL AND date(done_at) > due_on), sum(done_at IS NULL) "
                "FROM deadlines WHERE due_on < ?", (TODAY.isoformat(),)).fetchone()
            hearing_id, matter_id, starts_at = connection.execute(
                "SELECT h.id, h.matter_id, h.starts_at FROM hearings h JOIN deadlines d "
                "ON d.trigger_event = 'hearing:' || h.id WHERE d.done_at IS NULL AND h.starts_at > ? LIMIT 1",
                (TODAY.isoformat(),)).fetchone()
        finally:
            connection.close()
        assert kept > late > 0 and missed > 0
        # Moving a demo hearing moves its deadline: the service recognises the demo's row as the hearing's.
        before = [d for d in ruth.deadlines.for_matter(matter_id) if d.trigger_event == f"hearing:{hearing_id}"]
        assert len(before) == 1 and before[0].superseded_at is None
        moved = datetime.fromisoformat(starts_at) + timedelta(days=7)
        with office.database.read() as session:
            from kantor_cases.db.models import Hearing

            row = session.get(Hearing, hearing_id)
            draft = HearingDraft(starts_at=moved, hearing_type=row.hearing_type, court_id=row.court_id,
                                 courtroom=row.courtroom, judge=row.judge, special_setting=True)
            version = row.version
        ruth.hearings.update_hearing(hearing_id, draft, version)
        after = [d for d in ruth.deadlines.for_matter(matter_id) if d.trigger_event == f"hearing:{hearing_id}"]
        assert len(after) == 2 and sum(d.superseded_at is None for d in after) == 1
    finally:
        office.close()
