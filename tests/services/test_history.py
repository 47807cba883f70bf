"""The History an attorney reads (issue 13 item 4): per client and matter, filtered, paged in SQL,
printed with the chain's head hash, and the printout itself audited."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs
from pypdf import PdfReader
from sqlalchemy import insert
from test_letters import add_case

from kantor_cases.db.models import AuditEvent
from kantor_cases.domain.errors import PermissionDenied
from kantor_cases.domain.records import ClientDraft
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
