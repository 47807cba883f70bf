"""Issue 14 item 5: the court and benefit status paths."""

from __future__ import annotations

from kantor_cases.domain import statuses as st


def test_an_in_absentia_order_cannot_go_to_a_bia_appeal_only_to_a_motion_to_reopen() -> None:
    assert "bia_appeal" not in st.COURT_TRANSITIONS["in_absentia"]
    assert "motion_pending" in st.COURT_TRANSITIONS["in_absentia"]
    # Other decisions can still be appealed.
    assert "bia_appeal" in st.COURT_TRANSITIONS["removal_ordered"]


def test_pending_with_no_hearing_scheduled_is_a_court_status() -> None:
    assert st.COURT_STATUS_LABELS["pending_no_hearing"] == "Pending, no hearing scheduled"
    assert "pending_no_hearing" in st.COURT_TRANSITIONS["nta_served"]
    assert "master_set" in st.COURT_TRANSITIONS["pending_no_hearing"]
    assert "pending_no_hearing" in st.COURT_TRANSITIONS["admin_closed"]


def test_decision_reserved_for_the_cancellation_cap_follows_a_merits_hearing() -> None:
    assert st.COURT_STATUS_LABELS["decision_reserved"] == "Decision reserved (cancellation cap)"
    assert "decision_reserved" in st.COURT_TRANSITIONS["individual_set"]
    assert "decision_reserved" not in st.COURT_TRANSITIONS["master_set"]
    assert "relief_granted" in st.COURT_TRANSITIONS["decision_reserved"]
    assert "in_absentia" not in st.COURT_TRANSITIONS["decision_reserved"]


def test_a_benefit_matter_can_receive_a_notice_of_intent_to_deny() -> None:
    assert st.government_status_label("benefit", "noid") == "Notice of intent to deny (NOID)"
    assert "noid" in st.BENEFIT_TRANSITIONS["rfe"]
    assert st.BENEFIT_TRANSITIONS["noid"] >= {"approved", "denied"}


def test_every_status_named_in_a_path_has_a_label_and_a_path_of_its_own() -> None:
    for transitions, labels in ((st.COURT_TRANSITIONS, st.COURT_STATUS_LABELS),
                                (st.BENEFIT_TRANSITIONS, st.BENEFIT_STATUS_LABELS)):
        named = set(transitions) | {s for nxt in transitions.values() for s in nxt}
        assert named == set(transitions) == set(labels)
