"""Screenshots of each main screen for the README: `xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/screenshots/take_screenshots.py`.

Builds a demo office (and an empty one, for what a first-time user sees) in a temporary folder,
opens the real window on each, and saves every screen twice beside this script: at 1,024 × 700 (a
small laptop) and at 1,440 × 900, named with the size (`today-1024x700.png`, `today-1440x900.png`).
Its screenshots from before they were taken at two sizes (the unsized names) are deleted.
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


SIZES = ((1024, 700), (1440, 900))


def main() -> int:
    from PySide6.QtCore import QSettings, QThreadPool
    from PySide6.QtWidgets import QApplication, QWidget

    from kantor_cases.services import locations
    from kantor_cases.services.demo import generate_demo
    from kantor_cases.services.office import Office
    from kantor_cases.ui.shell.application import ensure_application
    from kantor_cases.ui.shell.main_window import MainWindow

    app = ensure_application()
    QSettings().clear()
    folder = Path(tempfile.mkdtemp(prefix="kantor-shots-"))
    made: set[str] = set()

    def settle() -> None:
        """Until the screens' loads off the window's thread are in and shown."""
        pool = QThreadPool.globalInstance()
        for _ in range(200):
            app.processEvents()
            if pool.activeThreadCount() == 0:
                break
            pool.waitForDone(25)
        for _ in range(10):
            app.processEvents()

    def save(widget: QWidget, name: str, size: tuple[int, int]) -> None:
        widget.resize(*size)
        settle()
        path = HERE / f"{name}-{size[0]}x{size[1]}.png"
        widget.grab().save(str(path), "PNG")
        made.add(path.name)
        shrink(path)

    def save_each_size(widget: QWidget, name: str) -> None:
        for size in SIZES:
            save(widget, name, size)

    # A first start: an empty database.
    empty = Office.open(locations.resolve(str(folder / "empty" / "office.sqlite3")), "Ana")
    window = MainWindow(empty)
    window.show()
    for screen in ("Today", "Clients", "Settings"):
        window.show_screen(screen)
        save_each_size(window, f"first-start-{screen.lower()}")
    window.close()
    empty.close()

    # A demo office.
    office = Office.open(locations.resolve(str(folder / "demo" / "office.sqlite3")), "Ana")
    generate_demo(office.database, clients=int(os.environ.get("SHOT_CLIENTS", "3000")), seed=1)
    users = office.settings.users()
    if users:
        office.user = users[0].name
    window = MainWindow(office)
    window.show()
    # Reports: take_report_screenshots.py takes the screen with each report run.
    for screen in ("Today", "Clients", "Matters", "Hearings", "PD requests", "Follow-ups", "Deadlines", "Calendar",
                   "Letters", "Settings"):
        window.show_screen(screen)
        save_each_size(window, screen.lower().replace(" ", "-"))

    # Search type-ahead: the results float in their own window, so the screen where the main
    # window is gets photographed.
    for size in SIZES:
        window.resize(*size)
        window.show_screen("Clients")
        window.search_box.setFocus()
        window.search_box.setText("garc")
        window.search_box.run_search()
        settle()
        frame = window.frameGeometry()
        shot = app.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
        name = f"search-{size[0]}x{size[1]}.png"
        shot.save(str(HERE / name), "PNG")
        made.add(name)
        shrink(HERE / name)
        window.search_box.popup.hide()

    # Help: the keyboard shortcuts, read from the window.
    shortcuts = window.show_shortcuts()
    save(shortcuts, "keyboard-shortcuts", (640, 560))
    shortcuts.close()

    # A client with a removal matter, hearings and a PD request, and that matter.
    rows = office.pd_requests.pd_requests(status="background_check", limit=1) or office.pd_requests.pd_requests(limit=1)
    matter_id = rows[0].matter_id
    matter = office.matters.get(matter_id)
    client_window = window.open_client(matter.client_id)
    assert client_window is not None
    save_each_size(client_window, "client-profile")
    client_window.tabs.setCurrentIndex(1)
    save_each_size(client_window, "client-matters")
    history = next(i for i in range(client_window.tabs.count()) if "story" in client_window.tabs.tabText(i))
    client_window.tabs.setCurrentIndex(history)
    save_each_size(client_window, "client-history")
    matter_window = window.open_matter(matter_id)
    assert matter_window is not None
    save_each_size(matter_window, "matter-removal")
    for name, words in (("matter-hearings", "Hearings"), ("matter-pd-request", "PD"),
                        ("matter-deadlines", "Deadlines")):
        tab = next((i for i in range(matter_window.tabs.count())
                    if words in matter_window.tabs.tabText(i).replace("&", "")), None)
        if tab is not None:
            matter_window.tabs.setCurrentIndex(tab)
            save_each_size(matter_window, name)
    for kind in ("employment", "benefit"):
        found = office.matters.page(0, 1, kind=kind)
        if found:
            other = window.open_matter(found[0].id)
            assert other is not None
            save_each_size(other, f"matter-{kind}")

    for size in SIZES:
        wizard = window.new_client()
        wizard.identity.form.edits["given_name"].setText("María")
        wizard.identity.form.edits["family_name"].setText("García")
        wizard.identity.form.edits["second_family_name"].setText("López")
        save(wizard, "intake-identity", size)
        wizard.next()
        settle()
        save(wizard, "intake-conflicts", size)
        wizard.done(0)
    for child in list(window.client_windows.values()) + list(window.matter_windows.values()):
        child.close()
    window.close()
    office.close()
    QApplication.processEvents()

    # This script's screenshots from before they were taken at two sizes (`today.png`): gone, so
    # nothing links a picture that is no longer kept up. Other scripts' PNGs here are theirs.
    for name in made:
        unsized = HERE / (name.rsplit("-", 1)[0] + ".png")
        if unsized.exists():
            unsized.unlink()
            print(f"{unsized.name}: deleted (taken at two sizes now)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
