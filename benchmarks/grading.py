"""Seconds per submission to autograde one problem set, against the kernel-start floor.

In a temporary copy of the course directory (``nbgrader_config.py`` and the problem set's
``source/`` folder), ``nbgrader generate_assignment`` releases the problem set ``hessian``
and an assignment ``empty`` whose notebook has no cells. N students then submit the
instructor's source notebook of ``hessian`` (so every test cell runs and passes) and N
students submit the empty notebook. One ``nbgrader autograde <assignment> --force`` grades
each class; its wall time over N is the time per submission. The peer is the empty
notebook: what nbgrader spends per submission whatever the notebook holds (mostly starting
a kernel). Median of --repeats gradings of the whole class.

No target is set for this ratio; it says how much of grading is the problem set's own work.
(The class-size benchmark of the grading issue lives elsewhere.)
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from _common import header, parser, print_table, run

COURSE = Path(__file__).resolve().parents[1] / "exercises"
NBGRADER = Path(sys.executable).with_name("nbgrader")
PROBLEM_SET = "hessian"
# nbgrader runs `alembic` from PATH: put this environment's scripts first.
ENV = dict(os.environ, PATH=os.pathsep.join([str(NBGRADER.parent), os.environ.get("PATH", "")]))


def course_copy():
    folder = Path(tempfile.mkdtemp(prefix="bench-grading-")) / "course"
    (folder / "source").mkdir(parents=True)
    shutil.copy2(COURSE / "nbgrader_config.py", folder)
    shutil.copytree(COURSE / "source" / PROBLEM_SET, folder / "source" / PROBLEM_SET)
    empty = nbformat.v4.new_notebook()
    empty.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (folder / "source" / "empty").mkdir()
    nbformat.write(empty, str(folder / "source" / "empty" / "empty.ipynb"))
    return folder


def submit(folder, assignment, notebook, students):
    for i in range(students):
        target = folder / "submitted" / f"student-{i:03d}" / assignment
        target.mkdir(parents=True)
        shutil.copy2(notebook, target / f"{assignment}.ipynb")


def grade(folder, assignment):
    start = time.perf_counter()
    run([str(NBGRADER), "autograde", assignment, "--force"], cwd=folder, env=ENV, timeout=3600)
    return time.perf_counter() - start


def main():
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--students", type=int, default=None, help="submissions per class (default 5, tiny 1)")
    args = p.parse_args()
    repeats = args.repeats or (1 if args.tiny else 3)
    students = args.students or (1 if args.tiny else 5)
    header(f"Grading {PROBLEM_SET}: {students} submissions" + (" (tiny)" if args.tiny else ""))
    folder = course_copy()
    try:
        for assignment in (PROBLEM_SET, "empty"):
            run([str(NBGRADER), "generate_assignment", assignment, "--force"], cwd=folder, env=ENV, timeout=600)
            submit(folder, assignment, folder / "source" / assignment / f"{assignment}.ipynb", students)
        times = {a: [grade(folder, a) / students for _ in range(repeats)] for a in (PROBLEM_SET, "empty")}
    finally:
        shutil.rmtree(folder.parent)
    floor = statistics.median(times["empty"])
    rows = [[f"{a} ({'instructor solution' if a == PROBLEM_SET else 'no cells: the floor'})",
             statistics.median(times[a]), " ".join(f"{t:.2f}" for t in times[a]), statistics.median(times[a]) / floor]
            for a in (PROBLEM_SET, "empty")]
    print_table("nbgrader autograde, seconds per submission (median)",
                ["notebook", "s / submission", "runs (s / submission)", "/ empty notebook"], rows,
                notes=[f"{students} submissions per class, median of {repeats} gradings of the class; "
                       "no target (peer: the empty notebook, nbgrader's floor per submission)."])


if __name__ == "__main__":
    main()
