"""Restricted clients in the window: the client window's "Restricted" section is an attorney's or an
administrator's to change (disabled, with the table's sentence, for staff), opening the window is
audited, and the Clients screen's count line says how many restricted records it left out."""

from __future__ import annotations

from agenda_data import add_matter, add_user
from sqlalchemy import select

from kantor_cases.db.models import AuditEvent
from kantor_cases.domain.records import ClientDraft
from kantor_cases.ui.clients.client_window import ClientWindow
from kantor_cases.ui.clients.clients_panel import ClientsPanel

STAFF_CANNOT_RESTRICT = "Staff cannot restrict a client or change who may see them; ask an attorney."


def practice(office) -> tuple[int, int]:
    attorney = add_user(office, "Rosa Kantor", "attorney")
    add_user(office, "Sam Staff", "staff")
    add_user(office, "Paz Staff", "staff")
    secret = office.clients.create(ClientDraft(given_name="Zoila", family_name="Quintanilla")).id
    office.clients.create(ClientDraft(given_name="Zoila", family_name="Quintanar"))
    add_matter(office, secret, attorney_id=attorney)
    return secret, attorney


def open_window(qtbot, office, client_id) -> ClientWindow:
    window = ClientWindow(office, client_id)
    qtbot.addWidget(window)
    return window


def test_staff_named_on_the_client_see_the_section_disabled_and_their_view_is_audited(qtbot, office):
    secret, _attorney = practice(office)
    office.clients.restrict(secret, ["Paz Staff"])
    office.user = "Paz Staff"
    window = open_window(qtbot, office, secret)
    assert window.restriction_box.title() == "Restricted — visible only to administrators and Paz Staff, Rosa Kantor"
    for control in (window.restricted_check, window.allowed_edit, window.restriction_button):
        assert not control.isEnabled() and control.toolTip() == STAFF_CANNOT_RESTRICT
    with office.database.read() as session:
        viewers = list(session.scalars(select(AuditEvent.user_name).where(AuditEvent.action == "view",
                                                                          AuditEvent.client_id == secret)))
    assert viewers == ["Paz Staff"]


def test_an_attorney_restricts_the_client_from_the_window(qtbot, office, message_boxes):
    secret, _attorney = practice(office)
    office.user = "Rosa Kantor"
    window = open_window(qtbot, office, secret)
    assert window.restriction_box.title() == "Not restricted" and window.restriction_button.isEnabled()
    window.restricted_check.setChecked(True)
    window.allowed_edit.setText("Paz Staff")
    assert window.save_restriction()
    assert window.restriction_box.title() == "Restricted — visible only to administrators and Paz Staff, Rosa Kantor"
    office.user = "Sam Staff"
    assert [hit.name for hit in office.search.search("Zoila")] == ["Zoila Quintanar"]
    office.user = "Rosa Kantor"
    window.allowed_edit.setText("Nobody Here")
    assert not window.save_restriction()
    assert "There is no user called Nobody Here" in message_boxes[-1][2]


def test_the_clients_count_line_says_a_restricted_record_is_not_shown(qtbot, office):
    secret, _attorney = practice(office)
    office.clients.restrict(secret, [])
    office.user = "Sam Staff"
    panel = ClientsPanel(office)
    qtbot.addWidget(panel)
    assert panel.model.rowCount() == 1
    assert panel.count_label.text() == "1 client · 1 restricted record not shown"
