"""UI test set-up: small offices built through the services, and a 300,000-client office built fast.

The large office is written straight into the SQLite file with the columns `ClientService.create`
writes (`client_columns`), cached under pytest's cache folder keyed by the schema head, so only
the first run pays the few seconds it takes.
"""

from __future__ import annotations

import itertools
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kantor_cases.domain.records import (
    ClientDraft,
    HearingDraft,
    MatterDraft,
    RemovalCaseDraft,
)
from kantor_cases.services.hearings import HearingService

LARGE_CLIENTS = 300_000

_GIVEN = ["María", "José", "Ana", "Luis", "Anahit", "Nguyễn", "Łukasz", "Дмитрий", "伟", "Min-jun", "Maria Luisa",
          "D'Andre", "Jean-Pierre", "Lorna", "Carmen", "Aram", "Thảo", "Olga", "Juan Carlos", "Mei"]
_FAMILY = ["García", "Hernández", "Petrosyan", "Trần", "Kowalski", "Петросян", "王", "Kim", "Santos", "O'Neil",
           "López", "Martínez", "Sargsyan", "Phạm", "Ivanova", "Li", "Park", "Reyes", "Díaz", "Gómez"]
_SECOND = ["", "López", "", "Ruiz", "", "", "Castillo", "", "", ""]


def add_client(office, given: str, family: str = "", **fields) -> int:
    return office.clients.create(ClientDraft(given_name=given, family_name=family, **fields)).id


def add_removal_matter(office, client_id: int, **removal) -> int:
    court = office.settings.courts()[0]
    draft = MatterDraft(kind="removal", title="Removal defense",
                        removal=RemovalCaseDraft(court_id=court.id, judge="Judge Rivera", **removal))
    return office.matters.create(client_id, draft).id


def add_hearing(office, matter_id: int, days_ahead: int = 10, hearing_type: str = "master") -> int:
    starts = (datetime.now() + timedelta(days=days_ahead)).replace(hour=9, minute=0, second=0, microsecond=0)
    # The day the test asks for, even when the courts are closed then: confirmed as a special setting.
    closed = HearingService.closed_court_day(starts) is not None
    return office.hearings.add_hearing(matter_id, HearingDraft(starts_at=starts, hearing_type=hearing_type,
                                                               judge="Judge Rivera", special_setting=closed)).id


@pytest.fixture(scope="session", autouse=True)
def _cycles_freed_on_the_gui_thread(qapp):
    """As in the window (`application.run`): a worker's allocations never set the cycle collector off
    on the worker, where freeing a dropped widget's cycle crashes the process."""
    from kantor_cases.ui.shell.collector import GuiThreadCollector

    collector = GuiThreadCollector()
    yield collector
    collector.stop()


@pytest.fixture(autouse=True)
def _collect_after_each_test(_cycles_freed_on_the_gui_thread):
    # Tests that never wait on the event loop would otherwise leave their cycles for the timer.
    yield
    _cycles_freed_on_the_gui_thread.collect_due()


@pytest.fixture
def small_office(office):
    """Five clients, one detained, one sensitive, one Spanish-speaking with a hearing in 10 days."""
    ids = {
        "maria": add_client(office, "María", "García", second_family_name="López", preferred_language="es",
                            a_number="A012345678", phone="(213) 555-0101"),
        "aram": add_client(office, "Aram", "Petrosyan", detained=True, detention_facility="Adelanto"),
        "thao": add_client(office, "Thảo", "Nguyễn", sensitive=True),
        "olga": add_client(office, "Olga", "Ivanova"),
        "jose": add_client(office, "José", "Hernández", preferred_language="es"),
    }
    matter_id = add_removal_matter(office, ids["maria"])
    add_hearing(office, matter_id, days_ahead=10)
    ids["maria_matter"] = matter_id
    return office, ids


def _build_large_database(path: Path) -> None:
    from kantor_cases.services import locations
    from kantor_cases.services.clients import client_columns
    from kantor_cases.services.office import Office

    office = Office.open(locations.resolve(str(path)), "Ana")
    office.close()
    import sqlcipher3

    # Column values per distinct name are computed once; 300,000 rows reuse 4,000 name combinations.
    templates = []
    for given, family, second in itertools.product(_GIVEN, _FAMILY, _SECOND):
        values = client_columns(ClientDraft(given_name=given, family_name=family, second_family_name=second))
        templates.append(values)
    columns = [*templates[0].keys(), "created_by", "updated_by", "version", "created_at", "updated_at"]
    stamp = "2026-01-05 09:00:00.000000"
    born = date(1960, 1, 1)

    def rows():
        for i in range(LARGE_CLIENTS):
            values = dict(templates[(i * 7919) % len(templates)])
            values["a_number"] = f"A{200000000 + i:09d}"
            values["date_of_birth"] = (born + timedelta(days=i % 15000)).isoformat()
            values["preferred_language"] = "es" if i % 3 == 0 else "en"
            values["detained"] = 1 if i % 50 == 0 else 0
            values["sensitive"] = 1 if i % 97 == 0 else 0
            values["intake_date"] = None
            yield tuple([*values.values(), "demo", "demo", 1, stamp, stamp])

    connection = sqlcipher3.connect(str(path))
    try:
        placeholders = ", ".join("?" for _ in columns)
        connection.executemany(f"INSERT INTO clients ({', '.join(columns)}) VALUES ({placeholders})", rows())
        connection.commit()
        connection.execute("ANALYZE")
        connection.commit()
    finally:
        connection.close()


@pytest.fixture(scope="session")
def large_database(request, tmp_path_factory) -> Path:
    """The path of a 300,000-client office, built once and cached between runs."""
    from kantor_cases.db import migrate

    key = f"kantor-{LARGE_CLIENTS}-{migrate.head_revision()}"
    cache_dir = Path(request.config.cache.mkdir(key))
    cached = cache_dir / "office.sqlite3"
    if not cached.exists():
        building = cache_dir / "building.sqlite3"
        for leftover in cache_dir.glob("building.sqlite3*"):
            leftover.unlink()
        _build_large_database(building)
        building.rename(cached)
    # Each session works on a copy, so nothing a test writes leaks into the cache.
    working = tmp_path_factory.mktemp("large") / "office.sqlite3"
    shutil.copyfile(cached, working)
    return working


@pytest.fixture
def large_office(large_database):
    from kantor_cases.services import locations
    from kantor_cases.services.office import Office

    opened = Office.open(locations.resolve(str(large_database)), "Ana")
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def settings_folder(tmp_path):
    """Each test remembers into a folder of its own: a window size or a chosen user never leaks into the next."""
    from PySide6.QtCore import QSettings

    folder = tmp_path / "settings"
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def privacy_mode_off():
    """Privacy mode is one switch for the whole window; no test leaves it on for the next."""
    from kantor_cases.ui.widgets import privacy

    privacy.set_enabled(False)
    yield
    privacy.set_enabled(False)


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch):
    """Message boxes never block a test: each is recorded (title, text) and answered with a default.

    Questions are answered Discard/No so a failing test's teardown does not hang on "Save changes?".
    """
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str, str]] = []

    def recorder(kind, answer):
        def show(_parent, title, text, *args, **kwargs):
            shown.append((kind, title, text))
            return answer
        return show

    monkeypatch.setattr(QMessageBox, "question", recorder("question", QMessageBox.StandardButton.Discard))
    monkeypatch.setattr(QMessageBox, "warning", recorder("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "information", recorder("information", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "critical", recorder("critical", QMessageBox.StandardButton.Ok))
    return shown


@pytest.fixture
def build():
    """The helpers above, for tests that add their own records: build.client(office, "Luis", "Reyes")."""
    from types import SimpleNamespace

    return SimpleNamespace(client=add_client, removal_matter=add_removal_matter, hearing=add_hearing)
