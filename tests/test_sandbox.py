"""The sandboxed executor (course_opt/grading), through the real `nbgrader autograde`.

Submissions are made from the instructor's notebook of the `challenges` problem set (fast
tests, six autograded parts) by changing some of its solution cells or adding cells. One
`nbgrader autograde` grades all of them with the course's nbgrader_config.py (SandboxedExecute);
a second one grades the dishonest ones with nbgrader's own Execute, to show that each cheat
does fool plain nbgrader (so that a zero under the sandbox means something).

Needs root (the sandbox is built with unshare, mount, chroot and setpriv), as CI has.
"""

import os
import shutil
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell
from test_problem_sets import (
    COURSE_DIR,
    autograded_parts,
    nbgrader_cmd,
    nbgrader_meta,
    read,
    read_scores,
    source_path,
    submit,
)

import course_opt
from course_opt.grading.execute import SandboxedExecute
from course_opt.grading.sandbox import SandboxUnavailable

PS = "challenges"
REFERENCE = Path(course_opt.__file__).resolve().parent  # the reference library, as the grader sees it
PARTS = autograded_parts(read(source_path(PS)))
SOLUTIONS = ("clip_by_norm", "clip_by_value", "xavier_bound", "xavier_uniform", "he_normal", "permute_hidden_units")
TEST_OF = {name: f"test_{name}" for name in SOLUTIONS}
# Limits of the test course (the course's own config is stated in nbgrader_config.py): a short
# cell time limit keeps the runs with endless loops short.
CELL_TIMEOUT = 10
SANDBOX_CONFIG = f"\nc.SandboxedExecute.cell_timeout = {CELL_TIMEOUT}\n"
PLAIN_CONFIG = textwrap.dedent("""
    # nbgrader's own executor, for comparison.
    from nbgrader.preprocessors import Execute
    c.Autograde.autograde_preprocessors = [Execute] + c.Autograde.autograde_preprocessors[1:]
    c.Execute.timeout = 60
""")


def code(text):
    return textwrap.dedent(text).strip("\n")


def wrong(name):
    """A definition of the solution ``name`` that fails its tests."""
    return {
        "clip_by_norm": "def clip_by_norm(grad, max_norm):\n    return grad.copy()",
        "clip_by_value": "def clip_by_value(grad, max_value):\n    return grad.copy()",
        "xavier_bound": "def xavier_bound(fan_in, fan_out):\n    return 1.0",
        "xavier_uniform": "def xavier_uniform(fan_in, fan_out, rng):\n    return rng.uniform(-1.0, 1.0, size=(fan_in, fan_out))",
        "he_normal": "def he_normal(fan_in, fan_out, rng):\n    return rng.standard_normal((fan_in, fan_out))",
        "permute_hidden_units": "def permute_hidden_units(theta, layer_sizes, layer, perm):\n    return theta.copy()",
    }[name]


def disguised(name, obtain):
    """A solution that calls the reference ``_ref`` obtained by ``obtain``, under the student's
    own name and module (the hidden tests reject a function whose module is course_opt)."""
    return code(obtain) + f"\n\n_ref_{name} = _ref\ndef {name}(*args, **kwargs):\n    return _ref_{name}(*args, **kwargs)"


def instructor_solution(name):
    nb = read(source_path(PS))
    return next(cell.source for cell in nb.cells if nbgrader_meta(cell).get("grade_id") == name)


def submission(replace=None, before=None, after=None, delete=()):
    """The instructor's notebook with solution cells replaced (grade_id -> source), plain
    code cells added before or after cells (grade_id -> [sources]) and cells deleted."""
    nb = read(source_path(PS))
    cells = []
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in delete:
            continue
        cells += [new_code_cell(code(text)) for text in (before or {}).get(grade_id, [])]
        if grade_id in (replace or {}):
            cell.source = code(replace[grade_id])
        cells.append(cell)
        cells += [new_code_cell(code(text)) for text in (after or {}).get(grade_id, [])]
    nb.cells = cells
    return nb


def snooping_definitions(course):
    """Solutions that are right only when the student's code can see the grader's world."""
    wrong_unless = {
        # Reads the gradebook (which holds the hidden tests).
        "clip_by_norm": f"""
            import os
            if not os.path.exists({str(course / "gradebook.db")!r}):
                WRONG""",
        # Reads the instructor's source notebook.
        "clip_by_value": f"""
            try:
                open({str(course / "source" / PS / f"{PS}.ipynb")!r}).read()
            except OSError:
                WRONG""",
        # Looks for the reference library in sys.modules and the garbage collector.
        "xavier_bound": """
            import sys
            _right = xavier_bound
            def xavier_bound(fan_in, fan_out):
                return _right(fan_in, fan_out) if "course_opt" in sys.modules else 1.0""",
        "xavier_uniform": """
            import gc
            _right_uniform = xavier_uniform
            def xavier_uniform(fan_in, fan_out, rng):
                if any(getattr(f, "__module__", "") == "course_opt.initializers"
                       for f in gc.get_objects() if callable(f)):
                    return _right_uniform(fan_in, fan_out, rng)
                return rng.uniform(-1.0, 1.0, size=(fan_in, fan_out))""",
        # Looks for the grader's process in /proc.
        "he_normal": f"""
            import os
            _seen = [pid for pid in os.listdir("/proc") if pid.isdigit()
                     and "nbgrader" in open(f"/proc/{{pid}}/cmdline", errors="replace").read()]
            if not _seen:
                WRONG""",
    }
    return {name: instructor_solution(name) + "\n" + with_wrong(code(snippet), name)
            for name, snippet in wrong_unless.items()}


def with_wrong(text, name):
    """``text`` with its line ``WRONG`` replaced by the wrong definition of ``name``, indented."""
    lines = []
    for line in text.splitlines():
        if line.strip() == "WRONG":
            line = textwrap.indent(wrong(name), line[: len(line) - len(line.lstrip())])
        lines.append(line)
    return "\n".join(lines)


SUBMISSIONS = {
    # student id -> (the notebook, given the course directory; {part: expected points})
    "correct": (lambda course: submission(), {}),
    "deleted-test": (lambda course: submission(delete={"test_clip_by_value"}), {}),
    # Cheat 1: the reference solution, imported under any name or by file path.
    "imports-reference": (lambda course: submission(replace={
        "clip_by_norm": disguised("clip_by_norm", "from course_opt.clipping import clip_by_norm as _ref"),
        "clip_by_value": disguised("clip_by_value", """
            import importlib
            _ref = importlib.import_module("course_" + "opt").clipping.clip_by_value"""),
        "xavier_bound": disguised("xavier_bound", f"""
            import sys
            sys.path.insert(0, {str(REFERENCE.parent)!r})
            from course_opt.initializers import xavier_bound as _ref"""),
        "xavier_uniform": disguised("xavier_uniform", f"""
            _namespace = {{}}
            exec(open({str(REFERENCE / "initializers.py")!r}).read(), _namespace)
            _ref = _namespace["xavier_uniform"]"""),
        "he_normal": disguised("he_normal", f"""
            import runpy
            _ref = runpy.run_path({str(REFERENCE / "initializers.py")!r})["he_normal"]"""),
        "permute_hidden_units": disguised("permute_hidden_units", f"""
            import importlib.util
            _spec = importlib.util.spec_from_file_location("course_opt.mlp", {str(REFERENCE / "mlp.py")!r})
            _mlp = importlib.util.module_from_spec(_spec)
            _spec.loader.exec_module(_mlp)
            _ref = _mlp.permute_hidden_units"""),
    }), {name: 0 for name in TEST_OF.values()}),
    # Cheats 2 and 3: wrong answers, with the reference and NumPy's comparisons patched to agree.
    "patches-grader": (lambda course: submission(
        replace={name: wrong(name) for name in ("clip_by_norm", "clip_by_value", "he_normal")},
        after={"imports": ["""
            import builtins
            import numpy
            np.allclose = lambda *args, **kwargs: True
            np.testing.assert_allclose = lambda *args, **kwargs: None
            numpy.isclose = lambda a, b, *args, **kwargs: numpy.ones(numpy.broadcast(a, b).shape, dtype=bool)
            np.all = lambda *args, **kwargs: True
            builtins.abs = lambda x: 0.0 * x
            try:
                float.__eq__ = lambda a, b: True
            except TypeError:
                pass
            try:
                import course_opt, course_opt.clipping, course_opt.initializers
                course_opt.clipping.clip_by_norm = course_opt.clip_by_norm = lambda grad, max_norm: grad.copy()
                course_opt.clipping.clip_by_value = course_opt.clip_by_value = lambda grad, max_value: grad.copy()
                course_opt.initializers.he_normal = course_opt.he_normal = (
                    lambda fan_in, fan_out, rng: rng.standard_normal((fan_in, fan_out)))
            except ImportError:
                pass
            """]}),
        {TEST_OF[name]: 0 for name in ("clip_by_norm", "clip_by_value", "he_normal")}),
    # Values that lie about themselves: equal to everything, no difference to anything.
    "lying-values": (lambda course: submission(
        replace={
            "clip_by_norm": """
                class Liar:
                    def __eq__(self, other): return True
                    def __sub__(self, other): return 0.0 * np.asarray(other)
                    __rsub__ = __sub__
                    def __abs__(self): return 0.0
                    def __le__(self, other): return True
                    def __array__(self, dtype=None, copy=None): return np.zeros(3)
                    def __len__(self): return 3
                    shape = (3,)
                def clip_by_norm(grad, max_norm):
                    return Liar()""",
            "xavier_bound": """
                class Close(float):
                    def __eq__(self, other): return True
                    def __sub__(self, other): return 0.0
                    def __rsub__(self, other): return 0.0
                    __hash__ = float.__hash__
                def xavier_bound(fan_in, fan_out):
                    return Close(0.5)""",
        }),
        # (xavier_uniform calls xavier_bound, so it fails too)
        {"test_clip_by_norm": 0, "test_xavier_bound": 0, "test_xavier_uniform": 0}),
    # Cheat 4: reading the hidden tests or the grader's state.
    "snoops": (lambda course: submission(replace=snooping_definitions(course)),
               {TEST_OF[name]: 0 for name in ("clip_by_norm", "clip_by_value", "xavier_bound", "xavier_uniform",
                                              "he_normal")}),
    # Attacks on the grader itself: signals, writing to the course files.
    "attacks-grader": (lambda course: submission(after={"imports": [f"""
            import os, signal
            for _path in ({str(course / "gradebook.db")!r}, {str(course / "source" / PS / f"{PS}.ipynb")!r}):
                try:
                    open(_path, "w").write("overwritten")
                except OSError as error:
                    print("write", error)
            for _pid in (os.getppid(), 1, os.getpid() - 1):
                try:
                    os.kill(_pid, signal.SIGKILL)
                except OSError as error:
                    print("kill", _pid, error)
            """]}), {}),
    # An unlucky student: errors, wrong shapes, NaN, None, and a correct function that warns.
    "broken": (lambda course: submission(replace={
        "clip_by_norm": "1 / 0\n" + instructor_solution("clip_by_norm"),
        "clip_by_value": "def clip_by_value(grad, max_value):\n    return np.clip(grad, -max_value, max_value)[:-1]",
        "xavier_bound": "def xavier_bound(fan_in, fan_out):\n    return float('nan')",
        "xavier_uniform": "def xavier_uniform(fan_in, fan_out, rng):\n    bound = xavier_bound(fan_in, fan_out)",
        "he_normal": """
            import warnings
            def he_normal(fan_in, fan_out, rng):
                print("drawing", fan_in, "by", fan_out)
                np.log(np.array([-1.0]))  # a RuntimeWarning
                warnings.warn("a warning of the student's own")
                return np.sqrt(2.0 / fan_in) * rng.standard_normal((fan_in, fan_out))""",
    }), {"test_clip_by_norm": 0, "test_clip_by_value": 0, "test_xavier_bound": 0, "test_xavier_uniform": 0}),
    # Endless loops, in a function and at the top level.
    "hangs": (lambda course: submission(
        replace={"clip_by_norm": "def clip_by_norm(grad, max_norm):\n    while True:\n        pass"},
        after={"xavier_bound": ["while True:\n    pass"]}),
        {"test_clip_by_norm": 0}),
    # A dying process, in a function and at the top level, and memory bombs.
    "crashes": (lambda course: submission(
        replace={
            "clip_by_value": "import os\ndef clip_by_value(grad, max_value):\n    os._exit(3)",
            "xavier_uniform": "def xavier_uniform(fan_in, fan_out, rng):\n    return np.ones((2**31, 2))",
        },
        after={"xavier_bound": ["hog = [bytearray(2**28) for _ in range(64)]"],
               "he_normal": ["import os\nos._exit(0)"]}),
        {"test_clip_by_value": 0, "test_xavier_uniform": 0}),
    # Megabytes of output, at the top level and from a function that the tests call.
    "floods": (lambda course: submission(
        replace={"clip_by_norm": instructor_solution("clip_by_norm").replace(
            "    ### BEGIN SOLUTION", "    ### BEGIN SOLUTION\n    print('x' * 100_000)")},
        after={"imports": ["print('y' * 5_000_000)\nfor _ in range(1000):\n    print('z' * 1000)"]}),
        {}),
}
DISHONEST = ("imports-reference", "patches-grader", "snoops")


def expected_scores(student):
    overrides = SUBMISSIONS[student][1]
    return {part: float(overrides.get(part, points)) for part, points in PARTS.items()}


def make_course(tmp_path_factory, name, extra_config):
    course = tmp_path_factory.mktemp(name) / "course"
    course.mkdir()
    config = (COURSE_DIR / "nbgrader_config.py").read_text() + extra_config
    (course / "nbgrader_config.py").write_text(config)
    shutil.copytree(COURSE_DIR / "source", course / "source")
    nbgrader_cmd(course, "generate_assignment", PS)
    return course


def grade(course, students):
    for student in students:
        path = course.parent / f"{student}.ipynb"
        nbformat.write(SUBMISSIONS[student][0](course), str(path))
        submit(course, PS, student, path)
    protected = {path: path.read_bytes() for path in (course / "source" / PS).iterdir()}
    result = nbgrader_cmd(course, "autograde", PS)
    nbgrader_cmd(course, "generate_feedback", PS)
    scores = {student: {part: grade[0] for part, grade in read_scores(course, PS, student).items() if part in PARTS}
              for student in students}
    return {"course": course, "scores": scores, "log": result.stderr, "protected": protected}


@pytest.fixture(scope="module")
def sandboxed(tmp_path_factory):
    return grade(make_course(tmp_path_factory, "sandboxed", SANDBOX_CONFIG), list(SUBMISSIONS))


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    return grade(make_course(tmp_path_factory, "plain", PLAIN_CONFIG), ["correct", *DISHONEST])


def autograded(graded, student):
    return read(graded["course"] / "autograded" / student / PS / f"{PS}.ipynb")


def cell_outputs(graded, student, grade_id):
    """The text of the outputs of one cell of the autograded notebook."""
    cell = next(cell for cell in autograded(graded, student).cells if nbgrader_meta(cell).get("grade_id") == grade_id)
    return outputs_text(cell)


def outputs_text(cell):
    texts = []
    for output in cell.outputs:
        if output.output_type == "stream":
            texts.append(f"[{output.name}] {output.text}")
        elif output.output_type == "error":
            texts.append(f"[error] {output.ename}: {output.evalue}\n" + "\n".join(output.traceback))
        else:
            texts.append(str(output.get("data", {}).get("text/plain", "")))
    return "\n".join(texts)


def feedback_html(graded, student):
    return (graded["course"] / "feedback" / student / PS / f"{PS}.html").read_text()


# ----------------------------------------------------------------------------- scores


@pytest.mark.parametrize("student", list(SUBMISSIONS))
def test_each_part_gets_the_points_it_deserves(sandboxed, student):
    assert sandboxed["scores"][student] == expected_scores(student)


@pytest.mark.parametrize("student", DISHONEST)
def test_the_cheats_do_fool_plain_nbgrader(plain, student):
    # The control: under nbgrader's own executor the same submissions get full marks.
    assert plain["scores"][student] == {part: float(points) for part, points in PARTS.items()}


def test_plain_nbgrader_and_the_sandbox_agree_on_a_correct_submission(sandboxed, plain):
    assert sandboxed["scores"]["correct"] == plain["scores"]["correct"] == expected_scores("correct")


# ----------------------------------------------------------------------------- feedback


def test_a_failed_test_shows_its_message_and_no_grader_frames(sandboxed):
    text = cell_outputs(sandboxed, "patches-grader", "test_clip_by_norm")
    assert "AssertionError" in text
    feedback = feedback_html(sandboxed, "patches-grader")
    for secret in ("course_opt", str(REFERENCE), "site-packages", "course_opt/grading", "wire.py"):
        assert secret not in text
    assert "site-packages" not in feedback and str(REFERENCE) not in feedback


def test_importing_the_reference_fails_in_the_students_cell(sandboxed):
    nb = autograded(sandboxed, "imports-reference")
    cell = next(cell for cell in nb.cells if nbgrader_meta(cell).get("grade_id") == "clip_by_norm")
    assert "ModuleNotFoundError: No module named 'course_opt'" in outputs_text(cell)
    assert "name 'clip_by_norm' is not defined" in cell_outputs(sandboxed, "imports-reference", "test_clip_by_norm")


def test_a_students_exception_is_reported_with_the_students_frames_only(sandboxed):
    text = cell_outputs(sandboxed, "broken", "test_xavier_uniform")
    assert text, "a function that returns None must fail its test"
    nb = autograded(sandboxed, "broken")
    cell = next(cell for cell in nb.cells if nbgrader_meta(cell).get("grade_id") == "clip_by_norm")
    assert "ZeroDivisionError: division by zero" in outputs_text(cell)


def test_a_correct_function_that_prints_and_warns_keeps_its_points(sandboxed):
    text = cell_outputs(sandboxed, "broken", "test_he_normal")
    assert "[stderr]" not in text and "[error]" not in text
    assert "drawing" in text and "[stdout]" in text


def test_an_endless_loop_is_stopped_and_named(sandboxed):
    assert f"stopped after {CELL_TIMEOUT} s of computing" in cell_outputs(sandboxed, "hangs", "test_clip_by_norm")
    nb = autograded(sandboxed, "hangs")
    loop = next(cell for cell in nb.cells if cell.source.startswith("while True"))
    assert f"stopped after {CELL_TIMEOUT} s of computing" in outputs_text(loop)
    assert "run again in a fresh process" in outputs_text(loop)


def test_a_dying_process_is_named_and_the_rest_is_graded(sandboxed):
    assert "ended while this cell ran" in cell_outputs(sandboxed, "crashes", "test_clip_by_value")
    nb = autograded(sandboxed, "crashes")
    exit_cell = next(cell for cell in nb.cells if cell.source.endswith("os._exit(0)"))
    assert "ended while this cell ran" in outputs_text(exit_cell)
    hog = next(cell for cell in nb.cells if cell.source.startswith("hog"))
    assert "MemoryError" in outputs_text(hog)
    assert "MemoryError" in cell_outputs(sandboxed, "crashes", "test_xavier_uniform")


def test_megabytes_of_output_are_cut_to_a_few_kilobytes(sandboxed):
    path = sandboxed["course"] / "autograded" / "floods" / PS / f"{PS}.ipynb"
    assert path.stat().st_size < 200_000
    assert len(feedback_html(sandboxed, "floods")) < 500_000
    assert "[output truncated:" in path.read_text()


def test_the_students_code_cannot_touch_the_grader_or_the_course(sandboxed):
    for path, content in sandboxed["protected"].items():
        assert path.read_bytes() == content, f"{path} was changed"
    assert (sandboxed["course"] / "gradebook.db").read_bytes()[:15] == b"SQLite format 3"


def test_every_submission_gets_feedback(sandboxed):
    for student in SUBMISSIONS:
        assert feedback_html(sandboxed, student)


# ----------------------------------------------------------------------------- small notebooks, in this process


def run_notebook(sources, tests=(), **limits):
    """Run code cells with SandboxedExecute; the indices in ``tests`` are test cells."""
    nb = nbformat.v4.new_notebook()
    for index, source in enumerate(sources):
        cell = new_code_cell(source)
        if index in tests:
            cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": f"t{index}", "points": 1}
        nb.cells.append(cell)
    SandboxedExecute(**limits).preprocess(nb, {})
    return [outputs_text(cell) for cell in nb.cells]


def test_the_notebook_budget_stops_the_remaining_cells():
    texts = run_notebook(["x = 1", "while True:\n    x += 1", "x", "assert x == 1"], tests={3},
                         cell_timeout=30, notebook_timeout=3)
    assert "time budget of 3 s" in texts[1]
    assert "not run" in texts[2] and "time budget of 3 s" in texts[2] and "not run" in texts[3]


def test_when_the_replay_dies_too_every_remaining_cell_says_so():
    start = time.time()
    texts = run_notebook([
        f"import os, time\nif time.time() > {start + 6}:\n    os._exit(1)",  # dies when run again later
        "time.sleep(7)",
        "os._exit(2)",
        "print('never')",
        "assert True",
    ], tests={4})
    assert "ended while this cell ran" in texts[2] and "could not be run again" in texts[2]
    assert all("could not be run again" in text and "not run" in text for text in texts[3:])


def test_magics_of_a_notebook_run_or_say_why_not():
    texts = run_notebook(["%matplotlib inline\nimport matplotlib.pyplot as plt\ny = 2", "y", "%timeit y"])
    assert "[error]" not in texts[0] and texts[1] == "2"
    assert "the magic %timeit is not available while grading" in texts[2]


def test_without_root_grading_stops_and_says_what_it_needs(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(SandboxUnavailable, match="must be started as root"):
        run_notebook(["x = 1"])
