"""The Letters tab of a client's or a matter's window: every letter sent, newest first; open one,
print it again from its stored data (and check it is the same letter), or write a new one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from kantor_cases.domain.changes import LETTERS, Changes
from kantor_cases.domain.errors import KantorError
from kantor_cases.domain.letter_records import LetterRow, RegeneratedLetter
from kantor_cases.ui.letters.new_letter_dialog import NewLetterDialog
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.operations import watch
from kantor_cases.ui.widgets.record_table import RecordTable
from kantor_cases.ui.widgets.record_table_model import RecordColumn, RecordTableModel

if TYPE_CHECKING:
    from kantor_cases.services.office import Office


class LettersTab(QWidget):

    def __init__(self, office: Office, client_id: int | None = None, matter_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if client_id is None and matter_id is None:
            raise ValueError("LettersTab needs a client or a matter")
        self.office = office
        self.client_id = client_id
        self.matter_id = matter_id
        self.model = RecordTableModel([
            RecordColumn("Date", lambda r: f"{r.created_at:%d %b %Y %H:%M}", 130, sort_value=lambda r: r.created_at),
            RecordColumn("Letter", lambda r: r.title, 170),
            RecordColumn("Language", lambda r: r.language_name, 80),
            RecordColumn("To", lambda r: r.recipient, 200),
            RecordColumn("Template", lambda r: r.version_text, 110),
            RecordColumn("By", lambda r: r.created_by, 90),
            RecordColumn("File", lambda r: Path(r.file_path).name, 260, tooltip=lambda r: r.file_path),
        ], parent=self)
        self.table = RecordTable(self.model, "letters_tab")
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.new_button = QPushButton("&New letter…")
        self.open_button = QPushButton("&Open")
        self.folder_button = QPushButton("Show in &folder")
        self.regenerate_button = QPushButton("&Regenerate")
        self.regenerate_button.setToolTip("Print the letter again from the data it was made from and check that "
                                          "it is the same letter; a lost file is written back")
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.folder_button.clicked.connect(self._on_folder_button_clicked)
        self.regenerate_button.clicked.connect(self._on_regenerate_button_clicked)
        self.summary = QLabel()
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        for button in (self.open_button, self.folder_button, self.regenerate_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.dialog: NewLetterDialog | None = None
        self.last_regeneration: RegeneratedLetter | None = None
        watch(self, (LETTERS,), self._on_letters_changed)
        self.refresh()

    def refresh(self) -> None:
        letters = self.office.letters.letters_for(client_id=self.client_id if self.matter_id is None else None,
                                                  matter_id=self.matter_id)
        self.model.set_records(letters)
        self.summary.setText(f"{len(letters)} letter{'s' if len(letters) != 1 else ''}")
        self.empty.setVisible(not letters)
        self.empty.setText("No letters yet. “New letter…” writes one: the client's details, the court and the "
                           "hearing are filled in from the records.")
        self._on_table_selection_changed()

    def selected(self) -> LetterRow | None:
        return self.table.current_record()

    def new_letter(self, template_id: str | None = None) -> NewLetterDialog:
        """Open the New letter dialog for this client or matter (not modal: the tab stays usable)."""
        dialog = NewLetterDialog(self.office, client_id=self.client_id, matter_id=self.matter_id,
                                 template_id=template_id, parent=self)
        self.dialog = dialog
        dialog.show()
        return dialog

    def regenerate(self, letter_id: int) -> RegeneratedLetter | None:
        try:
            result = self.office.letters.regenerate(letter_id)
        except KantorError as error:
            show_error(self, error)
            return None
        self.last_regeneration = result
        return result

    @staticmethod
    def describe(result: RegeneratedLetter) -> str:
        same = ("Printed again from its stored data, it is the same letter, byte for byte."
                if result.matches else
                "Printed again from its stored data, it is NOT byte for byte the letter that was logged (the "
                "template or the fonts have changed since). The filed copy was left as it is.")
        file_text = {"ok": "The filed copy is intact.",
                     "missing": "The filed copy was missing" + (" and has been written back." if result.restored
                                                                 else "."),
                     "changed": "The filed copy has been changed since it was printed."}[result.file_state]
        return f"{same}\n\n{file_text}\n\n{result.letter.file_path}"

    # --- slots ---------------------------------------------------------------------------------------------

    def _on_table_selection_changed(self, *_args: object) -> None:
        chosen = self.selected() is not None
        for button in (self.open_button, self.folder_button, self.regenerate_button):
            button.setEnabled(chosen)

    def _on_table_activated(self, _index: QModelIndex) -> None:
        self._on_open_button_clicked()

    def _on_new_button_clicked(self) -> None:
        self.new_letter()

    def _on_letters_changed(self, changes: Changes) -> None:
        if (self.client_id is not None and changes.touches_client(self.client_id)) or \
                (self.matter_id is not None and changes.touches_matter(self.matter_id)):
            self.refresh()

    def _on_open_button_clicked(self) -> None:
        letter = self.selected()
        if letter is None:
            return
        if not Path(letter.file_path).is_file():
            QMessageBox.information(self, "Letter file missing",
                                    f"{letter.file_path} is not there any more. “Regenerate” prints it again from "
                                    "its stored data and writes it back.")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(letter.file_path))

    def _on_folder_button_clicked(self) -> None:
        letter = self.selected()
        if letter is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(letter.file_path).parent)))

    def _on_regenerate_button_clicked(self) -> None:
        letter = self.selected()
        if letter is None:
            return
        result = self.regenerate(letter.id)
        if result is not None:
            box = QMessageBox.information if result.matches else QMessageBox.warning
            box(self, "Letter printed again", self.describe(result))
