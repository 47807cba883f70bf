"""The letter service as the office uses it: letters filled from the records, filed atomically and
logged, printed again byte for byte, the office's template copies, and batch runs."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, update

from kantor_cases.db.models import AuditEvent, Letter
from kantor_cases.domain.calendars import get_calendar
from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.domain.letter_records import LetterQuery
from kantor_cases.domain.records import (
    ClientDraft,
    HearingDraft,
    MatterDraft,
    PartyDraft,
    PdRequestDraft,
    RemovalCaseDraft,
)
from kantor_cases.letters import TEMPLATE_IDS, sample_fields, template_languages
from kantor_cases.services import audit
from kantor_cases.services import letters as letter_service
from kantor_cases.services.file_writes import WriteFailed, write_atomic
from kantor_cases.services.letters import workers as letter_workers
from kantor_cases.services.output_files import TargetRefused

SPANISH_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                  "octubre", "noviembre", "diciembre")


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    """Extracted text with line breaks as spaces (a long name may wrap)."""
    return " ".join(text.split())


def rows(office, model=Letter):
    with office.database.read() as session:
        return list(session.scalars(select(model).order_by(model.id)))


def court(office, code="LOS"):
    return next(c for c in office.settings.courts(include_closed=True) if c.code == code)


def court_day(days_ahead: int) -> date:
    """The first day the immigration courts sit, `days_ahead` days from today or later: a batch
    refuses reminders for hearings on weekends and holidays."""
    return get_calendar("federal").next_business_day(date.today() + timedelta(days=days_ahead))


def add_case(office, given="Guadalupe", family="Ortiz", language="es", a_number="A012345678",
             days_ahead=10, hearing=True, **client_fields):
    defaults = {"street": "1457 W. Temple Street, Apt. 3", "city": "Los Angeles", "state": "CA",
                "postal_code": "90026"}
    client = office.clients.create(ClientDraft(given_name=given, family_name=family, preferred_language=language,
                                               a_number=a_number, **{**defaults, **client_fields}))
    matter = office.matters.create(client.id, MatterDraft(kind="removal", removal=RemovalCaseDraft(
        court_id=court(office).id, judge="Hon. A. Whitfield", custody="released")))
    hearing_id = None
    if hearing:
        starts = datetime.combine(court_day(days_ahead), time(8, 30))
        hearing_id = office.hearings.add_hearing(matter.id, HearingDraft(
            starts_at=starts, hearing_type="individual", courtroom="Courtroom 12", judge="Hon. A. Whitfield",
            interpreter_language="Spanish")).id
    return client.id, matter.id, hearing_id


# --- one letter --------------------------------------------------------------------------------------------


def test_a_hearing_reminder_is_filled_from_the_records_filed_and_logged(letterhead, tmp_path):
    office = letterhead
    client_id, matter_id, hearing_id = add_case(office)
    letter = office.letters.generate("hearing-reminder", matter_id=matter_id)

    path = Path(letter.file_path)
    assert path.parent == office.locations.documents / f"client-{client_id:06d}"
    assert path.name == f"{date.today():%Y-%m-%d} hearing-reminder es.pdf"
    data = path.read_bytes()
    assert letter.sha256 == hashlib.sha256(data).hexdigest()
    text = flat(text_of(data))
    hearing_day = court_day(10)
    assert "Guadalupe Ortiz" in text and "A012-345-678" in text
    assert "606 S. Olive Street" in text and "Los Angeles, CA 90014" in text
    assert "Piso 15, sala 12" in text and "A. Whitfield" in text and "Hon." not in text
    assert f"{hearing_day.day} de {SPANISH_MONTHS[hearing_day.month - 1]} de {hearing_day.year}" in text
    assert "8:30 a. m." in text and "audiencia individual" in text and "intérprete de español" in text

    [row] = rows(office)
    assert (row.client_id, row.matter_id, row.hearing_id) == (client_id, matter_id, hearing_id)
    assert (row.template_id, row.template_version, row.language) == ("hearing-reminder", 0, "es")
    assert row.created_by == "Ana" and abs((datetime.now() - row.created_at).total_seconds()) < 60
    assert row.recipient == "Guadalupe Ortiz" and row.file_path == str(path)
    stored = json.loads(row.fields)
    assert stored["client.full_name"] == "Guadalupe Ortiz" and stored["hearing.floor"] == "15"
    assert stored["hearing.court_address"] == "606 S. Olive Street\nLos Angeles, CA 90014"
    assert stored["letter.date"] == date.today().isoformat() and stored["letterhead"]["bar_number"] == "123456"
    [event] = [e for e in rows(office, AuditEvent) if e.entity == "letter"]
    assert event.entity_id == letter.id and event.client_id == client_id and event.user_name == "Ana"
    assert [h.reminder_sent for h in office.hearings.upcoming_hearings(30)] == [True]
    assert office.letters.letters_for(client_id=client_id)[0].id == letter.id


def test_language_is_the_clients_unless_chosen_and_the_pd_request_is_english_only(letterhead):
    office = letterhead
    _, spanish_matter, _ = add_case(office, language="es")
    _, english_matter, _ = add_case(office, given="Armen", family="Petrosyan", language="en",
                                    a_number="A208456123")
    assert office.letters.plan("hearing-reminder", matter_id=spanish_matter).language == "es"
    assert office.letters.plan("hearing-reminder", matter_id=english_matter).language == "en"
    chosen = office.letters.generate("hearing-reminder", matter_id=spanish_matter, language="en")
    assert chosen.language == "en" and chosen.file_path.endswith("hearing-reminder en.pdf")
    assert "Your next hearing in immigration court" in flat(text_of(Path(chosen.file_path).read_bytes()))
    with pytest.raises(ValidationError, match="English only"):
        office.letters.plan("pd-request", matter_id=spanish_matter, language="es")
    with pytest.raises(ValidationError, match="English"):
        office.letters.plan("hearing-reminder", matter_id=spanish_matter, language="fr")


def test_missing_records_are_named_and_nothing_is_printed_half_filled(letterhead):
    office = letterhead
    client_id, no_hearing, _ = add_case(office, hearing=False)
    with pytest.raises(ValidationError, match="no upcoming hearing to remind about"):
        office.letters.generate("hearing-reminder", matter_id=no_hearing)
    with pytest.raises(ValidationError, match="client alone is not enough"):
        office.letters.generate("hearing-reminder", client_id=client_id)
    with pytest.raises(ValidationError, match="written about a matter"):
        office.letters.generate("status-update", client_id=client_id)
    _, unnumbered, _ = add_case(office, given="Rosa", family="Díaz", a_number="")
    with pytest.raises(ValidationError, match="Rosa Díaz has no A-number"):
        office.letters.generate("hearing-reminder", matter_id=unnumbered)
    _, homeless, _ = add_case(office, given="Luis", family="Reyes", a_number="A087654321", street="", city="",
                              state="", postal_code="")
    with pytest.raises(ValidationError, match="no mailing address"):
        office.letters.preview("hearing-reminder", matter_id=homeless)
    # An attorney's answer the records cannot hold: the engagement letter names what it still needs.
    plan = office.letters.plan("engagement", matter_id=no_hearing)
    assert "engagement.fee_type" in plan.missing and not plan.ready
    with pytest.raises(ValidationError, match="engagement.fee_type"):
        office.letters.generate("engagement", matter_id=no_hearing)
    assert rows(office) == []
    assert not list(office.locations.documents.rglob("*.pdf"))


def test_a_court_without_an_address_is_named(letterhead):
    office = letterhead
    _, matter_id, hearing_id = add_case(office)
    lancaster = court(office, "LAN")  # closed court, no street address
    hearing = office.matters.get(matter_id).hearings[0]
    office.hearings.update_hearing(hearing_id, HearingDraft(starts_at=hearing.starts_at, court_id=lancaster.id,
                                                            hearing_type="master"), hearing.version)
    with pytest.raises(ValidationError, match="has no address"):
        office.letters.generate("hearing-reminder", hearing_id=hearing_id)


def test_no_partial_file_is_left_when_rendering_or_logging_fails(letterhead, monkeypatch):
    office = letterhead
    client_id, matter_id, _ = add_case(office)
    folder = office.locations.documents / f"client-{client_id:06d}"

    def broken_render(*_args, **_kwargs):
        raise RuntimeError("renderer crashed")

    import kantor_cases.letters as renderer

    monkeypatch.setattr(renderer, "render_letter", broken_render)
    with pytest.raises(RuntimeError):
        office.letters.generate("hearing-reminder", matter_id=matter_id)
    assert not folder.exists() or not any(folder.iterdir())
    monkeypatch.undo()

    def broken_audit(*_args, **_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(audit, "record", broken_audit)
    with pytest.raises(RuntimeError):
        office.letters.generate("hearing-reminder", matter_id=matter_id)
    monkeypatch.undo()
    assert not any(folder.glob("*.pdf")), "a file the log does not list was left behind"
    assert not any(folder.glob(".*.part")), "a temporary file was left behind"
    assert rows(office) == []


def test_the_atomic_write_leaves_no_temporary_file_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "letter.pdf"

    def failing_fsync(_fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(WriteFailed) as refused:
        write_atomic(target, b"%PDF-1.4 ...")
    assert str(refused.value).startswith(f"{target} could not be written: input/output error.")
    assert list(tmp_path.iterdir()) == []


def fsync_failing_for(monkeypatch, word: str) -> None:
    """os.fsync fails (EIO) for files whose path holds `word`, as a failing disk does."""
    real_fsync = os.fsync

    def fsync(fd):
        if word in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.EIO, "Input/output error")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def test_a_letter_whose_file_does_not_reach_the_disk_is_not_logged(letterhead, monkeypatch):
    office = letterhead
    client_id, matter_id, _ = add_case(office)
    fsync_failing_for(monkeypatch, f"client-{client_id:06d}")
    with pytest.raises(WriteFailed) as refused:
        office.letters.generate("hearing-reminder", matter_id=matter_id)
    message = str(refused.value)
    folder = office.locations.documents / f"client-{client_id:06d}"
    assert message == (f"Client {client_id}'s letter in {folder} could not be written: "
                       "input/output error. Check the disk and try again.")
    assert "Ortiz" not in message
    assert list(folder.iterdir()) == [] and rows(office) == []


def test_a_letter_copy_in_a_folder_it_may_not_write_names_the_copy(letterhead, tmp_path, monkeypatch):
    office = letterhead
    _, matter_id, _ = add_case(office)
    letter = office.letters.generate("hearing-reminder", matter_id=matter_id)
    locked = tmp_path / "locked"
    locked.mkdir()
    real_open = os.open

    def open_(path, *args, **kwargs):  # a read-only folder (tests run as root, who may write anywhere)
        if str(path).startswith(str(locked)):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    target = locked / "for the client.pdf"
    with pytest.raises(WriteFailed) as refused:
        office.letters.regenerate(letter.id, copy_to=target)
    assert str(refused.value) == (f"{target} could not be written: permission denied. Choose a folder you may "
                                  "write to.")
    with pytest.raises(WriteFailed, match="for the client.pdf could not be written: permission denied"):
        office.letters.generate("hearing-reminder", matter_id=matter_id, copy_to=target)
    monkeypatch.undo()
    assert list(locked.iterdir()) == []
    assert len(rows(office)) == 1, "a letter whose copy failed was logged"
    assert len(list(Path(letter.file_path).parent.glob("*.pdf"))) == 1, "its filed letter was left behind"


def test_a_letter_copy_never_replaces_a_file_unless_forced_nor_the_office_files(letterhead, tmp_path):
    office = letterhead
    _, matter_id, _ = add_case(office)
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"signed by the client")
    with pytest.raises(TargetRefused, match="already exists"):
        office.letters.generate("hearing-reminder", matter_id=matter_id, copy_to=kept)
    assert kept.read_bytes() == b"signed by the client" and rows(office) == []
    letter = office.letters.generate("hearing-reminder", matter_id=matter_id, copy_to=kept, force=True)
    assert kept.read_bytes() == Path(letter.file_path).read_bytes()
    database = Path(office.locations.database)
    for target in (database, database.with_name(database.name + "-wal"), office.locations.backups / "x.pdf"):
        with pytest.raises(TargetRefused):
            office.letters.write_copy(target, b"%PDF-1.4", force=True)
        with pytest.raises(TargetRefused):
            office.letters.regenerate(letter.id, copy_to=target, force=True)
    assert not database.read_bytes().startswith(b"%PDF")


def test_letters_on_the_same_day_get_their_own_file(letterhead):
    office = letterhead
    _, matter_id, _ = add_case(office)
    first = office.letters.generate("hearing-reminder", matter_id=matter_id)
    second = office.letters.generate("hearing-reminder", matter_id=matter_id)
    assert Path(second.file_path).name == f"{date.today():%Y-%m-%d} hearing-reminder es (2).pdf"
    assert Path(first.file_path).is_file() and Path(second.file_path).is_file()


def test_regenerate_prints_the_same_bytes_and_writes_back_a_lost_file(letterhead):
    office = letterhead
    _, matter_id, _ = add_case(office)
    letter = office.letters.generate("hearing-reminder", matter_id=matter_id)
    again = office.letters.regenerate(letter.id)
    assert again.matches and again.file_state == "ok" and not again.restored
    path = Path(letter.file_path)
    path.unlink()
    restored = office.letters.regenerate(letter.id)
    assert restored.matches and restored.file_state == "missing" and restored.restored
    assert hashlib.sha256(path.read_bytes()).hexdigest() == letter.sha256
    path.write_bytes(b"%PDF-1.4 annotated by hand")
    changed = office.letters.regenerate(letter.id)
    assert changed.matches and changed.file_state == "changed" and not changed.restored
    assert path.read_bytes() == b"%PDF-1.4 annotated by hand"
    # The letterhead changed since: the stored letter still prints as it was sent.
    firm = office.settings.firm()
    office.settings.update_firm(replace(firm, firm_name="Kantor & Associates"), firm.version)
    assert office.letters.regenerate(letter.id).matches


def test_fields_filled_in_by_hand_override_the_records_and_are_stored(letterhead):
    office = letterhead
    _, matter_id, _ = add_case(office)
    letter = office.letters.generate("hearing-reminder", matter_id=matter_id,
                                     fields={"recipient.salutation": "Sra. Ortiz", "hearing.courtroom": "7"})
    assert letter.fields["recipient.salutation"] == "Sra. Ortiz" and letter.fields["hearing.courtroom"] == "7"
    text = flat(text_of(Path(letter.file_path).read_bytes()))
    assert "Estimado(a) Sra. Ortiz:" in text and "sala 7" in text
    assert office.letters.regenerate(letter.id).matches


# --- the office's template copies ----------------------------------------------------------------------------


def test_a_template_naming_an_unknown_field_is_refused_with_the_field_named(letterhead):
    office = letterhead
    source, version = office.letters.template_source("hearing-reminder", "en")
    assert version == 0
    with pytest.raises(ValidationError) as refused:
        office.letters.save_template("hearing-reminder", "en", source + "\nShoe size: {{ client.shoe_size }}\n")
    assert "client.shoe_size" in str(refused.value) and "client.shoe_size" in refused.value.fields
    assert office.letters.template_history("hearing-reminder", "en") == []


def test_template_copies_are_versioned_used_for_printing_and_revertible(letterhead):
    office = letterhead
    _, matter_id, _ = add_case(office, language="en")
    source, _ = office.letters.template_source("hearing-reminder", "en")
    first = office.letters.save_template("hearing-reminder", "en", source.replace(
        "You must attend this hearing in person.", "You must attend this hearing in person, on time."), "on time")
    second = office.letters.save_template("hearing-reminder", "en", source.replace(
        "You must attend this hearing in person.", "Please attend this hearing in person."), "softer")
    assert (first.version, second.version) == (1, 2)
    history = office.letters.template_history("hearing-reminder", "en")
    assert [(v.version, v.active, v.created_by) for v in history] == [(2, True, "Ana"), (1, False, "Ana")]
    assert office.letters.templates()[2].active_versions == {"en": 2, "es": 0}
    letter = office.letters.generate("hearing-reminder", matter_id=matter_id)
    assert letter.template_version == 2
    assert "Please attend this hearing in person." in flat(text_of(Path(letter.file_path).read_bytes()))
    office.letters.revert_template("hearing-reminder", "en")
    assert office.letters.template_source("hearing-reminder", "en") == (source, 0)
    builtin = office.letters.generate("hearing-reminder", matter_id=matter_id)
    assert builtin.template_version == 0
    assert "You must attend this hearing in person." in flat(text_of(Path(builtin.file_path).read_bytes()))
    # A letter printed with version 2 still prints again from version 2.
    assert office.letters.regenerate(letter.id).matches


# --- batches -------------------------------------------------------------------------------------------------


@pytest.fixture
def hearings(letterhead):
    office = letterhead
    ids = {
        "soon_es": add_case(office, "María", "García López", "es", "A012345001", days_ahead=3),
        "soon_en": add_case(office, "Armen", "Petrosyan", "en", "A012345002", days_ahead=12),
        "later": add_case(office, "Thảo", "Nguyễn", "en", "A012345003", days_ahead=25),
        "far": add_case(office, "Olga", "Ivanova", "en", "A012345004", days_ahead=60),
        "no_a_number": add_case(office, "José", "Hernández", "es", "", days_ahead=5),
    }
    return office, ids


def test_a_reminder_batch_prints_logs_and_combines_and_a_rerun_skips_what_was_sent(hearings, tmp_path):
    office, ids = hearings
    office.letters.generate("hearing-reminder", hearing_id=ids["later"][2])  # sent by hand last week
    assert office.letters.batch_candidates("hearing-reminder", 30) == (3, 1)
    calls = []
    result = office.letters.run_batch("hearing-reminder", hearings_within_days=30, out_dir=tmp_path / "run1",
                                      progress=lambda done, total: calls.append((done, total)))
    assert result.count == 2 and result.skipped == 1 and not result.cancelled
    assert [p.client_name for p in result.problems] == ["José Hernández"]
    assert "no A-number" in result.problems[0].message
    assert calls[0] == (0, 2) and calls[-1] == (2, 2)  # the letters it can print
    assert {letter.hearing_id for letter in result.letters} == {ids["soon_es"][2], ids["soon_en"][2]}
    assert {letter.language for letter in result.letters} == {"es", "en"}
    for letter in result.letters:
        data = Path(letter.file_path).read_bytes()
        assert Path(letter.file_path).parent == tmp_path / "run1"
        assert hashlib.sha256(data).hexdigest() == letter.sha256 and letter.batch_id == result.batch_id
    combined = PdfReader(result.combined_path)
    pages = sum(len(PdfReader(letter.file_path).pages) for letter in result.letters)
    assert len(combined.pages) == pages
    combined_text = flat("\n".join(page.extract_text() for page in combined.pages))
    assert "María García López" in combined_text and "Armen Petrosyan" in combined_text
    logged = [r for r in rows(office) if r.batch_id == result.batch_id]
    assert len(logged) == 2 and all(r.created_by == "Ana" for r in logged)
    assert len([e for e in rows(office, AuditEvent) if e.entity == "letter"]) == 3

    rerun = office.letters.run_batch("hearing-reminder", hearings_within_days=30, out_dir=tmp_path / "run2")
    assert rerun.count == 0 and rerun.skipped == 3 and rerun.combined_path == ""
    forced = office.letters.run_batch("hearing-reminder", hearings_within_days=30, force=True,
                                      out_dir=tmp_path / "run3")
    assert forced.count == 3 and forced.skipped == 0
    wider = office.letters.run_batch("hearing-reminder", hearings_within_days=90, out_dir=tmp_path / "run4")
    assert [letter.client_name for letter in wider.letters] == ["Olga Ivanova"]


def test_cancelling_a_batch_keeps_the_log_and_the_files_in_step(hearings, tmp_path, monkeypatch):
    office, ids = hearings
    monkeypatch.setattr(letter_workers, "CHUNK", 1)
    result = office.letters.run_batch("hearing-reminder", hearings_within_days=90, out_dir=tmp_path,
                                      progress=lambda done, total: done < 2)
    assert result.cancelled and result.count == 2
    written = sorted(p for p in tmp_path.glob("*.pdf") if "print file" not in p.name)
    assert sorted(Path(letter.file_path) for letter in result.letters) == written
    assert len(rows(office)) == 2
    assert len(PdfReader(result.combined_path).pages) == sum(len(PdfReader(p).pages) for p in written)
    rest = office.letters.run_batch("hearing-reminder", hearings_within_days=90, out_dir=tmp_path / "rest")
    assert rest.count == 2 and rest.skipped == 2 and not rest.cancelled


@pytest.mark.parametrize("chunk", [1, 3])  # 3: the first chunk is split between this process and the workers
def test_worker_processes_print_the_same_letters(hearings, tmp_path, monkeypatch, chunk):
    office, ids = hearings
    monkeypatch.setattr(letter_workers, "POOL_THRESHOLD", 2)
    monkeypatch.setattr(letter_workers, "CHUNK", chunk)
    result = office.letters.run_batch("hearing-reminder", hearings_within_days=90, out_dir=tmp_path)
    assert office.letters._workers.running, "the batch did not use worker processes"
    assert result.count == 4
    for letter in result.letters:
        assert office.letters.regenerate(letter.id).matches  # the letter's own data made its file


def test_a_batch_letter_whose_file_does_not_reach_the_disk_stops_the_batch_plainly(hearings, tmp_path,
                                                                                   monkeypatch):
    office, ids = hearings
    monkeypatch.setattr(letter_workers, "CHUNK", 1)
    fsync_failing_for(monkeypatch, f"client-{ids['soon_en'][0]:06d}")  # the second letter of the batch
    folder = tmp_path / "run"
    with pytest.raises(WriteFailed) as stopped:
        office.letters.run_batch("hearing-reminder", hearings_within_days=30, out_dir=folder)
    assert str(stopped.value) == (f"A letter in {folder} could not be written: input/output error. Check the disk "
                                  "and try again. The batch stopped there; the letters printed before it (1) are "
                                  "logged, and running it again prints the rest.")
    assert "Petrosyan" not in str(stopped.value)
    [logged] = rows(office)
    assert logged.hearing_id == ids["soon_es"][2]
    assert sorted(folder.iterdir()) == [Path(logged.file_path)], "its file was left as if printed"
    monkeypatch.undo()
    rest = office.letters.run_batch("hearing-reminder", hearings_within_days=30, out_dir=folder)
    assert sorted(letter.client_name for letter in rest.letters) == ["Armen Petrosyan", "Thảo Nguyễn"]
    assert rest.skipped == 1


def test_a_batch_that_cannot_write_stops_plainly_and_keeps_what_it_logged(hearings, tmp_path, monkeypatch):
    office, ids = hearings
    monkeypatch.setattr(letter_workers, "CHUNK", 1)
    real_replace = os.replace
    calls = []

    def replace(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    folder = tmp_path / "run"
    with pytest.raises(WriteFailed) as stopped:
        office.letters.run_batch("hearing-reminder", hearings_within_days=30, out_dir=folder)
    assert str(stopped.value) == (f"A letter in {folder} could not be written: the disk is full. Free some space "
                                  "and try again. The batch stopped there; the letters printed before it (1) are "
                                  "logged, and running it again prints the rest.")
    monkeypatch.undo()
    [logged] = rows(office)
    assert sorted(folder.iterdir()) == [Path(logged.file_path)]
    rest = office.letters.run_batch("hearing-reminder", hearings_within_days=30, out_dir=folder)
    assert rest.count == 2 and rest.skipped == 1


def test_a_print_file_that_cannot_be_written_says_the_letters_are_logged(hearings, tmp_path, monkeypatch):
    office, ids = hearings
    real_replace = os.replace

    def replace(source, target):
        if "print file" in str(target):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(WriteFailed) as failed:
        office.letters.run_batch("hearing-reminder", hearings_within_days=30, out_dir=tmp_path / "run")
    assert str(failed.value).endswith(f"could not be written: the disk is full. Free some space and try again. "
                                      f"The letters themselves (3) are printed and logged in {tmp_path / 'run'}.")
    assert len(rows(office)) == 3 and len(list((tmp_path / "run").iterdir())) == 3


def test_a_batch_never_writes_over_a_file_already_in_its_folder(hearings, tmp_path):
    office, ids = hearings
    first = office.letters.run_batch("hearing-reminder", hearings_within_days=30, out_dir=tmp_path)
    annotated = Path(first.letters[0].file_path)
    annotated.write_bytes(b"the copy the attorney annotated")
    print_file = Path(first.combined_path).read_bytes()
    again = office.letters.run_batch("hearing-reminder", hearings_within_days=30, out_dir=tmp_path, force=True)
    assert annotated.read_bytes() == b"the copy the attorney annotated"
    assert Path(first.combined_path).read_bytes() == print_file
    assert {letter.file_path for letter in again.letters}.isdisjoint(letter.file_path for letter in first.letters)
    assert again.combined_path != first.combined_path


def test_a_batch_is_never_written_into_the_backups_folder(hearings):
    office, ids = hearings
    folder = office.locations.backups / "letters"
    with pytest.raises(TargetRefused, match="backups folder"):
        office.letters.run_batch("hearing-reminder", hearings_within_days=30, out_dir=folder)
    assert not folder.exists() and rows(office) == []


def test_a_status_update_batch_writes_to_every_matter_with_the_status_once_per_change(letterhead, tmp_path):
    office = letterhead
    cases = [add_case(office, "María", "García", "es", "A012345011"),
             add_case(office, "Armen", "Petrosyan", "en", "A012345012")]
    for _client_id, matter_id, _hearing in cases:
        matter = office.matters.get(matter_id)
        matter = office.matters.change_government_status(matter_id, "master_set", "", matter.version)
    result = office.letters.run_batch("status-update", government_status="master_set", out_dir=tmp_path / "a")
    assert result.count == 2 and not result.problems
    spanish = next(letter for letter in result.letters if letter.language == "es")
    text = flat(text_of(Path(spanish.file_path).read_bytes()))
    assert "en la etapa de las audiencias del calendario principal" in text and "María García" in text
    assert "Audiencia individual (de fondo)" in text  # the next step: the hearing already set
    again = office.letters.run_batch("status-update", government_status="master_set", out_dir=tmp_path / "b")
    assert again.count == 0 and again.skipped == 2
    with office.database.write() as session:  # the batch went out last week
        session.execute(update(Letter).values(created_at=datetime.now().replace(microsecond=0) - timedelta(days=7)))
    matter_id = cases[0][1]
    matter = office.matters.get(matter_id)
    office.matters.change_government_status(matter_id, "individual_set", "", matter.version)
    moved = office.letters.run_batch("status-update", government_status="individual_set", out_dir=tmp_path / "c")
    assert moved.count == 1 and moved.letters[0].matter_id == matter_id
    with pytest.raises(ValidationError, match="not a firm status"):
        office.letters.run_batch("status-update", firm_status="sleeping", out_dir=tmp_path / "d")
    with pytest.raises(ValidationError, match="hearing reminders"):
        office.letters.run_batch("closing", hearings_within_days=3, out_dir=tmp_path / "e")


# --- every template, both languages, hard names ----------------------------------------------------------------


HARD_NAMES = [("O'Brien", "& <Sons>"), ("Hương", "Nguyễn Thị")]


@pytest.mark.parametrize(("given", "family"), HARD_NAMES)
def test_every_template_prints_through_the_service_with_the_name_exactly(letterhead, given, family):
    office = letterhead
    client_id, matter_id, _ = add_case(office, given, family, "en", "A012345678")
    name = f"{given} {family}"
    office.settings.save_party(PartyDraft(kind="opla", name="ICE OPLA Los Angeles Field Office",
                                          street="606 S. Olive Street, 8th Floor", city="Los Angeles",
                                          state="CA", postal_code="90014"))
    opla = office.settings.parties(kind="opla")[0]
    request = office.pd_requests.create_pd_request(matter_id, PdRequestDraft(
        regime="doyle-2022", action_requested="dismissal", opla_office_id=opla.id,
        channel="e-mail to OPLA field office", positive_factors=("long_presence", "usc_lpr_family"),
        factors_notes="Continuous residence since 2003.\nNo criminal record of any kind.",
        exhibits=("Birth certificates of USC children", "Tax returns 2019–2025")))
    assert request.status == "draft"
    for template_id in TEMPLATE_IDS:
        for language in template_languages(template_id):
            needs = letter_service.NEEDS[template_id]
            where = {"client_id": client_id} if needs == "client" else {"matter_id": matter_id}
            plan = office.letters.plan(template_id, language=language, **where)
            # What only a person knows comes from the catalog's samples; the name comes from the records.
            samples = sample_fields(template_id, language)
            # The PD equities the records hold no facts for are the attorney's to write (a problem until then).
            extra = {f: v for f, v in samples.items() if f not in plan.fields and f not in plan.problems
                     or f == "pd.positive_equities"}
            # Terms that vary per client are entered per language (Civ. Code 1632).
            per_language = {f.name for f in office.letters.fields(template_id) if f.per_language}
            extra = {f"{f}:{language}" if f in per_language else f: v for f, v in extra.items()}
            letter = office.letters.generate(template_id, language=language, fields=extra, **where)
            text = flat(text_of(Path(letter.file_path).read_bytes()))
            assert name in text, (template_id, language)
            assert letter.fields["client.full_name" if "client.full_name" in letter.fields
                                 else "recipient.name"] == name
            assert office.letters.regenerate(letter.id).matches, (template_id, language)


def test_the_pd_request_takes_its_caption_from_the_records_and_refuses_without_reasons(letterhead):
    office = letterhead
    _, matter_id, _ = add_case(office, "Armen", "Petrosyan", "en", "A208456123")
    office.pd_requests.create_pd_request(matter_id, PdRequestDraft(regime="doyle-2022", action_requested="admin_closure",
                                                                   negative_factors=("criminal_history",)))
    plan = office.letters.plan("pd-request", matter_id=matter_id)
    assert plan.fields["pd.action_requested"] == "administrative-closure"
    assert plan.fields["case.custody"] == "released" and plan.fields["hearing.judge"] == "A. Whitfield"
    assert "pd.not_priority_reasons" in plan.missing and "recipient.address" in plan.problems
    with pytest.raises(ValidationError, match="no mailing address"):
        office.letters.generate("pd-request", matter_id=matter_id)
    with pytest.raises(ValidationError, match=r"pd.negative_factors\[0\].response"):
        office.letters.preview("pd-request", matter_id=matter_id, fields={
            "recipient.address": "606 S. Olive Street\nLos Angeles, CA 90014",
            "pd.not_priority_reasons": ["He has lived here since 2003."]})


def test_the_log_pages_newest_first_and_filters_in_sql(letterhead):
    office = letterhead
    first_client, first_matter, _ = add_case(office)
    _, second_matter, _ = add_case(office, "Armen", "Petrosyan", "en", "A208456123")
    made = [office.letters.generate("hearing-reminder", matter_id=first_matter),
            office.letters.generate("document-request", client_id=first_client),
            office.letters.generate("hearing-reminder", matter_id=second_matter)]
    assert office.letters.count() == 3
    assert [r.id for r in office.letters.page(None, 0, 2)] == [made[2].id, made[1].id]
    assert [r.id for r in office.letters.page(None, 2, 2)] == [made[0].id]
    query = LetterQuery(template_id="hearing-reminder")
    assert office.letters.count(query) == 2
    assert [r.client_name for r in office.letters.page(query, 0, 10)] == ["Armen Petrosyan", "Guadalupe Ortiz"]
    assert [r.template_id for r in office.letters.letters_for(matter_id=first_matter)] == ["hearing-reminder"]
    assert len(office.letters.letters_for(client_id=first_client)) == 2
    assert office.letters.get(made[1].id).fields["documents"][0]["description"].startswith("Su pasaporte")


def test_the_letterhead_must_be_filled_in_first(office):
    client_id, matter_id, _ = add_case(office)
    with pytest.raises(KantorError, match="Settings → Letterhead"):
        office.letters.preview("hearing-reminder", matter_id=matter_id)


def test_counts_in_the_database_match_the_batch_result(hearings, tmp_path):
    office, _ids = hearings
    result = office.letters.run_batch("hearing-reminder", hearings_within_days=90, out_dir=tmp_path)
    with office.database.read() as session:
        logged = session.execute(select(func.count()).select_from(Letter).where(
            Letter.batch_id == result.batch_id)).scalar_one()
    assert logged == result.count == 4


def test_the_print_file_holds_every_page_in_order_and_the_fonts_once(letterhead):
    from pypdf import PdfWriter

    from kantor_cases.letters.concatenate import concatenate_pdfs

    office = letterhead
    client_id, matter_id, _ = add_case(office)
    pdfs = [office.letters.preview("hearing-reminder", matter_id=matter_id, language=language)
            for language in ("en", "es")]
    pdfs.append(office.letters.preview("document-request", client_id=client_id))
    joined = PdfReader(io.BytesIO(concatenate_pdfs(pdfs)), strict=True)
    expected = [page.extract_text() for pdf in pdfs for page in PdfReader(io.BytesIO(pdf)).pages]
    assert [page.extract_text() for page in joined.pages] == expected
    assert len(concatenate_pdfs(pdfs)) < sum(len(p) for p in pdfs)  # the fonts are written once
    other = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.write(other)  # another producer's PDF joins correctly too (by either path)
    assert len(PdfReader(io.BytesIO(concatenate_pdfs([pdfs[0], other.getvalue()]))).pages) == len(
        PdfReader(io.BytesIO(pdfs[0])).pages) + 1


def test_the_letter_service_and_commands_leave_reportlab_out_of_start_up():
    import subprocess
    import sys

    code = ("import sys, kantor_cases.services.letters, kantor_cases.cli.letter_commands; "
            "print('reportlab' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
