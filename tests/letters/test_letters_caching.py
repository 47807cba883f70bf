"""Speed-ups must not change a single byte: same data, same PDF, whatever was printed before."""

from __future__ import annotations

from letters_support import LETTER_DATE

from kantor_cases.letters import Letterhead, fonts, render_letter, sample_fields
from kantor_cases.letters.render import _Para


def _rendered_with_reportlabs_own(objects, method: str, fields, letterhead) -> bytes:
    """The reminder rendered with `method` of each object as ReportLab wrote it (the instance's
    remembering replacement taken off for the while)."""
    saved = [instance.__dict__.pop(method) for instance in objects]
    try:
        return render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE)
    finally:
        for instance, replacement in zip(objects, saved, strict=True):
            setattr(instance, method, replacement)


def test_same_data_gives_the_same_bytes_whatever_was_printed_before(letterhead: Letterhead) -> None:
    fields = sample_fields("hearing-reminder")
    first = render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE)
    other = dict(fields, **{"recipient.name": "Петросян", "client.full_name": "王小明"})
    render_letter("hearing-reminder", "en", other, letterhead, LETTER_DATE)
    _Para._frags.clear()
    _Para._wraps.clear()
    assert render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE) == first


def test_reused_font_subsets_equal_reportlabs_own(letterhead: Letterhead) -> None:
    from reportlab.pdfbase import pdfmetrics

    fields = sample_fields("hearing-reminder")
    fields["client.full_name"] = "王小明 Nguyễn Թ"
    cached = render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE)
    faces = [pdfmetrics.getFont(name).face for name in (fonts.SERIF, fonts.SERIF_BOLD, fonts.CJK)]
    assert cached == _rendered_with_reportlabs_own(faces, "addSubsetObjects", fields, letterhead)


def test_letters_rendered_on_two_threads_match_letters_rendered_one_by_one(letterhead: Letterhead) -> None:
    """The batch printer renders on a worker thread while the user previews another letter."""
    from concurrent.futures import ThreadPoolExecutor

    names = ["Nguyễn Thị Hương", "王小明", "Петросян", "김민준", "Պետրոսյան", "Łukasz Żółć"] * 3
    jobs = []
    for index, name in enumerate(names):
        fields = sample_fields("hearing-reminder", "es" if index % 2 else "en")
        fields["recipient.name"] = fields["client.full_name"] = name
        jobs.append(("es" if index % 2 else "en", fields))
    _Para._frags.clear()  # start cold, so the threads also race to fill the caches
    _Para._wraps.clear()
    with ThreadPoolExecutor(max_workers=3) as pool:
        threaded = list(pool.map(lambda job: render_letter("hearing-reminder", job[0], job[1], letterhead,
                                                           LETTER_DATE), jobs))
    sequential = [render_letter("hearing-reminder", lang, f, letterhead, LETTER_DATE) for lang, f in jobs]
    assert threaded == sequential


def test_a_paragraph_split_across_pages_prints_the_same_from_the_cache(letterhead: Letterhead) -> None:
    """A paragraph falling across a page break drew differently once its lines were cached, so a
    letter printed again no longer matched its checksum."""
    from kantor_cases.domain.pd_regimes import BY_ID

    regime = BY_ID["doyle-2022"]
    fields = sample_fields("pd-request")
    fields.update({"pd.priorities": True, "pd.guidance": regime.guidance, "client.full_name": "O'Brien & <Sons>",
                   "pd.exhibits": [], "pd.negative_factors": []})
    _Para._frags.clear()
    _Para._wraps.clear()
    fresh = render_letter("pd-request", "en", fields, letterhead, LETTER_DATE)
    assert render_letter("pd-request", "en", fields, letterhead, LETTER_DATE) == fresh


def test_reused_font_widths_and_unicode_maps_equal_reportlabs_own(letterhead: Letterhead) -> None:
    from reportlab.pdfbase import pdfmetrics

    fields = sample_fields("hearing-reminder")
    fields["client.full_name"] = "王小明 Nguyễn Թ"
    render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE)  # the cached objects made
    cached = render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE)
    faces = [pdfmetrics.getFont(name) for name in (fonts.SERIF, fonts.SERIF_BOLD, fonts.CJK)]
    assert cached == _rendered_with_reportlabs_own(faces, "addObjects", fields, letterhead)


def test_a_chinese_name_in_the_first_letter_a_program_prints(letterhead: Letterhead, tmp_path) -> None:
    """The CJK font is loaded only when a letter needs it: a program whose first letter has a
    Chinese name prints it, in the same bytes as a program that had printed other letters."""
    import subprocess
    import sys
    from pathlib import Path

    from letters_support import all_text

    fields = sample_fields("hearing-reminder")
    fields["recipient.name"] = fields["client.full_name"] = "王小明"
    render_letter("hearing-reminder", "es", sample_fields("hearing-reminder", "es"), letterhead, LETTER_DATE)
    here = render_letter("hearing-reminder", "en", fields, letterhead, LETTER_DATE)
    out = tmp_path / "first.pdf"
    script = (
        "import sys\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "from letters_support import LETTER_DATE, LETTERHEAD\n"
        "from kantor_cases.letters import render_letter, sample_fields\n"
        "fields = sample_fields('hearing-reminder')\n"
        "fields['recipient.name'] = fields['client.full_name'] = '王小明'\n"
        "open(sys.argv[1], 'wb').write(render_letter('hearing-reminder', 'en', fields, LETTERHEAD, LETTER_DATE))\n"
    )
    subprocess.run([sys.executable, "-c", script, str(out), str(Path(__file__).parent)], check=True, timeout=120)
    first = out.read_bytes()
    assert first == here
    assert "王小明" in all_text(first)


def test_remembered_number_formatting_prints_reportlabs_own_bytes(letterhead: Letterhead) -> None:
    from kantor_cases.letters import pdf_numbers

    letters = []
    for template, language, name in (("hearing-reminder", "en", "王小明"), ("hearing-reminder", "es", "Nguyễn"),
                                     ("engagement", "en", "O'Brien & <Sons>")):
        fields = sample_fields(template, language)
        fields["recipient.name"] = fields["client.full_name"] = name
        letters.append((template, language, fields))
    remembered = [render_letter(t, lang, f, letterhead, LETTER_DATE) for t, lang, f in letters]
    with pdf_numbers.reportlabs_own():
        own = [render_letter(t, lang, f, letterhead, LETTER_DATE) for t, lang, f in letters]
    assert remembered == own


def test_numbers_equal_in_value_are_remembered_as_reportlab_formats_each() -> None:
    from kantor_cases.letters import pdf_numbers

    reportlabs = pdf_numbers._original

    # Equal values of other types share a remembered text: ReportLab formats them alike.
    values = [(1,), (1.0,), (True,), (0,), (-0.0,), (1e-8,), (2.6,), (2.6000000000000001,), (10**20,), (1e20,),
              (0.5, 2), (0.5, 2.0), ((0.1, 0.2, 0.3),), ([1, 2.5],), (-3.25,), (123456789.123,)]
    for args in values * 2:
        assert pdf_numbers.fp_str(*args) == reportlabs(*args), args
