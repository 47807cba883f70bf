"""Start-up and memory, in child processes: process start to the main window painted with the office
open, beside a bare PySide6 window; and the peak RSS of the app with the Clients list at its end.

Each child gets private XDG folders, so the benchmark neither reads nor writes the user's settings
and logs. The app child leaves as soon as it has reported (see app_child), so no exit backup or
background job of one start runs into the next.

An encrypted office is signed in to as a scripted desk does it, through KANTOR_CASES_USER and
KANTOR_CASES_PASSWORD_FILE (the time a person types is not the program's): the Argon2id key
derivation is inside the start-up figure, and `measure_key_derivation` gives it on its own.

The children keep their compiled bytecode in a private folder (PYTHONPYCACHEPREFIX), written by the
untimed first start: an installed Kantor Cases has its .pyc files (pip compiles them), while a
shell with PYTHONDONTWRITEBYTECODE would otherwise compile every module of the app at every start.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kantor_cases.db.office_keys import DEFAULT_KDF
from kantor_cases.services.locations import ENV_PASSWORD_FILE, ENV_USER

from .measure import median
from .office_cache import BENCH_USER

RUNS = 5
TIMEOUT_S = 180


@dataclass(frozen=True)
class StartupFigures:
    app_s: float
    bare_s: float
    app_runs: list[float]
    bare_runs: list[float]


@dataclass(frozen=True)
class KeyDerivation:
    median_s: float
    runs: list[float]
    parameters: dict[str, int]


def _environment(home: Path, password: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[variable] = str(home / variable.lower())
    env.pop("KANTOR_CASES_DB", None)
    env.pop(ENV_USER, None)
    env.pop(ENV_PASSWORD_FILE, None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    if password is not None:
        password_file = home / "password"
        password_file.write_text(password + "\n", encoding="utf-8")
        password_file.chmod(0o600)
        env[ENV_USER] = BENCH_USER
        env[ENV_PASSWORD_FILE] = str(password_file)
    return env


def _run_child(args: list[str], home: Path, password: str | None = None) -> tuple[float, list[str]]:
    """Seconds from starting the child to its `shown` line, and everything it printed."""
    env = _environment(home, password)
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "benchmarks.app_child", *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env,
                             cwd=Path(__file__).resolve().parent.parent)
    assert child.stdout is not None
    shown_after = None
    lines = []
    for line in child.stdout:
        lines.append(line.strip())
        if line.startswith("shown") and shown_after is None:
            shown_after = time.perf_counter() - started
    try:
        _, errors = child.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        child.kill()
        raise RuntimeError(f"the {args[0]} child hung") from None
    if shown_after is None or child.returncode != 0:
        raise RuntimeError(f"the {args[0]} child failed (exit {child.returncode}): {errors.strip()[-2000:]}")
    return shown_after, lines


def measure_startup(database: Path, password: str | None = None) -> StartupFigures:
    """Start-up of the office at `database`, signed in with `password` when it is encrypted."""
    with tempfile.TemporaryDirectory(prefix="kantor-bench-home-") as home:
        # One untimed start of each warms the page cache (and writes the bytecode), as any second
        # start of the day finds them.
        _run_child(["app", "--db", str(database)], Path(home), password)
        _run_child(["bare"], Path(home))
        app_runs, bare_runs = [], []
        for _ in range(RUNS):
            app_runs.append(_run_child(["app", "--db", str(database)], Path(home), password)[0])
            bare_runs.append(_run_child(["bare"], Path(home))[0])
    return StartupFigures(median(app_runs), median(bare_runs), app_runs, bare_runs)


def measure_key_derivation(runs: int = RUNS) -> KeyDerivation:
    """Seconds for one Argon2id derivation at the office's defaults (DEFAULT_KDF), as a sign-in does."""
    times = []
    for run in range(runs):
        started = time.perf_counter()
        DEFAULT_KDF.derive("a password of the usual length", bytes([run]) * 16)
        times.append(time.perf_counter() - started)
    return KeyDerivation(median(times), times, {"time_cost": DEFAULT_KDF.time_cost,
                                                "memory_kib": DEFAULT_KDF.memory_kib,
                                                "parallelism": DEFAULT_KDF.parallelism})


def measure_rss(database: Path, password: str | None = None) -> tuple[float, float]:
    """The app's peak resident memory (MB) with the Clients list at its end, and what it holds then."""
    with tempfile.TemporaryDirectory(prefix="kantor-bench-home-") as home:
        _, lines = _run_child(["rss", "--db", str(database)], Path(home), password)
    problems = [line for line in lines if line.startswith("error")]
    if problems:
        raise RuntimeError(problems[0])
    _, peak, now = next(line.split() for line in lines if line.startswith("rss "))
    return float(peak), float(now)
