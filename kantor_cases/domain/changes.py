"""What one user action changed, so that every screen can refresh only what it shows.

An action (a save, a letter, an import) ends with one `Changes` value naming the kinds of records
it touched and, where it knows them, which clients and matters. The window broadcasts it once; a
screen showing hearings refreshes when hearings changed, a client's window when that client did.
"""

from __future__ import annotations

from dataclasses import dataclass

CLIENTS = "clients"
MATTERS = "matters"
HEARINGS = "hearings"
DEADLINES = "deadlines"
PD_REQUESTS = "pd_requests"
FOLLOW_UPS = "follow_ups"
LETTERS = "letters"
TEMPLATES = "templates"
SETTINGS = "settings"
USERS = "users"
ALL_KINDS = frozenset({CLIENTS, MATTERS, HEARINGS, DEADLINES, PD_REQUESTS, FOLLOW_UPS, LETTERS, TEMPLATES,
                       SETTINGS, USERS})
# What a change to a matter can move: its hearings, deadlines and PD requests are edited in the
# matter window and its status changes start deadline clocks.
MATTER_PARTS = frozenset({MATTERS, HEARINGS, DEADLINES, PD_REQUESTS})


@dataclass(frozen=True)
class Changes:
    kinds: frozenset[str]
    client_ids: frozenset[int] = frozenset()
    matter_ids: frozenset[int] = frozenset()
    # True when the records changed are not known one by one (an import, a restore, F5).
    wholesale: bool = False

    @classmethod
    def of(cls, *kinds: str, clients: tuple[int, ...] | list[int] = (),
           matters: tuple[int, ...] | list[int] = ()) -> Changes:
        unknown = set(kinds) - ALL_KINDS
        if unknown:
            raise ValueError(f"unknown kinds of change: {sorted(unknown)}")
        return cls(frozenset(kinds), frozenset(clients), frozenset(matters))

    @classmethod
    def many(cls, *kinds: str) -> Changes:
        """Records of these kinds changed, too many to name (a batch of letters, an import)."""
        return cls(cls.of(*kinds).kinds, wholesale=True)

    @classmethod
    def everything(cls) -> Changes:
        return cls(ALL_KINDS, wholesale=True)

    def touches(self, kinds: frozenset[str] | set[str]) -> bool:
        return not self.kinds.isdisjoint(kinds)

    def touches_client(self, client_id: int) -> bool:
        return self.wholesale or client_id in self.client_ids

    def touches_matter(self, matter_id: int) -> bool:
        return self.wholesale or matter_id in self.matter_ids

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.kinds | other.kinds, self.client_ids | other.client_ids,
                       self.matter_ids | other.matter_ids, self.wholesale or other.wholesale)
