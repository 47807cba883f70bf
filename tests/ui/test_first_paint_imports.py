"""What the window's thread imports before the first paint (issue 17: start-up). Modules a screen
needs only later — the follow-up dialog, the agenda and its ORM models — are imported when first
used, or on the thread pool, never while the window is being built; and the program paints its
window before it imports SQLAlchemy at all (the screens' first reads wait for the paint)."""

from __future__ import annotations

import os
import subprocess
import sys

from plain_office import plain_office

from kantor_cases.services.office import fallback_user

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


# Starts the program as `kantor-cases --db OFFICE --user NAME` does; at the window's first paint says
# which of the database layer's modules are imported, then waits for Today's list to be shown.
PROGRAM = """
import os
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication([])


class FirstPaint(QObject):
    done = False

    def eventFilter(self, watched, event):
        if not self.done and event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            self.done = True
            print(sorted(name for name in ("sqlalchemy", "kantor_cases.db.models", "kantor_cases.services.agenda")
                         if name in sys.modules), flush=True)
            QTimer.singleShot(0, lambda: wait_for_today(watched))
        return False


def wait_for_today(window):
    today = window.panels["Today"]

    def check():
        if today.title_label.text() and not today.busy:
            print("Today:", today.summary_label.text(), flush=True)
            os._exit(0)

    timer = QTimer(app)
    timer.timeout.connect(check)
    timer.start(10)
    QTimer.singleShot(60_000, lambda: os._exit(3))


first_paint = FirstPaint(app)
app.installEventFilter(first_paint)
from kantor_cases.app import main

sys.exit(main(["--db", sys.argv[1], "--user", sys.argv[2]]))
"""


def test_the_window_paints_before_sqlalchemy_is_imported_and_today_fills_after(tmp_path):
    path = plain_office(tmp_path / "office.sqlite3")
    result = subprocess.run([sys.executable, "-c", PROGRAM, path, fallback_user()], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                                              "XDG_CONFIG_HOME": str(tmp_path / "config"),
                                              "XDG_DATA_HOME": str(tmp_path / "data"),
                                              "XDG_STATE_HOME": str(tmp_path / "state")})
    assert result.returncode == 0, result.stderr[-2000:]
    at_first_paint, today = result.stdout.strip().splitlines()[-2:]
    assert at_first_paint == "[]"
    assert today == f"Today: Nothing overdue or due this week for {fallback_user()}."
