"""Autograde a whole class with nbgrader, in parallel, resumable after a crash.

For each student with a folder ``submitted/<student>/<ps>``:

1. ``submissions.normalize`` rebuilds the submission into ``normalized/<student>/<ps>/``
   (the students' files are never written to);
2. worker processes (``jobs``, default one per core) each run nbgrader's ``Autograde``
   (through ``NbGraderAPI.autograde``, with ``normalized/`` as nbgrader's submitted
   directory, so the course's ``nbgrader_config.py`` decides how notebooks are executed)
   for one student at a time; ``gradebook_lock`` serializes their gradebook writes;
3. when a student's grading has finished, the parent records it in
   ``grading/<ps>/<student>.json`` with the digest of the graded notebook.

Resuming: a student is skipped only when that record exists, names the notebook that
``normalize`` gives now, and the gradebook holds the student's submission. A run killed at
any point (even ``kill -9``) is completed by running the same command again: an
unrecorded student is graded again with nbgrader's ``force``, which rewrites the
submission's grade rows in place (one row per student and part, never two).
``force=True`` grades everyone again.

A notebook that nbgrader itself cannot grade is tried once more (with plain nbgrader's
executor, a kernel can die or fail to start on a busy machine; the course's sandboxed
executor fails only the cell whose process died); if it fails again, the untouched release
is graded in its place, so the student has a row of zeros and a feedback file that says why.
"""

import os
import time
import warnings
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from multiprocessing import get_context

import nbformat
from sqlalchemy.exc import SAWarning
from traitlets.config import Config

from course_opt.grading import gradebook_lock
from course_opt.grading.course import NORMALIZED, Course, GradingError, write_atomically
from course_opt.grading.submissions import normalize

ATTEMPTS = 2  # tries of a student's own notebook before the release is graded instead

_worker = {}


def default_jobs():
    return len(os.sched_getaffinity(0))


def _start_worker(root):
    # nbgrader 0.9's own gradebook code triggers SQLAlchemy warnings on every submission.
    warnings.filterwarnings("ignore", category=SAWarning)
    course = Course(root)
    os.chdir(course.root)  # as `cd <course> && nbgrader autograde`: the course config may use relative paths
    gradebook_lock.install(course.lock_path)
    extra = Config()
    extra.CourseDirectory.submitted_directory = NORMALIZED
    extra.NbGraderAPI.log_level = "ERROR"
    _worker["api"] = course.api(extra)


def _grade(ps, student):
    """Autograde one student in this worker: ``(student, None)``, or ``(student, log)``
    when nbgrader failed."""
    result = _worker["api"].autograde(ps, student, force=True, create=True)
    if result["success"]:
        return student, None
    return student, "\n".join(filter(None, [result.get("log"), result.get("error")])) or "no message"


def why_not_executed(log):
    """The cause of a failed autograde, in plain words, from nbgrader's log."""
    if "DeadKernelError" in log or "Kernel died" in log:
        return ("the Python kernel running it died (for example the code called exit(), crashed the "
                "interpreter, or used too much memory)")
    errors = [line[len("[ERROR] "):] for line in log.splitlines()
              if line.startswith("[ERROR] ") and "above traceback" not in line]
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    return f"grading stopped with the error: {(errors or lines or ['unknown'])[0]}"


def _write_notebook(course, student, ps, text, submission):
    folder = course.normalized_folder(student, ps)
    write_atomically(folder / f"{ps}.ipynb", text)
    timestamp = submission / "timestamp.txt"  # nbgrader reads the submission time from it
    if timestamp.is_file():
        write_atomically(folder / "timestamp.txt", timestamp.read_text())


def _prepare(course, ps, students, in_gradebook, force):
    """student -> (Normalized, digest) for every student still to grade; writes their
    normalized notebooks. A student is done when the record of their grading names the
    notebook ``normalize`` gives now and the gradebook holds their submission."""
    release = nbformat.read(str(course.release_notebook(ps)), as_version=4)
    plan = {}
    for student, folder in students.items():
        normalized = normalize(folder, ps, release)
        digest = normalized.digest()
        state = course.read_state(ps, student)
        if not force and student in in_gradebook and state is not None and state.get("input") == digest:
            continue
        _write_notebook(course, student, ps, normalized.text(), folder)
        plan[student] = (normalized, digest)
    return plan, release


def _submitted(course, ps):
    """The students with a submission of ``ps`` in the gradebook."""
    from nbgrader.api import MissingEntry

    with course.gradebook() as gradebook:
        try:
            return {submission.student_id for submission in gradebook.find_assignment(ps).submissions}
        except MissingEntry:
            raise GradingError(f"{ps} is not in the gradebook: release it first "
                               f"(python -m course_opt.grading release {ps})") from None


def autograde(course, ps, jobs=None, force=False, say=print):
    """Grade every submission of ``ps``; returns ``{"graded": n, "skipped": n}``."""
    students = course.submissions(ps)
    if not students:
        raise GradingError(f"no submissions of {ps}: expected folders {course.root}/submitted/<student>/{ps}/")
    gradebook_lock.install(course.lock_path)
    plan, release = _prepare(course, ps, students, _submitted(course, ps), force)
    say(f"{ps}: {len(students)} submissions, {len(students) - len(plan)} already graded, {len(plan)} to grade")
    if not plan:
        return {"graded": 0, "skipped": len(students)}
    with course.gradebook() as gradebook:
        for student in plan:  # created here, once, so that no two workers race to add one
            gradebook.update_or_create_student(student)

    jobs = jobs or default_jobs()
    attempts = dict.fromkeys(plan, 0)
    failures = {}
    start, done = time.monotonic(), 0
    # fork: the workers start with nbgrader already imported (the parent holds no open
    # gradebook, thread or kernel at this point, so nothing is shared that should not be)
    import nbgrader.apps  # noqa: F401 -- imported once here rather than in every worker

    context = get_context("fork")
    with ProcessPoolExecutor(min(jobs, len(plan)), mp_context=context, initializer=_start_worker,
                             initargs=(str(course.root),)) as pool:
        running = {pool.submit(_grade, ps, student) for student in plan}
        while running:
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                student, error = future.result()
                attempts[student] += 1
                normalized, digest = plan[student]
                if error is not None and attempts[student] <= ATTEMPTS:
                    failures[student] = error
                    if attempts[student] == ATTEMPTS:  # give up on the student's notebook
                        _write_notebook(course, student, ps, nbformat.writes(release), students[student])
                    running.add(pool.submit(_grade, ps, student))
                    continue
                if error is not None:
                    raise GradingError(f"nbgrader could not grade even the untouched release of {ps} "
                                       f"for {student}:\n{error[-3000:]}")
                zero_reason = normalized.zero_reason
                notes = list(normalized.notes)
                if attempts[student] > ATTEMPTS:
                    zero_reason = f"your notebook could not be executed: {why_not_executed(failures[student])}"
                    notes.append("the untouched problem set was graded in place of your notebook")
                course.write_state(ps, student, {"input": digest, "notes": notes, "zero_reason": zero_reason,
                                                 "attempts": attempts[student]})
                done += 1
                say(f"  graded {student} ({done}/{len(plan)}, {time.monotonic() - start:.0f} s)"
                    + (f": zero, {zero_reason}" if zero_reason else ""))
    return {"graded": done, "skipped": len(students) - len(plan)}
