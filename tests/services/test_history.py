"""The History an attorney reads (issue 13 item 4): per client and matter, filtered, paged in SQL,
printed with the chain's head hash, and the printout itself audited."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest
from agenda_data import add_hearing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs
from pypdf import PdfReader
from sqlalchemy import delete, insert
from test_letters import add_case, court_day

from kantor_cases.db.models import AuditEvent, Hearing
from kantor_cases.domain.errors import NotFoundError, PermissionDenied
from kantor_cases.domain.records import ClientDraft, HearingDraft, MatterDraft, RemovalCaseDraft
from kantor_cases.letters.history_report import HistoryReport, history_pdf
from kantor_cases.services.history import HistoryFilter
from kantor_cases.services.office import Office


def _text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_a_clients_history_lists_a_letter_printed_and_an_export(letterhead, tmp_path):
    office = letterhead
    client_id, matter_id, _ = add_case(office)
    office.letters.generate("hearing-reminder", matter_id=matter_id)
    office.history.export_pdf(HistoryFilter(client_id=client_id), tmp_path / "history.pdf")

    rows = office.history.page(HistoryFilter(client_id=client_id), 0, 50)
    assert rows[0].action == "export" and "history of client" in rows[0].summary
    assert any(row.entity == "letter" and row.action == "create" for row in rows)
    # The matter's History holds the letter and the hearing, not the client's own edits.
    matter_rows = office.history.page(HistoryFilter(matter_id=matter_id), 0, 50)
    assert {row.entity for row in matter_rows} >= {"matter", "hearing", "letter"}
    assert "client" not in {row.entity for row in matter_rows}


def test_the_history_filters_by_user_and_by_date(office):
    client_id = office.clients.create(ClientDraft(given_name="Olga", family_name="Ivanova")).id
    beto = Office(office.database, office.locations, "Beto", office.clock)
    client = beto.clients.get(client_id)
    beto.clients.update(client_id, replace(client.draft(), city="Glendale"), client.version)
    everyone = HistoryFilter(client_id=client_id)
    assert office.history.users(everyone) == ["Ana", "Beto"]
    only_beto = office.history.page(HistoryFilter(client_id=client_id, user="Beto"), 0, 50)
    assert [row.user_name for row in only_beto] == ["Beto"] and "Glendale" in only_beto[0].sentence()
    today = office.clock.today()
    assert office.history.count(HistoryFilter(client_id=client_id, since=today, until=today)) == 2
    assert office.history.count(HistoryFilter(client_id=client_id, until=today - timedelta(days=1))) == 0


def test_the_pdf_prints_names_with_accents_and_markup_characters_literally(letterhead, tmp_path):
    office = letterhead
    client_id, _, _ = add_case(office, given="Thảo <b>&", family="Nguyễn & Sons")
    path = office.history.export_pdf(HistoryFilter(client_id=client_id), tmp_path / "h.pdf")
    text = _text(path)
    assert f"History of client #{client_id}" in text
    assert "Thảo <b>& Nguyễn & Sons" in text
    assert "Law Offices of Miriam R. Kantor" in text and "Ana" in text
    head = office.history.trail_state().head_hash
    assert head is not None
    # The head printed is the one before the export's own row (which is sealed after it).
    assert head not in text.replace("\n", "")
    assert office.history.page(HistoryFilter(client_id=client_id), 0, 1)[0].action == "export"


def test_the_pdf_carries_the_chain_head_at_that_moment(office, tmp_path):
    office.clients.create(ClientDraft(given_name="Olga", family_name="Ivanova"))
    before = office.history.trail_state()
    path = office.history.export_pdf(HistoryFilter(), tmp_path / "office.pdf")
    assert before.head_hash and before.head_hash in _text(path).replace("\n", "")


def test_a_staff_user_cannot_read_the_office_wide_trail(office):
    office.settings.save_user("Ruth", "R", "staff")
    ruth = Office(office.database, office.locations, "Ruth", office.clock)
    with pytest.raises(PermissionDenied, match="Staff cannot see the whole office's audit trail"):
        ruth.history.count(HistoryFilter())
    with pytest.raises(PermissionDenied):
        ruth.history.trail_state()
    assert office.history.count(HistoryFilter()) > 0  # Ana: the office's first user is its administrator
    assert office.history.trail_state().ok


def test_a_large_history_reads_a_count_and_one_page(office):
    client_id = 424242
    rows = [{"at": office.clock.now(), "user_name": "Ana", "action": "view", "entity": "client",
             "entity_id": client_id, "client_id": client_id, "summary": f"opened the client ({i})", "changes": "{}"}
            for i in range(5000)]
    with office.database.write() as session:
        session.execute(insert(AuditEvent), rows)
    where = HistoryFilter(client_id=client_id)
    assert office.history.count(where) == 5000
    page = office.history.page(where, 0, 200)
    assert len(page) == 200 and page[0].summary == "opened the client (4999)"
    assert office.history.page(where, 4900, 200)[-1].summary == "opened the client (0)"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=hs.text(hs.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
       what=hs.text(max_size=80))
def test_any_text_in_a_history_row_renders(name, what):
    """The rows are outside input (names, notes, summaries): whatever they hold, the PDF renders."""
    report = HistoryReport("History of client #1", name, "Firm & <Co>", datetime(2026, 6, 1, 9, 0), "Ana",
                           "all users, all dates", "ab" * 32, 7, None, [("01 Jun 2026 09:00", "Ana", "update", what)])
    assert history_pdf(report).startswith(b"%PDF")


# --- a matter's History keeps the parts deleted from it (issue 13) ------------------------------------------


def _about(rows, entity: str, entity_id: int) -> list[str]:
    """The actions of the History rows about one part, oldest first."""
    return [row.action for row in reversed(rows) if row.entity == entity and row.entity_id == entity_id]


def test_a_matters_history_still_shows_a_hearing_deleted_from_it(office):
    client_id, matter_id, hearing_id = add_case(office)
    other_matter = office.matters.create(client_id, MatterDraft(kind="removal", removal=RemovalCaseDraft(
        custody="released"))).id
    [hearing] = office.hearings.hearings_for_client(client_id)
    edited = office.hearings.update_hearing(hearing_id, HearingDraft(hearing.starts_at, hearing.hearing_type,
                                                                     courtroom="Courtroom 7"), hearing.version)
    office.hearings.delete_hearing(hearing_id, edited.version)

    matter_history = office.history.page(HistoryFilter(matter_id=matter_id), 0, 200)
    assert _about(matter_history, "hearing", hearing_id) == ["create", "update", "delete"]
    deleted = next(row for row in matter_history if row.entity == "hearing" and row.action == "delete")
    assert deleted.user_name == "Ana" and "removed the hearing" in deleted.sentence()
    assert office.history.count(HistoryFilter(matter_id=matter_id)) == len(matter_history)
    assert office.history.count(HistoryFilter(matter_id=matter_id, kind="delete")) == 1
    assert _about(office.history.page(HistoryFilter(matter_id=other_matter), 0, 200), "hearing", hearing_id) == []
    # The client's History shows them as before.
    client_history = office.history.page(HistoryFilter(client_id=client_id), 0, 200)
    assert _about(client_history, "hearing", hearing_id) == ["create", "update", "delete"]


def test_a_follow_up_withdrawn_from_a_matter_stays_in_its_history(office):
    _, matter_id, _ = add_case(office, hearing=False)
    today = office.clock.today()
    repeating = office.follow_ups.create(today, "Call the client", matter_id=matter_id, recurrence_days=7)
    done, following = office.follow_ups.mark_done(repeating.id, "called", repeating.version, today=today)
    office.follow_ups.reopen(done.id, done.version, next_id=following.id)  # the next occurrence is withdrawn

    rows = office.history.page(HistoryFilter(matter_id=matter_id), 0, 200)
    assert _about(rows, "follow_up", following.id)[-1] == "delete"
    assert "create" in _about(rows, "follow_up", following.id)


def test_a_hearing_id_used_again_after_a_delete_shows_each_hearing_on_its_own_matter(office):
    """SQLite gives the newest row's id again once it is deleted: the hearing deleted from one
    matter and the next one added to another share an id, and each matter shows only its own."""
    first_client, first_matter, first = add_case(office)
    _, second_matter, _ = add_case(office, given="Rosa", a_number="A098765432", hearing=False)
    [hearing] = office.hearings.hearings_for_client(first_client)
    office.hearings.delete_hearing(first, hearing.version)
    again = office.hearings.add_hearing(second_matter, HearingDraft(
        datetime.combine(court_day(20), time(9, 0)), "master")).id
    if again != first:
        pytest.skip("this database does not give a deleted row's id again")
    assert _about(office.history.page(HistoryFilter(matter_id=first_matter), 0, 200), "hearing", first) == [
        "create", "delete"]
    assert _about(office.history.page(HistoryFilter(matter_id=second_matter), 0, 200), "hearing", first) == [
        "create"]


def test_a_hearing_deleted_before_deletes_named_their_matter_shows_when_the_client_has_one_matter(office):
    """Delete rows written before this change carry no matter_id: a hearing's is placed on the
    client's only matter; with two matters it stays on the client's History alone."""
    def old_hearing(client_id: int, matter_id: int) -> int:
        hearing_id = add_hearing(office, matter_id, datetime(2026, 9, 1, 9, 0))
        with office.database.write() as session:
            for action in ("create", "delete"):
                session.execute(insert(AuditEvent), [{
                    "at": office.clock.now(), "user_name": "Ana", "action": action, "entity": "hearing",
                    "entity_id": hearing_id, "client_id": client_id, "summary": f"{action}d a hearing",
                    "changes": "{}"}])
            session.execute(delete(Hearing).where(Hearing.id == hearing_id))
        return hearing_id

    one_matter_client, only_matter, _ = add_case(office, hearing=False)
    first = old_hearing(one_matter_client, only_matter)
    assert _about(office.history.page(HistoryFilter(matter_id=only_matter), 0, 50), "hearing", first) == [
        "create", "delete"]

    two_matter_client, one, _ = add_case(office, given="Rosa", a_number="A098765432", hearing=False)
    other = office.matters.create(two_matter_client, MatterDraft(kind="removal", removal=RemovalCaseDraft(
        custody="released"))).id
    second = old_hearing(two_matter_client, one)
    for matter_id in (one, other):
        assert _about(office.history.page(HistoryFilter(matter_id=matter_id), 0, 50), "hearing", second) == []
    assert _about(office.history.page(HistoryFilter(client_id=two_matter_client), 0, 50), "hearing", second) == [
        "create", "delete"]


def test_a_restricted_clients_history_is_not_there_for_a_user_not_named_on_them(office):
    client_id, matter_id, _ = add_case(office)
    office.settings.save_user("Sam", "S", "staff")
    office.settings.save_user("Paz", "P", "staff")
    office.clients.restrict(client_id, ["Paz"])
    sam = Office(office.database, office.locations, "Sam", office.clock)
    for where in (HistoryFilter(client_id=client_id), HistoryFilter(matter_id=matter_id)):
        with pytest.raises(NotFoundError, match="does not exist"):
            sam.history.count(where)
        with pytest.raises(NotFoundError):
            sam.history.page(where, 0, 50)
    paz = Office(office.database, office.locations, "Paz", office.clock)
    assert paz.history.count(HistoryFilter(client_id=client_id)) > 0
    assert paz.history.count(HistoryFilter(matter_id=matter_id)) > 0
