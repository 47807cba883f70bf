"""A list of labelled choices with a tick box each (relief sought, claim types, PD factors)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget


class Checklist(QListWidget):
    changed = Signal()

    def __init__(self, choices: Mapping[str, str], parent: QWidget | None = None, rows: int | None = None) -> None:
        super().__init__(parent)
        for key, label in choices.items():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        # By default every choice is on screen (no scrolling inside a form); `rows` caps long lists.
        shown = rows if rows is not None else len(choices)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedHeight(shown * max(self.sizeHintForRow(0), self.fontMetrics().height() + 4) + 2 * self.frameWidth() + 2)
        self.itemChanged.connect(self._on_item_changed)

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        self.changed.emit()

    def set_checked(self, keys: Iterable[str]) -> None:
        wanted = set(keys)
        self.blockSignals(True)
        try:
            for row in range(self.count()):
                item = self.item(row)
                on = item.data(Qt.ItemDataRole.UserRole) in wanted
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        finally:
            self.blockSignals(False)

    def checked(self) -> tuple[str, ...]:
        return tuple(self.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.count())
                     if self.item(row).checkState() == Qt.CheckState.Checked)
