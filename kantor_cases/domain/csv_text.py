"""CSV text as an office exchanges it with Excel: read strictly, written so a spreadsheet cannot run it.

Reading. The whole file is decoded as UTF-8 (with or without a BOM) or UTF-16 (with a BOM);
Windows-1252 only when the caller asks for it: bytes that are not UTF-8 could be any of several code
pages, and a wrong guess stores every accented name garbled ("JosÃ©"), which the conflict check then
fails to match. Records are parsed by the csv module in strict mode, so a quote that never closes
(or any broken quoting) refuses the whole file, naming the line where the broken record starts:
read leniently, everything after it would be swallowed into one cell. A blank line is not a record.
Per record, `CellChecks` names what may not be stored (NUL anywhere; control and bidi characters
outside free text; a cell longer than its column takes), as a problem of that record only. One
regex scan of the whole text tells whether any cell can hold such a character, so a clean file
pays for the length checks alone. Tabs separate cells when the first line has tabs and no comma.

Writing. A cell that a spreadsheet would take for a formula (it starts with = + - @, a tab or a
carriage return, and is not a plain number) is written with a leading apostrophe (OWASP "CSV
injection"); reading strips exactly that mark again, so export, import, export is a round trip.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Mapping

from .errors import KantorError

# Characters no cell may hold: NUL anywhere (it ends a string in C, and in folder names).
NUL = "\x00"
# Control characters (but tab and line ends, which are whitespace to a cell) and the invisible
# bidirectional controls, which make a name read on screen differently from what it is.
_CONTROL = "\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SUSPECT = re.compile(f"[\x00{_CONTROL}{_BIDI}]")
_CONTROL_OR_BIDI = re.compile(f"[{_CONTROL}{_BIDI}]")
_LINE_END = re.compile(rb"\r\n?|\n")

_FORMULA_START = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\Z")
_MARKED = re.compile(r"'['=+\-@\t\r]")  # a mark to strip may be in the text


class CsvRefused(KantorError):
    """The file as a whole cannot be read (encoding, quoting, columns); nothing was imported."""


class NotUtf8(CsvRefused):
    """The file is not UTF-8; `line` and `byte` say where it first goes wrong."""

    def __init__(self, name: str, line: int, byte: int) -> None:
        self.line = line
        self.byte = byte
        super().__init__(f"{name} is not UTF-8: line {line} has the byte 0x{byte:02X}, which UTF-8 does not allow "
                         "there; nothing was imported. Save it from Excel as 'CSV UTF-8', or, if it was saved as "
                         "plain CSV on Windows, import it as Windows-1252 (--encoding cp1252).")


class UnknownColumns(CsvRefused):
    """The file has columns the import does not know (`columns`); it may be read leaving them out."""

    def __init__(self, message: str, columns: list[str]) -> None:
        self.columns = columns
        super().__init__(message)


def _line_of(data: bytes, offset: int) -> int:
    return len(_LINE_END.findall(data, 0, offset)) + 1


def _first_line(text: str) -> str:
    end = text.find("\n")
    return text if end < 0 else text[:end]


def decode(data: bytes, name: str, encoding: str = "utf-8") -> str:
    """The file's text. UTF-16 with a BOM is always recognised; otherwise `encoding` ("utf-8" or
    "cp1252") decides, and a byte it does not allow refuses the file."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise CsvRefused(f"{name} starts as UTF-16 but is broken at byte {error.start:,}; nothing was "
                             "imported. Save it again from Excel as 'CSV UTF-8'.") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if b"\x00" in data[:data.find(b"\n")]:
        raise CsvRefused(f"{name} has NUL bytes in its first line: it is UTF-16 without a byte order mark, or not "
                         "a text file; nothing was imported. Save it from Excel as 'CSV UTF-8'.")
    try:
        text = data.decode("cp1252" if encoding == "cp1252" else "utf-8")
    except UnicodeDecodeError as error:
        line, byte = _line_of(data, error.start), data[error.start]
        if encoding == "cp1252":
            raise CsvRefused(f"{name} is not Windows-1252 either: line {line} has the byte 0x{byte:02X}, which "
                             "Windows-1252 does not use; nothing was imported. Save it from Excel as "
                             "'CSV UTF-8'.") from None
        raise NotUtf8(name, line, byte) from None
    return text


class CsvRecords:
    """The header and the records of a CSV text, each record with the line it starts on.

    Commas separate cells; tabs do when the first line has tabs and no comma (Excel's "Unicode
    Text" is tab-separated UTF-16).
    """

    def __init__(self, text: str, name: str) -> None:
        self.name = name
        first_line = _first_line(text)
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        # The csv module's own 128 KB cell limit would end the reading at the first longer cell;
        # cells are held to the limits of their column instead (`CellChecks`).
        csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        # One scan of the whole text: a clean file (nearly every file) skips the per-cell search.
        self.suspect = _SUSPECT.search(text) is not None
        self.marked = _MARKED.search(text) is not None
        header = self._next(1)
        if header is None:
            raise CsvRefused(f"{name} is empty; nothing was imported.")
        self.header = header

    def _next(self, start: int) -> list[str] | None:
        try:
            return next(self._reader)
        except StopIteration:
            return None
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                raise CsvRefused(f"{self.name}: a quote opens in the record on line {start} and never closes; "
                                 "nothing was imported. Close the quote, or remove it.") from None
            raise CsvRefused(f"{self.name}: the quoting is broken on line {self._reader.line_num} (in the record "
                             f"that starts on line {start}: {error}); nothing was imported. Put quotes only around "
                             "a whole cell, and double a quote inside one.") from None

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        """(line the record starts on, its cells) for every record; blank lines are skipped."""
        reader = self._reader
        while True:
            start = reader.line_num + 1
            cells = self._next(start)
            if cells is None:
                return
            if any(cell.strip() for cell in cells):
                yield start, cells


class CellChecks:
    """What may not be stored from a record's cells, as (column, reason) pairs.

    `limits` are characters per column (`default_limit` for the others); control and bidi characters
    are refused except in `free_text` columns; NUL everywhere.
    """

    def __init__(self, header: list[str], limits: Mapping[str, int], default_limit: int,
                 free_text: frozenset[str]) -> None:
        # One (column, limit, free text?) per header cell, worked out once for the whole file.
        self._columns = [(column, limits.get(column, default_limit), column in free_text) for column in header]
        self._shortest = min(limit for _column, limit, _free in self._columns)

    def problems(self, cells: list[str], suspect: bool) -> list[tuple[str, str]]:
        """`suspect` False (from `CsvRecords`: the file holds no such character) checks lengths only."""
        found: list[tuple[str, str]] = []
        if max(map(len, cells)) > self._shortest:
            for (column, limit, _free), cell in zip(self._columns, cells, strict=False):
                if len(cell) > limit:
                    found.append((column, f"is {len(cell):,} characters long; this column takes at most {limit:,}"))
        if suspect:
            for (column, _limit, free), cell in zip(self._columns, cells, strict=False):
                if NUL in cell:
                    found.append((column, "contains a NUL character, which cannot be stored"))
                elif not free and (control := _CONTROL_OR_BIDI.search(cell)):
                    found.append((column, f"contains the invisible control character U+{ord(control.group()):04X}, "
                                          "which this column does not take"))
        return found


# --- spreadsheet-safe cells ------------------------------------------------------------------------------

def needs_mark(value: str) -> bool:
    """Whether a spreadsheet could run the cell as a formula (leading apostrophes included, so that a
    value which itself starts with the mark keeps it through a round trip)."""
    rest = value.lstrip("'")
    return bool(rest) and rest[0] in _FORMULA_START and _PLAIN_NUMBER.match(rest) is None


def mark(value: str) -> str:
    return "'" + value if needs_mark(value) else value


def unmark(value: str) -> str:
    return value[1:] if value[:1] == "'" and needs_mark(value[1:]) else value

