"""Letters from the office's records: filling a template for a client, matter or hearing, previews,
filing the PDF in the client's folder, the letter log, the office's template copies and batch runs.

The window (New letter, Letters tab and panel, batch dialog, template editor) and the `letters`
CLI commands call `LetterService`; rendering itself is `kantor_cases.letters` (plain data in, PDF
out). The service is one object made of parts, each in its own module:

- `templates`: the catalog of letters and the office's versions of their texts;
- `composing`: planning, previewing and printing one letter;
- `log`: the letter log, and printing a logged letter again;
- `batches`: reminders and status updates by the hundred, with one print file;
- `workers`: the worker processes batches render in;
- `loading`: the records a letter is written from, loaded in bulk;
- `fields`: how those records become a letter's fields (no database, no SQLAlchemy).

The renderer (ReportLab, Jinja2, pypdf: ~0.15 s to import) is imported by the methods that use
it, not here: every start of the program opens the office, and the office builds this service.
"""

from __future__ import annotations

from .batches import BatchMixin
from .composing import ComposingMixin
from .log import LetterLogMixin
from .templates import (
    BATCH_TEMPLATES,
    FIRM_LANGUAGES,
    NEEDS,
    NEEDS_TEXT,
    PARAGRAPH_TEMPLATES,
    TITLES,
    TemplateMixin,
)

__all__ = ["BATCH_TEMPLATES", "FIRM_LANGUAGES", "NEEDS", "NEEDS_TEXT", "PARAGRAPH_TEMPLATES", "TITLES",
           "LetterService"]


class LetterService(TemplateMixin, ComposingMixin, LetterLogMixin, BatchMixin):
    NEEDS = NEEDS
    TITLES = TITLES
