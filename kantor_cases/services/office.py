"""Everything one open database offers, as services: what the window and the CLI are handed."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from kantor_cases.db import migrate
from kantor_cases.db.engine import Database
from kantor_cases.db.startup import open_database
from kantor_cases.domain import permissions
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.errors import KantorError

from .backups import BackupService
from .base import acting_role
from .locations import Locations
from .sign_in import audit_failed_sign_ins, sign_in_if_encrypted

if TYPE_CHECKING:
    from .agenda import AgendaService
    from .benefits import BenefitService
    from .client_csv import ClientCsvService
    from .clients import ClientService
    from .conflicts import ConflictService
    from .deadlines import DeadlineService
    from .employment import EmploymentService
    from .follow_ups import FollowUpService
    from .hearings import HearingService
    from .history import HistoryService
    from .intake import IntakeService
    from .letters import LetterService
    from .matters import MatterService
    from .pd_requests import PdRequestService
    from .reports import ReportService
    from .search import SearchService
    from .settings import SettingsService


def fallback_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class Office:
    database: Database
    locations: Locations
    user: str
    # The one source of "today" for everything below the office; tests hand in a FixedClock.
    clock: Clock = SYSTEM_CLOCK
    backups: BackupService = field(init=False)

    def __post_init__(self) -> None:
        self.backups = BackupService(self.database, self.locations.backups, require=self.require,
                                     actor=lambda: self.user)

    # Each service is built (and its module imported) when first used: the window's first paint
    # needs only a few of them, and importing all of them cost a tenth of a second of start-up.
    # This stays the one place that wires them.

    def _actor(self) -> str:
        return self.user

    @cached_property
    def clients(self) -> ClientService:
        from .clients import ClientService

        return ClientService(self.database, self._actor, self.clock)

    @cached_property
    def matters(self) -> MatterService:
        from .matters import MatterService

        return MatterService(self.database, self._actor, self.clock)

    @cached_property
    def hearings(self) -> HearingService:
        from .hearings import HearingService

        return HearingService(self.database, self._actor, self.clock)

    @cached_property
    def pd_requests(self) -> PdRequestService:
        from .pd_requests import PdRequestService

        return PdRequestService(self.database, self._actor, self.clock)

    @cached_property
    def employment(self) -> EmploymentService:
        from .employment import EmploymentService

        return EmploymentService(self.database, self._actor, self.clock)

    @cached_property
    def benefits(self) -> BenefitService:
        from .benefits import BenefitService

        return BenefitService(self.database, self._actor, self.clock)

    @cached_property
    def search(self) -> SearchService:
        from .search import SearchService

        return SearchService(self.database, self._actor, self.clock)

    @cached_property
    def conflicts(self) -> ConflictService:
        from .conflicts import ConflictService

        return ConflictService(self.database, self._actor, self.clock, self.locations)

    @cached_property
    def settings(self) -> SettingsService:
        from .settings import SettingsService

        return SettingsService(self.database, self._actor, self.clock)

    @cached_property
    def intake(self) -> IntakeService:
        from .intake import IntakeService

        return IntakeService(self.database, self._actor, self.clients, self.matters, self.clock,
                             documents=self.locations.documents)

    @cached_property
    def client_csv(self) -> ClientCsvService:
        from .client_csv import ClientCsvService

        return ClientCsvService(self.database, self._actor, self.locations,
                                backup=self.backups.back_up if self.backups.supported else None, clock=self.clock)

    @cached_property
    def deadlines(self) -> DeadlineService:
        from .deadlines import DeadlineService

        return DeadlineService(self.database, self._actor, self.clock, self.locations)

    @cached_property
    def follow_ups(self) -> FollowUpService:
        from .follow_ups import FollowUpService

        return FollowUpService(self.database, self._actor, self.clock)

    @cached_property
    def agenda(self) -> AgendaService:
        from .agenda import AgendaService

        return AgendaService(self.database, self._actor, self.locations, self.clock)

    @cached_property
    def letters(self) -> LetterService:
        from .letters import LetterService

        return LetterService(self.database, self._actor, self.locations, clock=self.clock)

    @cached_property
    def history(self) -> HistoryService:
        from .history import HistoryService

        return HistoryService(self.database, self._actor, self.locations,
                              self.backups.folder if self.backups.supported else None, self.clock)

    @cached_property
    def reports(self) -> ReportService:
        from .reports import ReportService

        return ReportService(self.database, self._actor, self.locations, self.clock)

    @classmethod
    def open(cls, locations: Locations, user: str | None = None, check_later: bool = False,
             clock: Clock = SYSTEM_CLOCK, password: str | None = None) -> Office:
        """The office at `locations`; with `check_later` its integrity check waits for
        `start_integrity_check()` (the window starts it once it has painted). An encrypted office is
        signed in to as `user` with `password` first (see sign_in.py); a plain one opens as before."""
        BackupService.remove_abandoned_partials(locations.backups)
        signed_in = sign_in_if_encrypted(locations, user, password, clock)
        database = open_database(locations.database, locations.backups, check_later,
                                 key=signed_in.data_key if signed_in else None)
        if signed_in is not None:
            audit_failed_sign_ins(database, locations, signed_in)
        return cls(database, locations, user or fallback_user(), clock)

    def role(self) -> str:
        """The acting user's role, read now (the window asks it to disable what the role cannot do)."""
        with self.database.read() as session:
            return acting_role(session, self.user)

    def can(self, action: str) -> bool:
        return permissions.allowed(self.role(), action)

    def require(self, action: str) -> None:
        permissions.check(self.role(), action)

    @property
    def encrypted(self) -> bool:
        """Whether the office's file is encrypted (the window shows a red banner when it is not)."""
        return self.database.encrypted

    def status(self) -> dict[str, str]:
        # A read transaction: the status answers while another desk holds the write lock.
        with self.database.read() as session:
            revision = migrate.current_revision(session.connection())
        return {
            "database": self.database.location,
            "revision": revision or "",
            "head": migrate.head_revision(),
            "sqlite_version": self.database.sqlite_version(),
            "dialect": self.database.engine.dialect.name,
        }

    def check(self) -> list[str]:
        """Problems found by integrity_check and foreign_key_check, then by the audit trail's chain
        checked against itself and the backups (empty when all is well). A file too damaged for the
        checks to finish reports that as its problem."""
        problems = self._check_file() if self.database.is_sqlite else []
        if problems:
            return problems  # the chain of a damaged file cannot be read row by row
        from .audit import verify_trail

        trail = verify_trail(self.database, self.backups.folder if self.backups.supported else None)
        problems = [f"audit: {problem}" for problem in trail.problems]
        if not self.database.is_sqlite:  # a desk role given more than INSERT on the audit table
            from kantor_cases.db.desk_roles import audit_rewriters

            with self.database.read() as session:
                problems += [f"audit: {problem}" for problem in audit_rewriters(session.connection())]
        return problems

    def grant_desk_role(self, role: str) -> None:
        """Give a desk's own PostgreSQL login role what the application needs and, on the audit
        table, only reading, adding and sealing rows (db/desk_roles.py), audited in the same
        transaction. An administrator's act, run with the tables' owner in the URL."""
        from kantor_cases.db.desk_roles import grant_desk

        from . import audit

        self.require("users.manage")
        if self.database.is_sqlite:
            raise KantorError("Only a shared PostgreSQL office has database roles.")
        with self.database.write() as session:
            grant_desk(session.connection(), role)
            audit.record(session, self.user, "grant", "database_role", None,
                         f"gave the PostgreSQL role {role} a desk's privileges (audit rows: add only)")

    def _check_file(self) -> list[str]:
        problems: list[str] = []
        # The driver's own connection, outside any transaction: no lock taken, and a file too damaged
        # to finish the checks leaves no transaction to end.
        with self.database.engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None
            try:
                for (line,) in raw.execute("PRAGMA integrity_check").fetchall():
                    if line != "ok":
                        problems.append(f"integrity: {line}")
                for table, rowid, parent, _fk in raw.execute("PRAGMA foreign_key_check").fetchall():
                    problems.append(f"foreign key: {table} row {rowid} points to a missing {parent}")
            except sqlcipher3.OperationalError:
                raise  # locked, I/O: not a verdict on the file
            except sqlcipher3.DatabaseError as error:
                problems.append(f"integrity: {error}")
        return problems

    def start_integrity_check(self) -> None:
        if self.database.integrity is not None:
            self.database.integrity.resume()

    @property
    def integrity_checked(self) -> bool:
        """Whether the opening's quick_check has given its verdict (always, for PostgreSQL)."""
        integrity = self.database.integrity
        return integrity is None or integrity.done

    def damage_notice(self) -> str:
        """What to tell the user when the opening's quick_check found the office damaged, else ""."""
        if not self.database.damage():
            return ""
        # The window's own words: one line in the banner, the menu to use rather than the commands.
        return ("This office is damaged: it is open read-only and nothing can be saved. "
                "Restore the newest backup (File → Restore from a backup…).")

    @property
    def documents_dir(self) -> Path:
        return self.locations.documents

    def close(self) -> None:
        if "letters" in self.__dict__:
            self.letters.close()  # stops the letter batch worker processes, if any were started
        self.database.dispose()
