"""Checks on what people type that need nothing but the standard library: dates, names, A-numbers."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from .identifiers import ANumber, IdentifierError

OLDEST_BIRTH_YEAR = 1900
_US_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_date(text: str) -> date:
    """A date written YYYY-MM-DD or as Americans write it, M/D/YYYY; raise ValueError in plain words."""
    text = text.strip()
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _US_DATE.match(text)
        if not match:
            raise ValueError(f"“{text}” is not a date; write YYYY-MM-DD or M/D/YYYY.")
        month, day, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text}” is not a real date (there is no day {day} in month {month} of {year}).") from None


def check_birth_date(value: date | None, today: date) -> str | None:
    if value is None:
        return None
    if value > today:
        return "A date of birth cannot be in the future."
    if value.year < OLDEST_BIRTH_YEAR:
        return f"A date of birth before {OLDEST_BIRTH_YEAR} is not plausible; check the year."
    return None


def check_past_or_near(value: date | None, what: str, today: date, years_ahead: int = 0) -> str | None:
    """Dates of events that have happened (intake, NTA, filing): not after `today`, not absurdly old."""
    if value is None:
        return None
    if value.year < OLDEST_BIRTH_YEAR:
        return f"{what} before {OLDEST_BIRTH_YEAR} is not plausible; check the year."
    latest = today.replace(year=today.year + years_ahead) if years_ahead else today
    if value > latest:
        return f"{what} cannot be in the future."
    return None


def normalize_a_number(text: str) -> tuple[str | None, str | None]:
    """(stored A-number or None, error message or None)."""
    if not text or not text.strip():
        return None, None
    try:
        return ANumber.parse(text).value, None
    except IdentifierError as error:
        return None, str(error)


def as_datetime(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)


def file_problem(path: Path) -> str | None:
    """Why `path` cannot be read as a file the user named (a CSV, a backup), or None."""
    if path.is_dir():
        return f"{path} is a folder, not a file; name the file inside it."
    if not path.is_file():
        return f"{path} does not exist."
    return None
