"""Layout helpers: emptying a layout whose buttons or labels are rebuilt on every refresh (status
steps, counts), a row of buttons that wraps onto a second line when the window is narrow, and two
columns that stack when they cannot both have room."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QSpacerItem,
    QStyle,
    QWidget,
    QWidgetItem,
)


def clear_layout(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            # Hidden now: deleteLater waits for the event loop, and a shown orphan would float.
            widget.hide()
            widget.deleteLater()


class _Stretch(QSpacerItem):
    """Where a line's spare width goes (what addStretch is in a QHBoxLayout)."""

    def __init__(self) -> None:
        super().__init__(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)


class WrappingRow(QLayout):
    """A QHBoxLayout that wraps: what does not fit on the line goes on the next, so a row of buttons
    never makes a screen wider than a 1,024-px laptop. addWidget, addSpacing and addStretch work as
    in a QHBoxLayout; a line's spare width goes to its stretches (the buttons after one sit right)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        # Heights by width, until something in the row changes: Qt asks the same width many times
        # while a window is laid out, and each answer measures every button's text.
        self._heights: dict[int, int] = {}
        self.setContentsMargins(0, 0, 0, 0)

    # --- QHBoxLayout's building calls ------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def addWidget(self, widget: QWidget, _stretch: int = 0) -> None:  # noqa: N802 - Qt's name
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))
        self.invalidate()

    def addSpacing(self, size: int) -> None:  # noqa: N802 - Qt's name
        self.addItem(QSpacerItem(size, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum))

    def addStretch(self, _stretch: int = 1) -> None:  # noqa: N802 - Qt's name
        self.addItem(_Stretch())

    # --- QLayout ---------------------------------------------------------------------------------

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = self._arrange(QRect(0, 0, width, 0), move=False)
        return height

    def invalidate(self) -> None:
        self._heights.clear()
        super().invalidate()

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = sum(item.sizeHint().width() for item in self._shown()) + self._gap() * max(0, len(self._shown()) - 1)
        height = max((item.sizeHint().height() for item in self._shown()), default=0)
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        # As narrow as the widest single button: everything else can go on a line of its own.
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    # --- the arranging -------------------------------------------------------------------------------

    def _gap(self) -> int:
        spacing = self.spacing()
        if spacing >= 0:
            return spacing
        parent = self.parentWidget()
        style = parent.style() if parent is not None else None
        return style.pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing) if style is not None else 6

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty() or isinstance(item, QSpacerItem)]

    def _lines(self, width: int, gap: int) -> list[list[QLayoutItem]]:
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._shown():
            wanted = item.sizeHint().width()
            if lines[-1] and used + gap + wanted > width and not isinstance(item, QSpacerItem):
                lines.append([])
                used = 0
            if isinstance(item, QSpacerItem) and not lines[-1]:
                continue  # a line does not start with a gap
            used += (gap if lines[-1] else 0) + wanted
            lines[-1].append(item)
        return lines

    def _arrange(self, rect: QRect, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        y = area.y()
        gap = self._gap()
        for line in self._lines(area.width(), gap):
            if not line:
                continue
            hints = [item.sizeHint() for item in line]
            widths = [hint.width() for hint in hints]
            stretches = [i for i, item in enumerate(line) if isinstance(item, _Stretch)]
            spare = area.width() - sum(widths) - gap * (len(line) - 1)
            if stretches and spare > 0:
                for i in stretches:
                    widths[i] += spare // len(stretches)
            height = max(hint.height() for hint in hints)
            x = area.x()
            for item, hint, width in zip(line, hints, widths, strict=True):
                if move:
                    item_height = min(height, hint.height())
                    item.setGeometry(QRect(QPoint(x, y + (height - item_height) // 2), QSize(width, item_height)))
                x += width + gap
            y += height + gap
        return y - gap - area.y() + margins.top() + margins.bottom() if y > area.y() else 0


class TwoColumns(QWidget):
    """Two halves of a form side by side when each can have `column_width`, one above the other
    when not: a narrow window stacks them instead of cutting their labels off."""

    def __init__(self, left: QLayout, right: QLayout, column_width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._column_width = column_width
        self._layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        for half in (left, right):
            holder = QWidget()
            holder.setLayout(half)
            half.setContentsMargins(0, 0, 0, 0)
            self._layout.addWidget(holder, 1)

    def side_by_side(self) -> bool:
        return self._layout.direction() == QBoxLayout.Direction.LeftToRight

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        wide = event.size().width() >= 2 * self._column_width + self._layout.spacing()
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)
        super().resizeEvent(event)
