"""The global search box (Ctrl+K): type-ahead over names, A-numbers, phones, receipt and agency
numbers, employers; Enter opens the client or matter. A result's context menu adds a follow-up
about that client or matter.

The search service reads an index (FTS5 trigram), so a query costs milliseconds even at 300,000
clients and runs on the GUI thread, after a short pause in typing so each keystroke does not query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QMenu, QWidget

from kantor_cases.domain.errors import KantorError
from kantor_cases.ui.widgets import privacy

if TYPE_CHECKING:
    from kantor_cases.services.office import Office
    from kantor_cases.ui.widgets.follow_up_dialog import FollowUpDialog

DEBOUNCE_MS = 150
RESULTS = 12
KIND_LABELS = {"client": "Client", "matter": "Matter", "related": "Family", "party": "Organisation"}


class SearchBox(QLineEdit):
    client_chosen = Signal(int)
    matter_chosen = Signal(int)
    party_chosen = Signal(int)

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.setPlaceholderText("Search clients, A-numbers, phones, employers…  (Ctrl+K)")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(360)
        self.hits: list = []
        # A tool-tip window floats over the main window without taking the keyboard from the box.
        self.popup = QListWidget(self)
        self.popup.setWindowFlags(Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.popup.setFrameShape(QFrame.Shape.Box)
        self.popup.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.popup.setMouseTracking(True)
        self.popup.itemClicked.connect(self._on_popup_clicked)
        self.popup.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.popup.customContextMenuRequested.connect(self._on_popup_menu_requested)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.textEdited.connect(self._on_text_edited)
        self.returnPressed.connect(self._on_return_pressed)
        self.installEventFilter(self)

    # --- searching ----------------------------------------------------------------------------------

    def run_search(self) -> None:
        self._timer.stop()
        text = self.text().strip()
        try:
            self.hits = self.office.search.search(text, RESULTS) if text else []
        except KantorError:
            self.hits = []
        self.popup.clear()
        for hit in self.hits:
            kind = KIND_LABELS.get(hit.kind, hit.kind)
            # Privacy mode: a sensitive client's line keeps only its kind (Enter still opens it).
            name = privacy.client_text(hit.name, hit.sensitive) if hit.kind != "matter" else hit.name
            detail = privacy.client_text(hit.detail, hit.sensitive)
            item = QListWidgetItem(f"{name}    —  {kind}" + (f" · {detail}" if detail else ""))
            self.popup.addItem(item)
        if text and not self.hits:
            empty = QListWidgetItem(f"Nothing found for “{text}”")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.popup.addItem(empty)
        if self.popup.count():
            self.popup.setCurrentRow(0)
            self._show_popup()
        else:
            self.popup.hide()

    def _show_popup(self) -> None:
        rows = min(self.popup.count(), RESULTS)
        height = rows * self.popup.sizeHintForRow(0) + 6
        self.popup.setFixedSize(max(self.width(), 520), height)
        self.popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self.popup.show()

    def open_hit(self, row: int) -> bool:
        if not 0 <= row < len(self.hits):
            return False
        hit = self.hits[row]
        self.popup.hide()
        self.clear()
        self.hits = []
        if hit.kind == "matter":
            self.matter_chosen.emit(hit.id)
        elif hit.client_id:
            self.client_chosen.emit(hit.client_id)
        elif hit.kind == "party":
            self.party_chosen.emit(hit.id)
        return True

    def follow_up_dialog_for(self, row: int) -> FollowUpDialog | None:
        """"New follow-up about this client…" (or matter) on result `row`; None for an organisation,
        which belongs to no client."""
        if not 0 <= row < len(self.hits):
            return None
        # Imported when first asked for: the search box is built before the first paint.
        from kantor_cases.ui.widgets.follow_up_dialog import FollowUpDialog

        hit = self.hits[row]
        if hit.kind == "matter":
            return FollowUpDialog(self.office, matter_id=hit.id, parent=self.window(),
                                  about=privacy.client_text(hit.name, hit.sensitive))
        if hit.client_id:
            about = privacy.client_text(hit.name, hit.sensitive) if hit.kind == "client" else ""
            return FollowUpDialog(self.office, client_id=hit.client_id, parent=self.window(), about=about)
        return None

    def _on_popup_menu_requested(self, position: QPoint) -> None:
        row = self.popup.indexAt(position).row()
        if not 0 <= row < len(self.hits) or not (self.hits[row].kind == "matter" or self.hits[row].client_id):
            return
        menu = QMenu(self)
        what = "matter" if self.hits[row].kind == "matter" else "client"
        action = menu.addAction(f"New follow-up about this {what}…")
        if menu.exec(self.popup.viewport().mapToGlobal(position)) is action:
            dialog = self.follow_up_dialog_for(row)
            self.popup.hide()
            if dialog is not None:
                dialog.exec()  # it saves and announces the follow-up itself

    # --- events -----------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.popup.isVisible():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.popup.count() - 1, self.popup.currentRow() + step))
                self.popup.setCurrentRow(row)
                return True
            if key == Qt.Key.Key_Escape:
                if self.popup.isVisible():
                    self.popup.hide()
                else:
                    self.clear()
                    self.clearFocus()
                return True
        if watched is self and event.type() == QEvent.Type.FocusOut:
            QTimer.singleShot(150, self._hide_unless_focused)
        return super().eventFilter(watched, event)

    def _hide_unless_focused(self) -> None:
        if not self.hasFocus():
            self.popup.hide()

    def _on_text_edited(self, _text: str) -> None:
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        self.run_search()

    def _on_return_pressed(self) -> None:
        if self._timer.isActive() or not self.hits:
            self.run_search()
        self.open_hit(max(0, self.popup.currentRow()))

    def _on_popup_clicked(self, item: QListWidgetItem) -> None:
        self.open_hit(self.popup.row(item))
