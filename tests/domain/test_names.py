"""Folding names for matching: folding a folded name changes nothing, which the search entries rely
on (a name's sound-alike keys are worked out from its folded form without folding it again)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kantor_cases.domain.names import fold


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_folding_a_folded_name_changes_nothing(text):
    assert fold(fold(text)) == fold(text)


def test_names_folding_changes_most_fold_the_same_twice():
    # Decomposed marks, stroked letters, casefolding that yields a combining mark, compatibility forms.
    for text in ("İstanbul", "Łódź", "Ærøskøbing", "Straße", "ﬁnca", "Nguyễn Thị", "ΣΊΣΥΦΟΣ", "Ｊｏｓé"):
        assert fold(fold(text)) == fold(text), text
