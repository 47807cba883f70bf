"""Start-up: who is at this desk is asked once when nobody was named, and remembered."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from kantor_cases.ui.shell import application
from kantor_cases.ui.shell.acting_user_dialog import ActingUserDialog
from kantor_cases.ui.widgets.preferences import ACTING_USER


def test_the_chosen_acting_user_is_used_and_remembered(qtbot, office, monkeypatch):
    office.settings.save_user("Ruth Kantor", role="attorney")
    office.settings.save_user("Ben Ortiz", role="staff")
    offered = []

    def answer(dialog):
        offered.extend(dialog.combo.itemText(i) for i in range(dialog.combo.count()))
        dialog.combo.setCurrentText("Ruth Kantor")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ActingUserDialog, "exec", answer)
    assert application.choose_acting_user(office)
    assert offered == ["Ana", "Ben Ortiz", "Ruth Kantor"]  # Ana added the first user: the administrator
    assert office.user == "Ruth Kantor"
    assert ACTING_USER.read(office.locations.database) == "Ruth Kantor"


def test_cancelling_the_choice_does_not_open_the_window(qtbot, office, monkeypatch):
    office.settings.save_user("Ruth Kantor", role="attorney")
    monkeypatch.setattr(ActingUserDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert not application.choose_acting_user(office)
    assert office.user == "Ana"


def test_a_first_start_with_no_users_asks_nobody(qtbot, office, monkeypatch):
    monkeypatch.setattr(ActingUserDialog, "exec", lambda dialog: (_ for _ in ()).throw(AssertionError("asked")))
    assert application.choose_acting_user(office)


def test_a_file_that_is_not_a_database_is_refused_in_a_dialog_and_left_as_it_was(qtbot, tmp_path, monkeypatch):
    import sys

    from PySide6.QtWidgets import QMessageBox

    from kantor_cases.services import locations

    path = tmp_path / "notes.sqlite3"
    path.write_text("minutes of the staff meeting")
    said = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, title, text, *a: said.append((title, text)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own; put it back after
    assert application.run(locations.resolve(str(path)), "Ana") == 2
    assert said and str(path) in said[0][1] and "not a Kantor Cases database" in said[0][1]
    assert path.read_text() == "minutes of the staff meeting"
