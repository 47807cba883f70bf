"""The assets Kantor Cases ships, installed as the package `kantor_cases.resources`: letter fonts and
templates, icons, translations and the Linux desktop entry (README.md names each one's licence).

`resource(…)` is the one way in, through importlib.resources, so the same code reads them from the
source tree, an editable install or a wheel. Nothing here goes through Qt's resource system: the
letters are rendered without Qt.
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable


def resource(*parts: str) -> Traversable:
    """The asset at `parts` below this folder, e.g. resource("fonts", "DejaVuSerif.ttf")."""
    found = resources.files(__name__)
    for part in parts:
        found = found / part
    return found
