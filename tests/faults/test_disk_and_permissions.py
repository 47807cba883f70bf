"""A read-only database file and a full disk: the user gets one clear sentence (no traceback), and
the office is exactly as it was."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from fault_checks import check_is_clean, client_count, file_digest, run_cli, write_import_csv

OVERRIDES = "-dac_override,-dac_read_search,-fowner,-linux_immutable"


def _without_root_overrides() -> list[str] | None:
    """How to run a child that cannot write a read-only file: as we are, unless we are root (who
    writes anything), then as root without the capabilities that override file permissions."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        return None
    probe = subprocess.run(["setpriv", f"--bounding-set={OVERRIDES}", "true"], capture_output=True, check=False)
    return ["setpriv", f"--bounding-set={OVERRIDES}"] if probe.returncode == 0 else None


def test_a_read_only_database_is_refused_plainly_and_left_untouched(office_copy, tmp_path, capsys):
    wrapper = _without_root_overrides()
    if wrapper is None:
        pytest.skip("running as root without setpriv: a read-only file cannot be made read-only for us")
    csv_path = tmp_path / "new.csv"
    write_import_csv(csv_path, 20, "Readonlyville")
    before = file_digest(office_copy)
    office_copy.chmod(0o444)
    try:
        result = run_cli(["--db", str(office_copy), "clients", "import", str(csv_path)], wrapper=wrapper)
    finally:
        office_copy.chmod(0o644)
    assert result.returncode == 2, result.stderr
    assert "read-only" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
    assert file_digest(office_copy) == before
    check_is_clean(office_copy, capsys)


def _limit_file_size(limit: int) -> Callable[[], None]:
    def limit_in_child() -> None:
        # Past the limit a write fails with EFBIG, as on a full disk it fails with ENOSPC, instead
        # of the process being killed by SIGXFSZ.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_in_child


def _size_limited_import(office_copy: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`clients import` in a size-limited process (RLIMIT_FSIZE): the backup copy before the import
    still fits, the write-ahead log the import needs does not."""
    csv_path = tmp_path / "many.csv"
    write_import_csv(csv_path, 3000, "Fullville")
    limit = office_copy.stat().st_size + 16 * 1024
    return run_cli(["--db", str(office_copy), "clients", "import", str(csv_path)], preexec_fn=_limit_file_size(limit))


def test_an_import_that_cannot_grow_the_files_changes_nothing(office_copy, tmp_path, capsys):
    before = client_count(office_copy)
    result = _size_limited_import(office_copy, tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
    assert client_count(office_copy) == before
    check_is_clean(office_copy, capsys)


def test_an_import_that_cannot_grow_the_files_says_so_plainly(office_copy, tmp_path):
    result = _size_limited_import(office_copy, tmp_path)
    assert result.returncode == 2, result.stderr
    assert "nothing was changed" in result.stderr, result.stderr


def _mount_tiny_filesystem(where: Path, size: int) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, check=False)
    return mounted.returncode == 0


def test_an_import_onto_a_full_disk_fails_plainly_and_changes_nothing(template_office, tmp_path, capsys):
    """A real full disk: the office on a tiny tmpfs with barely room for itself (needs mount rights)."""
    disk = tmp_path / "disk"
    size = (template_office.stat().st_size // 4096 + 24) * 4096
    if not _mount_tiny_filesystem(disk, size):
        pytest.skip("cannot mount a tiny tmpfs here (needs root); the size-limit test covers the same path")
    try:
        db = disk / "office.sqlite3"
        shutil.copyfile(template_office, db)
        # Backups live beside the database; put them on the big disk, so that it is the import's
        # own writes, not the safety copy before it, that meet the full disk.
        outside = tmp_path / "backups"
        outside.mkdir()
        (disk / "backups").symlink_to(outside)
        csv_path = tmp_path / "many.csv"
        write_import_csv(csv_path, 3000, "Fullville")
        before = client_count(db)
        result = run_cli(["--db", str(db), "clients", "import", str(csv_path)])
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr + result.stdout
        assert "disk is full" in result.stderr and "nothing was changed" in result.stderr, result.stderr
        assert client_count(db) == before
        check_is_clean(db, capsys)
    finally:
        subprocess.run(["umount", str(disk)], check=False)
