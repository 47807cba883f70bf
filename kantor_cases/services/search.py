"""The front-desk search box: one query over names, aliases, A-numbers, receipt numbers, phones,
e-mail and employers — and the upkeep of the index it reads, inside each saving transaction.

Any text is a safe query: it is cut into plain fragments before it reaches the index, so quotes,
`*`, `AND`, `NEAR(` or a lone `-` are just characters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import Any

import jellyfish
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from kantor_cases.db import search as backend
from kantor_cases.db.models import (
    BenefitApplication,
    Client,
    Matter,
    Party,
    SearchEntry,
)
from kantor_cases.domain.identifiers import ANumber, IdentifierError, ReceiptNumber, format_a_number
from kantor_cases.domain.names import fold, full_name
from kantor_cases.domain.records import SearchHit
from kantor_cases.domain.statuses import MatterKind

from . import restricted
from .base import Service

_TOKEN = re.compile(r"\w+", re.UNICODE)
_DIGITS_ONLY = re.compile(r"^[\d\s()+\-.]+$")
_NON_DIGIT = re.compile(r"\D")
# How many index hits are ranked in Python; enough for any front-desk query, small enough to be instant.
CANDIDATES = 200


# --- What goes into the index ---------------------------------------------------------------------


def _phone_digits(phone: str) -> str:
    digits = _NON_DIGIT.sub("", phone)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


# Marks a sound-alike key in the index text ("zqJN" for John/Jon), so conflict checks can find
# "Jon Smyth" from "John Smith" although the two share no three-letter fragment.
SOUND_MARK = "zq"


def sound_keys(name: str) -> list[str]:
    """The marked sound-alike key of each plain word of the name, each once, in order."""
    return list(_sound_keys(fold(name)))


@lru_cache(maxsize=65_536)
def _sound_keys(folded: str) -> tuple[str, ...]:
    # Cached as fold is: an import works out the keys of the same few thousand names over and over.
    keys: list[str] = []
    for token in folded.split():
        if token.isalpha() and token.isascii():
            code = jellyfish.metaphone(token)
            if code and SOUND_MARK + code not in keys:
                keys.append(SOUND_MARK + code)
    return tuple(keys)


def client_entry(client: Any) -> dict[str, Any]:
    """The search entry of a client (an ORM row or anything with the same attributes)."""
    label, detail, text = client_entry_parts(client)
    return {"kind": "client", "ref_id": client.id, "client_id": client.id, "label": label, "detail": detail,
            "text": text}


def client_entry_parts(client: Any) -> tuple[str, str, str]:
    """The label, detail and text of a client's search entry, from anything with a client's name,
    aliases (a JSON list or a sequence), A-number, phones, e-mail and city: an ORM row or a draft."""
    name = full_name(client.given_name, client.middle_name, client.family_name, client.second_family_name)
    aliases = json.loads(client.aliases or "[]") if isinstance(client.aliases, str) else client.aliases
    every_name = " ".join([name, *aliases]) if aliases else name
    parts = [every_name]
    folded = fold(every_name)
    if folded != every_name.lower():
        parts.append(folded)
    parts += _sound_keys(folded)  # fold is idempotent (tests/domain/test_names.py)
    if client.a_number:
        # Once: the index matches any fragment of three characters or more, so the bare digits
        # typed without the "A" are found inside it.
        parts.append(client.a_number)
    for phone in (client.phone, client.phone_alt):
        if phone:
            parts.append(_phone_digits(phone))
    if client.email:
        parts.append(client.email)
    detail = " · ".join(p for p in (format_a_number(client.a_number), client.city) if p)
    return name[:400], detail[:400], " ".join(parts)


def related_entry(person: Any, client_name: str) -> dict[str, Any]:
    name = full_name(person.given_name, "", person.family_name)
    parts = [name, fold(name), *sound_keys(name)]
    if person.a_number:
        parts.append(person.a_number)
    return {"kind": "related", "ref_id": person.id, "client_id": person.client_id, "label": name[:400],
            "detail": f"{person.relationship} of {client_name}"[:400], "text": " ".join(parts)}


def party_entry(party: Any) -> dict[str, Any]:
    return {"kind": "party", "ref_id": party.id, "client_id": None, "label": party.name[:400],
            "detail": party.kind.replace("_", " "), "text": f"{party.name} {fold(party.name)}"}


def matter_entry(matter: Any, client_name: str, extra: Iterable[str]) -> dict[str, Any]:
    kind_label = MatterKind(matter.kind).label
    label = f"{client_name} — {matter.title or kind_label}"
    return {"kind": "matter", "ref_id": matter.id, "client_id": matter.client_id, "label": label[:400],
            "detail": kind_label, "text": " ".join([matter.title or "", *extra])}


def upsert(session: Session, entry: dict[str, Any]) -> None:
    session.execute(delete(SearchEntry).where(SearchEntry.kind == entry["kind"],
                                              SearchEntry.ref_id == entry["ref_id"]))
    session.execute(insert(SearchEntry), [entry])


def remove(session: Session, kind: str, ref_id: int) -> None:
    session.execute(delete(SearchEntry).where(SearchEntry.kind == kind, SearchEntry.ref_id == ref_id))


def reindex_matter(session: Session, matter: Matter) -> None:
    """A matter is findable by its receipt numbers, agency numbers, employer and opposing counsel."""
    from kantor_cases.db.models import AgencyFiling, EmploymentClaim

    extra: list[str] = []
    extra += [r for r in session.scalars(select(BenefitApplication.receipt_number)
                                         .where(BenefitApplication.matter_id == matter.id)) if r]
    extra += [n for n in session.scalars(select(AgencyFiling.number)
                                         .where(AgencyFiling.matter_id == matter.id)) if n]
    claim = session.get(EmploymentClaim, matter.id)
    if claim is not None:
        for party_id in (claim.employer_id, claim.opposing_counsel_id):
            if party_id:
                party = session.get(Party, party_id)
                if party is not None:
                    extra += [party.name, fold(party.name)]
    client = session.get(Client, matter.client_id)
    client_name = full_name(client.given_name, client.middle_name, client.family_name,
                            client.second_family_name) if client else ""
    if not extra and not matter.title:
        remove(session, "matter", matter.id)
        return
    upsert(session, matter_entry(matter, client_name, extra))


# --- Reading ----------------------------------------------------------------------------------------


_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


def _fragments(query: str) -> list[str]:
    # Someone pasting "nunez AND garcia" means the names, not the word "and".
    words = query.split()
    if any(w not in _OPERATORS for w in words):
        query = " ".join(w for w in words if w.strip("()") not in _OPERATORS)
    return [token for token in _TOKEN.findall(fold(query)) if token]


class SearchService(Service):
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        query = (query or "").strip()
        if not query:
            return []
        limit = max(1, min(limit, 500))
        with self._db.read() as session:
            return self._search(session, query, limit, restricted.hidden_client_ids(session, self.user))

    def search_counted(self, query: str, limit: int = 20) -> tuple[list[SearchHit], int]:
        """The hits, and how many restricted clients the search left out for the acting user (the
        command line says so, so that "No matches." does not mislead)."""
        query = (query or "").strip()
        if not query:
            return [], 0
        limit = max(1, min(limit, 500))
        with self._db.read() as session:
            hidden = restricted.hidden_client_ids(session, self.user)
            hits = self._search(session, query, limit, hidden)
            if not hidden:
                return hits, 0
            everything = self._search(session, query, limit, frozenset())
            return hits, len({hit.client_id for hit in everything if hit.client_id in hidden})

    def _search(self, session: Session, query: str, limit: int, hidden: frozenset[int]) -> list[SearchHit]:
        hits: dict[tuple[str, int], SearchHit] = {}
        scores: dict[tuple[str, int], int] = {}

        def add(hit: SearchHit, score: int) -> None:
            key = (hit.kind, hit.id)
            if scores.get(key, -1) < score:
                hits[key] = hit
                scores[key] = score

        # An exact A-number always comes first.
        a_number = self._as_a_number(query)
        if a_number:
            by_a_number = select(Client.id, Client.given_name, Client.middle_name, Client.family_name,
                                 Client.second_family_name, Client.city).where(Client.a_number == a_number)
            for client in session.execute(restricted.visible(by_a_number, Client.id, hidden).limit(limit)):
                add(SearchHit("client", client.id, full_name(client.given_name, client.middle_name,
                                                             client.family_name, client.second_family_name),
                              " · ".join(p for p in (format_a_number(a_number), client.city) if p),
                              client.id, "A-number"), 10_000)
        receipt = self._as_receipt(query)
        if receipt:
            by_receipt = (select(Matter.id, Matter.client_id)
                          .join(BenefitApplication, BenefitApplication.matter_id == Matter.id)
                          .where(BenefitApplication.receipt_number == receipt))
            for matter_id, client_id in session.execute(
                    restricted.visible(by_receipt, Matter.client_id, hidden).limit(limit)):
                add(SearchHit("matter", matter_id, f"Receipt {receipt}", "Immigration benefit", client_id,
                              "receipt number"), 9_000)

        fragments = self._index_fragments(query)
        long_fragments = [f for f in fragments if len(f) >= 3]
        if long_fragments:
            # The entries themselves in the index's statement: a second one asking for 200 ids by
            # number cost a round trip and, on PostgreSQL, ~2 ms of binding 200 parameters.
            short = [f for f in fragments if len(f) < 3]
            for entry in backend.matching_entries(session, long_fragments, CANDIDATES, hidden):
                label_folded = fold(entry.label)
                if short and not all(f in fold(entry.text) for f in short):
                    continue
                add(SearchHit(entry.kind, entry.ref_id, entry.label, entry.detail, entry.client_id),
                    self._score(label_folded, fragments, entry.kind))
        elif fragments:
            for hit, score in self._prefix(session, fragments, limit, hidden):
                add(hit, score)

        ranked = sorted(hits, key=lambda key: (-scores[key], hits[key].name.casefold()))
        found = [hits[key] for key in ranked[:limit]]
        client_ids = {hit.client_id for hit in found if hit.client_id}
        if not client_ids:
            return found
        # By primary key, flag read here: a WHERE on `sensitive` lets SQLite walk that flag's index instead.
        sensitive = {client_id for client_id, flagged in session.execute(
            select(Client.id, Client.sensitive).where(Client.id.in_(client_ids))) if flagged}
        return [replace(hit, sensitive=True) if hit.client_id in sensitive else hit for hit in found]

    @staticmethod
    def _as_a_number(query: str) -> str | None:
        if not re.fullmatch(r"[Aa]?[\s\d\-.]+", query):
            return None
        try:
            return ANumber.parse(query).value
        except IdentifierError:
            return None

    @staticmethod
    def _as_receipt(query: str) -> str | None:
        try:
            return ReceiptNumber.parse(query).value
        except IdentifierError:
            return None

    @staticmethod
    def _index_fragments(query: str) -> list[str]:
        # Phones and A-numbers are typed with separators; the index holds their bare digits.
        if _DIGITS_ONLY.match(query) or re.fullmatch(r"[Aa][\s\d\-.]+", query):
            digits = re.sub(r"\D", "", query)
            if len(digits) == 11 and digits.startswith("1"):
                digits = digits[1:]
            return [digits] if digits else []
        return _fragments(query)

    @staticmethod
    def _score(label_folded: str, fragments: list[str], kind: str) -> int:
        query = " ".join(fragments)
        words = label_folded.split()
        score = 100
        if label_folded == query:
            score = 800
        elif label_folded.startswith(query):
            score = 600
        elif all(any(w.startswith(f) for w in words) for f in fragments):
            score = 400
        elif all(f in label_folded for f in fragments):
            score = 200
        # People before organisations and matters when equally good.
        return score + {"client": 30, "related": 10, "party": 20, "matter": 0}.get(kind, 0)

    def _prefix(self, session: Session, fragments: list[str], limit: int,
                hidden: frozenset[int]) -> list[tuple[SearchHit, int]]:
        """1–2 character queries: a range scan on the folded-name indexes (prefix of given or family name)."""
        prefix = fragments[0]
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        results: list[tuple[SearchHit, int]] = []
        columns = (Client.id, Client.given_name, Client.middle_name, Client.family_name,
                   Client.second_family_name, Client.a_number, Client.city, Client.name_folded)
        for column, score in ((Client.family_folded, 500), (Client.name_folded, 450)):
            statement = (restricted.visible(select(*columns).where(column >= prefix, column < upper), Client.id,
                                            hidden).order_by(column).limit(limit))
            for row in session.execute(statement):
                name = full_name(row.given_name, row.middle_name, row.family_name, row.second_family_name)
                if len(fragments) > 1 and not all(f in row.name_folded for f in fragments[1:]):
                    continue
                detail = " · ".join(p for p in (format_a_number(row.a_number), row.city) if p)
                results.append((SearchHit("client", row.id, name, detail, row.id), score))
        return results
