"""Who is at this desk: asked once at start-up when no user was given or remembered, so every
change in the audit trail carries a real name. The choice is remembered for this database (preferences.ACTING_USER).
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


class ActingUserDialog(QDialog):
    def __init__(self, names: list[str], current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kantor Cases — who is working?")
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.addItems(names)
        if current:
            self.combo.setCurrentText(current)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Choose your name. Every change you make is recorded under it.\n"
                                "You can change it later in Settings."))
        layout.addWidget(self.combo)
        layout.addWidget(buttons)

    def chosen(self) -> str:
        return self.combo.currentText().strip()
