"""The New letter dialog shows the attorney's checklist beside a PD request (issue 14 item 8)."""

from __future__ import annotations

from test_letters_ui import add_case, letters_office  # noqa: F401 (fixture)

from kantor_cases.domain.records import PdRequestDraft
from kantor_cases.ui.letters.new_letter_dialog import NewLetterDialog


def test_a_dismissal_request_shows_the_expedited_removal_warning_outside_the_letter(qtbot, letters_office):  # noqa: F811
    office, ids = letters_office
    _client_id, matter_id = ids["armen"]
    office.pd_requests.create_pd_request(matter_id, PdRequestDraft(regime="post-2025", action_requested="dismissal"))
    dialog = NewLetterDialog(office, matter_id=matter_id, template_id="pd-request")
    qtbot.addWidget(dialog)
    assert not dialog.checklist.isHidden() and "expedited removal" in dialog.checklist.text()
    reminder = NewLetterDialog(office, matter_id=matter_id, template_id="hearing-reminder")
    qtbot.addWidget(reminder)
    assert reminder.checklist.isHidden()
