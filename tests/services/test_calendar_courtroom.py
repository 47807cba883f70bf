"""The .ics gives a hearing's courtroom once, however it was typed (issue 15 point 10)."""

from __future__ import annotations

from datetime import date, datetime

import icalendar
from agenda_data import add_client, add_court, add_hearing, add_matter, add_user


def test_a_courtroom_typed_with_its_word_is_not_doubled_in_the_ics(office, tmp_path):
    rosa = add_user(office, "Rosa Kantor")
    matter = add_matter(office, add_client(office), attorney_id=rosa)
    court = add_court(office)
    add_hearing(office, matter, datetime(2026, 6, 3, 8, 30), court, "master", "Courtroom 15")
    add_hearing(office, matter, datetime(2026, 6, 4, 8, 30), court, "master", "16")
    path = tmp_path / "office.ics"
    office.agenda.export_ics(path, days=30, today=date(2026, 6, 1))
    events = [e for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")]
    locations = sorted(str(e.get("location")) for e in events if e.get("location"))
    assert len(locations) == 2
    assert "Courtroom 15" in locations[0] and "Courtroom Courtroom" not in locations[0]
    assert "Courtroom 16" in locations[1]
