"""Where the start-up's time goes: the steps from process start to the first paint, and on to Today's
list shown (read on the thread pool once the window has painted), median of several starts, with
their marks; the modules that cost the most to import (`python -X importtime`), and the functions
that cost the most (cProfile of one start). Offscreen, private settings, like make bench.

    .venv/bin/python -m benchmarks.startup_profile --db OFFICE [--password-file FILE] [--runs 7]

With --password-file the office is signed in to as `bench` (an encrypted office). The profiler and
-X importtime slow what they watch; the marks (no profiler) are the figures to quote, the other two
say what is inside them.
"""

from __future__ import annotations

import argparse
import io
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from .measure import median
from .startup_bench import _environment

ROOT = Path(__file__).resolve().parent.parent


def _child(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=180, check=True)


def timeline(database: Path, env: dict[str, str], runs: int) -> list[tuple[str, float]]:
    """Each step's median time since process start, in the order the steps happen."""
    _child(["-m", "benchmarks.app_child", "app", "--db", str(database)], env)  # warm the caches
    marks: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        started = time.perf_counter()
        done = _child(["-m", "benchmarks.app_child", "app", "--db", str(database)],
                      {**env, "KANTOR_BENCH_T0": repr(started), "KANTOR_BENCH_TODAY": "1"})
        for line in done.stdout.splitlines():
            if line.startswith("mark "):
                step, seconds = line[5:].rsplit(" ", 1)
                marks[step].append(float(seconds))
    return sorted(((step, median(times)) for step, times in marks.items()), key=lambda item: item[1])


def import_costs(database: Path, env: dict[str, str], top: int) -> tuple[float, list[tuple[float, str]]]:
    """All import time (ms), and the packages that cost the most: self time summed per package."""
    done = _child(["-X", "importtime", "-m", "benchmarks.app_child", "app", "--db", str(database)], env)
    per_package: dict[str, float] = defaultdict(float)
    total = 0.0
    for line in done.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
        if found:
            own = int(found.group(1)) / 1000
            name = found.group(3)
            total += own
            # kantor_cases by module (they are ours to change), everything else by package.
            per_package[name if name.startswith("kantor_cases") else name.split(".")[0]] += own
    return total, sorted(((ms, name) for name, ms in per_package.items()), reverse=True)[:top]


def profile(database: Path, env: dict[str, str], top: int) -> str:
    with tempfile.NamedTemporaryFile(suffix=".prof", delete=False) as handle:
        target = handle.name
    try:
        _child(["-m", "benchmarks.app_child", "app", "--db", str(database)],
               {**env, "KANTOR_BENCH_PROFILE": target})
        out = io.StringIO()
        stats = pstats.Stats(target, stream=out)
        stats.sort_stats("cumulative").print_stats(r"kantor_cases", top)
        return out.getvalue()
    finally:
        os.unlink(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the office to start (a copy: it is opened)")
    parser.add_argument("--password-file", type=Path, help="sign in as bench with this file's first line")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kantor-bench-home-") as home:
        password = args.password_file.read_text(encoding="utf-8").splitlines()[0] if args.password_file else None
        env = _environment(Path(home), password)
        print(f"load average {os.getloadavg()[0]:.2f}")
        print(f"\nsteps, median of {args.runs} starts (seconds since the process started):")
        before = 0.0
        for step, at in timeline(args.db, env, args.runs):
            print(f"  {at:6.3f}  (+{at - before:5.3f})  {step}")
            before = at
        total, costs = import_costs(args.db, env, args.top)
        print(f"\nimports (python -X importtime, one start): {total:.0f} ms in all; the costliest (self time):")
        for ms, name in costs:
            print(f"  {ms:7.1f} ms  {name}")
        print("\ncProfile of one start, kantor_cases functions by cumulative time:")
        print(profile(args.db, env, args.top))


if __name__ == "__main__":
    main()
