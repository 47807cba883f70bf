"""New letter: choose the letter and its language, see what the records fill in and fill in the rest,
look at the letter as it will print (QtPdf) before saving, then Save (filed and logged) or Print.

Opened from a client's or a matter's Letters tab. Everything the office's records hold is filled in
already and can be corrected; what only a person knows (fee terms, documents to bring) is typed
here. A letter with anything required missing is not previewed or saved: the field is named.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kantor_cases.domain.changes import FOLLOW_UPS, HEARINGS, LETTERS, Changes
from kantor_cases.domain.errors import KantorError, ValidationError
from kantor_cases.domain.letter_records import LANGUAGE_NAMES, LetterDetails, LetterPlan
from kantor_cases.domain.validation import parse_date
from kantor_cases.ui.widgets.date_field import parse_time
from kantor_cases.ui.widgets.error_messages import show_error
from kantor_cases.ui.widgets.field_form import FieldForm
from kantor_cases.ui.widgets.operations import announce
from kantor_cases.ui.widgets.pdf_preview import PdfPreview
from kantor_cases.ui.widgets.scrolling import fit_to_screen

if TYPE_CHECKING:
    from kantor_cases.services.office import Office

log = logging.getLogger(__name__)

PREVIEW_DELAY_MS = 600
_YES = {"yes", "y", "true", "1", "sí", "si", "original", "x"}


_WORDS = {"a_number": "A-number", "pd": "PD", "es": "ES"}


def _label(name: str) -> str:
    """'recipient.address' -> 'Recipient: address'; 'client.a_number' -> 'Client: A-number'."""
    group, _, leaf = name.rpartition(".")
    leaf = _WORDS.get(leaf, leaf.replace("_", " "))
    if not group:
        return leaf[:1].upper() + leaf[1:]
    return f"{_WORDS.get(group, group.replace('_', ' ').capitalize())}: {leaf}"


def _show_date(value: Any) -> str:
    try:
        parsed = parse_date(str(value))
    except ValueError:
        return str(value)
    return f"{parsed.month}/{parsed.day}/{parsed.year}"


def _show_time(value: Any) -> str:
    text = str(value)
    try:
        hour, minute = parse_time(text)
    except ValueError:
        return text
    return f"{hour}:{minute:02d}"


def _empty_as_none(value: Any) -> Any:
    """An empty box and an empty list mean the same thing: nothing given."""
    return None if value in (None, "", []) else value


T = TypeVar("T")


class _FieldEditor:
    """One catalog field as a widget, turning what is typed into the value the service expects."""

    def __init__(self, info: Any) -> None:
        self.info = info
        self.widget: QWidget
        if info.kind == "bool":
            combo = QComboBox()
            combo.addItem("—", None)
            combo.addItem("Yes", True)
            combo.addItem("No", False)
            self.widget = combo
        elif info.kind == "choice":
            combo = QComboBox()
            combo.addItem("—", None)
            for choice in info.choices:
                combo.addItem(choice.en, choice.code)
            # Sized to its longest entry, one choice would widen the field column past the form's
            # pane and cut every field off; the list that drops down still shows each entry whole.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            combo.view().setMinimumWidth(max(combo.fontMetrics().horizontalAdvance(combo.itemText(i))
                                             for i in range(combo.count())) + 24)
            self.widget = combo
        elif info.kind in ("multiline", "list"):
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
            if info.kind == "list" and info.items:
                edit.setPlaceholderText("One per line: " + " | ".join(item.name for item in info.items))
            elif info.kind == "list":
                edit.setPlaceholderText("One per line")
            self.widget = edit
        else:
            line = QLineEdit()
            line.setPlaceholderText({"date": "M/D/YYYY", "time": "9:30 or 2:15 pm", "money": "$",
                                     "a_number": "A012-345-678"}.get(info.kind, ""))
            self.widget = line

    @property
    def hint(self) -> str:
        if self.info.kind == "list" and self.info.items:
            return (f"{self.info.description}. One per line, parts separated by “|”: "
                    + " | ".join(item.name for item in self.info.items) + ".")
        return self.info.description

    def connect(self, slot: Any) -> None:
        widget = self.widget
        if isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(slot)
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(slot)
        elif isinstance(widget, QLineEdit):
            widget.textEdited.connect(slot)

    def set_value(self, value: Any) -> None:
        widget = self.widget
        kind = self.info.kind
        if isinstance(widget, QComboBox):
            index = widget.findData(value)
            if index < 0 and value is not None and kind == "choice":
                widget.addItem(str(value), value)
                index = widget.count() - 1
            widget.setCurrentIndex(max(0, index))
        elif isinstance(widget, QPlainTextEdit):
            if kind == "list":
                widget.setPlainText("\n".join(self._item_text(item) for item in value or []))
            else:
                widget.setPlainText("" if value is None else str(value))
        elif isinstance(widget, QLineEdit):
            if value is None:
                widget.setText("")
            elif kind == "date":
                widget.setText(_show_date(value))
            elif kind == "time":
                widget.setText(_show_time(value))
            else:
                widget.setText(str(value))

    def _item_text(self, item: Any) -> str:
        if not self.info.items or not isinstance(item, dict):
            return str(item)
        parts = []
        for sub in self.info.items:
            value = item.get(sub.name)
            if sub.kind == "bool":
                parts.append("yes" if value else "")
            elif sub.kind == "date" and value:
                parts.append(_show_date(value))
            else:
                parts.append("" if value is None else str(value))
        while parts and not parts[-1]:
            parts.pop()
        return " | ".join(parts)

    def value(self) -> Any:
        """What was typed, as the service takes it (None when empty); ValueError in plain words."""
        widget = self.widget
        kind = self.info.kind
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QPlainTextEdit):
            text = widget.toPlainText()
            if kind != "list":
                return text.strip() or None
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            return [self._parse_item(line) for line in lines] or None
        assert isinstance(widget, QLineEdit)
        text = widget.text().strip()
        if not text:
            return None
        if kind == "date":
            return parse_date(text).isoformat()
        if kind == "time":
            hour, minute = parse_time(text)
            return f"{hour:02d}:{minute:02d}"
        return text

    def _parse_item(self, line: str) -> Any:
        if not self.info.items:
            return line
        parts = [part.strip() for part in line.split("|")]
        item: dict[str, Any] = {}
        for sub, text in zip(self.info.items, parts, strict=False):
            if sub.kind == "bool":
                item[sub.name] = text.lower() in _YES
            elif sub.kind == "date" and text:
                item[sub.name] = parse_date(text).isoformat()
            elif text:
                item[sub.name] = text
        return item


class NewLetterDialog(QDialog):
    letter_saved = Signal(int)

    def __init__(self, office: Office, client_id: int | None = None, matter_id: int | None = None,
                 hearing_id: int | None = None, template_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.client_id = client_id
        self.fixed_matter_id = matter_id
        self.hearing_id = hearing_id
        self.plan: LetterPlan | None = None
        self.saved: LetterDetails | None = None
        self.editors: dict[str, _FieldEditor] = {}
        self.setWindowTitle("New letter")
        fit_to_screen(self, 1180, 820)  # a 1,024 x 700 laptop gets all of it on screen

        self.template_combo = QComboBox()
        for info in office.letters.templates():
            self.template_combo.addItem(info.title, info.template_id)
        if template_id is not None:
            self.template_combo.setCurrentIndex(max(0, self.template_combo.findData(template_id)))
        self.matter_combo = QComboBox()
        self.matter_combo.addItem("No matter", None)
        if matter_id is None and client_id is not None:
            for matter in office.matters.for_client(client_id):
                self.matter_combo.addItem(f"{matter.title} (opened {matter.opened_on:%d %b %Y})", matter.id)
            if self.matter_combo.count() > 1:
                self.matter_combo.setCurrentIndex(1)
        self.language_combo = QComboBox()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        choices = QFormLayout()
        choices.addRow("Letter", self.template_combo)
        if matter_id is None and client_id is not None:
            choices.addRow("Matter", self.matter_combo)
        choices.addRow("Language", self.language_combo)

        self.form = FieldForm()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.addWidget(self.form)
        holder_layout.addStretch(1)
        scroll.setWidget(holder)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(choices)
        left_layout.addWidget(self.summary)
        # The attorney's checklist for this letter: advice shown here, never printed in the letter.
        self.checklist = QLabel()
        self.checklist.setWordWrap(True)
        self.checklist.setObjectName("attorneyChecklist")
        self.checklist.hide()
        left_layout.addWidget(self.checklist)
        left_layout.addWidget(scroll, 1)
        self.preview = PdfPreview()
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setSizes([520, 660])

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_button = QPushButton("Pre&view")
        self.save_button = QPushButton("&Save")
        self.save_button.setToolTip("File the letter in the client's documents folder and record it in the letter log")
        self.print_button = QPushButton("&Print…")
        self.print_button.setToolTip("Saves the letter first if it is not saved yet, so every printed letter is logged")
        # An agreement is signed in English and in the client's language together (Civ. Code 1632).
        self.both_button = QPushButton("Print &all languages…")
        self.both_button.setToolTip("Save and log the letter in each language, then print them together for "
                                    "signature; each language needs its own terms")
        self.both_button.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.both_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.template_combo.currentIndexChanged.connect(self._on_template_combo_changed)
        self.matter_combo.currentIndexChanged.connect(self._on_matter_combo_changed)
        self.language_combo.currentIndexChanged.connect(self._on_language_combo_changed)
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.both_button.clicked.connect(self._on_both_button_clicked)
        # Per-language terms typed so far, by language: switching the letter's language keeps them,
        # and the other language starts blank (never a copy of this one).
        self.terms: dict[str, dict[str, Any]] = {}
        self.load_plan()

    # --- what the letter is ----------------------------------------------------------------------------

    @property
    def template_id(self) -> str:
        return str(self.template_combo.currentData())

    @property
    def matter_id(self) -> int | None:
        if self.fixed_matter_id is not None:
            return self.fixed_matter_id
        return self.matter_combo.currentData()

    def _announce_letters(self) -> None:
        # A hearing reminder marks its hearing's reminder sent and closes the reminder follow-up.
        announce(Changes.of(LETTERS, HEARINGS, FOLLOW_UPS, clients=[self.client_id] if self.client_id else [],
                            matters=[self.matter_id] if self.matter_id else []))

    def _where(self) -> dict[str, Any]:
        hearing = self.hearing_id if self.template_id == "hearing-reminder" else None
        return {"client_id": self.client_id, "matter_id": self.matter_id, "hearing_id": hearing}

    def load_plan(self, language: str | None = None) -> None:
        """Ask the records what they fill in for the chosen letter, and lay out its fields."""
        self.timer.stop()
        self.saved = None
        try:
            self.plan = self.office.letters.plan(self.template_id, language=language, **self._where())
        except KantorError as error:
            self.plan = None
            self._build_fields([])
            self.summary.setText("")
            self.checklist.hide()
            self.preview.clear(str(error), error=True)
            self._show_message(str(error), error=True)
            self._enable(False)
            return
        plan = self.plan
        self.language_combo.blockSignals(True)
        self.language_combo.clear()
        for code in plan.languages:
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        self.language_combo.setCurrentIndex(self.language_combo.findData(plan.language))
        self.language_combo.blockSignals(False)
        self._build_fields(self.office.letters.fields(self.template_id))
        self.both_button.setVisible(len(plan.languages) > 1
                                    and any(editor.info.per_language for editor in self.editors.values()))
        filled = sum(1 for name in self.editors if name in plan.fields)
        needs = len(plan.missing) + len(plan.problems)
        self.summary.setText(
            f"{escape(plan.title)} for <b>{escape(plan.client_name)}</b> in {LANGUAGE_NAMES[plan.language]}. "
            f"{filled} field{'s' if filled != 1 else ''} filled in from the records"
            + (f"; <b>{needs} still needed</b> (marked)." if needs else "."))
        checklist = self.office.letters.attorney_checklist(self.template_id, plan.matter_id)
        self.checklist.setText("<b>Attorney's checklist (not printed):</b><ul>"
                               + "".join(f"<li>{escape(item)}</li>" for item in checklist) + "</ul>")
        self.checklist.setVisible(bool(checklist))
        problems = dict(plan.problems)
        problems.update({name: "Fill this in: the letter cannot be printed without it." for name in plan.missing})
        if problems:
            self.form.show_errors(problems)
        self._enable(True)
        self._show_message("")
        self.refresh_preview()

    def _build_fields(self, infos: Sequence[Any]) -> None:
        while self.form.form.rowCount():
            self.form.form.removeRow(0)
        self.form.fields.clear()
        self.form.errors.clear()
        self.form.clear_errors()
        self.editors = {}
        plan = self.plan
        for info in infos:
            editor = _FieldEditor(info)
            # The description is a tooltip, not a line under the field: wrapped labels in a form in a
            # scroll area get squeezed onto the fields below them.
            editor.widget.setToolTip(editor.hint)
            self.form.add(info.name, _label(info.name) + (" *" if info.required else ""), editor.widget)
            if plan is not None and info.name in plan.fields:
                editor.set_value(plan.fields[info.name])
            editor.connect(self._on_field_edited)
            self.editors[info.name] = editor

    def overrides(self) -> dict[str, Any]:
        """What the person typed or changed, by field; ValidationError naming a field typed wrongly."""
        plan = self.plan
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, editor in self.editors.items():
            try:
                value = editor.value()
            except ValueError as error:
                errors[name] = str(error)
                continue
            recorded = _empty_as_none(plan.fields.get(name) if plan else None)
            value = _empty_as_none(value)
            if value == recorded or (editor.info.kind == "time" and _show_time(recorded) == _show_time(value)):
                continue
            if editor.info.per_language and plan is not None:
                values[f"{name}:{plan.language}"] = value  # the terms are in the letter's language
            else:
                values[name] = value
        if errors:
            raise ValidationError(errors, message="Some fields are not written in a form the letter can use.")
        if plan is not None:
            for language, terms in self.terms.items():
                if language != plan.language:
                    values.update({f"{name}:{language}": value for name, value in terms.items()
                                   if value is not None})
        return values

    def _keep_terms(self) -> None:
        """Remember the per-language terms typed for the letter's current language."""
        if self.plan is None:
            return
        kept = self.terms.setdefault(self.plan.language, {})
        for name, editor in self.editors.items():
            if editor.info.per_language:
                try:
                    kept[name] = _empty_as_none(editor.value())
                except ValueError:
                    continue

    # --- preview, save, print -----------------------------------------------------------------------------

    def refresh_preview(self) -> bool:
        """Render the letter as it stands into the preview; False (with the reason shown) if it cannot."""
        self.timer.stop()
        if self.plan is None:
            return False
        try:
            pdf = self.office.letters.preview(self.template_id, language=self.plan.language,
                                              fields=self.overrides(), **self._where())
        except ValidationError as error:
            self.preview.clear("No preview: the letter cannot be printed as it stands (see below).", error=True)
            self.form.show_errors(error.fields)
            self._show_message(str(error), error=True)
            return False
        except KantorError as error:
            self.preview.clear(str(error), error=True)
            self._show_message(str(error), error=True)
            return False
        self.form.clear_errors()
        self.preview.set_pdf(pdf)
        self._show_message("")
        return True

    def save(self) -> LetterDetails | None:
        if self.plan is None:
            return None
        letter = self._refused_or(lambda: self.office.letters.generate(
            self.template_id, language=self.plan.language if self.plan else None, fields=self.overrides(),
            **self._where()))
        if letter is None:
            return None
        self.saved = letter
        self.save_button.setEnabled(False)
        self._show_message(f"Saved and logged: {letter.file_path}")
        self._announce_letters()
        self.letter_saved.emit(letter.id)
        return letter

    def print_to(self, printer: QPrinter) -> int:
        """Save the letter if it is not saved yet, then print the saved letter; return pages printed."""
        letter = self.saved or self.save()
        if letter is None:
            return 0
        with open(letter.file_path, "rb") as handle:
            self.preview.set_pdf(handle.read())
        pages = self.preview.print_to(printer)
        self._show_message(f"Printed {pages} page{'s' if pages != 1 else ''}; saved as {letter.file_path}")
        return pages

    def save_all_languages(self) -> tuple[list[LetterDetails], bytes] | None:
        """Save and log the letter in every language it has, for printing together; None if refused."""
        if self.plan is None:
            return None
        generated = self._refused_or(lambda: self.office.letters.generate_together(
            self.template_id, fields=self.overrides(), **self._where()))
        if generated is None:
            return None
        letters, combined = generated
        self._announce_letters()
        for letter in letters:
            self.letter_saved.emit(letter.id)
        self._show_message("Saved and logged: " + "; ".join(letter.file_path for letter in letters))
        return letters, combined

    def _refused_or(self, generate: Callable[[], T]) -> T | None:
        """`generate()`'s letter(s); None when refused, with the fields' problems shown beside them."""
        try:
            return generate()
        except ValidationError as error:
            self.form.show_errors(error.fields)
            self._show_message(str(error), error=True)
        except (KantorError, OSError) as error:
            show_error(self, error)
        return None

    def _enable(self, on: bool) -> None:
        for button in (self.preview_button, self.save_button, self.print_button, self.both_button):
            button.setEnabled(on)

    def _show_message(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(text)

    # --- slots -------------------------------------------------------------------------------------------------

    def _on_template_combo_changed(self, _index: int) -> None:
        self.terms.clear()
        self.load_plan()

    def _on_matter_combo_changed(self, _index: int) -> None:
        self.load_plan()

    def _on_language_combo_changed(self, _index: int) -> None:
        language = self.language_combo.currentData()
        if language and self.plan is not None and language != self.plan.language:
            self._keep_terms()
            self.load_plan(language)
            for name, value in self.terms.get(language, {}).items():
                if name in self.editors and value is not None:
                    self.editors[name].set_value(value)
            if self.terms.get(language):
                self.refresh_preview()

    def _on_field_edited(self, *_args: object) -> None:
        if self.saved is not None:
            self.saved = None
        self.save_button.setEnabled(self.plan is not None)
        self.timer.start()

    def _on_timer_timeout(self) -> None:
        self.refresh_preview()

    def _on_preview_button_clicked(self) -> None:
        self.refresh_preview()

    def _on_save_button_clicked(self) -> None:
        if self.refresh_preview():
            self.save()

    def _on_both_button_clicked(self) -> None:
        saved = self.save_all_languages()
        if saved is None:
            return
        _letters, combined = saved
        self.preview.set_pdf(combined)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print all languages for signature")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            pages = self.preview.print_to(printer)
        except OSError as error:
            show_error(self, error)
            return
        self._show_message(f"Printed {pages} page{'s' if pages != 1 else ''} in all languages.")

    def _on_print_button_clicked(self) -> None:
        if self.saved is None and not self.refresh_preview():
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print letter")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.print_to(printer)
        except OSError as error:
            show_error(self, error)
