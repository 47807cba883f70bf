"""A fast print file for batches: the letters' PDFs joined object by object, without pypdf.

`combine_pdfs` (pypdf) parses and clones every object of every letter, about 4 ms a letter: as
much as a third of a batch's time. The renderer's PDFs are plain and regular (a classic xref
table, no object streams, no encryption, a flat page tree), so they can be joined by renumbering
their objects and rewriting the references in the dictionaries, leaving every stream untouched.
Objects that are byte for byte the same once renumbered (the font subsets the renderer reuses
across letters) are written once. Anything this reader does not recognise falls back to
`combine_pdfs`, so a change in the renderer costs speed, never a wrong print file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .combine import combine_pdfs

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_OBJ_HEADER = re.compile(rb"(\d+) 0 obj\s*")
_REF = re.compile(rb"(\d+) 0 R")
_TRAILER_REF = re.compile(rb"/(Root|Info) (\d+) 0 R")
_PAGES = re.compile(rb"/Pages (\d+) 0 R")
_KIDS = re.compile(rb"/Kids \[([^\]]*)\]")
_PARENT = re.compile(rb"/Parent (\d+) 0 R")


class _Unsupported(ValueError):
    """The PDF is not of the plain shape this module joins; use pypdf instead."""


_JOIN_FAILED = (_Unsupported, ValueError, IndexError, KeyError, RecursionError)


def concatenate_pdfs(pdfs: Sequence[bytes]) -> bytes:
    """One PDF holding every page of `pdfs` in order; identical objects are written once."""
    print_file = PrintFile()
    for pdf in pdfs:
        print_file.add(pdf)
    return print_file.joined()


class PrintFile:
    """`concatenate_pdfs` a letter at a time: a batch adds each letter as it is logged, while the
    worker processes render the next ones, so that only the last few are left to join at the end.
    """

    def __init__(self) -> None:
        self._pdfs: list[bytes] = []
        self._joiner: _Joiner | None = _Joiner()

    def __len__(self) -> int:
        return len(self._pdfs)

    def add(self, pdf: bytes) -> None:
        self._pdfs.append(pdf)
        if self._joiner is not None:
            try:
                self._joiner.add(pdf)
            except _JOIN_FAILED:
                self._joiner = None  # pypdf joins them all at the end

    def joined(self) -> bytes:
        """The print file of every letter added, in order."""
        if self._joiner is not None and self._pdfs:
            try:
                return self._joiner.finish()
            except _JOIN_FAILED:
                pass
        return combine_pdfs(self._pdfs)


class _Document:
    """One letter's objects: number -> (dictionary part, stream part or b'')."""

    def __init__(self, data: bytes) -> None:
        match = _STARTXREF.search(data[-64:])
        if match is None:
            raise _Unsupported("no startxref")
        xref_at = int(match.group(1))
        if data[xref_at:xref_at + 4] != b"xref":
            raise _Unsupported("not a classic xref table")
        trailer_at = data.index(b"trailer", xref_at)
        lines = data[xref_at + 4:trailer_at].split(b"\n")
        offsets: dict[int, int] = {}
        number = 0
        for line in lines:
            parts = line.split()
            if len(parts) == 2:
                number = int(parts[0])
                continue
            entry = _XREF_ENTRY.match(line.strip())
            if entry is None:
                continue
            if entry.group(3) == b"n":
                offsets[number] = int(entry.group(1))
            number += 1
        trailer = data[trailer_at:]
        if b"/Encrypt" in trailer or b"/Prev" in trailer:
            raise _Unsupported("encrypted or incrementally updated")
        refs = dict((name, int(num)) for name, num in _TRAILER_REF.findall(trailer))
        self.root = refs[b"Root"]
        self.info = refs.get(b"Info")
        ordered = sorted(offsets.items(), key=lambda item: item[1])
        self.objects: dict[int, tuple[bytes, bytes]] = {}
        for index, (num, start) in enumerate(ordered):
            end = ordered[index + 1][1] if index + 1 < len(ordered) else xref_at
            chunk = data[start:end]
            header = _OBJ_HEADER.match(chunk)
            if header is None or int(header.group(1)) != num:
                raise _Unsupported(f"object {num} is not where the xref says")
            body = chunk[header.end():chunk.rindex(b"endobj")]
            at = body.find(b"stream")
            if at >= 0:
                self.objects[num] = (body[:at], body[at:])
            else:
                self.objects[num] = (body.rstrip(), b"")
        catalog = self.objects[self.root][0]
        pages_match = _PAGES.search(catalog)
        if pages_match is None or b"/Outlines" in catalog or b"/AcroForm" in catalog:
            raise _Unsupported("catalog with more than a page tree")
        self.pages_root = int(pages_match.group(1))
        kids = _KIDS.search(self.objects[self.pages_root][0])
        if kids is None:
            raise _Unsupported("no page list")
        self.pages = [int(n) for n in _REF.findall(kids.group(1))]
        for page in self.pages:
            if b"/Type /Pages" in self.objects[page][0]:
                raise _Unsupported("nested page tree")


class _Joiner:
    def __init__(self) -> None:
        self.out: list[bytes] = []
        self.offsets: list[int] = []
        self.size = 0
        self.known: dict[bytes, int] = {}  # canonical object bytes -> its number in the output
        # Object 1 is the page tree and 2 the catalog, so every page can point to its parent
        # before the list of pages is known; they are written last, at the numbers reserved here.
        self.next_number = 3
        self.page_numbers: list[int] = []

    def _write(self, number: int, body: bytes) -> None:
        self.offsets.append(self.size)
        chunk = b"%d 0 obj\n%s\nendobj\n" % (number, body)
        self.out.append(chunk)
        self.size += len(chunk)

    def add(self, data: bytes) -> None:
        """Append one letter's pages (and the objects they use that are not written yet)."""
        if not self.out:
            header = data[:data.index(b"\n", 9) + 1] if data.startswith(b"%PDF-") else b""
            if not header:
                raise _Unsupported("not a PDF")
            self.out.append(header)
            self.size = len(header)
        document = _Document(data)
        mapping: dict[int, int] = {}
        in_progress: set[int] = set()

        def place(num: int, document: _Document = document, mapping: dict[int, int] = mapping,
                  in_progress: set[int] = in_progress) -> int:
            if num in mapping:
                return mapping[num]
            if num in in_progress:
                raise _Unsupported("reference cycle outside the page tree")
            in_progress.add(num)
            head, stream = document.objects[num]
            head = _REF.sub(lambda m: b"%d 0 R" % place(int(m.group(1))), head)
            key = head + stream
            number = self.known.get(key)
            if number is None:
                number = self._number()
                self.known[key] = number
                self._write(number, key)
            mapping[num] = number
            in_progress.discard(num)
            return number

        skip = {document.root, document.pages_root, document.info}
        for page in document.pages:
            head, stream = document.objects[page]
            if stream:
                raise _Unsupported("a page with a stream")
            # The page's parent becomes the joined page tree (object 1); a placeholder keeps
            # that reference out of the renumbering below.
            head = _PARENT.sub(b"/Parent <parent>", head)

            def ref(match: re.Match[bytes], skip: set[int | None] = skip,
                    place: Callable[[int], int] = place) -> bytes:
                target = int(match.group(1))
                if target in skip:
                    raise _Unsupported("a page that points to the catalog")
                return b"%d 0 R" % place(target)

            head = _REF.sub(ref, head).replace(b"/Parent <parent>", b"/Parent 1 0 R")
            number = self._number()
            self._write(number, head)
            self.page_numbers.append(number)

    def _number(self) -> int:
        number = self.next_number
        self.next_number += 1
        return number

    def finish(self) -> bytes:
        """The joined file: the page tree, the catalog, the info and the cross-reference table."""
        if not self.page_numbers:
            raise _Unsupported("nothing to join")
        page_numbers = self.page_numbers
        kids = b" ".join(b"%d 0 R" % n for n in page_numbers)
        self._write(1, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(page_numbers), kids))
        self._write(2, b"<< /Type /Catalog /Pages 1 0 R /PageMode /UseNone >>")
        info = self._number()
        self._write(info, b"<< /Creator (Kantor Cases) /Producer (Kantor Cases) /Title (Letters) >>")
        count = info + 1
        by_number = self._by_number(count)
        xref = [b"xref\n0 %d\n" % count, b"0000000000 65535 f \n"]
        xref.extend(b"%010d 00000 n \n" % by_number[n] for n in range(1, count))
        xref_at = self.size
        trailer = b"trailer\n<< /Size %d /Root 2 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            count, info, xref_at)
        return b"".join(self.out) + b"".join(xref) + trailer

    def _by_number(self, count: int) -> list[int]:
        """Offsets by object number (objects were written out of number order)."""
        result = [0] * count
        for chunk, offset in zip(self.out[1:], self.offsets, strict=True):
            number = int(chunk[:chunk.index(b" ")])
            result[number] = offset
        return result
