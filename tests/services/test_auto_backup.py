"""Automatic backups: taken only when something changed, verified and rotated as the office chose,
and the status bar's age and warning."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

import pytest
from plain_office import plain_office

from kantor_cases.cli import main as cli_main
from kantor_cases.domain.errors import KantorError
from kantor_cases.domain.records import ClientDraft
from kantor_cases.services import locations
from kantor_cases.services.office import Office


def add_client(office, family: str = "García") -> int:
    return office.clients.create(ClientDraft(given_name="María", family_name=family)).id


def automatic(office):
    return office.backups.automatic


def test_the_first_automatic_backup_is_taken_verified_and_marked_auto(office):
    add_client(office)
    result = automatic(office).back_up_if_changed("auto")
    assert result.taken and result.path is not None and result.path.exists()
    assert result.row_counts is not None and result.row_counts["clients"] == 1
    [listed] = office.backups.list()
    assert listed.reason == "auto" and listed.path == result.path


def test_nothing_changed_means_no_new_backup(office):
    add_client(office)
    assert automatic(office).back_up_if_changed("auto").taken
    again = automatic(office).back_up_if_changed("exit")
    assert not again.taken and "nothing changed" in again.skipped
    assert len(office.backups.list()) == 1


@pytest.mark.parametrize("change", ["create", "edit", "delete"])
def test_any_saved_change_makes_the_next_automatic_backup_happen(office, change):
    client_id = add_client(office)
    automatic(office).back_up_if_changed("auto")
    client = office.clients.get(client_id)
    if change == "create":
        add_client(office, "López")
    elif change == "edit":
        from kantor_cases.services.clients import with_changes

        office.clients.update(client_id, with_changes(client, phone="(213) 555-0101"), client.version)
    else:
        office.clients.delete(client_id, client.version)
    assert automatic(office).changed_since_last_backup()
    assert automatic(office).back_up_if_changed("auto").taken
    assert not automatic(office).changed_since_last_backup()


def test_a_backup_taken_by_hand_counts(office):
    add_client(office)
    office.backups.back_up()
    assert not automatic(office).back_up_if_changed("exit").taken


def test_after_a_restore_the_restored_data_is_backed_up_again(office):
    add_client(office)
    older = office.backups.back_up()
    add_client(office, "López")
    office.backups.restore(older.path)  # takes a safety copy of the data it replaces
    assert automatic(office).changed_since_last_backup()
    assert automatic(office).back_up_if_changed("auto").taken


def test_an_unreadable_newest_backup_does_not_count(office):
    add_client(office)
    taken = automatic(office).back_up_if_changed("auto")
    assert taken.path is not None
    broken = taken.path.with_name("kantor-cases-29991231-235959-auto.sqlite3")
    broken.write_bytes(b"not a database at all" * 100)
    # The broken file is "newest", the good one behind it still matches: nothing to do.
    assert not automatic(office).changed_since_last_backup()
    taken.path.unlink()
    assert automatic(office).changed_since_last_backup()


def test_status_says_how_old_the_newest_backup_is_and_warns_after_a_day(office):
    status = automatic(office).status()
    assert status.old and status.newest_at is None and status.text == "no backup yet"
    add_client(office)
    automatic(office).back_up_if_changed("auto")
    fresh = automatic(office).status()
    assert not fresh.old and fresh.text == "last backup just now"
    assert fresh.newest_at is not None
    later = automatic(office).status(now=fresh.newest_at + timedelta(hours=25))
    assert later.old and later.text == "last backup 25 h ago"
    much_later = automatic(office).status(now=fresh.newest_at + timedelta(days=9))
    assert much_later.old and much_later.text == "last backup 9 days ago"


def test_the_rotation_the_office_chose_is_kept_and_applied(office, db_path):
    add_client(office)
    first = automatic(office).back_up_if_changed("auto")
    assert first.path is not None
    folder = first.path.parent
    # Yesterday's automatic backups, one per hour, and one the user took by hand.
    yesterday = datetime.now() - timedelta(days=1)
    for hour in range(6):
        stamp = yesterday.replace(hour=hour, minute=0, second=0)
        shutil.copyfile(first.path, folder / f"kantor-cases-{stamp:%Y%m%d-%H%M%S}-auto.sqlite3")
    by_hand = folder / f"kantor-cases-{yesterday.replace(hour=3):%Y%m%d-%H%M%S}-manual.sqlite3"
    shutil.copyfile(first.path, by_hand)

    policy = automatic(office).set_policy(hourly=3, daily=0, weekly=0, monthly=0)
    assert (policy.hourly, policy.daily, policy.weekly, policy.monthly) == (3, 0, 0, 0)
    reopened = Office.open(locations.resolve(str(db_path)), "Ana")
    try:
        assert reopened.backups.policy == policy  # stored in the database, not in this object
    finally:
        reopened.close()

    add_client(office, "López")
    assert automatic(office).back_up_if_changed("auto").taken
    left = office.backups.list()
    automatic_left = [b for b in left if b.reason == "auto"]
    assert len(automatic_left) == 3
    assert by_hand in [b.path for b in left]


def test_keep_counts_are_checked(office):
    with pytest.raises(KantorError, match="between 0"):
        automatic(office).set_policy(daily=-1)
    with pytest.raises(KantorError, match="at least one"):
        automatic(office).set_policy(hourly=0, daily=0, weekly=0, monthly=0)
    assert automatic(office).policy().hourly == 48


def test_only_automatic_reasons(office):
    with pytest.raises(ValueError):
        automatic(office).back_up_if_changed("manual")


def test_cli_sets_the_rotation_lists_it_and_backs_up_only_if_changed(db_path, capsys):
    db = plain_office(db_path)
    assert cli_main(["--db", db, "backup", "--if-changed"]) == 0
    assert "Backup written and verified" in capsys.readouterr().out
    assert cli_main(["--db", db, "backup", "--if-changed"]) == 0
    assert "No backup taken: nothing changed" in capsys.readouterr().out
    assert cli_main(["--db", db, "backup", "--keep-daily", "30", "--keep-monthly", "24", "--list"]) == 0
    out = capsys.readouterr().out
    assert "Keeping 48 hourly, 30 daily, 8 weekly and 24 monthly" in out
    assert "last backup just now" in out and "-auto.sqlite3" in out
    assert cli_main(["--db", db, "backup", "--keep-weekly", "-1"]) == 2
    assert "--keep-weekly" in capsys.readouterr().err


def test_two_automatic_backups_at_once_make_one(office, monkeypatch):
    """The timer's backup and the exit's may meet, even through two AutoBackup objects."""
    import threading

    from kantor_cases.services.auto_backup import AutoBackup

    add_client(office)
    started, release = threading.Event(), threading.Event()
    real_back_up = office.backups.back_up

    def slow_back_up(*args, **kwargs):
        started.set()
        release.wait(10)
        return real_back_up(*args, **kwargs)

    monkeypatch.setattr(office.backups, "back_up", slow_back_up)
    results = []
    timer = threading.Thread(target=lambda: results.append(AutoBackup(office.backups).back_up_if_changed("auto")))
    timer.start()
    assert started.wait(10)
    at_exit = AutoBackup(office.backups).back_up_if_changed("exit")
    release.set()
    timer.join(10)
    assert not at_exit.taken and "already" in at_exit.skipped
    assert results[0].taken and len(office.backups.list()) == 1


def test_an_office_in_a_folder_named_with_a_hash_is_backed_up_once_not_every_time(tmp_path):
    """A folder like "Reyes #2" once cut the backup's file URI short at the "#": no backup could be
    checked, read or compared."""
    office = Office.open(locations.resolve(str(tmp_path / "Reyes & Co #2" / "kantor-cases.sqlite3")), "Ana")
    try:
        add_client(office)
        taken = office.backups.back_up()
        assert taken.row_counts["clients"] == 1
        again = automatic(office).back_up_if_changed("auto")
        assert not again.taken and "nothing changed" in again.skipped
    finally:
        office.close()
