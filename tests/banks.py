"""Banks of wrong and of correct solutions, graded through the real grading pipeline.

A problem set ``<ps>`` may have two banks beside it, outside the folder nbgrader releases:

- ``exercises/banks/<ps>/wrong.py``: mistakes students really make. It holds a literal dict
  ``TESTS = {"<function>": ["<test cell grade_id>", ...]}`` naming, for every graded function
  of the notebook, the autograded test cells that grade it.
- ``exercises/banks/<ps>/correct.py``: correct solutions written differently from the
  reference.

Every entry is a top-level function ``<function>__<label>`` whose docstring's first line says
what it does wrong (or differently). The files are read with ``ast`` and never imported: an
entry runs only inside a notebook, where it may use the names the notebook defines.

Each entry becomes one submission: the instructor's solution notebook (solution markers
removed) in which the top-level ``def <function>`` of its solution cell is replaced by the
entry, renamed to ``<function>``. A problem set's entries, and the unchanged instructor
solution as a control, are graded together as one class, the way an instructor grades.
A wrong entry must score less than the maximum on the test cells ``TESTS`` names for its
function; a correct entry must get full marks on every autograded part.

Run as a script, this prints the report (parts, wrong solutions failed / tried, correct
alternatives passed / tried, and every entry that misses):

    .venv/bin/python tests/banks.py [<ps> ...]
"""

import ast
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from test_problem_sets import (
    COURSE_DIR,
    SOLUTION_MARKERS,
    autograded_parts,
    grading_cmd,
    nbgrader_cmd,
    nbgrader_meta,
    read,
    read_scores,
    source_path,
)

BANKS_DIR = COURSE_DIR / "banks"
KINDS = ("wrong", "correct")
# The student id of the control submission: the instructor's solution, unchanged.
CONTROL = "control-instructor-solution"
# Seconds for grading one problem set's banks as a class (about 60 submissions; the slowest
# set takes about 12 minutes on 2 busy cores).
AUTOGRADE_TIMEOUT = 3600
# Entries a bank must hold for every graded function.
MINIMUM = {"wrong": 3, "correct": 2}


@dataclass(frozen=True)
class Entry:
    """One bank entry: ``function`` written by ``source`` (already renamed to ``function``)."""

    ps: str
    kind: str
    function: str
    label: str
    doc: str
    source: str

    @property
    def name(self):
        return f"{self.function}__{self.label}"

    @property
    def student(self):
        """The nbgrader student id of the entry's submission."""
        return re.sub(r"[^A-Za-z0-9-]", "-", f"{self.kind}-{self.name}")


def problem_sets_with_banks():
    return sorted(path.name for path in BANKS_DIR.iterdir() if path.is_dir()) if BANKS_DIR.is_dir() else []


def bank_path(ps, kind):
    return BANKS_DIR / ps / f"{kind}.py"


def load_tests(ps):
    """The ``TESTS`` dict of ``wrong.py``: function -> the grade_ids of its test cells."""
    tree = ast.parse(bank_path(ps, "wrong").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["TESTS"]:
            return ast.literal_eval(node.value)
    raise ValueError(f"{bank_path(ps, 'wrong')} defines no literal TESTS dict")


def load_entries(ps, kind):
    """The entries of one bank, in file order."""
    path = bank_path(ps, kind)
    text = path.read_text()
    entries = []
    for node in ast.parse(text).body:
        if not isinstance(node, ast.FunctionDef) or "__" not in node.name.strip("_"):
            continue
        function, label = node.name.split("__", 1)
        doc = ast.get_docstring(node)
        if not doc:
            raise ValueError(f"{path}: entry {node.name} needs a docstring that says what it does")
        if node.decorator_list:
            raise ValueError(f"{path}: entry {node.name} must not be decorated")
        source = ast.get_source_segment(text, node, padded=False)
        source = source.replace(f"def {node.name}(", f"def {function}(", 1)
        entries.append(Entry(ps, kind, function, label, doc.splitlines()[0], source))
    return entries


def strip_solution_markers(source):
    return "\n".join(line for line in source.splitlines() if not any(m in line for m in SOLUTION_MARKERS))


def solution_notebook(ps):
    """The instructor's solution as a student would submit it: the source notebook with the
    solution markers removed (its test cells are replaced by the gradebook's when graded)."""
    nb = read(source_path(ps))
    for cell in nb.cells:
        if nbgrader_meta(cell).get("solution"):
            cell.source = strip_solution_markers(cell.source)
    return nb


def defining_cell(nb, function):
    """(cell, ast node) of the solution cell that defines ``function`` at top level."""
    for cell in nb.cells:
        if cell.cell_type != "code" or not nbgrader_meta(cell).get("solution"):
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.FunctionDef) and node.name == function:
                return cell, node
    raise LookupError(f"no solution cell defines a top-level function {function!r}")


def inject(nb, entry):
    """A copy of ``nb`` in which ``entry`` replaces the definition of its function."""
    nb = nbformat.from_dict(nb)
    cell, node = defining_cell(nb, entry.function)
    lines = cell.source.splitlines()
    first = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
    cell.source = "\n".join(lines[:first] + entry.source.splitlines() + lines[node.end_lineno :])
    return nb


def grade_banks(ps, workdir):
    """Grade the control and every entry of both banks of ``ps`` as one class.

    Returns ``(entries, scores)``: scores maps a student id to grade_id -> (score, max).
    """
    entries = [entry for kind in KINDS for entry in load_entries(ps, kind)]
    course = Path(workdir) / "course"
    course.mkdir(parents=True)
    shutil.copy(COURSE_DIR / "nbgrader_config.py", course)
    shutil.copytree(COURSE_DIR / "source" / ps, course / "source" / ps)
    nbgrader_cmd(course, "generate_assignment", ps)
    solution = solution_notebook(ps)
    submissions = {CONTROL: solution, **{entry.student: inject(solution, entry) for entry in entries}}
    for student, nb in submissions.items():
        folder = course / "submitted" / student / ps
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / f"{ps}.ipynb"))
    # Graded with the class command an instructor runs (the course's sandboxed executor, one
    # worker per core): an entry that it cannot grade at all is graded as the release, so it
    # scores zero, as it would for a student.
    grading_cmd(course, "autograde", ps, timeout=AUTOGRADE_TIMEOUT)
    scores = {}
    for student in submissions:
        try:
            rows = read_scores(course, ps, student)
        except Exception as missing:  # no submission row in the gradebook: reported as a miss
            rows = {"(no grade row)": (None, repr(missing))}
        scores[student] = {grade_id: (row[0], row[1]) for grade_id, row in rows.items()}
    return entries, scores


def lost_points(scores, grade_ids):
    """True when the scores fall short of the maximum on ``grade_ids`` (a missing row counts)."""
    return any(grade_id not in scores or scores[grade_id][0] != scores[grade_id][1] for grade_id in grade_ids)


def verdicts(ps, entries, scores):
    """entry -> None if it behaves (wrong fails, correct passes), else why it does not."""
    tests = load_tests(ps)
    parts = list(autograded_parts(read(source_path(ps))))
    result = {}
    for entry in entries:
        got = scores[entry.student]
        if entry.kind == "wrong":
            graded_by = tests.get(entry.function, [])
            missed = not graded_by or not lost_points(got, graded_by)
            result[entry] = f"earned full marks on {graded_by}" if missed else None
        else:
            short = [grade_id for grade_id in parts if lost_points(got, [grade_id])]
            result[entry] = f"lost points on {short}: {[got.get(g) for g in short]}" if short else None
    return result


def coverage_problems(ps):
    """What the banks of ``ps`` lack: functions, test cells or entries the issue asks for."""
    problems = []
    nb = read(source_path(ps))
    parts = set(autograded_parts(nb))
    tests = load_tests(ps)
    named = {grade_id for grade_ids in tests.values() for grade_id in grade_ids}
    problems += [f"TESTS names {g}, which is not an autograded test cell" for g in sorted(named - parts)]
    problems += [f"no function in TESTS is graded by {g}" for g in sorted(parts - named)]
    for function in tests:
        try:
            defining_cell(solution_notebook(ps), function)
        except LookupError as error:
            problems.append(str(error))
    for kind in KINDS:
        entries = load_entries(ps, kind)
        problems += [f"{kind}.py: {e.name} is for {e.function}, which TESTS does not name"
                     for e in entries if e.function not in tests]
        for function in tests:
            count = sum(entry.function == function for entry in entries)
            if count < MINIMUM[kind]:
                problems.append(f"{kind}.py has {count} entries for {function}, at least {MINIMUM[kind]} needed")
    return problems


def report(ps, entries, scores):
    """The lines of the report for one problem set."""
    results = verdicts(ps, entries, scores)
    parts = autograded_parts(read(source_path(ps)))
    lines = [f"{ps}: {len(parts)} autograded parts"]
    control_short = [g for g in parts if lost_points(scores[CONTROL], [g])]
    if control_short:
        lines.append(f"  CONTROL (instructor solution) lost points on {control_short}")
    for kind, verb in (("wrong", "failed"), ("correct", "passed")):
        mine = [entry for entry in entries if entry.kind == kind]
        good = sum(results[entry] is None for entry in mine)
        lines.append(f"  {kind} solutions {verb}: {good} / {len(mine)}")
        lines += [f"    MISS {entry.name}: {results[entry]} ({entry.doc})" for entry in mine if results[entry]]
    lines += [f"  COVERAGE {problem}" for problem in coverage_problems(ps)]
    return lines


def main(argv):
    problem_sets = argv or problem_sets_with_banks()
    unknown = sorted(set(problem_sets) - set(problem_sets_with_banks()))
    if unknown:
        sys.exit(f"no banks for {unknown}: expected {BANKS_DIR}/<ps>/wrong.py and correct.py")
    clean = True
    for ps in problem_sets:
        with tempfile.TemporaryDirectory(prefix=f"banks-{ps}-") as workdir:
            entries, scores = grade_banks(ps, workdir)
        lines = report(ps, entries, scores)
        clean &= not any(line.lstrip().startswith(("MISS", "COVERAGE", "CONTROL")) for line in lines)
        print("\n".join(lines), flush=True)
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
