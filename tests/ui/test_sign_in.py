"""The locked office as a person meets it: set-up on a new file, sign-in, the idle lock, Encrypt now."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from kantor_cases.db import office_keys
from kantor_cases.db.office_keys import KdfParameters
from kantor_cases.domain.errors import WrongPasswordError
from kantor_cases.domain.records import ClientDraft
from kantor_cases.services import accounts, locations
from kantor_cases.ui.shell import application
from kantor_cases.ui.shell.encrypt_dialog import EncryptDialog
from kantor_cases.ui.shell.main_window import MainWindow
from kantor_cases.ui.shell.set_up_dialog import SetUpDialog
from kantor_cases.ui.shell.sign_in_dialog import SignInDialog
from kantor_cases.ui.widgets.preferences import LOCK_AFTER_MINUTES

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")


@pytest.fixture(autouse=True)
def cheap_key_derivation(monkeypatch):
    # The real parameters take ~0.4 s per derivation by design; these tests derive many keys.
    monkeypatch.setattr(office_keys, "DEFAULT_KDF", KdfParameters(1, 1024, 1))


@pytest.fixture
def place(db_path: Path) -> locations.Locations:
    return locations.resolve(str(db_path))


@pytest.fixture
def encrypted(place):
    made = accounts.set_up_office(place, "Kantor Law", "mk", "Miriam Kantor", PASSWORD)
    accounts.AccountService.for_office(made.office).add("ben", "Ben Ortiz", "staff", "ben's password 123")
    made.office.close()
    return place


def readable_by_plain_sqlite(path: Path) -> bool:
    connection = sqlite3.connect(path)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError:
        return False
    finally:
        connection.close()
    return True


def test_a_first_start_sets_up_an_encrypted_office_and_shows_its_recovery_key_once(qtbot, place, tmp_path):
    dialog = SetUpDialog(place)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.firm_edit.setText("Kantor Law")
    dialog.full_name_edit.setText("Miriam Kantor")
    dialog.user_edit.setText("mk")
    dialog.password_edit.setText(PASSWORD)
    dialog.again_edit.setText("not the same")
    dialog.create_button.click()
    assert "not the same" in dialog.message.text() and not place.database_path.exists()

    dialog.password_edit.setText("short")
    dialog.again_edit.setText("short")
    dialog.create_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert "at least 10 characters" in dialog.message.text() and not place.database_path.exists()

    dialog.password_edit.setText(PASSWORD)
    dialog.again_edit.setText(PASSWORD)
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10_000)
    page = dialog.key_page
    assert len(page.key_label.text().replace(" ", "")) >= 40
    assert not page.go_on_button.isEnabled(), "the office opened before the key was stored"
    dialog.reject()  # Esc on the key page does not leave without the key
    assert dialog.isVisible()

    sheet = tmp_path / "sheet.pdf"
    page.ask_sheet_path = lambda: sheet
    page.sheet_button.click()
    assert sheet.read_bytes().startswith(b"%PDF") and "Saved to" in page.sheet_message.text()
    page.stored_check.setChecked(True)
    page.go_on_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    office = dialog.office
    try:
        assert office.encrypted and office.user == "mk"
        assert office.settings.firm().firm_name == "Kantor Law"
        assert not readable_by_plain_sqlite(place.database_path)
    finally:
        office.close()


def test_a_wrong_password_is_said_and_cleared_and_the_right_one_opens_the_office(qtbot, encrypted):
    from kantor_cases.services import sign_in
    from kantor_cases.services.office import Office

    dialog = SignInDialog(sign_in.office_users(encrypted), "ben",
                          lambda name, password: Office.open(encrypted, name, password=password),
                          intro="Sign in", key_store=None)
    qtbot.addWidget(dialog)
    labels = [dialog.user_combo.itemText(i) for i in range(dialog.user_combo.count())]
    assert labels == ["Ben Ortiz (ben)", "Miriam Kantor (mk)"] and dialog.user() == "ben"
    assert not dialog.remember_check.isVisible()  # no key store on this machine: not offered
    dialog.password_edit.setText("not it at all")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.message.text() == "The password is wrong." and dialog.password() == ""
    assert dialog.signed_in is None

    dialog.password_edit.setText("ben's password 123")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    office = dialog.signed_in
    try:
        assert office.user == "ben" and office.encrypted
    finally:
        office.close()


def test_a_scripted_desk_signs_in_from_the_two_variables_without_the_dialog(qtbot, encrypted, tmp_path,
                                                                           monkeypatch):
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n")
    monkeypatch.setenv("KANTOR_CASES_PASSWORD_FILE", str(secret))
    monkeypatch.setattr(SignInDialog, "exec", lambda self: pytest.fail("the sign-in dialog was shown"))
    office = application.open_office(encrypted, "mk")
    try:
        assert office is not None and office.user == "mk" and office.encrypted
    finally:
        office.close()


def test_without_a_password_file_the_dialog_asks_and_quitting_opens_nothing(qtbot, encrypted, monkeypatch):
    monkeypatch.delenv("KANTOR_CASES_PASSWORD_FILE", raising=False)
    shown = []
    monkeypatch.setattr(SignInDialog, "exec", lambda self: shown.append(self.user()) or QDialog.DialogCode.Rejected)
    assert application.open_office(encrypted, "mk") is None
    assert shown == ["mk"]


def test_a_new_path_starts_with_set_up(qtbot, place, monkeypatch):
    asked = []
    monkeypatch.setattr(SetUpDialog, "exec", lambda self: asked.append(self.locations) or QDialog.DialogCode.Rejected)
    assert application.open_office(place, None) is None
    assert asked == [place] and not place.database_path.exists()


def test_the_window_locks_hides_everything_and_keeps_what_was_typed(qtbot, encrypted, monkeypatch):
    from kantor_cases.services.office import Office

    office = Office.open(encrypted, "mk", password=PASSWORD)
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    assert window.idle_lock is not None and window.lock_action.isEnabled()
    assert window.idle_lock._timer.interval() == LOCK_AFTER_MINUTES.read() * 60_000 == 10 * 60_000
    assert window.encrypt_banner.isHidden()
    client_id = office.clients.create(ClientDraft(given_name="María", family_name="García")).id
    client_window = window.open_client(client_id)
    client_window.form.edits["phone"].setText("(213) 555-0199")  # typed, not saved
    seen = {}

    def at_the_lock():
        dialog = window.idle_lock.dialog
        seen["hidden"] = not window.isVisible() and not client_window.isVisible()
        dialog.user_combo.setCurrentIndex(dialog.user_combo.findData("ben"))
        dialog.password_edit.setText("wrong password!")
        dialog.sign_in_button.click()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
        seen["wrong"] = dialog.message.text()
        dialog.password_edit.setText("ben's password 123")
        dialog.sign_in_button.click()

    QTimer.singleShot(0, at_the_lock)
    window.lock_action.trigger()
    try:
        assert seen["hidden"], "the windows stayed visible while locked"
        assert seen["wrong"] == "The password is wrong."
        assert window.isVisible() and client_window.isVisible()
        assert client_window.form.edits["phone"].text() == "(213) 555-0199"
        assert office.user == "ben" and "User: ben" in window._user_label.text()
        from kantor_cases.services import audit

        def sign_ins():
            return [(e.user_name, e.summary) for e in audit.events(office.database) if e.action == "sign-in"]

        qtbot.waitUntil(lambda: ("mk", "signed in at the window") in sign_ins(), timeout=10_000)
        assert ("ben", "signed in at the locked window") in sign_ins()
    finally:
        client_window.form.edits["phone"].setText("")
        client_window._set_dirty(False)
        window.shutdown()
        office.close()


def test_a_plain_office_shows_the_banner_and_encrypts_after_a_yes(qtbot, office, monkeypatch, tmp_path):
    office.clients.create(ClientDraft(given_name="Aram", family_name="Petrosyan"))
    office.backups.back_up(reason="manual")
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    assert window.encrypt_banner.isVisible() and "not encrypted" in window.encrypt_banner.text()
    assert window.idle_lock is None and not window.lock_action.isEnabled()

    seen = {}

    def in_the_dialog():
        dialog = window.findChild(EncryptDialog)
        dialog.full_name_edit.setText("Ana Ruiz")
        dialog.password_edit.setText(PASSWORD)
        dialog.again_edit.setText(PASSWORD)
        dialog.encrypt_button.click()
        qtbot.waitUntil(lambda: dialog.encrypted is not None or dialog.encrypt_button.isEnabled(), timeout=30_000)
        seen["message"] = dialog.message.text()
        if dialog.encrypted is None:
            dialog.done(0)
            return
        seen["key"] = dialog.key_page.key_label.text()
        seen["offered"] = dialog.delete_plain_button.isVisible()  # the backup from before is plain
        seen["plain"] = list(dialog.encrypted.plain_backups)
        dialog.delete_plain_button.click()
        dialog.key_page.stored_check.setChecked(True)
        dialog.key_page.go_on_button.click()

    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    quit_calls = []
    monkeypatch.setattr(QApplication, "quit", lambda: quit_calls.append(True))
    QTimer.singleShot(0, in_the_dialog)
    window.encrypt_banner.linkActivated.emit("encrypt")  # the person clicks "Encrypt now…"
    assert seen.get("key"), seen.get("message")
    assert seen["offered"] and seen["plain"] and not any(p.exists() for p in seen["plain"])
    assert quit_calls == [True], "Kantor Cases did not close after encrypting"
    path = office.locations.database_path
    assert not readable_by_plain_sqlite(path)
    from kantor_cases.services.office import Office

    reopened = Office.open(office.locations, "Ana", password=PASSWORD)
    try:
        assert reopened.encrypted and reopened.clients.count() == 1
    finally:
        reopened.close()


def test_enter_after_a_wrong_password_tries_again_and_never_quits(qtbot, encrypted):
    from PySide6.QtCore import Qt

    from kantor_cases.services import sign_in
    from kantor_cases.services.office import Office

    dialog = SignInDialog(sign_in.office_users(encrypted), "mk",
                          lambda name, password: Office.open(encrypted, name, password=password),
                          intro="Sign in", key_store=None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password_edit, "not the password")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.text() == "The password is wrong.", timeout=10_000)
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert dialog.result() == QDialog.DialogCode.Accepted, "Enter quit instead of signing in"
    dialog.signed_in.close()


def test_settings_sets_a_users_password_and_the_lock_time(qtbot, encrypted):
    from kantor_cases.services.office import Office

    office = Office.open(encrypted, "mk", password=PASSWORD)
    office.settings.save_user("Luis Reyes", role="staff")  # a user with no password yet
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    panel = window.show_screen("Settings")
    try:
        assert panel.switch_user_button.isVisible() and not panel.acting_combo.isVisible()
        assert panel.password_button.isVisible() and not panel.password_button.isEnabled()
        row = [panel.users_model.record(r).name for r in range(panel.users_model.rowCount())].index("Luis Reyes")
        panel.users_table.clicked.emit(panel.users_model.index(row, 0))
        panel.ask_password = lambda _user: "luis's new password"
        panel.password_button.click()
        qtbot.waitUntil(lambda: "password was set" in panel.users_status.text(), timeout=10_000)
        Office.open(encrypted, "Luis Reyes", password="luis's new password").close()

        panel.lock_minutes.setValue(3)
        assert LOCK_AFTER_MINUTES.read() == 3
        assert window.idle_lock._timer.interval() == 3 * 60_000
        panel.lock_minutes.setValue(0)  # never
        assert not window.idle_lock._timer.isActive()
    finally:
        window.shutdown()
        office.close()


POSTGRES_URL = __import__("os").environ.get("KANTOR_TEST_POSTGRES_URL", "")


@pytest.mark.skipif(not POSTGRES_URL, reason="set KANTOR_TEST_POSTGRES_URL (CI starts a PostgreSQL server)")
def test_a_postgresql_office_with_passwords_asks_them_in_the_window_and_locks(qtbot, monkeypatch):
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "db"))
    from postgres_support import empty_test_schema

    from kantor_cases.services.office import Office

    empty_test_schema(POSTGRES_URL)
    place = locations.resolve(POSTGRES_URL)
    accounts.set_up_office(place, "Kantor Law", "mk", "Miriam Kantor", PASSWORD).office.close()
    monkeypatch.delenv("KANTOR_CASES_PASSWORD_FILE", raising=False)
    asked = []

    def answer(dialog):
        asked.append([dialog.user_combo.itemData(i) for i in range(dialog.user_combo.count())])
        shown = " ".join(label.text() for label in dialog.findChildren(type(dialog.message)))
        assert "Sign in to the office at" in shown and ":kantor@" not in shown  # the URL's password never
        dialog.password_edit.setText(PASSWORD)
        dialog.sign_in_button.click()
        qtbot.waitUntil(lambda: dialog.signed_in is not None, timeout=10_000)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SignInDialog, "exec", answer)
    office = application.open_office(place, None)
    assert asked == [["mk"]] and isinstance(office, Office) and office.user == "mk"
    window = MainWindow(office)
    qtbot.addWidget(window)
    try:
        assert window.idle_lock is not None and window.lock_action.isEnabled()
        assert window.idle_lock._check("mk", PASSWORD) == "mk"
        with pytest.raises(WrongPasswordError):
            window.idle_lock._check("mk", "not the password at all")
    finally:
        window.shutdown()
        office.close()
