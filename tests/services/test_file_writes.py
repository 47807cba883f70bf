"""Files the user names (a letter copy, a calendar export): written whole or not at all, never over
an existing file unless asked, never over the office's own files, and a failure names the file the
user gave — not the temporary file beside it."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kantor_cases.services.file_writes import (
    WriteFailed,
    atomic_file,
    failure_reason,
    sync_written,
    write_atomic,
)
from kantor_cases.services.output_files import TargetRefused

FILE_NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"),
                     min_size=1, max_size=40).filter(lambda name: name not in (".", "..")
                                                     and len(name.encode()) < 200)
ERRORS = st.sampled_from([errno.EACCES, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EIO])
# Where a write can fail: creating the temporary file, syncing it, renaming it over the target.
STEPS = {"create": "tempfile.mkstemp", "sync": "os.fsync", "replace": "os.replace"}


@settings(max_examples=80, deadline=None)
@given(name=FILE_NAMES, data=st.binary(max_size=2048), before=st.none() | st.binary(max_size=64),
       step=st.none() | st.sampled_from(sorted(STEPS)), code=ERRORS)
def test_a_write_leaves_the_old_file_or_the_new_one_and_nothing_else(name, data, before, step, code):
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / name
        if before is not None:
            target.write_bytes(before)
        error = OSError(code, os.strerror(code), str(Path(folder) / ".tmp1234.part"))
        if step is None:
            write_atomic(target, data)
            assert target.read_bytes() == data
        else:
            with mock.patch(STEPS[step], side_effect=error), pytest.raises(WriteFailed) as failed:
                write_atomic(target, data)
            assert str(failed.value) == f"{target} could not be written: {failure_reason(error)}."
            assert (target.read_bytes() if target.exists() else None) == before
        assert os.listdir(folder) == ([name] if step is None or before is not None else [])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=FILE_NAMES, before=st.binary(max_size=64), force=st.booleans())
def test_a_letter_copy_replaces_an_existing_file_only_when_forced(office, name, before, force):
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / name
        target.write_bytes(before)
        if force:
            office.letters.write_copy(target, b"%PDF-1.4 new", force=True)
            assert target.read_bytes() == b"%PDF-1.4 new"
        else:
            with pytest.raises(TargetRefused):
                office.letters.write_copy(target, b"%PDF-1.4 new")
            assert target.read_bytes() == before
        assert os.listdir(folder) == [name]


def test_the_office_files_are_refused_even_when_forced(office):
    database = Path(office.locations.database)
    office.locations.backups.mkdir(parents=True, exist_ok=True)
    before = database.read_bytes()
    for target in (database, database.with_name(database.name + "-wal"),
                   database.with_name(database.name + "-shm"), office.locations.backups / "letter.pdf"):
        with pytest.raises(TargetRefused):
            office.letters.write_copy(target, b"%PDF-1.4", force=True)
    with pytest.raises(TargetRefused, match="backups folder"):
        office.agenda.export_ics(office.locations.backups / "kantor.ics", force=True)
    assert database.read_bytes() == before
    assert list(office.locations.backups.iterdir()) == []


def refuse_writes_in(monkeypatch, folder: Path) -> None:
    """`folder` is read-only, as for a clerk without write rights (tests run as root, who writes anywhere)."""
    real_open = os.open

    def open_(path, *args, **kwargs):
        if str(path).startswith(str(folder)):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)


def test_a_calendar_export_to_a_read_only_folder_names_the_file_given(office, tmp_path, monkeypatch):
    locked = tmp_path / "shared"
    locked.mkdir()
    refuse_writes_in(monkeypatch, locked)
    with pytest.raises(WriteFailed) as failed:
        office.agenda.export_ics(locked / "kantor.ics")
    assert str(failed.value) == (f"{locked / 'kantor.ics'} could not be written: permission denied. Choose a "
                                 "folder you may write to.")
    monkeypatch.undo()
    assert list(locked.iterdir()) == []


def test_a_calendar_export_on_a_full_disk_leaves_the_old_export(office, tmp_path, monkeypatch):
    target = tmp_path / "kantor.ics"
    office.agenda.export_ics(target)
    before = target.read_bytes()
    with mock.patch("os.fsync", side_effect=OSError(errno.ENOSPC, "No space left on device")), \
            pytest.raises(WriteFailed, match="the disk is full. Free some space and try again."):
        office.agenda.export_ics(target, force=True)
    assert target.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["kantor.ics", "office"]


def test_a_streamed_text_file_that_fails_half_way_leaves_the_old_file_and_nothing_else(tmp_path):
    target = tmp_path / "clients.csv"
    target.write_bytes(b"the export of last week\r\n")

    class DatabaseWentAway(Exception):
        pass

    with pytest.raises(DatabaseWentAway), atomic_file(target, encoding="utf-8-sig") as handle:
        handle.write("given_name,family_name\r\nAna,Ruiz\r\n")
        raise DatabaseWentAway  # the rows stop coming: no half export may replace the old one
    assert target.read_bytes() == b"the export of last week\r\n"
    assert list(tmp_path.iterdir()) == [target]


def test_files_synced_after_a_batch_of_writes_name_the_place_when_the_disk_fails(tmp_path, monkeypatch):
    letters = [tmp_path / "1 Ana Ruiz.pdf", tmp_path / "2 Luis Mora.pdf"]
    for path in letters:
        write_atomic(path, b"%PDF-1.4 ...", sync=False)

    def failing_fsync(_fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(WriteFailed) as failed:
        sync_written(letters, f"A letter in {tmp_path}")
    assert str(failed.value) == f"A letter in {tmp_path} could not be written: input/output error. Check the disk " \
                                "and try again."
