"""Backups as the user sees them: back up now, list, restore (with a safety copy), rotate; and, through
`automatic`, the timer's and the exit's backups, the rotation the office chose and the backup status."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from kantor_cases.db import backup
from kantor_cases.db.backup import BackupInfo, RotationPolicy
from kantor_cases.db.engine import Database
from kantor_cases.db.startup import inspect_sqlite, open_database
from kantor_cases.domain.errors import DatabaseError, KantorError
from kantor_cases.domain.validation import file_problem

if TYPE_CHECKING:
    from .auto_backup import AutoBackup

log = logging.getLogger(__name__)

# The status bar warns when the newest backup is older than this.
STALE_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    row_counts: dict[str, int]


class BackupService:
    def __init__(self, database: Database, folder: Path, policy: RotationPolicy | None = None) -> None:
        self._database = database
        self.folder = folder
        self._policy = policy
        self._automatic: AutoBackup | None = None

    @property
    def database(self) -> Database:
        return self._database

    @property
    def automatic(self) -> AutoBackup:
        """Automatic backups: back up if changed, status for the status bar, the stored rotation."""
        if self._automatic is None:
            from .auto_backup import AutoBackup

            self._automatic = AutoBackup(self)
        return self._automatic

    @property
    def policy(self) -> RotationPolicy:
        """The rotation given to this service, else the one stored in the database (default 48/14/8/12)."""
        if self._policy is not None:
            return self._policy
        if not self.supported:
            return RotationPolicy()
        return self.automatic.policy()

    @property
    def supported(self) -> bool:
        return self._database.path is not None

    def _require_file(self) -> Path:
        if self._database.path is None:
            raise KantorError(
                "This is a shared PostgreSQL database; it is backed up on the server (pg_dump), "
                "not from this desk."
            )
        return self._database.path

    def back_up(self, out: Path | None = None, reason: str = "manual",
                should_stop: Callable[[], bool] | None = None) -> BackupResult:
        """Take an online backup, verify it (quick_check and row counts) and rotate old ones.

        `should_stop` lets the caller give up on it half-way (BackupStopped; nothing is left behind).
        """
        source = self._require_file()
        destination = out or self.folder / backup.backup_file_name(reason)
        try:
            counts = backup.verified_online_backup(source, destination, should_stop)
        except PermissionError as error:
            raise KantorError(f"Cannot write the backup to {destination.parent}: permission denied.") from error
        except OSError as error:
            raise KantorError(f"Cannot write the backup {destination}: {error.strerror}.") from error
        except sqlcipher3.OperationalError as error:
            raise KantorError(f"The backup could not be taken: {error}.") from error
        if out is None:
            backup.rotate(self.folder, self.policy, keep=[destination])
        log.info("Backup written to %s", destination)
        return BackupResult(destination, counts)

    def list(self) -> list[BackupInfo]:
        return backup.list_backups(self.folder)

    def newest_age(self, now: datetime | None = None) -> timedelta | None:
        return backup.backup_age(self.folder, now)

    def restore(self, source: Path) -> BackupResult:
        """Replace the current data with `source` after verifying it and backing up what is there."""
        target = self._require_file()
        problem = file_problem(source)
        if problem:
            raise KantorError(problem)
        revision = inspect_sqlite(source)  # raises a plain DatabaseError for garbage
        from kantor_cases.db import migrate

        if revision not in migrate.known_revisions():
            raise DatabaseError(f"{source} is not a backup this version of Kantor Cases can restore.")
        counts = backup.verify_backup(source)
        safety = self.back_up(reason="before-restore")
        self._database.dispose()
        backup.restore_into(source, target)
        # A backup from an older version is upgraded now (with its own safety copy), not at the next start.
        open_database(target, self.folder).dispose()
        log.info("Restored %s from %s (safety copy %s)", target, source, safety.path)
        return BackupResult(safety.path, counts)
