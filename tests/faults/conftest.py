"""Fault-test set-up: children forked from a server that has imported the app, offices to break,
and how many runs (a few dozen in `make test`, hundreds with --long)."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import os
import shutil
from pathlib import Path

import pytest

from kantor_cases.domain.records import ClientDraft
from kantor_cases.services import locations
from kantor_cases.services.office import Office

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def children() -> multiprocessing.context.BaseContext:
    """A process context whose children import nothing: they are forked from a server that loaded
    `fault_children` (and with it the whole app) once."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["fault_children"])
    # Python 3.11's fork server does not apply our sys.path before preloading (and silently skips
    # a module it cannot import), so it is told where this folder is through its environment.
    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(HERE), *([previous] if previous else [])])
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        if previous is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = previous
    return context


@pytest.fixture(scope="session")
def template_office(tmp_path_factory) -> Path:
    """A closed office with a handful of clients, to copy for each run."""
    path = tmp_path_factory.mktemp("template") / "office.sqlite3"
    office = Office.open(locations.resolve(str(path)), "Ana")
    for number in range(5):
        office.clients.create(ClientDraft(given_name="Existing", family_name=f"Client{number}"))
    office.close()
    shutil.rmtree(path.parent / "backups", ignore_errors=True)
    return path


@pytest.fixture
def office_copy(template_office, tmp_path) -> Path:
    target = tmp_path / "office" / "office.sqlite3"
    target.parent.mkdir()
    shutil.copyfile(template_office, target)
    return target
