"""Identifiers the office types every day: A-numbers, USCIS receipt numbers, NLRB case numbers.

Parsing accepts what people write ("A 012-345-678", "a12345678", "12345678") and stores one
canonical form; see DOMAIN.md §6.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NON_DIGITS = re.compile(r"[\s\-.]")


class IdentifierError(ValueError):
    """Text that is not a valid identifier of the expected kind."""


@dataclass(frozen=True, slots=True)
class ANumber:
    """An alien registration number, stored as "A" + 9 digits."""

    value: str

    @classmethod
    def parse(cls, text: str) -> ANumber:
        cleaned = _NON_DIGITS.sub("", text.strip()).upper()
        if cleaned.startswith("A"):
            cleaned = cleaned[1:]
        if not cleaned.isdigit() or not cleaned.isascii():
            raise IdentifierError(
                f"“{text.strip()}” is not an A-number: write A followed by 8 or 9 digits, e.g. A012-345-678."
            )
        if len(cleaned) == 8:
            # Older A-numbers have 8 digits; EOIR and USCIS pad them with a leading zero.
            cleaned = "0" + cleaned
        if len(cleaned) != 9:
            raise IdentifierError(
                f"“{text.strip()}” has {len(cleaned)} digit{'' if len(cleaned) == 1 else 's'}; "
                "an A-number has 8 or 9 digits."
            )
        if cleaned == "000000000":
            raise IdentifierError("A000-000-000 is not a real A-number.")
        return cls("A" + cleaned)

    @property
    def digits(self) -> str:
        return self.value[1:]

    def display(self) -> str:
        d = self.digits
        return f"A{d[:3]}-{d[3:6]}-{d[6:]}"

    def __str__(self) -> str:
        return self.value


def looks_like_a_number(text: str) -> bool:
    """True when a search string is plausibly an A-number (so search can try an exact match)."""
    try:
        ANumber.parse(text)
    except IdentifierError:
        return False
    return True


def format_a_number(stored: str | None) -> str:
    if not stored:
        return ""
    if len(stored) == 10 and stored[0] == "A" and stored[1:].isdigit() and stored.isascii() \
            and stored != "A000000000":
        # Already stored normalised, as every saved A-number is: no second parse (lists, imports).
        return f"{stored[:4]}-{stored[4:7]}-{stored[7:]}"
    try:
        return ANumber.parse(stored).display()
    except IdentifierError:
        return stored


RECEIPT_PREFIXES = frozenset(
    {"EAC", "VSC", "WAC", "CSC", "LIN", "NSC", "SRC", "TSC", "MSC", "NBC", "IOE", "YSC"}
)


@dataclass(frozen=True, slots=True)
class ReceiptNumber:
    """A USCIS receipt number: three letters and ten digits, e.g. IOE0912345678."""

    value: str

    @classmethod
    def parse(cls, text: str) -> ReceiptNumber:
        cleaned = _NON_DIGITS.sub("", text.strip()).upper()
        if not re.fullmatch(r"[A-Z]{3}[0-9]{10}", cleaned):
            raise IdentifierError(
                f"“{text.strip()}” is not a USCIS receipt number: three letters and ten digits, "
                "e.g. IOE0912345678."
            )
        return cls(cleaned)

    @property
    def known_prefix(self) -> bool:
        return self.value[:3] in RECEIPT_PREFIXES

    def warning(self) -> str | None:
        if self.known_prefix:
            return None
        return f"{self.value[:3]} is not a service-center prefix USCIS is known to use; check the notice."

    def __str__(self) -> str:
        return self.value


def parse_nlrb_case(text: str) -> str:
    """NLRB case numbers are region-type-number, e.g. 21-CA-123456."""
    cleaned = re.sub(r"\s+", "", text.strip()).upper()
    if not re.fullmatch(r"\d{1,2}-[A-Z]{2}-\d{4,7}", cleaned):
        raise IdentifierError(f"“{text.strip()}” is not an NLRB case number such as 21-CA-123456.")
    return cleaned
