"""What every benchmark shares: the machine's description, medians of repeated timings,
and a plain-text table with ratio columns and PASS/MISS against a target."""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib import metadata


def parser(description):
    """The command line every script accepts: ``--tiny`` (a quick run for the test suite)
    and ``--repeats`` (how many runs each median is taken over)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--tiny", action="store_true", help="a tiny size, for the test suite")
    p.add_argument("--repeats", type=int, default=None, help="runs per median (default: 5, tiny: 1)")
    return p


def median_time(fn, repeats, setup=None):
    """The median wall time (s) of ``fn()`` over ``repeats`` runs; ``setup()`` runs
    untimed before each."""
    times = []
    for _ in range(repeats):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def machine():
    """One paragraph on the machine: CPU, cores, memory, load and the versions measured."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = "?"
    try:
        with open("/proc/meminfo") as f:
            kib = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
        memory = f"{kib / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    versions = [f"Python {platform.python_version()}"]
    for name in ("numpy", "scipy", "torch", "autograd", "jupyter-book", "nbgrader"):
        try:  # read from the installed metadata: importing torch takes seconds
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} not installed")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"machine: {cpu}, {os.cpu_count()} cores, {memory} RAM, {platform.system()} "
            f"{platform.release()}; load average (1/5/15 min) {load}\n"
            f"versions: {', '.join(versions)}\n"
            f"date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}")


def verdict(ratio, target):
    """``PASS`` when ``ratio <= target``, else ``MISS``; ``-`` without a ratio."""
    if ratio is None:
        return "-"
    return "PASS" if ratio <= target else "MISS"


def print_table(title, header, rows, notes=()):
    """Print a Markdown table (it pastes into benchmarks/README.md as is)."""
    cells = [[_cell(x) for x in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(header)]
    print(f"\n### {title}\n")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for r in cells:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
    for note in notes:
        print(f"\n{note}")
    sys.stdout.flush()


def _cell(x):
    if x is None:
        return "-"
    if isinstance(x, float):
        if x == 0:
            return "0"
        if abs(x) >= 100:
            return f"{x:.0f}"
        if abs(x) >= 1:
            return f"{x:.2f}"
        return f"{x:.3g}"
    return str(x)


def header(title):
    print(f"## {title}\n")
    print(machine())
    sys.stdout.flush()


def run(cmd, **kwargs):
    """Run a command, raise with its output if it fails."""
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {result.returncode}:\n"
                           f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result
