"""Where Kantor Cases keeps its files: database, backups, logs, generated letters.

Defaults follow the platform's conventions (platformdirs); `--db` / KANTOR_CASES_DB choose another
database, and its backups then live beside it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kantor_cases.db.backup import DEFAULT_DATABASE_NAME, folder_beside

APP_NAME = "kantor-cases"
DB_FILE_NAME = DEFAULT_DATABASE_NAME
ENV_DB = "KANTOR_CASES_DB"
ENV_USER = "KANTOR_CASES_USER"
# Passwords come from the first line of a file (or a prompt without echo, or the key store), never
# from the command line or the environment itself: both show up in `ps` and in shell histories.
ENV_PASSWORD_FILE = "KANTOR_CASES_PASSWORD_FILE"
ENV_NEW_PASSWORD_FILE = "KANTOR_CASES_NEW_PASSWORD_FILE"


@dataclass(frozen=True)
class Locations:
    database: str  # a file path or a postgresql:// URL
    backups: Path
    logs: Path
    documents: Path

    @property
    def database_path(self) -> Path | None:
        return None if "://" in self.database else Path(self.database)

    @property
    def log_file(self) -> Path:
        return self.logs / "kantor-cases.log"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve(database: str | None = None) -> Locations:
    """Locations for `database` (else KANTOR_CASES_DB, else the default file in the data folder)."""
    chosen = database or os.environ.get(ENV_DB) or ""
    logs = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    if chosen and "://" in chosen and not chosen.startswith("sqlite"):
        data = default_data_dir()
        return Locations(chosen, data / "backups", logs, data / "documents")
    if chosen.startswith("sqlite"):
        chosen = chosen.split(":///", 1)[1]
    path = Path(chosen).expanduser().absolute() if chosen else default_data_dir() / DB_FILE_NAME
    return Locations(str(path), folder_beside(path, "backups"), logs, folder_beside(path, "documents"))



def default_user() -> str:
    return os.environ.get(ENV_USER) or ""
