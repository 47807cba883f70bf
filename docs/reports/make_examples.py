"""Make the example reports in this folder: `.venv/bin/python docs/reports/make_examples.py`.

A 1,500-client demo office pinned to 1 June 2026, 9:00, and, because the demo generator leaves them
out, what an office in use also has: reminder letters for some hearings, referral sources, conflict
checks at intake, right-to-sue notices with the suit deadlines they start, and a few deadlines
overridden by an attorney with the reason. Every name is the demo's (fictional). Then each report as a PDF, and its first page as a PNG.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random

from sqlalchemy import select

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tests"))

from plain_office import plain_office  # noqa: E402

from kantor_cases.db.models import (  # noqa: E402,E501
    AgencyFiling,
    Client,
    Deadline,
    Hearing,
    Letter,
    Matter,
)
from kantor_cases.domain.clock import FixedClock  # noqa: E402
from kantor_cases.domain.reports import REPORT_IDS, ReportFilters  # noqa: E402
from kantor_cases.services import locations  # noqa: E402
from kantor_cases.services.demo import generate_demo  # noqa: E402
from kantor_cases.services.office import Office, fallback_user  # noqa: E402

TODAY = datetime(2026, 6, 1, 9, 0)
SOURCES = ["Radio Bilingüe", "Friend or family", "Mexican Consulate", "Parish referral", "Website", "Former client",
           "", "", ""]
REASONS = ["The judge extended the filing deadline at the master calendar hearing.",
           "Served by mail: 5 days added (8 CFR 1003.38(b)).", "Stipulated extension with OPLA."]


def enrich(office: Office, rng: Random) -> None:
    with office.database.write() as session:
        for client in session.scalars(select(Client)):
            client.referral_source = rng.choice(SOURCES)
        for matter in session.scalars(select(Matter).where(Matter.opened_on >= date(2025, 6, 1))):
            if rng.random() < 0.7:
                hits = [{"kind": "client", "id": 1, "name": "(demo)", "reasons": ["same family name"], "score": 60}] \
                    if rng.random() < 0.1 else []
                matter.conflict_check = json.dumps({"candidate": "(demo)", "hits": hits})
                matter.conflict_acknowledged_by = "Ruth Kantor" if hits else ""
        for deadline in session.scalars(select(Deadline).where(Deadline.due_on < TODAY.date())):
            if rng.random() < 0.03:
                deadline.computed_due = deadline.due_on - timedelta(days=7)
                deadline.override_reason = rng.choice(REASONS)
        for hearing_id, client_id in session.execute(
                select(Hearing.id, Matter.client_id).join(Matter, Matter.id == Hearing.matter_id)
                .where(Hearing.starts_at >= TODAY)):
            if rng.random() < 0.45:
                session.add(Letter(client_id=client_id, hearing_id=hearing_id, template_id="hearing-reminder",
                                   language="es", created_by="demo"))
        for filing in session.scalars(select(AgencyFiling).where(AgencyFiling.agency.in_(["eeoc", "crd"]))):
            if rng.random() < 0.3:
                filing.right_to_sue_issued_on = TODAY.date() - timedelta(days=rng.randint(5, 300))
                filing.right_to_sue_received_on = filing.right_to_sue_issued_on + timedelta(days=3)
                days = 90 if filing.agency == "eeoc" else 365
                session.add(Deadline(matter_id=filing.matter_id, rule_id=f"{filing.agency}-suit",
                                     title=f"Suit after the {filing.agency.upper()} notice of right to sue",
                                     due_on=filing.right_to_sue_received_on + timedelta(days=days),
                                     assignee="Ruth Kantor", created_by="demo", updated_by="demo"))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.sqlite3"
        plain_office(path)
        office = Office.open(locations.resolve(str(path)), fallback_user(), clock=FixedClock(TODAY))
        try:
            generate_demo(office.database, clients=1500, seed=16, clock=office.clock)
            enrich(office, Random(16))
            office.user = "Ruth Kantor"  # the demo's attorney makes the reports
            for report in REPORT_IDS:
                pdf = HERE / f"{report}.pdf"
                result = office.reports.run(report, ReportFilters())
                office.reports.save_pdf(result, pdf, force=True)
                subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                                str(HERE / report)], check=True)
                print(report, pdf.name)
        finally:
            office.close()


if __name__ == "__main__":
    main()
