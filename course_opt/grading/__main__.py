"""``python -m course_opt.grading``: the instructor's commands (see ``cli``)."""

from course_opt.grading.cli import main

raise SystemExit(main())
