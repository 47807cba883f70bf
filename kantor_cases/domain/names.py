"""Person names as the office writes them: composing display names and folding them for matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# Letters NFKD does not decompose but a receptionist types without the stroke.
_UNSTROKED = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss",
                            "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE"})


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text: "José  Núñez" -> "jose nunez".

    Cached: an office's names repeat (García, Nguyễn, María …), and imports, the demo and search
    fold the same few thousand strings over and over.
    """
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.translate(_UNSTROKED)
    return _SPACES.sub(" ", stripped.casefold()).strip()


def clean(text: str | None) -> str:
    """Trimmed, single-spaced, NFC-normalised text (what we store)."""
    if not text:
        return ""
    if text.isascii():  # NFC leaves ASCII as it is; str.split() knows the same spaces as \s
        return " ".join(text.split())
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def full_name(given: str, middle: str = "", family: str = "", second_family: str = "") -> str:
    return " ".join(part for part in (given, middle, family, second_family) if part)


def sort_name(given: str, family: str = "", second_family: str = "") -> str:
    """Family names first, as lists sort: "García López, María"."""
    families = " ".join(part for part in (family, second_family) if part)
    if families and given:
        return f"{families}, {given}"
    return families or given
