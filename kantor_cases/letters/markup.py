"""Escaping of user values and the small block syntax of letter templates.

Every user value that reaches ReportLab Paragraph markup goes through `escape_value`, so a name
such as ``O'Brien & <Sons>`` or a note containing ``<a href=...>`` prints literally and can never
open a tag, a link or an image. Template sources are Jinja2 text; their `{{ ... }}` output is
escaped and fenced by `mark_value` (the Jinja ``finalize`` hook), which is how `parse_blocks`
tells the attorney's template text from user data: block syntax and ``**bold**`` are recognised
in template text only, never inside a value.

Block syntax (one line of source = one printed line; a blank line ends a paragraph)::

    ## Heading                     a heading
    - item                         a bullet item (consecutive items form one list)
    | label | value                a row of a two-column table (consecutive rows form one table)
    @re                            the following lines, up to a blank line, form the RE block
    @closing                       the closing and signature block goes here (default: at the end)
    @sign Client | Date            signature lines with the given labels under them
    @pagebreak                     start a new page
    **bold**  *italic*             inline emphasis in template text
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["paragraph", "heading", "bullets", "table", "re", "closing", "sign", "pagebreak"]

_VALUE_START = "\x01"
_VALUE_END = "\x02"
_SLOT_START = "\x03"
_SLOT_END = "\x04"

# C0 controls (except tab and newline) are invalid in XML and would break Paragraph parsing; they
# also include the private fences used below, so a value can never forge a fence.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})


def escape_value(text: object) -> str:
    """Return `text` as Paragraph markup that prints exactly the characters of the value.

    Text is NFC-normalised first: ReportLab does no glyph shaping, so a decomposed "ễ" (e plus
    two combining marks) would print as stacked marks; the precomposed character prints cleanly
    and is what search and text extraction expect.
    """
    value = text if isinstance(text, str) else str(text)
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value).replace("\t", " ")
    return value.translate(_ESCAPES)


def mark_value(value: object) -> str:
    """Jinja ``finalize`` hook: escape a printed value and fence it off from template text."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join("" if item is None else str(item) for item in value)
    return _VALUE_START + escape_value(value) + _VALUE_END


@dataclass(frozen=True)
class Block:
    """One block of a rendered letter body: `lines` hold Paragraph markup, already escaped."""

    kind: BlockKind
    lines: tuple[str, ...] = ()
    cells: tuple[tuple[str, str], ...] = ()


_VALUE_SPAN = re.compile(_VALUE_START + "(.*?)" + _VALUE_END, re.DOTALL)
_SLOT = re.compile(_SLOT_START + r"(\d+)" + _SLOT_END)
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")


@functools.lru_cache(maxsize=4096)
def _line_markup(line: str) -> str:
    """A source line's markup with its value slots still in: the letters of a batch share their
    template lines (the slots are numbered alike), so each is worked out once."""
    parts = _SLOT.split(line)
    # split() alternates literal text and slot numbers: escape the literals only.
    out = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out.append(escape_value(part))
        else:
            out.append(_SLOT_START + part + _SLOT_END)
    markup = "".join(out)
    markup = _BOLD.sub(r"<b>\1</b>", markup)
    return _ITALIC.sub(r"<i>\1</i>", markup)


class _Inline:
    """Turns one source line (template text with value slots) into Paragraph markup."""

    def __init__(self, values: list[str]) -> None:
        self._values = values

    def __call__(self, line: str) -> str:
        markup = _line_markup(line)
        if _SLOT_START in markup:
            markup = _SLOT.sub(self._value, markup)
        return markup.strip()

    def _value(self, match: re.Match[str]) -> str:
        return self._values[int(match.group(1))].replace("\n", "<br/>")


def parse_blocks(rendered: str) -> list[Block]:
    """Split the output of a Jinja template into blocks of escaped Paragraph markup."""
    values: list[str] = []

    def stash(match: re.Match[str]) -> str:
        values.append(match.group(1))
        return f"{_SLOT_START}{len(values) - 1}{_SLOT_END}"

    text = _VALUE_SPAN.sub(stash, rendered)
    inline = _Inline(values)
    blocks: list[Block] = []
    para: list[str] = []
    para_kind: BlockKind = "paragraph"
    items: list[str] = []
    rows: list[tuple[str, str]] = []

    def flush() -> None:
        nonlocal para_kind
        if para:
            lines = tuple(inline(line) for line in para)
            if any(lines):
                blocks.append(Block(para_kind, lines))
            para.clear()
        para_kind = "paragraph"
        if items:
            blocks.append(Block("bullets", tuple(inline(item) for item in items)))
            items.clear()
        if rows:
            blocks.append(Block("table", cells=tuple(rows)))
            rows.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("## "):
            flush()
            blocks.append(Block("heading", (inline(line[3:]),)))
        elif line.startswith("- "):
            if para or rows:
                flush()
            items.append(line[2:])
        elif line.startswith("|"):
            if para or items:
                flush()
            label, _, value = line[1:].rstrip("|").partition("|")
            rows.append((inline(label), inline(value)))
        elif line == "@re":
            flush()
            para_kind = "re"
        elif line == "@closing":
            flush()
            blocks.append(Block("closing"))
        elif line == "@pagebreak":
            flush()
            blocks.append(Block("pagebreak"))
        elif line.startswith("@sign"):
            flush()
            labels = tuple(inline(label) for label in line[5:].split("|"))
            blocks.append(Block("sign", labels))
        else:
            if items or rows:
                flush()
            para.append(line)
    flush()
    return blocks
