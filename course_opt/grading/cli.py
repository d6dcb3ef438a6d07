"""The instructor's commands: ``python -m course_opt.grading <command> <problem set>``.

    release PS              nbgrader generate_assignment: release/PS/ (solutions, hidden tests stripped)
    collect PS SRC          SRC/<student>/PS/ folders or SRC/<student>.zip files -> submitted/
    autograde PS [--jobs N] [--force]
                            grade the class in parallel; a rerun completes an interrupted run
    feedback PS             feedback/<student>/PS/PS.html for every graded student
    export [PS ...] [--to grades.csv]
                            one CSV row per student and problem set, every part's score

Every command works on the nbgrader course directory ``--course`` (default ``exercises``).
"""

import argparse
import os
import sys

from course_opt.grading.course import Course, GradingError, nbgrader_env


def _release(course, args):
    course.nbgrader("generate_assignment", args.problem_set, *(["--force"] if args.force else []))
    print(f"{args.problem_set}: released to {course.root / 'release' / args.problem_set}")


def _collect(course, args):
    from course_opt.grading.collect import collect

    collect(course, args.problem_set, args.src)


def _autograde(course, args):
    from course_opt.grading.autograde import autograde

    autograde(course, args.problem_set, jobs=args.jobs, force=args.force)


def _feedback(course, args):
    from course_opt.grading.feedback import generate_feedback

    generate_feedback(course, args.problem_set)


def _export(course, args):
    from course_opt.grading.export import export

    export(course, args.problem_sets, args.to or course.root / "grades.csv")


def parser():
    p = argparse.ArgumentParser(prog="python -m course_opt.grading", description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("--course", default="exercises", help="the nbgrader course directory (default: exercises)")
    commands = p.add_subparsers(dest="command", required=True)

    release = commands.add_parser("release", help="release a problem set (nbgrader generate_assignment)")
    release.add_argument("problem_set")
    release.add_argument("--force", action="store_true", help="release again over an earlier release")
    release.set_defaults(run=_release)

    collect = commands.add_parser("collect", help="copy the submissions into submitted/")
    collect.add_argument("problem_set")
    collect.add_argument("src", help="a folder of <student>/<problem set>/ folders or of <student>.zip files")
    collect.set_defaults(run=_collect)

    autograde = commands.add_parser("autograde", help="autograde the whole class, in parallel")
    autograde.add_argument("problem_set")
    autograde.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    autograde.add_argument("--force", action="store_true", help="grade again students already graded")
    autograde.set_defaults(run=_autograde)

    feedback = commands.add_parser("feedback", help="feedback HTML for every graded student")
    feedback.add_argument("problem_set")
    feedback.set_defaults(run=_feedback)

    export = commands.add_parser("export", help="grades to CSV, one row per student and problem set")
    export.add_argument("problem_sets", nargs="*", help="problem sets (default: every one in the gradebook)")
    export.add_argument("--to", default=None, help="the CSV file (default: <course>/grades.csv)")
    export.set_defaults(run=_export)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return 2
    os.environ.update(nbgrader_env())  # nbgrader, in this process too, runs `alembic` from PATH
    try:
        args.run(Course(args.course), args)
    except GradingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
