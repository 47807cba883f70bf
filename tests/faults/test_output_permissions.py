"""A file the user names in a folder they may not write to: one plain line naming that file (not the
temporary file beside it), exit 2, and nothing left in the folder."""

from __future__ import annotations

import pytest
from fault_checks import run_cli
from test_disk_and_permissions import _without_root_overrides


def test_a_calendar_export_into_a_read_only_folder_names_the_file(office_copy, tmp_path):
    wrapper = _without_root_overrides()
    if wrapper is None:
        pytest.skip("running as root without setpriv: a folder cannot be made read-only for us")
    locked = tmp_path / "shared"
    locked.mkdir()
    locked.chmod(0o555)
    target = locked / "kantor.ics"
    try:
        result = run_cli(["--db", str(office_copy), "calendar", "export", str(target)], wrapper=wrapper)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (f"Error: {target} could not be written: permission denied. Choose a folder you may "
                             "write to.\n")
    assert list(locked.iterdir()) == []
