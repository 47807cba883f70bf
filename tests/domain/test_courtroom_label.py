"""Hearing locations in the calendar read "Courtroom 15" however the desk typed the courtroom
(issue 15 point 10: the .ics read "Courtroom Courtroom 15")."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kantor_cases.domain.hearing_rules import courtroom_label


def test_each_way_of_typing_a_courtroom_reads_once():
    for typed in ("15", "Courtroom 15", "courtroom  15", "Room 15", "Courtroom #15", "Sala 15", "Court room No. 15"):
        assert courtroom_label(typed) == "Courtroom 15", typed
    assert courtroom_label("5B") == "Courtroom 5B"
    assert courtroom_label("") == ""
    assert courtroom_label("Floor 14, by the elevators") == "Floor 14, by the elevators"


@given(number=st.from_regex(r"[0-9A-Za-z]{1,6}", fullmatch=True),
       prefix=st.sampled_from(["", "Courtroom ", "courtroom ", "Room ", "Sala ", "Courtroom # "]))
def test_the_word_courtroom_is_never_doubled_and_the_number_is_kept(number, prefix):
    label = courtroom_label(prefix + number)
    assert label.lower().count("courtroom") <= 1 + number.lower().count("courtroom")
    assert label.endswith(number)


@given(st.text(max_size=40))
def test_any_text_gives_a_label_without_a_doubled_courtroom(typed):
    label = courtroom_label(typed)
    assert "courtroom courtroom" not in label.lower() or "courtroom courtroom" in " ".join(typed.split()).lower()
