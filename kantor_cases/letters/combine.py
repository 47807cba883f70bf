"""The one combined print file of a batch of letters (pypdf), used by the batch-print service."""

from __future__ import annotations

import io
from collections.abc import Iterable

from pypdf import PdfReader, PdfWriter


def combine_pdfs(pdfs: Iterable[bytes], *, deduplicate: bool = True) -> bytes:
    """One PDF holding every page of `pdfs`, in order.

    Letters of a batch embed the same font subsets (the renderer reuses them byte for byte), so
    identical objects are merged: 200 hearing reminders shrink from about 9 MB to about 1.2 MB.
    """
    writer = PdfWriter()
    for data in pdfs:
        writer.append(PdfReader(io.BytesIO(data)))
    if deduplicate:
        writer.compress_identical_objects()  # defaults merge duplicates and drop orphans (pypdf 4-7)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
