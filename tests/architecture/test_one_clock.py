"""Nothing below `Office` reads the wall clock: "today" and "now" come from `office.clock`.

A test (or a demo) pins a day by handing `Office` a `FixedClock`; one `date.today()` left deep in a
service would quietly count from the real day instead. `db/` keeps its own wall clock for backup
file names and row stamps, and `domain/clock.py` is the one place that asks the system.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "kantor_cases"
CHECKED = ("services", "domain", "letters", "cli", "ui")
THE_CLOCK = "domain/clock.py"
# A reference counts as much as a call: `today: Callable[[], date] = date.today` reads the wall clock too.
WALL_CLOCK = re.compile(r"\b(date\.today|datetime\.(now|today|utcnow)|QDate\.currentDate|QDateTime\.currentDateTime)\b")
# Files whose owners have not switched to the clock yet. Each is expected to fail (strict: a file
# that no longer reads the wall clock must leave this list).
PENDING: dict[str, str] = {
    "services/sign_in.py": "sign-in delays are stamped on the key file's own wall clock; not yet given the office's",
}


def _checked_files() -> list[str]:
    return sorted(str(path.relative_to(PACKAGE)) for package in CHECKED
                  for path in (PACKAGE / package).rglob("*.py") if str(path.relative_to(PACKAGE)) != THE_CLOCK)


def _case(name: str) -> object:
    if name in PENDING:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=PENDING[name]))
    return name


@pytest.mark.parametrize("name", [_case(name) for name in _checked_files()])
def test_reads_the_office_clock_not_the_wall_clock(name: str) -> None:
    lines = (PACKAGE / name).read_text(encoding="utf-8").splitlines()
    found = [f"{name}:{number}: {line.strip()}" for number, line in enumerate(lines, 1) if WALL_CLOCK.search(line)]
    assert not found, "use self.clock / office.clock instead of the wall clock:\n" + "\n".join(found)


def test_every_pending_file_still_exists() -> None:
    assert sorted(set(PENDING) - set(_checked_files())) == []
