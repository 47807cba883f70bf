"""Who is at this desk is remembered per office (issue 15 point 10): opening another database asks
for its own people instead of acting as the last office's user."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from kantor_cases.services import locations
from kantor_cases.services.office import Office
from kantor_cases.ui.shell import application
from kantor_cases.ui.shell.acting_user_dialog import ActingUserDialog


def _office_with(path, *people):
    office = Office.open(locations.resolve(str(path)), "admin")
    for name in people:
        office.settings.save_user(name, role="attorney")
    office.close()
    return locations.resolve(str(path))


def test_opening_another_office_asks_for_its_own_user(qtbot, tmp_path, monkeypatch):
    reyes = _office_with(tmp_path / "reyes" / "kantor-cases.sqlite3", "Ruth Kantor")
    ortiz = _office_with(tmp_path / "ortiz" / "kantor-cases.sqlite3", "Ben Ortiz")
    asked: list[list[str]] = []

    def answer(dialog):
        names = [dialog.combo.itemText(i) for i in range(dialog.combo.count())]
        asked.append(names)
        dialog.combo.setCurrentText("Ruth Kantor" if "Ruth Kantor" in names else "Ben Ortiz")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ActingUserDialog, "exec", answer)
    first = application.open_office(reyes, None)
    assert first is not None and first.user == "Ruth Kantor"
    first.close()
    second = application.open_office(ortiz, None)
    assert second is not None and second.user == "Ben Ortiz" and len(asked) == 2
    second.close()
    again = application.open_office(reyes, None)
    assert again is not None and again.user == "Ruth Kantor" and len(asked) == 2  # remembered for Reyes
    again.close()
