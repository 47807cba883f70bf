"""Template sources: the built-ins, the field catalog, validation of edited copies, and refusal to
print a letter with a hole in it."""

from __future__ import annotations

import pytest
from letters_support import LETTER_DATE, all_text, flat

from kantor_cases.letters import (
    TEMPLATE_IDS,
    Letterhead,
    TemplateError,
    builtin_source,
    field_catalog,
    render_letter,
    sample_fields,
    template_languages,
    validate_template,
)


def test_the_seven_templates_and_their_languages() -> None:
    assert set(TEMPLATE_IDS) == {"engagement", "non-engagement", "hearing-reminder", "pd-request",
                                 "status-update", "document-request", "closing"}
    for template_id in TEMPLATE_IDS:
        expected = ("en",) if template_id == "pd-request" else ("en", "es")
        assert template_languages(template_id) == expected
    with pytest.raises(TemplateError):
        builtin_source("pd-request", "es")


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_builtins_validate_and_samples_cover_the_catalog(template_id: str) -> None:
    names = {f.name for f in field_catalog(template_id)}
    assert {"recipient.name", "recipient.address", "firm.name", "letter.date"} <= names
    assert set(sample_fields(template_id)) <= names
    for language in template_languages(template_id):
        validate_template(template_id, builtin_source(template_id, language))


def test_unknown_field_is_refused_by_name() -> None:
    source = "Dear {{ recipient.name }}:\n\nYour hearing is on {{ hearing.dat }}.\n"
    with pytest.raises(TemplateError) as caught:
        validate_template("hearing-reminder", source)
    assert caught.value.field == "hearing.dat"
    assert "hearing.dat" in str(caught.value) and "line 3" in str(caught.value).lower()
    assert "hearing.date" in str(caught.value)  # the likely intended field is suggested


def test_unknown_item_field_in_a_loop_is_refused() -> None:
    source = "{% for d in documents %}\n- {{ d.title }}\n{% endfor %}\n"
    with pytest.raises(TemplateError) as caught:
        validate_template("document-request", source)
    assert caught.value.field == "documents[].title"


def test_syntax_error_names_the_line() -> None:
    source = "Dear {{ recipient.name }}:\n\n{% if hearing.judge %}\nJudge {{ hearing.judge }}\n"
    with pytest.raises(TemplateError) as caught:
        validate_template("hearing-reminder", source)
    assert caught.value.line is not None
    assert f"Line {caught.value.line}" in str(caught.value)


def test_missing_required_field_refuses_the_letter(letterhead: Letterhead) -> None:
    fields = sample_fields("hearing-reminder")
    del fields["hearing.date"]
    with pytest.raises(TemplateError) as caught:
        render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE)
    assert caught.value.field == "hearing.date"
    fields = sample_fields("hearing-reminder")
    fields["client.a_number"] = "  "
    with pytest.raises(TemplateError) as caught:
        render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE)
    assert caught.value.field == "client.a_number"


def test_missing_item_field_is_named_with_its_position(letterhead: Letterhead) -> None:
    fields = sample_fields("pd-request")
    fields["pd.exhibits"] = [{"label": "A", "description": "G-28"}, {"label": "B"}]
    with pytest.raises(TemplateError) as caught:
        render_letter("pd-request", "en", fields, letterhead, LETTER_DATE)
    assert caught.value.field == "pd.exhibits[1].description"


def test_fee_amount_is_required_for_the_chosen_fee_type(letterhead: Letterhead) -> None:
    fields = sample_fields("engagement")
    fields["engagement.fee_type"] = "hourly"
    fields["engagement.hourly_rate"] = None
    with pytest.raises(TemplateError) as caught:
        render_letter("engagement", "en", fields, letterhead, LETTER_DATE)
    assert caught.value.field == "engagement.hourly_rate"
    fields["engagement.fee_type"] = "flat"  # the hourly rate is no longer needed
    assert "$7,500.00" in all_text(render_letter("engagement", "en", fields, letterhead, LETTER_DATE))


def test_optional_fields_may_be_left_out(letterhead: Letterhead) -> None:
    fields = sample_fields("hearing-reminder")
    for name in ("hearing.floor", "hearing.courtroom", "hearing.judge", "hearing.interpreter_language",
                 "pd.pending", "recipient.delivery", "recipient.salutation"):
        del fields[name]
    text = all_text(render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE))
    assert "Courtroom" not in text and "Interpreter" not in text and "prosecutorial discretion" not in text
    assert "Dear Nguyễn Thị Hương:" in text


def test_nested_fields_are_accepted(letterhead: Letterhead) -> None:
    flat_fields = sample_fields("hearing-reminder")
    nested: dict[str, dict[str, object]] = {}
    for name, value in flat_fields.items():
        group, leaf = name.split(".", 1)
        nested.setdefault(group, {})[leaf] = value
    assert render_letter("hearing-reminder", "en", nested, letterhead, LETTER_DATE) == render_letter(
        "hearing-reminder", "en", flat_fields, letterhead, LETTER_DATE)


def test_edited_source_replaces_the_builtin(letterhead: Letterhead) -> None:
    source = builtin_source("hearing-reminder", "en").replace(
        "Your next hearing in immigration court", "Your NEXT hearing before the immigration court")
    text = flat(all_text(render_letter("hearing-reminder", "en", sample_fields("hearing-reminder"), letterhead,
                                       LETTER_DATE, source=source)))
    assert "Your NEXT hearing before the immigration court" in text


def test_sandbox_refuses_python_internals(letterhead: Letterhead) -> None:
    source = "{{ recipient.name.__class__.__mro__ }}\n"
    with pytest.raises(TemplateError):
        render_letter("hearing-reminder", "en", sample_fields("hearing-reminder"), letterhead, LETTER_DATE,
                      source=source)


def test_unknown_template_and_language_are_refused(letterhead: Letterhead) -> None:
    with pytest.raises(TemplateError):
        render_letter("birthday-card", "en", {}, letterhead, LETTER_DATE)
    with pytest.raises(TemplateError):
        render_letter("hearing-reminder", "fr", sample_fields("hearing-reminder"), letterhead, LETTER_DATE)


def test_unknown_filter_and_field_group_are_explained() -> None:
    with pytest.raises(TemplateError) as caught:
        validate_template("hearing-reminder", "Dear {{ recipient.name|shout }}:\n")
    assert "shout" in str(caught.value) and caught.value.line == 1
    with pytest.raises(TemplateError) as caught:
        validate_template("hearing-reminder", "\n{{ hearing }}\n")
    assert caught.value.field == "hearing" and "hearing.court_name" in str(caught.value)
