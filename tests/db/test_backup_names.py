"""Backup file names, read back from whatever is in the backups folder: every name this version
writes is understood (and sorts by when it was taken), the older names too, nothing else is taken
for a backup, and no backup is ever taken for an unfinished copy."""

from __future__ import annotations

import os
import string
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kantor_cases.db.backup import (
    _HOST,
    _PARTIAL,
    backup_file_name,
    list_backups,
    parse_backup_name,
    remove_abandoned_partials,
)

moments = st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31))
reasons = st.text(max_size=40)
counters = st.integers(min_value=1, max_value=10**6)


@given(moments, counters, reasons)
def test_every_name_written_is_read_back(when, counter, reason):
    name = backup_file_name(reason, when, counter)
    parsed = parse_backup_name(name)
    assert parsed is not None
    taken_at, read_counter, read_reason = parsed
    assert taken_at == when.replace(microsecond=when.microsecond // 1000 * 1000)
    assert read_counter == counter
    assert read_reason and set(read_reason) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert _PARTIAL.fullmatch(name) is None  # the start-up clean-up never takes a backup for a leftover


@given(st.lists(st.tuples(moments, counters), min_size=2, max_size=8, unique=True))
def test_the_list_is_newest_first_even_within_one_millisecond(tmp_path_factory, taken):
    folder = tmp_path_factory.mktemp("backups")
    for when, counter in taken:
        (folder / backup_file_name("auto", when, counter)).write_bytes(b"")
    listed = [(parse_backup_name(info.path.name) or (None, 0, ""))[:2] for info in list_backups(folder)]
    expected = sorted({(when.replace(microsecond=when.microsecond // 1000 * 1000), counter)
                       for when, counter in taken}, reverse=True)
    assert listed == expected


@given(st.text(max_size=80))
def test_any_file_name_is_read_without_failing(name):
    parsed = parse_backup_name(name)
    assert parsed is None or isinstance(parsed[0], datetime)


def test_older_names_without_milliseconds_are_still_backups(tmp_path: Path):
    old = tmp_path / "kantor-cases-20261130-101010-before-upgrade-0004.sqlite3"
    new = tmp_path / backup_file_name("auto", datetime(2026, 11, 30, 10, 10, 10, 500_000))
    not_a_date = tmp_path / "kantor-cases-20261399-999999-auto.sqlite3"
    for path in (old, new, not_a_date, tmp_path / "kantor-cases-notes.sqlite3"):
        path.write_bytes(b"")
    listed = list_backups(tmp_path)
    assert [(info.path, info.reason) for info in listed] == [(new, "auto"), (old, "before-upgrade-0004")]
    assert listed[0].taken_at - listed[1].taken_at == timedelta(milliseconds=500)


def _a_dead_pid() -> int:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
    return int(finished.stdout)


DEAD_PID = _a_dead_pid()


def _partial(name: str, pid: int) -> str:
    return f"{name}.{pid}-{_HOST}-0123abcd.partial"


other_names = st.text(alphabet=string.ascii_letters + string.digits + "-_.#", min_size=1, max_size=40).filter(
    lambda name: name not in {".", ".."})
backup_names = st.builds(backup_file_name, reasons, moments, counters)
leftovers = st.one_of(
    other_names.map(lambda name: ("keep", name)),
    backup_names.map(lambda name: ("keep", name)),
    backup_names.map(lambda name: ("keep", _partial(name, os.getpid()))),  # this process is still writing it
    backup_names.map(lambda name: ("remove", _partial(name, DEAD_PID))),
    backup_names.map(lambda name: ("remove", _partial(name, DEAD_PID) + "-journal")),
)


@given(st.lists(leftovers, max_size=8, unique_by=lambda pair: pair[1]))
def test_the_clean_up_at_start_removes_only_copies_whose_writer_is_gone(tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("backups")
    for _fate, name in files:
        (folder / name).write_bytes(b"x")
    removed = {path.name for path in remove_abandoned_partials(folder)}
    assert removed == {name for fate, name in files if fate == "remove"}
    assert {path.name for path in folder.iterdir()} == {name for fate, name in files if fate == "keep"}
