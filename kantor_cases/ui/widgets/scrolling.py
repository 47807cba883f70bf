"""Windows and forms that fit a small laptop: what cannot shrink any further scrolls instead of
pushing the window past the screen or being cut off.

`ScreenScroll` holds one screen of the main window: it shows the screen at whatever size the window
gives it and scrolls only when the screen cannot shrink that far, so no screen (those to come
included) decides how wide the window must be. `FormScroll` holds a dialog's form: the whole form
when the screen has room for it, a scrolling one when it does not (a 1,024 × 700 laptop).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QFrame, QScrollArea, QStyle, QWidget

# Room a dialog needs around its form on screen: title bar, buttons, margins.
DIALOG_ROOM = 160
# The smallest a scrolling form shrinks to: a few rows still show.
SMALLEST_FORM_HEIGHT = 160


def screen_of(widget: QWidget) -> QScreen | None:
    """The screen `widget` is on, asked of the application rather than of the widget.

    `widget.screen()` makes the returned QScreen a child of the widget on the Python side (PySide's
    return-value rule), and when the widget is then freed as part of a cycle, PySide deletes the
    QScreen with it: the next widget to ask for its screen crashes the process (seen in the tests).
    (`widget.style()` is safe: the style's wrapper belongs to the application from the start.)"""
    return QGuiApplication.screenAt(widget.mapToGlobal(widget.rect().center())) or QGuiApplication.primaryScreen()


class ScreenScroll(QScrollArea):
    """One screen of the main window, scrolled only when the window is smaller than it can shrink."""

    def __init__(self, screen: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(screen)
        self.setFocusProxy(screen)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(120, 120)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        screen = self.widget()
        return screen.sizeHint() if screen is not None else super().sizeHint()


class FormScroll(QScrollArea):
    """A dialog's form: all of it when the screen has room, scrolling (never sideways) when not."""

    def __init__(self, form: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field, never to the frame
        self.setWidget(form)

    def _scroll_bar_width(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        form = self.widget()
        if form is None:
            return super().sizeHint()
        hint = form.sizeHint()
        hint.setWidth(hint.width() + self._scroll_bar_width())
        screen = screen_of(self)
        if screen is None:
            return hint
        room = screen.availableGeometry()
        return QSize(min(hint.width(), room.width()), min(hint.height(), max(SMALLEST_FORM_HEIGHT,
                                                                              room.height() - DIALOG_ROOM)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        form = self.widget()
        if form is None:
            return super().minimumSizeHint()
        smallest = form.minimumSizeHint()
        return QSize(smallest.width() + self._scroll_bar_width(), min(smallest.height(), SMALLEST_FORM_HEIGHT))


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize `window` to width × height, or to the screen's free area when that is smaller."""
    screen = screen_of(window)
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width()), min(height, room.height() - DIALOG_ROOM // 2)
    window.resize(width, height)
