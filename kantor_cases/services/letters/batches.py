"""Letter batches: a hearing reminder for every hearing in the next days, or a status update for
every matter with a given status, and one print file of them all.

A batch loads everything in a few queries, renders in worker processes (`workers`), writes each
letter as it arrives and logs them a chunk at a time: one transaction per chunk with the letters'
audit rows, after the chunk's files are fsynced. A letter that cannot be written or fsynced stops
the batch with WriteFailed (the disk would fail the next one too): the chunk's files are removed,
the letters logged before it stay, and running the batch again prints the rest. Cancelling stops at the next chunk boundary, so every file written is
logged and every logged letter has its file; the combined print file holds exactly the logged
letters. A batch's letters and its print file go into one folder (the `out_dir` given, else a new
folder under the documents folder's "Batches"; never the backups folder), each under a name no
file there has yet; the log points at them there.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from kantor_cases.db.base import now
from kantor_cases.db.models import AuditEvent, Hearing, Letter, Matter, StatusChange
from kantor_cases.domain import names
from kantor_cases.domain import statuses as st
from kantor_cases.domain.hearing_rules import REMINDER_TEMPLATE, upcoming_start
from kantor_cases.domain.letter_records import LANGUAGE_NAMES, BatchProblem, BatchResult, LetterRow

from .. import restricted
from ..file_writes import WriteFailed, sync_written, write_atomic
from ..follow_ups import close_reminder_follow_ups
from ..hearings import reminder_sent, upcoming
from ..output_files import TargetRefused, check_output_target
from . import loading as load
from .base import LetterServiceBase, client_number, make_letter_folder, refuse, unique_path
from .composing import stored_json
from .templates import TITLES, active_source, builtin_languages, choose_language, paragraphs
from .workers import Job

if TYPE_CHECKING:
    from .fields import LetterSubject

log = logging.getLogger(__name__)

Progress = Callable[[int, int], object]
Cancel = Callable[[], bool]

def _stopped(failure: WriteFailed, logged: int) -> WriteFailed:
    """A letter could not be written or kept (no permission, a full or failing disk): the letters
    after it would fail too, so the batch stops, and says what it leaves behind."""
    return WriteFailed(f"{failure} The batch stopped there; the letters printed before it ({logged}) are "
                       "logged, and running it again prints the rest.")


def _problem(subject: LetterSubject, message: str) -> BatchProblem:
    return BatchProblem(subject.client.id, subject.client.name, subject.matter.id if subject.matter else None,
                        subject.hearing.id if subject.hearing else None, message)


class BatchMixin(LetterServiceBase):
    """Batches' side of the letter service."""

    def batch_candidates(self, template_id: str, hearings_within_days: int | None = None,
                         firm_status: str | None = None, government_status: str | None = None) -> tuple[int, int]:
        """(letters a batch would print, letters it would skip as already sent), for the dialog."""
        with self._db.read() as session:
            selection = self._batch_selection(template_id, hearings_within_days, firm_status, government_status,
                                              self.clock.today(), restricted.hidden_client_ids(session, self.user))
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
        self.require("letters.print")
        from kantor_cases.letters.concatenate import PrintFile

        from .fields import build_fields, hearing_day_problem, plain_value

        started = time.monotonic()
        letter_date = self.clock.today()
        with self._db.read() as session:
            letterhead, documents = load.letterhead(session, self._documents)
            selection = self._batch_selection(template_id, hearings_within_days, firm_status, government_status,
                                              self.clock.today(), restricted.hidden_client_ids(session, self.user))
            sources = {lang: active_source(session, template_id, lang)
                       for lang in builtin_languages(template_id)}
            sent = set() if force else self._already_sent(session, template_id, selection)
            subjects = self._batch_subjects(session, template_id, selection, sent)
            courts = load.courts(session)
        if language is not None:
            choose_language(template_id, "en", language)
        problems: list[BatchProblem] = []
        jobs: list[Job] = []
        for subject in subjects:
            closed_day = hearing_day_problem(subject.hearing) if subject.hearing is not None else None
            if closed_day:
                problems.append(_problem(subject, closed_day))
                continue
            lang = choose_language(template_id, subject.client.language, language)
            fields, field_problems = build_fields(template_id, lang, subject, courts, letter_date)
            if field_problems:
                problems.append(_problem(subject, " ".join(field_problems.values())))
                continue
            fields = plain_value(fields)
            jobs.append(Job(subject, lang, fields))
        stamp = self.clock.now()
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
        # Joined a chunk at a time, while the workers render the next ones.
        print_file = PrintFile()
        taken: set[str] = set()
        done = 0
        head = plain_value(asdict(letterhead))  # the same letterhead for every letter of the batch
        source_texts = {lang: s for lang, (s, _v) in sources.items()}
        for chunk, results in self._workers.render_stream(template_id, letterhead, letter_date, source_texts, jobs, stop):
            rows: list[dict[str, Any]] = []
            paths: list[Path] = []
            pdfs: list[bytes] = []
            shown = f"A letter in {folder}"
            try:
                for job, (pdf, error) in zip(chunk, results, strict=True):
                    if pdf is None:
                        problems.append(_problem(job.subject, error))
                        continue
                    client = job.subject.client
                    when = f" {job.subject.hearing.starts_at:%Y-%m-%d}" if job.subject.hearing else ""
                    path = unique_path(folder, f"{client_number(client.id)}{when} {template_id} {job.language}",
                                       taken)
                    # No fsync per letter: the files are fsynced together before their log rows commit.
                    try:
                        write_atomic(path, pdf, sync=False, shown=shown)
                    except WriteFailed as failure:
                        raise _stopped(failure, len(letters)) from None
                    paths.append(path)
                    pdfs.append(pdf)
                    rows.append({
                        "client_id": client.id, "matter_id": job.subject.matter.id if job.subject.matter else None,
                        "hearing_id": job.subject.hearing.id if job.subject.hearing else None,
                        "template_id": template_id, "template_version": sources[job.language][1],
                        "language": job.language, "recipient": str(job.fields.get("recipient.name", ""))[:400],
                        "created_by": self.user, "file_path": str(path),
                        "sha256": hashlib.sha256(pdf).hexdigest(),
                        "fields": stored_json(job.fields, head, letter_date), "batch_id": batch_id,
                        "_name": client.name,
                    })
                # The log lists only letters whose file reached the disk.
                try:
                    sync_written(paths, shown)
                except WriteFailed as failure:
                    raise _stopped(failure, len(letters)) from None
                letters.extend(self._log_chunk(rows, template_id))
            except BaseException:
                for path in paths:
                    with suppress(OSError):
                        path.unlink()
                raise
            written.extend(paths)
            for pdf in pdfs:
                print_file.add(pdf)
            done += len(chunk)
            if progress is not None and progress(done, len(jobs)) is False:
                stop_requested = True
            if stop():
                break
        cancelled = done < len(jobs) and stop()
        combined_path = ""
        if letters:
            combined = print_file.joined()
            path = unique_path(folder, f"{letter_date:%Y-%m-%d} {template_id} - all {len(letters)} letters "
                                        "(print file)")
            try:
                write_atomic(path, combined)
            except WriteFailed as failure:
                raise WriteFailed(f"{failure} The letters themselves ({len(letters)}) are printed and logged in "
                                  f"{folder}.") from None
            combined_path = str(path)
        seconds = time.monotonic() - started
        log.info("Batch %s: %d %s letters in %.2f s (%.0f/s), %d skipped, %d problems%s", batch_id, len(letters),
                 template_id, seconds, len(letters) / seconds if seconds else 0, len(sent), len(problems),
                 ", cancelled" if cancelled else "")
        return BatchResult(batch_id, template_id, tuple(letters), len(sent), tuple(problems), cancelled,
                           str(folder), combined_path, seconds)

    def _make_batch_folder(self, folder: Path, batch_id: str) -> None:
        """Create the batch's folder; the office's backups folder is refused before anything is printed."""
        created = [path for path in (folder, *folder.parents) if not path.exists()]  # deepest first
        make_letter_folder(folder, folder)
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

    @staticmethod
    def _batch_selection(template_id: str, days: int | None, firm_status: str | None,
                         government_status: str | None, today: date, hidden: frozenset[int]) -> Any:
        """A SELECT of the ids the batch is about (hearing ids for reminders, matter ids for updates),
        none of them of the `hidden` clients (services/restricted.py)."""
        if template_id == REMINDER_TEMPLATE:
            if days is None or not 0 <= days <= 366:
                raise refuse("days", "Give the number of days ahead to look for hearings (0 to 366).")
            if firm_status or government_status:
                raise refuse("status", "Hearing reminders are chosen by hearing date, not by status.")
            return upcoming(today, days, hidden=hidden).with_only_columns(Hearing.id)
        if template_id == "status-update":
            if days is not None:
                raise refuse("days", "Status updates are chosen by status, not by hearing date.")
            if not firm_status and not government_status:
                raise refuse("status", "Choose the firm status or the court/agency status of the matters "
                                                 "to write to.")
            known_government = {s for _start, paths in st.GOVERNMENT_STATUS_PATHS.values() for s in paths}
            if firm_status and firm_status not in st.FIRM_TRANSITIONS:
                raise refuse("firm_status", f"“{firm_status}” is not a firm status; use one of "
                                                      + ", ".join(st.FIRM_TRANSITIONS) + ".")
            if government_status and government_status not in known_government:
                raise refuse("government_status", f"“{government_status}” is not a court or agency "
                                                            "status.")
            statement = restricted.visible(select(Matter.id), Matter.client_id, hidden)
            if firm_status:
                statement = statement.where(Matter.firm_status == firm_status)
            if government_status:
                statement = statement.where(Matter.government_status == government_status)
            return statement
        raise refuse("template", "Batches print hearing reminders (for hearings in the next N days) or "
                                           "status updates (for matters with a given status).")

    def _already_sent(self, session: Session, template_id: str, selection: Any) -> set[int]:
        if template_id == REMINDER_TEMPLATE:
            return set(session.scalars(select(Hearing.id).where(Hearing.id.in_(selection), reminder_sent(Hearing.id))))
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
        from .fields import LetterSubject

        start = upcoming_start(self.clock.today())
        if template_id == REMINDER_TEMPLATE:
            hearings = [h for h in load.hearings(session, selection).values() if h.id not in sent]
            matter_ids = sorted({h.matter_id for h in hearings})
        else:
            hearings = []
            matter_ids = sorted(set(session.scalars(selection)) - sent)
        matters = load.matters(session, matter_ids)
        clients = load.clients(session, sorted({m.client_id for m in matters.values()}))
        pending = load.pending_pd(session, matter_ids)
        subjects: list[LetterSubject] = []
        if template_id == REMINDER_TEMPLATE:
            standing = paragraphs(session, template_id)
            facilities = load.facilities(session, {c.facility for c in clients.values() if c.facility.strip()})
            for hearing in hearings:
                matter = matters[hearing.matter_id]
                client = clients[matter.client_id]
                subjects.append(LetterSubject(client=client, matter=matter, hearing=hearing,
                                              pd_pending=matter.id in pending, paragraphs=standing,
                                              facility_lines=facilities.get(names.fold(client.facility), ())))
            courts = load.courts(session)

            def court_name(subject: LetterSubject) -> str:
                assert subject.hearing is not None and subject.matter is not None
                court = courts.get(subject.hearing.court_id or subject.matter.court_id or 0)
                return court.name if court else ""

            # The order a clerk checks a print run in: by court, then date and time, then name.
            subjects.sort(key=lambda s: (court_name(s), s.hearing.starts_at if s.hearing else start, s.client.name))
            return subjects
        upcoming = load.upcoming(session, matter_ids, start)
        since = load.last_status_letters(session, matter_ids)
        changes = load.changes(session, matter_ids, since, self.clock.now())
        deadlines = load.open_deadlines(session, matter_ids)
        for matter_id in matter_ids:
            matter = matters[matter_id]
            subjects.append(LetterSubject(client=clients[matter.client_id], matter=matter,
                                     upcoming=upcoming.get(matter_id, []), pd_pending=matter_id in pending,
                                     changes=changes.get(matter_id, []), deadlines=deadlines.get(matter_id, {})))
        subjects.sort(key=lambda s: (s.client.name, s.matter.id if s.matter else 0))
        return subjects
