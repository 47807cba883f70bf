"""The window's assets from `resources/`: icons and translations, through the one accessor."""

from __future__ import annotations

import logging
from importlib import resources

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from kantor_cases.resources import resource

log = logging.getLogger(__name__)

APP_ICON = "kantor-cases"


def icon(name: str) -> QIcon:
    """The SVG icon `resources/icons/<name>.svg` (an installed package keeps it as a real file, which
    QIcon reads when it first paints)."""
    with resources.as_file(resource("icons", f"{name}.svg")) as path:
        return QIcon(str(path))


def install_translation(app: QApplication, language: str | None = None) -> QTranslator | None:
    """Load the window's translation for the desktop's language (`language` to choose another), if
    one ships; English needs none. Returns the installed translator."""
    language = language or QLocale().name().split("_")[0]
    if language == "en":
        return None
    candidate = resource("translations", f"kantor_cases_{language}.qm")
    if not candidate.is_file():
        return None
    translator = QTranslator(app)
    with resources.as_file(candidate) as path:
        if not translator.load(str(path)):
            log.warning("The %s translation could not be loaded", language)
            return None
    app.installTranslator(translator)
    return translator
