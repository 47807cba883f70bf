"""Another process holding the database: a save waits for it (the busy timeout), then says plainly
that the database is locked; two desks saving the same client: the second is told of the first."""

from __future__ import annotations

import time

from fault_checks import check_is_clean, client_count, write_import_csv
from fault_children import edit_client_when_told, hold_write_lock

from kantor_cases.cli import main as cli_main
from kantor_cases.db.engine import BUSY_TIMEOUT_MS
from kantor_cases.domain.records import ClientQuery
from kantor_cases.services import locations
from kantor_cases.services.clients import with_changes
from kantor_cases.services.office import Office


def test_a_save_waits_for_a_locked_database_then_says_it_is_locked(children, office_copy, tmp_path, capsys):
    csv_path = tmp_path / "few.csv"
    write_import_csv(csv_path, 5, "Lockville")
    before = client_count(office_copy)
    log = tmp_path / "lock.log"
    holder = children.Process(target=hold_write_lock, args=(str(office_copy), str(log), 60.0))
    holder.start()
    try:
        deadline = time.monotonic() + 30
        while not (log.exists() and "locked" in log.read_text()):
            assert time.monotonic() < deadline, "the other process never took the lock"
            time.sleep(0.01)
        capsys.readouterr()
        started = time.monotonic()
        code = cli_main(["--db", str(office_copy), "clients", "import", str(csv_path)])
        waited = time.monotonic() - started
        out, err = capsys.readouterr()
    finally:
        holder.kill()
        holder.join(10)
    assert code == 2
    assert "locked" in err and "Traceback" not in out + err
    # It waited for the other desk (the busy timeout) before giving up; it did not fail at once.
    assert waited >= BUSY_TIMEOUT_MS / 1000 * 0.9
    assert client_count(office_copy) == before
    check_is_clean(office_copy, capsys)


def test_the_second_of_two_processes_saving_one_client_gets_the_conflict(children, office_copy):
    office = Office.open(locations.resolve(str(office_copy)), "Ana")
    try:
        client = office.clients.page(ClientQuery(), 0, 1)[0]
        ours, theirs = children.Pipe()
        other = children.Process(target=edit_client_when_told, args=(str(office_copy), client.id, theirs))
        other.start()
        assert ours.recv() == ("loaded", 1)
        loaded = office.clients.get(client.id)
        office.clients.update(client.id, with_changes(loaded, notes="first desk's edit"), loaded.version)
        ours.send("save now")
        outcome, message = ours.recv()
        other.join(10)
        assert outcome == "conflict", "the second save overwrote the first"
        assert "fault-child" not in message and "Ana" in message  # it names who changed it
        saved = office.clients.get(client.id)
        assert saved.notes == "first desk's edit" and saved.version == 2
    finally:
        office.close()
