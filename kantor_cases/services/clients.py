"""Clients and their related persons: create, edit, delete, look up, and list pages for the window.

Every change is one transaction with its audit row and its search-index upkeep; a save based on a
stale copy raises ConflictError naming who changed the client and when. A second client with an
A-number another has is refused with a ValidationError naming that client, whether the check finds
it or the unique index does (a save racing another desk's).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kantor_cases.db import search as search_backend
from kantor_cases.db.models import Client, ClientAccess, Hearing, Matter, RelatedPerson, SearchEntry, User
from kantor_cases.domain import names
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.identifiers import format_a_number
from kantor_cases.domain.records import (
    CLIENT_FIELDS,
    ClientDetails,
    ClientDraft,
    ClientQuery,
    ClientRow,
    RelatedPersonDetails,
    RelatedPersonDraft,
)

from . import audit, restricted, search
from .base import Service
from .validation import validate_client, validate_related_person

SORT_COLUMNS = {
    "name": (Client.sort_name,),
    "a_number": (Client.a_number,),
    "date_of_birth": (Client.date_of_birth,),
    "id": (),
}


def client_columns(draft: ClientDraft) -> dict[str, Any]:
    """Table columns for a validated draft, including the derived name columns lists sort by."""
    fields = vars(draft)  # not getattr: an import does this 100,000 times
    values = {field: fields[field] for field in CLIENT_FIELDS}
    values["aliases"] = json.dumps(list(draft.aliases), ensure_ascii=False) if draft.aliases else "[]"
    values["a_number"] = draft.a_number or None
    values["sort_name"] = names.sort_name(draft.given_name, draft.family_name, draft.second_family_name)
    values["name_folded"] = names.fold(
        names.full_name(draft.given_name, draft.middle_name, draft.family_name, draft.second_family_name))
    values["family_folded"] = names.fold(" ".join(p for p in (draft.family_name, draft.second_family_name) if p))
    return values


def to_details(client: Client) -> ClientDetails:
    values = {field: getattr(client, field) for field in CLIENT_FIELDS}
    values["aliases"] = tuple(json.loads(client.aliases or "[]"))
    values["a_number"] = client.a_number or ""
    return ClientDetails(**values, id=client.id, version=client.version, created_at=client.created_at,
                         created_by=client.created_by, updated_at=client.updated_at, updated_by=client.updated_by)


def _audit_values(draft: ClientDraft) -> dict[str, Any]:
    values = {field: getattr(draft, field) for field in CLIENT_FIELDS}
    values["aliases"] = ", ".join(draft.aliases)
    return values


def related_to_details(person: RelatedPerson) -> RelatedPersonDetails:
    return RelatedPersonDetails(
        given_name=person.given_name, family_name=person.family_name, relationship=person.relationship,
        immigration_status=person.immigration_status, date_of_birth=person.date_of_birth,
        a_number=person.a_number or "", phone=person.phone, notes=person.notes, id=person.id,
        client_id=person.client_id, version=person.version)


class ClientService(Service):
    # --- single clients ---------------------------------------------------------------------------

    def get(self, client_id: int) -> ClientDetails:
        with self._db.read() as session:
            restricted.refuse_hidden(session, self.user, client_id, "Client", client_id)
            return to_details(self.load(session, Client, client_id, "Client"))

    def view(self, client_id: int) -> ClientDetails:
        """The client as a person opens them (the window, `clients show`): a restricted client's
        record is audited as viewed."""
        details = self.get(client_id)
        with self._db.read() as session:
            is_restricted = restricted.restriction(session, client_id).restricted
        if is_restricted:
            with self._db.write() as session:
                audit.record(session, self.user, "view", "client", client_id, "viewed the restricted client",
                             client_id=client_id)
        return details

    # --- restriction --------------------------------------------------------------------------------

    def restriction(self, client_id: int) -> restricted.Restriction:
        with self._db.read() as session:
            restricted.refuse_hidden(session, self.user, client_id, "Client", client_id)
            self.load(session, Client, client_id, "Client")
            return restricted.restriction(session, client_id)

    def restrict(self, client_id: int, allow: list[str]) -> restricted.Restriction:
        """Make the client visible only to administrators, their matters' responsible attorneys and
        the users in `allow` (the list replaces the one before). Restricted clients are also sensitive,
        so privacy mode masks them for the people who see them."""
        self.require("clients.restrict")
        wanted = sorted(set(name.strip() for name in allow if name.strip()))
        with self._db.write() as session:
            restricted.refuse_hidden(session, self.user, client_id, "Client", client_id)
            client = self.load(session, Client, client_id, "Client")
            known = set(session.scalars(select(User.name).where(User.name.in_(wanted))))
            unknown = [name for name in wanted if name not in known]
            if unknown:
                raise ValidationError({"allow": f"There is no user called {unknown[0]}; "
                                                 "add them under Settings → Users first."})
            before = restricted.restriction(session, client_id)
            session.execute(delete(ClientAccess).where(ClientAccess.client_id == client_id))
            if wanted:
                session.execute(insert(ClientAccess), [{"client_id": client_id, "user_name": n} for n in wanted])
            client.restricted = True
            client.sensitive = True
            self.touch(client)
            audit.record(session, self.user, "update", "client", client_id, "restricted the client",
                         {"restricted": [before.restricted, True],
                          "allowed": [", ".join(before.allowed), ", ".join(wanted)]}, client_id=client_id)
            session.flush()
            return restricted.restriction(session, client_id)

    def unrestrict(self, client_id: int) -> None:
        self.require("clients.restrict")
        with self._db.write() as session:
            restricted.refuse_hidden(session, self.user, client_id, "Client", client_id)
            client = self.load(session, Client, client_id, "Client")
            if not client.restricted:
                return
            before = restricted.restriction(session, client_id)
            session.execute(delete(ClientAccess).where(ClientAccess.client_id == client_id))
            client.restricted = False
            self.touch(client)
            audit.record(session, self.user, "update", "client", client_id, "lifted the client's restriction",
                         {"restricted": [True, False], "allowed": [", ".join(before.allowed), ""]},
                         client_id=client_id)

    def create(self, draft: ClientDraft) -> ClientDetails:
        self.require("clients.edit")
        clean = validate_client(draft, self.clock.today())
        with self._db.write() as session:
            self._refuse_duplicate_a_number(session, clean.a_number, None)
            client = Client(**client_columns(clean), created_by=self.user, updated_by=self.user)
            with a_number_guarded(session, clean.a_number, None):
                session.add(client)
                session.flush()
            search.upsert(session, search.client_entry(client))
            audit.record(session, self.user, "create", "client", client.id,
                         f"created the client {names.full_name(clean.given_name, clean.family_name)}",
                         client_id=client.id)
            return to_details(client)

    def update(self, client_id: int, draft: ClientDraft, expected_version: int) -> ClientDetails:
        self.require("clients.edit")
        clean = validate_client(draft, self.clock.today())
        with self._db.write() as session:
            restricted.refuse_hidden(session, self.user, client_id, "Client", client_id)
            client = self.load(session, Client, client_id, "Client")
            self.check_version(client, expected_version, "This client")
            self._refuse_duplicate_a_number(session, clean.a_number, client_id)
            before = _audit_values(to_details(client).draft())
            changes = audit.diff(before, _audit_values(clean))
            if not changes:
                return to_details(client)
            with a_number_guarded(session, clean.a_number, client_id):
                for column, value in client_columns(clean).items():
                    setattr(client, column, value)
                self.touch(client)
                session.flush()
            search.upsert(session, search.client_entry(client))
            audit.record(session, self.user, "update", "client", client.id, "edited the client",
                         changes, client_id=client.id)
            return to_details(client)

    def delete(self, client_id: int, expected_version: int) -> None:
        self.require("clients.delete")
        with self._db.write() as session:
            restricted.refuse_hidden(session, self.user, client_id, "Client", client_id)
            client = self.load(session, Client, client_id, "Client")
            self.check_version(client, expected_version, "This client")
            name = names.full_name(client.given_name, client.middle_name, client.family_name,
                                   client.second_family_name)
            session.execute(delete(SearchEntry).where(SearchEntry.client_id == client_id))
            session.delete(client)
            audit.record(session, self.user, "delete", "client", client_id,
                         f"deleted the client {name} ({format_a_number(client.a_number) or 'no A-number'})",
                         {"name": [name, None]}, client_id=client_id)

    def history(self, client_id: int) -> list[audit.AuditEntry]:
        with self._db.read() as session:
            restricted.refuse_hidden(session, self.user, client_id, "Client", client_id)
            return audit.entries_for_client(session, client_id)

    def _refuse_duplicate_a_number(self, session: Session, a_number: str, own_id: int | None) -> None:
        taken = _a_number_taken(session, a_number, own_id)
        if taken:
            raise taken

    # --- related persons ----------------------------------------------------------------------------

    def related_persons(self, client_id: int) -> list[RelatedPersonDetails]:
        with self._db.read() as session:
            restricted.refuse_hidden(session, self.user, client_id, "Client", client_id)
            rows = session.scalars(select(RelatedPerson).where(RelatedPerson.client_id == client_id)
                                   .order_by(RelatedPerson.id))
            return [related_to_details(r) for r in rows]

    def add_related_person(self, client_id: int, draft: RelatedPersonDraft) -> RelatedPersonDetails:
        self.require("clients.edit")
        clean = validate_related_person(draft, self.clock.today())
        with self._db.write() as session:
            client = self.load(session, Client, client_id, "Client")
            person = RelatedPerson(client_id=client_id, **self._related_columns(clean),
                                   created_by=self.user, updated_by=self.user)
            session.add(person)
            session.flush()
            search.upsert(session, search.related_entry(person, self._client_name(client)))
            audit.record(session, self.user, "create", "related_person", person.id,
                         f"added {clean.relationship} {names.full_name(clean.given_name, clean.family_name)} "
                         f"({clean.immigration_status.upper()})", client_id=client_id)
            return related_to_details(person)

    def update_related_person(self, person_id: int, draft: RelatedPersonDraft,
                              expected_version: int) -> RelatedPersonDetails:
        self.require("clients.edit")
        clean = validate_related_person(draft, self.clock.today())
        with self._db.write() as session:
            person = self.load(session, RelatedPerson, person_id, "Related person")
            self.check_version(person, expected_version, "This related person")
            before = related_to_details(person)
            changes = audit.diff({k: getattr(before, k) for k in RelatedPersonDraft.__dataclass_fields__},
                                 {k: getattr(clean, k) for k in RelatedPersonDraft.__dataclass_fields__})
            for column, value in self._related_columns(clean).items():
                setattr(person, column, value)
            self.touch(person)
            session.flush()
            client = self.load(session, Client, person.client_id, "Client")
            search.upsert(session, search.related_entry(person, self._client_name(client)))
            audit.record(session, self.user, "update", "related_person", person.id,
                         f"edited related person {before.name}", changes, client_id=person.client_id)
            return related_to_details(person)

    def delete_related_person(self, person_id: int, expected_version: int) -> None:
        self.require("clients.edit")
        with self._db.write() as session:
            person = self.load(session, RelatedPerson, person_id, "Related person")
            self.check_version(person, expected_version, "This related person")
            search.remove(session, "related", person.id)
            session.delete(person)
            audit.record(session, self.user, "delete", "related_person", person_id,
                         f"removed related person {related_to_details(person).name}", client_id=person.client_id)

    @staticmethod
    def _related_columns(draft: RelatedPersonDraft) -> dict[str, Any]:
        values = {k: getattr(draft, k) for k in RelatedPersonDraft.__dataclass_fields__}
        values["a_number"] = draft.a_number or None
        values["name_folded"] = names.fold(names.full_name(draft.given_name, "", draft.family_name))
        return values

    @staticmethod
    def _client_name(client: Client) -> str:
        return names.full_name(client.given_name, client.middle_name, client.family_name,
                               client.second_family_name)

    # --- the list ----------------------------------------------------------------------------------

    def _filtered(self, statement: Select[Any], query: ClientQuery, session: Session) -> Select[Any]:
        if query.detained is not None:
            statement = statement.where(Client.detained == query.detained)
        if query.sensitive is not None:
            statement = statement.where(Client.sensitive == query.sensitive)
        if query.language:
            statement = statement.where(Client.preferred_language == query.language)
        if query.hearing_within_days is not None:
            start = self.clock.start_of_today()
            end = start + timedelta(days=query.hearing_within_days + 1)
            upcoming = (select(Matter.client_id).join(Hearing, Hearing.matter_id == Matter.id)
                        .where(Hearing.starts_at >= start, Hearing.starts_at < end))
            statement = statement.where(Client.id.in_(upcoming))
        if query.text.strip():
            fragments = [f for f in search._fragments(query.text) if len(f) >= 3]
            if fragments:
                entry_ids = search_backend.matching_entry_ids(session, fragments, 5000)
                matching = select(SearchEntry.client_id).where(SearchEntry.id.in_(entry_ids),
                                                               SearchEntry.kind == "client")
                statement = statement.where(Client.id.in_(matching))
            else:
                prefix = names.fold(query.text.strip())
                upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
                statement = statement.where(or_(and_(Client.family_folded >= prefix, Client.family_folded < upper),
                                                and_(Client.name_folded >= prefix, Client.name_folded < upper)))
        return statement

    def count(self, query: ClientQuery | None = None) -> int:
        query = query or ClientQuery()
        with self._db.read() as session:
            return self._visible_count(session, query, restricted.hidden_client_ids(session, self.user))

    def count_not_shown(self, query: ClientQuery | None = None) -> int:
        """How many restricted clients the list leaves out for the acting user (those matching `query`)."""
        query = query or ClientQuery()
        with self._db.read() as session:
            return self._hidden_count(session, query, restricted.hidden_client_ids(session, self.user))

    def _visible_count(self, session: Session, query: ClientQuery, hidden: frozenset[int]) -> int:
        # All, less the hidden few by primary key: a NOT IN would turn SQLite's count of the table's
        # pages into a walk of 300,000 rows (64 ms instead of 3 ms).
        everyone = self._filtered(select(func.count()).select_from(Client), query, session)
        return int(session.execute(everyone).scalar_one()) - self._hidden_count(session, query, hidden)

    def _hidden_count(self, session: Session, query: ClientQuery, hidden: frozenset[int]) -> int:
        if not hidden:
            return 0
        statement = self._filtered(select(func.count()).select_from(Client), query, session)
        return int(session.execute(statement.where(Client.id.in_(hidden))).scalar_one())

    def page(self, query: ClientQuery, offset: int, limit: int, total: int | None = None) -> list[ClientRow]:
        """Rows [offset, offset + limit) of the list in its sort order.

        Past the middle the query runs in the opposite order from the end, so the last page of a
        300,000-row list costs what the first does.
        """
        with self._db.read() as session:
            hidden = restricted.hidden_client_ids(session, self.user)
            if total is None:
                total = self._visible_count(session, query, hidden)
            offset = max(0, min(offset, total))
            limit = max(0, min(limit, total - offset))
            if limit == 0:
                return []
            reverse = offset > total // 2
            descending = query.descending != reverse
            order = [*SORT_COLUMNS.get(query.sort, SORT_COLUMNS["name"]), Client.id]
            order_by = [c.desc() for c in order] if descending else list(order)
            statement: Any = select(Client.id, Client.sort_name, Client.a_number, Client.date_of_birth,
                               Client.preferred_language, Client.phone, Client.detained, Client.sensitive)
            statement = restricted.visible(self._filtered(statement, query, session), Client.id,
                                           hidden).order_by(*order_by)
            if reverse:
                statement = statement.offset(total - offset - limit).limit(limit)
            else:
                statement = statement.offset(offset).limit(limit)
            rows = list(session.execute(statement))
            if reverse:
                rows.reverse()
            next_hearings = self._next_hearings(session, [r.id for r in rows])
            return [ClientRow(r.id, r.sort_name, format_a_number(r.a_number), r.date_of_birth,
                              r.preferred_language, r.phone, r.detained, r.sensitive, next_hearings.get(r.id))
                    for r in rows]

    def _next_hearings(self, session: Session, client_ids: list[int]) -> dict[int, datetime]:
        if not client_ids:
            return {}
        statement = (select(Matter.client_id, func.min(Hearing.starts_at))
                     .join(Hearing, Hearing.matter_id == Matter.id)
                     .where(Matter.client_id.in_(client_ids), Hearing.starts_at >= self.clock.now())
                     .group_by(Matter.client_id))
        return {client_id: starts for client_id, starts in session.execute(statement)}

    def row_of(self, client_id: int) -> ClientRow:
        details = self.get(client_id)
        return ClientRow(details.id, details.sort_name, details.a_number_display, details.date_of_birth,
                         details.preferred_language, details.phone, details.detained, details.sensitive)


def _a_number_taken(session: Session, a_number: str, own_id: int | None) -> ValidationError | None:
    """The error for saving `a_number` when another client (not `own_id`) has it, else None."""
    if not a_number:
        return None
    statement = select(Client.id).where(Client.a_number == a_number)
    if own_id is not None:
        statement = statement.where(Client.id != own_id)
    other = session.execute(statement.limit(1)).first()
    if other is None:
        return None
    # By number, not name: error text ends up in screenshots and support mail (issue 11).
    return ValidationError({"a_number": f"{format_a_number(a_number)} already belongs to client {other.id}; "
                                        "open that client instead of entering them again."})


@contextmanager
def a_number_guarded(session: Session, a_number: str, own_id: int | None) -> Iterator[None]:
    """The block's writes in a savepoint: if the unique A-number index refuses them (another desk saved
    that A-number since the check, possible on PostgreSQL), the same ValidationError as the check's."""
    try:
        with session.begin_nested():
            yield
    except IntegrityError as error:
        with session.no_autoflush:  # the refused row is still pending: do not try it again
            taken = _a_number_taken(session, a_number, own_id)
        if taken is None:
            raise
        raise taken from error


def with_changes(details: ClientDetails, **changes: Any) -> ClientDraft:
    """A draft from loaded details with some fields changed (what an edit dialog produces)."""
    return replace(details.draft(), **changes)
