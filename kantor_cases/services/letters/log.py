"""The letter log: every letter printed, with the data it was printed from — looked up, listed a
page at a time, and printed again (`regenerate`), which proves by its checksum that the new print
is the letter that was sent and writes back a file that went missing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from kantor_cases.db.models import Client, Letter, LetterTemplate
from kantor_cases.domain import names
from kantor_cases.domain.errors import NotFoundError, ValidationError
from kantor_cases.domain.letter_records import LetterDetails, LetterQuery, LetterRow, RegeneratedLetter

from .. import audit, restricted
from ..file_writes import write_atomic
from .base import LetterServiceBase, make_letter_folder, refuse
from .templates import TITLES


def _client_name(client: Client) -> str:
    return names.full_name(client.given_name, client.middle_name, client.family_name, client.second_family_name)


def _row_of(letter: Letter, client_name: str) -> LetterRow:
    return LetterRow(letter.id, letter.client_id, client_name, letter.matter_id, letter.hearing_id,
                     letter.template_id, TITLES.get(letter.template_id, letter.template_id), letter.template_version,
                     letter.language, letter.recipient, letter.created_at, letter.created_by, letter.file_path,
                     letter.sha256, letter.batch_id)


def letter_details(letter: Letter, client_name: str) -> LetterDetails:
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


class LetterLogMixin(LetterServiceBase):
    """The letter log's side of the letter service."""

    def get(self, letter_id: int) -> LetterDetails:
        with self._db.read() as session:
            letter = self.load(session, Letter, letter_id, "Letter")
            restricted.refuse_hidden(session, self.user, letter.client_id, "Letter", letter_id)
            client = session.get(Client, letter.client_id)
            return letter_details(letter, _client_name(client) if client else "")

    def letters_for(self, client_id: int | None = None, matter_id: int | None = None,
                    limit: int = 1000) -> list[LetterRow]:
        """A client's or a matter's letters, newest first."""
        if client_id is None and matter_id is None:
            raise refuse("client", "Choose a client or a matter.")
        with self._db.read() as session:
            statement = restricted.visible(_rows_statement(), Letter.client_id,
                                           restricted.hidden_client_ids(session, self.user))
            if client_id is not None:
                statement = statement.where(Letter.client_id == client_id)
            if matter_id is not None:
                statement = statement.where(Letter.matter_id == matter_id)
            return [_row(r) for r in session.execute(statement.order_by(Letter.id.desc()).limit(limit))]

    def count(self, query: LetterQuery | None = None) -> int:
        with self._db.read() as session:
            statement = _filtered(select(func.count()).select_from(Letter), query or LetterQuery())
            hidden = restricted.hidden_client_ids(session, self.user)
            return int(session.execute(restricted.visible(statement, Letter.client_id, hidden)).scalar_one())

    def page(self, query: LetterQuery | None, offset: int, limit: int) -> list[LetterRow]:
        """Rows [offset, offset + limit) of the office's letter log, newest first."""
        with self._db.read() as session:
            statement = restricted.visible(_filtered(_rows_statement(), query or LetterQuery()), Letter.client_id,
                                           restricted.hidden_client_ids(session, self.user))
            statement = statement.order_by(Letter.id.desc()).offset(max(0, offset)).limit(max(0, limit))
            return [_row(r) for r in session.execute(statement)]

    def regenerate(self, letter_id: int, restore_file: bool = True, copy_to: Path | None = None,
                   force: bool = False) -> RegeneratedLetter:
        """Print a logged letter again from its stored data and say whether it is the same letter.

        When the new bytes match the logged checksum and the file is gone, the file is written back
        (atomically) where the log says it was; a file that differs from the log is left alone.
        With `copy_to`, the new print also goes there (checked first, as for `generate`).
        """
        self.require("letters.print")
        from kantor_cases.letters import Letterhead, TemplateError, render_letter

        from .fields import template_problem

        copy = None if copy_to is None else self.copy_target(copy_to, force)
        with self._db.read() as session:
            letter = self.load(session, Letter, letter_id, "Letter")
            restricted.refuse_hidden(session, self.user, letter.client_id, "Letter", letter_id)
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
            raise refuse("letter", "This letter was logged without its letterhead and cannot be "
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
            # The path the log recorded, even one from before folders were named by client number
            # (it may carry the client's name, so the error names the letter instead).
            shown = f"Letter {letter_id}'s file"
            make_letter_folder(path.parent, shown)
            write_atomic(path, pdf, shown=shown)
            restored = True
            with self._db.write() as session:
                audit.record(session, self.user, "update", "letter", letter_id,
                             f"wrote back the missing file of a {row.title.lower()} ({path.name})",
                             client_id=row.client_id)
        if copy is not None:
            write_atomic(copy, pdf, shown=copy_to)
        return RegeneratedLetter(row, pdf, matches, state, restored)
