"""Which court decisions start deadline clocks.

Recording a removal matter's court status as an immigration judge's or the BIA's decision sets off
the deadline events below (the rules each event starts are in `deadline_rules`); the decision date
the user gives, else the day it is recorded, is the trigger. Other kinds of matter have no such
decisions: their deadlines start from agency notices (employment) or are entered by hand.
"""

from __future__ import annotations

_REMOVAL_DECISION_EVENTS: dict[str, tuple[str, ...]] = {
    "relief_granted": ("ij_decision",),
    "removal_ordered": ("ij_decision",),
    "voluntary_departure": ("ij_decision", "vd_granted"),
    "in_absentia": ("in_absentia_order",),
    "bia_dismissed": ("bia_decision",),
    "bia_sustained": ("bia_decision",),
    "bia_remanded": ("bia_decision",),
}


def decision_events(matter_kind: str, government_status: str) -> tuple[str, ...]:
    """The deadline events a matter's new court status sets off (none for most statuses)."""
    if matter_kind != "removal":
        return ()
    return _REMOVAL_DECISION_EVENTS.get(government_status, ())
