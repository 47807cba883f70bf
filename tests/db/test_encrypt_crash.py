"""`db encrypt` killed at any step leaves the plain office or the encrypted one, never neither (issue 12)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from plain_office import plain_office

from kantor_cases.db import office_keys
from kantor_cases.db.conversion import table_fingerprints
from kantor_cases.db.office_keys import KdfParameters

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL")

PASSWORD = "correct horse battery"

_ENCRYPT_UNTIL_KILLED = """
import sys, time
from kantor_cases.db import office_keys
office_keys.DEFAULT_KDF = office_keys.KdfParameters(1, 1024, 1)
from kantor_cases.services import accounts, locations
from kantor_cases.services.office import Office

def pause(step):
    if step == sys.argv[2]:
        print("paused", flush=True)
        time.sleep(60)

office = Office.open(locations.resolve(sys.argv[1]), "boss")
accounts.encrypt_office(office, "", sys.argv[3], pause=pause)
"""


def _fingerprints(path: Path, key: bytes | None) -> dict[str, tuple[int, str]]:
    connection = office_keys.connect(path, key, read_only=True)
    try:
        return table_fingerprints(connection)
    finally:
        connection.close()


@pytest.mark.parametrize("step", ["exported", "keys-written", "replaced"])
def test_a_kill_during_db_encrypt_leaves_one_whole_office(tmp_path, step, monkeypatch):
    from kantor_cases.cli import main
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    monkeypatch.setattr(office_keys, "DEFAULT_KDF", KdfParameters(1, 1024, 1))
    path = tmp_path / "office" / "kantor-cases.sqlite3"
    assert main(["--db", plain_office(path), "demo", "--clients", "40", "--seed", "6"]) == 0
    before = _fingerprints(path, None)
    child = subprocess.Popen([sys.executable, "-c", _ENCRYPT_UNTIL_KILLED, str(path), step, PASSWORD],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "paused"
    child.send_signal(signal.SIGKILL)
    child.wait()
    place = locations.resolve(str(path))
    if office_keys.is_encrypted_office(path):
        assert step == "replaced"
        office = Office.open(place, "boss", password=PASSWORD)
        key = office.database.key
        office.close()
        after = _fingerprints(path, key)
    else:
        assert step != "replaced"
        Office.open(place, "boss").close()  # the plain office opens as before
        after = _fingerprints(path, None)
    # Every table alike, rows and checksums, but for the encrypting user added (and audited) first.
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert changed <= {"users", "audit_events"}
    assert after["clients"] == before["clients"] and after["matters"] == before["matters"]
