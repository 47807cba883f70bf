"""The opening's quick_check: what it finds, and that pausing, vouching and closing never turn a
damaged office into a 'sound' one."""

from __future__ import annotations

from pathlib import Path

from kantor_cases.db.integrity import IntegrityGate


def test_a_damaged_office_is_found_damaged_in_the_background(damaged_office: Path):
    gate = IntegrityGate(damaged_office)
    gate.start()
    assert gate.verdict()


def test_a_paused_check_that_nothing_vouched_for_runs_when_its_verdict_is_asked(damaged_office: Path):
    gate = IntegrityGate(damaged_office)
    gate.start()
    gate.pause()  # an interrupted run must not hand in an "ok"
    assert gate.verdict(), "a paused check on a damaged office came back sound"


def test_a_paused_check_resumes_in_the_background(damaged_office: Path):
    gate = IntegrityGate(damaged_office)
    gate.pause()
    gate.resume()
    assert gate.verdict()


def test_a_vouched_office_needs_no_check(tmp_path: Path):
    gate = IntegrityGate(tmp_path / "never-read.sqlite3")
    gate.pause()
    gate.vouch()
    assert gate.done and gate.verdict() == []


def test_a_damaged_office_never_counts_as_passed(damaged_office: Path):
    """A safety backup skips its own check of the copy's pages only when the office passed its own."""
    gate = IntegrityGate(damaged_office)
    assert not gate.passed()  # not checked yet
    gate.start()
    assert gate.verdict() and not gate.passed()


def test_only_a_finished_check_that_found_nothing_counts_as_passed(office):
    gate = IntegrityGate(Path(office.database.path), office.database.key)
    gate.pause()
    assert not gate.passed()  # paused: no verdict
    assert gate.verdict() == [] and gate.passed()
    gate.close()
    assert not gate.passed()
