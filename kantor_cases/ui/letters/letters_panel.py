"""The Letters screen: the office's letter log (paged in SQL, newest first, filtered by letter), batch
runs (hearing reminders, status updates) and the template editor.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain.changes import LETTERS, TEMPLATES
from kantor_cases.domain.letter_records import LetterQuery, LetterRow
from kantor_cases.ui.letters.letter_batch_dialog import LetterBatchDialog
from kantor_cases.ui.letters.template_editor_dialog import TemplateEditorDialog
from kantor_cases.ui.widgets.operations import watch
from kantor_cases.ui.widgets.paged_table_model import Column, PagedTableModel
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.tasks import Tasks

if TYPE_CHECKING:
    from kantor_cases.services.office import Office


class _LetterLogTableModel(PagedTableModel):
    """The letter log as a paged table: a count(*) and pages of ~200 rows from the service."""

    def __init__(self, office: Office, parent: Any = None) -> None:
        super().__init__([
            Column("Date", width=130), Column("Letter", width=160), Column("Language", width=75),
            Column("Client", width=220), Column("To", width=200), Column("Template", width=110),
            Column("By", width=90), Column("Batch", width=150), Column("File", width=260),
        ], parent)
        self.office = office
        self.query = LetterQuery()

    def set_query(self, query: LetterQuery) -> None:
        self.query = query
        self.refresh()

    def _count(self) -> int:
        return int(self.office.letters.count(self.query))

    def _fetch(self, offset: int, limit: int, total: int) -> list[Any]:
        return list(self.office.letters.page(self.query, offset, limit))

    def _display(self, record: LetterRow, column: int) -> str:
        values = (f"{record.created_at:%d %b %Y %H:%M}", record.title, record.language_name, record.client_name,
                  record.recipient, record.version_text, record.created_by, record.batch_id,
                  Path(record.file_path).name)
        return values[column]

    def _decoration(self, record: LetterRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == 8:
            return record.file_path
        return None


class LettersPanel(QWidget):
    open_client_requested = Signal(int)

    def __init__(self, office: Office, parent: QWidget | None = None, tasks: Tasks | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.tasks = tasks or Tasks(self)
        self.model = _LetterLogTableModel(office, self)
        self.table = RecordTable(self.model, "letters", sortable=False)
        self.table.activated.connect(self._on_table_activated)

        self.filter_combo = QComboBox()
        self.filter_combo.addItem("All letters", None)
        for info in office.letters.templates():
            self.filter_combo.addItem(info.title, info.template_id)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_combo_changed)
        self.reminders_button = QPushButton("&Hearing reminders…")
        self.status_button = QPushButton("&Status updates…")
        self.templates_button = QPushButton("&Templates…")
        self.open_button = QPushButton("&Open letter")
        self.client_button = QPushButton("Open &client")
        self.reminders_button.clicked.connect(self._on_reminders_button_clicked)
        self.status_button.clicked.connect(self._on_status_button_clicked)
        self.templates_button.clicked.connect(self._on_templates_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.client_button.clicked.connect(self._on_client_button_clicked)
        self.summary = QLabel()

        header = QHBoxLayout()
        header.addWidget(QLabel("<h2>Letters</h2>"))
        header.addStretch(1)
        header.addWidget(self.reminders_button)
        header.addWidget(self.status_button)
        header.addWidget(self.templates_button)
        tools = QHBoxLayout()
        tools.addWidget(self.filter_combo)
        tools.addWidget(self.summary, 1)
        tools.addWidget(self.open_button)
        tools.addWidget(self.client_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        self.batch_dialog: LetterBatchDialog | None = None
        self.editor: TemplateEditorDialog | None = None
        watch(self, (LETTERS, TEMPLATES), lambda _changes: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self.model.refresh()
        total = self.model.total
        self.summary.setText(f"{total:,} letter{'s' if total != 1 else ''}, newest first")

    def selected(self) -> LetterRow | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def open_batch(self, template_id: str = "hearing-reminder") -> LetterBatchDialog:
        dialog = LetterBatchDialog(self.office, self, self.tasks, template_id=template_id)
        self.batch_dialog = dialog
        dialog.show()
        return dialog

    def open_editor(self) -> TemplateEditorDialog:
        dialog = TemplateEditorDialog(self.office, parent=self)
        self.editor = dialog
        dialog.show()
        return dialog

    # --- slots ---------------------------------------------------------------------------------------------

    def _on_filter_combo_changed(self, _index: int) -> None:
        self.model.set_query(LetterQuery(template_id=self.filter_combo.currentData()))
        self.refresh()

    def _on_reminders_button_clicked(self) -> None:
        self.open_batch("hearing-reminder")

    def _on_status_button_clicked(self) -> None:
        self.open_batch("status-update")

    def _on_templates_button_clicked(self) -> None:
        self.open_editor()

    def _on_table_activated(self, _index: QModelIndex) -> None:
        self._on_open_button_clicked()

    def _on_open_button_clicked(self) -> None:
        letter = self.selected()
        if letter is None:
            return
        if not Path(letter.file_path).is_file():
            QMessageBox.information(self, "Letter file missing",
                                    f"{letter.file_path} is not there any more. Open the client and use "
                                    "“Regenerate” on the Letters tab to print it again from its stored data.")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(letter.file_path))

    def _on_client_button_clicked(self) -> None:
        letter = self.selected()
        if letter is not None:
            self.open_client_requested.emit(letter.client_id)
