"""SIGKILL a process that is saving clients, at random moments: nothing it reported saved is lost,
nothing is half saved, and `kantor-cases check` finds the file healthy every time."""

from __future__ import annotations

import random
import time

import pytest
from fault_checks import check_is_clean, half_saved_clients
from fault_children import read_log, save_clients

from kantor_cases.domain.records import ClientQuery
from kantor_cases.services import locations
from kantor_cases.services.office import Office


def _wait_for(path, word: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and word in path.read_text(encoding="utf-8"):
            return
        time.sleep(0.005)
    raise AssertionError(f"the child never said {word!r}")


@pytest.mark.parametrize("runs", [30, pytest.param(300, marks=pytest.mark.long)])
def test_every_reported_save_survives_a_kill(children, office_copy, tmp_path, capsys, runs):
    rng = random.Random(runs)
    reported_created: set[int] = set()
    reported_edits: dict[int, tuple[int, str]] = {}
    for run in range(runs):
        log = tmp_path / f"saves-{run}.log"
        child = children.Process(target=save_clients, args=(str(office_copy), str(log), run))
        child.start()
        _wait_for(log, "ready")
        time.sleep(rng.uniform(0.0, 0.25))
        child.kill()
        child.join(10)
        assert child.exitcode == -9, f"run {run}: the child ended by itself ({child.exitcode}) before the kill"
        for line in read_log(log):
            if line[0] == "created":
                reported_created.add(int(line[1]))
            elif line[0] == "edited":
                reported_edits[int(line[1])] = (int(line[2]), line[3])

        check_is_clean(office_copy, capsys)
        assert half_saved_clients(office_copy) == [], f"run {run}: a save was half written"

    assert len(reported_created) > runs, "the children hardly saved anything; the test proved little"
    office = Office.open(locations.resolve(str(office_copy)), "Ana")
    try:
        present = {row.id for row in office.clients.page(ClientQuery(), 0, 1_000_000)}
        lost = sorted(reported_created - present)
        assert not lost, f"clients reported saved but missing after a kill: {lost[:10]}"
        for client_id, (version, note) in reported_edits.items():
            client = office.clients.get(client_id)
            assert client.version >= version, f"client {client_id}: edit {version} reported saved, found {client.version}"
            if client.version == version:
                assert client.notes == note
    finally:
        office.close()

