"""The shipped assets are found through the one accessor and used by the window."""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from kantor_cases.resources import resource
from kantor_cases.ui.shell.main_window import SCREENS, MainWindow
from kantor_cases.ui.widgets.assets import icon, install_translation


def test_every_screen_has_an_icon_and_the_application_one_renders(qtbot, office):
    window = MainWindow(office)
    qtbot.addWidget(window)
    for row, name in enumerate(SCREENS):
        item = window.navigation.item(row)
        assert item.text() == name
        assert not item.icon().pixmap(24, 24).isNull(), f"no icon for {name}"
    assert not icon("kantor-cases").pixmap(64, 64).isNull()
    window.shutdown()


def test_the_spanish_translation_is_wired(qapp):
    translator = install_translation(qapp, "es")
    assert isinstance(translator, QTranslator) and translator.language() == "es"
    assert translator.filePath().endswith("kantor_cases_es.qm")
    qapp.removeTranslator(translator)
    assert install_translation(qapp, "en") is None
    assert install_translation(qapp, "xx") is None


def test_the_desktop_entry_starts_the_app_with_its_icon():
    entry = resource("kantor-cases.desktop").read_text(encoding="utf-8")
    assert "Exec=kantor-cases" in entry and "Icon=kantor-cases" in entry
    assert resource("icons", "kantor-cases.svg").is_file()
