"""The Deadlines screen (being built: the shell's place for it is wired first)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kantor_cases.services.office import Office


class DeadlinesPanel(QWidget):
    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Deadlines"))
