"""How values print in a letter: long dates, times, A-numbers and money, in English or Spanish.

Month names and time markers are written out here rather than taken from the OS locale: letters
must print identically on every desk, and Windows and Linux disagree on locale names.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Literal

Language = Literal["en", "es", "zh", "tl", "vi", "ko"]
LANGUAGES: tuple[Language, ...] = ("en", "es")
# Languages the firm may add its own version of a template in (the other languages Civ. Code 1632
# names); the built-in templates are English and Spanish only.
FIRM_LANGUAGES: tuple[Language, ...] = ("zh", "tl", "vi", "ko")
_MONTHS_TL = (
    "Enero", "Pebrero", "Marso", "Abril", "Mayo", "Hunyo",
    "Hulyo", "Agosto", "Setyembre", "Oktubre", "Nobyembre", "Disyembre",
)  # fmt: skip

_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTHS_ES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip


def long_date(value: date, language: Language) -> str:
    """'November 29, 2026' in English, '29 de noviembre de 2026' in Spanish."""
    if language == "es":
        return f"{value.day} de {_MONTHS_ES[value.month - 1]} de {value.year}"
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    if language == "ko":
        return f"{value.year}년 {value.month}월 {value.day}일"
    if language == "vi":
        return f"ngày {value.day} tháng {value.month} năm {value.year}"
    if language == "tl":
        return f"{_MONTHS_TL[value.month - 1]} {value.day}, {value.year}"
    return f"{_MONTHS_EN[value.month - 1]} {value.day}, {value.year}"


def parse_date(value: object) -> date | None:
    """A date from a date, a datetime or an ISO 'YYYY-MM-DD' string; None if it is none of these."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def format_date(value: object, language: Language) -> str:
    parsed = parse_date(value)
    return long_date(parsed, language) if parsed else str(value)


_TIME_24H = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::\d{2})?\s*$")


def format_time(value: object, language: Language) -> str:
    """'8:30 a.m.' in English, '8:30 a. m.' in Spanish (RAE spacing); other text prints as given."""
    parsed: time | None = None
    if isinstance(value, datetime):
        parsed = value.time()
    elif isinstance(value, time):
        parsed = value
    elif isinstance(value, str):
        match = _TIME_24H.match(value)
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            parsed = time(int(match.group(1)), int(match.group(2)))
    if parsed is None:
        return str(value)
    hour = parsed.hour % 12 or 12
    if language == "es":
        marker = "a. m." if parsed.hour < 12 else "p. m."
    else:
        marker = "a.m." if parsed.hour < 12 else "p.m."
    return f"{hour}:{parsed.minute:02d} {marker}"


def format_a_number(value: object) -> str:
    """'A012-345-678' from any accepted spelling ('a12345678', 'A 012-345-678', '012345678').

    Eight-digit A-numbers take a leading zero (DOMAIN.md §6); anything that is not 8 or 9 digits
    prints as typed, so a letter never silently shows a number the attorney did not enter.
    """
    text = str(value).strip()
    digits = re.sub(r"[\s\-.]", "", text)
    if digits[:1] in ("A", "a"):
        digits = digits[1:]
    if not digits.isdigit() or len(digits) not in (8, 9):
        return text
    digits = digits.zfill(9)
    return f"A{digits[0:3]}-{digits[3:6]}-{digits[6:9]}"


def format_money(value: object) -> str:
    """'$1,500.00'; the same in Spanish letters, as is usual for dollar amounts in the U.S."""
    try:
        amount = Decimal(str(value).replace("$", "").replace(",", "").strip())
    except InvalidOperation:
        return str(value)
    return f"${amount:,.2f}"
