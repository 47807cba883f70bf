"""New-client intake: the client, the conflict check they were cleared by, and the first matter —
saved together in one transaction, or not at all. The conflict check is printed into the client's
file as part of it (removed again if the transaction fails)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from kantor_cases.db.engine import Database
from kantor_cases.db.models import Client
from kantor_cases.domain import names
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.records import ClientDetails, ClientDraft, ConflictReport, MatterDetails, MatterDraft

from . import audit, conflicts, search
from .base import Service
from .clients import ClientService, a_number_guarded, client_columns, to_details
from .matters import MatterService
from .validation import validate_client


class IntakeService(Service):
    def __init__(self, database: Database, actor: Callable[[], str], clients: ClientService,
                 matters: MatterService, clock: Clock = SYSTEM_CLOCK, documents: Path | None = None) -> None:
        super().__init__(database, actor, clock)
        self._clients = clients
        self._matters = matters
        self._documents = documents  # where clients' files are, unless the firm settings name a folder

    def intake(self, draft: ClientDraft, conflict_report: ConflictReport, acknowledged: bool,
               matter: MatterDraft) -> tuple[ClientDetails, MatterDetails]:
        self.require("clients.edit")
        if not acknowledged:
            raise ValidationError({"conflict_check": "Look at the conflict check results and acknowledge them."})
        clean = validate_client(draft, self.clock.today())
        filed: list[Path] = []
        try:
            with self._db.write() as session:
                self._clients._refuse_duplicate_a_number(session, clean.a_number, None)
                client = Client(**client_columns(clean), created_by=self.user, updated_by=self.user)
                with a_number_guarded(session, clean.a_number, None):
                    session.add(client)
                    session.flush()
                search.upsert(session, search.client_entry(client))
                audit.record(session, self.user, "create", "client", client.id,
                             f"took in {names.full_name(clean.given_name, clean.family_name)} "
                             f"(conflict check: {len(conflict_report.hits)} possible conflicts, acknowledged)",
                             client_id=client.id)
                matter_id = self._matters.create_in(session, client.id, matter, conflict_report, True)
                details = to_details(client)
                if self._documents is not None:
                    filed.append(conflicts.file_with_client(session, conflict_report, client.id, self.user,
                                                            self.clock.now(), self._documents))
        except BaseException:
            # The client's file holds what the office has: no report of an intake that was not saved.
            for path in filed:
                with suppress(OSError):
                    path.unlink()
            raise
        return details, self._matters.get(matter_id)

