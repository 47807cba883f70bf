"""Everything one open database offers, as services: what the window and the CLI are handed."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3

from kantor_cases.db import migrate
from kantor_cases.db.engine import Database
from kantor_cases.db.integrity import damage_message
from kantor_cases.db.startup import open_database

from .backups import BackupService
from .locations import Locations


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
    backups: BackupService = field(init=False)

    def __post_init__(self) -> None:
        self.backups = BackupService(self.database, self.locations.backups)
        self._build_services()

    def _build_services(self) -> None:
        """Services are imported here so that this module stays the one place that wires them."""
        from .agenda import AgendaService
        from .client_csv import ClientCsvService
        from .clients import ClientService
        from .conflicts import ConflictService
        from .deadlines import DeadlineService
        from .follow_ups import FollowUpService
        from .intake import IntakeService
        from .letters import LetterService
        from .matters import MatterService
        from .search import SearchService
        from .settings import SettingsService

        def actor() -> str:
            return self.user

        self.clients = ClientService(self.database, actor)
        self.matters = MatterService(self.database, actor)
        self.search = SearchService(self.database, actor)
        self.conflicts = ConflictService(self.database, actor)
        self.settings = SettingsService(self.database, actor)
        self.intake = IntakeService(self.database, actor, self.clients, self.matters)
        self.client_csv = ClientCsvService(
            self.database, actor, self.locations,
            backup=self.backups.back_up if self.backups.supported else None)
        self.deadlines = DeadlineService(self.database, actor)
        self.follow_ups = FollowUpService(self.database, actor)
        self.agenda = AgendaService(self.database, actor, self.locations)
        self.letters = LetterService(self.database, actor, self.locations)

    @classmethod
    def open(cls, locations: Locations, user: str | None = None) -> Office:
        BackupService.remove_abandoned_partials(locations.backups)
        database = open_database(locations.database, locations.backups)
        return cls(database, locations, user or fallback_user())

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
        """Problems found by integrity_check and foreign_key_check (empty when all is well). A file too
        damaged for the checks to finish reports that as its problem."""
        if not self.database.is_sqlite:
            return []
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

    @property
    def integrity_checked(self) -> bool:
        """Whether the opening's quick_check has given its verdict (always, for PostgreSQL)."""
        integrity = self.database.integrity
        return integrity is None or integrity.done

    def damage_notice(self) -> str:
        """What to tell the user when the opening's quick_check found the office damaged, else ""."""
        return damage_message("This office") if self.database.damage() else ""

    @property
    def documents_dir(self) -> Path:
        return self.locations.documents

    def close(self) -> None:
        self.letters.close()  # stops the letter batch worker processes, if any were started
        self.database.dispose()
