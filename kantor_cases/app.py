"""Composition root: logging, locations, and the choice between the window and the CLI.

The only module that knows every layer; `kantor-cases` and `python -m kantor_cases` start here.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys

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
    log_file = configure_logging()
    from kantor_cases.cli import main as cli_main

    return cli_main(argv if argv is not None else sys.argv[1:], open_window=open_window, log_file=log_file)


if __name__ == "__main__":
    sys.exit(main())
