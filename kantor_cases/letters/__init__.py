"""Letters: plain data in, PDF bytes out (ReportLab Platypus, Jinja2 templates, pypdf).

Qt-free and database-free: the letter services pass plain values and store the bytes.

Public API::

    Letterhead(firm_name, attorney_name, bar_number, address_lines: tuple[str, ...], phone, email,
               logo_path: str | None = None)                          # frozen dataclass
    render_letter(template_id, language, fields, letterhead, letter_date, source=None) -> bytes
    combine_pdfs(pdfs: Iterable[bytes], *, deduplicate=True) -> bytes  # one print file per batch

    TEMPLATE_IDS                                  # the seven built-in templates (DOMAIN.md §7)
    template_languages(template_id) -> tuple[str, ...]   # ("en", "es"); pd-request: ("en",)
    builtin_source(template_id, language) -> str  # the shipped Jinja2 text, to copy and edit
    field_catalog(template_id) -> list[FieldInfo] # fields the template may use (editor field list)
    sample_fields(template_id, language="en") -> dict[str, object]   # preview data, flat names
    validate_template(template_id, source) -> None   # raises TemplateError(message, field, line)
    escape_value(value) -> str                    # the one escaping function for user values

`fields` maps dotted names from the catalog (``"client.full_name"``) to values; a nested mapping
(``{"client": {"full_name": ...}}``) works too. Dates may be `datetime.date` or ISO strings and
print in the letter's language ("November 29, 2026" / "29 de noviembre de 2026"); A-numbers print
as A012-345-678; choice fields take their code ("master", "detained") and print a localised label.
A required field that is missing or blank raises `TemplateError` naming it: no letter is ever
printed half filled. `source` replaces the built-in template text with an attorney's edited copy.

The same data always gives the same bytes (ReportLab's invariant mode), so a stored letter can be
checked by regenerating it. Template syntax: see `markup` (blank-line paragraphs, ``## `` headings,
``- `` bullets, ``| label | value`` rows, ``@re``, ``@closing``, ``@sign``, ``**bold**``).
"""

from .catalog import TEMPLATE_IDS, Choice, FieldInfo
from .combine import combine_pdfs
from .markup import escape_value
from .render import Letterhead, render_letter
from .templates import (
    TemplateError,
    builtin_source,
    field_catalog,
    sample_fields,
    template_languages,
    validate_template,
)

__all__ = [
    "TEMPLATE_IDS",
    "Choice",
    "FieldInfo",
    "Letterhead",
    "TemplateError",
    "builtin_source",
    "combine_pdfs",
    "escape_value",
    "field_catalog",
    "render_letter",
    "sample_fields",
    "template_languages",
    "validate_template",
]
