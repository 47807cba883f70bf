"""The window's import summary lists the rows the conflict check flagged (issue 15 point 10)."""

from __future__ import annotations

from kantor_cases.domain.records import ClientDraft, RelatedPersonDraft
from kantor_cases.ui.clients.clients_panel import ClientsPanel


def test_the_import_summary_lists_possible_conflicts(qtbot, office, tmp_path, message_boxes):
    maria = office.clients.create(ClientDraft(given_name="María", family_name="García"))
    office.clients.add_related_person(maria.id, RelatedPersonDraft(given_name="José", family_name="García",
                                                                   relationship="spouse"))
    path = tmp_path / "in.csv"
    path.write_text("first_name,last_name\nJose,Garcia\nAna,Ruiz\n", encoding="utf-8")
    panel = ClientsPanel(office)
    qtbot.addWidget(panel)
    panel.import_csv(path)
    qtbot.waitUntil(lambda: any(title == "Import finished" for _k, title, _t in message_boxes), timeout=10_000)
    text = message_boxes[-1][2]
    assert "Imported 2 of 2 rows" in text
    assert f"row 2: possible conflict — same name as the spouse of client {maria.id}" in text
