"""Letters from the office's records: filling a template for a client, matter or hearing, previews,
filing the PDF in the client's folder, the letter log, the office's template copies and batch runs.

The window (New letter, Letters tab and panel, batch dialog, template editor) and the `letters`
CLI commands call this; rendering itself is `kantor_cases.letters` (plain data in, PDF out).

How a letter is made: the records give what they can (`plan`), the caller fills in what only a
person knows (fee terms, documents to bring) as overrides, and a letter with anything required
still missing is refused with the field named — never printed half filled. A printed letter is
written atomically (temporary file in the same folder, fsync, then os.replace) and logged, only
once its file is on the disk, with the exact data it was printed from, so `regenerate` prints the
same bytes again and can prove it (sha256). A copy to a file the user names (`copy_to`,
`write_copy`) never replaces an existing file unless asked to, and never the office's own files.

Batches load everything in a few queries, render in worker processes (rendering is ~6 ms of pure
Python a letter, so one core cannot reach the 150 letters/s the office needs), write each letter
as it arrives and log them a chunk at a time: one transaction per chunk with the letters' audit
rows, after the chunk's files are fsynced; a letter whose file fails to sync is removed and
reported as not printed. Cancelling stops at the next chunk boundary, so every file written is
logged and every logged letter has its file; the combined print file holds exactly the logged
letters. A batch's letters and its print file go into one folder (the `out_dir` given, else a new
folder under the documents folder's "Batches"; never the backups folder), each under a name no
file there has yet; the log points at them there.

Worker processes are forked when this process runs a single thread (the CLI) and come from a
fork server otherwise (the window: forking beside Qt's threads can deadlock the child). A program
that runs batches from a thread must therefore guard its main module with
`if __name__ == "__main__":`, as the kantor-cases entry points do.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from kantor_cases.db.base import now
from kantor_cases.db.engine import Database
from kantor_cases.db.models import (
    AppMeta,
    AuditEvent,
    BenefitApplication,
    Client,
    Court,
    Deadline,
    EmploymentClaim,
    FirmSettings,
    Hearing,
    Letter,
    LetterTemplate,
    Matter,
    Party,
    PdRequest,
    RelatedPerson,
    RemovalCase,
    StatusChange,
)
from kantor_cases.domain import names
from kantor_cases.domain import statuses as st
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.errors import KantorError, NotFoundError, ValidationError
from kantor_cases.domain.letter_records import (
    LANGUAGE_NAMES,
    BatchProblem,
    BatchResult,
    LetterDetails,
    LetterPlan,
    LetterQuery,
    LetterRow,
    RegeneratedLetter,
    TemplateInfo,
    TemplateVersion,
)
from kantor_cases.domain.records import address_lines

from . import audit
from .base import Service
from .file_writes import WriteFailed, cannot_write, failure_reason, write_atomic
from .follow_ups import REMINDER_TEMPLATE, close_reminder_follow_ups
from .locations import Locations
from .output_files import TargetRefused, check_output_target
from .validation import display_phone

# Languages the firm may add its own version of any template in (Civ. Code 1632 names them beside
# Spanish); kantor_cases.letters.formatting.FIRM_LANGUAGES, repeated here to keep the renderer's
# import out of the office's start.
FIRM_LANGUAGES: tuple[str, ...] = ("zh", "tl", "vi", "ko")

# The renderer (ReportLab, Jinja2, pypdf: ~0.15 s to import) is imported by the methods that use
# it, not here: every start of the program opens the office, and the office builds this service.
if TYPE_CHECKING:
    from kantor_cases.letters import FieldInfo, Letterhead

    from .letter_fields import ClientData, CourtData, HearingData, LetterSubject, MatterData, PdData

log = logging.getLogger(__name__)

TITLES = {
    "engagement": "Engagement letter",
    "non-engagement": "Non-engagement letter",
    "hearing-reminder": "Hearing reminder",
    "pd-request": "PD request cover letter",
    "status-update": "Status update",
    "document-request": "Document request",
    "closing": "Closing letter",
}
# What each letter is written about. A "hearing" letter takes a hearing, or a matter (its next
# hearing); a "matter" letter a matter (or a hearing, for its matter); a "client" letter a client.
NEEDS = {
    "engagement": "matter",
    "non-engagement": "client",
    "hearing-reminder": "hearing",
    "pd-request": "matter",
    "status-update": "matter",
    "document-request": "client",
    "closing": "matter",
}
NEEDS_TEXT = {
    "hearing": "a hearing (a matter's next hearing, or one chosen)",
    "matter": "a matter",
    "client": "a client (a matter is optional)",
}
BATCH_TEMPLATES = ("hearing-reminder", "status-update")
# Letters that print the office's standing paragraph (the catalog's office.paragraph field).
PARAGRAPH_TEMPLATES = ("hearing-reminder",)

# Batches render in worker processes once they are big enough to repay starting them.
POOL_THRESHOLD = 40
CHUNK = 25
MAX_WORKERS = 4

Progress = Callable[[int, int], object]
Cancel = Callable[[], bool]


_UNSAFE_FILE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def safe_file_name(text: str, limit: int = 80) -> str:
    """A name every file system accepts: no path or reserved characters, no trailing dots."""
    cleaned = re.sub(r"\s+", " ", _UNSAFE_FILE.sub("", names.clean(text))).strip(" .")
    return cleaned[:limit].rstrip(" .") or "client"


def _unique_path(folder: Path, stem: str, taken: set[str] | None = None) -> Path:
    for number in range(1, 10_000):
        name = f"{stem}.pdf" if number == 1 else f"{stem} ({number}).pdf"
        if (taken is None or name not in taken) and not (folder / name).exists():
            if taken is not None:
                taken.add(name)
            return folder / name
    raise KantorError(f"{folder} has too many letters called {stem}; move some of them first.")


class LetterService(Service):
    NEEDS = NEEDS
    TITLES = TITLES

    def __init__(self, database: Database, actor: Callable[[], str], locations: Locations,
                 workers: int | None = None, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__(database, actor, clock)
        self._locations = locations
        self._documents = locations.documents
        cpus = os.cpu_count() or 1
        self._workers = max(1, min(MAX_WORKERS, cpus if workers is None else workers))
        self._pool: ProcessPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def close(self) -> None:
        """Stop the batch worker processes (the office is closing)."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    # --- templates -------------------------------------------------------------------------------------------

    def templates(self) -> list[TemplateInfo]:
        with self._db.read() as session:
            active = {(t, lang): v for t, lang, v in session.execute(
                select(LetterTemplate.template_id, LetterTemplate.language, func.max(LetterTemplate.version))
                .where(LetterTemplate.active.is_(True))
                .group_by(LetterTemplate.template_id, LetterTemplate.language))}
        result = []
        for t in TITLES:
            languages = _languages(t) + tuple(lang for lang in FIRM_LANGUAGES if (t, lang) in active)
            result.append(TemplateInfo(t, TITLES[t], languages, NEEDS[t], NEEDS_TEXT[NEEDS[t]],
                                       {lang: int(active.get((t, lang), 0)) for lang in languages}))
        return result

    def fields(self, template_id: str) -> list[FieldInfo]:
        """The fields of a letter a person may fill in or correct (the catalog, less what the
        letterhead and the date supply), in the order the New letter dialog lists them."""
        from kantor_cases.letters import field_catalog

        self._check_template(template_id, "en")
        return [f for f in field_catalog(template_id) if f.source == "fields"]

    def catalog(self, template_id: str) -> list[FieldInfo]:
        """Every field a template may name, letterhead and date included (the template editor's list)."""
        from kantor_cases.letters import field_catalog

        self._check_template(template_id, "en")
        return field_catalog(template_id)

    def template_source(self, template_id: str, language: str) -> tuple[str, int]:
        """The text letters print with now, and its version (0 = the built-in text)."""
        from kantor_cases.letters import builtin_source

        self._check_template(template_id, language)
        with self._db.read() as session:
            source, version = self._active_source(session, template_id, language)
        if source is None:
            # A language the firm has not added yet starts as the English text, to translate.
            source = builtin_source(template_id, language if language in _languages(template_id) else "en")
        return source, version

    def save_template(self, template_id: str, language: str, source: str, note: str = "") -> TemplateVersion:
        """Save the office's copy as a new version; refused, with the field named, if it cannot print."""
        from kantor_cases.letters import TemplateError, render_letter, sample_fields, validate_template

        self._check_template(template_id, language)
        try:
            validate_template(template_id, source)
            # A trial print with the sample data catches what only filling the template shows.
            render_letter(template_id, language, sample_fields(template_id, language), _sample_letterhead(),
                          date.today(), source)
        except TemplateError as error:
            raise ValidationError({error.field or "source": error.message},
                                  message=f"The template was not saved: {error.message}") from error
        with self._db.write() as session:
            latest = session.execute(select(func.max(LetterTemplate.version)).where(
                LetterTemplate.template_id == template_id, LetterTemplate.language == language)).scalar()
            version = int(latest or 0) + 1
            session.execute(update(LetterTemplate).where(
                LetterTemplate.template_id == template_id, LetterTemplate.language == language,
                LetterTemplate.active.is_(True)).values(active=False))
            row = LetterTemplate(template_id=template_id, language=language, version=version, source=source,
                                 active=True, created_by=self.user, note=note.strip())
            session.add(row)
            session.flush()
            audit.record(session, self.user, "create", "letter_template", row.id,
                         f"saved version {version} of the {TITLES[template_id].lower()} "
                         f"({LANGUAGE_NAMES[language]})" + (f": {note.strip()}" if note.strip() else ""))
            return _version(row)

    def preview_template(self, template_id: str, language: str, source: str) -> bytes:
        """A template text filled with the catalog's sample data, on the office's letterhead (the
        template editor's live preview). Refused, with the field or line named, if it cannot print."""
        from kantor_cases.letters import TemplateError, render_letter, sample_fields

        self._check_template(template_id, language)
        with self._db.read() as session:
            try:
                letterhead, _documents = self._letterhead(session)
            except ValidationError:
                letterhead = _sample_letterhead()  # the editor works before the letterhead is filled in
        try:
            return render_letter(template_id, language, sample_fields(template_id, language), letterhead,
                                 date.today(), source)
        except TemplateError as error:
            raise ValidationError({error.field or "source": error.message}, message=error.message) from error

    def template_history(self, template_id: str, language: str) -> list[TemplateVersion]:
        self._check_template(template_id, language)
        with self._db.read() as session:
            rows = session.scalars(select(LetterTemplate).where(
                LetterTemplate.template_id == template_id, LetterTemplate.language == language)
                .order_by(LetterTemplate.version.desc()))
            return [_version(r) for r in rows]

    def revert_template(self, template_id: str, language: str) -> None:
        """Print with the built-in text again; the office's versions stay in the history."""
        self._check_template(template_id, language)
        with self._db.write() as session:
            result = session.execute(update(LetterTemplate).where(
                LetterTemplate.template_id == template_id, LetterTemplate.language == language,
                LetterTemplate.active.is_(True)).values(active=False))
            if result.rowcount:  # type: ignore[attr-defined]
                audit.record(session, self.user, "update", "letter_template", None,
                             f"went back to the built-in {TITLES[template_id].lower()} "
                             f"({LANGUAGE_NAMES[language]})")

    def standing_paragraph(self, template_id: str, language: str) -> str:
        """The office's own paragraph printed in every letter of this kind and language ("" if none)."""
        self._check_paragraph(template_id, language)
        with self._db.read() as session:
            return self._paragraphs(session, template_id).get(language, "")

    def set_standing_paragraph(self, template_id: str, language: str, text: str) -> None:
        """Set (or, with blank text, remove) the office's standing paragraph; it prints as written,
        never as template markup. Each language has its own: a Spanish letter never prints English."""
        self._check_paragraph(template_id, language)
        text = "\n".join(line.rstrip() for line in text.strip().splitlines())
        key = _paragraph_key(template_id, language)
        with self._db.write() as session:
            row = session.get(AppMeta, key)
            before = row.value if row is not None else ""
            if before == text:
                return
            if row is None:
                session.add(AppMeta(key=key, value=text))
            else:
                row.value = text
            what = "removed" if not text else "changed" if before else "added"
            audit.record(session, self.user, "update", "letter_template", None,
                         f"{what} the office's standing paragraph of the {TITLES[template_id].lower()} "
                         f"({LANGUAGE_NAMES[language]})")

    def _check_paragraph(self, template_id: str, language: str) -> None:
        self._check_template(template_id, language)
        if template_id not in PARAGRAPH_TEMPLATES:
            raise _refuse("template", "A standing paragraph can be added to "
                          + ", ".join(TITLES[t].lower() for t in PARAGRAPH_TEMPLATES) + " only.")

    @staticmethod
    def _check_template(template_id: str, language: str) -> None:
        if template_id not in TITLES:
            raise _refuse("template", f"There is no letter called “{template_id}”; the letters are "
                          + ", ".join(TITLES) + ".")
        if language not in _languages(template_id) + FIRM_LANGUAGES:
            raise _refuse("language", f"The {TITLES[template_id].lower()} exists in "
                                               + " and ".join(LANGUAGE_NAMES[x] for x in _languages(template_id))
                                               + "; the firm may add its own "
                                               + ", ".join(LANGUAGE_NAMES[x] for x in FIRM_LANGUAGES)
                                               + " version in the template editor.")

    @staticmethod
    def _active_source(session: Session, template_id: str, language: str) -> tuple[str | None, int]:
        row = session.execute(select(LetterTemplate.source, LetterTemplate.version).where(
            LetterTemplate.template_id == template_id, LetterTemplate.language == language,
            LetterTemplate.active.is_(True)).order_by(LetterTemplate.version.desc()).limit(1)).first()
        return (row.source, int(row.version)) if row else (None, 0)

    # --- one letter ------------------------------------------------------------------------------------------

    def plan(self, template_id: str, client_id: int | None = None, matter_id: int | None = None,
             hearing_id: int | None = None, language: str | None = None) -> LetterPlan:
        """What the records give for this letter and what is still missing (nothing is printed)."""
        with self._db.read() as session:
            return self._plan(session, template_id, client_id, matter_id, hearing_id, language, date.today())[0]

    def attorney_checklist(self, template_id: str, matter_id: int | None) -> list[str]:
        """What the attorney must weigh before this letter goes out: shown beside it, never printed in it.
        Only the PD request has one."""
        from .letter_fields import pd_checklist

        if template_id != "pd-request" or matter_id is None:
            return []
        with self._db.read() as session:
            pd = self._pd_requests(session, [matter_id]).get(matter_id)
        return pd_checklist(pd) if pd is not None else []

    def preview(self, template_id: str, client_id: int | None = None, matter_id: int | None = None,
                hearing_id: int | None = None, language: str | None = None,
                fields: Mapping[str, Any] | None = None) -> bytes:
        """The letter as it would print, without filing or logging it."""
        return self._prepare(template_id, client_id, matter_id, hearing_id, language, fields)[1]

    def generate(self, template_id: str, client_id: int | None = None, matter_id: int | None = None,
                 hearing_id: int | None = None, language: str | None = None,
                 fields: Mapping[str, Any] | None = None, copy_to: Path | None = None,
                 force: bool = False) -> LetterDetails:
        """Print the letter into the client's documents folder and record it in the letter log.

        With `copy_to`, a copy goes there too; a copy target that may not be written (it exists and
        `force` is off, or it is one of the office's own files) is refused before anything is printed.
        Nothing is logged unless both files are on the disk, and nothing is left behind on a failure.
        """
        copy = None if copy_to is None else self.copy_target(copy_to, force)
        prepared, pdf = self._prepare(template_id, client_id, matter_id, hearing_id, language, fields)
        return self._file(template_id, prepared, pdf, copy, copy_to)

    def generate_together(self, template_id: str, client_id: int | None = None, matter_id: int | None = None,
                          hearing_id: int | None = None, languages: Sequence[str] | None = None,
                          fields: Mapping[str, Any] | None = None, copy_to: Path | None = None,
                          force: bool = False) -> tuple[list[LetterDetails], bytes]:
        """The letter in each of its languages (by default all: English and Spanish), each filed and
        logged, and one PDF of them all to print and sign together. Per-language terms come as
        ``name:en`` / ``name:es``. Nothing is printed unless every language can be: the versions
        are signed as one agreement. With `copy_to`, the combined PDF is written there too."""
        from kantor_cases.letters.concatenate import concatenate_pdfs

        copy = None if copy_to is None else self.copy_target(copy_to, force)
        wanted = tuple(languages) if languages else _languages(template_id) if template_id in TITLES else ()
        if len(set(wanted)) < 2:
            raise _refuse("language", "Choose at least two languages to print together.")
        prepared = [self._prepare(template_id, client_id, matter_id, hearing_id, lang, fields) for lang in wanted]
        # Each version is filed and logged as it is written: a disk failing half-way leaves the
        # versions already filed in the log, as they are on the disk.
        letters = [self._file(template_id, one, pdf, None, None) for one, pdf in prepared]
        combined = concatenate_pdfs([pdf for _one, pdf in prepared])
        if copy is not None:
            write_atomic(copy, combined, shown=copy_to)
        return letters, combined

    def _file(self, template_id: str, prepared: _Prepared, pdf: bytes, copy: Path | None,
              copy_to: Path | None) -> LetterDetails:
        plan = prepared.plan
        # The client's folder carries the client's name, so the error names the documents folder.
        shown = f"Client {plan.client_id}'s letter in {prepared.documents}"
        folder = prepared.documents / f"{plan.client_id} {safe_file_name(plan.client_name)}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise cannot_write(shown, error) from None
        path = _unique_path(folder, f"{prepared.letter_date:%Y-%m-%d} {template_id} {plan.language}")
        write_atomic(path, pdf, shown=shown)
        copied = False
        try:
            if copy is not None:
                write_atomic(copy, pdf, shown=copy_to)
                copied = True
            with self._db.write() as session:
                letter = Letter(client_id=plan.client_id, matter_id=plan.matter_id, hearing_id=plan.hearing_id,
                                template_id=template_id, template_version=plan.template_version,
                                language=plan.language, recipient=str(prepared.fields.get("recipient.name", ""))[:400],
                                created_by=self.user, file_path=str(path),
                                sha256=hashlib.sha256(pdf).hexdigest(), fields=prepared.stored_json)
                session.add(letter)
                session.flush()
                audit.record(session, self.user, "create", "letter", letter.id,
                             f"printed a {TITLES[template_id].lower()} in {LANGUAGE_NAMES[plan.language]} "
                             f"({path.name})", client_id=plan.client_id)
                if template_id == REMINDER_TEMPLATE and plan.hearing_id is not None:
                    close_reminder_follow_ups(session, [plan.hearing_id], self.user)
                return _details(letter, plan.client_name)
        except BaseException:
            # The log is the record of what was sent: a file it does not list must not stay behind.
            with suppress(OSError):
                path.unlink()
            if copied and copy is not None:
                with suppress(OSError):
                    copy.unlink()
            raise

    def copy_target(self, target: Path, force: bool = False) -> Path:
        """`target`, made absolute, if a letter may be written there: refused (TargetRefused, one plain
        sentence) when it exists and `force` is off, and always when it is one of the office's own files."""
        return check_output_target(Path(target), self._locations, force=force)

    def write_copy(self, target: Path, pdf: bytes, force: bool = False) -> Path:
        """Write a letter (a preview, or a logged letter printed again) to a file the user named."""
        path = self.copy_target(target, force)
        write_atomic(path, pdf, shown=target)
        return path

    def _prepare(self, template_id: str, client_id: int | None, matter_id: int | None, hearing_id: int | None,
                 language: str | None, overrides: Mapping[str, Any] | None) -> tuple[_Prepared, bytes]:
        from kantor_cases.letters import TemplateError, field_catalog, render_letter

        from .letter_fields import plain_value, template_problem

        letter_date = date.today()
        with self._db.read() as session:
            plan, source = self._plan(session, template_id, client_id, matter_id, hearing_id, language, letter_date)
            letterhead, documents = self._letterhead(session)
        overrides = _terms_in(template_id, plan.language, overrides or {})
        merged = dict(plan.fields)
        for name, value in overrides.items():
            merged[name] = plain_value(value)
        problems = {name: text for name, text in plan.problems.items() if name not in overrides}
        if problems:
            raise ValidationError(problems, message=" ".join(problems.values()))
        missing = [name for name in plan.missing if _blank(merged.get(name))]
        if missing:
            # Every gap at once, not one per attempt: the person fills them in and prints once.
            described = {f.name: f.description for f in field_catalog(template_id)}
            raise ValidationError({name: "Fill this in." for name in missing}, message=(
                "The letter still needs " + "; ".join(f"“{described[n]}” ({n})" for n in missing)
                + ". It cannot be printed without them."))
        try:
            pdf = render_letter(template_id, plan.language, merged, letterhead, letter_date, source)
        except TemplateError as error:
            raise ValidationError({error.field or "template": error.message},
                                  message=template_problem(template_id, error)) from error
        stored = _stored_json(merged, letterhead, letter_date)
        return _Prepared(plan, merged, letterhead, letter_date, documents, source, stored), pdf

    def _plan(self, session: Session, template_id: str, client_id: int | None, matter_id: int | None,
              hearing_id: int | None, language: str | None, letter_date: date) -> tuple[LetterPlan, str | None]:
        from kantor_cases.letters import field_catalog

        from .letter_fields import build_fields, plain_value

        if template_id not in TITLES:
            raise _refuse("template", f"There is no letter called “{template_id}”; the letters are "
                          + ", ".join(TITLES) + ".")
        if language is not None and language not in LANGUAGE_NAMES:
            raise _refuse("language", "Letters are written in English (en), Spanish (es) or a language the "
                                      "firm added its own version in (" + ", ".join(FIRM_LANGUAGES) + ").")
        available = self._available_languages(session, template_id)
        if language is not None:
            self._language(template_id, "en", language, available)  # refuse a language the letter lacks
        subject = self._subject(session, template_id, client_id, matter_id, hearing_id)
        lang = self._language(template_id, subject.client.language, language, available)
        source, version = self._active_source(session, template_id, lang)
        fields, problems = build_fields(template_id, lang, subject, self._courts(session), letter_date)
        fields = plain_value(fields)
        required = [f.name for f in field_catalog(template_id) if f.source == "fields" and (
            f.required or (f.required_if is not None and str(fields.get(f.required_if[0])) in f.required_if[1]))]
        missing = tuple(n for n in required if n not in fields and n not in problems)
        plan = LetterPlan(
            template_id=template_id, title=TITLES[template_id], language=lang,
            languages=available, client_id=subject.client.id,
            client_name=subject.client.name, matter_id=subject.matter.id if subject.matter else None,
            hearing_id=subject.hearing.id if subject.hearing else None, fields=fields, problems=problems,
            missing=missing, template_version=version)
        return plan, source

    @staticmethod
    def _available_languages(session: Session, template_id: str) -> tuple[str, ...]:
        """The built-in languages and those the firm added an active version in."""
        added = set(session.scalars(select(LetterTemplate.language).where(
            LetterTemplate.template_id == template_id, LetterTemplate.active.is_(True))))
        return _languages(template_id) + tuple(lang for lang in FIRM_LANGUAGES if lang in added)

    @staticmethod
    def _language(template_id: str, preferred: str, chosen: str | None,
                  available: tuple[str, ...] | None = None) -> str:
        languages = available or _languages(template_id)
        if chosen is not None:
            if chosen not in languages:
                raise _refuse("language", f"The {TITLES[template_id].lower()} is written in "
                                                   + " and ".join(LANGUAGE_NAMES[x] for x in languages)
                                                   + " only.")
            return chosen
        return preferred if preferred in languages else "en"

    def _subject(self, session: Session, template_id: str, client_id: int | None, matter_id: int | None,
                 hearing_id: int | None) -> LetterSubject:
        from .letter_fields import LetterSubject, RelativeData

        needs = NEEDS[template_id]
        title = TITLES[template_id]
        hearing = None
        if hearing_id is not None:
            hearing = self._hearings(session, [hearing_id]).get(hearing_id)
            if hearing is None:
                raise NotFoundError(f"Hearing {hearing_id} does not exist (it may have been deleted).")
            if matter_id is not None and matter_id != hearing.matter_id:
                raise _refuse("hearing", f"Hearing {hearing_id} belongs to another matter.")
            matter_id = hearing.matter_id
        matter = None
        if matter_id is not None:
            matter = self._matters(session, [matter_id]).get(matter_id)
            if matter is None:
                raise NotFoundError(f"Matter {matter_id} does not exist (it may have been deleted).")
            if client_id is not None and client_id != matter.client_id:
                raise _refuse("matter", f"Matter {matter_id} belongs to another client.")
            client_id = matter.client_id
        if client_id is None:
            raise _refuse("client", f"Choose the client the {title.lower()} is for.")
        if needs in ("hearing", "matter") and matter is None:
            what = "a hearing: choose one of the client's matters (its next hearing is used) or a hearing" \
                if needs == "hearing" else "a matter: choose one of the client's matters"
            raise ValidationError({"matter": f"A {title.lower()} is written about {what}."},
                                  message=f"A {title.lower()} is written about {what}; a client alone is not "
                                          "enough.")
        client = self._clients(session, [client_id]).get(client_id)
        if client is None:
            raise NotFoundError(f"Client {client_id} does not exist (it may have been deleted).")
        subject = LetterSubject(client=client, matter=matter)
        start = datetime.now()
        if matter is not None:
            subject.upcoming = self._upcoming(session, [matter.id], start).get(matter.id, [])
            subject.pd_pending = matter.id in self._pending_pd(session, [matter.id])
        elif template_id == "non-engagement":
            subject.upcoming = self._client_upcoming(session, client_id, start)
        if needs == "hearing":
            if hearing is None:
                if not subject.upcoming:
                    raise ValidationError({"hearing": "This matter has no hearing to remind about."},
                                          message="This matter has no upcoming hearing to remind about; add "
                                                  "the hearing to the matter first.")
                hearing = subject.upcoming[0]
            subject.hearing = hearing
        if template_id in PARAGRAPH_TEMPLATES:
            subject.paragraphs = self._paragraphs(session, template_id)
        if template_id == "hearing-reminder" and client.facility.strip():
            subject.facility_lines = self._facilities(session, [client.facility]).get(names.fold(client.facility), ())
        if template_id == "pd-request":
            assert matter is not None
            if matter.kind != "removal":
                raise _refuse("matter", "A PD request is written for a removal defense matter.")
            subject.pd = self._pd_requests(session, [matter.id]).get(matter.id)
            if subject.pd is None:
                raise _refuse("pd_request", "This matter has no PD request; start one on the matter "
                                                     "first.")
            subject.relatives = [RelativeData(r.relationship, r.immigration_status, r.date_of_birth)
                                 for r in session.execute(select(RelatedPerson.relationship,
                                                                 RelatedPerson.immigration_status,
                                                                 RelatedPerson.date_of_birth)
                                                          .where(RelatedPerson.client_id == client.id)
                                                          .order_by(RelatedPerson.id))]
        if template_id == "status-update":
            assert matter is not None
            since = self._last_status_letters(session, [matter.id]).get(matter.id)
            subject.changes = self._changes(session, [matter.id], {matter.id: since} if since else {}).get(
                matter.id, [])
            subject.deadlines = self._open_deadlines(session, [matter.id]).get(matter.id, {})
        return subject

    def _letterhead(self, session: Session) -> tuple[Letterhead, Path]:
        from kantor_cases.letters import Letterhead

        firm = session.get(FirmSettings, 1)
        if firm is None or not firm.firm_name.strip() or not firm.attorney_name.strip():
            raise _refuse("letterhead", "The letterhead has no firm name or attorney yet; fill them in "
                                                 "under Settings → Letterhead.")
        lines = address_lines(firm.street, firm.city, firm.state, firm.postal_code)
        logo = firm.logo_path if firm.logo_path and Path(firm.logo_path).is_file() else None
        letterhead = Letterhead(firm.firm_name, firm.attorney_name, firm.bar_number, lines,
                                display_phone(firm.phone), firm.email, logo)
        documents = Path(firm.documents_dir).expanduser() if firm.documents_dir.strip() else self._documents
        return letterhead, documents

    # --- the log ------------------------------------------------------------------------------------------------

    def get(self, letter_id: int) -> LetterDetails:
        with self._db.read() as session:
            letter = self.load(session, Letter, letter_id, "Letter")
            client = session.get(Client, letter.client_id)
            return _details(letter, _client_name(client) if client else "")

    def letters_for(self, client_id: int | None = None, matter_id: int | None = None,
                    limit: int = 1000) -> list[LetterRow]:
        """A client's or a matter's letters, newest first."""
        if client_id is None and matter_id is None:
            raise _refuse("client", "Choose a client or a matter.")
        with self._db.read() as session:
            statement = _rows_statement()
            if client_id is not None:
                statement = statement.where(Letter.client_id == client_id)
            if matter_id is not None:
                statement = statement.where(Letter.matter_id == matter_id)
            return [_row(r) for r in session.execute(statement.order_by(Letter.id.desc()).limit(limit))]

    def count(self, query: LetterQuery | None = None) -> int:
        with self._db.read() as session:
            statement = _filtered(select(func.count()).select_from(Letter), query or LetterQuery())
            return int(session.execute(statement).scalar_one())

    def page(self, query: LetterQuery | None, offset: int, limit: int) -> list[LetterRow]:
        """Rows [offset, offset + limit) of the office's letter log, newest first."""
        with self._db.read() as session:
            statement = _filtered(_rows_statement(), query or LetterQuery())
            statement = statement.order_by(Letter.id.desc()).offset(max(0, offset)).limit(max(0, limit))
            return [_row(r) for r in session.execute(statement)]

    def regenerate(self, letter_id: int, restore_file: bool = True, copy_to: Path | None = None,
                   force: bool = False) -> RegeneratedLetter:
        """Print a logged letter again from its stored data and say whether it is the same letter.

        When the new bytes match the logged checksum and the file is gone, the file is written back
        (atomically) where the log says it was; a file that differs from the log is left alone.
        With `copy_to`, the new print also goes there (checked first, as for `generate`).
        """
        from kantor_cases.letters import Letterhead, TemplateError, render_letter

        from .letter_fields import template_problem

        copy = None if copy_to is None else self.copy_target(copy_to, force)
        with self._db.read() as session:
            letter = self.load(session, Letter, letter_id, "Letter")
            client = session.get(Client, letter.client_id)
            row = _row_of(letter, _client_name(client) if client else "")
            source = None
            if letter.template_version:
                source = session.execute(select(LetterTemplate.source).where(
                    LetterTemplate.template_id == letter.template_id, LetterTemplate.language == letter.language,
                    LetterTemplate.version == letter.template_version)).scalar()
                if source is None:
                    raise NotFoundError(f"Version {letter.template_version} of the template this letter was "
                                        "printed with no longer exists.")
            stored = json.loads(letter.fields or "{}")
        head = stored.pop("letterhead", None)
        letter_date = date.fromisoformat(stored.pop("letter.date", None) or row.created_at.date().isoformat())
        if head is None:
            raise _refuse("letter", "This letter was logged without its letterhead and cannot be "
                                             "printed again.")
        letterhead = Letterhead(**{**head, "address_lines": tuple(head.get("address_lines", ()))})
        try:
            pdf = render_letter(row.template_id, row.language, stored, letterhead, letter_date, source)
        except TemplateError as error:
            raise ValidationError({error.field or "template": error.message},
                                  message=template_problem(row.template_id, error)) from error
        matches = hashlib.sha256(pdf).hexdigest() == row.sha256
        path = Path(row.file_path)
        if not path.is_file():
            state = "missing"
        else:
            state = "ok" if hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256 else "changed"
        restored = False
        if restore_file and matches and state == "missing" and row.file_path:
            shown = f"Letter {letter_id}'s file"  # its path carries the client's name
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise cannot_write(shown, error) from None
            write_atomic(path, pdf, shown=shown)
            restored = True
            with self._db.write() as session:
                audit.record(session, self.user, "update", "letter", letter_id,
                             f"wrote back the missing file of a {row.title.lower()} ({path.name})",
                             client_id=row.client_id)
        if copy is not None:
            write_atomic(copy, pdf, shown=copy_to)
        return RegeneratedLetter(row, pdf, matches, state, restored)

    # --- batches ----------------------------------------------------------------------------------------------

    def batch_candidates(self, template_id: str, hearings_within_days: int | None = None,
                         firm_status: str | None = None, government_status: str | None = None) -> tuple[int, int]:
        """(letters a batch would print, letters it would skip as already sent), for the dialog."""
        with self._db.read() as session:
            selection = self._batch_selection(template_id, hearings_within_days, firm_status, government_status,
                                              datetime.now())
            total = int(session.execute(select(func.count()).select_from(selection.subquery())).scalar_one())
            sent = self._already_sent(session, template_id, selection)
        return total - len(sent), len(sent)

    def run_batch(self, template_id: str, *, hearings_within_days: int | None = None,
                  firm_status: str | None = None, government_status: str | None = None, force: bool = False,
                  language: str | None = None, out_dir: Path | None = None, progress: Progress | None = None,
                  cancel: Cancel | None = None) -> BatchResult:
        """One letter per hearing (reminders) or per matter (status updates), plus one print file.

        Hearing reminders go to every hearing from now to `hearings_within_days` days ahead that has
        none yet (all of them with `force`); status updates to every matter with the given firm or
        government status that has had none since its status last changed. Letters go into
        `out_dir` (default: a new folder under the documents folder's "Batches"), each logged for its
        client, and the print file beside them. `progress(done, total)` may return False to stop, as
        may `cancel()`; letters already written stay written and logged (see the module docstring).
        """
        from kantor_cases.letters.concatenate import concatenate_pdfs

        from .letter_fields import build_fields, hearing_day_problem, plain_value

        started = time.perf_counter()
        letter_date = date.today()
        with self._db.read() as session:
            letterhead, documents = self._letterhead(session)
            selection = self._batch_selection(template_id, hearings_within_days, firm_status, government_status,
                                              datetime.now())
            sources = {lang: self._active_source(session, template_id, lang)
                       for lang in _languages(template_id)}
            sent = set() if force else self._already_sent(session, template_id, selection)
            subjects = self._batch_subjects(session, template_id, selection, sent)
            courts = self._courts(session)
        if language is not None:
            self._language(template_id, "en", language)
        problems: list[BatchProblem] = []
        jobs: list[_Job] = []
        for subject in subjects:
            closed_day = hearing_day_problem(subject.hearing) if subject.hearing is not None else None
            if closed_day:
                problems.append(_problem(subject, closed_day))
                continue
            lang = self._language(template_id, subject.client.language, language)
            fields, field_problems = build_fields(template_id, lang, subject, courts, letter_date)
            if field_problems:
                problems.append(_problem(subject, " ".join(field_problems.values())))
                continue
            fields = plain_value(fields)
            jobs.append(_Job(subject, lang, fields))
        stamp = datetime.now()
        batch_id = f"{stamp:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
        folder = Path(out_dir) if out_dir is not None else (
            documents / "Batches" / f"{stamp:%Y-%m-%d %H%M%S} {template_id}")
        self._make_batch_folder(folder, batch_id)
        stop_requested = False

        def stop() -> bool:
            return stop_requested or (cancel is not None and bool(cancel()))

        if progress is not None and progress(0, len(jobs)) is False:
            stop_requested = True
        letters: list[LetterRow] = []
        written: list[Path] = []
        printed: list[bytes] = []
        taken: set[str] = set()
        done = 0
        head = plain_value(asdict(letterhead))  # the same letterhead for every letter of the batch
        source_texts = {lang: s for lang, (s, _v) in sources.items()}
        for chunk, results in self._render_stream(template_id, letterhead, letter_date, source_texts, jobs, stop):
            rows: list[dict[str, Any]] = []
            paths: list[Path] = []
            pdfs: list[bytes] = []
            chunk_subjects: list[LetterSubject] = []
            try:
                for job, (pdf, error) in zip(chunk, results, strict=True):
                    if pdf is None:
                        problems.append(_problem(job.subject, error))
                        continue
                    client = job.subject.client
                    when = f" {job.subject.hearing.starts_at:%Y-%m-%d}" if job.subject.hearing else ""
                    path = _unique_path(folder, f"{client.id} {safe_file_name(client.name, 60)}{when} "
                                                f"{template_id} {job.language}", taken)
                    # No fsync per letter: the files are fsynced together before their log rows commit.
                    try:
                        write_atomic(path, pdf, sync=False, shown=f"A letter in {folder}")
                    except WriteFailed as failure:
                        # No permission or a full disk: the letters after this one would fail too.
                        raise WriteFailed(f"{failure} The batch stopped there; the letters printed before "
                                          f"it ({len(letters)}) are logged, and running it again prints the "
                                          "rest.") from None
                    paths.append(path)
                    pdfs.append(pdf)
                    chunk_subjects.append(job.subject)
                    rows.append({
                        "client_id": client.id, "matter_id": job.subject.matter.id if job.subject.matter else None,
                        "hearing_id": job.subject.hearing.id if job.subject.hearing else None,
                        "template_id": template_id, "template_version": sources[job.language][1],
                        "language": job.language, "recipient": str(job.fields.get("recipient.name", ""))[:400],
                        "created_by": self.user, "file_path": str(path),
                        "sha256": hashlib.sha256(pdf).hexdigest(),
                        "fields": _stored_json(job.fields, head, letter_date), "batch_id": batch_id,
                        "_name": client.name,
                    })
                # The log lists only letters whose file reached the disk; the others are reported.
                for index, sync_error in sorted(_sync_files(paths).items(), reverse=True):
                    with suppress(OSError):
                        paths[index].unlink()
                    problems.append(_problem(chunk_subjects[index], "Its file could not be saved to the disk, so it "
                                             f"was not logged as printed: {failure_reason(sync_error)}."))
                    del rows[index], paths[index], pdfs[index], chunk_subjects[index]
                letters.extend(self._log_chunk(rows, template_id))
            except BaseException:
                for path in paths:
                    with suppress(OSError):
                        path.unlink()
                raise
            written.extend(paths)
            printed.extend(pdfs)
            done += len(chunk)
            if progress is not None and progress(done, len(jobs)) is False:
                stop_requested = True
            if stop():
                break
        cancelled = done < len(jobs) and stop()
        combined_path = ""
        if letters:
            combined = concatenate_pdfs(printed)
            path = _unique_path(folder, f"{letter_date:%Y-%m-%d} {template_id} - all {len(letters)} letters "
                                        "(print file)")
            try:
                write_atomic(path, combined)
            except WriteFailed as failure:
                raise WriteFailed(f"{failure} The letters themselves ({len(letters)}) are printed and logged in "
                                  f"{folder}.") from None
            combined_path = str(path)
        seconds = time.perf_counter() - started
        log.info("Batch %s: %d %s letters in %.2f s (%.0f/s), %d skipped, %d problems%s", batch_id, len(letters),
                 template_id, seconds, len(letters) / seconds if seconds else 0, len(sent), len(problems),
                 ", cancelled" if cancelled else "")
        return BatchResult(batch_id, template_id, tuple(letters), len(sent), tuple(problems), cancelled,
                           str(folder), combined_path, seconds)

    def _make_batch_folder(self, folder: Path, batch_id: str) -> None:
        """Create the batch's folder; the office's backups folder is refused before anything is printed."""
        created = [path for path in (folder, *folder.parents) if not path.exists()]  # deepest first
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise cannot_write(folder, error) from None
        try:
            # Letters get names no file has yet (`_unique_path`), so only the office's own places
            # are checked: a name nothing is written to, with replacing allowed.
            check_output_target(folder / f"{batch_id}.pdf", self._locations, force=True)
        except TargetRefused:
            for path in created:
                with suppress(OSError):
                    path.rmdir()
            raise

    def _log_chunk(self, rows: list[dict[str, Any]], template_id: str) -> list[LetterRow]:
        if not rows:
            return []
        stamp = now()
        names_ = [row.pop("_name") for row in rows]
        for row in rows:
            row["created_at"] = stamp
        with self._db.write() as session:
            ids = list(session.execute(insert(Letter).returning(Letter.id, sort_by_parameter_order=True),
                                       rows).scalars())
            title = TITLES[template_id].lower()
            session.execute(insert(AuditEvent), [
                {"at": stamp, "user_name": self.user, "action": "create", "entity": "letter", "entity_id": letter_id,
                 "client_id": row["client_id"], "changes": "{}",
                 "summary": f"printed a {title} in {LANGUAGE_NAMES[row['language']]} "
                            f"({Path(row['file_path']).name}, batch {row['batch_id']})"}
                for letter_id, row in zip(ids, rows, strict=True)])
            if template_id == REMINDER_TEMPLATE:
                close_reminder_follow_ups(session, [row["hearing_id"] for row in rows if row["hearing_id"]], self.user)
        return [LetterRow(id=letter_id, client_id=row["client_id"], client_name=name, matter_id=row["matter_id"],
                          hearing_id=row["hearing_id"], template_id=template_id, title=TITLES[template_id],
                          template_version=row["template_version"], language=row["language"],
                          recipient=row["recipient"], created_at=stamp, created_by=row["created_by"],
                          file_path=row["file_path"], sha256=row["sha256"], batch_id=row["batch_id"])
                for letter_id, row, name in zip(ids, rows, names_, strict=True)]

    def _render_stream(self, template_id: str, letterhead: Letterhead, letter_date: date,
                       sources: Mapping[str, str | None], jobs: Sequence[_Job],
                       stop: Callable[[], bool]) -> Iterator[tuple[Sequence[_Job], list[tuple[bytes | None, str]]]]:
        """Rendered chunks in order; in worker processes when the batch is big enough."""
        from .letter_fields import render_jobs

        chunks = [jobs[i:i + CHUNK] for i in range(0, len(jobs), CHUNK)]
        payload = [[(job.language, job.fields) for job in chunk] for chunk in chunks]
        futures: dict[int, Future[list[tuple[bytes | None, str]]]] = {}
        warm: list[tuple[bytes | None, str]] = []
        if len(jobs) >= POOL_THRESHOLD and self._workers > 1:
            # One letter here first: forked workers then start with the fonts registered and the
            # template compiled, and the rest of the first chunk renders here while they start.
            warm = render_jobs(template_id, letterhead, letter_date, sources, payload[0][:1])
            pool = self._executor()
            if pool is not None:
                try:
                    futures = {index: pool.submit(render_jobs, template_id, letterhead, letter_date, sources,
                                                  payload[index]) for index in range(1, len(chunks))}
                except (BrokenProcessPool, RuntimeError, OSError) as error:
                    log.warning("Rendering the batch in this process: worker processes unavailable (%s)", error)
                    self._discard_pool()
                    futures = {}
        try:
            for index, chunk in enumerate(chunks):
                if stop():
                    return
                results = None
                if index == 0 and warm:
                    results = warm + render_jobs(template_id, letterhead, letter_date, sources, payload[0][1:])
                elif index in futures:
                    try:
                        results = futures[index].result()
                    except BrokenProcessPool as error:
                        log.warning("A letter worker process stopped (%s); rendering the rest here", error)
                        self._discard_pool()
                        futures = {}
                if results is None:
                    results = render_jobs(template_id, letterhead, letter_date, sources, payload[index])
                yield chunk, results
        finally:
            for future in futures.values():
                future.cancel()

    def _executor(self) -> ProcessPoolExecutor | None:
        from .letter_fields import warm_worker

        if self._workers < 2:
            return None
        with self._pool_lock:
            if self._pool is None:
                methods = multiprocessing.get_all_start_methods()
                # fork is instant and inherits warm caches, but forking a process that runs other
                # threads (the window's) can deadlock the child on a lock one of them held; the
                # fork server is forked from a clean single-threaded process instead.
                context: Any
                if "fork" in methods and _single_threaded():
                    context = multiprocessing.get_context("fork")
                    warm_worker()  # here, once: every forked worker starts with its results
                elif "forkserver" in methods:
                    context = multiprocessing.get_context("forkserver")
                    context.set_forkserver_preload(["kantor_cases.services.letter_fields"])
                else:
                    context = multiprocessing.get_context("spawn")
                try:
                    self._pool = ProcessPoolExecutor(self._workers, mp_context=context, initializer=warm_worker)
                except (OSError, ValueError, NotImplementedError) as error:
                    log.warning("No worker processes for letter batches: %s", error)
                    self._workers = 1
                    return None
            return self._pool

    def start_workers(self, expected_letters: int | None = None, wait: bool = False) -> None:
        """Start the batch worker processes now, so that the next batch does not wait for them.

        The batch dialog calls this when it opens, with the number of letters it expects (nothing
        is started for a batch too small to use them). Starting takes about half a second (a fork
        server starts and imports the renderer), so by default it runs on a daemon thread.
        """
        if (expected_letters is not None and expected_letters < POOL_THRESHOLD) or self._pool is not None:
            return

        def start() -> None:
            pool = self._executor()
            if pool is None:
                return
            try:
                for future in [pool.submit(int) for _ in range(self._workers)]:
                    future.result()
            except (BrokenProcessPool, RuntimeError, OSError) as error:
                log.warning("Letter worker processes could not start: %s", error)
                self._discard_pool()

        if wait:
            start()
        else:
            threading.Thread(target=start, name="letter-workers", daemon=True).start()

    def _discard_pool(self) -> None:
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    @staticmethod
    def _batch_selection(template_id: str, days: int | None, firm_status: str | None,
                         government_status: str | None, start: datetime) -> Any:
        """A SELECT of the ids the batch is about (hearing ids for reminders, matter ids for updates)."""
        if template_id == "hearing-reminder":
            if days is None or not 0 <= days <= 366:
                raise _refuse("days", "Give the number of days ahead to look for hearings (0 to 366).")
            if firm_status or government_status:
                raise _refuse("status", "Hearing reminders are chosen by hearing date, not by status.")
            end = datetime.combine(start.date() + timedelta(days=days + 1), dtime())
            return select(Hearing.id).where(Hearing.starts_at >= start, Hearing.starts_at < end)
        if template_id == "status-update":
            if days is not None:
                raise _refuse("days", "Status updates are chosen by status, not by hearing date.")
            if not firm_status and not government_status:
                raise _refuse("status", "Choose the firm status or the court/agency status of the matters "
                                                 "to write to.")
            known_government = {s for _start, paths in st.GOVERNMENT_STATUS_PATHS.values() for s in paths}
            if firm_status and firm_status not in st.FIRM_TRANSITIONS:
                raise _refuse("firm_status", f"“{firm_status}” is not a firm status; use one of "
                                                      + ", ".join(st.FIRM_TRANSITIONS) + ".")
            if government_status and government_status not in known_government:
                raise _refuse("government_status", f"“{government_status}” is not a court or agency "
                                                            "status.")
            statement = select(Matter.id)
            if firm_status:
                statement = statement.where(Matter.firm_status == firm_status)
            if government_status:
                statement = statement.where(Matter.government_status == government_status)
            return statement
        raise _refuse("template", "Batches print hearing reminders (for hearings in the next N days) or "
                                           "status updates (for matters with a given status).")

    def _already_sent(self, session: Session, template_id: str, selection: Any) -> set[int]:
        if template_id == "hearing-reminder":
            return set(session.scalars(select(Letter.hearing_id).where(
                Letter.template_id == "hearing-reminder", Letter.hearing_id.in_(selection)).distinct()))
        # A status update is "sent" when one went out after the matter's status last changed.
        last_change = (select(StatusChange.matter_id, func.max(StatusChange.at).label("at"))
                       .where(StatusChange.matter_id.in_(selection), StatusChange.pd_request_id.is_(None))
                       .group_by(StatusChange.matter_id).subquery())
        last_letter = (select(Letter.matter_id, func.max(Letter.created_at).label("at"))
                       .where(Letter.template_id == "status-update", Letter.matter_id.in_(selection))
                       .group_by(Letter.matter_id).subquery())
        statement = (select(last_letter.c.matter_id)
                     .outerjoin(last_change, last_change.c.matter_id == last_letter.c.matter_id)
                     .where(or_(last_change.c.at.is_(None), last_letter.c.at >= last_change.c.at)))
        return set(session.scalars(statement))

    def _batch_subjects(self, session: Session, template_id: str, selection: Any, sent: set[int]) -> list[LetterSubject]:
        from .letter_fields import LetterSubject

        start = datetime.now()
        if template_id == "hearing-reminder":
            hearings = [h for h in self._hearings(session, selection).values() if h.id not in sent]
            matter_ids = sorted({h.matter_id for h in hearings})
        else:
            hearings = []
            matter_ids = sorted(set(session.scalars(selection)) - sent)
        matters = self._matters(session, matter_ids)
        clients = self._clients(session, sorted({m.client_id for m in matters.values()}))
        pending = self._pending_pd(session, matter_ids)
        subjects: list[LetterSubject] = []
        if template_id == "hearing-reminder":
            paragraphs = self._paragraphs(session, template_id)
            facilities = self._facilities(session, {c.facility for c in clients.values() if c.facility.strip()})
            for hearing in hearings:
                matter = matters[hearing.matter_id]
                client = clients[matter.client_id]
                subjects.append(LetterSubject(client=client, matter=matter, hearing=hearing,
                                              pd_pending=matter.id in pending, paragraphs=paragraphs,
                                              facility_lines=facilities.get(names.fold(client.facility), ())))
            courts = self._courts(session)

            def court_name(subject: LetterSubject) -> str:
                assert subject.hearing is not None and subject.matter is not None
                court = courts.get(subject.hearing.court_id or subject.matter.court_id or 0)
                return court.name if court else ""

            # The order a clerk checks a print run in: by court, then date and time, then name.
            subjects.sort(key=lambda s: (court_name(s), s.hearing.starts_at if s.hearing else start, s.client.name))
            return subjects
        upcoming = self._upcoming(session, matter_ids, start)
        since = self._last_status_letters(session, matter_ids)
        changes = self._changes(session, matter_ids, since)
        deadlines = self._open_deadlines(session, matter_ids)
        for matter_id in matter_ids:
            matter = matters[matter_id]
            subjects.append(LetterSubject(client=clients[matter.client_id], matter=matter,
                                     upcoming=upcoming.get(matter_id, []), pd_pending=matter_id in pending,
                                     changes=changes.get(matter_id, []), deadlines=deadlines.get(matter_id, {})))
        subjects.sort(key=lambda s: (s.client.name, s.matter.id if s.matter else 0))
        return subjects

    # --- loading the records in bulk ------------------------------------------------------------------------------

    @staticmethod
    def _courts(session: Session) -> dict[int, CourtData]:
        from .letter_fields import CourtData

        return {c.id: CourtData(c.name, c.street, c.floor, c.city, c.state, c.postal_code)
                for c in session.scalars(select(Court))}

    @staticmethod
    def _clients(session: Session, ids: Any) -> dict[int, ClientData]:
        from .letter_fields import ClientData

        statement = select(Client.id, Client.given_name, Client.middle_name, Client.family_name,
                           Client.second_family_name, Client.a_number, Client.street, Client.city, Client.state,
                           Client.postal_code, Client.preferred_language, Client.email, Client.detained,
                           Client.detention_facility, Client.country_of_birth, Client.date_of_birth,
                           Client.salutation).where(Client.id.in_(ids))
        result = {}
        for r in session.execute(statement):
            lines = address_lines(r.street, r.city, r.state, r.postal_code)
            result[r.id] = ClientData(r.id, names.full_name(r.given_name, r.middle_name, r.family_name,
                                                         r.second_family_name),
                                   r.a_number or "", lines, r.preferred_language or "en", r.email, r.detained,
                                   r.detention_facility, r.country_of_birth, r.date_of_birth, r.salutation)
        return result

    @staticmethod
    def _matters(session: Session, ids: Any) -> dict[int, MatterData]:
        from .letter_fields import MatterData

        statement = (select(Matter.id, Matter.client_id, Matter.kind, Matter.title, Matter.firm_status,
                            Matter.government_status, RemovalCase.court_id, RemovalCase.judge, RemovalCase.custody,
                            RemovalCase.relief_sought, Party.name.label("employer"))
                     .outerjoin(RemovalCase, RemovalCase.matter_id == Matter.id)
                     .outerjoin(EmploymentClaim, EmploymentClaim.matter_id == Matter.id)
                     .outerjoin(Party, Party.id == EmploymentClaim.employer_id)
                     .where(Matter.id.in_(ids)))
        rows = list(session.execute(statement))
        forms: dict[int, list[str]] = {}
        benefit_ids = [r.id for r in rows if r.kind == "benefit"]
        if benefit_ids:
            for matter_id, form in session.execute(select(BenefitApplication.matter_id, BenefitApplication.form)
                                                   .where(BenefitApplication.matter_id.in_(benefit_ids))
                                                   .order_by(BenefitApplication.id)):
                forms.setdefault(matter_id, []).append(form)
        return {r.id: MatterData(r.id, r.client_id, r.kind, r.title, r.firm_status, r.government_status, r.court_id,
                              r.judge or "", r.custody or "", r.employer or "", tuple(forms.get(r.id, ())),
                              tuple(json.loads(r.relief_sought or "[]")))
                for r in rows}

    @staticmethod
    def _hearing_of(h: Any) -> HearingData:
        from .letter_fields import HearingData

        return HearingData(h.id, h.matter_id, h.starts_at, h.hearing_type, h.courtroom, h.judge,
                        h.interpreter_language, h.court_id, bool(h.special_setting))

    def _hearings(self, session: Session, ids: Any) -> dict[int, HearingData]:
        statement = select(Hearing.id, Hearing.matter_id, Hearing.starts_at, Hearing.hearing_type,
                           Hearing.courtroom, Hearing.judge, Hearing.interpreter_language, Hearing.court_id,
                           Hearing.special_setting).where(Hearing.id.in_(ids)).order_by(Hearing.starts_at, Hearing.id)
        return {h.id: self._hearing_of(h) for h in session.execute(statement)}

    def _upcoming(self, session: Session, matter_ids: Any, start: datetime) -> dict[int, list[HearingData]]:
        statement = select(Hearing.id, Hearing.matter_id, Hearing.starts_at, Hearing.hearing_type,
                           Hearing.courtroom, Hearing.judge, Hearing.interpreter_language, Hearing.court_id,
                           Hearing.special_setting).where(Hearing.matter_id.in_(matter_ids), Hearing.starts_at >= start
                                   ).order_by(Hearing.starts_at, Hearing.id)
        result: dict[int, list[HearingData]] = {}
        for h in session.execute(statement):
            result.setdefault(h.matter_id, []).append(self._hearing_of(h))
        return result

    def _client_upcoming(self, session: Session, client_id: int, start: datetime) -> list[HearingData]:
        matter_ids = select(Matter.id).where(Matter.client_id == client_id)
        return [h for hearings in self._upcoming(session, matter_ids, start).values() for h in hearings]

    @staticmethod
    def _pending_pd(session: Session, matter_ids: Any) -> set[int]:
        return set(session.scalars(select(PdRequest.matter_id).where(
            PdRequest.matter_id.in_(matter_ids), PdRequest.status.in_(sorted(st.PD_OPEN_STATUSES))).distinct()))

    @staticmethod
    def _pd_requests(session: Session, matter_ids: Any) -> dict[int, PdData]:
        """The request a cover letter is for: the newest open one, else the newest."""
        from .letter_fields import PdData

        statement = (select(PdRequest, Party).outerjoin(Party, Party.id == PdRequest.opla_office_id)
                     .where(PdRequest.matter_id.in_(matter_ids)).order_by(PdRequest.id))
        result: dict[int, tuple[bool, PdData]] = {}
        for request, party in session.execute(statement):
            is_open = request.status in st.PD_OPEN_STATUSES
            lines: tuple[str, ...] = ()
            if party is not None:
                lines = address_lines(party.street, party.city, party.state, party.postal_code)
            pd = PdData(request.id, request.action_requested, tuple(json.loads(request.positive_factors or "[]")),
                     tuple(json.loads(request.negative_factors or "[]")), request.factors_notes,
                     tuple(json.loads(request.exhibits or "[]")), party.name if party else "", lines,
                     request.channel, request.regime)
            current = result.get(request.matter_id)
            if current is None or is_open or not current[0]:
                result[request.matter_id] = (is_open, pd)
        return {matter_id: pd for matter_id, (_open, pd) in result.items()}

    @staticmethod
    def _facilities(session: Session, facility_names: Any) -> dict[str, tuple[str, ...]]:
        """Folded facility name -> its mailing address, from the organisations with that name."""
        folded = sorted({names.fold(name) for name in facility_names})
        result: dict[str, tuple[str, ...]] = {}
        for party in session.scalars(select(Party).where(Party.name_folded.in_(folded)).order_by(Party.id)):
            lines = address_lines(party.street, party.city, party.state, party.postal_code)
            if lines and party.name_folded not in result:
                result[party.name_folded] = lines
        return result

    @staticmethod
    def _paragraphs(session: Session, template_id: str) -> dict[str, str]:
        keys = {_paragraph_key(template_id, lang): lang for lang in _languages(template_id) + FIRM_LANGUAGES}
        return {keys[key]: value for key, value in session.execute(
            select(AppMeta.key, AppMeta.value).where(AppMeta.key.in_(sorted(keys)))) if value.strip()}

    @staticmethod
    def _open_deadlines(session: Session, matter_ids: Any) -> dict[int, dict[str, date]]:
        """matter -> rule id -> the earliest due date of its open (not done, not superseded) deadlines."""
        result: dict[int, dict[str, date]] = {}
        statement = (select(Deadline.matter_id, Deadline.rule_id, Deadline.due_on)
                     .where(Deadline.matter_id.in_(matter_ids), Deadline.done_at.is_(None),
                            Deadline.superseded_at.is_(None), Deadline.rule_id != "")
                     .order_by(Deadline.due_on.desc()))
        for matter_id, rule_id, due_on in session.execute(statement):
            result.setdefault(matter_id, {})[rule_id] = due_on  # the earliest is written last
        return result

    @staticmethod
    def _last_status_letters(session: Session, matter_ids: Any) -> dict[int, datetime]:
        rows = session.execute(select(Letter.matter_id, func.max(Letter.created_at)).where(
            Letter.template_id == "status-update", Letter.matter_id.in_(matter_ids)).group_by(Letter.matter_id))
        return {int(matter_id): at for matter_id, at in rows if matter_id is not None}

    @staticmethod
    def _changes(session: Session, matter_ids: Any, since: Mapping[int, datetime]) -> dict[int, list[tuple[datetime, str, str]]]:
        """Status changes since the last status update (or the last 90 days), oldest first."""
        floor = datetime.now() - timedelta(days=90)
        statement = (select(StatusChange.matter_id, StatusChange.at, StatusChange.track, StatusChange.to_status,
                            StatusChange.from_status)
                     .where(StatusChange.matter_id.in_(matter_ids), StatusChange.pd_request_id.is_(None),
                            StatusChange.track == "government", StatusChange.at >= min([floor, *since.values()]))
                     .order_by(StatusChange.at, StatusChange.id))
        result: dict[int, list[tuple[datetime, str, str]]] = {}
        for r in session.execute(statement):
            # A matter's opening status is not news to the client.
            if r.from_status is None or r.at < since.get(r.matter_id, floor):
                continue
            result.setdefault(r.matter_id, []).append((r.at, r.track, r.to_status))
        return result


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _refuse(field_name: str, message: str) -> ValidationError:
    """A refusal with one plain sentence (the field keeps it for the form that shows it)."""
    return ValidationError({field_name: message}, message=message)


def _terms_in(template_id: str, language: str, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The overrides with each per-language term (scope, exclusions, payment schedule) in the letter's
    language. Such a term is given as ``name:es`` (or ``name:en``); a plain ``name`` is English text.
    A letter in another language whose terms were written in English only is refused, the terms
    named: Civ. Code 1632 wants the client's language throughout, never English terms in it."""
    from kantor_cases.letters import field_catalog

    per_language = {f.name: f for f in field_catalog(template_id) if f.per_language}
    result: dict[str, Any] = {}
    given: dict[str, dict[str, Any]] = {}
    for name, value in overrides.items():
        base, _, lang = name.rpartition(":")
        if base in per_language:
            given.setdefault(base, {})[lang] = value
        elif name in per_language:
            given.setdefault(name, {}).setdefault("en", value)
        else:
            result[name] = value
    english_only = []
    for name, texts in given.items():
        if not _blank(texts.get(language)):
            result[name] = texts[language]
        elif language == "en":
            if language in texts:
                result[name] = texts[language]
        elif any(not _blank(text) for text in texts.values()):
            english_only.append(name)
    if english_only:
        info = per_language
        where = LANGUAGE_NAMES.get(language, language)
        raise ValidationError(
            {name: f"Enter this in {where}." for name in english_only},
            message=f"The {where} letter has these terms in another language only: "
                    + "; ".join(f"“{info[n].description}” ({n})" for n in english_only)
                    + f". Enter them in {where}: the agreement must be in the client's language throughout.")
    return result


def _paragraph_key(template_id: str, language: str) -> str:
    return f"letters.paragraph.{template_id}.{language}"


def _sample_letterhead() -> Letterhead:
    """For trial prints of a template before the office has filled in its letterhead."""
    from kantor_cases.letters import Letterhead

    return Letterhead("Law Offices of Miriam R. Kantor", "Miriam R. Kantor", "123456",
                      ("9454 Wilshire Boulevard, Suite 600", "Beverly Hills, CA 90212"),
                      "(310) 555-0142", "office@kantorlaw.example")


def _languages(template_id: str) -> tuple[str, ...]:
    from kantor_cases.letters import template_languages

    return template_languages(template_id)


@dataclass(frozen=True)
class _Prepared:
    """A letter ready to file: its plan, the data it prints, and what it was printed with."""

    plan: LetterPlan
    fields: dict[str, Any]
    letterhead: Letterhead
    letter_date: date
    documents: Path
    source: str | None
    stored_json: str


@dataclass(frozen=True)
class _Job:
    subject: LetterSubject
    language: str
    fields: dict[str, Any]


def _single_threaded() -> bool:
    """True when this process runs one thread only, counted by the OS: Qt's threads (the window,
    its thread pool) are invisible to `threading`. Only Linux can say cheaply; elsewhere, False."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _sync_files(paths: Sequence[Path]) -> dict[int, OSError]:
    """Make the chunk's files durable before the log says they exist (one fsync per file, batched
    after the writes so the disk can coalesce them); returns the files that failed, by position."""
    failed: dict[int, OSError] = {}
    for index, path in enumerate(paths):
        try:
            fd = os.open(path, os.O_RDWR)  # read-write: Windows cannot flush a file opened read-only
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as error:
            failed[index] = error
    return failed


def _problem(subject: LetterSubject, message: str) -> BatchProblem:
    return BatchProblem(subject.client.id, subject.client.name, subject.matter.id if subject.matter else None,
                        subject.hearing.id if subject.hearing else None, message)


def _stored_json(fields: Mapping[str, Any], letterhead: Letterhead | dict[str, Any], letter_date: date) -> str:
    """The log's copy of what a letter was printed from: its fields, its date and its letterhead."""
    from .letter_fields import plain_value

    data = dict(fields)
    data["letter.date"] = letter_date.isoformat()
    data["letterhead"] = letterhead if isinstance(letterhead, dict) else plain_value(asdict(letterhead))
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _version(row: LetterTemplate) -> TemplateVersion:
    return TemplateVersion(row.template_id, row.language, row.version, row.active, row.created_at, row.created_by,
                           row.note, row.source)


def _client_name(client: Client) -> str:
    return names.full_name(client.given_name, client.middle_name, client.family_name, client.second_family_name)


def _row_of(letter: Letter, client_name: str) -> LetterRow:
    return LetterRow(letter.id, letter.client_id, client_name, letter.matter_id, letter.hearing_id,
                     letter.template_id, TITLES.get(letter.template_id, letter.template_id), letter.template_version,
                     letter.language, letter.recipient, letter.created_at, letter.created_by, letter.file_path,
                     letter.sha256, letter.batch_id)


def _details(letter: Letter, client_name: str) -> LetterDetails:
    row = _row_of(letter, client_name)
    return LetterDetails(**{**asdict(row), "fields": json.loads(letter.fields or "{}")})


def _rows_statement() -> Any:
    return (select(Letter.id, Letter.client_id, Client.given_name, Client.middle_name, Client.family_name,
                   Client.second_family_name, Letter.matter_id, Letter.hearing_id, Letter.template_id,
                   Letter.template_version, Letter.language, Letter.recipient, Letter.created_at,
                   Letter.created_by, Letter.file_path, Letter.sha256, Letter.batch_id)
            .join(Client, Client.id == Letter.client_id))


def _filtered(statement: Any, query: LetterQuery) -> Any:
    if query.template_id:
        statement = statement.where(Letter.template_id == query.template_id)
    if query.client_id is not None:
        statement = statement.where(Letter.client_id == query.client_id)
    if query.batch_id:
        statement = statement.where(Letter.batch_id == query.batch_id)
    if query.created_by:
        statement = statement.where(Letter.created_by == query.created_by)
    return statement


def _row(r: Any) -> LetterRow:
    return LetterRow(r.id, r.client_id, names.full_name(r.given_name, r.middle_name, r.family_name,
                                                        r.second_family_name),
                     r.matter_id, r.hearing_id, r.template_id, TITLES.get(r.template_id, r.template_id),
                     r.template_version, r.language, r.recipient, r.created_at, r.created_by, r.file_path, r.sha256,
                     r.batch_id)


