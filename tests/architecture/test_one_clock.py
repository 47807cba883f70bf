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


def _checked_files() -> list[str]:
    return sorted(str(path.relative_to(PACKAGE)) for package in CHECKED
                  for path in (PACKAGE / package).rglob("*.py") if str(path.relative_to(PACKAGE)) != THE_CLOCK)


@pytest.mark.parametrize("name", _checked_files())
def test_reads_the_office_clock_not_the_wall_clock(name: str) -> None:
    lines = (PACKAGE / name).read_text(encoding="utf-8").splitlines()
    found = [f"{name}:{number}: {line.strip()}" for number, line in enumerate(lines, 1) if WALL_CLOCK.search(line)]
    assert not found, "use self.clock / office.clock instead of the wall clock:\n" + "\n".join(found)

