"""The PD requests list sorts by a click on a column header, and a status tile filters the list to
that status (issue 15 point 10: neither did anything)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from kantor_cases.domain.records import PdRequestDraft
from kantor_cases.ui.pd_requests.pd_requests_panel import PdRequestsPanel


def _requests(office, build):
    for given, family, submitted in (("Zoe", "Abara", True), ("Ana", "Zamora", False), ("Luis", "Medina", True)):
        matter = build.removal_matter(office, build.client(office, given, family))
        request = office.pd_requests.create_pd_request(matter, PdRequestDraft("doyle-2022", "dismissal"))
        if submitted:
            office.pd_requests.change_pd_status(request.id, "submitted", "", request.version)


def _names(panel):
    return [panel.model.index(row, 0).data() for row in range(panel.model.rowCount())]


def test_a_click_on_the_client_header_sorts_by_family_name_both_ways(qtbot, office, build):
    _requests(office, build)
    panel = PdRequestsPanel(office)
    qtbot.addWidget(panel)
    panel.show()
    header = panel.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(0) + header.sectionSize(0) // 2, header.height() // 2))
    assert _names(panel) == ["Zoe Abara", "Luis Medina", "Ana Zamora"]
    panel.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert _names(panel) == ["Ana Zamora", "Luis Medina", "Zoe Abara"]
    panel.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    assert [panel.model.index(r, 3).data() for r in range(3)] == ["Draft", "Submitted", "Submitted"]


def test_a_status_tile_shows_only_that_status_and_a_second_click_all(qtbot, office, build):
    _requests(office, build)
    panel = PdRequestsPanel(office)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.mouseClick(panel.count_labels["submitted"], Qt.MouseButton.LeftButton)
    assert sorted(_names(panel)) == ["Luis Medina", "Zoe Abara"]
    assert panel.status_combo.currentData() == "submitted"
    qtbot.mouseClick(panel.count_labels["submitted"], Qt.MouseButton.LeftButton)
    assert len(_names(panel)) == 3 and panel.status_combo.currentData() is None
    panel.count_labels["draft"].setFocus()
    qtbot.keyClick(panel.count_labels["draft"], Qt.Key.Key_Return)
    assert _names(panel) == ["Ana Zamora"]
