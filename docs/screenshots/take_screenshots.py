"""Screenshots of each main screen for the README: `xvfb-run -a .venv/bin/python docs/screenshots/take_screenshots.py`.

Builds a demo office (and an empty one, for what a first-time user sees) in a temporary folder,
opens the real window on each, and saves one PNG per screen beside this script.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="kantor-shots-config-"))


def shrink(path: Path) -> None:
    """A 256-colour palette keeps each screenshot well under 200 KB (ImageMagick, when installed)."""
    if shutil.which("convert"):
        subprocess.run(["convert", str(path), "-colors", "256", f"PNG8:{path}"], check=True)
    print(f"{path.name}: {path.stat().st_size // 1024} KB")


def main() -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from kantor_cases.services import locations
    from kantor_cases.services.demo import generate_demo
    from kantor_cases.services.office import Office
    from kantor_cases.ui.shell.application import ensure_application
    from kantor_cases.ui.shell.main_window import MainWindow

    app = ensure_application()
    QSettings().clear()
    folder = Path(tempfile.mkdtemp(prefix="kantor-shots-"))

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def save(widget, name: str) -> None:
        settle()
        path = HERE / f"{name}.png"
        widget.grab().save(str(path), "PNG")
        shrink(path)

    # A first start: an empty database.
    empty = Office.open(locations.resolve(str(folder / "empty" / "office.sqlite3")), "Ana")
    window = MainWindow(empty)
    window.resize(1280, 760)
    window.show()
    save(window, "first-start-today")
    window.show_screen("Clients")
    save(window, "first-start-clients")
    window.show_screen("Settings")
    save(window, "first-start-settings")
    window.close()
    empty.close()

    # A demo office.
    office = Office.open(locations.resolve(str(folder / "demo" / "office.sqlite3")), "Ana")
    generate_demo(office.database, clients=int(os.environ.get("SHOT_CLIENTS", "3000")), seed=1)
    users = office.settings.users()
    if users:
        office.user = users[0].name
    window = MainWindow(office)
    window.resize(1280, 760)
    window.show()
    for screen in ("Today", "Clients", "Matters", "Hearings", "PD requests", "Follow-ups", "Calendar", "Settings"):
        window.show_screen(screen)
        save(window, screen.lower().replace(" ", "-"))

    # Search type-ahead.
    window.show_screen("Clients")
    window.search_box.setFocus()
    window.search_box.setText("garc")
    window.search_box.run_search()
    settle()
    # The results float in their own window: photograph the screen where the main window is.
    frame = window.frameGeometry()
    shot = app.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
    shot.save(str(HERE / "search.png"), "PNG")
    shrink(HERE / "search.png")
    window.search_box.popup.hide()

    # A client with a removal matter, hearings and a PD request, and that matter.
    rows = office.pd_requests.pd_requests(status="background_check", limit=1) or office.pd_requests.pd_requests(limit=1)
    matter_id = rows[0].matter_id
    matter = office.matters.get(matter_id)
    client_window = window.open_client(matter.client_id)
    client_window.resize(1100, 720)
    save(client_window, "client-profile")
    client_window.tabs.setCurrentIndex(1)
    save(client_window, "client-matters")
    client_window.tabs.setCurrentIndex(6)
    save(client_window, "client-history")
    matter_window = window.open_matter(matter_id)
    matter_window.resize(1180, 800)
    save(matter_window, "matter-removal")
    matter_window.tabs.setCurrentIndex(1)
    save(matter_window, "matter-hearings")
    matter_window.tabs.setCurrentIndex(2)
    save(matter_window, "matter-pd-request")
    employment = office.matters.page(0, 1, kind="employment")
    if employment:
        employment_window = window.open_matter(employment[0].id)
        employment_window.resize(1180, 760)
        save(employment_window, "matter-employment")
    benefit = office.matters.page(0, 1, kind="benefit")
    if benefit:
        benefit_window = window.open_matter(benefit[0].id)
        benefit_window.resize(1180, 560)
        save(benefit_window, "matter-benefit")

    wizard = window.new_client()
    wizard.identity.form.edits["given_name"].setText("María")
    wizard.identity.form.edits["family_name"].setText("García")
    wizard.identity.form.edits["second_family_name"].setText("López")
    save(wizard, "intake-identity")
    wizard.next()
    settle()
    save(wizard, "intake-conflicts")
    wizard.reject()
    for child in list(window.client_windows.values()) + list(window.matter_windows.values()):
        child.close()
    window.close()
    office.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
