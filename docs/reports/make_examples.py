"""Make the example reports in this folder: `.venv/bin/python docs/reports/make_examples.py`.

A 1,500-client demo office pinned to 1 June 2026, 9:00, and, because the demo generator leaves them
out, what an office in use also has: each PD request's status history from its submission to its
status now, deadlines done on time, late, overridden or missed, reminder letters for some hearings,
referral sources, conflict checks at intake, and right-to-sue notices with the suit deadlines they
start. Every name is the demo's (fictional). Then each report as a PDF, and its first page as a PNG.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import date, datetime, time, timedelta
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
    PdRequest,
    StatusChange,
)
from kantor_cases.domain.clock import FixedClock  # noqa: E402
from kantor_cases.domain.reports import REPORT_IDS, ReportFilters  # noqa: E402
from kantor_cases.services import locations  # noqa: E402
from kantor_cases.services.demo import generate_demo  # noqa: E402
from kantor_cases.services.office import Office, fallback_user  # noqa: E402

TODAY = datetime(2026, 6, 1, 9, 0)
# The way each PD status is usually reached (DOMAIN.md §3).
PATHS = {
    "submitted": ["submitted"],
    "under_review": ["submitted", "under_review"],
    "info_requested": ["submitted", "under_review", "info_requested"],
    "no_response": ["submitted", "no_response"],
    "offer_received": ["submitted", "under_review", "offer_received"],
    "background_check": ["submitted", "under_review", "offer_received", "background_check"],
    "cleared": ["submitted", "under_review", "offer_received", "background_check", "cleared"],
    "adverse": ["submitted", "under_review", "offer_received", "background_check", "adverse"],
    "offer_accepted": ["submitted", "offer_received", "background_check", "cleared", "offer_accepted"],
    "offer_declined": ["submitted", "offer_received", "offer_declined"],
    "joint_motion_filed": ["submitted", "offer_received", "background_check", "cleared", "offer_accepted",
                           "joint_motion_filed"],
    "granted": ["submitted", "under_review", "offer_received", "background_check", "cleared", "offer_accepted",
                "joint_motion_filed", "granted"],
    "denied": ["submitted", "under_review", "denied"],
    "withdrawn": ["submitted", "withdrawn"],
    "recalendared": ["submitted", "offer_received", "background_check", "cleared", "offer_accepted",
                     "joint_motion_filed", "granted", "recalendared"],
}
SOURCES = ["Radio Bilingüe", "Friend or family", "Mexican Consulate", "Parish referral", "Website", "Former client",
           "", "", ""]
REASONS = ["The judge extended the filing deadline at the master calendar hearing.",
           "Served by mail: 5 days added (8 CFR 1003.38(b)).", "Stipulated extension with OPLA."]


def enrich(office: Office, rng: Random) -> None:
    with office.database.write() as session:
        for request in session.scalars(select(PdRequest).where(PdRequest.submitted_on.is_not(None))):
            session.query(StatusChange).filter(StatusChange.pd_request_id == request.id).delete()
            if request.status in ("background_check", "under_review") and rng.random() < 0.5:
                # Some requests have waited a long time, as many did in 2011–2012.
                request.status_changed_on = max(request.submitted_on, TODAY.date() - timedelta(days=rng.randint(95, 260)))
            steps = PATHS.get(request.status, ["submitted", request.status])
            start = datetime.combine(request.submitted_on, time(9, 0))
            end = datetime.combine(max(request.status_changed_on, request.submitted_on), time(9, 0))
            cuts = sorted(rng.random() for _ in steps[1:])
            for index, status in enumerate(steps):
                at = start if index == 0 else start + (end - start) * cuts[index - 1]
                session.add(StatusChange(matter_id=request.matter_id, pd_request_id=request.id, track="pd",
                                         from_status=steps[index - 1] if index else None, to_status=status,
                                         at=at.replace(microsecond=0), user_name="demo"))
        for client in session.scalars(select(Client)):
            client.referral_source = rng.choice(SOURCES)
        for matter in session.scalars(select(Matter).where(Matter.opened_on >= date(2025, 6, 1))):
            if rng.random() < 0.7:
                hits = [{"kind": "client", "id": 1, "name": "(demo)", "reasons": ["same family name"], "score": 60}] \
                    if rng.random() < 0.1 else []
                matter.conflict_check = json.dumps({"candidate": "(demo)", "hits": hits})
                matter.conflict_acknowledged_by = "Ruth Kantor" if hits else ""
        matters = list(session.scalars(select(Matter.id).where(Matter.closed_on.is_(None))))
        for matter_id in rng.sample(matters, len(matters) // 3):
            due = TODAY.date() - timedelta(days=rng.randint(-30, 330))
            roll = rng.random()
            done = None
            if due < TODAY.date() and roll < 0.8:
                done = datetime.combine(due - timedelta(days=rng.randint(0, 6)), time(16, 0))
            elif due < TODAY.date() and roll < 0.9:
                done = datetime.combine(due + timedelta(days=rng.randint(1, 5)), time(10, 0))
            override = rng.choice(REASONS) if rng.random() < 0.05 else ""
            session.add(Deadline(matter_id=matter_id, rule_id=rng.choice(["bia-appeal", "filing-before-individual",
                                                                          "motion-response", "asylum-one-year", ""]),
                                 title="Deadline", due_on=due, done_at=done, override_reason=override,
                                 computed_due=due - timedelta(days=7) if override else None,
                                 created_by="demo", updated_by="demo"))
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
