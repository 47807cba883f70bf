"""Keyboard shortcuts several screens share, kept apart from the dialogs they open so that a screen
built before the first paint does not import those dialogs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

NEW_FOLLOW_UP_KEY = "Ctrl+Shift+F"


def add_new_follow_up_shortcut(widget: QWidget, open_dialog: Callable[[], object]) -> QShortcut:
    """Ctrl+Shift+F opens a new follow-up wherever `widget` (a window or a screen) has the keyboard."""
    shortcut = QShortcut(QKeySequence(NEW_FOLLOW_UP_KEY), widget)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(open_dialog)
    return shortcut
