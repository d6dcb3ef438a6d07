"""The book build: a cold build that executes every chapter, a rebuild with nothing
changed, and (the peer) a build of the same book with execution turned off.

Every build runs ``jupyter-book build --warningiserror --keep-going`` (as ``make book``) in
a fresh copy of the repository in a temporary folder (the tracked files and the working
tree's changes; no ``_build``, no ``.venv``), so the output folder and the execution cache
(``_build/.jupyter_cache`` inside the copy) are new each time. The rebuild runs in the copy
the cold build just filled. The peer build sets ``execute_notebooks: off`` in the copy's
``_config.yml`` (and runs without ``--warningiserror``: chapters whose text refers to
outputs would warn). The chapters import ``course_opt`` from the copy.

Targets on a 2-core machine: cold < 180 s, rebuild < 20 s. With ``--tiny`` the same three
builds run on a one-page book written to the temporary folder (no course extensions), to
check that the script works.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import header, parser, print_table, run

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")

TINY_CONFIG = """title: tiny
only_build_toc_files: true
execute:
  execute_notebooks: cache
  cache: _build/.jupyter_cache
"""
TINY_TOC = "format: jb-book\nroot: intro\n"
TINY_PAGE = """---
kernelspec:
  name: python3
  display_name: Python 3
jupytext:
  text_representation:
    extension: .md
    format_name: myst
---
# Tiny

```{code-cell} ipython3
print(sum(range(10)))
```
"""


def fresh_copy(tiny):
    folder = Path(tempfile.mkdtemp(prefix="bench-book-")) / "book"
    if tiny:
        folder.mkdir()
        (folder / "_config.yml").write_text(TINY_CONFIG)
        (folder / "_toc.yml").write_text(TINY_TOC)
        (folder / "intro.md").write_text(TINY_PAGE)
        return folder
    files = run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT).stdout.split("\n")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file() and not name.startswith(("_build/", ".venv/")):
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    return folder


def build(folder, warnings_are_errors=True):
    env = dict(os.environ, PYTHONPATH=str(folder))
    cmd = [str(JUPYTER_BOOK), "build", str(folder)] + (["--warningiserror", "--keep-going"] if warnings_are_errors else [])
    start = time.perf_counter()
    run(cmd, cwd=folder, env=env, timeout=3600)
    return time.perf_counter() - start


def turn_execution_off(folder):
    config = folder / "_config.yml"
    text = config.read_text()
    assert "execute_notebooks: cache" in text, "the book's _config.yml no longer says execute_notebooks: cache"
    config.write_text(text.replace("execute_notebooks: cache", "execute_notebooks: 'off'"))


def main():
    args = parser(__doc__.splitlines()[0]).parse_args()
    repeats = args.repeats or (1 if args.tiny else 2)  # a cold build takes minutes
    header("Book build" + (" (tiny: a one-page book)" if args.tiny else ""))
    cold, rebuild, off = [], [], []
    for _ in range(repeats):
        folder = fresh_copy(args.tiny)
        try:
            cold.append(build(folder))
            rebuild.append(build(folder))
        finally:
            shutil.rmtree(folder.parent)
        folder = fresh_copy(args.tiny)
        try:
            turn_execution_off(folder)
            off.append(build(folder, warnings_are_errors=False))
        finally:
            shutil.rmtree(folder.parent)
    peer = statistics.median(off)
    rows = []
    for label, times, target in (("cold build, executing every chapter", cold, 180.0),
                                 ("rebuild, nothing changed", rebuild, 20.0),
                                 ("build with execution off (peer)", off, None)):
        seconds = statistics.median(times)
        rows.append([label, seconds, " ".join(f"{t:.1f}" for t in times), seconds / peer,
                     "-" if target is None else f"< {target:.0f} s",
                     "-" if target is None else ("PASS" if seconds < target else "MISS")])
    print_table("Book build, median wall time",
                ["build", "s", "runs (s)", "/ execution off", "target", "verdict"], rows,
                notes=[f"Medians of {repeats} runs, each in a fresh copy of the repository "
                       "(new output folder and execution cache)."])


if __name__ == "__main__":
    main()
