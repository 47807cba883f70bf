"""Private files (issue 12 item 5): what Kantor Cases creates is 0600 in 0700 folders, whatever the umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kantor_cases.db import office_keys
from kantor_cases.db.office_keys import KdfParameters

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_encrypted_office_its_keys_wal_and_backups_are_private_under_umask_022(tmp_path, umask_022, monkeypatch):
    from kantor_cases.services import accounts, locations

    monkeypatch.setattr(office_keys, "DEFAULT_KDF", KdfParameters(1, 1024, 1))
    place = locations.resolve(str(tmp_path / "firm" / "offices" / "kantor-cases.sqlite3"))
    office = accounts.set_up_office(place, "Kantor Law", "mk", "", "correct horse battery").office
    try:
        office.backups.back_up()
        database = place.database_path
        wal = database.with_name(database.name + "-wal")
        assert wal.exists()
        created = [database, wal, database.with_name(database.name + "-shm"), office_keys.keys_path(database),
                   *place.backups.iterdir()]
        assert {p.name: _mode(p) for p in created} == {p.name: 0o600 for p in created}
        assert _mode(database.parent) == _mode(database.parent.parent) == _mode(place.backups) == 0o700
    finally:
        office.close()


def test_a_new_plain_office_and_its_backups_are_private_under_umask_022(tmp_path, umask_022):
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    place = locations.resolve(str(tmp_path / "new" / "kantor-cases.sqlite3"))
    office = Office.open(place, "Ana")
    try:
        backup = office.backups.back_up().path
        assert _mode(place.database_path) == _mode(backup) == 0o600
        assert _mode(place.database_path.parent) == _mode(backup.parent) == 0o700
    finally:
        office.close()


def test_the_program_sets_a_private_umask_and_a_private_log(tmp_path):
    script = (
        "import os, sys\n"
        "os.umask(0o022)\n"
        "from kantor_cases import app\n"
        "app.main(['--db', sys.argv[1], 'db', 'status'])\n"
        "print(oct(os.umask(0o022)))\n"
        "from kantor_cases.services import locations\n"
        "print(locations.resolve(None).log_file)\n"
    )
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "o" / "kantor-cases.sqlite3")],
                          capture_output=True, text=True, env=env, check=True)
    umask, log_file = done.stdout.split()[-2:]
    assert umask == "0o77"
    assert _mode(Path(log_file)) == 0o600
    assert _mode(Path(log_file).parent) == 0o700
