"""Grades to CSV: one row per student and problem set, with the score of every part.

``nbgrader export`` writes one total per submission; instructors also want each part, and
the reason a submission scored zero. Read from nbgrader's gradebook: a part's score is the
manual score where a grader gave one, else the autograder's; a written part that still
waits for a grader is left empty and counted in ``needs_manual_grade``.
"""

import csv
import io

import nbformat

from course_opt.grading.course import GradingError, write_atomically

FIXED = ["student_id", "problem_set"]
TRAILING = ["total", "max_score", "needs_manual_grade", "zero_reason"]


def _parts(course, ps):
    """The graded parts of ``ps`` (grade_ids) in the release's order."""
    release = nbformat.read(str(course.release_notebook(ps)), as_version=4)
    return [cell.metadata["nbgrader"]["grade_id"] for cell in release.cells
            if cell.metadata.get("nbgrader", {}).get("grade")]


def _score(value):
    return "" if value is None else f"{value:g}"


def rows(course, problem_sets):
    """``(header, rows)`` for the problem sets (every one in the gradebook when empty)."""
    with course.gradebook() as gradebook:
        known = [assignment.name for assignment in gradebook.assignments]
        problem_sets = list(problem_sets) or known
        unknown = [ps for ps in problem_sets if ps not in known]
        if unknown:
            raise GradingError(f"not in the gradebook: {unknown} (it has {known})")
        parts = {ps: _parts(course, ps) for ps in problem_sets}
        columns = list(dict.fromkeys(part for ps in problem_sets for part in parts[ps]))
        table = []
        for ps in problem_sets:
            for submission in sorted(gradebook.find_assignment(ps).submissions, key=lambda s: s.student_id):
                grades = {grade.name: grade for notebook in submission.notebooks for grade in notebook.grades}
                state = course.read_state(ps, submission.student_id) or {}
                row = {"student_id": submission.student_id, "problem_set": ps,
                       "total": _score(submission.score), "max_score": _score(submission.max_score),
                       "needs_manual_grade": "yes" if submission.needs_manual_grade else "no",
                       "zero_reason": state.get("zero_reason") or ""}
                for part in parts[ps]:
                    grade = grades.get(part)
                    pending = grade is None or (grade.needs_manual_grade and grade.manual_score is None)
                    row[part] = "" if pending else _score(grade.score)
                table.append(row)
    return FIXED + columns + TRAILING, table


def export(course, problem_sets, to, say=print):
    """Write the CSV to ``to``; returns the number of rows."""
    header, table = rows(course, problem_sets)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    write_atomically(to, buffer.getvalue())
    say(f"{len(table)} rows written to {to}")
    return len(table)
