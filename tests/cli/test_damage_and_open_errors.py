"""A damaged, empty, locked, read-only or full office: each gets its own true sentence and right exit
code, the file is left as it was, and nothing private reaches the terminal or the log."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from plain_office import plain_office
from sqlalchemy.exc import IntegrityError
from test_cli import hold_write_lock

from kantor_cases.cli import loggable_command, main
from kantor_cases.domain.errors import DamagedDatabaseError
from kantor_cases.domain.records import ClientDraft
from kantor_cases.services import locations
from kantor_cases.services.office import Office, fallback_user

OVERRIDES = "-dac_override,-dac_read_search,-fowner,-linux_immutable"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_child(args: list[str], wrapper: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*(wrapper or []), sys.executable, "-m", "kantor_cases", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def test_a_damaged_office_is_not_upgraded_or_called_up_to_date(damaged_office: Path, capsys):
    capsys.readouterr()
    before = digest(damaged_office)
    code, out, err = run(capsys, "--db", str(damaged_office), "db", "upgrade")
    assert code == 2, out + err
    assert "up to date" not in out and "damaged" in err and "Restore" in err
    assert digest(damaged_office) == before


def test_check_json_reports_damage_as_json_with_exit_1(damaged_office: Path, capsys):
    capsys.readouterr()
    code, out, err = run(capsys, "--db", str(damaged_office), "check", "--json")
    assert code == 1, err
    report = json.loads(out)
    assert report["ok"] is False and report["damaged"] is True and report["problems"]


def test_a_damaged_office_opens_for_reading_and_refuses_every_save(damaged_office: Path):
    before = digest(damaged_office)
    office = Office.open(locations.resolve(str(damaged_office)), fallback_user())  # its administrator
    try:
        assert "damaged" in office.damage_notice()
        assert office.clients.count() > 0  # still there to look things up
        with pytest.raises(DamagedDatabaseError, match="read-only"):
            office.clients.create(ClientDraft(given_name="Nueva", family_name="Cliente"))
    finally:
        office.close()
    assert digest(damaged_office) == before


def test_a_zero_byte_file_is_refused_and_left_empty(tmp_path: Path, capsys):
    empty = tmp_path / "office.sqlite3"
    empty.touch()
    code, _, err = run(capsys, "--db", str(empty), "db", "status")
    assert code == 2 and "empty file" in err and "not a Kantor Cases office" in err
    code, out, _ = run(capsys, "--db", str(empty), "check", "--json")
    assert code == 2 and json.loads(out)["ok"] is False
    assert empty.stat().st_size == 0


def test_db_status_answers_while_another_desk_holds_the_write_lock(tmp_path: Path, capsys):
    path = tmp_path / "k.sqlite3"
    plain_office(path)
    capsys.readouterr()
    holder = hold_write_lock(path)
    try:
        code, out, err = run(capsys, "--db", str(path), "db", "status")
    finally:
        holder.kill()
        holder.wait()
    assert code == 0, err
    assert "Revision:" in out


def _without_root_overrides() -> list[str] | None:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        return None
    probe = subprocess.run(["setpriv", f"--bounding-set={OVERRIDES}", "true"], capture_output=True, check=False)
    return ["setpriv", f"--bounding-set={OVERRIDES}"] if probe.returncode == 0 else None


def test_a_read_only_folder_is_called_read_only_not_damaged(tmp_path: Path):
    wrapper = _without_root_overrides()
    if wrapper is None:
        pytest.skip("running as root without setpriv: a folder cannot be made read-only for us")
    folder = tmp_path / "office"
    path = folder / "kantor-cases.sqlite3"
    plain_office(path)
    before = digest(path)
    folder.chmod(0o555)
    try:
        result = run_child(["--db", str(path), "search", "garcia"], wrapper=wrapper)
    finally:
        folder.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert "read-only" in result.stderr and "damaged" not in result.stderr and "restore" not in result.stderr
    assert "Traceback" not in result.stderr
    assert digest(path) == before


def test_a_full_disk_is_called_full_not_damaged(tmp_path: Path):
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a tiny tmpfs")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True,
                      check=False).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        path = disk / "kantor-cases.sqlite3"
        plain_office(path)
        for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        before = digest(path)
        filler = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)  # leave less than a page free
        try:
            while True:
                os.write(filler, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(filler)
        result = run_child(["--db", str(path), "search", "garcia"])
        assert result.returncode == 2, result.stderr
        assert "full" in result.stderr and "damaged" not in result.stderr, result.stderr
        assert digest(path) == before
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_the_logged_command_line_masks_passwords_and_drops_client_data():
    assert loggable_command(["--db", "postgresql+psycopg://kantor:s3cret@server/office", "db", "status"]) == \
        "--db postgresql+psycopg://kantor:***@server/office db status"
    for command in (["search", "José García"], ["conflicts", "José García", "--a-number", "A012345678"],
                    ["clients", "import", "/home/ana/García family.csv"]):
        logged = loggable_command(["--db=/srv/o.sqlite3", *command])
        assert "García" not in logged and "A012345678" not in logged and logged.endswith(f"{command[0]} …")


def test_a_database_error_never_quotes_client_data(office):
    """SQLAlchemy prints a failed statement's parameters unless told not to: names, notes, letters."""
    with office.database.engine.connect() as connection, pytest.raises(IntegrityError) as caught:
        connection.exec_driver_sql("INSERT INTO clients (given_name) VALUES (?)", ("Zacarías Secreto",))
    assert "NOT NULL" in str(caught.value)
    assert "Zacarías" not in str(caught.value)


def test_a_damaged_office_can_be_restored_and_its_bytes_are_kept(damaged_office: Path, tmp_path: Path, capsys):
    good = tmp_path / "good" / "kantor-cases.sqlite3"
    assert main(["--db", plain_office(good), "demo", "--clients", "20", "--seed", "5"]) == 0
    backup_file = tmp_path / "good-backup.sqlite3"
    assert main(["--db", str(good), "backup", "--out", str(backup_file)]) == 0
    damaged_bytes = damaged_office.read_bytes()
    capsys.readouterr()
    code, out, err = run(capsys, "--db", str(damaged_office), "restore", str(backup_file), "--yes")
    assert code == 0, err
    assert "Restored" in out
    code, out, _ = run(capsys, "--db", str(damaged_office), "check")
    assert code == 0 and "healthy" in out
    kept = [p for p in (damaged_office.parent / "backups").iterdir() if "damaged-before-restore" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes


def test_a_verified_backup_vouches_for_the_office_so_saves_need_not_wait(office):
    """A save waits for the opening's check; a backup that passed integrity_check answers for it."""
    from kantor_cases.db.integrity import IntegrityGate

    never_started = IntegrityGate(office.database.path)  # as if the check were still running
    office.database.integrity = never_started
    office.backups.back_up()
    assert never_started.done and office.database.damage() == []


def test_an_office_in_a_folder_named_with_a_hash_opens_again(tmp_path: Path, capsys):
    path = tmp_path / "Reyes #2 & Co?" / "kantor-cases.sqlite3"
    assert main(["--db", plain_office(path), "demo", "--clients", "5", "--seed", "1"]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "--db", str(path), "db", "upgrade")
    assert code == 0 and "up to date" in out, err
    code, out, err = run(capsys, "--db", str(path), "search", "a")
    assert code == 0, err


def test_a_folder_given_as_the_office_is_called_a_folder(tmp_path: Path, capsys):
    code, _, err = run(capsys, "--db", str(tmp_path), "search", "garcia")
    assert code == 2 and "is a folder, not a Kantor Cases office" in err and "kantor-cases.sqlite3" in err
    assert list(tmp_path.iterdir()) == []
