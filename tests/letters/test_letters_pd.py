"""The PD request follows the guidance it is made under (issue 14 item 8, DOMAIN.md §3)."""

from __future__ import annotations

import pytest
from letters_support import LETTER_DATE, all_text, flat

from kantor_cases.domain.pd_regimes import BY_ID, REGIMES, regime_on
from kantor_cases.letters import Letterhead, TemplateError, render_letter, sample_fields


def _pd(letterhead: Letterhead, regime_id: str, **changes: object) -> str:
    regime = BY_ID[regime_id]
    fields = sample_fields("pd-request")
    fields.update({"pd.regime": regime.id, "pd.priorities": regime.had_priorities, "pd.guidance": regime.guidance})
    fields.update({name.replace("__", "."): value for name, value in changes.items()})
    return flat(all_text(render_letter("pd-request", "en", fields, letterhead, LETTER_DATE)))


@pytest.mark.parametrize("regime", [r.id for r in REGIMES if r.had_priorities])
def test_guidance_with_priorities_gets_the_not_a_priority_section(regime: str, letterhead: Letterhead) -> None:
    text = _pd(letterhead, regime)
    assert "Why the Respondent is not an enforcement priority" in text and "Positive equities" in text
    assert "falls outside the priorities" in text and "consistent with the" in text


def test_general_discretion_argues_equities_and_humanitarian_factors(letterhead: Letterhead) -> None:
    text = _pd(letterhead, "post-2025")
    assert "priority" not in text.lower() and "priorities" not in text.lower()
    assert "equities and humanitarian factors" in text
    assert "Father of two United States citizen children, ages 9 and 14" in text


def test_both_appearance_forms_are_named(letterhead: Letterhead) -> None:
    for regime in BY_ID:
        text = _pd(letterhead, regime)
        assert "Form EOIR-28 is on file" in text and "Form G-28 is enclosed" in text


def test_the_attorneys_argument_replaces_the_standard_one(letterhead: Letterhead) -> None:
    text = _pd(letterhead, "post-2025", pd__argument="Mr. Petrosyan's daughter needs <her> father.")
    assert "Mr. Petrosyan's daughter needs <her> father." in text and "is warranted" not in text


def test_guidance_with_priorities_needs_the_reasons(letterhead: Letterhead) -> None:
    with pytest.raises(TemplateError, match="pd.not_priority_reasons"):
        _pd(letterhead, "doyle-2022", pd__not_priority_reasons=None)
    assert "not an enforcement priority" not in _pd(letterhead, "post-2025", pd__not_priority_reasons=None)


def test_regimes_follow_each_other_without_overlap() -> None:
    for earlier, later in zip(REGIMES, REGIMES[1:], strict=False):
        assert earlier.end is not None and earlier.end < later.start
    assert regime_on(REGIMES[-1].start).id == "post-2025"
    assert regime_on(REGIMES[0].start).id == "morton-2011"
