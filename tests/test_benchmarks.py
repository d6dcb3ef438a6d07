"""Every script in benchmarks/ runs at its tiny size and prints its table.

The tiny runs need nothing beyond the test environment: no torch (update_rules.py leaves
out its torch column with --tiny), a one-page book, one submission. The full benchmarks
are `make benchmarks` (see benchmarks/README.md); they are not part of the suite.
"""

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SCRIPTS = sorted(p.name for p in BENCHMARKS.glob("*.py") if not p.name.startswith("_"))


def test_every_benchmark_is_covered():
    assert SCRIPTS == ["book_build.py", "class_grading.py", "grading.py", "second_order.py", "update_rules.py"]


@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_runs_at_tiny_size_and_prints_its_table(script):
    result = subprocess.run([sys.executable, script, "--tiny"], cwd=BENCHMARKS, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert "machine: " in out and "load average" in out and "versions: Python" in out
    assert "\n### " in out, "no table title"
    table = [line for line in out.splitlines() if line.startswith("| ")]
    assert len(table) >= 3, "the table has no rows"
    assert any("PASS" in line or "MISS" in line or "/ empty" in line for line in table)
