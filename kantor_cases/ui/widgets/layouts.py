"""Emptying a layout whose buttons or labels are rebuilt on every refresh (status steps, counts)."""

from __future__ import annotations

from PySide6.QtWidgets import QLayout


def clear_layout(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            # Hidden now: deleteLater waits for the event loop, and a shown orphan would float.
            widget.hide()
            widget.deleteLater()
