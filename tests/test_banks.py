"""The banks of wrong and correct solutions (tests/banks.py), graded through the real pipeline.

Every problem set with banks under ``exercises/banks/<ps>/`` is covered without a change here.
Each problem set's banks are graded once, as one class; then every entry is its own test, so a
failure names the entry and says what it earned.
"""

import pytest

import banks

PROBLEM_SETS = banks.problem_sets_with_banks()
ENTRIES = [entry for ps in PROBLEM_SETS for kind in banks.KINDS for entry in banks.load_entries(ps, kind)]


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """ps -> (entries, scores), each problem set graded on first use."""
    cache = {}

    def get(ps):
        if ps not in cache:
            cache[ps] = banks.grade_banks(ps, tmp_path_factory.mktemp(f"banks-{ps}"))
        return cache[ps]

    return get


def test_banks_exist_for_problem_sets():
    assert PROBLEM_SETS, f"no banks under {banks.BANKS_DIR}"
    sources = {path.parent.name for path in (banks.COURSE_DIR / "source").glob("*/*.ipynb")}
    assert set(PROBLEM_SETS) <= sources, f"banks without a problem set: {sorted(set(PROBLEM_SETS) - sources)}"


@pytest.mark.parametrize("ps", PROBLEM_SETS)
def test_banks_cover_every_graded_function_and_test_cell(ps):
    problems = banks.coverage_problems(ps)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("ps", PROBLEM_SETS)
def test_control_submission_gets_full_marks(ps, graded):
    _, scores = graded(ps)
    parts = banks.autograded_parts(banks.read(banks.source_path(ps)))
    short = {g: scores[banks.CONTROL].get(g) for g in parts if banks.lost_points(scores[banks.CONTROL], [g])}
    assert not short, f"the instructor's solution, injected nothing, lost points: {short}"


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.ps}-{e.kind}-{e.name}" for e in ENTRIES])
def test_entry(entry, graded):
    entries, scores = graded(entry.ps)
    verdict = banks.verdicts(entry.ps, [entry], scores)[entry]
    expected = "lose the points of its tests" if entry.kind == "wrong" else "earn full marks"
    assert verdict is None, f"{entry.name} ({entry.doc}) should {expected}, but it {verdict}"
