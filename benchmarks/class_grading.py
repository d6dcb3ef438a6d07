"""Autograding a class: the parallel ``python -m course_opt.grading autograde`` against plain
serial ``nbgrader autograde``, wall time and peak memory of the whole process tree.

A class of N submissions of ``hessian`` is generated from the release: every third student
answers everything right, every third nothing (the untouched release), the others every
other part. Two copies of a course directory (``nbgrader_config.py``, ``source/hessian``)
each release the problem set and receive the same class in ``submitted/``; one is graded
by ``nbgrader autograde hessian`` (the peer), the other by
``python -m course_opt.grading autograde hessian --jobs J`` (J: one per core by default).
Wall times come from runs with nothing else watching. Memory comes from one more run of
each, in fresh copies: while it runs, the proportional set size (PSS: shared pages split
between the processes that share them) of the command and all its descendants (workers,
sandboxes) is summed every 0.2 s, and the peak is reported. The sampling reads every
process's smaps and takes CPU, which on 2 cores would slow the parallel run (both cores
busy) more than the serial one, so it is kept out of the timed runs. Every run must give
every student the same grades.

Targets (2 cores): parallel wall time <= 0.6 of serial; parallel peak memory < 1 GB.
"""

import os
import shutil
import statistics
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

from _common import header, print_table, parser, run, verdict

COURSE = Path(__file__).resolve().parents[1] / "exercises"
PROBLEM_SET = "hessian"
ENV = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
TIME_TARGET = 0.6
MEMORY_TARGET = 2**30


def course_copy(root, name):
    folder = root / name
    (folder / "source").mkdir(parents=True)
    shutil.copy2(COURSE / "nbgrader_config.py", folder)
    shutil.copytree(COURSE / "source" / PROBLEM_SET, folder / "source" / PROBLEM_SET)
    run([sys.executable, "-m", "nbgrader", "generate_assignment", PROBLEM_SET], cwd=folder, env=ENV, timeout=600)
    return folder


def submission(source, release, k):
    """Student k's notebook: every answer (k % 3 == 0), none (1), every other one (2)."""
    nb = nbformat.from_dict(nbformat.reads(nbformat.writes(release), as_version=4))
    answers = {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in source.cells
               if cell.metadata.get("nbgrader", {}).get("solution")}
    solution_cells = [cell for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("solution")]
    for i, cell in enumerate(solution_cells):
        if k % 3 == 0 or (k % 3 == 2 and i % 2 == 0):
            cell.source = answers[cell.metadata["nbgrader"]["grade_id"]]
    return nb


def submit(folder, students):
    source = nbformat.read(str(folder / "source" / PROBLEM_SET / f"{PROBLEM_SET}.ipynb"), as_version=4)
    release = nbformat.read(str(folder / "release" / PROBLEM_SET / f"{PROBLEM_SET}.ipynb"), as_version=4)
    for k in range(students):
        target = folder / "submitted" / f"student-{k:03d}" / PROBLEM_SET
        target.mkdir(parents=True)
        nbformat.write(submission(source, release, k), str(target / f"{PROBLEM_SET}.ipynb"))


def tree_pss(process):
    """Summed PSS (bytes) of a process and its descendants (0 for those already gone)."""
    total = 0
    try:
        members = [process] + process.children(recursive=True)
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_full_info().pss
        except psutil.Error:
            pass
    return total


def measure(cmd, cwd, sample_memory=False):
    """(wall seconds, peak PSS bytes of the process tree or None) of a command that must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [None]
    watcher = None
    if sample_memory:
        peak[0] = 0
        watched = psutil.Process(process.pid)

        def watch():
            while process.poll() is None:
                peak[0] = max(peak[0], tree_pss(watched))
                time.sleep(0.2)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    if watcher is not None:
        watcher.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {process.returncode}:\n{out[-3000:]}\n{err[-3000:]}")
    return seconds, peak[0]


def grades(folder):
    with sqlite3.connect(folder / "gradebook.db") as db:
        return sorted(db.execute(
            "SELECT s.student_id, c.name, g.auto_score FROM grade g JOIN submitted_notebook n ON g.notebook_id = n.id "
            "JOIN submitted_assignment s ON n.assignment_id = s.id JOIN base_cell c ON g.cell_id = c.id"
        ).fetchall(), key=str)


def main():
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--students", type=int, default=None, help="submissions in the class (default 100, tiny 4)")
    p.add_argument("--jobs", type=int, default=None, help="parallel workers (default: one per core)")
    args = p.parse_args()
    students = args.students or (4 if args.tiny else 100)
    jobs = args.jobs or len(os.sched_getaffinity(0))
    repeats = args.repeats or (1 if args.tiny else 3)
    header(f"Autograding a class of {students} ({PROBLEM_SET}), {jobs} workers against serial nbgrader"
           + (" (tiny)" if args.tiny else ""))
    root = Path(tempfile.mkdtemp(prefix="bench-class-"))
    results = {"serial": [], "parallel": []}
    peak = {}
    try:
        for r in range(repeats + 1):  # the last round samples memory and is not timed
            serial, parallel = course_copy(root, f"serial-{r}"), course_copy(root, f"parallel-{r}")
            submit(serial, students)
            submit(parallel, students)
            commands = {
                "serial": ([sys.executable, "-m", "nbgrader", "autograde", PROBLEM_SET], serial),
                "parallel": ([sys.executable, "-m", "course_opt.grading", "--course", str(parallel), "autograde",
                              PROBLEM_SET, "--jobs", str(jobs)], parallel),
            }
            # alternate which goes first, so that a change of the machine's load over the run
            # does not always favour the same one
            for name in (("serial", "parallel") if r % 2 == 0 else ("parallel", "serial")):
                seconds, memory = measure(*commands[name], sample_memory=r == repeats)
                if r == repeats:
                    peak[name] = memory
                else:
                    results[name].append(seconds)
            if grades(serial) != grades(parallel):
                raise RuntimeError("the parallel run gave other grades than serial nbgrader")
    finally:
        shutil.rmtree(root)
    wall = {name: statistics.median(runs) for name, runs in results.items()}
    ratio = wall["parallel"] / wall["serial"]
    runs = {name: " ".join(f"{t:.0f}" for t in results[name]) for name in results}
    rows = [
        ["serial nbgrader autograde (peer)", wall["serial"], runs["serial"], wall["serial"] / students, 1.0, "peer",
         peak["serial"] / 2**20, "-"],
        [f"course_opt.grading autograde --jobs {jobs}", wall["parallel"], runs["parallel"],
         wall["parallel"] / students, ratio, verdict(ratio, TIME_TARGET), peak["parallel"] / 2**20,
         "PASS" if peak["parallel"] < MEMORY_TARGET else "MISS"],
    ]
    print_table(f"Autograding {students} submissions of {PROBLEM_SET}",
                ["command", "wall s (median)", "runs (s)", "s / submission", "/ serial", f"<= {TIME_TARGET}",
                 "peak PSS MiB", "< 1 GiB"],
                rows, notes=[f"wall: median of {repeats} timed run(s) of each, alternating which runs first; "
                             "peak: one more run of each, sampled every 0.2 s and not timed; every run gave "
                             "every student the same grades as serial nbgrader."])


if __name__ == "__main__":
    main()
