"""When a new follow-up is due: "in N days" or "on a date", as the New follow-up dialog and
`follow-ups add --in/--due` take it; one rule for both, so they refuse the same things."""

from __future__ import annotations

from datetime import date, timedelta

from .errors import ValidationError

MAX_DAYS_AHEAD = 3660


def due_date(today: date, in_days: int | None, on: date | None) -> date:
    """The due date asked for: `in_days` from today, or the date `on` (exactly one of the two); a
    day in the past or more than ten years ahead is refused in plain words."""
    if (in_days is None) == (on is None):
        raise ValidationError("Say when it is due: in a number of days, or on a date (one of the two).")
    if in_days is not None:
        if not 0 <= in_days <= MAX_DAYS_AHEAD:
            raise ValidationError(f"Give 0 to {MAX_DAYS_AHEAD:,} days.")
        return today + timedelta(days=in_days)
    assert on is not None
    if on < today:
        raise ValidationError(f"{on:%d %b %Y} is in the past; a follow-up is due today or later.")
    if (on - today).days > MAX_DAYS_AHEAD:
        raise ValidationError(f"{on:%d %b %Y} is more than ten years ahead.")
    return on
