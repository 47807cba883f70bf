"""Backups as the user sees them: back up now, list, restore (with a safety copy), rotate; and, through
`automatic`, the timer's and the exit's backups, the rotation the office chose and the backup status."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from kantor_cases.db import backup
from kantor_cases.db.backup import BackupInfo, RotationPolicy
from kantor_cases.db.engine import Database
from kantor_cases.db.office_keys import has_plain_header, keys_path
from kantor_cases.db.startup import inspect_sqlite, open_database
from kantor_cases.domain.errors import DamagedDatabaseError, DatabaseError, KantorError
from kantor_cases.domain.validation import file_problem

from .output_files import TargetRefused

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
    def __init__(self, database: Database, folder: Path, policy: RotationPolicy | None = None, *,
                 require: Callable[[str], None], actor: Callable[[], str] = lambda: "") -> None:
        self._database = database
        self._require = require  # the office's permission check (only restoring needs one)
        self._actor = actor  # who restores: the restored office's audit trail says so
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
                should_stop: Callable[[], bool] | None = None,
                copied: Callable[[], None] | None = None,
                caller_idle: threading.Event | None = None,
                pages_sound: Callable[[Path], None] | None = None) -> BackupResult:
        """Take an online backup, verify it (integrity_check, foreign_key_check, row counts) and rotate
        old ones. It never replaces a file: `out` must not exist, and in the backups folder each backup
        gets a name of its own. One that fails its check is deleted and reported (DatabaseError).

        `should_stop` lets the caller give up on it half-way (BackupStopped; nothing is left behind);
        `copied` is told when the pages are copied and only the check of the copy remains;
        `pages_sound` is told the backup's name once its pages passed quick_check, and the rest of
        the check waits for `caller_idle` (see db/backup.take_backup; into the backups folder only).
        Once the office has passed its own check in this process, a copy read back equal to it is
        not checked again before `pages_sound`; its quick_check comes with the rest.
        """
        source = self._require_file()
        folder = self.folder if out is None else out.parent
        exists = TargetRefused(f"{out} already exists and was left as it is; choose a new file name.")
        if out is not None and out.exists():
            raise exists
        told_sound = pages_sound
        office_checked = None
        if pages_sound is not None and self._database.integrity is not None:
            integrity = self._database.integrity
            office_checked = integrity.passed

            def told_sound(path: Path) -> None:
                # The copy's pages passed quick_check, and they are the office's pages as they were:
                # the office's own quick_check need not go on.
                integrity.vouch()
                pages_sound(path)

        try:
            if out is None:
                destination, counts = backup.take_backup(source, self.folder, reason, should_stop, copied,
                                                         key=self._database.key, caller_idle=caller_idle,
                                                         pages_sound=told_sound, office_checked=office_checked)
            else:
                destination, counts = out, backup.verified_online_backup(source, out, should_stop,
                                                                         key=self._database.key)
        except FileExistsError as error:  # `out` appeared while the copy was taken
            raise exists from error
        except PermissionError as error:
            raise KantorError(f"Cannot write the backup to {folder}: permission denied.") from error
        except OSError as error:
            raise KantorError(f"Cannot write the backup into {folder}: {error.strerror}.") from error
        except sqlcipher3.OperationalError as error:
            raise KantorError(f"The backup could not be taken: {error}.") from error
        if out is None:
            backup.rotate(self.folder, self.policy, keep=[destination])
        if self._database.integrity is not None:
            # The copy passed integrity_check, so the office's pages are sound: no need to wait for
            # the slower check started at opening.
            self._database.integrity.vouch()
        log.info("Backup written to %s", destination)
        return BackupResult(destination, counts)

    @staticmethod
    def remove_abandoned_partials(folder: Path) -> None:
        """At start: remove the unfinished copies (`.partial`) that processes which died left in the
        backups folder; each is a readable copy of the whole office that no one would ever clean up."""
        for path in backup.remove_abandoned_partials(folder):
            log.info("Removed %s, an unfinished backup whose writer is gone", path.name)

    def list(self) -> list[BackupInfo]:
        return backup.list_backups(self.folder)

    def newest_age(self, now: datetime | None = None) -> timedelta | None:
        return backup.backup_age(self.folder, now)

    def _refuse_other_encryption(self, source: Path) -> None:
        """An encrypted office takes back only its own encrypted backups (with their keys), a plain one
        only plain backups: the backup API cannot copy pages between the two."""
        plain = has_plain_header(source)
        if self._database.key is None and not plain:
            raise DatabaseError(f"{source} is an encrypted backup and this office is not encrypted; open the "
                                "backup as an office of its own instead (with its .keys file beside it).")
        if self._database.key is not None and plain:
            raise DatabaseError(f"{source} is a backup from before this office was encrypted; restoring it would "
                                "leave the office unencrypted, so nothing was changed.")
        if self._database.key is not None and not keys_path(source).is_file():
            raise DatabaseError(f"{source} has no keys file beside it ({keys_path(source).name}), so it cannot be "
                                "restored; nothing was changed.")

    def restore(self, source: Path) -> BackupResult:
        """Replace the current data with `source` after verifying it and backing up what is there."""
        self._require("backup.restore")
        target = self._require_file()
        problem = file_problem(source)
        if problem:
            raise KantorError(problem)
        key = self._database.key
        self._refuse_other_encryption(source)
        revision = inspect_sqlite(source, key)  # raises a plain DatabaseError for garbage
        from kantor_cases.db import migrate

        if revision not in migrate.known_revisions():
            raise DatabaseError(f"{source} is not a backup this version of Kantor Cases can restore.")
        # Checked as thoroughly as a fresh backup before anything is touched, so a damaged file
        # leaves neither a changed office nor a safety copy behind.
        counts = backup.verify_backup(source, key)
        try:
            safety_path = self.back_up(reason="before-restore").path
            self._database.dispose()
        except DamagedDatabaseError:
            # Restoring is what a damaged office needs most, and its copy cannot pass a backup's
            # check: its bytes are kept as they are instead, in case something in them is wanted.
            self._database.dispose()
            safety_path = backup.keep_as_is(target, self.folder, "damaged-before-restore")
        backup.restore_into(source, target, key=key)
        # A backup from an older version is upgraded now (with its own safety copy), not at the next start.
        open_database(target, self.folder, key=key).dispose()
        if self._database.integrity is not None:
            self._database.integrity.replaced()
        # The restored office's own trail says it was restored, by whom and from which file (a
        # History of the office then shows the jump back in time).
        from . import audit

        with self._database.write() as session:
            audit.record(session, self._actor(), "restore", "office", None,
                         f"restored the office from the backup {source.name} (what was there is kept in "
                         f"{safety_path.name})")
        log.info("Restored %s from %s (safety copy %s)", target, source, safety_path)
        return BackupResult(safety_path, counts)
