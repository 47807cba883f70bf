"""The History tabs of the client and matter windows and the office-wide Audit screen (issue 13 item 4)."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader
from sqlalchemy import insert

from kantor_cases.db.models import AuditEvent
from kantor_cases.services.history import HistoryFilter
from kantor_cases.services.office import Office
from kantor_cases.ui.history.audit_panel import AuditPanel
from kantor_cases.ui.history.history_view import HistoryView
from kantor_cases.ui.shell.main_window import SCREENS, MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")


def make_window(qtbot, office):
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.busy, timeout=5000)
    return window


def history_of(qtbot, window) -> HistoryView:
    view = window.findChild(HistoryView)
    assert view is not None, "the window has no History tab"
    qtbot.waitUntil(lambda: "row" in view.count_label.text(), timeout=5000)
    return view


def shown(view: HistoryView) -> list[str]:
    model = view.model
    return [" | ".join(model.data(model.index(row, column)) for column in range(4)) for row in range(model.rowCount())]


def test_the_client_window_history_lists_a_letter_printed_and_an_export_and_filters_by_user(
        qtbot, small_office, tmp_path, monkeypatch):
    office, ids = small_office
    firm = office.settings.firm()
    office.settings.update_firm(replace(firm, firm_name="Kantor & Associates", attorney_name="Miriam Kantor",
                                        street="1 Main St", city="Los Angeles", state="CA", postal_code="90012"),
                                firm.version)
    beto = Office(office.database, office.locations, "Beto", office.clock)
    client = beto.clients.get(ids["maria"])
    beto.clients.update(ids["maria"], replace(client.draft(), street="1457 W. Temple Street", city="Glendale",
                                              state="CA", postal_code="91203"), client.version)
    office.letters.generate("hearing-reminder", matter_id=ids["maria_matter"])
    main = make_window(qtbot, office)
    window = main.open_client(ids["maria"])
    view = history_of(qtbot, window)
    assert any("| Ana | create | printed a hearing reminder" in line for line in shown(view)), shown(view)

    monkeypatch.setattr("kantor_cases.ui.history.history_view.QMessageBox.information", lambda *args: None)
    target = tmp_path / "maria.pdf"
    view.export_pdf(target)
    qtbot.waitUntil(lambda: shown(view) and "| export |" in shown(view)[0], timeout=5000)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert f"History of client #{ids['maria']}" in text and "María García López" in text
    assert "Kantor & Associates" in text

    view.user_box.setCurrentText("Beto")
    view.user_box.activated.emit(view.user_box.currentIndex())
    qtbot.waitUntil(lambda: len(shown(view)) == 1, timeout=5000)
    assert "Beto" in shown(view)[0] and "Glendale" in shown(view)[0]


def test_the_matter_window_has_a_history_of_the_matter(qtbot, small_office):
    office, ids = small_office
    main = make_window(qtbot, office)
    window = main.open_matter(ids["maria_matter"])
    lines = shown(history_of(qtbot, window))
    assert any("| hearing" in line.lower() or "hearing" in line.lower() for line in lines), lines


def test_a_staff_user_gets_no_audit_screen(qtbot, office):
    office.settings.save_user("Ana", "A", "admin")
    office.settings.save_user("Ruth", "R", "staff")
    ruth = Office(office.database, office.locations, "Ruth", office.clock)
    window = make_window(qtbot, ruth)
    audit_row = SCREENS.index("Audit")
    assert window.navigation.item(audit_row).isHidden()
    assert not window.screen_actions["Audit"].isVisible()

    ana = make_window(qtbot, office)
    qtbot.waitUntil(lambda: not ana.navigation.item(audit_row).isHidden(), timeout=5000)
    panel = ana.show_screen("Audit")
    assert isinstance(panel, AuditPanel)
    qtbot.waitUntil(lambda: "healthy" in panel.chain_label.text(), timeout=10_000)
    assert "head hash" in panel.chain_label.text()


def test_a_large_history_reads_a_count_and_the_first_page_only(qtbot, small_office):
    office, ids = small_office
    rows = [{"at": office.clock.now(), "user_name": "Ana", "action": "view", "entity": "client",
             "entity_id": ids["olga"], "client_id": ids["olga"], "summary": f"opened the client ({i})",
             "changes": "{}"} for i in range(3000)]
    with office.database.write() as session:
        session.execute(insert(AuditEvent), rows)
    main = make_window(qtbot, office)
    view = history_of(qtbot, main.open_client(ids["olga"]))
    assert view.model.rowCount() >= 3000 and view.count_label.text().startswith("3,0")
    assert view.model.pages_fetched == 1 and view.model.cached_rows() == view.model.PAGE_SIZE


def test_privacy_mode_masks_a_sensitive_clients_rows_on_the_office_wide_list_only(qtbot, small_office):
    from kantor_cases.ui.widgets import privacy

    office, ids = small_office
    office.settings.save_user(office.user, "Ana Admin", "admin")
    view = HistoryView(office, replace(HistoryFilter(), user=None))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: "row" in view.count_label.text(), timeout=5000)
    privacy.set_enabled(True)
    rows = shown(view)
    assert not any("Nguyễn" in row for row in rows), "a sensitive client's name shows in privacy mode"
    assert any("Ivanova" in row for row in rows)
    assert any(row.endswith(privacy.MASK) for row in rows)

    # Her own History, opened on purpose, still reads in full.
    own = HistoryView(office, HistoryFilter(client_id=ids["thao"]))
    qtbot.addWidget(own)
    qtbot.waitUntil(lambda: "row" in own.count_label.text(), timeout=5000)
    assert any("Nguyễn" in row for row in shown(own))
