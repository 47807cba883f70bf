"""Composition root: logging, locations, and the choice between the window and the CLI.

The only module that knows every layer; `kantor-cases` and `python -m kantor_cases` start here.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from threading import Thread

from kantor_cases.domain.private_files import make_private, make_private_folder
from kantor_cases.services import locations as locs

# Everything this process creates (database, keys, -wal/-shm, backups, letters, exports, logs) is
# for its user alone: another account on the computer must not read a client's file.
PRIVATE_UMASK = 0o077


def configure_logging(level: int = logging.INFO) -> str:
    """Log to a rotating file in the user log folder; return its path (or a note if unavailable).

    What is logged carries ids, never client data (names, A-numbers, addresses): the log sits
    outside the encrypted office, and goes into support e-mails."""
    log_file = locs.resolve(None).log_file
    root = logging.getLogger()
    root.setLevel(level)
    try:
        make_private_folder(log_file.parent)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        make_private(log_file)  # a log an older version created 0644
    except OSError:
        return "(no log: the log folder is not writable)"
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return str(log_file)


def open_window(locations: locs.Locations, user: str | None) -> int:
    from kantor_cases.ui.shell.application import run

    return run(locations, user)


def main(argv: list[str] | None = None) -> int:
    os.umask(PRIVATE_UMASK)
    arguments = argv if argv is not None else sys.argv[1:]
    start_scripted_sign_in(arguments)
    log_file = configure_logging()
    from kantor_cases.cli import main as cli_main

    return cli_main(arguments, open_window=open_window, log_file=log_file)


def start_scripted_sign_in(argv: list[str]) -> Thread | None:
    """A scripted desk (KANTOR_CASES_USER or --user, and KANTOR_CASES_PASSWORD_FILE) of an encrypted
    office: start the key derivation now, so that its 0.4 s runs while the program imports. Anything
    unusable (no keys file, an unreadable password file) is left for the sign-in to report."""
    password_file = os.environ.get(locs.ENV_PASSWORD_FILE)
    user = global_option(argv, "--user") or os.environ.get(locs.ENV_USER)
    if not password_file or not user:
        return None
    database = locs.resolve(global_option(argv, "--db")).database_path
    if database is None:
        return None
    from kantor_cases.db import office_keys

    if not office_keys.keys_path(database).exists():
        return None
    try:
        with open(password_file, encoding="utf-8") as handle:
            password = handle.readline().rstrip("\r\n")
    except (OSError, UnicodeDecodeError):
        return None
    return office_keys.derive_early(database, user, password) if password else None


def global_option(argv: list[str], name: str) -> str | None:
    """The value of the program's own option `name` (`--db`, `--user`), given before the command."""
    tokens = iter(argv)
    for token in tokens:
        if token == name:
            return next(tokens, None)
        if token.startswith(f"{name}="):
            return token.split("=", 1)[1]
        if token in ("--db", "--user"):
            next(tokens, None)
        elif not token.startswith("-"):
            return None  # the command: what follows is its own
    return None


if __name__ == "__main__":
    sys.exit(main())
