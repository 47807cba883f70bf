"""The letters the office prints and its own versions of their texts: the catalog of letters (what
each is called and written about), the template editor's versions, and the standing paragraphs.

A template's text is built in (kantor_cases.letters) until the office saves its own version; every
version is kept, one per template and language is active, and a letter logs the version it was
printed with so that it can be printed again from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kantor_cases.db.models import AppMeta, LetterTemplate
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.letter_records import LANGUAGE_NAMES, TemplateInfo, TemplateVersion

from .. import audit
from . import loading as load
from .base import LetterServiceBase, refuse

if TYPE_CHECKING:
    from kantor_cases.letters import FieldInfo, Letterhead

# Languages the firm may add its own version of any template in (Civ. Code 1632 names them beside
# Spanish); kantor_cases.letters.formatting.FIRM_LANGUAGES, repeated here to keep the renderer's
# import out of the office's start.
FIRM_LANGUAGES: tuple[str, ...] = ("zh", "tl", "vi", "ko")

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


def paragraph_key(template_id: str, language: str) -> str:
    return f"letters.paragraph.{template_id}.{language}"


def sample_letterhead() -> Letterhead:
    """For trial prints of a template before the office has filled in its letterhead."""
    from kantor_cases.letters import Letterhead

    return Letterhead("Law Offices of Miriam R. Kantor", "Miriam R. Kantor", "123456",
                      ("9454 Wilshire Boulevard, Suite 600", "Beverly Hills, CA 90212"),
                      "(310) 555-0142", "office@kantorlaw.example")


def builtin_languages(template_id: str) -> tuple[str, ...]:
    from kantor_cases.letters import template_languages

    return template_languages(template_id)


def version_of(row: LetterTemplate) -> TemplateVersion:
    return TemplateVersion(row.template_id, row.language, row.version, row.active, row.created_at, row.created_by,
                           row.note, row.source)


def check_template(template_id: str, language: str) -> None:
    if template_id not in TITLES:
        raise refuse("template", f"There is no letter called “{template_id}”; the letters are "
                      + ", ".join(TITLES) + ".")
    if language not in builtin_languages(template_id) + FIRM_LANGUAGES:
        raise refuse("language", f"The {TITLES[template_id].lower()} exists in "
                                           + " and ".join(LANGUAGE_NAMES[x] for x in builtin_languages(template_id))
                                           + "; the firm may add its own "
                                           + ", ".join(LANGUAGE_NAMES[x] for x in FIRM_LANGUAGES)
                                           + " version in the template editor.")


def active_source(session: Session, template_id: str, language: str) -> tuple[str | None, int]:
    row = session.execute(select(LetterTemplate.source, LetterTemplate.version).where(
        LetterTemplate.template_id == template_id, LetterTemplate.language == language,
        LetterTemplate.active.is_(True)).order_by(LetterTemplate.version.desc()).limit(1)).first()
    return (row.source, int(row.version)) if row else (None, 0)


def available_languages(session: Session, template_id: str) -> tuple[str, ...]:
    """The built-in languages and those the firm added an active version in."""
    added = set(session.scalars(select(LetterTemplate.language).where(
        LetterTemplate.template_id == template_id, LetterTemplate.active.is_(True))))
    return builtin_languages(template_id) + tuple(lang for lang in FIRM_LANGUAGES if lang in added)


def choose_language(template_id: str, preferred: str, chosen: str | None,
              available: tuple[str, ...] | None = None) -> str:
    languages = available or builtin_languages(template_id)
    if chosen is not None:
        if chosen not in languages:
            names = [LANGUAGE_NAMES[x] for x in languages]
            written_in = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
            # Only the 1632 languages can be added by the firm (Spanish is built in where it belongs).
            addable = (f"; an attorney can add a {LANGUAGE_NAMES[chosen]} version in the letter templates"
                       if chosen in FIRM_LANGUAGES else "")
            raise refuse("language", f"The {TITLES[template_id].lower()} is written in {written_in} only{addable}.")
        return chosen
    return preferred if preferred in languages else "en"


def paragraphs(session: Session, template_id: str) -> dict[str, str]:
    keys = {paragraph_key(template_id, lang): lang for lang in builtin_languages(template_id) + FIRM_LANGUAGES}
    return {keys[key]: value for key, value in session.execute(
        select(AppMeta.key, AppMeta.value).where(AppMeta.key.in_(sorted(keys)))) if value.strip()}


class TemplateMixin(LetterServiceBase):
    """The template editor's side of the letter service."""


    def templates(self) -> list[TemplateInfo]:
        with self._db.read() as session:
            active = {(t, lang): v for t, lang, v in session.execute(
                select(LetterTemplate.template_id, LetterTemplate.language, func.max(LetterTemplate.version))
                .where(LetterTemplate.active.is_(True))
                .group_by(LetterTemplate.template_id, LetterTemplate.language))}
        result = []
        for t in TITLES:
            languages = builtin_languages(t) + tuple(lang for lang in FIRM_LANGUAGES if (t, lang) in active)
            result.append(TemplateInfo(t, TITLES[t], languages, NEEDS[t], NEEDS_TEXT[NEEDS[t]],
                                       {lang: int(active.get((t, lang), 0)) for lang in languages}))
        return result

    def fields(self, template_id: str) -> list[FieldInfo]:
        """The fields of a letter a person may fill in or correct (the catalog, less what the
        letterhead and the date supply), in the order the New letter dialog lists them."""
        from kantor_cases.letters import field_catalog

        check_template(template_id, "en")
        return [f for f in field_catalog(template_id) if f.source == "fields"]

    def catalog(self, template_id: str) -> list[FieldInfo]:
        """Every field a template may name, letterhead and date included (the template editor's list)."""
        from kantor_cases.letters import field_catalog

        check_template(template_id, "en")
        return field_catalog(template_id)

    def template_source(self, template_id: str, language: str) -> tuple[str, int]:
        """The text letters print with now, and its version (0 = the built-in text)."""
        from kantor_cases.letters import builtin_source

        check_template(template_id, language)
        with self._db.read() as session:
            source, version = active_source(session, template_id, language)
        if source is None:
            # A language the firm has not added yet starts as the English text, to translate.
            source = builtin_source(template_id, language if language in builtin_languages(template_id) else "en")
        return source, version

    def save_template(self, template_id: str, language: str, source: str, note: str = "") -> TemplateVersion:
        """Save the office's copy as a new version; refused, with the field named, if it cannot print."""
        self.require("templates.edit")
        from kantor_cases.letters import TemplateError, render_letter, sample_fields, validate_template

        check_template(template_id, language)
        try:
            validate_template(template_id, source)
            # A trial print with the sample data catches what only filling the template shows.
            render_letter(template_id, language, sample_fields(template_id, language), sample_letterhead(),
                          self.clock.today(), source)
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
            return version_of(row)

    def preview_template(self, template_id: str, language: str, source: str) -> bytes:
        """A template text filled with the catalog's sample data, on the office's letterhead (the
        template editor's live preview). Refused, with the field or line named, if it cannot print."""
        from kantor_cases.letters import TemplateError, render_letter, sample_fields

        check_template(template_id, language)
        with self._db.read() as session:
            try:
                letterhead, _documents = load.letterhead(session, self._documents)
            except ValidationError:
                letterhead = sample_letterhead()  # the editor works before the letterhead is filled in
        try:
            return render_letter(template_id, language, sample_fields(template_id, language), letterhead,
                                 self.clock.today(), source)
        except TemplateError as error:
            raise ValidationError({error.field or "source": error.message}, message=error.message) from error

    def template_history(self, template_id: str, language: str) -> list[TemplateVersion]:
        check_template(template_id, language)
        with self._db.read() as session:
            rows = session.scalars(select(LetterTemplate).where(
                LetterTemplate.template_id == template_id, LetterTemplate.language == language)
                .order_by(LetterTemplate.version.desc()))
            return [version_of(r) for r in rows]

    def revert_template(self, template_id: str, language: str) -> None:
        """Print with the built-in text again; the office's versions stay in the history."""
        self.require("templates.edit")
        check_template(template_id, language)
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
            return paragraphs(session, template_id).get(language, "")

    def set_standing_paragraph(self, template_id: str, language: str, text: str) -> None:
        """Set (or, with blank text, remove) the office's standing paragraph; it prints as written,
        never as template markup. Each language has its own: a Spanish letter never prints English."""
        self.require("templates.edit")
        self._check_paragraph(template_id, language)
        text = "\n".join(line.rstrip() for line in text.strip().splitlines())
        key = paragraph_key(template_id, language)
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
        check_template(template_id, language)
        if template_id not in PARAGRAPH_TEMPLATES:
            raise refuse("template", "A standing paragraph can be added to "
                          + ", ".join(TITLES[t].lower() for t in PARAGRAPH_TEMPLATES) + " only.")
