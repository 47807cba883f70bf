"""Property tests for what the letter service reads from outside: the per-language terms a person or a
script passes (issue 14 item 9), and the regime table a request's date is matched against."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.pd_regimes import REGIMES, regime_on
from kantor_cases.services.letters.composing import terms_in

TERMS = ("engagement.scope_items", "engagement.excluded_items", "engagement.payment_schedule")
LANGUAGES = ("en", "es", "vi", "ko")

texts = st.one_of(st.none(), st.text(max_size=8), st.lists(st.text(max_size=8), max_size=2))
keys = st.one_of(st.sampled_from(TERMS),
                 st.builds(lambda n, lang: f"{n}:{lang}", st.sampled_from(TERMS), st.sampled_from(LANGUAGES)),
                 st.sampled_from(("engagement.fee_type", "recipient.name")))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@settings(deadline=None)  # the first example imports the renderer's catalog
@given(st.dictionaries(keys, texts, max_size=8), st.sampled_from(LANGUAGES))
def test_a_letter_only_ever_prints_terms_given_in_its_own_language(overrides, language):
    try:
        result = terms_in("engagement", language, overrides)
    except ValidationError as refused:
        # Refused only when some term exists in another language and not in this one.
        for name in refused.fields:
            assert name in TERMS and _blank(overrides.get(f"{name}:{language}"))
        return
    for name in TERMS:
        if name not in result:
            continue
        qualified = f"{name}:{language}"
        if language == "en" and qualified not in overrides:
            assert result[name] == overrides.get(name)  # a plain name is English text
        else:
            assert result[name] == overrides[qualified]
    for name, value in overrides.items():
        if ":" not in name and name not in TERMS:
            assert result[name] == value  # everything else passes through untouched


@given(st.dates(min_value=date(2011, 1, 1), max_value=date(2035, 12, 31)))
def test_every_day_has_at_most_one_regime_and_it_covers_that_day(day):
    covering = [r for r in REGIMES if r.start <= day and (r.end is None or day <= r.end)]
    assert len(covering) <= 1
    found = regime_on(day)
    assert (found is None) == (not covering) and (found is None or found is covering[0])
