"""Privacy mode (View menu): while it is on, every list shows sensitive clients — asylum and other
confidential matters — masked, so a screen a visitor at the desk can see gives no name away.

One switch for the whole window; list models ask it each time they show a client's name, so
turning it on or off only needs a repaint. A record opened on purpose (a client's or a matter's own
window) is not masked; the search results are (Enter still opens the line).
"""

from __future__ import annotations

MASK = "•••••"
_enabled = False


def enabled() -> bool:
    return _enabled


def set_enabled(on: bool) -> None:
    global _enabled
    _enabled = on


def client_text(text: str, sensitive: bool) -> str:
    """`text` (a client's name or A-number), or the mask while privacy mode is on and the client is sensitive."""
    return MASK if _enabled and sensitive and text else text
