"""Turning errors into plain words for the person at the desk, the same way on every screen.

Errors the user can act on (KantorError and its kinds) become one plain sentence; anything else
is logged and shown with where the log is, so support can help.
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from kantor_cases.domain.errors import ConflictError, KantorError, NotFoundError, StatusChangeError

log = logging.getLogger(__name__)


def title_for(error: BaseException) -> str:
    if isinstance(error, ConflictError):
        return "Someone else changed this"
    if isinstance(error, NotFoundError):
        return "Not found"
    if isinstance(error, StatusChangeError):
        return "That step is not allowed"
    if isinstance(error, KantorError):
        return "Cannot do that"
    return "Something went wrong"


def show_error(parent: QWidget | None, error: BaseException, log_file: str = "") -> None:
    if isinstance(error, KantorError):
        QMessageBox.warning(parent, title_for(error), str(error))
        return
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        QMessageBox.warning(parent, "Cannot use the file", f"Cannot use{where}: {error.strerror or error}.")
        return
    log.error("Unexpected error:\n%s", "".join(traceback.format_exception(error)))
    where = f" The details were written to {log_file}." if log_file else " The details were written to the log."
    # Not the error's own text: it may quote a client's data, and this box ends up in screenshots.
    QMessageBox.critical(parent, title_for(error),
                         f"Something went wrong ({type(error).__name__}).\n\nYour saved data is safe.{where}")
