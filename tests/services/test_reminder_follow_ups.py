"""Printing a hearing reminder closes the daily check's "send the hearing reminder" follow-up for that
hearing (53 reminders printed used to leave 53 tasks open), in the same transaction and audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from test_letters import add_case

from kantor_cases.db.models import AuditEvent, FollowUp


def reminder_follow_ups(office) -> dict[int, str]:
    with office.database.read() as session:
        rows = session.scalars(select(FollowUp).where(FollowUp.auto_key.like("hearing-reminder:%"))).all()
        return {int(row.auto_key.split(":")[1]): row.status for row in rows}


def test_a_printed_reminder_closes_its_follow_up_and_no_other(letterhead):
    office = letterhead
    _client, matter_id, hearing_id = add_case(office, days_ahead=10)
    _other_client, _other_matter, other_hearing = add_case(office, given="Rosa", family="Lima",
                                                           a_number="A098765432", days_ahead=12)
    office.follow_ups.raise_automatic(date.today())
    assert reminder_follow_ups(office) == {hearing_id: "open", other_hearing: "open"}

    office.letters.generate("hearing-reminder", matter_id=matter_id, hearing_id=hearing_id)
    assert reminder_follow_ups(office) == {hearing_id: "done", other_hearing: "open"}
    with office.database.read() as session:
        audited = session.scalars(select(AuditEvent.summary).where(AuditEvent.entity == "follow_up")).all()
    assert any("reminder letter was printed" in summary for summary in audited)


def test_a_reminder_batch_closes_the_follow_ups_of_the_hearings_it_printed(letterhead, tmp_path):
    office = letterhead
    hearings = [add_case(office, given=f"Cliente{n}", a_number=f"A0{n}1234567", days_ahead=8 + n)[2]
                for n in range(3)]
    office.follow_ups.raise_automatic(date.today())
    assert set(reminder_follow_ups(office).values()) == {"open"}
    result = office.letters.run_batch("hearing-reminder", hearings_within_days=30, out_dir=tmp_path)
    assert result.count == 3
    assert reminder_follow_ups(office) == dict.fromkeys(hearings, "done")
