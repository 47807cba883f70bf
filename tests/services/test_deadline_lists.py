"""The deadline lists (issue 15): a matter's and a client's deadlines, and the office's next
30 / 60 / 90 days with exact counts, filtered by attorney, without restricted clients, printed and
exported without overwriting a file."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

import pytest
from agenda_data import add_client, add_matter, add_user
from hypothesis import given, settings
from hypothesis import strategies as hs

from kantor_cases.domain.clock import FixedClock
from kantor_cases.services.deadlines import rule_version, status_text
from kantor_cases.services.output_files import TargetRefused

TODAY = date(2026, 12, 7)


@pytest.fixture
def office(db_path):
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    opened = Office.open(locations.resolve(str(db_path)), "Ana", clock=FixedClock(datetime(2026, 12, 7, 9, 0)))
    yield opened
    opened.close()


def spread(office, matter: int, offsets: list[int], assignee: str | None = None) -> None:
    for n, days in enumerate(offsets):
        office.deadlines.add_manual(matter, f"Task {n}", TODAY + timedelta(days=days), assignee=assignee)


def test_the_office_list_counts_exactly_for_30_60_90_days_overdue_first(office):
    matter = add_matter(office)
    spread(office, matter, [-3, 0, 1, 30, 31, 60, 61, 90, 91, 400])
    done = office.deadlines.add_manual(matter, "Done already", TODAY + timedelta(days=5))
    office.deadlines.mark_done(done.id, "")
    assert [office.deadlines.upcoming_count(days) for days in (30, 60, 90)] == [4, 6, 8]
    page = office.deadlines.upcoming_page(90, 0, 200)
    assert [row.record.due for row in page] == sorted(row.record.due for row in page)
    assert page[0].record.due == TODAY - timedelta(days=3) and page[0].client_name == "María García López"
    assert [row.record.title for row in office.deadlines.upcoming_page(90, 2, 2)] == ["Task 2", "Task 3"]


def test_the_office_list_filters_by_attorney_and_leaves_out_restricted_clients(office):
    add_user(office, "Rosa Kantor")
    add_user(office, "Paz Staff", "staff")
    open_matter = add_matter(office)
    secret_client = add_client(office, "Secret", "Person", "")
    secret = add_matter(office, client_id=secret_client)
    spread(office, open_matter, [1, 2], assignee="Rosa Kantor")
    spread(office, open_matter, [3], assignee="Ana")
    spread(office, secret, [4], assignee="Rosa Kantor")
    office.clients.restrict(secret_client, [])
    assert office.deadlines.upcoming_count(30, attorney="Rosa Kantor") == 3
    assert "Rosa Kantor" in office.deadlines.assignees()
    office.user = "Paz Staff"
    assert office.deadlines.upcoming_count(30) == 3
    assert office.deadlines.upcoming_count(30, attorney="Rosa Kantor") == 2
    assert all(row.client_id != secret_client for row in office.deadlines.upcoming_page(30, 0, 50))


def test_a_clients_deadlines_gather_every_matter_open_ones_first(office):
    client = add_client(office)
    first, second = add_matter(office, client_id=client), add_matter(office, client_id=client)
    spread(office, first, [10])
    spread(office, second, [5])
    done = office.deadlines.add_manual(first, "Filed", TODAY + timedelta(days=1))
    office.deadlines.mark_done(done.id, "sent")
    assert office.deadlines.count_for(client_id=client) == 3
    rows = office.deadlines.page_for(0, 50, client_id=client)
    assert [row.record.title for row in rows] == ["Task 0", "Task 0", "Filed"]
    assert {row.record.matter_id for row in rows} == {first, second}
    assert office.deadlines.count_for(matter_id=second) == 1


def test_csv_and_pdf_are_written_formula_safe_and_never_over_a_file(office, tmp_path):
    matter = add_matter(office)
    office.deadlines.add_manual(matter, "=HYPERLINK(\"http://x\")", TODAY + timedelta(days=3))
    office.deadlines.record_event(matter, "ij_decision", date(2026, 12, 4))
    target = tmp_path / "deadlines.csv"
    assert office.deadlines.export_csv(90, target) == 4  # by hand, the appeal and the two motions
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["Due", "Deadline", "Client"]
    titles = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://x\")" in titles
    appeal = next(row for row in rows[1:] if row[4] == "8 CFR 1003.38(b)")
    assert appeal[0] == "2027-01-04" and appeal[5]
    with pytest.raises(TargetRefused, match="already exists"):
        office.deadlines.export_csv(90, target)
    pdf = tmp_path / "deadlines.pdf"
    assert office.deadlines.export_pdf(30, pdf) == 3  # not the motion to reopen, due in March
    assert pdf.read_bytes().startswith(b"%PDF")
    before = pdf.read_bytes()
    with pytest.raises(TargetRefused):
        office.deadlines.export_pdf(30, pdf)
    assert pdf.read_bytes() == before
    assert office.deadlines.export_pdf(30, pdf, force=True) == 3


def test_a_computed_deadline_shows_its_rule_version(office):
    matter = add_matter(office)
    records = office.deadlines.record_event(matter, "ij_decision", date(2026, 12, 4))
    appeal = next(r for r in records if r.rule_id == "bia-appeal")
    assert rule_version(appeal)
    assert "\n" not in rule_version(appeal)


@settings(max_examples=60, deadline=None)
@given(hs.integers(min_value=-400, max_value=400))
def test_status_text_says_overdue_exactly_when_the_due_date_has_passed(days):
    from kantor_cases.domain.agenda_records import DeadlineRecord

    due = TODAY + timedelta(days=days)
    record = DeadlineRecord(1, 1, "", "x", "manual", None, due, None, None, None, "", "", "", None, "", "Ana",
                            None, "", "", None, None, 1)
    text = status_text(record, TODAY)
    assert text.startswith("overdue") == (days < 0)
    assert (text == "due today") == (days == 0)


def test_one_attorneys_count_leaves_out_deadlines_replaced_by_a_new_trigger_date(office):
    add_user(office, "Rosa Kantor")
    matter = add_matter(office)
    office.deadlines.record_event(matter, "ij_decision", date(2026, 12, 1), assignee="Rosa Kantor")
    office.deadlines.change_trigger(matter, "ij_decision", date(2026, 12, 4))
    assert len(office.deadlines.for_matter(matter)) == 6  # three kept as history
    assert office.deadlines.upcoming_count(90, attorney="Rosa Kantor") == 3 == office.deadlines.upcoming_count(90)
    assert len(office.deadlines.upcoming_page(90, 0, 50, attorney="Rosa Kantor")) == 3
