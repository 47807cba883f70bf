"""The benchmark on PostgreSQL: it empties the database it is given, so it takes only one named for
benchmarks or tests, and it builds its demo office there once and reuses it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.postgres import checked_url
from kantor_cases.domain.errors import KantorError

ROOT = Path(__file__).resolve().parents[2]
URL = os.environ.get("KANTOR_TEST_POSTGRES_URL", "")


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "benchmarks", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.parametrize("name", ["kantor", "kantor_bench_2026", "kantor_testing", ""])
def test_a_database_not_named_for_benchmarks_or_tests_is_refused(name):
    with pytest.raises(KantorError, match="must end in _bench or _test"):
        checked_url(f"postgresql+psycopg://kantor:kantor@localhost/{name}")


@pytest.mark.parametrize("name", ["kantor_bench", "office_test"])
def test_a_database_named_for_benchmarks_or_tests_is_taken(name):
    assert checked_url(f"postgresql+psycopg://kantor:kantor@localhost/{name}").database == name


def test_a_sqlite_location_is_not_taken_for_the_postgres_benchmark(tmp_path):
    with pytest.raises(KantorError, match="PostgreSQL URL"):
        checked_url(f"sqlite:///{tmp_path}/office_bench")


def test_the_benchmark_stops_before_connecting_to_an_office_database(tmp_path):
    # Port 1 answers nothing: had the benchmark tried to connect, the error would be a connection's.
    run = _bench("--db", "postgresql+psycopg://kantor:kantor@127.0.0.1:1/kantor", "--cache", str(tmp_path))
    assert run.returncode == 2
    assert "Refusing to benchmark on the database 'kantor'" in run.stderr
    assert "connection" not in run.stderr.lower()


def test_only_search_and_the_list_are_measured_on_postgres(tmp_path):
    run = _bench("--db", "postgresql+psycopg://kantor:kantor@127.0.0.1:1/kantor_bench", "--only", "import",
                 "--cache", str(tmp_path))
    assert run.returncode == 2
    assert "only search and the clients list" in run.stderr


@pytest.mark.skipif(not URL, reason="set KANTOR_TEST_POSTGRES_URL (CI starts a PostgreSQL server)")
def test_the_benchmark_builds_its_office_on_postgres_once_and_measures_search_there(tmp_path):
    figures_file = tmp_path / "postgres.json"
    arguments = ("--db", URL, "--clients", "150", "--only", "search", "--json", str(figures_file),
                 "--cache", str(tmp_path / "cache"))

    first = _bench(*arguments, "--rebuild")
    assert first.returncode == 0, first.stderr
    figures = json.loads(figures_file.read_text(encoding="utf-8"))
    details = json.loads(figures_file.with_name("postgres.details.json").read_text(encoding="utf-8"))
    assert figures["postgresql_version"] and figures["clients"] == 150
    assert figures["search_p95_ms"] > 0 and figures["search_raw_p95_ms"] > 0
    assert details["demo"]["measured_in_this_run"] is True
    assert details["search"]["plans"]["statements"] > 0
    assert "| search p95 |" in first.stdout and "≤ 30 ms" in first.stdout

    again = _bench(*arguments)
    assert again.returncode == 0, again.stderr
    assert "building a demo office" not in again.stderr
    details = json.loads(figures_file.with_name("postgres.details.json").read_text(encoding="utf-8"))
    assert details["demo"]["measured_in_this_run"] is False
