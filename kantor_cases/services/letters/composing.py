"""Composing one letter: what the records give for it (`plan`), the letter as it would print
(`preview`), and printing it into the client's folder with its line in the letter log (`generate`).

The records give what they can, the caller fills in what only a person knows (fee terms, documents
to bring) as overrides, and a letter with anything required still missing is refused with the
field named — never printed half filled. A printed letter is written atomically and logged only
once its file is on the disk, with the exact data it was printed from (`stored_json`), so the log
can print the same bytes again. A copy to a file the user names never replaces an existing file
unless asked to, and never the office's own files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kantor_cases.db.models import Letter, RelatedPerson
from kantor_cases.domain import names
from kantor_cases.domain.errors import NotFoundError, ValidationError
from kantor_cases.domain.hearing_rules import REMINDER_TEMPLATE, upcoming_start
from kantor_cases.domain.letter_records import LANGUAGE_NAMES, LetterDetails, LetterPlan

from .. import audit, restricted
from ..file_writes import write_atomic
from ..follow_ups import close_reminder_follow_ups
from . import loading as load
from .base import LetterServiceBase, client_number, make_letter_folder, refuse, unique_path
from .log import letter_details
from .templates import (
    FIRM_LANGUAGES,
    NEEDS,
    PARAGRAPH_TEMPLATES,
    TITLES,
    active_source,
    available_languages,
    builtin_languages,
    choose_language,
    paragraphs,
)

if TYPE_CHECKING:
    from kantor_cases.letters import Letterhead

    from .fields import LetterSubject

def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())



def terms_in(template_id: str, language: str, overrides: Mapping[str, Any]) -> dict[str, Any]:
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
        if not blank(texts.get(language)):
            result[name] = texts[language]
        elif language == "en":
            if language in texts:
                result[name] = texts[language]
        elif any(not blank(text) for text in texts.values()):
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



def stored_json(fields: Mapping[str, Any], letterhead: Letterhead | dict[str, Any], letter_date: date) -> str:
    """The log's copy of what a letter was printed from: its fields, its date and its letterhead."""
    from .fields import plain_value

    data = dict(fields)
    data["letter.date"] = letter_date.isoformat()
    data["letterhead"] = letterhead if isinstance(letterhead, dict) else plain_value(asdict(letterhead))
    return json.dumps(data, ensure_ascii=False, sort_keys=True)



class ComposingMixin(LetterServiceBase):
    """Planning, previewing and printing one letter."""


    def plan(self, template_id: str, client_id: int | None = None, matter_id: int | None = None,
             hearing_id: int | None = None, language: str | None = None) -> LetterPlan:
        """What the records give for this letter and what is still missing (nothing is printed)."""
        with self._db.read() as session:
            return self._plan(session, template_id, client_id, matter_id, hearing_id, language, self.clock.today())[0]

    def attorney_checklist(self, template_id: str, matter_id: int | None) -> list[str]:
        """What the attorney must weigh before this letter goes out: shown beside it, never printed in it.
        Only the PD request has one."""
        from .fields import pd_checklist

        if template_id != "pd-request" or matter_id is None:
            return []
        with self._db.read() as session:
            pd = load.pd_requests(session, [matter_id]).get(matter_id)
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
        self.require("letters.print")
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
        self.require("letters.print")
        from kantor_cases.letters.concatenate import concatenate_pdfs

        copy = None if copy_to is None else self.copy_target(copy_to, force)
        wanted = tuple(languages) if languages else builtin_languages(template_id) if template_id in TITLES else ()
        if len(set(wanted)) < 2:
            raise refuse("language", "Choose at least two languages to print together.")
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
        # documents/client-000123/2026-06-01 hearing-reminder es.pdf: no name in the path. Letters
        # filed before names left the paths keep the path the log recorded for them (regenerate
        # writes a lost one back there), so an old folder named after its client stays as it is.
        folder = prepared.documents / client_number(plan.client_id)
        shown = f"Client {plan.client_id}'s letter in {folder}"
        make_letter_folder(folder, shown)
        path = unique_path(folder, f"{prepared.letter_date:%Y-%m-%d} {template_id} {plan.language}")
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
                return letter_details(letter, plan.client_name)
        except BaseException:
            # The log is the record of what was sent: a file it does not list must not stay behind.
            with suppress(OSError):
                path.unlink()
            if copied and copy is not None:
                with suppress(OSError):
                    copy.unlink()
            raise

    def _prepare(self, template_id: str, client_id: int | None, matter_id: int | None, hearing_id: int | None,
                 language: str | None, overrides: Mapping[str, Any] | None) -> tuple[_Prepared, bytes]:
        from kantor_cases.letters import TemplateError, field_catalog, render_letter

        from .fields import plain_value, template_problem

        letter_date = self.clock.today()
        with self._db.read() as session:
            plan, source = self._plan(session, template_id, client_id, matter_id, hearing_id, language, letter_date)
            letterhead, documents = load.letterhead(session, self._documents)
        overrides = terms_in(template_id, plan.language, overrides or {})
        merged = dict(plan.fields)
        for name, value in overrides.items():
            merged[name] = plain_value(value)
        problems = {name: text for name, text in plan.problems.items() if name not in overrides}
        if problems:
            raise ValidationError(problems, message=" ".join(problems.values()))
        missing = [name for name in plan.missing if blank(merged.get(name))]
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
        stored = stored_json(merged, letterhead, letter_date)
        return _Prepared(plan, merged, letterhead, letter_date, documents, source, stored), pdf

    def _plan(self, session: Session, template_id: str, client_id: int | None, matter_id: int | None,
              hearing_id: int | None, language: str | None, letter_date: date) -> tuple[LetterPlan, str | None]:
        from kantor_cases.letters import field_catalog

        from .fields import build_fields, plain_value

        if template_id not in TITLES:
            raise refuse("template", f"There is no letter called “{template_id}”; the letters are "
                          + ", ".join(TITLES) + ".")
        if language is not None and language not in LANGUAGE_NAMES:
            raise refuse("language", "Letters are written in English (en), Spanish (es) or a language the "
                                      "firm added its own version in (" + ", ".join(FIRM_LANGUAGES) + ").")
        available = available_languages(session, template_id)
        if language is not None:
            choose_language(template_id, "en", language, available)  # refuse a language the letter lacks
        subject = self._subject(session, template_id, client_id, matter_id, hearing_id)
        lang = choose_language(template_id, subject.client.language, language, available)
        source, version = active_source(session, template_id, lang)
        fields, problems = build_fields(template_id, lang, subject, load.courts(session), letter_date)
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

    def _subject(self, session: Session, template_id: str, client_id: int | None, matter_id: int | None,
                 hearing_id: int | None) -> LetterSubject:
        from .fields import LetterSubject, RelativeData

        needs = NEEDS[template_id]
        title = TITLES[template_id]
        hearing = None
        if hearing_id is not None:
            hearing = load.hearings(session, [hearing_id]).get(hearing_id)
            if hearing is None:
                raise NotFoundError(f"Hearing {hearing_id} does not exist (it may have been deleted).")
            if matter_id is not None and matter_id != hearing.matter_id:
                raise refuse("hearing", f"Hearing {hearing_id} belongs to another matter.")
            matter_id = hearing.matter_id
        matter = None
        if matter_id is not None:
            matter = load.matters(session, [matter_id]).get(matter_id)
            if matter is None:
                raise NotFoundError(f"Matter {matter_id} does not exist (it may have been deleted).")
            if client_id is not None and client_id != matter.client_id:
                raise refuse("matter", f"Matter {matter_id} belongs to another client.")
            client_id = matter.client_id
        if client_id is None:
            raise refuse("client", f"Choose the client the {title.lower()} is for.")
        restricted.refuse_hidden(session, self.user, client_id, "Client", client_id)
        if needs in ("hearing", "matter") and matter is None:
            what = "a hearing: choose one of the client's matters (its next hearing is used) or a hearing" \
                if needs == "hearing" else "a matter: choose one of the client's matters"
            raise ValidationError({"matter": f"A {title.lower()} is written about {what}."},
                                  message=f"A {title.lower()} is written about {what}; a client alone is not "
                                          "enough.")
        client = load.clients(session, [client_id]).get(client_id)
        if client is None:
            raise NotFoundError(f"Client {client_id} does not exist (it may have been deleted).")
        subject = LetterSubject(client=client, matter=matter)
        start = upcoming_start(self.clock.today())
        if matter is not None:
            subject.upcoming = load.upcoming(session, [matter.id], start).get(matter.id, [])
            subject.pd_pending = matter.id in load.pending_pd(session, [matter.id])
        elif template_id == "non-engagement":
            subject.upcoming = load.client_upcoming(session, client_id, start)
        if needs == "hearing":
            if hearing is None:
                if not subject.upcoming:
                    raise ValidationError({"hearing": "This matter has no hearing to remind about."},
                                          message="This matter has no upcoming hearing to remind about; add "
                                                  "the hearing to the matter first.")
                hearing = subject.upcoming[0]
            subject.hearing = hearing
        if template_id in PARAGRAPH_TEMPLATES:
            subject.paragraphs = paragraphs(session, template_id)
        if template_id == REMINDER_TEMPLATE and client.facility.strip():
            subject.facility_lines = load.facilities(session, [client.facility]).get(names.fold(client.facility), ())
        if template_id == "pd-request":
            assert matter is not None
            if matter.kind != "removal":
                raise refuse("matter", "A PD request is written for a removal defense matter.")
            subject.pd = load.pd_requests(session, [matter.id]).get(matter.id)
            if subject.pd is None:
                raise refuse("pd_request", "This matter has no PD request; start one on the matter "
                                                     "first.")
            subject.relatives = [RelativeData(r.relationship, r.immigration_status, r.date_of_birth)
                                 for r in session.execute(select(RelatedPerson.relationship,
                                                                 RelatedPerson.immigration_status,
                                                                 RelatedPerson.date_of_birth)
                                                          .where(RelatedPerson.client_id == client.id)
                                                          .order_by(RelatedPerson.id))]
        if template_id == "status-update":
            assert matter is not None
            since = load.last_status_letters(session, [matter.id]).get(matter.id)
            subject.changes = load.changes(session, [matter.id], {matter.id: since} if since else {},
                                           self.clock.now()).get(
                matter.id, [])
            subject.deadlines = load.open_deadlines(session, [matter.id]).get(matter.id, {})
        return subject
