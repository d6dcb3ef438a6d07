"""The nbgrader problem sets, through the real nbgrader pipeline (nbgrader 0.9).

A problem set is a folder ``exercises/source/<ps>/`` holding the notebook ``<ps>.ipynb``.
Every such notebook is tested here, so adding a problem set needs no change to this file.

For each problem set, in a temporary copy of the course directory (``nbgrader_config.py`` and
``source/`` only), ``nbgrader generate_assignment`` runs once, then one ``nbgrader autograde``
grades three submissions: the instructor's source notebook under two student ids
(``instructor`` and ``instructor-twin``) and the untouched released notebook (``untouched``).
The scores are read back from the gradebook.

Vocabulary, from a cell's nbgrader metadata: an *autograded part* is a test cell
(``grade`` and not ``solution``); a *written part* is graded by hand (``grade`` and
``solution``, or ``task``); a *solution cell* has ``solution`` set.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from traitlets.config.loader import PyFileConfigLoader

COURSE_DIR = Path(__file__).resolve().parents[1] / "exercises"
PROBLEM_SETS = sorted(
    path.parent.name for path in COURSE_DIR.glob("source/*/*.ipynb") if path.stem == path.parent.name
)

# nbgrader's default region markers, and the stubs that nbgrader_config.py puts in their place.
SOLUTION_MARKERS = ("BEGIN SOLUTION", "END SOLUTION")
HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
MARK_SCHEME_MARKERS = ("BEGIN MARK SCHEME", "END MARK SCHEME")
STUB_LINES = {"# YOUR CODE HERE", "raise NotImplementedError()", "YOUR ANSWER HERE"}
# Also catches a misspelled marker, which nbgrader would silently leave in the release.
ANY_MARKER = re.compile(r"(BEGIN|END)\s*(SOLUTION|HIDDEN|MARK\s*SCHEME)", re.IGNORECASE)

# Student ids of the three submissions graded for every problem set.
INSTRUCTOR, TWIN, UNTOUCHED = "instructor", "instructor-twin", "untouched"


# ----------------------------------------------------------------------------- helpers


def course_id():
    """The course id of nbgrader_config.py (the gradebook is opened with it)."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(COURSE_DIR)).load_config()
    return config.CourseDirectory.get("course_id", "default_course")


def source_path(ps):
    return COURSE_DIR / "source" / ps / f"{ps}.ipynb"


def read(path):
    return nbformat.read(str(path), as_version=4)


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def autograded_parts(nb):
    """grade_id -> points of every autograded test cell."""
    return {
        nbgrader_meta(cell)["grade_id"]: nbgrader_meta(cell)["points"]
        for cell in nb.cells
        if nbgrader_meta(cell).get("grade") and not nbgrader_meta(cell).get("solution")
    }


def written_parts(nb):
    """grade_id -> points of every part graded by hand."""
    return {
        nbgrader_meta(cell)["grade_id"]: nbgrader_meta(cell)["points"]
        for cell in nb.cells
        if (nbgrader_meta(cell).get("grade") and nbgrader_meta(cell).get("solution"))
        or nbgrader_meta(cell).get("task")
    }


def split_region(source, markers, whole_cell=False):
    """(lines inside the marked regions, lines outside them), stripped.

    With ``whole_cell``, a cell without markers counts as one region (an nbgrader solution
    cell without markers is replaced as a whole).
    """
    begin, end = markers
    lines = source.splitlines()
    if whole_cell and not any(begin in line for line in lines):
        return [line.strip() for line in lines], []
    inside, outside, within = [], [], False
    for line in lines:
        if begin in line:
            within = True
        elif end in line:
            within = False
        else:
            (inside if within else outside).append(line.strip())
    return inside, outside


def secret_lines(nb, markers, cell_filter, whole_cell=False):
    """Lines that occur only inside the marked regions of the source (so a release that
    contains one of them has leaked it), ignoring blank lines and nbgrader's stubs."""
    inside, outside = [], []
    for cell in nb.cells:
        if cell_filter(cell):
            cell_inside, cell_outside = split_region(cell.source, markers, whole_cell)
        else:
            cell_inside, cell_outside = split_region(cell.source, markers)
        inside += cell_inside
        outside += cell_outside
    return {line for line in inside if line and line not in STUB_LINES} - set(outside)


def stripped_lines(path):
    """Every line of every cell of a notebook, stripped."""
    return {line.strip() for cell in read(path).cells for line in cell.source.splitlines()}


def course_env(course):
    """The environment of a grading command run on ``course``, a copy of the course directory."""
    env = dict(os.environ)
    # nbgrader creates a gradebook by running the `alembic` script found on PATH: put the
    # scripts of this interpreter first, whether or not its virtual environment is active.
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    # Ignore any user-level Jupyter/nbgrader configuration: only the course's config counts.
    env["JUPYTER_CONFIG_DIR"] = str(course.parent / "jupyter-config")
    # Kernels' connection files go beside the course, where a test can find them.
    env["JUPYTER_RUNTIME_DIR"] = str(course.parent / "jupyter-runtime")
    return env


def nbgrader_cmd(course, *args):
    """Run ``python -m nbgrader *args`` with cwd = the course directory copy."""
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=course_env(course),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (
        f"nbgrader {' '.join(args)} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


def grading_cmd(course, *args, timeout=1200, check=True):
    """Run the instructor's command ``python -m course_opt.grading --course <course> *args``."""
    result = subprocess.run([sys.executable, "-m", "course_opt.grading", "--course", str(course), *args],
                            env=course_env(course), capture_output=True, text=True, timeout=timeout)
    if check:
        assert result.returncode == 0, (f"{' '.join(args)} failed ({result.returncode}):\n"
                                        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def submit(course, ps, student, notebook):
    folder = course / "submitted" / student / ps
    folder.mkdir(parents=True)
    shutil.copy(notebook, folder / f"{ps}.ipynb")


def read_scores(course, ps, student):
    """grade_id -> (auto_score, max_score, needs_manual_grade) of one graded submission."""
    with Gradebook(f"sqlite:///{course}/gradebook.db", course_id=course_id()) as gradebook:
        notebook = gradebook.find_submission_notebook(ps, ps, student)
        return {grade.name: (grade.auto_score, grade.max_score, grade.needs_manual_grade) for grade in notebook.grades}


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module", params=PROBLEM_SETS, ids=PROBLEM_SETS)
def released(request, tmp_path_factory):
    """A course directory copy in which `nbgrader generate_assignment <ps>` has run."""
    ps = request.param
    course = tmp_path_factory.mktemp(ps) / "course"
    course.mkdir()
    shutil.copy(COURSE_DIR / "nbgrader_config.py", course)
    shutil.copytree(COURSE_DIR / "source", course / "source")
    nbgrader_cmd(course, "generate_assignment", ps)
    return {
        "ps": ps,
        "course": course,
        "source": read(source_path(ps)),
        "release_path": course / "release" / ps / f"{ps}.ipynb",
    }


@pytest.fixture(scope="module")
def graded(released):
    """The same course after one `nbgrader autograde <ps>` of three submissions."""
    ps, course = released["ps"], released["course"]
    submit(course, ps, INSTRUCTOR, source_path(ps))
    submit(course, ps, TWIN, source_path(ps))
    submit(course, ps, UNTOUCHED, released["release_path"])
    nbgrader_cmd(course, "autograde", ps)
    scores = {student: read_scores(course, ps, student) for student in (INSTRUCTOR, TWIN, UNTOUCHED)}
    return {**released, "scores": scores}


# ----------------------------------------------------------------------------- source notebooks (fast)


def test_course_has_at_least_one_problem_set():
    assert PROBLEM_SETS, f"no exercises/source/<ps>/<ps>.ipynb under {COURSE_DIR}"


@pytest.mark.parametrize("ps", PROBLEM_SETS)
def test_source_notebook_is_stored_without_outputs_or_execution_counts(ps):
    nb = read(source_path(ps))
    nbformat.validate(nb)
    dirty = [
        nbgrader_meta(cell).get("grade_id", index)
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"clear the outputs and execution counts of cells {dirty}"


@pytest.mark.parametrize("ps", PROBLEM_SETS)
def test_every_source_cell_has_a_unique_grade_id(ps):
    nb = read(source_path(ps))
    missing = [index for index, cell in enumerate(nb.cells) if not nbgrader_meta(cell).get("grade_id")]
    assert not missing, f"cells {missing} have no nbgrader metadata with a grade_id"
    ids = [nbgrader_meta(cell)["grade_id"] for cell in nb.cells]
    duplicated = sorted({grade_id for grade_id in ids if ids.count(grade_id) > 1})
    assert not duplicated, f"duplicated grade_ids: {duplicated}"


@pytest.mark.parametrize("ps", PROBLEM_SETS)
def test_every_autograded_part_has_points_and_locked_tests(ps):
    nb = read(source_path(ps))
    parts = autograded_parts(nb)
    assert parts, "a problem set needs at least one autograded test cell"
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade_id") in parts:
            assert cell.cell_type == "code" and meta.get("locked"), f"{meta['grade_id']} must be a locked code cell"
            assert meta["points"] > 0, f"{meta['grade_id']} must be worth points"


@pytest.mark.parametrize("ps", PROBLEM_SETS)
def test_source_solutions_do_not_use_course_opt(ps):
    # Solutions are written independently of the reference library they are graded against.
    nb = read(source_path(ps))
    for cell in nb.cells:
        if nbgrader_meta(cell).get("solution") and cell.cell_type == "code":
            assert "course_opt" not in cell.source, f"solution {nbgrader_meta(cell)['grade_id']} uses course_opt"


# ----------------------------------------------------------------------------- generate_assignment


def test_release_holds_no_region_markers(released):
    text = released["release_path"].read_text()
    markers = sorted({match.group(0) for match in ANY_MARKER.finditer(text)})
    assert not markers, f"the release still holds the markers {markers}"


def test_release_contains_no_solution(released):
    solutions = secret_lines(
        released["source"], SOLUTION_MARKERS, lambda cell: nbgrader_meta(cell).get("solution"), whole_cell=True
    )
    mark_schemes = secret_lines(released["source"], MARK_SCHEME_MARKERS, lambda cell: False)
    assert solutions, "expected solutions in the source"
    leaked = sorted((solutions | mark_schemes) & stripped_lines(released["release_path"]))
    assert not leaked, f"solution lines leaked into the release: {leaked[:5]}"


def test_release_contains_no_hidden_tests(released):
    secrets = secret_lines(released["source"], HIDDEN_MARKERS, lambda cell: False)
    assert secrets, "expected hidden tests in the source"
    leaked = sorted(secrets & stripped_lines(released["release_path"]))
    assert not leaked, f"hidden test lines leaked into the release: {leaked[:5]}"


def test_release_keeps_every_autograded_test_cell(released):
    release = {nbgrader_meta(cell).get("grade_id"): cell for cell in read(released["release_path"]).cells}
    for grade_id, points in autograded_parts(released["source"]).items():
        assert grade_id in release, f"test cell {grade_id} is missing from the release"
        meta = nbgrader_meta(release[grade_id])
        assert meta.get("grade") and meta.get("locked") and meta.get("points") == points, (
            f"test cell {grade_id} lost its grading metadata in the release: {meta}"
        )


# ----------------------------------------------------------------------------- autograde


def test_instructor_solution_gets_full_marks_on_every_autograded_part(graded):
    scores = graded["scores"][INSTRUCTOR]
    for grade_id, points in autograded_parts(graded["source"]).items():
        auto_score, max_score, _ = scores[grade_id]
        assert max_score == points, f"{grade_id}: the gradebook says {max_score} points, the source {points}"
        assert auto_score == max_score, f"{grade_id}: the instructor's solution scored {auto_score} of {max_score}"


def test_written_answers_are_left_for_manual_grading(graded):
    written = written_parts(graded["source"])
    if not written:
        pytest.skip("this problem set has no written answer")
    scores = graded["scores"][INSTRUCTOR]
    for grade_id, points in written.items():
        assert grade_id in scores, f"written part {grade_id} is not in the gradebook"
        auto_score, max_score, needs_manual_grade = scores[grade_id]
        assert max_score == points and needs_manual_grade and auto_score is None, (
            f"written part {grade_id} should wait for a manual grade, got {scores[grade_id]}"
        )


def test_untouched_release_gets_zero_on_every_autograded_part(graded):
    scores = graded["scores"][UNTOUCHED]
    for grade_id in autograded_parts(graded["source"]):
        assert scores[grade_id][0] == 0, f"{grade_id}: the untouched release scored {scores[grade_id][0]}"


def test_identical_submissions_get_identical_scores(graded):
    assert graded["scores"][TWIN] == graded["scores"][INSTRUCTOR]


def test_grading_a_submission_again_gives_identical_scores(graded):
    ps, course = graded["ps"], graded["course"]
    nbgrader_cmd(course, "autograde", ps, "--student", INSTRUCTOR, "--force")
    assert read_scores(course, ps, INSTRUCTOR) == graded["scores"][INSTRUCTOR]
