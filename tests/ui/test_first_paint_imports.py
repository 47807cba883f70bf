"""What the window's thread imports before the first paint (issue 17: start-up). Modules a screen
needs only later — the follow-up dialog, the agenda and its ORM models — are imported when first
used, or on the thread pool, never while the window is being built."""

from __future__ import annotations

import subprocess
import sys

from plain_office import plain_office

# Builds the main window on an office, with the thread pool stopped from doing anything, and says
# which of the later modules the window's thread imported on its own.
CHILD = """
import sys
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication
app = QApplication([])
QThreadPool.globalInstance().setMaxThreadCount(1)
blocker = __import__("threading").Event()
from PySide6.QtCore import QRunnable
class Hold(QRunnable):
    def run(self):
        blocker.wait(30)
QThreadPool.globalInstance().start(Hold())
from kantor_cases.services import locations
from kantor_cases.services.office import Office
from kantor_cases.ui.shell.main_window import MainWindow
office = Office.open(locations.resolve(sys.argv[1]), "Ana", check_later=True)
window = MainWindow(office)
print(sorted(name for name in ("kantor_cases.ui.widgets.follow_up_dialog", "kantor_cases.services.agenda")
             if name in sys.modules))
blocker.set()
window.shutdown()
"""


def test_building_the_window_leaves_the_agenda_and_the_follow_up_dialog_for_later(tmp_path):
    path = plain_office(tmp_path / "office.sqlite3")
    result = subprocess.run([sys.executable, "-c", CHILD, path], capture_output=True, text=True, timeout=120,
                            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen",
                                 "XDG_CONFIG_HOME": str(tmp_path / "config"),
                                 "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state")})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"
