"""The Reports screen over the hand-built office of tests/report_office.py (today 1 June 2026), whose
figures are known: choosing and running a report, its filters, a failed run, saving as PDF and CSV,
privacy mode, re-running on a change, and Ctrl+6 in the main window."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from report_office import build

from kantor_cases.domain import reports as rp
from kantor_cases.domain.changes import MATTERS, Changes
from kantor_cases.ui.reports.reports_panel import ReportsPanel
from kantor_cases.ui.widgets import privacy
from kantor_cases.ui.widgets.operations import announce

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    made = build(str(tmp_path_factory.mktemp("reports-ui") / "office.sqlite3"))
    yield made
    made.office.close()


class Spy:
    """The real report service, with each run it was asked for written down."""

    def __init__(self, real) -> None:
        self.real = real
        self.runs: list[tuple[str, rp.ReportFilters, bool]] = []

    def list(self):
        return self.real.list()

    def run(self, report_id, filters, privacy=False):
        self.runs.append((report_id, filters, privacy))
        return self.real.run(report_id, filters, privacy=privacy)

    def save_pdf(self, result, path, force=False):
        return self.real.save_pdf(result, path, force=force)

    def save_csv(self, result, path, force=False):
        return self.real.save_csv(result, path, force=force)


@pytest.fixture
def office(built, monkeypatch):
    built.office.user = "Ada"
    monkeypatch.setitem(built.office.__dict__, "reports", Spy(built.office.reports))
    return built.office


def make_panel(qtbot, office, report: str | None = None) -> ReportsPanel:
    panel = ReportsPanel(office)
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    panel.show()
    # Shown, it runs the report last run (the first time: Caseload).
    qtbot.waitUntil(lambda: panel.result is not None and not panel.busy, timeout=10_000)
    if report is not None and panel.result.report != report:
        panel.choose_report(report)
        qtbot.waitUntil(lambda: panel.result.report == report and not panel.busy, timeout=10_000)
    return panel


def run(qtbot, panel: ReportsPanel) -> None:
    runs = len(panel.office.reports.runs)
    panel.run()
    qtbot.waitUntil(lambda: len(panel.office.reports.runs) > runs and not panel.busy, timeout=10_000)


def shown_rows(panel: ReportsPanel, tab: int) -> list[list[str]]:
    model = panel.tables[tab].model()
    return [[model.index(row, column).data() for column in range(model.columnCount())]
            for row in range(model.rowCount())]


def tab_titles(panel: ReportsPanel) -> list[str]:
    return [panel.table_tabs.tabText(i) for i in range(panel.table_tabs.count())]


def test_choosing_pd_outcomes_shows_its_tables_totals_and_chart_with_the_national_figures(qtbot, qtmodeltester,
                                                                                         office):
    office.user = "Sam"  # staff, not named on the restricted client: 7 requests of 9
    panel = make_panel(qtbot, office, "pd-outcomes")
    assert [panel.report_list.item(i).text() for i in range(panel.report_list.count())] == \
        [kind.title for kind in rp.REPORTS]
    result = panel.result
    assert [table.title for table in result.tables] == [title.rsplit(" (", 1)[0] for title in tab_titles(panel)]
    for tab, table in enumerate(result.tables):
        assert panel.tables[tab].model().rowCount() == len(table.rows)
        qtmodeltester.check(panel.tables[tab].model())
    assert "28.6" in panel.totals_label.text()  # 2 of 7 closed, as worked out by hand
    assert panel.notes_label.isVisible() and "2 restricted matters not shown." in panel.notes_label.text()
    assert "PD outcomes" in panel.heading_label.text() and "6/1/2026" in panel.heading_label.text()
    # Every chart of the report is drawn, with its categories and series, and its reference lines named.
    assert panel.chart_tabs.count() == len(result.charts) > 0
    for widget, spec in zip(panel.charts, result.charts, strict=True):
        chart = widget.chart()
        assert chart.title() == spec.title
        axis = next(axis for axis in chart.axes() if hasattr(axis, "categories"))
        assert sorted(axis.categories()) == sorted(spec.categories)
        names = [series.name() for series in chart.series()]
        for reference in spec.reference_lines:
            assert any(name.startswith(reference.label) for name in names)
            assert reference.source in html.unescape(widget.toolTip())
            # the key names each line once, without repeating a value its label already says
            assert f"{html.escape(reference.label)} (" not in widget.key.text()
    assert any(spec.reference_lines for spec in result.charts), "the national review's figures are drawn"


def test_each_report_runs_and_shows_a_table_and_a_chart(qtbot, office):
    panel = make_panel(qtbot, office)
    for kind in rp.REPORTS:
        panel.choose_report(kind.id)
        qtbot.waitUntil(lambda kind=kind: panel.result.report == kind.id and not panel.busy, timeout=10_000)
        assert panel.table_tabs.count() == len(panel.result.tables) > 0, kind.id
        assert panel.chart_tabs.count() == len(panel.result.charts), kind.id
        assert not panel.status_label.isVisible(), panel.status_label.text()


def test_the_filters_reach_the_service_and_are_remembered(qtbot, office):
    panel = make_panel(qtbot, office, "pd-outcomes")
    panel.from_field.setText("1/1/2026")
    panel.to_field.setText("2026-05-31")
    panel.attorney_combo.setCurrentIndex(panel.attorney_combo.findText("Rosa"))
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData("removal"))
    panel.stall_spin.setValue(60)
    run(qtbot, panel)
    assert office.reports.runs[-1] == ("pd-outcomes", rp.ReportFilters(date(2026, 1, 1), date(2026, 5, 31), "Rosa",
                                                                       "removal", 60), False)
    assert "Rosa" in panel.heading_label.text() and "Removal defense" in panel.heading_label.text()

    # The next time the screen is built it shows, and runs, the same.
    again = make_panel(qtbot, office)
    assert again.chosen_report() == "pd-outcomes"
    assert office.reports.runs[-1][1] == rp.ReportFilters(date(2026, 1, 1), date(2026, 5, 31), "Rosa", "removal")


def test_the_stall_days_show_for_pd_outcomes_only(qtbot, office):
    panel = make_panel(qtbot, office, "caseload")
    assert not panel.stall_spin.isVisible()
    panel.choose_report("pd-outcomes")
    assert panel.stall_spin.isVisible()


def test_a_failed_run_says_why_in_one_sentence_and_keeps_the_last_figures(qtbot, office):
    panel = make_panel(qtbot, office, "caseload")
    before = shown_rows(panel, 0)
    assert before
    panel.from_field.setText("5/1/2026")
    panel.to_field.setText("1/1/2026")
    run(qtbot, panel)
    assert panel.status_label.isVisible()
    assert "after it ends" in panel.status_label.text()
    assert "figures below are from the last run" in panel.status_label.text()
    assert shown_rows(panel, 0) == before and panel.result.filters == rp.ReportFilters()

    # A date that is not one is said so before anything runs.
    panel.from_field.setText("31/31/2026")
    runs = len(office.reports.runs)
    qtbot.keyClick(panel.from_field, Qt.Key.Key_Return)
    assert len(office.reports.runs) == runs
    assert "31/31/2026" in panel.status_label.text() and shown_rows(panel, 0) == before

    # Put right, the report runs and the sentence goes.
    panel.from_field.clear()
    panel.to_field.clear()
    run(qtbot, panel)
    assert not panel.status_label.isVisible()


def test_ctrl_r_and_enter_run_the_report(qtbot, office):
    panel = make_panel(qtbot, office, "intake")
    for keys in ((Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier), (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)):
        runs = len(office.reports.runs)
        panel.report_list.setFocus()
        qtbot.keyClick(panel.report_list, keys[0], keys[1])
        qtbot.waitUntil(lambda runs=runs: len(office.reports.runs) > runs and not panel.busy, timeout=10_000)
        assert office.reports.runs[-1][0] == "intake"


def focus_on_the_list(qtbot, panel: ReportsPanel) -> None:
    panel.activateWindow()
    panel.report_list.setFocus()
    qtbot.waitUntil(panel.report_list.hasFocus, timeout=2000)


def test_save_as_pdf_and_csv_and_never_over_a_file_without_asking(qtbot, office, monkeypatch, tmp_path,
                                                                  message_boxes):
    panel = make_panel(qtbot, office, "hearings")
    target = {"path": tmp_path / "hearings"}  # no suffix typed: the screen adds it
    monkeypatch.setattr(panel, "ask_save_path", lambda *_args: target["path"])

    focus_on_the_list(qtbot, panel)
    qtbot.keyClick(panel.report_list, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    pdf = tmp_path / "hearings.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "Saved" in panel.status_label.text() and "hearings.pdf" in panel.status_label.text()

    # A save that took over a second showed a progress dialog; offscreen, no window manager gives
    # the screen back its focus when it closes.
    focus_on_the_list(qtbot, panel)
    qtbot.keyClick(panel.report_list, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    csv_text = (tmp_path / "hearings.csv").read_text(encoding="utf-8-sig")
    assert csv_text.startswith("Hearings:") and panel.result.tables[0].title in csv_text

    # The file is there: the screen asks, and "No" leaves it as it was.
    pdf.write_bytes(b"mine")
    panel.save_pdf()
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    assert message_boxes[-1][:2] == ("question", "Replace the file?")
    assert pdf.read_bytes() == b"mine"

    monkeypatch.setattr(QMessageBox, "question", lambda *_args, **_kwargs: QMessageBox.StandardButton.Yes)
    panel.save_pdf()
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_saving_into_the_backups_folder_is_refused_in_a_message(qtbot, office, monkeypatch, message_boxes):
    panel = make_panel(qtbot, office, "caseload")
    backups = office.locations.backups
    backups.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(panel, "ask_save_path", lambda *_args: backups / "caseload.csv")
    panel.save_csv()
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    assert message_boxes[-1][0] == "warning" and "backups folder" in message_boxes[-1][2]
    assert not (backups / "caseload.csv").exists()


def stalled_names(panel: ReportsPanel) -> list[str]:
    tab = next(i for i, table in enumerate(panel.result.tables) if table.title.startswith("Requests stalled"))
    return [row[0] for row in shown_rows(panel, tab)]


def test_privacy_mode_hides_names_and_turning_it_on_runs_the_report_again(qtbot, office):
    office.user = "Sam"
    panel = make_panel(qtbot, office, "pd-outcomes")
    assert "Cliente3 Prueba" in stalled_names(panel)
    assert office.reports.runs[-1][2] is False

    # As the View menu does: the switch, then a repaint of every list.
    privacy.set_enabled(True)
    for table in panel.tables:
        table.viewport().repaint()
    qtbot.waitUntil(lambda: office.reports.runs[-1][2] is True and not panel.busy, timeout=10_000)
    names = stalled_names(panel)
    assert names and all(name.startswith("Client ") for name in names)
    assert "privacy mode" in panel.heading_label.text()


def test_a_change_runs_the_shown_report_again_and_marks_a_hidden_one_stale(qtbot, office):
    panel = make_panel(qtbot, office, "caseload")
    runs = len(office.reports.runs)
    announce(Changes.of(MATTERS, matters=[1]))
    qtbot.waitUntil(lambda: len(office.reports.runs) == runs + 1 and not panel.busy, timeout=10_000)

    panel.hide()
    announce(Changes.of(MATTERS, matters=[1]))
    qtbot.wait(50)
    assert len(office.reports.runs) == runs + 1
    panel.show()
    qtbot.waitUntil(lambda: len(office.reports.runs) == runs + 2 and not panel.busy, timeout=10_000)


def test_ctrl_6_shows_the_reports_screen_in_the_main_window(qtbot, office):
    from kantor_cases.ui.shell.main_window import MainWindow

    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.busy, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_screen() == "Reports"
    panel = window.panel("Reports")
    assert isinstance(panel, ReportsPanel)
    qtbot.waitUntil(lambda: panel.result is not None and not panel.busy, timeout=10_000)
    assert panel.table_tabs.count() > 0


def test_the_chart_library_is_known_to_one_module_only():
    package = Path(__file__).parents[2] / "kantor_cases"
    users = sorted(str(path.relative_to(package)) for path in package.rglob("*.py") if "QtCharts" in path.read_text())
    assert users == ["ui/widgets/charts.py"]


def test_a_run_for_privacy_that_fails_is_not_tried_at_every_repaint_and_names_stay_hidden(qtbot, office,
                                                                                          monkeypatch):
    from kantor_cases.domain.errors import KantorError

    office.user = "Sam"
    panel = make_panel(qtbot, office, "pd-outcomes")
    spy = office.reports

    def refuse(report_id, filters, privacy=False):
        spy.runs.append((report_id, filters, privacy))
        raise KantorError("The office is locked; sign in again.")

    monkeypatch.setattr(spy, "run", refuse)
    privacy.set_enabled(True)
    runs = len(spy.runs)
    for _ in range(3):
        for table in panel.tables:
            table.viewport().repaint()
        qtbot.waitUntil(lambda: len(spy.runs) > runs and not panel.busy, timeout=10_000)
    assert len(spy.runs) == runs + 1
    assert "The office is locked" in panel.status_label.text()
    assert panel.names_must_hide()  # the unmasked table is not painted


def test_a_read_only_user_reads_reports_but_cannot_save_them(qtbot, office, monkeypatch):
    office.user = "Someone Unknown"  # not in the users list: read-only
    panel = make_panel(qtbot, office, "caseload")
    assert panel.table_tabs.count() > 0
    qtbot.waitUntil(lambda: panel._role is not None, timeout=5000)
    for button in (panel.pdf_button, panel.csv_button):
        assert not button.isEnabled()
        assert "Read-only users cannot" in button.toolTip()
    asked = []
    monkeypatch.setattr(panel, "ask_save_path", lambda *args: asked.append(args))
    focus_on_the_list(qtbot, panel)
    qtbot.keyClick(panel.report_list, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert asked == []


def test_the_save_buttons_wait_for_a_report(qtbot, office):
    office.user = "Ada"
    panel = ReportsPanel(office)
    qtbot.addWidget(panel)
    assert not panel.pdf_button.isEnabled() and not panel.csv_button.isEnabled()
    panel.show()
    qtbot.waitUntil(lambda: panel.result is not None and panel._role is not None and not panel.busy, timeout=10_000)
    assert panel.pdf_button.isEnabled() and "Ctrl+P" in panel.pdf_button.toolTip()
