"""Issue 14 item 3: filing deadlines counted back from a hearing are created with it, move with it and
are kept as history when it is vacated; item 5: an in-absentia order is not appealed."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from agenda_data import add_matter
from sqlalchemy import update

from kantor_cases.db.models import RemovalCase
from kantor_cases.domain.errors import StatusChangeError, ValidationError
from kantor_cases.domain.records import HearingDraft


def hearing_deadlines(office, matter: int, history: bool = False):
    return [record for record in office.deadlines.for_matter(matter, include_history=history)
            if record.trigger_event.startswith("hearing:")]


def at_nine(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time()).replace(hour=9)


def test_a_hearing_sets_its_filing_deadline_which_moves_with_it_and_outlives_it(office):
    matter = add_matter(office)
    # Mon 14 Dec 2026 - 15 days = Sun 29 Nov: file by Fri 27 Nov; the manual's next business day, Mon 30 Nov.
    hearing = office.hearings.add_hearing(matter, HearingDraft(at_nine(date(2026, 12, 14)), "master"))
    [master] = hearing_deadlines(office, matter)
    assert (master.rule_id, master.raw_due, master.due) == ("filing-before-master", date(2026, 11, 29),
                                                            date(2026, 11, 27))
    assert "3.1(c)" in master.rolled and master.ambiguity and "Mon 30 Nov 2026" in master.ambiguity
    assert "Part II, ch. 3.1(b)(1)" in master.citation

    # Moved to Wed 9 Dec: Tue 24 Nov, an open day. The old date is kept, superseded.
    hearing = office.hearings.update_hearing(hearing.id, HearingDraft(at_nine(date(2026, 12, 9)), "master"),
                                             hearing.version)
    [moved] = hearing_deadlines(office, matter)
    assert moved.due == date(2026, 11, 24) and moved.ambiguity is None
    old = next(r for r in hearing_deadlines(office, matter, history=True) if r.id == master.id)
    assert old.superseded and old.superseded_by_id == moved.id

    # Reset as an individual hearing on Wed 20 Jan 2027: 30 days before is Mon 21 Dec 2026.
    hearing = office.hearings.update_hearing(hearing.id, HearingDraft(at_nine(date(2027, 1, 20)), "individual"),
                                             hearing.version)
    [individual] = hearing_deadlines(office, matter)
    assert (individual.rule_id, individual.due) == ("filing-before-individual", date(2026, 12, 21))

    # Vacated: nothing open is left, and every date it ever set is still there.
    office.hearings.delete_hearing(hearing.id, hearing.version)
    assert hearing_deadlines(office, matter) == []
    assert {r.id for r in hearing_deadlines(office, matter, history=True)} == {master.id, moved.id, individual.id}
    with pytest.raises(ValidationError, match="its hearing was vacated"):
        office.deadlines.mark_done(individual.id)


def test_an_edit_that_leaves_the_date_alone_changes_no_deadline_and_a_done_one_stays(office):
    matter = add_matter(office)
    hearing = office.hearings.add_hearing(matter, HearingDraft(at_nine(date(2026, 12, 9)), "master"))
    [deadline] = hearing_deadlines(office, matter)
    hearing = office.hearings.update_hearing(
        hearing.id, HearingDraft(at_nine(date(2026, 12, 9)).replace(hour=13), "master", courtroom="12"),
        hearing.version)
    assert [r.id for r in hearing_deadlines(office, matter)] == [deadline.id]
    office.deadlines.mark_done(deadline.id, "motion filed")
    office.hearings.update_hearing(hearing.id, HearingDraft(at_nine(date(2026, 12, 16)), "master"), hearing.version)
    assert [(r.id, r.done) for r in hearing_deadlines(office, matter, history=True)] == [(deadline.id, True)]


def test_a_detained_respondent_gets_no_counted_deadline_the_court_sets_it(office):
    matter = add_matter(office)
    with office.database.write() as session:
        session.execute(update(RemovalCase).where(RemovalCase.matter_id == matter).values(custody="detained"))
    office.hearings.add_hearing(matter, HearingDraft(at_nine(date(2026, 12, 9)), "individual"))
    assert hearing_deadlines(office, matter, history=True) == []


def test_an_in_absentia_order_cannot_be_appealed_to_the_bia(office):
    matter = office.matters.get(add_matter(office))
    matter = office.matters.change_government_status(matter.id, "master_set", "", matter.version)
    matter = office.matters.change_government_status(matter.id, "in_absentia", "", matter.version,
                                                     decision_date=date(2026, 11, 2))
    assert "bia_appeal" not in matter.allowed_government_next
    with pytest.raises(StatusChangeError, match="motion_pending"):
        office.matters.change_government_status(matter.id, "bia_appeal", "", matter.version)


def test_a_voluntary_departure_date_is_put_on_the_matter_with_the_period_the_judge_granted(office):
    matter = add_matter(office)
    # Fri 2 Jan 2026 + 120 days = Sat 2 May -> Mon 4 May 2026 (Monsalvo Velázquez).
    first = office.deadlines.add_from_rule(matter, "vd-departure", date(2026, 1, 2), period_days=120)
    assert (first.rule_id, first.due, first.raw_due) == ("vd-departure", date(2026, 5, 4), date(2026, 5, 2))
    # The order said 60 days after all: the new date replaces the old one, which stays as history.
    second = office.deadlines.add_from_rule(matter, "vd-departure", date(2026, 1, 2), period_days=60)
    assert second.due == date(2026, 3, 3)
    history = {r.id: r for r in office.deadlines.for_matter(matter)}
    assert history[first.id].superseded_by_id == second.id
    with pytest.raises(ValidationError, match="printed on the RFE or NOID"):
        office.deadlines.add_from_rule(matter, "uscis-rfe-response", date(2026, 9, 1))
