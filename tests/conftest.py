"""Shared test set-up: headless Qt, private user folders, and a fresh office database per test."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from plain_office import plain_office

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


@pytest.fixture
def damaged_office(tmp_path: Path) -> Path:
    """An office with a few hundred clients and one page in the middle overwritten with garbage, as
    a failing disk or a bad copy leaves it."""
    from kantor_cases.cli import main as cli_main

    path = tmp_path / "office" / "kantor-cases.sqlite3"
    assert cli_main(["--db", plain_office(path), "demo", "--clients", "150", "--seed", "3"]) == 0
    size = path.stat().st_size
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    with open(path, "r+b") as handle:
        handle.seek((size // 4096 // 2) * 4096)
        handle.write(b"\xde\xad\xbe\xef" * 1024)
    return path
