"""The CLI as a user types it: exit codes and one plain line for every mistake, never a traceback."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from plain_office import plain_office

from kantor_cases.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and "kantor-cases, version" in out


def test_db_status_reports_the_office(capsys, tmp_path: Path):
    path = plain_office(tmp_path / "k.sqlite3")
    code, out, _ = run(capsys, "--db", path, "db", "status")
    assert code == 0
    assert path in out and "SQLite:" in out


@pytest.mark.parametrize("command", [["db", "status"], ["search", "Garcia"], ["users", "list"], ["check"], ["backup"]])
def test_a_path_with_no_office_is_said_and_no_office_is_made_there(capsys, tmp_path: Path, command: list[str]):
    # A mistyped --db once became a new, empty, unencrypted office, and a search of it said "No matches."
    path = tmp_path / "typo" / "kantor-cases.sqlite3"
    code, out, err = run(capsys, "--db", str(path), *command)
    assert code == 2 and out == ""
    assert f"There is no office at {path}." in err and "setup --firm NAME --admin USERNAME" in err
    assert not path.exists() and not path.parent.exists()


def test_backup_list_and_check(capsys, tmp_path: Path):
    path = plain_office(tmp_path / "k.sqlite3")
    code, out, _ = run(capsys, "--db", str(path), "backup")
    assert code == 0 and "verified" in out
    code, out, _ = run(capsys, "--db", str(path), "backup", "--list")
    assert code == 0 and "manual" in out
    code, out, _ = run(capsys, "--db", str(path), "check")
    assert code == 0 and "healthy" in out


def test_unknown_command_is_exit_2(capsys):
    code, _, err = run(capsys, "frobnicate")
    assert code == 2 and "No such command" in err


def test_garbage_database_is_exit_2_with_the_file_named(capsys, tmp_path: Path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("not a database")
    code, _, err = run(capsys, "--db", str(path), "db", "status")
    assert code == 2 and str(path) in err and "Traceback" not in err
    assert path.read_text() == "not a database"


def test_restore_of_a_missing_file_is_exit_2(capsys, tmp_path: Path):
    code, _, err = run(capsys, "--db", str(tmp_path / "k.sqlite3"), "restore", str(tmp_path / "nope.sqlite3"))
    assert code == 2 and "does not exist" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_unwritable_folder_is_exit_2(capsys, tmp_path: Path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, _, err = run(capsys, "--db", str(locked / "sub" / "k.sqlite3"), "db", "status")
    finally:
        locked.chmod(stat.S_IRWXU)
    assert code == 2 and "Cannot create" in err


def test_restore_asks_for_confirmation_and_no_changes_nothing(tmp_path: Path):
    path = plain_office(tmp_path / "k.sqlite3")
    backup_file = tmp_path / "copy.sqlite3"
    assert main(["--db", str(path), "backup", "--out", str(backup_file)]) == 0
    result = subprocess.run(
        [sys.executable, "-m", "kantor_cases", "--db", str(path), "restore", str(backup_file)],
        input="n\n", capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "Cancelled" in result.stderr and "Traceback" not in result.stderr


def test_restore_with_yes_replaces_the_data(capsys, tmp_path: Path):
    path = plain_office(tmp_path / "k.sqlite3")
    backup_file = tmp_path / "copy.sqlite3"
    assert main(["--db", str(path), "backup", "--out", str(backup_file)]) == 0
    code, out, _ = run(capsys, "--db", str(path), "restore", str(backup_file), "--yes")
    assert code == 0 and "Restored" in out


def test_environment_variable_chooses_the_database(tmp_path: Path):
    path = plain_office(tmp_path / "env.sqlite3")
    env = {**os.environ, "KANTOR_CASES_DB": path}
    result = subprocess.run([sys.executable, "-m", "kantor_cases", "db", "status"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert path in result.stdout


def hold_write_lock(path: Path) -> subprocess.Popen:
    """Another process holding the write lock (SQLite locks are per process, so it must be one)."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlcipher3, sys, time\n"
         "c = sqlcipher3.connect(sys.argv[1], isolation_level=None)\n"
         "c.execute('BEGIN IMMEDIATE')\n"
         "print('locked', flush=True)\n"
         "time.sleep(60)\n", str(path)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_database_locked_by_another_process_is_a_plain_message(capsys, tmp_path: Path):
    path = plain_office(tmp_path / "k.sqlite3")
    copy = tmp_path / "copy.sqlite3"
    assert main(["--db", str(path), "backup", "--out", str(copy)]) == 0
    capsys.readouterr()
    holder = hold_write_lock(path)
    try:
        code, _, err = run(capsys, "--db", str(path), "restore", str(copy), "--yes")
    finally:
        holder.kill()
        holder.wait()
    assert code == 2 and "locked" in err and "Traceback" not in err


def test_a_folder_that_cannot_be_created_is_exit_2(capsys, tmp_path: Path, monkeypatch):
    # Works even as root (CI): a regular file stands where the folder should be.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    password_file = tmp_path / "password"
    password_file.write_text("correct horse battery\n", encoding="utf-8")
    monkeypatch.setenv("KANTOR_CASES_NEW_PASSWORD_FILE", str(password_file))
    code, _, err = run(capsys, "--db", str(blocker / "sub" / "k.sqlite3"), "setup", "--firm", "Kantor Law",
                       "--admin", "mk")
    assert code == 2 and str(blocker / "sub") in err and "Not a directory" in err and "Traceback" not in err


def test_restoring_or_importing_a_folder_says_it_is_a_folder(capsys, tmp_path: Path):
    db = str(tmp_path / "k.sqlite3")
    code, _, err = run(capsys, "--db", db, "restore", str(tmp_path), "--yes")
    assert code == 2 and "is a folder, not a file" in err
    code, _, err = run(capsys, "--db", db, "clients", "import", str(tmp_path))
    assert code == 2 and "is a folder, not a file" in err


def test_a_big_import_into_a_damaged_office_is_said_after_its_summary_and_exits_2(capsys, tmp_path: Path,
                                                                                 monkeypatch):
    """The rows are in before the backup's tables are checked; the check that finds an index out of
    step with its table is said after the summary, and the command fails."""
    from kantor_cases.services import client_csv
    from tests.db.test_backup import damage_an_index

    db = Path(plain_office(tmp_path / "k.sqlite3"))
    first = tmp_path / "first.csv"
    first.write_text("first_name,last_name\r\nAna,Reyes0\r\nAna,Reyes1\r\n", encoding="utf-8")
    assert run(capsys, "--db", str(db), "clients", "import", str(first))[0] == 0
    damage_an_index(db, "reyes1")
    monkeypatch.setattr(client_csv, "OVERLAP_CHECK_ROWS", 1)
    csv_path = tmp_path / "new.csv"
    csv_path.write_text("first_name,last_name\r\nLuis,Ortega\r\n", encoding="utf-8")

    code, out, err = run(capsys, "--db", str(db), "clients", "import", str(csv_path))

    assert "Imported 1 of 1 rows" in out
    assert code == 2 and "failed its check" in err and "kantor-cases check" in err
    assert len(list((tmp_path / "backups").rglob("*before-import*.sqlite3"))) == 1  # the first import's only


def test_a_big_import_says_when_its_safety_backup_passed_the_rest_of_its_check(capsys, tmp_path: Path, monkeypatch):
    from kantor_cases.services import client_csv

    monkeypatch.setattr(client_csv, "OVERLAP_CHECK_ROWS", 1)
    csv_path = tmp_path / "new.csv"
    csv_path.write_text("first_name,last_name\r\nLuis,Ortega\r\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", plain_office(tmp_path / "k.sqlite3"), "clients", "import", str(csv_path))
    assert code == 0 and "Imported 1 of 1 rows" in out
    assert err.index("Finishing the check of the safety backup") < err.index("The safety backup passed its check.")


def test_a_restore_onto_a_path_with_no_office_says_to_copy_the_backup_and_makes_nothing(capsys, tmp_path: Path):
    # It once made an empty plain office there, then refused an encrypted backup and left that office.
    office = plain_office(tmp_path / "k.sqlite3")
    backup_file = tmp_path / "copy.sqlite3"
    assert main(["--db", office, "backup", "--out", str(backup_file)]) == 0
    capsys.readouterr()
    elsewhere = tmp_path / "new-computer" / "kantor-cases.sqlite3"
    code, out, err = run(capsys, "--db", str(elsewhere), "restore", str(backup_file), "--yes")
    assert code == 2 and out == ""
    assert f"There is no office at {elsewhere} to restore into" in err and f"copy {backup_file}" in err
    assert not elsewhere.parent.exists()
