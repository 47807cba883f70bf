"""Conflict checks: who already in the office's records may be the person or party now coming in.

Candidates come from the search index (any name fragment, the A-number); each is then compared
with rapidfuzz (spelling) and jellyfish (sound) and reported with the reasons a lawyer would
read: same A-number, exact name, name order swapped, second surname dropped, similar spelling,
sounds alike, same date of birth.
"""

from __future__ import annotations

from datetime import date

import jellyfish
from sqlalchemy import select
from sqlalchemy.orm import Session

from kantor_cases.db import search as backend
from kantor_cases.db.base import now
from kantor_cases.db.models import Client, Party, RelatedPerson, SearchEntry
from kantor_cases.domain.errors import ValidationError
from kantor_cases.domain.names import fold
from kantor_cases.domain.records import ConflictCandidate, ConflictHit, ConflictReport
from kantor_cases.domain.validation import normalize_a_number

from . import restricted, search
from .base import Service

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
