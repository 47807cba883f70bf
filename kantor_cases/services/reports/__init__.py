"""Reports (issue 16): caseload, hearings, PD outcomes, deadlines kept, employment claims and intake,
computed in SQL and handed back as plain values (domain/reports.py) for the screen, the CLI, the
PDF and the CSV.

Reading a report is everyone's, the read-only role's too (reading needs no row in the permission
table); restricted clients are left out for the people who may not see them, exactly as the lists
leave them out (services/restricted.py), with a note when that changed a figure. Saving a report as
a PDF or CSV hands client data out of the office, so it takes the export permission and leaves an
audit row, as the History's PDF does.

One module per report builds its statements from a `Scope`; each statement groups or counts in the
database, and every list of single records is LIMITed with its true count in the totals.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from kantor_cases.db.models import FirmSettings, User
from kantor_cases.domain import reports as rp
from kantor_cases.domain.csv_text import mark
from kantor_cases.domain.errors import KantorError
from kantor_cases.domain.records import address_lines
from kantor_cases.domain.statuses import MatterKind

from .. import audit, restricted
from ..base import Service
from ..file_writes import write_atomic
from ..output_files import check_output_target
from ..validation import display_phone
from .caseload import caseload
from .deadlines_kept import deadlines_kept
from .employment import employment
from .hearings import hearings
from .intake import intake
from .pd_outcomes import pd_outcomes
from .scope import Scope, first_of_month_after, month_end
from .shapes import Computed

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from kantor_cases.db.engine import Database
    from kantor_cases.domain.clock import Clock
    from kantor_cases.letters.render import Letterhead

    from ..locations import Locations

_COMPUTE: dict[str, Callable[[Scope], Computed]] = {
    rp.CASELOAD: caseload,
    rp.HEARINGS: hearings,
    rp.PD_OUTCOMES: pd_outcomes,
    rp.DEADLINES_KEPT: deadlines_kept,
    rp.EMPLOYMENT: employment,
    rp.INTAKE: intake,
}
_KINDS = {kind.id: kind for kind in rp.REPORTS}


class ReportService(Service):
    def __init__(self, database: Database, actor: Callable[[], str], locations: Locations | None,
                 clock: Clock) -> None:
        super().__init__(database, actor, clock)
        self.locations = locations

    def list(self) -> tuple[rp.ReportKind, ...]:
        return rp.REPORTS

    def run(self, report_id: str, filters: rp.ReportFilters, privacy: bool = False) -> rp.ReportResult:
        """The report as of now, narrowed by `filters`; `privacy` names clients "Client 123"."""
        kind = _KINDS.get(report_id)
        if kind is None:
            raise KantorError(f"There is no report called “{report_id}”; the reports are {', '.join(rp.REPORT_IDS)}.")
        if filters.kind is not None and filters.kind not in {k.value for k in MatterKind}:
            raise KantorError(f"There is no matter kind called “{filters.kind}”; the kinds are "
                              f"{', '.join(k.value for k in MatterKind)}.")
        if filters.stall_days < 1:
            raise KantorError("A request is stalled after at least 1 day; give a number of days of 1 or more.")
        now = self.clock.now()
        with self._db.read() as session:
            attorney_id = _attorney_id(session, filters.attorney)
            date_from, date_to = _range(report_id, filters, now.date(), session, attorney_id)
            scope = Scope(session, self._db.engine.dialect.name, now, date_from, date_to, attorney_id,
                          filters.kind, restricted.hidden_client_ids(session, self.user), privacy,
                          filters.stall_days)
            computed = _COMPUTE[report_id](scope)
        notes = list(computed.notes)
        if computed.restricted_matters:
            count = computed.restricted_matters
            notes.append(f"{count} restricted matter{'' if count == 1 else 's'} not shown.")
        if computed.restricted_clients:
            count = computed.restricted_clients
            notes.append(f"{count} restricted client{'' if count == 1 else 's'} not shown.")
        return rp.ReportResult(report_id, kind.title, filters, date_from, date_to, now, self.user, computed.tables,
                               computed.charts, computed.totals, tuple(notes))

    # --- saving ------------------------------------------------------------------------------------

    def save_pdf(self, result: rp.ReportResult, path: Path, force: bool = False) -> Path:
        """Write the report as a PDF with the firm's letterhead at `path` (never over an existing file
        unless `force`), and audit the export in the same transaction."""
        from kantor_cases.letters.report_pdf import report_pdf

        self.require("clients.export")
        target = check_output_target(path, self.locations, force=force)
        with self._db.read() as session:
            letterhead = _letterhead(session)
        pdf = report_pdf(result, letterhead)
        self._write(target, pdf, result, "PDF")
        return target

    def save_csv(self, result: rp.ReportResult, path: Path, force: bool = False) -> Path:
        """Write every table of the report, one after another under its title, as CSV at `path`."""
        self.require("clients.export")
        target = check_output_target(path, self.locations, force=force)
        self._write(target, report_csv(result).encode("utf-8-sig"), result, "CSV")
        return target

    def _write(self, target: Path, data: bytes, result: rp.ReportResult, form: str) -> None:
        with self._db.write() as session:
            audit.record(session, self.user, "export", "report", None,
                         f"saved the {result.title} report ({result.date_from:%d %b %Y} to "
                         f"{result.date_to:%d %b %Y}) as a {form}")
            write_atomic(target, data, shown=target)


def report_csv(result: rp.ReportResult) -> str:
    """The report's tables as CSV text: each table's title on a row of its own, its column names, its
    rows, then an empty row. Text cells a spreadsheet would run as a formula are marked
    (domain/csv_text.py), so a client's name like "=HYPERLINK(…)" stays text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([mark(f"{result.title}: {result.date_from:%Y-%m-%d} to {result.date_to:%Y-%m-%d}")])
    for note in result.notes:
        writer.writerow([mark(note)])
    writer.writerow([])
    for table in result.tables:
        writer.writerow([mark(table.title)])
        writer.writerow([mark(column) for column in table.columns])
        for row in table.rows:
            writer.writerow([mark(cell) if isinstance(cell, str) else "" if cell is None else cell for cell in row])
        writer.writerow([])
    return buffer.getvalue()


def _attorney_id(session: Session, name: str | None) -> int | None:
    if name is None:
        return None
    user_id = session.scalar(select(User.id).where(User.name == name))
    if user_id is None:
        raise KantorError(f"There is no user called “{name}”; name an attorney from Settings → Users.")
    return int(user_id)


def _range(report_id: str, filters: rp.ReportFilters, today: date, session: Session,
           attorney_id: int | None) -> tuple[date, date]:
    """The range the report covers: the one asked for, each missing end filled with the report's own
    default (the last 12 months; for hearings also the next 6; for PD outcomes since the first request
    was submitted)."""
    if report_id == rp.HEARINGS:
        default_from, default_to = first_of_month_after(today, -12), month_end(first_of_month_after(today, 6))
    elif report_id == rp.PD_OUTCOMES:
        from .pd_outcomes import first_submitted

        default_from, default_to = first_submitted(session) or today, today
    else:
        default_from, default_to = first_of_month_after(today, -11), today
    date_from = filters.date_from or default_from
    date_to = filters.date_to or default_to
    if filters.date_to is not None and filters.date_from is None and date_from > date_to:
        date_from = first_of_month_after(date_to, -11)
    if filters.date_from is not None and filters.date_to is None and date_to < date_from:
        date_to = date_from + timedelta(days=365)
    if date_from > date_to:
        raise KantorError(f"The range starts ({date_from:%d %b %Y}) after it ends ({date_to:%d %b %Y}); "
                          "swap the two dates.")
    return date_from, date_to


def _letterhead(session: Session) -> Letterhead:
    """The letters' letterhead; a firm that has not filled it in yet still gets its report, headed
    with the program's name."""
    from kantor_cases.letters.render import Letterhead

    firm = session.get(FirmSettings, 1)
    if firm is None:
        return Letterhead("Kantor Cases", "", "", (), "", "")
    logo = firm.logo_path if firm.logo_path and Path(firm.logo_path).is_file() else None
    return Letterhead(firm.firm_name or "Kantor Cases", firm.attorney_name, firm.bar_number,
                      address_lines(firm.street, firm.city, firm.state, firm.postal_code),
                      display_phone(firm.phone), firm.email, logo)
