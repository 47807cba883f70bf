"""Status updates say about hearings and deadlines only what the records hold (issue 14 item 6)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from test_letters import add_case, court_day, flat, text_of

from kantor_cases.db.models import Deadline
from kantor_cases.domain.errors import ValidationError


def _move(office, matter_id, *statuses, decision_date=None):
    for status in statuses:
        matter = office.matters.get(matter_id)
        office.matters.change_government_status(matter_id, status, "", matter.version, decision_date=decision_date)


def _update_text(office, matter_id, language="en"):
    letter = office.letters.generate("status-update", matter_id=matter_id, language=language)
    return flat(text_of(Path(letter.file_path).read_bytes()))


def test_a_closed_case_with_a_hearing_still_set_says_so_and_tells_the_client_to_attend(letterhead):
    office = letterhead
    _, matter_id, _ = add_case(office, days_ahead=12)
    _move(office, matter_id, "master_set", "admin_closed")
    hearing_day = court_day(12)

    text = _update_text(office, matter_id)
    assert "administratively closed" in text
    assert "No hearing" not in text and "No hearings" not in text
    assert "still show a hearing set for you" in text and f"{hearing_day:%B} {hearing_day.day}" in text
    assert "Attend this hearing" in text

    spanish = _update_text(office, matter_id, "es")
    assert "todavía muestran una audiencia fijada" in spanish and "Asista a esa audiencia" in spanish
    assert "no hay audiencias" not in spanish.lower()


def test_a_closed_case_without_a_hearing_says_none_is_set(letterhead):
    office = letterhead
    _, matter_id, _ = add_case(office, hearing=False)
    _move(office, matter_id, "master_set", "admin_closed")
    text = _update_text(office, matter_id)
    assert "No hearing is set in your case now" in text and "Attend this hearing" not in text


def test_a_removal_order_update_gives_the_appeal_deadline(letterhead):
    office = letterhead
    _, matter_id, _ = add_case(office, hearing=False)
    decided = date.today() - timedelta(days=2)
    _move(office, matter_id, "master_set")
    _move(office, matter_id, "removal_ordered", decision_date=decided)
    [due] = [d.due for d in office.deadlines.for_matter(matter_id) if d.rule_id == "bia-appeal" and d.is_open]
    text = _update_text(office, matter_id)
    assert f"Deadline to appeal: {due:%B} {due.day}, {due.year}" in text and "EOIR-26" in text
    assert "Plazo para apelar" in _update_text(office, matter_id, "es")


def test_a_removal_order_without_its_appeal_deadline_is_not_printed(letterhead):
    office = letterhead
    _, matter_id, _ = add_case(office, hearing=False)
    _move(office, matter_id, "master_set")
    _move(office, matter_id, "removal_ordered", decision_date=date.today())
    for deadline in office.deadlines.for_matter(matter_id):
        if deadline.is_open:
            office.deadlines.mark_done(deadline.id, "filed")
    with pytest.raises(ValidationError, match="bia-appeal"):
        office.letters.generate("status-update", matter_id=matter_id)


def test_a_voluntary_departure_update_gives_the_bond_and_departure_dates(letterhead):
    office = letterhead
    _, matter_id, _ = add_case(office, hearing=False)
    _move(office, matter_id, "master_set")
    _move(office, matter_id, "voluntary_departure", decision_date=date.today())
    open_rules = {d.rule_id: d.due for d in office.deadlines.for_matter(matter_id) if d.is_open}
    if "vd-departure" not in open_rules:
        # The judge's period is the attorney's to enter; until then the update is refused.
        with pytest.raises(ValidationError, match="vd-departure"):
            office.letters.generate("status-update", matter_id=matter_id)
        with office.database.write() as session:
            session.add(Deadline(matter_id=matter_id, rule_id="vd-departure", title="Last day to depart",
                                 due_on=date.today() + timedelta(days=60), created_by="Ana", updated_by="Ana"))
        open_rules["vd-departure"] = date.today() + timedelta(days=60)
    bond, departure = open_rules["vd-bond"], open_rules["vd-departure"]
    text = _update_text(office, matter_id)
    assert f"no later than {departure:%B} {departure.day}, {departure.year}" in text
    assert f"posted with ICE no later than {bond:%B} {bond.day}, {bond.year}" in text
    assert "INA 240B(d)" in text
    spanish = _update_text(office, matter_id, "es")
    assert "debe salir de los Estados Unidos a más tardar" in spanish and "depositarse ante ICE" in spanish
