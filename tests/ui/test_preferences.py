"""What the window remembers: typed settings, the acting user per database, window sizes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from kantor_cases.ui.widgets import preferences
from kantor_cases.ui.widgets.preferences import ACTING_USER, HEARINGS_DAYS, PRIVACY_MODE, SavedLayout, Setting


def test_each_test_remembers_into_its_own_folder(settings_folder: Path):
    assert Path(QSettings().fileName()).is_relative_to(settings_folder)
    assert PRIVACY_MODE.read() is False and HEARINGS_DAYS.read() == 7


def test_a_setting_comes_back_with_its_type():
    PRIVACY_MODE.write(True)
    HEARINGS_DAYS.write(30)
    QSettings().sync()
    assert PRIVACY_MODE.read() is True
    assert HEARINGS_DAYS.read() == 30


def test_a_setting_read_back_from_the_file_has_its_type(settings_folder: Path):
    # Written by an earlier run: the ini file keeps every value as text.
    Path(QSettings().fileName()).parent.mkdir(parents=True, exist_ok=True)
    Path(QSettings().fileName()).write_text("[view]\nprivacy=false\n[hearings]\ndays=14\n", encoding="utf-8")
    assert PRIVACY_MODE.read() is False
    assert HEARINGS_DAYS.read() == 14


def test_a_setting_that_is_not_of_its_type_reads_as_its_default():
    QSettings().setValue("hearings/days", "a fortnight")
    assert HEARINGS_DAYS.read() == 7


def test_the_acting_user_is_remembered_per_database(tmp_path: Path):
    reyes, ortiz = str(tmp_path / "reyes" / "kantor-cases.sqlite3"), str(tmp_path / "ortiz" / "kantor-cases.sqlite3")
    ACTING_USER.write("Ruth Kantor", reyes)
    ACTING_USER.write("Ben Ortiz", ortiz)
    assert ACTING_USER.read(reyes) == "Ruth Kantor"
    assert ACTING_USER.read(ortiz) == "Ben Ortiz"
    assert ACTING_USER.read(str(tmp_path / "new" / "kantor-cases.sqlite3")) == ""


def test_a_server_database_is_the_same_office_whatever_its_password():
    first = preferences.database_key("postgresql+psycopg://kantor:old@db.office.lan:5432/kantor")
    assert first == preferences.database_key("postgresql+psycopg://kantor:new@db.office.lan:5432/kantor")
    assert first != preferences.database_key("postgresql+psycopg://kantor:old@db.office.lan:5432/archive")


def test_a_per_database_setting_cannot_be_read_without_a_database():
    with pytest.raises(ValueError):
        Setting("files/last_folder", str, "", per_database=True).read()


def test_a_window_comes_back_at_the_size_it_was_left(qtbot):
    layout = SavedLayout("test_window/geometry")
    window = QWidget()
    qtbot.addWidget(window)
    assert not layout.restore_geometry(window)
    window.setGeometry(120, 140, 640, 420)
    layout.save_geometry(window)

    again = QWidget()
    qtbot.addWidget(again)
    assert layout.restore_geometry(again)
    assert (again.width(), again.height()) == (640, 420)


def test_a_client_window_opens_at_the_size_it_was_closed_at(qtbot, office, build):
    from kantor_cases.ui.clients.client_window import ClientWindow

    maria, jose = build.client(office, "María", "García"), build.client(office, "José", "Hernández")
    window = ClientWindow(office, maria)
    qtbot.addWidget(window)
    window.show()
    window.resize(720, 530)
    window.close()

    again = ClientWindow(office, jose)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (720, 530)


def test_the_import_dialog_opens_where_the_last_export_went(qtbot, office, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from kantor_cases.ui.clients.clients_panel import ClientsPanel

    started_in: list[str] = []
    exports = tmp_path / "exports"
    exports.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _parent, _title, start, _filter: (started_in.append(start), (str(exports / "all.csv"), ""))[1])
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda _parent, _title, start, _filter: (started_in.append(start), ("", ""))[1])
    panel = ClientsPanel(office)
    qtbot.addWidget(panel)
    panel.export_button.click()
    qtbot.waitUntil(lambda: (exports / "all.csv").exists(), timeout=5000)
    panel.import_button.click()
    assert started_in == [str(preferences.documents_folder() / "clients.csv"), str(exports)]
    assert preferences.last_folder("csv").read(office.locations.database) == str(exports)


def test_file_dialogs_start_in_documents_then_where_that_kind_of_file_went(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from kantor_cases.ui.widgets import file_dialogs

    documents, calendars = tmp_path / "Documents", tmp_path / "calendars"
    documents.mkdir()
    calendars.mkdir()
    monkeypatch.setattr(preferences, "documents_folder", lambda: documents)
    started_in: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _parent, _title, start, _filter: (started_in.append(start),
                                                                 (str(calendars / "office.ics"), ""))[1])
    reyes, ortiz = str(tmp_path / "reyes.sqlite3"), str(tmp_path / "ortiz.sqlite3")
    assert file_dialogs.save_file_name(None, reyes, "calendar", "Export", "k.ics", "*.ics") == calendars / "office.ics"
    file_dialogs.save_file_name(None, reyes, "calendar", "Export", "k.ics", "*.ics")
    file_dialogs.save_file_name(None, reyes, "pdf", "Export", "h.pdf", "*.pdf")
    file_dialogs.save_file_name(None, ortiz, "calendar", "Export", "k.ics", "*.ics")
    assert started_in == [str(documents / "k.ics"), str(calendars / "k.ics"), str(documents / "h.pdf"),
                          str(documents / "k.ics")]


def test_a_remembered_folder_that_is_gone_starts_in_documents(tmp_path, monkeypatch):
    monkeypatch.setattr(preferences, "documents_folder", lambda: tmp_path)
    database = str(tmp_path / "office.sqlite3")
    preferences.remember_folder(database, str(tmp_path / "gone" / "x.csv"), "csv")
    assert preferences.in_last_folder(database, "clients.csv", "csv") == str(tmp_path / "clients.csv")
