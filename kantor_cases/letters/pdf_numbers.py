"""ReportLab's number formatting, remembered.

ReportLab writes every coordinate, type size, leading and colour of a page through `fp_str`, in
pure Python (its optional C accelerator is not installed): about 290 calls for a hearing reminder,
a tenth of the time to render it. A batch's letters repeat a few hundred values (the sizes and
leadings of the styles, the margins, the ink colour), so each distinct argument list is formatted
once and its text remembered: the same strings, so the same PDF bytes, only sooner.

`install` points ReportLab's modules at the remembering version (a process-wide change, like
`rl_config.useA85` in render.py; the letters package is the only ReportLab user in the app);
`reportlabs_own` undoes it for a while, for a benchmark that times ReportLab as it comes.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from reportlab.lib import rl_accel

_original = rl_accel.fp_str
_known: dict[tuple[object, ...], str] = {}
_LIMIT = 8192


def fp_str(*args: object) -> str:
    """ReportLab's fp_str, remembered by argument list (numbers are equal only when ReportLab
    formats them the same: it formats the value, whatever its type)."""
    try:
        return _known[args]
    except KeyError:
        pass
    except TypeError:  # a list among the arguments: nothing to remember it by
        return _original(*args)
    text = _original(*args)
    if len(_known) >= _LIMIT:
        _known.clear()
    _known[args] = text
    return text


def _modules_using(function: object) -> list[object]:
    return [module for name, module in list(sys.modules.items())
            if (name == "reportlab" or name.startswith("reportlab.")) and getattr(module, "fp_str", None) is function]


def install() -> None:
    """Make the ReportLab modules loaded so far (and those that import fp_str later) remember."""
    for module in _modules_using(_original):
        module.fp_str = fp_str  # type: ignore[attr-defined]


@contextmanager
def reportlabs_own() -> Iterator[None]:
    """ReportLab's own fp_str while the block runs (to time ReportLab alone)."""
    patched = _modules_using(fp_str)
    for module in patched:
        module.fp_str = _original  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module in patched:
            module.fp_str = fp_str  # type: ignore[attr-defined]
