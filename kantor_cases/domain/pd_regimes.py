"""The guidance a prosecutorial-discretion request is made under, with the dates each was in force.

A request stores its regime (DOMAIN.md §3); the regime decides the cover letter's structure: only
guidance that set enforcement priorities gets a "not an enforcement priority" section, and under
general discretion the letter argues equities and humanitarian factors. The list is data: the next
regime is one more entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PdRegime:
    id: str
    guidance: str  # as a letter cites it
    start: date
    end: date | None  # last day in force; None: still in force
    had_priorities: bool


REGIMES: tuple[PdRegime, ...] = (
    PdRegime("morton-2011", "the Morton memorandum of June 17, 2011 (ICE Director John Morton, "
             "\u201cExercising Prosecutorial Discretion Consistent with the Civil Immigration Enforcement "
             "Priorities of the Agency for the Apprehension, Detention, and Removal of Aliens\u201d)", date(2011, 6, 17), date(2014, 11, 19), True),
    PdRegime("johnson-2014", "the November 20, 2014 memorandum of Secretary Jeh Charles Johnson, "
             "\u201cPolicies for the Apprehension, Detention and Removal of Undocumented Immigrants\u201d",
             date(2014, 11, 20), date(2017, 1, 24), True),
    PdRegime("doyle-2022", "the Guidelines for the Enforcement of Civil Immigration Law of September 30, 2021 "
             "(Secretary Alejandro N. Mayorkas) and the April 3, 2022 memorandum of OPLA Principal Legal "
             "Advisor Kerry E. Doyle", date(2021, 9, 30), date(2025, 1, 19), True),
    # Executive Order 14159 (20 Jan 2025) ended the 2021 priorities; no published guidance with
    # priorities is known to be in force since.
    PdRegime("post-2025", "the agency's inherent prosecutorial discretion", date(2025, 1, 20), None, False),
)
BY_ID: dict[str, PdRegime] = {regime.id: regime for regime in REGIMES}


def regime_on(day: date) -> PdRegime | None:
    """The regime in force on `day`, or None between regimes (25 Jan 2017 – 29 Sep 2021)."""
    for regime in REGIMES:
        if regime.start <= day and (regime.end is None or day <= regime.end):
            return regime
    return None
