"""The main window on a 1,024 × 700 laptop: every screen fits without pushing the window wider; and
its Help menu (every shortcut, read from the window; About with version, database and licences)."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtWidgets import QApplication

from kantor_cases.ui.shell.help import AboutDialog, ShortcutsDialog
from kantor_cases.ui.shell.main_window import SCREENS, MainWindow
from kantor_cases.ui.widgets.scrolling import screen_of

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def make_window(qtbot, office) -> MainWindow:
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.busy, timeout=5000)
    return window


def test_every_screen_fits_a_1024_by_700_window(qtbot, small_office, monkeypatch):
    from kantor_cases.domain import statuses as st

    office, _ids = small_office
    # A busy office: a tile for every PD status, each with a four-digit count.
    monkeypatch.setattr(office.pd_requests, "pd_status_counts", lambda: dict.fromkeys(st.PD_STATUS_LABELS, 1234))
    window = make_window(qtbot, office)
    window.resize(1024, 700)
    for name in SCREENS:
        if window.navigation.item(SCREENS.index(name)).isHidden():
            continue
        window.show_screen(name)
        qtbot.wait(50)  # the screen's first load, and the layout after it
        QApplication.processEvents()
        assert window.minimumSizeHint().width() <= 1024, name
        assert window.minimumSizeHint().height() <= 700, name
        assert (window.width(), window.height()) == (1024, 700), name
        # Nothing is cut off and nothing needs a sideways scroll: the screen fits as it is.
        holder = window.stack.currentWidget()
        assert not holder.horizontalScrollBar().isVisible(), (name, holder.widget().minimumSizeHint(), holder.viewport().size())


def test_a_long_database_path_does_not_widen_the_window(qtbot, tmp_path):
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    deep = tmp_path.joinpath(*["a-rather-long-folder-name"] * 12) / "kantor-cases.sqlite3"
    office = Office.open(locations.resolve(str(deep)), "Ana")
    try:
        window = make_window(qtbot, office)
        assert window.minimumSizeHint().width() <= 1024
        assert str(deep) in window._database_label.toolTip()
    finally:
        window.close()
        office.close()


def test_f1_lists_the_shortcuts_the_window_really_has(qtbot, office):
    window = make_window(qtbot, office)
    window.shortcuts_action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ShortcutsDialog) and w.isVisible())
    listed = {(s.keys, s.what) for s in dialog.shortcuts}
    assert ("Ctrl+N", "New client") in listed
    assert ("Ctrl+K", "Search") in listed
    assert ("F1", "Keyboard shortcuts") in listed
    assert ("S", "Snooze") in {(s.keys, s.what) for s in dialog.shortcuts if s.where == "Today screen"}
    # Read from the window, not written out: a shortcut the window gains is listed at once.
    window.back_up_action.setShortcut("Ctrl+Alt+B")
    dialog.close()
    window.shortcuts_action.trigger()
    latest = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ShortcutsDialog) and w.isVisible())
    assert ("Ctrl+Alt+B", "Back up now") in {(s.keys, s.what) for s in latest.shortcuts}
    assert all(s.what for s in latest.shortcuts)
    assert dialog.table.rowCount() == len(dialog.shortcuts)


def test_f1_says_what_every_screens_shortcut_does_before_anything_has_run(qtbot, office):
    from kantor_cases.ui.shell.help import shortcuts_of

    window = make_window(qtbot, office)
    for name in SCREENS:
        window.panel(name)
    unexplained = [(s.where, s.keys) for s in shortcuts_of(window) if s.what == "(see the screen)"]
    assert unexplained == []


def test_about_names_the_version_the_database_and_the_licences(qtbot, office):
    import kantor_cases

    window = make_window(qtbot, office)
    dialog = window.show_about()
    assert isinstance(dialog, AboutDialog)
    text = dialog.text.text()
    assert kantor_cases.__version__ in text
    assert office.database.location in text
    for licence in ("LGPL", "BSD", "MIT", "Apache-2.0", "Bitstream Vera"):
        assert licence in text


def test_the_pd_request_at_1000_by_660_has_one_set_of_scroll_bars_and_whole_labels(qtbot, small_office):
    from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel

    from kantor_cases.domain.records import PdRequestDraft
    from kantor_cases.ui.matters.matter_window import MatterWindow
    from kantor_cases.ui.widgets.checklist import Checklist

    office, ids = small_office
    request = office.pd_requests.create_pd_request(ids["maria_matter"], PdRequestDraft(
        regime="doyle-2022", action_requested="dismissal"))
    office.pd_requests.change_pd_status(request.id, "submitted", "", request.version)
    window = MatterWindow(office, ids["maria_matter"])
    qtbot.addWidget(window)
    window.show()
    window.resize(1000, 660)
    for index in range(window.tabs.count()):
        if window.tabs.widget(index).isAncestorOf(window.pd_editor):
            window.tabs.setCurrentIndex(index)
    qtbot.wait(50)
    assert (window.width(), window.height()) == (1000, 660)
    editor = window.pd_editor
    assert editor.isVisible()
    sideways = [area for area in editor.findChildren(QAbstractScrollArea)
                if area.isVisible() and area.horizontalScrollBar().isVisible()]
    assert sideways == [], "a second, sideways set of scroll bars"
    for widget in editor.findChildren(QLabel) + editor.findChildren(QAbstractButton):
        if widget.isVisible() and widget.text() and not (isinstance(widget, QLabel) and widget.wordWrap()):
            assert widget.width() >= widget.minimumSizeHint().width(), f"cut off: {widget.text()!r}"
    for checklist in editor.findChildren(Checklist):
        assert checklist.sizeHintForColumn(0) <= checklist.viewport().width(), "a factor's label is cut off"


def test_a_form_dialog_fits_the_screen_and_scrolls_when_it_is_short(qtbot, small_office):
    from kantor_cases.ui.matters.new_matter_dialog import NewMatterDialog
    from kantor_cases.ui.widgets.scrolling import FormScroll

    office, ids = small_office
    dialog = NewMatterDialog(office, ids["olga"])
    qtbot.addWidget(dialog)
    dialog.resize(620, 5000)  # taller than any screen
    dialog.show()
    room = screen_of(dialog).availableGeometry()
    assert dialog.height() <= room.height() and dialog.width() <= room.width()
    # A laptop with 300 px to spare: the form scrolls, it is not squeezed or cut off.
    dialog.resize(620, 300)
    qtbot.wait(20)
    assert dialog.height() == 300
    scroll = dialog.findChild(FormScroll)
    assert scroll is not None and scroll.verticalScrollBar().isVisible()
    assert not scroll.horizontalScrollBar().isVisible()
    assert scroll.widget().height() >= scroll.widget().minimumSizeHint().height()


def test_the_letter_dialogs_open_no_bigger_than_the_screen(qtbot, small_office):
    from kantor_cases.ui.letters.new_letter_dialog import NewLetterDialog
    from kantor_cases.ui.letters.template_editor_dialog import TemplateEditorDialog

    office, ids = small_office
    for dialog in (NewLetterDialog(office, matter_id=ids["maria_matter"], template_id="hearing-reminder"),
                   TemplateEditorDialog(office, "hearing-reminder", "en")):
        qtbot.addWidget(dialog)
        dialog.show()
        room = screen_of(dialog).availableGeometry()  # 800 x 800 on the test platform
        smallest = dialog.minimumSizeHint()
        assert smallest.width() <= 1024 and smallest.height() <= 700, type(dialog).__name__
        assert dialog.width() <= max(room.width(), smallest.width()), type(dialog).__name__
        assert dialog.height() <= max(room.height(), smallest.height()), type(dialog).__name__


def test_the_main_and_record_windows_open_within_the_screen(qtbot, small_office):
    office, ids = small_office
    window = make_window(qtbot, office)
    room = screen_of(window).availableGeometry()  # 800 x 800 on the test platform
    for opened in (window, window.open_client(ids["maria"]), window.open_matter(ids["maria_matter"])):
        assert opened is not None
        smallest = opened.minimumSizeHint()
        assert smallest.width() <= 1024 and smallest.height() <= 700, type(opened).__name__
        assert opened.width() <= max(room.width(), smallest.width()), type(opened).__name__
        assert opened.height() <= max(room.height(), smallest.height()), type(opened).__name__


def test_client_windows_freed_with_their_cycles_leave_the_screen_alone(qtbot, office, build):
    """PySide makes the QScreen a widget asks for (`widget.screen()`) that widget's child; freeing the
    windows as part of a cycle then deleted the screen itself, and the next window crashed."""
    from PySide6.QtGui import QGuiApplication

    from kantor_cases.ui.clients.client_window import ClientWindow
    from kantor_cases.ui.clients.clients_panel import ClientsPanel

    screens = len(QGuiApplication.screens())
    maria, jose = build.client(office, "María", "García"), build.client(office, "José", "Hernández")
    window = ClientWindow(office, maria)
    window.show()
    qtbot.waitExposed(window)
    window.close()
    again = ClientWindow(office, jose)
    del window, again
    gc.collect()  # on the GUI thread, as the window's collector does (ui/shell/collector.py)
    assert len(QGuiApplication.screens()) == screens
    panel = ClientsPanel(office)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.isVisible()
