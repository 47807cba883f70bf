"""Run by `make wheel-check` with the Python of a fresh virtual environment that has only the built
wheel installed, from outside the source tree: the installed package must carry its migrations,
fonts, templates and icons — a letter renders and the window opens (offscreen).

Not a pytest module: it needs that other environment. Exit code 0 when everything worked.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"


def main() -> int:
    import kantor_cases

    installed = Path(kantor_cases.__file__).resolve()
    assert "site-packages" in installed.parts, f"kantor_cases was imported from {installed}, not the wheel"
    work = Path(tempfile.mkdtemp(prefix="kantor-wheel-"))
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[variable] = str(work / variable.lower())
    database = work / "office.sqlite3"
    cli = Path(sys.executable).with_name("kantor-cases-cli")
    # The demo office is encrypted: the wheel must carry what derives keys and signs in.
    password = "wheel check password"
    (work / "password").write_text(password + "\n", encoding="utf-8")
    os.environ.update(KANTOR_CASES_USER="admin", KANTOR_CASES_PASSWORD_FILE=str(work / "password"))

    def run(*args: str) -> str:
        done = subprocess.run([str(cli), "--db", str(database), *args], capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"kantor-cases {' '.join(args)} failed: {done.stderr}"
        return done.stdout

    run("demo", "--clients", "5", "--seed", "1")
    letter = work / "letter.pdf"
    run("letters", "render", "document-request", "--client", "1", "--lang", "es", "--out", str(letter))
    assert letter.read_bytes().startswith(b"%PDF"), "the rendered letter is not a PDF"

    from kantor_cases.services import locations
    from kantor_cases.services.office import Office
    from kantor_cases.ui.shell.application import ensure_application
    from kantor_cases.ui.shell.main_window import MainWindow

    app = ensure_application()
    office = Office.open(locations.resolve(str(database)), "admin", password=password)
    window = MainWindow(office)
    window.show()
    app.processEvents()
    assert not window.grab().isNull()
    assert not app.windowIcon().isNull(), "the application icon is missing from the wheel"
    assert all(not window.navigation.item(row).icon().isNull() for row in range(window.navigation.count()))
    window.shutdown()
    office.close()
    print(f"wheel check: letter rendered ({letter.stat().st_size:,} bytes) and window opened from {installed.parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
