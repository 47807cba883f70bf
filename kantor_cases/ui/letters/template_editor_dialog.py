"""The template editor: the attorney edits the office's copy of a built-in letter, with the list of
fields it may use, a live preview filled with sample data, and the history of saved versions.

Saving is refused, with the field or line named, when the text names a field the letter does not
have or cannot be filled; each save is a new version, and "Back to built-in" stops using the
office's copies (they stay in the history and can be loaded again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.domain.letter_records import LANGUAGE_NAMES, TemplateVersion
from kantor_cases.services.letters import FIRM_LANGUAGES, PARAGRAPH_TEMPLATES
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.pdf_preview import PdfPreview
from kantor_cases.ui.widgets.roles import allow
from kantor_cases.ui.widgets.scrolling import fit_to_screen

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

PREVIEW_DELAY_MS = 500
ERROR_STYLE = "color: #b00020;"


class TemplateEditorDialog(QDialog):
    template_saved = Signal(str, str, int)  # template id, language, version

    def __init__(self, office: Office, template_id: str = "hearing-reminder", language: str = "en",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.version = 0
        self._loaded_source = ""
        self._current = (template_id, language)
        self.history: list[TemplateVersion] = []
        self.setWindowTitle("Letter templates")
        fit_to_screen(self, 1320, 860)  # a 1,024 x 700 laptop gets all of it on screen

        self.template_combo = QComboBox()
        for info in office.letters.templates():
            self.template_combo.addItem(info.title, info.template_id)
        self.template_combo.setCurrentIndex(max(0, self.template_combo.findData(template_id)))
        self.language_combo = QComboBox()
        self.version_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("Letter"))
        top.addWidget(self.template_combo)
        top.addWidget(QLabel("Language"))
        top.addWidget(self.language_combo)
        top.addWidget(self.version_label, 1)

        self.fields = QTreeWidget()
        self.fields.setHeaderLabels(["Field", "What it is"])
        self.fields.setRootIsDecorated(False)
        self.fields.setColumnWidth(0, 190)
        self.fields.itemActivated.connect(self._on_fields_item_activated)
        fields_hint = QLabel("Double-click a field to insert it. <b>Bold</b> fields are required.")
        fields_hint.setWordWrap(True)
        fields_box = QWidget()
        fields_layout = QVBoxLayout(fields_box)
        fields_layout.setContentsMargins(0, 0, 0, 0)
        fields_layout.addWidget(fields_hint)
        fields_layout.addWidget(self.fields, 1)

        self.editor = QPlainTextEdit()
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.editor.setFont(font)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        editor_box = QWidget()
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self.editor, 1)
        editor_layout.addWidget(self.status)
        # The office's own paragraph (what to expect at the courthouse …), one per language; it prints
        # as written, never as template markup, and survives template updates.
        self.paragraph_box = QWidget()
        paragraph_layout = QVBoxLayout(self.paragraph_box)
        paragraph_layout.setContentsMargins(0, 0, 0, 0)
        paragraph_layout.addWidget(QLabel("The office's standing paragraph in this language (printed in every "
                                          "letter of this kind; blank: none)"))
        self.paragraph_edit = QPlainTextEdit()
        self.paragraph_edit.setMaximumHeight(80)
        self.paragraph_button = QPushButton("Save &paragraph")
        paragraph_layout.addWidget(self.paragraph_edit)
        paragraph_layout.addWidget(self.paragraph_button, 0, Qt.AlignmentFlag.AlignRight)
        editor_layout.addWidget(self.paragraph_box)

        self.preview = PdfPreview()
        self.history_list = QListWidget()
        self.history_list.setMaximumHeight(150)
        self.load_version_button = QPushButton("&Load this version into the editor")
        self.load_version_button.setEnabled(False)
        self.history_list.currentRowChanged.connect(self._on_history_list_row_changed)
        self.load_version_button.clicked.connect(self._on_load_version_button_clicked)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("Preview with sample data"))
        right_layout.addWidget(self.preview, 1)
        right_layout.addWidget(QLabel("Saved versions"))
        right_layout.addWidget(self.history_list)
        right_layout.addWidget(self.load_version_button)

        splitter = QSplitter()
        splitter.addWidget(fields_box)
        splitter.addWidget(editor_box)
        splitter.addWidget(right)
        splitter.setSizes([300, 520, 500])

        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("What changed (kept with the version)")
        self.save_button = QPushButton("&Save as a new version")
        self.revert_button = QPushButton("&Back to built-in")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.note_edit, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.revert_button)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.paragraph_button.clicked.connect(self._on_paragraph_button_clicked)
        self.revert_button.clicked.connect(self._on_revert_button_clicked)
        self.template_combo.currentIndexChanged.connect(self._on_template_combo_changed)
        self.language_combo.currentIndexChanged.connect(self._on_language_combo_changed)
        self._fill_languages(language)
        self.load()

    # --- loading -----------------------------------------------------------------------------------------

    @property
    def template_id(self) -> str:
        return str(self.template_combo.currentData())

    @property
    def language(self) -> str:
        return str(self.language_combo.currentData())

    @property
    def modified(self) -> bool:
        return self.editor.toPlainText() != self._loaded_source

    def _fill_languages(self, wanted: str | None = None) -> None:
        info = next(t for t in self.office.letters.templates() if t.template_id == self.template_id)
        self.language_combo.blockSignals(True)
        self.language_combo.clear()
        for code in info.languages:
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        # The firm may add its own version in another language Civ. Code 1632 names; it starts as
        # the English text to translate, and letters can use it once it is saved.
        for code in FIRM_LANGUAGES:
            if code not in info.languages:
                self.language_combo.addItem(f"{LANGUAGE_NAMES[code]} (add a version)", code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(wanted)))
        self.language_combo.blockSignals(False)

    def load(self) -> None:
        """Show the text letters print with now, its fields and its saved versions."""
        source, self.version = self.office.letters.template_source(self.template_id, self.language)
        self._current = (self.template_id, self.language)
        self.editor.blockSignals(True)
        self.editor.setPlainText(source)
        self.editor.blockSignals(False)
        # As the editor holds it (it may differ from `source` in line endings): what "modified" means.
        self._loaded_source = self.editor.toPlainText()
        self.version_label.setText("Printing with the built-in text" if self.version == 0
                                   else f"Printing with the office's version {self.version}")
        has_paragraph = self.template_id in PARAGRAPH_TEMPLATES
        self.paragraph_box.setVisible(has_paragraph)
        self.paragraph_edit.setPlainText(
            self.office.letters.standing_paragraph(self.template_id, self.language) if has_paragraph else "")
        self.fields.clear()
        for info in self.office.letters.catalog(self.template_id):
            item = QTreeWidgetItem([info.name, info.description
                                    + (" (filled in by Kantor Cases)" if info.source != "fields" else "")])
            item.setData(0, Qt.ItemDataRole.UserRole, info.name)
            item.setToolTip(1, info.description)
            if info.required:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            self.fields.addTopLevelItem(item)
        self.history = self.office.letters.template_history(self.template_id, self.language)
        self.history_list.clear()
        for version in self.history:
            self.history_list.addItem(QListWidgetItem(
                f"v{version.version} — {version.created_by}, {version.created_at:%d %b %Y %H:%M}"
                + (f" — {version.note}" if version.note else "") + (" (in use)" if version.active else "")))
        # Everyone may read the templates; saving them is for the roles that may edit them.
        role = self.office.role()
        allow(self.save_button, role, "templates.edit")
        allow(self.paragraph_button, role, "templates.edit")
        allow(self.revert_button, role, "templates.edit", usable=self.version != 0,
              tip="Print with the text that ships with Kantor Cases; the office's versions stay in the history")
        self.refresh_preview()

    def _leave_edits(self) -> bool:
        """True when there are no unsaved edits, or the user agrees to drop them."""
        if not self.modified:
            return True
        answer = QMessageBox.question(self, "Unsaved changes",
                                      "The template has changes that are not saved. Drop them?")
        return answer == QMessageBox.StandardButton.Yes

    # --- preview and saving --------------------------------------------------------------------------------

    def refresh_preview(self) -> bool:
        self.timer.stop()
        try:
            pdf = self.office.letters.preview_template(self.template_id, self.language, self.editor.toPlainText())
        except ValidationError as error:
            self._show_status(f"Cannot print: {error}", error=True)
            self.preview.clear("The preview shows again when the template can be printed.", error=True)
            return False
        pages = self.preview.set_pdf(pdf)
        self._show_status(f"The template prints ({pages} page{'s' if pages != 1 else ''} with the sample data)."
                          + (" Not saved yet." if self.modified else ""))
        return True

    def save(self) -> TemplateVersion | None:
        try:
            saved = self.office.letters.save_template(self.template_id, self.language, self.editor.toPlainText(),
                                                      self.note_edit.text())
        except ValidationError as error:
            self._show_status(str(error), error=True)
            return None
        except KantorError as error:
            show_error(self, error)
            return None
        self.note_edit.clear()
        self.load()
        self._show_status(f"Saved as version {saved.version}; new letters print with it.")
        self.template_saved.emit(saved.template_id, saved.language, saved.version)
        return saved

    def revert(self) -> None:
        try:
            self.office.letters.revert_template(self.template_id, self.language)
        except KantorError as error:
            show_error(self, error)
            return
        self.load()
        self._show_status("New letters print with the built-in text again; the office's versions are kept below.")

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)

    # --- slots -----------------------------------------------------------------------------------------------

    def _on_editor_text_changed(self) -> None:
        self.timer.start()

    def _on_timer_timeout(self) -> None:
        self.refresh_preview()

    def _on_save_button_clicked(self) -> None:
        self.save()

    def _on_revert_button_clicked(self) -> None:
        if self._leave_edits():
            self.revert()

    def _on_template_combo_changed(self, _index: int) -> None:
        if not self._leave_edits():
            self._show_current()
            return
        self._fill_languages(self.language)
        self.load()

    def _on_paragraph_button_clicked(self) -> None:
        try:
            self.office.letters.set_standing_paragraph(self.template_id, self.language,
                                                       self.paragraph_edit.toPlainText())
        except KantorError as error:
            show_error(self, error)
            return
        self.status.setStyleSheet("")
        self.status.setText("The standing paragraph is saved; letters print it from now on.")

    def _on_language_combo_changed(self, _index: int) -> None:
        if not self._leave_edits():
            self._show_current()
            return
        self.load()

    def _show_current(self) -> None:
        """Put the choosers back on the template being edited (the user kept their edits)."""
        template_id, language = self._current
        for combo, value in ((self.template_combo, template_id), (self.language_combo, language)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)

    def _on_fields_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        name = item.data(0, Qt.ItemDataRole.UserRole)
        cursor = self.editor.textCursor()
        cursor.insertText(f"{{{{ {name} }}}}")
        self.editor.setTextCursor(cursor)
        self.editor.moveCursor(QTextCursor.MoveOperation.NoMove)
        self.editor.setFocus()

    def _on_history_list_row_changed(self, row: int) -> None:
        self.load_version_button.setEnabled(0 <= row < len(self.history))

    def _on_load_version_button_clicked(self) -> None:
        row = self.history_list.currentRow()
        if 0 <= row < len(self.history):
            self.editor.setPlainText(self.history[row].source)
            self._show_status(f"Version {self.history[row].version} loaded; save it to print with it again.")
