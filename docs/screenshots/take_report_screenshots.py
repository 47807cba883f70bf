"""Screenshots of the Reports screen, one per report at 1,024 × 700 and 1,440 × 900:
`QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/take_report_screenshots.py`.

Builds a small demo office dated 1 June 2026 in a temporary folder, opens the real window on it and
saves `reports-<report>-<width>x<height>.png` beside this script.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="kantor-shots-config-"))
SIZES = ((1024, 700), (1440, 900))


def main() -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from kantor_cases.domain.clock import FixedClock
    from kantor_cases.domain.reports import REPORTS
    from kantor_cases.services import locations
    from kantor_cases.services.demo import generate_demo
    from kantor_cases.services.office import Office
    from kantor_cases.ui.shell.application import ensure_application
    from kantor_cases.ui.shell.main_window import MainWindow

    app = ensure_application()
    QSettings().clear()
    clock = FixedClock(datetime(2026, 6, 1, 9, 0))
    office = Office.open(locations.resolve(str(Path(tempfile.mkdtemp(prefix="kantor-shots-")) / "office.sqlite3")),
                         "Ana", clock=clock)
    generate_demo(office.database, clients=int(os.environ.get("SHOT_CLIENTS", "400")), seed=1, clock=clock)
    attorneys = office.settings.attorneys()
    if attorneys:
        office.user = attorneys[0].name
    window = MainWindow(office)
    # A plain demo file: an office in use is encrypted and shows no such banner.
    window.encrypt_banner.hide()
    window.show()
    panel = window.show_screen("Reports")

    def settle(until=lambda: True) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            app.processEvents()
            if until() and not panel.busy and not window.busy:
                break
            time.sleep(0.02)
        for _ in range(10):
            app.processEvents()

    window.welcome.hide()
    for width, height in SIZES:
        window.resize(width, height)
        for kind in REPORTS:
            panel.choose_report(kind.id)
            settle(lambda kind=kind: panel.result is not None and panel.result.report == kind.id)
            path = HERE / f"reports-{kind.id}-{width}x{height}.png"
            window.grab().save(str(path), "PNG")
            print(f"{path.name}: {path.stat().st_size // 1024} KB")
    window.close()
    office.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
