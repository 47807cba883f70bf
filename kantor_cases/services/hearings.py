"""Hearings: scheduling them (a day the immigration courts are closed only as an attorney's special
setting), the filing deadline each one sets, and the lists of the office's upcoming hearings with
whether each has had its reminder letter.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Exists

from kantor_cases.db.models import Client, Court, Hearing, Letter, Matter, RemovalCase
from kantor_cases.domain import names
from kantor_cases.domain import statuses as st
from kantor_cases.domain.calendars import get_calendar
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.hearing_rules import REMINDER_TEMPLATE, upcoming_window
from kantor_cases.domain.records import HearingDetails, HearingDraft

from . import audit, restricted
from .matter_parts import MatterPartService


def reminder_sent(hearing_id: Any) -> Exists:
    """Whether the hearing `hearing_id` (a column) has had its reminder: `domain.hearing_rules` says when."""
    return exists().where(Letter.template_id == REMINDER_TEMPLATE, Letter.hearing_id == hearing_id)


def upcoming(today: date, days: int, court_id: int | None = None, hidden: frozenset[int] = frozenset()) -> Any:
    """A SELECT of the ids (and courts) of the hearings in the next `days` days (`domain.hearing_rules`),
    none of them of the `hidden` clients (services/restricted.py)."""
    start, end = upcoming_window(today, days)
    statement = select(Hearing.id, Hearing.court_id).where(Hearing.starts_at >= start, Hearing.starts_at < end)
    if court_id is not None:
        statement = statement.where(Hearing.court_id == court_id)
    if hidden:
        # The hidden clients' few matters, by the matters' client index: no join of every hearing.
        statement = statement.where(Hearing.matter_id.not_in(select(Matter.id).where(Matter.client_id.in_(hidden))))
    return statement


def hearing_rows(session: Session, hearing_ids: list[int]) -> list[HearingDetails]:
    """Hearings with their client, court and reminder state, in a few set-based queries."""
    if not hearing_ids:
        return []
    result: list[HearingDetails] = []
    for start in range(0, len(hearing_ids), 900):
        chunk = hearing_ids[start:start + 900]
        statement = (select(Hearing.id, Hearing.matter_id, Hearing.starts_at, Hearing.hearing_type,
                            Hearing.court_id, Hearing.courtroom, Hearing.judge, Hearing.interpreter_language,
                            Hearing.result, Hearing.next_step, Hearing.special_setting, Hearing.version,
                            Matter.client_id,
                            Client.given_name, Client.middle_name, Client.family_name, Client.second_family_name,
                            Client.sensitive, Court.code, Court.name, reminder_sent(Hearing.id).label("reminded"))
                     .join(Matter, Matter.id == Hearing.matter_id).join(Client, Client.id == Matter.client_id)
                     .outerjoin(Court, Court.id == Hearing.court_id).where(Hearing.id.in_(chunk)))
        for row in session.execute(statement):
            result.append(HearingDetails(
                starts_at=row.starts_at, hearing_type=row.hearing_type, court_id=row.court_id,
                courtroom=row.courtroom, judge=row.judge, interpreter_language=row.interpreter_language,
                result=row.result, next_step=row.next_step, special_setting=bool(row.special_setting),
                id=row.id, matter_id=row.matter_id,
                client_id=row.client_id,
                client_name=names.full_name(row.given_name, row.middle_name, row.family_name,
                                            row.second_family_name),
                client_sensitive=bool(row.sensitive), court_code=row.code or "", court_name=row.name or "", version=row.version,
                reminder_sent=bool(row.reminded)))
    return result


class HearingService(MatterPartService):
    def add_hearing(self, matter_id: int, draft: HearingDraft) -> HearingDetails:
        self.require("hearings.edit")
        self._check_hearing(draft)
        with self._db.write() as session:
            matter = self.load(session, Matter, matter_id, "Matter")
            if draft.special_setting:
                self.require("hearing.special_setting", session)
            court_id = draft.court_id
            if court_id is None:
                case = session.get(RemovalCase, matter_id)
                court_id = case.court_id if case else None
            hearing = Hearing(matter_id=matter_id, starts_at=draft.starts_at, hearing_type=draft.hearing_type,
                              court_id=court_id, courtroom=names.clean(draft.courtroom), judge=names.clean(draft.judge),
                              interpreter_language=names.clean(draft.interpreter_language),
                              result=draft.result.strip(), next_step=draft.next_step.strip(),
                              special_setting=draft.special_setting, created_by=self.user, updated_by=self.user)
            session.add(hearing)
            self._touch_matter(matter)
            session.flush()
            audit.record(session, self.user, "create", "hearing", hearing.id,
                         f"scheduled a {st.HEARING_TYPES[draft.hearing_type].lower()} hearing on "
                         f"{draft.starts_at:%d %b %Y %H:%M}", client_id=matter.client_id)
            self._sync_hearing_deadlines(session, hearing.matter_id, hearing.id, hearing.hearing_type,
                                         hearing.starts_at.date())
            return hearing_rows(session, [hearing.id])[0]

    def update_hearing(self, hearing_id: int, draft: HearingDraft, expected_version: int) -> HearingDetails:
        self.require("hearings.edit")
        self._check_hearing(draft, allow_past=True)
        with self._db.write() as session:
            hearing = self.load(session, Hearing, hearing_id, "Hearing")
            self.check_version(hearing, expected_version, "This hearing")
            matter = self.load(session, Matter, hearing.matter_id, "Matter")
            if draft.special_setting and not hearing.special_setting:
                self.require("hearing.special_setting", session)
            values = {"starts_at": draft.starts_at, "hearing_type": draft.hearing_type, "court_id": draft.court_id,
                      "courtroom": names.clean(draft.courtroom), "judge": names.clean(draft.judge),
                      "interpreter_language": names.clean(draft.interpreter_language),
                      "result": draft.result.strip(), "next_step": draft.next_step.strip(),
                      "special_setting": draft.special_setting}
            changes = self.save_with_audit(session, hearing, values, "hearing", "edited a hearing",
                                           client_id=matter.client_id)
            self._touch_matter(matter)
            session.flush()
            if "starts_at" in changes or "hearing_type" in changes:
                self._sync_hearing_deadlines(session, hearing.matter_id, hearing_id, hearing.hearing_type,
                                             hearing.starts_at.date())
            return hearing_rows(session, [hearing_id])[0]

    def delete_hearing(self, hearing_id: int, expected_version: int) -> None:
        self.require("hearings.edit")
        with self._db.write() as session:
            hearing = self.load(session, Hearing, hearing_id, "Hearing")
            self.check_version(hearing, expected_version, "This hearing")
            matter = self.load(session, Matter, hearing.matter_id, "Matter")
            # The matter it leaves: the matter's History keeps finding the hearing's rows (services/history).
            audit.record(session, self.user, "delete", "hearing", hearing_id,
                         f"removed the hearing of {hearing.starts_at:%d %b %Y %H:%M}",
                         {"matter_id": [hearing.matter_id, None]}, client_id=matter.client_id)
            # The filing deadline it set is kept as history, not deleted with it.
            self._sync_hearing_deadlines(session, hearing.matter_id, hearing_id, None, None)
            session.delete(hearing)

    def _sync_hearing_deadlines(self, session: Session, matter_id: int, hearing_id: int, hearing_type: str | None,
                                day: date | None) -> None:
        """A hearing's filing deadline (counted back from it) follows the hearing (services/deadlines);
        `hearing_type` None: the hearing was vacated."""
        from . import deadlines

        deadlines.sync_hearing_deadlines(session, self.user, matter_id, hearing_id, hearing_type, day)

    def _check_hearing(self, draft: HearingDraft, allow_past: bool = False) -> None:
        errors = {}
        if draft.hearing_type not in st.HEARING_TYPES:
            errors["hearing_type"] = "Choose a hearing type from the list."
        if draft.starts_at.year < 2000 or draft.starts_at > self.clock.now() + timedelta(days=365 * 5):
            errors["starts_at"] = "That hearing date is not plausible; check the year."
        if errors:
            raise ValidationError(errors)
        closed = self.closed_court_day(draft.starts_at)
        if closed and not draft.special_setting:
            # Every way in (the dialog, a script, the CLI) gets the same sentence the dialog shows.
            raise ValidationError({"starts_at": closed}, message=closed)

    @staticmethod
    def closed_court_day(starts_at: datetime) -> str | None:
        """Why a hearing on this day must be refused at entry unless an attorney confirms a special
        setting (immigration courts sit on business days only), or None when the courts sit."""
        closed = get_calendar("federal").why_closed(starts_at.date())
        if closed is None:
            return None
        return (f"{starts_at:%a %d %b %Y} is a day the immigration courts are closed ({closed}); check the date "
                "on the hearing notice, or have the attorney confirm it as a special setting.")

    def upcoming_hearings(self, days: int, court_id: int | None = None, limit: int = 5000,
                          offset: int = 0) -> list[HearingDetails]:
        """The office's hearings in the next `days` days, by court and date (in SQL); `offset` and
        `limit` give one page of them."""
        with self._db.read() as session:
            hidden = restricted.hidden_client_ids(session, self.user)
            statement = (upcoming(self.clock.today(), days, court_id, hidden).outerjoin(Court, Court.id == Hearing.court_id)
                         .order_by(Court.code, Hearing.starts_at, Hearing.id).offset(offset).limit(limit))
            ids = list(session.scalars(statement))
            rows = {h.id: h for h in hearing_rows(session, ids)}
            return [rows[i] for i in ids]

    def count_upcoming_hearings(self, days: int, court_id: int | None = None) -> int:
        with self._db.read() as session:
            hidden = restricted.hidden_client_ids(session, self.user)
            return int(session.scalar(select(func.count()).select_from(
                upcoming(self.clock.today(), days, court_id, hidden).subquery())) or 0)

    def upcoming_hearing_counts(self, days: int, court_id: int | None = None) -> tuple[int, int, int]:
        """How many hearings in the next `days` days, at how many courts, and how many without a
        reminder letter yet."""
        with self._db.read() as session:
            hearings = upcoming(self.clock.today(), days, court_id,
                                restricted.hidden_client_ids(session, self.user)).subquery()
            total, courts = session.execute(select(func.count(), func.count(hearings.c.court_id.distinct()))
                                            .select_from(hearings)).one()
            unreminded = session.scalar(select(func.count()).select_from(hearings).where(~reminder_sent(hearings.c.id)))
        return int(total), int(courts), int(unreminded or 0)

    def hearings_for_client(self, client_id: int) -> list[HearingDetails]:
        with self._db.read() as session:
            restricted.refuse_hidden(session, self.user, client_id, "Client", client_id)
            ids = list(session.scalars(select(Hearing.id).join(Matter, Matter.id == Hearing.matter_id)
                                       .where(Matter.client_id == client_id).order_by(Hearing.starts_at.desc())))
            rows = {h.id: h for h in hearing_rows(session, ids)}
            return [rows[i] for i in ids]
