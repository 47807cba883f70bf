"""Backups: online backup, verification, rotation, and the backup → restore round trip."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kantor_cases.db.backup import BackupInfo, RotationPolicy, backups_to_delete
from kantor_cases.domain.errors import DatabaseError


def add_user(office, name: str) -> None:
    with office.database.write() as session:
        session.execute(__import__("sqlalchemy").text(
            "INSERT INTO users (name, initials, role, email, bar_number, active, version, created_at, "
            "created_by, updated_at, updated_by) VALUES (:n, '', 'staff', '', '', 1, 1, '2026-01-01', 'x', "
            "'2026-01-01', 'x')"), {"n": name})


def user_names(office) -> list[str]:
    with office.database.read() as session:
        return list(session.execute(__import__("sqlalchemy").text("SELECT name FROM users ORDER BY name"))
                    .scalars())


def test_backup_then_restore_brings_back_the_data(office, tmp_path: Path):
    add_user(office, "Ruth")
    result = office.backups.back_up()
    assert result.row_counts["users"] == 1
    add_user(office, "Mallory")
    assert user_names(office) == ["Mallory", "Ruth"]

    restored = office.backups.restore(result.path)

    assert user_names(office) == ["Ruth"]
    # The data that was replaced is kept in a safety backup.
    assert restored.path.exists() and "before-restore" in restored.path.name


def test_restore_refuses_a_file_that_is_not_a_backup(office, tmp_path: Path):
    add_user(office, "Ruth")
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("hello")
    with pytest.raises(DatabaseError):
        office.backups.restore(bogus)
    assert user_names(office) == ["Ruth"]


def test_rotation_keeps_one_per_period_and_never_touches_safety_or_manual_backups():
    start = datetime(2026, 11, 29, 12, 0)
    infos = [BackupInfo(Path(f"b{i}"), start - timedelta(minutes=20 * i), 1, "auto") for i in range(400)]
    infos.append(BackupInfo(Path("upgrade"), start - timedelta(days=300), 1, "before-upgrade-0001"))
    infos.append(BackupInfo(Path("manual"), start - timedelta(days=200), 1, "manual"))
    doomed = {info.path for info in backups_to_delete(infos, RotationPolicy(hourly=3, daily=2, weekly=1,
                                                                            monthly=1))}
    kept = [info for info in infos if info.path not in doomed]
    assert {Path("upgrade"), Path("manual")} <= {info.path for info in kept}
    # 3 hourly (12:00, 11:40→11:00 bucket, 10:xx) and 2 daily overlap with the newest; far fewer remain.
    assert 5 <= len(kept) <= 9
    assert kept[0].path == Path("b0")


def test_two_offices_in_one_folder_keep_their_backups_and_letters_apart(tmp_path: Path):
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    default = locations.resolve(str(tmp_path / "kantor-cases.sqlite3"))
    other = locations.resolve(str(tmp_path / "training.sqlite3"))
    assert default.backups == tmp_path / "backups" and default.documents == tmp_path / "documents"
    assert other.backups == tmp_path / "backups" / "training"
    assert other.documents == tmp_path / "documents" / "training"
    first, second = Office.open(default, "Ana"), Office.open(other, "Ana")
    try:
        first.backups.back_up()
        assert len(first.backups.list()) == 1 and second.backups.list() == []
    finally:
        first.close()
        second.close()


def test_a_backup_asked_to_stop_half_way_leaves_nothing_behind(office, tmp_path: Path, monkeypatch):
    from kantor_cases.db import backup as backup_module
    from kantor_cases.domain.records import ClientDraft

    for number in range(300):
        office.clients.create(ClientDraft(given_name=f"Client{number}", family_name="Reyes", notes="x" * 2000))
    monkeypatch.setattr(backup_module, "STOPPABLE_STEP_PAGES", 8)  # many steps even for a small office
    steps = []

    def stop_after_two_steps() -> bool:
        steps.append(1)
        return len(steps) > 2

    target = tmp_path / "copies" / "copy.sqlite3"
    with pytest.raises(backup_module.BackupStopped):
        backup_module.verified_online_backup(office.database.path, target, stop_after_two_steps)
    assert list(target.parent.iterdir()) == [], "a partial backup was left behind"
    # Not asked to stop, the same step-wise copy is whole and checked.
    counts = backup_module.verified_online_backup(office.database.path, target, lambda: False)
    assert counts["clients"] == 300 and target.exists()
