"""The conflict check's first-and-family name of an imported row is the folded "given family",
whether it is taken from the row's whole folded name or folded again."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from kantor_cases.domain import names
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.records import ClientDraft
from kantor_cases.services.client_csv import ParsedRow, _short_folded
from kantor_cases.services.clients import client_columns
from kantor_cases.services.validation import validate_client

NAME = st.text(st.characters(codec="utf-8", categories=("L", "M", "Zs", "Pd")), max_size=12)


@settings(max_examples=300, deadline=None)
@given(NAME, NAME, NAME, NAME)
def test_the_short_name_is_the_folded_first_and_family_name(first, middle, family, second):
    try:
        draft = validate_client(ClientDraft(given_name=first or "x", middle_name=middle, family_name=family,
                                            second_family_name=second), date(2026, 12, 7))
    except ValidationError:  # a name the import refuses is not this test's
        return
    row = ParsedRow(2, draft, client_columns(draft))
    assert _short_folded(row) == names.fold(f"{draft.given_name} {draft.family_name}")
