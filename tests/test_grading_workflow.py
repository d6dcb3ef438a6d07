"""The instructor's class workflow (``python -m course_opt.grading``) on broken submissions.

One problem set (``hessian``) is released in a temporary copy of the course directory. A
bank of submissions is generated from its instructor notebook (every answer right) and its
release (every answer the stub): each kind of broken submission next to a correct one and
the untouched release. The bank is collected, autograded in parallel (2 workers), given
feedback and exported, each with the command an instructor types; then every submission's
score per part is read from nbgrader's gradebook and a phrase of its feedback is checked.

A second class of 8 is autograded, killed with SIGKILL halfway, and autograded again: every
student must be graded once, with the grades of the clean run of the bank.
"""

import copy
import csv
import hashlib
import html
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
from test_problem_sets import (
    COURSE_DIR, HIDDEN_MARKERS, autograded_parts, course_env, read, read_scores, secret_lines, source_path,
    split_region, written_parts)
from test_problem_sets import grading_cmd as grading

from course_opt.grading.autograde import _grade as REAL_GRADE
from course_opt.grading.course import Course
from course_opt.grading.submissions import normalize

PS = "hessian"
SOURCE = read(source_path(PS))
TESTS = autograded_parts(SOURCE)  # grade_id -> points of every autograded part
WRITTEN = written_parts(SOURCE)
FULL = dict(TESTS)
ZERO = dict.fromkeys(TESTS, 0)


# ----------------------------------------------------------------------------- helpers


def new_course(tmp_path):
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    (course / "nbgrader_config.py").write_bytes((COURSE_DIR / "nbgrader_config.py").read_bytes())
    source = course / "source" / PS
    source.mkdir()
    (source / f"{PS}.ipynb").write_bytes(source_path(PS).read_bytes())
    grading(course, "release", PS)
    return course


def gid(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def clone(nb_or_cell):
    return copy.deepcopy(nb_or_cell)


def position(nb, grade_id):
    return next(i for i, cell in enumerate(nb.cells) if gid(cell) == grade_id)


def write(folder, name, nb_or_text):
    folder.mkdir(parents=True, exist_ok=True)
    text = nb_or_text if isinstance(nb_or_text, str) else nbformat.writes(nb_or_text)
    (folder / name).write_text(text)


def visible_text(page):
    """The text of an HTML page (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def tree_digest(folder):
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


# ----------------------------------------------------------------------------- the bank


def correct(source, release):
    """What a student who got everything right submits: the release, answers filled in."""
    nb = clone(release)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = source.cells[position(source, gid(cell))].source
    return nb


def untouched(source, release):
    return clone(release)


def edited_tests(source, release):
    # The stubs, with every test replaced by `pass`: kept, it would earn every point.
    nb = clone(release)
    for cell in nb.cells:
        if gid(cell) in TESTS:
            cell.source = "pass"
    return nb


def deleted_tests(source, release):
    # Right answers, but the test of condition_number deleted (it must still be graded: 2),
    # and optimal_lr left as the stub with its test deleted (graded too: 0, not "manual").
    nb = correct(source, release)
    stub = release.cells[position(release, "optimal_lr")].source
    nb.cells[position(nb, "optimal_lr")].source = stub
    nb.cells = [cell for cell in nb.cells if gid(cell) not in ("test_condition_number", "test_optimal_lr")]
    return nb


def duplicated(source, release):
    nb = correct(source, release)
    for grade_id in ("test_condition_number", "condition_number"):
        i = position(nb, grade_id)
        nb.cells.insert(i + 1, clone(nb.cells[i]))
    for i, cell in enumerate(nb.cells):  # cell ids must stay unique, as Jupyter keeps them
        cell.id = f"cell-{i}"
    return nb


def reordered(source, release):
    nb = correct(source, release)
    nb.cells = nb.cells[::-1]
    return nb


def metadata_changed(source, release):
    nb = correct(source, release)
    nb.cells[position(nb, "test_condition_number")].metadata.nbgrader.points = 100
    i = position(nb, "test_optimal_lr")
    as_markdown = nbformat.v4.new_markdown_cell(nb.cells[i].source, metadata=nb.cells[i].metadata)
    nb.cells[i] = as_markdown
    test = nb.cells[position(nb, "test_taylor_gd_step")].metadata.nbgrader
    test.grade, test.locked = False, False
    return nb


def extra_cells(source, release):
    nb = correct(source, release)
    i = position(nb, "condition_number")
    scratch = nbformat.v4.new_code_cell("scratch = 'my own cell'")
    # A cell dressed up as a graded cell worth 50 points: it must earn nothing.
    bonus = nbformat.v4.new_code_cell("pass", metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": False, "points": 50, "grade_id": "bonus", "schema_version": 3}})
    nb.cells[i + 1:i + 1] = [scratch, bonus]
    return nb


def process_dies(source, release):
    nb = correct(source, release)
    nb.cells.insert(position(nb, "imports") + 1, nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    return nb


# student -> (what the submission folder holds, expected score per autograded part,
#             a phrase of the feedback or None for no note at all, the export's zero reason)
BANK = {
    "correct": ({f"{PS}.ipynb": correct}, FULL, None, False),
    "untouched": ({f"{PS}.ipynb": untouched}, ZERO, None, False),
    "invalid-json": ({f"{PS}.ipynb": '{"cells": [{"cell_type": "code", '}, ZERO,
                     "could not be read as a notebook: it is not valid JSON", True),
    "empty-file": ({f"{PS}.ipynb": ""}, ZERO, "is empty", True),
    "missing-notebook": ({"answers.txt": "I did it on paper"}, ZERO,
                         "no notebook was found in your submission: expected hessian.ipynb", True),
    "renamed": ({"my_hessian.ipynb": correct}, FULL, "was named my_hessian.ipynb instead of hessian.ipynb", False),
    "extra-files": ({f"{PS}.ipynb": correct, "helper.py": "x = 1\n", "data/notes.md": "notes"}, FULL,
                    "were ignored (only hessian.ipynb is graded): data/notes.md, helper.py", False),
    "tests-edited": ({f"{PS}.ipynb": edited_tests}, ZERO, "which are locked: your changes were discarded", False),
    "tests-deleted": ({f"{PS}.ipynb": deleted_tests}, {**FULL, "test_optimal_lr": 0},
                      "test_condition_number, test_optimal_lr were missing from your notebook: they were put "
                      "back and graded", False),
    "duplicated": ({f"{PS}.ipynb": duplicated}, FULL, "appeared more than once", False),
    "reordered": ({f"{PS}.ipynb": reordered}, FULL, "were not in the problem set's order", False),
    "metadata-changed": ({f"{PS}.ipynb": metadata_changed}, FULL,
                         "test_condition_number, test_optimal_lr, test_taylor_gd_step had been changed", False),
    "extra-cells": ({f"{PS}.ipynb": extra_cells}, FULL, "your 2 own cell(s) were kept", False),
    # The sandbox names the cell that ended the student's process, reruns the cells before it
    # in a fresh one, and grades the rest: a correct answer keeps its points.
    "process-dies": ({f"{PS}.ipynb": process_dies}, FULL, "your 1 own cell(s) were kept", False),
}


def write_submission(folder, files, source, release):
    for name, content in files.items():
        write(folder / Path(name).parent, Path(name).name, content if isinstance(content, str) else
              content(source, release))


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    """The bank collected, autograded (2 workers), given feedback and exported."""
    tmp = tmp_path_factory.mktemp("bank")
    course = new_course(tmp)
    release = read(course / "release" / PS / f"{PS}.ipynb")
    src = tmp / "downloads"
    for student, (files, *_) in BANK.items():
        write_submission(src / student / PS, files, SOURCE, release)
    grading(course, "collect", PS, str(src))
    submitted = tree_digest(course / "submitted")
    start = time.monotonic()
    autograde = grading(course, "autograde", PS, "--jobs", "2")
    seconds = time.monotonic() - start
    grading(course, "feedback", PS)
    grading(course, "export", PS, "--to", str(tmp / "grades.csv"))
    return {
        "course": course,
        "release": release,
        "submitted_before": submitted,
        "autograde": autograde,
        "seconds": seconds,
        "scores": {student: read_scores(course, PS, student) for student in BANK},
        "feedback": {student: (course / "feedback" / student / PS / f"{PS}.html").read_text() for student in BANK},
        "csv": list(csv.DictReader((tmp / "grades.csv").open())),
    }


# ----------------------------------------------------------------------------- the bank's grades


@pytest.mark.parametrize("student", BANK)
def test_every_submission_gets_its_grade_per_part(bank, student):
    expected = BANK[student][1]
    scores = bank["scores"][student]
    got = {part: scores[part][0] for part in TESTS}
    assert got == expected, f"{student}: {got}"
    for part, points in TESTS.items():
        assert scores[part][1] == points, f"{student}: {part} is worth {scores[part][1]}, not {points}"


@pytest.mark.parametrize("student", [s for s, case in BANK.items() if case[3]])
def test_an_unreadable_or_unexecutable_submission_scores_zero_on_every_part(bank, student):
    scores = bank["scores"][student]
    assert set(scores) == set(TESTS) | set(WRITTEN)
    assert all(score == 0 and not manual for score, _, manual in scores.values()), scores


@pytest.mark.parametrize("student", BANK)
def test_every_feedback_says_what_happened_to_the_submission(bank, student):
    phrase = BANK[student][2]
    page = bank["feedback"][student]
    text = " ".join(visible_text(page).split())
    header = f"{PS} (Score: {float(sum(BANK[student][1].values()))} / "
    assert header in text, f"{student}: no {header!r} in the feedback"
    if phrase is None:
        assert "About your submission" not in text
    else:
        assert "About your submission" in text and text.index("About your submission") < text.index(header)
        notes = text[text.index("About your submission"):text.index(header)]
        assert phrase in notes, f"{student}: {phrase!r} not in the notes at the top:\n{notes}"


def test_the_bank_is_graded_by_the_parallel_run_in_one_pass(bank):
    out = bank["autograde"].stdout
    assert f"{len(BANK)} submissions, 0 already graded, {len(BANK)} to grade" in out
    assert out.count("  graded ") == len(BANK)


def test_grading_never_writes_to_the_students_submissions(bank):
    assert tree_digest(bank["course"] / "submitted") == bank["submitted_before"]


def test_the_students_own_cells_stay_after_the_cell_they_followed(bank):
    nb = read(bank["course"] / "autograded" / "extra-cells" / PS / f"{PS}.ipynb")
    i = position(nb, "condition_number")
    assert nb.cells[i + 1].source == "scratch = 'my own cell'"
    assert nb.cells[i + 2].source == "pass" and "nbgrader" not in nb.cells[i + 2].metadata
    assert gid(nb.cells[i + 3]) == "test_condition_number"


def test_the_cell_that_ended_the_students_process_says_so_in_the_feedback(bank):
    text = " ".join(visible_text(bank["feedback"]["process-dies"]).split())
    assert "The Python process running your code ended while this cell ran" in text
    assert "so the cells after this one are graded" in text


def grade_or_fail_on_marked(ps, student):
    """nbgrader's autograde of one student, failing as on a dead kernel when the notebook is
    marked; runs in a forked worker, in the course directory."""
    from course_opt.grading import autograde as grading_module

    notebook = (Path(grading_module.NORMALIZED) / student / ps / f"{ps}.ipynb").read_text()
    if "nbgrader fails on this notebook" in notebook:
        return student, "[ERROR] DeadKernelError: Kernel died"
    return REAL_GRADE(ps, student)


def test_a_notebook_nbgrader_cannot_grade_is_tried_twice_then_the_release_is_graded(tmp_path, monkeypatch):
    """When nbgrader itself fails on a notebook (a dead kernel, say), the student gets zero on
    every part, a reason in the export, and the rest of the class is graded."""
    from course_opt.grading import autograde as grading_module

    course = new_course(tmp_path)
    release = read(course / "release" / PS / f"{PS}.ipynb")
    for student in ("broken", "fine"):
        write_submission(course / "submitted" / student / PS, {f"{PS}.ipynb": correct}, SOURCE, release)
    marked = read(course / "submitted" / "broken" / PS / f"{PS}.ipynb")
    marked.cells.append(nbformat.v4.new_code_cell("# nbgrader fails on this notebook"))
    nbformat.write(marked, str(course / "submitted" / "broken" / PS / f"{PS}.ipynb"))
    monkeypatch.setattr(grading_module, "_grade", grade_or_fail_on_marked)
    for name, value in course_env(course).items():
        monkeypatch.setenv(name, value)
    said = []
    grading_module.autograde(Course(course), PS, jobs=1, say=said.append)
    assert {part: read_scores(course, PS, "fine")[part][0] for part in TESTS} == FULL
    assert {part: read_scores(course, PS, "broken")[part][0] for part in TESTS} == ZERO
    state = Course(course).read_state(PS, "broken")
    assert state["attempts"] == 3
    assert state["zero_reason"].startswith("your notebook could not be executed: the Python kernel running it died")
    assert "the untouched problem set was graded in place of your notebook" in state["notes"]


def test_feedback_shows_no_hidden_test(bank):
    # Hidden lines that occur nowhere else, not even as part of a longer visible line.
    visible_source = "\n".join("\n".join(split_region(cell.source, HIDDEN_MARKERS)[1]) for cell in SOURCE.cells)
    secrets = {line for line in secret_lines(SOURCE, HIDDEN_MARKERS, lambda cell: False)
               if len(line) > 20 and line not in visible_source}
    assert len(secrets) > 10
    autograded = (bank["course"] / "autograded" / "correct" / PS / f"{PS}.ipynb").read_text()
    assert any(line in autograded for line in secrets), "the hidden tests were not run (nothing to hide)"
    visible = [line.strip() for line in bank["release"].cells[position(bank["release"], "test_optimal_lr")]
               .source.splitlines() if len(line.strip()) > 12]
    for student, page in bank["feedback"].items():
        text = visible_text(page)
        if student == "correct":
            assert visible[0] in text, "the visible tests should be in the feedback"
        leaked = sorted(line for line in secrets if line in text)
        assert not leaked, f"{student}'s feedback shows hidden test lines: {leaked[:3]}"


def test_export_has_one_row_per_student_with_every_part(bank):
    rows = {row["student_id"]: row for row in bank["csv"]}
    assert sorted(rows) == sorted(BANK) and len(bank["csv"]) == len(BANK)
    for student, (_, expected, _, unreadable) in BANK.items():
        row = rows[student]
        assert row["problem_set"] == PS
        assert {part: float(row[part]) for part in TESTS} == expected
        assert float(row["max_score"]) == sum(TESTS.values()) + sum(WRITTEN.values())
        assert float(row["total"]) == sum(expected.values())
        assert bool(row["zero_reason"]) == unreadable, row
    assert rows["empty-file"]["zero_reason"] == "your file hessian.ipynb is empty"
    assert rows["correct"]["needs_manual_grade"] == "yes" and rows["correct"][next(iter(WRITTEN))] == ""


def test_a_second_run_grades_nobody_already_graded(bank):
    result = grading(bank["course"], "autograde", PS)
    assert f"{len(BANK)} already graded, 0 to grade" in result.stdout
    assert {student: read_scores(bank["course"], PS, student) for student in BANK} == bank["scores"]


# ----------------------------------------------------------------------------- kill -9 and resume


def kernels_of(course):
    """Process ids of the kernels started for ``course`` (their connection files are in its
    runtime folder); kernels run in a session of their own, so a kill of the grading's process
    group leaves them behind."""
    runtime = str(course.parent / "jupyter-runtime")
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if runtime in (proc / "cmdline").read_bytes().decode(errors="replace"):
                    pids.append(int(proc.name))
            except OSError:
                pass
    return pids


def test_a_killed_run_resumes_and_grades_every_student_once(bank, tmp_path):
    course = new_course(tmp_path)
    release = bank["release"]
    students = {f"student-{i}": ("correct" if i % 2 else "untouched") for i in range(8)}
    for student, kind in students.items():
        write_submission(course / "submitted" / student / PS, BANK[kind][0], SOURCE, release)
    run = subprocess.Popen([sys.executable, "-m", "course_opt.grading", "--course", str(course), "autograde", PS,
                            "--jobs", "2"], env=course_env(course), start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    records = course / "grading" / PS
    deadline = time.monotonic() + 600
    while len(list(records.glob("*.json"))) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    for pid in kernels_of(course):
        os.kill(pid, signal.SIGKILL)
    done = len(list(records.glob("*.json")))
    assert 2 <= done < len(students), f"the run was not killed halfway ({done} of {len(students)} done)"

    again = grading(course, "autograde", PS, "--jobs", "2")
    assert f"{done} already graded, {len(students) - done} to grade" in again.stdout

    with sqlite3.connect(course / "gradebook.db") as db:
        rows = db.execute("SELECT student_id, COUNT(*) FROM submitted_assignment GROUP BY student_id").fetchall()
        assert dict(rows) == dict.fromkeys(students, 1)
        grades, distinct = db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT notebook_id || '/' || cell_id) FROM grade").fetchone()
        assert grades == distinct == len(students) * (len(TESTS) + len(WRITTEN))
    # the same grades as the clean run of the bank gave the same notebooks
    for student, kind in students.items():
        assert read_scores(course, PS, student) == bank["scores"][kind], f"{student} ({kind}) differs"


# ----------------------------------------------------------------------------- collect


def test_zip_collect_puts_each_archive_in_its_students_folder(bank, tmp_path):
    course = new_course(tmp_path)
    zips = tmp_path / "zips"
    zips.mkdir()
    correct_text = nbformat.writes(correct(SOURCE, bank["release"]))
    with zipfile.ZipFile(zips / "alice.zip", "w") as z:
        z.writestr(f"{PS}/{PS}.ipynb", correct_text)  # inside a folder, as archivers do
        z.writestr(f"{PS}/notes.txt", "my notes")
    with zipfile.ZipFile(zips / "bob.zip", "w") as z:
        z.writestr("homework.ipynb", correct_text)
    (zips / "carol.zip").write_bytes(b"this is not a zip archive")
    grading(course, "collect", PS, str(zips))

    release = bank["release"]
    submitted = course / "submitted"
    assert (submitted / "alice" / PS / f"{PS}.ipynb").read_text() == correct_text
    assert (submitted / "alice" / PS / "notes.txt").read_text() == "my notes"
    alice = normalize(submitted / "alice" / PS, PS, release)
    assert alice.zero_reason is None and any("notes.txt" in note for note in alice.notes)
    bob = normalize(submitted / "bob" / PS, PS, release)
    assert bob.zero_reason is None and any("was named homework.ipynb" in note for note in bob.notes)
    carol = normalize(submitted / "carol" / PS, PS, release)
    assert carol.zero_reason.startswith("your zip file carol.zip could not be opened")
    assert sorted(Course(course).submissions(PS)) == ["alice", "bob", "carol"]


def test_collect_refuses_a_student_id_nbgrader_would_read_as_a_pattern(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_bytes((COURSE_DIR / "nbgrader_config.py").read_bytes())
    write(tmp_path / "src" / "al*ce" / PS, f"{PS}.ipynb", SOURCE)
    result = grading(course, "collect", PS, str(tmp_path / "src"), check=False)
    assert result.returncode == 1 and "is not usable as a student id" in result.stderr
    assert not (course / "submitted").exists()


def test_a_submission_is_rebuilt_the_same_way_every_time(bank, tmp_path):
    # Resuming relies on it: a student counts as graded when the rebuilt notebook is unchanged.
    release = bank["release"]
    write(tmp_path / "a", f"{PS}.ipynb", extra_cells(SOURCE, release))
    first, second = (normalize(tmp_path / "a", PS, release) for _ in range(2))
    assert first.text() == second.text() and first.notes == second.notes
    answered = correct(SOURCE, release)
    answered.cells[position(answered, "optimal_lr")].source += "\n# changed"
    write(tmp_path / "b", f"{PS}.ipynb", answered)
    write(tmp_path / "c", f"{PS}.ipynb", correct(SOURCE, release))
    assert normalize(tmp_path / "b", PS, release).digest() != normalize(tmp_path / "c", PS, release).digest()
