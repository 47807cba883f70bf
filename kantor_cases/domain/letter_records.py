"""Letters as plain records: the letter log, template copies, a letter about to be made, batch results.

The letter service hands these to the Letters screens, the New letter and batch dialogs, the
template editor and the CLI; none of them is tied to a database session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "zh": "Chinese", "tl": "Tagalog", "vi": "Vietnamese", "ko": "Korean"}


@dataclass(frozen=True)
class TemplateInfo:
    """One built-in letter and what the office has done with it."""

    template_id: str
    title: str
    languages: tuple[str, ...]
    # What the letter is written about: "hearing", "matter" or "client" (see LetterService.NEEDS).
    needs: str
    needs_text: str
    # The version each language prints with: 0 = the built-in text, n = the office's copy n.
    active_versions: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TemplateVersion:
    """One saved copy of a template (each save is a new version; a revert makes them all inactive)."""

    template_id: str
    language: str
    version: int
    active: bool
    created_at: datetime
    created_by: str
    note: str
    source: str


@dataclass(frozen=True)
class LetterRow:
    """One line of the letter log."""

    id: int
    client_id: int
    client_name: str
    matter_id: int | None
    hearing_id: int | None
    template_id: str
    title: str
    template_version: int
    language: str
    recipient: str
    created_at: datetime
    created_by: str
    file_path: str
    sha256: str
    batch_id: str = ""

    @property
    def language_name(self) -> str:
        return LANGUAGE_NAMES.get(self.language, self.language)

    @property
    def version_text(self) -> str:
        return "built-in" if self.template_version == 0 else f"office copy v{self.template_version}"


@dataclass(frozen=True)
class LetterDetails(LetterRow):
    """A logged letter with the data it was printed from (what `regenerate` prints again)."""

    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LetterQuery:
    """What the office-wide letter log shows; every filter is applied in SQL."""

    template_id: str | None = None
    client_id: int | None = None
    batch_id: str | None = None
    created_by: str | None = None


@dataclass(frozen=True)
class LetterPlan:
    """A letter before it is printed: the values the office's records give, and what is still missing.

    `fields` holds flat catalog names ("client.full_name") with JSON-ready values. `problems` maps a
    field to why the records cannot fill it ("the client has no A-number"); `missing` lists the
    required fields nobody has filled yet. A caller (the New letter dialog, the CLI) fills those in
    as overrides; a letter with either left over is refused, never printed half filled.
    """

    template_id: str
    title: str
    language: str
    languages: tuple[str, ...]
    client_id: int
    client_name: str
    matter_id: int | None
    hearing_id: int | None
    fields: dict[str, Any]
    problems: dict[str, str]
    missing: tuple[str, ...]
    template_version: int

    @property
    def ready(self) -> bool:
        return not self.problems and not self.missing


@dataclass(frozen=True)
class RegeneratedLetter:
    """A logged letter printed again from its stored data."""

    letter: LetterRow
    pdf: bytes
    # The new bytes are the logged ones (same sha256): the file can be trusted or restored.
    matches: bool
    # "ok", "missing" (restored when it matched), "changed" (the file on disk is not what was logged)
    file_state: str
    restored: bool = False


@dataclass(frozen=True)
class BatchProblem:
    """A letter a batch could not print, and why (the rest of the batch still goes out)."""

    client_id: int
    client_name: str
    matter_id: int | None
    hearing_id: int | None
    message: str


@dataclass(frozen=True)
class BatchResult:
    batch_id: str
    template_id: str
    letters: tuple[LetterRow, ...]
    skipped: int  # already sent (a rerun without force)
    problems: tuple[BatchProblem, ...]
    cancelled: bool
    folder: str
    combined_path: str  # "" when no letter was printed
    seconds: float

    @property
    def count(self) -> int:
        return len(self.letters)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else 0.0
