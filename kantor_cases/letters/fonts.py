"""TrueType fonts shipped with the letters package, registered with ReportLab once per process.

The PDF base-14 fonts cannot print "Nguyễn", "Łukasz", "Петросян" or "Պետրոսյան", so every letter
uses DejaVu Serif (Latin with all diacritics, Greek, Cyrillic, Armenian, Vietnamese). DejaVu has no
Han or Hangul, so runs of CJK characters switch to a WenQuanYi Micro Hei subset; both are embedded
(as per-document glyph subsets) so the letter prints the same on any machine, and both carry a
ToUnicode map so text extracted from the PDF is exactly the text that went in.
"""

from __future__ import annotations

import functools
import re
import threading
import zlib
from collections.abc import Iterator
from importlib import resources
from typing import Any

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTFont

from kantor_cases.resources import resource

SERIF = "KantorSerif"
SERIF_BOLD = "KantorSerif-Bold"
SERIF_ITALIC = "KantorSerif-Italic"
SERIF_BOLD_ITALIC = "KantorSerif-BoldItalic"
CJK = "KantorCJK"

_FILES = {
    SERIF: "DejaVuSerif.ttf",
    SERIF_BOLD: "DejaVuSerif-Bold.ttf",
    SERIF_ITALIC: "DejaVuSerif-Italic.ttf",
    SERIF_BOLD_ITALIC: "DejaVuSerif-BoldItalic.ttf",
    CJK: "WenQuanYiMicroHei-CJK.ttf",
}

# The code points kept in the CJK subset (see resources/README.md); everything else is drawn with
# DejaVu Serif. Hangul Jamo, CJK punctuation, kana, compatibility Jamo, CJK Extension A, the
# unified ideographs, Hangul syllables, compatibility ideographs and full-width forms.
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x1100, 0x11FF),
    (0x3000, 0x30FF),
    (0x3130, 0x318F),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
)

CJK_RUN = re.compile("[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in CJK_RANGES) + "]+")

_lock = threading.Lock()
_registered = False
_cjk_registered = False


def register_fonts(cjk: bool = False) -> None:
    """Register the letter fonts with ReportLab; cheap after the first call.

    Letters are rendered from worker threads, so registration is guarded by a lock: ReportLab's
    font registry is a plain dict and a half-registered family would fail a concurrent render.
    The CJK face, the slowest to load and needed by few letters, is registered with `cjk`, or
    else by `wrap_cjk_runs` and `split_runs` the first time they meet a CJK character.
    """
    global _registered, _cjk_registered
    if _registered and (_cjk_registered or not cjk):
        return
    with _lock:
        if not _registered:
            for name in (SERIF, SERIF_BOLD, SERIF_ITALIC, SERIF_BOLD_ITALIC):
                _register(name)
            pdfmetrics.registerFontFamily(
                SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC, boldItalic=SERIF_BOLD_ITALIC
            )
            _registered = True
        if cjk and not _cjk_registered:
            _register(CJK)
            # The CJK face has no bold or italic; mapping all four styles to it lets a CJK run sit
            # inside <b> or <i> markup without ReportLab failing to find a bold variant.
            pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)
            _cjk_registered = True


def _register(name: str) -> None:
    with resources.as_file(resource("fonts") / _FILES[name]) as path:
        font = TTFont(name, str(path))
    _cache_subsets(font.face)
    _cache_font_objects(font)
    pdfmetrics.registerFont(font)


def wrap_cjk_runs(markup: str) -> str:
    """Wrap each run of CJK characters in escaped Paragraph markup in a CJK <font> tag.

    Safe on the whole paragraph markup because tags and entities are ASCII: only text is matched.
    """
    return CJK_RUN.sub(_font_tag, markup)


def _font_tag(match: re.Match[str]) -> str:
    register_fonts(cjk=True)
    return f'<font name="{CJK}">{match.group(0)}</font>'


def split_runs(text: str, font_name: str) -> Iterator[tuple[str, str]]:
    """Yield (text, font name) runs of plain text for drawing straight onto a canvas."""
    pos = 0
    for match in CJK_RUN.finditer(text):
        register_fonts(cjk=True)
        if match.start() > pos:
            yield text[pos : match.start()], font_name
        yield match.group(0), CJK
        pos = match.end()
    if pos < len(text):
        yield text[pos:], font_name


class _AlreadyFlateCompressed:
    """Stream filter for data compressed ahead of time (a cached font subset)."""

    pdfname = "FlateDecode"

    def encode(self, data: bytes) -> bytes:
        return data

    def decode(self, data: bytes) -> bytes:
        return zlib.decompress(data)


_PRECOMPRESSED = _AlreadyFlateCompressed()


def _cache_subsets(face: Any) -> None:
    """Reuse the embedded, compressed font program across letters whose glyph subset is the same.

    Building and compressing the subset font is about a fifth of the time to render a hearing
    reminder, and the letters of a batch share template text, so most of them embed identical
    subsets. This replaces ReportLab's TTFontFace.addSubsetObjects (reportlab 4.x/5.x) on our own
    face objects only, producing the same PDF objects; tests compare the output with and without.
    """
    make_subset = face.makeSubset
    original = face.addSubsetObjects

    @functools.lru_cache(maxsize=256)
    def compressed(subset: tuple[int, ...]) -> tuple[bytes, int]:
        data = make_subset(list(subset))
        return zlib.compress(data), len(data)

    def add_subset_objects(doc: Any, fontname: str, subset: list[int]) -> Any:
        if not doc.compression:
            return original(doc, fontname, subset)
        content, length = compressed(tuple(subset))
        font_file = pdfdoc.PDFStream(content=content, filters=[_PRECOMPRESSED])
        font_file.dictionary["Length1"] = length
        font_file_ref = doc.Reference(font_file, f"fontFile:{face.filename}({fontname})")
        descriptor = pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor",
            "Ascent": face.ascent,
            "CapHeight": face.capHeight,
            "Descent": face.descent,
            "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
            "FontBBox": pdfdoc.PDFArray(face.bbox),
            "FontName": pdfdoc.PDFName(fontname),
            "ItalicAngle": face.italicAngle,
            "StemV": face.stemV,
            "FontFile2": font_file_ref,
            "MissingWidth": face.defaultWidth,
        })
        return doc.Reference(descriptor, "fontDescriptor:" + fontname)

    face.addSubsetObjects = add_subset_objects


class _Formatted(pdfdoc.PDFObject):
    """A PDF value formatted once (it holds no reference, so it reads the same in every document)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


def _cache_font_objects(font: Any) -> None:
    """Reuse the glyph widths and the ToUnicode map across letters whose glyph subset is the same.

    ReportLab formats a subset's width array number by number in every document (about 400
    numbers a hearing reminder, two fifths of the time to write its PDF out) and compresses its
    ToUnicode map again each time. This wraps TTFont.addObjects (reportlab 4.x/5.x) on our own
    fonts only: ReportLab still builds the font dictionaries, then the widths are swapped for the
    same array formatted once, and the map for the same bytes compressed once; tests compare the
    output with and without.
    """
    original = font.addObjects

    @functools.lru_cache(maxsize=256)
    def widths(values: tuple[Any, ...]) -> _Formatted:
        # A new subset mostly reuses widths already seen: each value is formatted once, and
        # PDFArray lays out the formatted values (bytes pass through its formatting unchanged).
        return _Formatted(pdfdoc.PDFArray([number(value) for value in values]).format(None))

    @functools.lru_cache(maxsize=4096)
    def number(value: Any) -> bytes:
        return pdfdoc.format(value, None)

    @functools.lru_cache(maxsize=256)
    def compressed(cmap: str) -> bytes:
        return zlib.compress(cmap.encode("utf8"))

    def add_objects(doc: Any) -> None:
        fonts_dict = doc.idToObject["BasicFonts"].dict
        before = set(fonts_dict)
        original(doc)
        for name in set(fonts_dict) - before:
            pdf_font = fonts_dict[name]
            if isinstance(pdf_font.Widths, pdfdoc.PDFArray):
                pdf_font.Widths = widths(tuple(pdf_font.Widths.sequence))
            cmap = doc.idToObject.get(getattr(pdf_font.ToUnicode, "name", None))
            if (doc.compression and isinstance(cmap, pdfdoc.PDFStream) and isinstance(cmap.content, str)
                    and cmap.filters == [pdfdoc.PDFZCompress]):
                cmap.content = compressed(cmap.content)
                cmap.filters = [_PRECOMPRESSED]

    font.addObjects = add_objects
