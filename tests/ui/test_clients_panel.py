"""The clients list: a correct Qt model, filters that narrow the list, and a hint on an empty office."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kantor_cases.domain.records import ClientQuery
from kantor_cases.ui.clients.clients_panel import ClientsPanel
from kantor_cases.ui.clients.clients_table_model import ClientsTableModel
from kantor_cases.ui.matters.matters_table_model import MattersTableModel
from kantor_cases.ui.widgets import privacy


def names(model) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_clients_model_passes_the_model_tester(qtmodeltester, small_office):
    office, _ids = small_office
    model = ClientsTableModel(office.clients)
    qtmodeltester.check(model)
    assert model.rowCount() == 5
    assert names(model)[0] == "García López, María"


def test_matters_model_passes_the_model_tester(qtmodeltester, small_office):
    office, _ids = small_office
    model = MattersTableModel(office.matters)
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "María García López"


def test_filters_narrow_the_list(qtbot, small_office):
    office, _ids = small_office
    panel = ClientsPanel(office)
    qtbot.addWidget(panel)
    panel.detained_check.setChecked(True)
    assert names(panel.model) == ["Petrosyan, Aram"]
    assert panel.count_label.text() == "1 client match the filters"
    panel.detained_check.setChecked(False)
    panel.language_combo.setCurrentIndex(panel.language_combo.findData("es"))
    assert sorted(names(panel.model)) == ["García López, María", "Hernández, José"]
    panel.language_combo.setCurrentIndex(0)
    panel.hearing_check.setChecked(True)
    assert names(panel.model) == ["García López, María"]
    panel.hearing_check.setChecked(False)
    qtbot.keyClicks(panel.filter_edit, "nguy")
    qtbot.waitUntil(lambda: names(panel.model) == ["Nguyễn, Thảo"], timeout=2000)


def test_sorting_by_a_header_is_a_new_query(small_office):
    office, _ids = small_office
    model = ClientsTableModel(office.clients)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.query == ClientQuery(sort="name", descending=True)
    assert names(model)[0] == "Petrosyan, Aram"
    model.sort(3)  # "Letters in" is not sortable in SQL: the order stays
    assert model.query.sort == "name"


def test_privacy_mode_masks_sensitive_clients(small_office):
    office, _ids = small_office
    model = ClientsTableModel(office.clients)
    privacy.set_enabled(True)
    assert "Nguyễn, Thảo" not in names(model)
    assert "Petrosyan, Aram" in names(model)


def test_an_empty_office_invites_the_first_client(qtbot, office):
    panel = ClientsPanel(office)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.stack.currentWidget() is panel.empty_hint
    assert "No clients yet" in panel.empty_hint.text() and "Ctrl+N" in panel.empty_hint.text()
    with qtbot.waitSignal(panel.new_client_requested):
        panel.new_button.click()


def test_an_import_with_a_bad_row_writes_nothing_until_asked_to_import_the_valid_rows(qtbot, office, tmp_path,
                                                                                     monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    header = ("first_name,middle_name,last_name,second_last_name,a_number,date_of_birth,country_of_birth,"
              "preferred_language,phone,email,street,city,state,postal_code,notes")
    path = tmp_path / "clients.csv"
    path.write_text(header + "\nAna,,Ruiz,,,,,,,,,,,,\nBad,,Row,,A12,,,,,,,,,,\nLuis,,Vega,,,,,,,,,,,,\n",
                    encoding="utf-8")
    shown = []

    def answer(box):
        shown.append(box.text())
        choice = next((b for b in box.buttons() if b.text().startswith("Import the")), None)
        if choice is not None:
            choice.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    monkeypatch.setattr(QMessageBox, "information", lambda *args, **kwargs: shown.append(args[2]))
    panel = ClientsPanel(office)
    qtbot.addWidget(panel)
    panel.import_csv(path)
    qtbot.waitUntil(lambda: len(shown) >= 2, timeout=10_000)
    assert "row 3" in shown[0] and "nothing was written" in shown[0]
    assert "Imported 2 of 3 rows" in shown[1]
    assert office.clients.count() == 2


def test_an_export_made_in_privacy_mode_masks_sensitive_clients(qtbot, small_office, tmp_path, message_boxes):
    office, _ids = small_office
    panel = ClientsPanel(office)
    qtbot.addWidget(panel)
    privacy.set_enabled(True)
    target = tmp_path / "clients.csv"
    panel.export_csv(target)
    qtbot.waitUntil(lambda: any(title == "Export finished" for _kind, title, _text in message_boxes), timeout=10_000)
    text = target.read_text(encoding="utf-8-sig")
    assert "Nguyễn" not in text and "(confidential)" in text and "Petrosyan" in text
    assert "Privacy mode is on" in message_boxes[-1][2]


def test_opening_the_clients_screen_counts_the_clients_once(qtbot, small_office, monkeypatch):
    from kantor_cases.ui.shell.main_window import MainWindow

    office, _ids = small_office
    counted = []
    real_count = office.clients.count
    monkeypatch.setattr(office.clients, "count", lambda query=None: counted.append(query) or real_count(query))
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    panel = window.show_screen("Clients")
    assert panel.model.rowCount() == 5
    listed = [query for query in counted if query is not None]  # (None: the welcome line's count)
    assert len(listed) == 1, f"the list counted the clients {len(listed)} times to open"
