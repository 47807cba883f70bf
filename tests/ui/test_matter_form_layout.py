"""The new-matter form (issue 15 items 7 and 10): the employment page laid out like the others, the
title's example following the kind, and the responsible attorney defaulting to the attorney signed in."""

from __future__ import annotations

from agenda_data import add_user

from kantor_cases.ui.widgets.matter_form import MatterForm


def shown_form(qtbot, office) -> MatterForm:
    form = MatterForm(office)
    qtbot.addWidget(form)
    form.resize(620, 560)
    form.show()
    qtbot.waitExposed(form)
    return form


def test_the_employment_page_is_laid_out_like_the_others(qtbot, office):
    form = shown_form(qtbot, office)
    form.set_kind("employment")
    qtbot.wait(50)
    assert form.employer_combo.width() >= 300, "the Employer box is squashed"
    assert form.employer_combo.width() == form.claims_list.width()
    # The claim types follow the fields above them, with no gap between.
    claims_top = form.claims_list.mapTo(form, form.claims_list.rect().topLeft()).y()
    opened_bottom = form.opened_date.mapTo(form, form.opened_date.rect().bottomLeft()).y()
    assert claims_top - opened_bottom < 40
    # One label column: the fields of the page start where the form's fields do.
    assert form.claims_list.mapTo(form, form.claims_list.rect().topLeft()).x() == \
        form.title_edit.mapTo(form, form.title_edit.rect().topLeft()).x()
    assert "Removal defense" not in form.title_edit.placeholderText()
    form.set_kind("removal")
    assert "Removal defense" in form.title_edit.placeholderText()


def test_the_responsible_attorney_is_the_attorney_signed_in(qtbot, office):
    rosa = add_user(office, "Rosa Kantor", "attorney")
    add_user(office, "Sam Staff", "staff")
    office.user = "Rosa Kantor"
    assert shown_form(qtbot, office).attorney_combo.currentData() == rosa
    office.user = "Sam Staff"
    assert shown_form(qtbot, office).attorney_combo.currentData() is None
