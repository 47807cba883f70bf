"""Conflict checks: who already in the office's records may be the person or party now coming in.

Candidates come from the search index (any name fragment, the A-number); each is then compared
with rapidfuzz (spelling) and jellyfish (sound) and reported with the reasons a lawyer would
read: same A-number, exact name, name order swapped, second surname dropped, similar spelling,
sounds alike, same date of birth. Each hit says whose record it is, with ids: "spouse of María
García López, client 1482", "opposing party (employer) in matter 3097 of …" — worked out for all the
hits at once, in a few queries.

`batch_conflicts` is the import's check: exact names and A-numbers of a whole file against the
clients, their family members and the organisations on file, set-based (a few queries per 450
rows, never one per row).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import jellyfish
from sqlalchemy import Connection, or_, select
from sqlalchemy.orm import Session

from kantor_cases.db import search as backend
from kantor_cases.db.base import now
from kantor_cases.db.models import (
    Client,
    EmploymentClaim,
    FirmSettings,
    Matter,
    Party,
    PdRequest,
    RelatedPerson,
    SearchEntry,
)
from kantor_cases.domain.clock import SYSTEM_CLOCK, Clock
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.identifiers import format_a_number
from kantor_cases.domain.names import fold, full_name
from kantor_cases.domain.records import (
    ConflictCandidate,
    ConflictHit,
    ConflictReport,
    ImportProblem,
    address_lines,
)
from kantor_cases.domain.statuses import PARTY_KINDS
from kantor_cases.domain.validation import normalize_a_number

from . import audit, restricted, search
from .base import Service
from .file_writes import write_atomic
from .locations import Locations
from .output_files import check_output_target
from .validation import display_phone

if TYPE_CHECKING:
    from kantor_cases.db.engine import Database
    from kantor_cases.letters import Letterhead

CANDIDATE_LIMIT = 3000
SIMILAR_SPELLING = 86


def _tokens(name: str) -> list[str]:
    return [t for t in fold(name).replace("-", " ").replace("'", "").split() if t]


def _sound(tokens: list[str]) -> list[str]:
    return sorted(jellyfish.metaphone(t) for t in tokens)


def name_reasons(wanted: str, existing: str) -> tuple[list[str], int]:
    """Why two person names may be the same person, and how strongly (0–100)."""
    a, b = _tokens(wanted), _tokens(existing)
    if not a or not b:
        return [], 0
    if a == b:
        return ["exact name"], 100
    if sorted(a) == sorted(b):
        return ["same name, order swapped"], 95
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if len(small) >= 2 and set(small) <= set(large) and small[0] == large[0]:
        return ["same name with a surname or middle name dropped"], 90
    if len(small) >= 2 and set(small) <= set(large):
        return ["same names in a different arrangement"], 85
    from rapidfuzz import fuzz  # loaded on the first conflict check, not at start-up

    reasons = []
    score = int(fuzz.token_sort_ratio(" ".join(a), " ".join(b)))
    subset_score = int(fuzz.token_set_ratio(" ".join(a), " ".join(b)))
    if score >= SIMILAR_SPELLING:
        reasons.append(f"similar spelling ({score}%)")
    elif subset_score >= 92 and len(small) >= 2:
        reasons.append(f"similar spelling, part of the name missing ({subset_score}%)")
        score = subset_score - 5
    if _sound(small) == _sound(large[:len(small)]) or _sound(a) == _sound(b):
        reasons.append("sounds alike")
        score = max(score, 80)
    return reasons, score if reasons else 0


class ConflictService(Service):
    def __init__(self, database: Database, actor: Callable[[], str], clock: Clock = SYSTEM_CLOCK,
                 locations: Locations | None = None) -> None:
        super().__init__(database, actor, clock)
        self.locations = locations

    def check(self, candidate: ConflictCandidate) -> ConflictReport:
        name = candidate.name.strip()
        a_number, error = normalize_a_number(candidate.a_number)
        if error:
            raise ValidationError({"a_number": error})
        if not name and not a_number:
            raise ValidationError({"name": "Give a name (or an A-number) to check."})
        with self._db.read() as session:
            hits = self._hits(session, name, a_number, candidate.date_of_birth, candidate.employer)
            hidden = restricted.hidden_client_ids(session, self.user)
            hits = _explained(session, hits, hidden)
            if hidden:
                hits = self._restricted_hits_redacted(session, hits, hidden)
        ordered = sorted(hits.values(), key=lambda h: (-h.score, h.name))
        return ConflictReport(candidate, tuple(ordered), now(), self.user)

    def _hits(self, session: Session, name: str, a_number: str | None, dob: date | None,
              employer: str) -> dict[tuple[str, int], ConflictHit]:
        from rapidfuzz import fuzz

        hits: dict[tuple[str, int], ConflictHit] = {}

        def add(kind: str, ref_id: int, label: str, client_id: int | None, reasons: list[str], score: int,
                detail: str = "") -> None:
            key = (kind, ref_id)
            if key in hits:
                old = hits[key]
                reasons = list(dict.fromkeys([*old.reasons, *reasons]))
                score = max(old.score, score)
                detail = old.detail or detail
            hits[key] = ConflictHit(kind, ref_id, label, client_id, tuple(reasons), score, detail)

        if a_number:
            for client in session.scalars(select(Client).where(Client.a_number == a_number)):
                add("client", client.id, _client_label(client), client.id, ["same A-number"], 100)
            for person in session.scalars(select(RelatedPerson).where(RelatedPerson.a_number == a_number)):
                add("related", person.id, f"{person.given_name} {person.family_name}".strip(), person.client_id,
                    ["same A-number"], 100)

        tokens = _tokens(name)
        long_tokens = [t for t in tokens if len(t) >= 3] + search.sound_keys(name)
        entry_ids = backend.matching_entry_ids(session, long_tokens, CANDIDATE_LIMIT, any_of=True)
        if entry_ids:
            entries = session.execute(select(SearchEntry.kind, SearchEntry.ref_id, SearchEntry.label,
                                             SearchEntry.client_id, SearchEntry.detail)
                                      .where(SearchEntry.id.in_(entry_ids),
                                             SearchEntry.kind.in_(("client", "related", "party"))))
            matched_clients: dict[int, list[str]] = {}
            for kind, ref_id, label, client_id, detail in entries:
                if kind == "party":
                    score = int(fuzz.token_set_ratio(fold(name), fold(label)))
                    if score >= 90:
                        add("party", ref_id, label, None, [f"organisation with a similar name ({score}%)"],
                            score - 10, detail)
                    continue
                reasons, score = name_reasons(name, label)
                if reasons:
                    add(kind, ref_id, label, client_id, reasons, score, detail)
                    if kind == "client":
                        matched_clients[ref_id] = reasons
            if dob and matched_clients:
                for client_id in session.scalars(select(Client.id).where(Client.id.in_(matched_clients),
                                                                        Client.date_of_birth == dob)):
                    hit = hits[("client", client_id)]
                    add("client", client_id, hit.name, client_id, ["same date of birth"], min(100, hit.score + 10))

        if employer.strip():
            employer_tokens = [t for t in _tokens(employer) if len(t) >= 3]
            ids = backend.matching_entry_ids(session, employer_tokens, 500, any_of=False)
            for entry_kind, ref_id, label, client_id in session.execute(
                    select(SearchEntry.kind, SearchEntry.ref_id, SearchEntry.label, SearchEntry.client_id)
                    .where(SearchEntry.id.in_(ids), SearchEntry.kind.in_(("party", "client")))):
                score = int(fuzz.token_set_ratio(fold(employer), fold(label)))
                if score < 90:
                    continue
                if entry_kind == "party":
                    party = session.get(Party, ref_id)
                    role = party.kind.replace("_", " ") if party else "organisation"
                    add("party", ref_id, label, None, [f"the employer is already in our records as {role}"], score)
                else:
                    add("client", ref_id, label, client_id, ["the employer is one of our clients"], 100)
        return hits


    def export_pdf(self, report: ConflictReport, target: Path, decision: str = "", force: bool = False) -> Path:
        """Write the conflict report as a PDF at `target` (a file that may be written:
        `check_output_target`), audited in the same transaction: no file leaves without its row."""
        self.require("clients.export")
        path = check_output_target(target, self.locations, force=force)
        with self._db.read() as session:
            pdf = report_pdf(session, report, decision or undecided(report), "", self.clock.now())
        with self._db.write() as session:
            audit.record(session, self.user, "export", "conflict_check", None,
                         f"saved a conflict check ({len(report.hits)} possible conflicts) as a PDF")
            write_atomic(path, pdf, shown=path)
        return path

    @staticmethod
    def _restricted_hits_redacted(session: Session, hits: dict[tuple[str, int], ConflictHit],
                                  hidden: frozenset[int]) -> dict[tuple[str, int], ConflictHit]:
        """A hit on a restricted client the user may not see (or on someone related to them) is still
        a conflict: it is reported once per client as "restricted client — ask ATTORNEY", with no
        name, id or detail."""
        kept = {key: hit for key, hit in hits.items() if hit.client_id not in hidden}
        strongest: dict[int, int] = {}
        for hit in hits.values():
            if hit.client_id in hidden:
                strongest[hit.client_id] = max(hit.score, strongest.get(hit.client_id, 0))
        for number, (client_id, score) in enumerate(sorted(strongest.items(), key=lambda item: -item[1]), 1):
            named = restricted.restriction(session, client_id)
            ask = ", ".join(named.attorneys or named.allowed) or "an administrator"
            kept[("restricted", number)] = ConflictHit("restricted", number, f"restricted client — ask {ask}", None,
                                                       ("restricted client",), score)
        return kept


def _client_label(client: Client) -> str:
    return " ".join(p for p in (client.given_name, client.middle_name, client.family_name,
                                client.second_family_name) if p)


# A party's part in a matter, as the conflict check words it.
_PARTY_ROLES = {"employer": "opposing party (employer)", "opposing_counsel": "opposing counsel",
                "opla": "ICE OPLA office"}
_SHOWN_MATTERS = 1


def _client_names(session: Session, client_ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(client_ids))
    named: dict[int, str] = {}
    for start in range(0, len(wanted), 900):
        for row in session.execute(select(Client.id, Client.given_name, Client.middle_name, Client.family_name,
                                          Client.second_family_name).where(Client.id.in_(wanted[start:start + 900]))):
            named[row.id] = full_name(row.given_name, row.middle_name, row.family_name, row.second_family_name)
    return named


def _party_matters(session: Session, party_ids: Sequence[int]) -> dict[int, list[tuple[int, int, str]]]:
    """For each party, the matters it is a party in: (matter id, client id, its role), oldest first."""
    found: dict[int, list[tuple[int, int, str]]] = {}
    if not party_ids:
        return found
    claims = session.execute(
        select(EmploymentClaim.matter_id, Matter.client_id, EmploymentClaim.employer_id,
               EmploymentClaim.opposing_counsel_id)
        .join(Matter, Matter.id == EmploymentClaim.matter_id)
        .where(or_(EmploymentClaim.employer_id.in_(party_ids), EmploymentClaim.opposing_counsel_id.in_(party_ids))))
    for matter_id, client_id, employer_id, counsel_id in claims:
        for party_id, role in ((employer_id, "employer"), (counsel_id, "opposing_counsel")):
            if party_id is not None and party_id in party_ids:
                found.setdefault(party_id, []).append((matter_id, client_id, role))
    requests = session.execute(select(PdRequest.matter_id, Matter.client_id, PdRequest.opla_office_id)
                               .join(Matter, Matter.id == PdRequest.matter_id)
                               .where(PdRequest.opla_office_id.in_(party_ids)))
    for matter_id, client_id, party_id in requests:
        if party_id is not None:
            found.setdefault(party_id, []).append((matter_id, client_id, "opla"))
    return {party: sorted(set(matters)) for party, matters in found.items()}


def _explained(session: Session, hits: dict[tuple[str, int], ConflictHit],
               hidden: frozenset[int]) -> dict[tuple[str, int], ConflictHit]:
    """The hits, each saying whose record it is (a restricted client the user may not see is not
    named: those hits are redacted afterwards, and an organisation's matters of such a client are
    only counted)."""
    related_ids = [hit.id for hit in hits.values() if hit.kind == "related"]
    party_ids = [hit.id for hit in hits.values() if hit.kind == "party"]
    relationships = {row.id: row.relationship for row in session.execute(
        select(RelatedPerson.id, RelatedPerson.relationship).where(RelatedPerson.id.in_(related_ids)))}
    party_kinds = {row.id: row.kind for row in session.execute(select(Party.id, Party.kind)
                                                               .where(Party.id.in_(party_ids)))}
    matters = _party_matters(session, party_ids)
    client_ids = {hit.client_id for hit in hits.values() if hit.client_id is not None}
    client_ids |= {client for found in matters.values() for _matter, client, _role in found}
    names = _client_names(session, client_ids - hidden)
    explained = {}
    for key, hit in hits.items():
        relation, matter_id = "", None
        if hit.kind == "client":
            relation = f"a client of the office, client {hit.id}"
        elif hit.kind == "related" and hit.client_id is not None:
            relationship = relationships.get(hit.id, "other")
            relationship = "relative" if relationship == "other" else relationship
            relation = f"{relationship} of {names.get(hit.client_id, 'a client')}, client {hit.client_id}"
        elif hit.kind == "party":
            relation, matter_id = _party_relation(session, party_kinds.get(hit.id, "other"),
                                                  matters.get(hit.id, []), names, hidden)
        explained[key] = replace(hit, relation=relation, matter_id=matter_id)
    return explained


def _party_relation(session: Session, kind: str, matters: list[tuple[int, int, str]], names: dict[int, str],
                    hidden: frozenset[int]) -> tuple[str, int | None]:
    shown = [(matter, client, role) for matter, client, role in matters if client not in hidden]
    secret = [client for _matter, client, _role in matters if client in hidden]
    parts = []
    for matter, client, role in shown[:_SHOWN_MATTERS]:
        parts.append(f"{_PARTY_ROLES.get(role, 'party')} in matter {matter} of {names.get(client, 'a client')}, "
                     f"client {client}")
    if len(shown) > _SHOWN_MATTERS:
        others = len(shown) - _SHOWN_MATTERS
        parts.append(f"and in {others} other matter{'s' if others != 1 else ''}")
    if secret:
        named = restricted.restriction(session, secret[0])
        ask = ", ".join(named.attorneys or named.allowed) or "an administrator"
        parts.append(f"also in a matter of a restricted client — ask {ask}")
    if not parts:
        return f"{PARTY_KINDS.get(kind, 'organisation').lower()} on file, in no matter", None
    return "; ".join(parts), shown[0][0] if shown else None


# --- the import's check ------------------------------------------------------------------------------


class BatchPerson(NamedTuple):
    """One valid row of an import, as the batch check compares it (a tuple: an import makes 100,000
    of them while its write goes on, and a frozen dataclass takes half as long again to make)."""

    line: int
    name_folded: str  # the whole name, folded ("maria elena garcia lopez")
    short_folded: str  # given and family name only, as family members are kept ("maria garcia")
    a_number: str | None


_LISTED = 3  # matches named per reason; the rest are counted


class BatchStopped(Exception):
    """`batch_conflicts` was told to stop; nobody waits for its answer."""


_Found = dict[str, tuple[list[tuple[int, str]], int]]  # key -> (the first few matches, how many in all)
# The database's answers to one kind of look-up, as they came: on SQLite one JSON text per look-up, of
# [key, total, [[number, kind] …]] for each key found; on PostgreSQL (key, number, kind, total) rows.
_Answers = list[str] | list[list[tuple[str, int, str, int]]]


class BatchMatches(NamedTuple):
    """What the batch check found for each distinct A-number and folded name of a file: the first few
    matches (number, kind) and how many there are in all, as the database answered (`found` reads
    them; kept unread until the wording, which an import does once its rows are written)."""

    relatives_by_a: _Answers
    relatives_by_name: _Answers
    clients_by_name: _Answers
    parties_by_name: _Answers


def batch_conflicts(connection: Connection, people: Sequence[BatchPerson],
                    hidden: frozenset[int] = frozenset(),
                    should_stop: Callable[[], bool] | None = None) -> list[ImportProblem]:
    """The rows that may be someone already in the records, each with why, by ids only: same
    A-number or name as a client's family member, same name as a client (a duplicate of the same
    name and date of birth is the import's own business) or as an organisation on file. A client
    the acting user may not see (`hidden`) is "a restricted client", never numbered.

    Two steps, which an import runs apart: `batch_matches` reads the office, `word_batch` only
    words what it found (it cannot fail for want of the database).

    `should_stop` answering True (the import it runs beside failed or was cancelled) ends it with
    BatchStopped before the next look-up.
    """
    return word_batch(people, batch_matches(connection, people, should_stop), hidden)


def batch_matches(connection: Connection, people: Sequence[BatchPerson],
                  should_stop: Callable[[], bool] | None = None) -> BatchMatches:
    """The look-ups of `batch_conflicts`: exact matches on the folded names and A-numbers. Each
    distinct name and A-number of the file is looked up once, 900 at a time on indexed columns (a
    JSON list on SQLite, an IN list on PostgreSQL), and only its first few matches and their count
    come back (a file repeats its common names
    thousands of times, and a common name has hundreds of namesakes). The fuzzy check of one intake
    would cost an import of 100,000 rows minutes."""
    sqlite = connection.dialect.name == "sqlite"

    def look_up(table: str, key: str, number: str, kind: str, values: Iterable[str | None]) -> _Answers:
        answers: list = []
        wanted = sorted({value for value in values if value})
        for start in range(0, len(wanted), 900):
            if should_stop is not None and should_stop():
                raise BatchStopped()
            some = wanted[start:start + 900]
            if sqlite:
                # One row per look-up: SQLite works all of it out without the GIL, which the import's
                # own thread needs meanwhile; the row is read when the conflicts are worded. Each key
                # is sought in the index on its own: its count, and its first few matches alone read
                # (a window over every match sorted all of a common name's namesakes, 4 times slower).
                first = (f"SELECT json_group_array(json_array(n, kind)) FROM (SELECT {number} AS n, {kind} AS kind "
                         f"FROM {table} WHERE {key} = wanted.value ORDER BY {number} LIMIT {_LISTED})")
                answers.append(connection.exec_driver_sql(
                    f"SELECT json_group_array(json_array(k, total, json(first))) FROM ("
                    f"SELECT wanted.value AS k, (SELECT count(*) FROM {table} WHERE {key} = wanted.value) AS total, "
                    f"({first}) AS first FROM json_each(?) AS wanted) WHERE total > 0",
                    (json.dumps(some),)).scalar_one())
            else:
                answers.append(connection.exec_driver_sql(
                    f"SELECT k, n, kind, total FROM (SELECT {key} AS k, {number} AS n, {kind} AS kind, "
                    f"row_number() OVER (PARTITION BY {key} ORDER BY {number}) AS place, "
                    f"count(*) OVER (PARTITION BY {key}) AS total FROM {table} "
                    f"WHERE {key} IN ({', '.join(['%s'] * len(some))})) AS matched WHERE place <= {_LISTED}",
                    tuple(some)).all())
        return answers

    all_names = [p.name_folded for p in people] + [p.short_folded for p in people]
    return BatchMatches(
        look_up("related_persons", "a_number", "client_id", "relationship", (p.a_number for p in people)),
        look_up("related_persons", "name_folded", "client_id", "relationship", all_names),
        look_up("clients", "name_folded", "id", "''", (p.name_folded for p in people)),
        look_up("parties", "name_folded", "id", "kind", all_names))


def word_batch(people: Sequence[BatchPerson], matches: BatchMatches,
               hidden: frozenset[int] = frozenset()) -> list[ImportProblem]:
    """The conflicts of `batch_conflicts`, worded from what `batch_matches` found: each reason once
    per name."""
    relatives_by_a, relatives_by_name, clients_by_name, parties_by_name = (found(answers) for answers in matches)

    def client(client_id: int) -> str:
        return "a restricted client" if client_id in hidden else f"client {client_id}"

    def relatives(what: str, found: tuple[list[tuple[int, str]], int]) -> str:
        first, total = found
        shown = [f"the {_relative(relationship)} of {client(client_id)}" for client_id, relationship in first]
        return f"same {what} as " + _listed(shown, total - len(shown), "family members of clients")

    def organisations(found: tuple[list[tuple[int, str]], int]) -> str:
        first, total = found
        shown = [f"{PARTY_KINDS.get(kind, kind).lower()}, no. {number}" for number, kind in first]
        return "same name as an organisation on file (" + "; ".join(shown) + (
            f"; {total - len(shown)} more" if total > len(shown) else "") + ")"

    def namesakes(found: tuple[list[tuple[int, str]], int]) -> str:
        first, total = found
        shown = [client(number) for number, _ in first if number not in hidden]
        more = total - len(shown)
        if not shown:
            return "same name as " + ("a restricted client" if more == 1 else f"{more} restricted clients")
        return "same name as " + _listed(shown, more, "clients")

    worded: dict[tuple[str, str], str] = {}  # the reasons a name gives, worded once per name

    def by_name(person: BatchPerson) -> str:
        key = (person.name_folded, person.short_folded)
        said = worded.get(key)
        if said is None:
            reasons = []
            for name in dict.fromkeys(key):
                if name in relatives_by_name:
                    reasons.append(relatives("name", relatives_by_name[name]))
                if name in parties_by_name:
                    reasons.append(organisations(parties_by_name[name]))
            if person.name_folded in clients_by_name:
                reasons.append(namesakes(clients_by_name[person.name_folded]))
            said = worded[key] = "; ".join(reasons)
        return said

    conflicts = []
    for person in people:
        said = by_name(person)
        if person.a_number and person.a_number in relatives_by_a:
            said = "; ".join(filter(None, (relatives("A-number", relatives_by_a[person.a_number]), said)))
        if said:
            conflicts.append(ImportProblem(person.line, "last_name", said))
    return conflicts


def found(answers: _Answers) -> _Found:
    """One kind of look-up's matches by key, from the database's answers (`BatchMatches`)."""
    matches: _Found = {}
    for answer in answers:
        if isinstance(answer, str):
            matches.update((key, ([(number, kind) for number, kind in first], total))
                           for key, total, first in json.loads(answer))
        else:
            for key, number, kind, total in answer:
                matches.setdefault(key, ([], total))[0].append((number, kind))
    return matches


def _relative(relationship: str) -> str:
    return "relative" if relationship == "other" else relationship


def _listed(items: list[str], more: int = 0, others: str = "") -> str:
    if more > 0:
        items = [*items, f"{more} other {others}"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- the printed report --------------------------------------------------------------------------------


def undecided(report: ConflictReport) -> str:
    return (f"Not decided yet: saved by {report.checked_by} before the results were acknowledged and the "
            "client taken in.")


def acknowledged(user: str, at: datetime, client_id: int) -> str:
    return (f"Acknowledged by {user} on {at:%d %b %Y at %H:%M}: the results were looked at and the person was "
            f"taken in as client {client_id}.")


def report_pdf(session: Session, report: ConflictReport, decision: str, subject: str, printed_at: datetime) -> bytes:
    from kantor_cases.letters.conflict_report import ConflictHitLine, ConflictReportPage, conflict_report_pdf

    candidate = report.candidate
    searched = [("Name", candidate.name or "(none given)")]
    if candidate.a_number:
        searched.append(("A-number", format_a_number(normalize_a_number(candidate.a_number)[0])
                         or candidate.a_number))
    if candidate.date_of_birth:
        searched.append(("Date of birth", f"{candidate.date_of_birth:%d %b %Y}"))
    if candidate.employer:
        searched.append(("Opposing party", candidate.employer))
    page = ConflictReportPage(
        letterhead=_letterhead(session), subject=subject, searched=tuple(searched), checked_by=report.checked_by,
        checked_at=report.checked_at, printed_at=printed_at, decision=decision,
        hits=tuple(ConflictHitLine(hit.name, hit.relation or hit.kind, "; ".join(hit.reasons), hit.score)
                   for hit in report.hits))
    return conflict_report_pdf(page)


def file_with_client(session: Session, report: ConflictReport, client_id: int, user: str, at: datetime,
                     default_documents: Path) -> Path:
    """Print the report acknowledged at intake into the client's file — the documents folder's
    `client-000123/` where their letters go (no name in the path) — and audit it in the caller's
    transaction. The caller removes the file if that transaction fails."""
    from .letters.base import client_number, make_letter_folder, unique_path

    firm = session.get(FirmSettings, 1)
    documents = Path(firm.documents_dir).expanduser() if firm is not None and firm.documents_dir.strip() \
        else default_documents
    pdf = report_pdf(session, report, acknowledged(user, at, client_id), f"Intake of client {client_id}", at)
    folder = documents / client_number(client_id)
    shown = f"Client {client_id}'s conflict check in {folder}"
    make_letter_folder(folder, shown)
    path = unique_path(folder, f"{at:%Y-%m-%d} conflict-check")
    write_atomic(path, pdf, shown=shown)
    audit.record(session, user, "create", "conflict_check", None,
                 f"filed the conflict check of the intake ({len(report.hits)} possible conflicts, {path.name})",
                 client_id=client_id)
    return path


def _letterhead(session: Session) -> Letterhead | None:
    from kantor_cases.letters import Letterhead

    firm = session.get(FirmSettings, 1)
    if firm is None or not firm.firm_name.strip() or not firm.attorney_name.strip():
        return None
    return Letterhead(firm.firm_name, firm.attorney_name, firm.bar_number,
                      address_lines(firm.street, firm.city, firm.state, firm.postal_code), display_phone(firm.phone),
                      firm.email, firm.logo_path if firm.logo_path and Path(firm.logo_path).is_file() else None)
