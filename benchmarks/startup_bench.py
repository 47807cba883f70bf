"""Start-up and memory, in child processes: process start to the main window painted with the office
open, beside a bare PySide6 window; and the peak RSS of the app with the Clients list at its end.

Each child gets private XDG folders, so the benchmark neither reads nor writes the user's settings
and logs. The app child leaves as soon as it has reported (see app_child), so no exit backup or
background job of one start runs into the next.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .measure import median

RUNS = 5
TIMEOUT_S = 180


@dataclass(frozen=True)
class StartupFigures:
    app_s: float
    bare_s: float
    app_runs: list[float]
    bare_runs: list[float]


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[variable] = str(home / variable.lower())
    env.pop("KANTOR_CASES_DB", None)
    env.pop("KANTOR_CASES_USER", None)
    return env


def _run_child(args: list[str], home: Path) -> tuple[float, list[str]]:
    """Seconds from starting the child to its `shown` line, and everything it printed."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "benchmarks.app_child", *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=_environment(home),
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


def measure_startup(database: Path) -> StartupFigures:
    with tempfile.TemporaryDirectory(prefix="kantor-bench-home-") as home:
        # One untimed start of each warms the page cache, as any second start of the day is.
        _run_child(["app", "--db", str(database)], Path(home))
        _run_child(["bare"], Path(home))
        app_runs, bare_runs = [], []
        for _ in range(RUNS):
            app_runs.append(_run_child(["app", "--db", str(database)], Path(home))[0])
            bare_runs.append(_run_child(["bare"], Path(home))[0])
    return StartupFigures(median(app_runs), median(bare_runs), app_runs, bare_runs)


def measure_rss(database: Path) -> float:
    with tempfile.TemporaryDirectory(prefix="kantor-bench-home-") as home:
        _, lines = _run_child(["rss", "--db", str(database)], Path(home))
    problems = [line for line in lines if line.startswith("error")]
    if problems:
        raise RuntimeError(problems[0])
    return float(next(line.split()[1] for line in lines if line.startswith("rss ")))
