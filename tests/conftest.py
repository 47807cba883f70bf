"""Shared test set-up: headless Qt, private user folders, and a fresh office database per test."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Tests never touch the real user's data, config or log folders.
_private_home = Path(tempfile.mkdtemp(prefix="kantor-tests-"))
for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[variable] = str(_private_home / variable.lower())
os.environ.pop("KANTOR_CASES_DB", None)
os.environ.pop("KANTOR_CASES_USER", None)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--long", action="store_true", help="run the fault tests many more times")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--long"):
        return
    skip = pytest.mark.skip(reason="long run: use --long")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "office" / "kantor-cases.sqlite3"


@pytest.fixture
def office(db_path: Path):
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    opened = Office.open(locations.resolve(str(db_path)), "Ana")
    yield opened
    opened.close()
