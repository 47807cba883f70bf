"""User values are data, never markup: whatever a client's name or a note contains prints as typed."""

from __future__ import annotations

import pytest
from letters_support import LETTER_DATE, all_text, flat

from kantor_cases.letters import Letterhead, escape_value, render_letter, sample_fields

HOSTILE = [
    '<a href="x">click here</a>',
    '<img src="x"/>',
    "<b>unclosed bold",
    "Tom & Jerry's \"Bar\" <Grill>",
    "</para><para>",
    "&amp; already escaped",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_markup_in_values_prints_as_plain_text(value: str, letterhead: Letterhead) -> None:
    fields = sample_fields("hearing-reminder")
    fields["recipient.name"] = value
    fields["hearing.court_name"] = value
    pdf = render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE)
    text = all_text(pdf)
    assert value in text
    # A link or an image would be an annotation or an image object in the file.
    assert b"/Annot" not in pdf and b"/Subtype /Image" not in pdf


def test_values_cannot_inject_block_syntax(letterhead: Letterhead) -> None:
    """Heading, bullet, table and emphasis syntax inside a value stays literal text."""
    fields = sample_fields("status-update")
    fields["status.current_stage"] = "**not bold**\n## not a heading\n- not a bullet\n| not | a row\n@closing"
    pdf = render_letter("status-update", "en", fields, letterhead, LETTER_DATE)
    text = all_text(pdf)
    for literal in ("**not bold**", "## not a heading", "- not a bullet", "| not | a row", "@closing"):
        assert literal in text
    assert text.count("Very truly yours,") == 1


def test_template_text_with_angle_brackets_and_ampersands_prints_literally(letterhead: Letterhead) -> None:
    source = "Fees < $1,000 & costs > $50 are billed at cost; see <b> above.\n"
    pdf = render_letter("hearing-reminder", "en", sample_fields("hearing-reminder"), letterhead, LETTER_DATE,
                        source=source)
    assert "Fees < $1,000 & costs > $50 are billed at cost; see <b> above." in flat(all_text(pdf))


def test_escape_value() -> None:
    assert escape_value("O'Brien & <Sons>") == "O&#39;Brien &amp; &lt;Sons&gt;"
    assert escape_value('"x"') == "&quot;x&quot;"
    assert escape_value("a\x00b\x01c\x07") == "abc"  # control characters would break the PDF markup
    assert escape_value(12) == "12"


def test_letters_printed_one_after_another_each_print_their_own_values(letterhead: Letterhead) -> None:
    """Template lines are worked out once for a batch; the values set into them stay each letter's own."""
    names = ["**Ana** Ruiz", "*Luis* Peña", "Mia <Chen>"]
    texts = []
    for name in names:
        fields = sample_fields("hearing-reminder")
        fields["recipient.name"] = fields["client.full_name"] = name
        texts.append(flat(all_text(render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE))))
    for name, text in zip(names, texts, strict=True):
        assert name in text
        assert not any(other in text for other in names if other != name)
