"""nbgrader configuration of the course's problem sets (nbgrader 0.9).

This folder is the nbgrader course directory: run every command from here, e.g.

    cd exercises
    nbgrader generate_assignment hessian   # source/hessian -> release/hessian
    nbgrader autograde hessian             # submitted/<student>/hessian -> autograded/...

Only ``source/`` and this file are authored; ``release/``, ``submitted/``, ``autograded/``,
``feedback/`` and ``gradebook.db`` are produced by nbgrader and are not committed. The
course root is the current directory (nbgrader's default), so a copy of this folder works
anywhere.
"""

c = get_config()  # noqa: F821 -- nbgrader provides get_config() when it loads this file

c.CourseDirectory.course_id = "optimization-for-deep-learning"

# A new assignment or student is entered into the gradebook on first use (both are the
# defaults of nbgrader 0.9, stated here so that no command needs --create).
c.GenerateAssignment.create_assignment = True
c.Autograde.create_student = True

# What replaces a solution in the released notebook.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Seconds that one cell may run while autograding (per cell: nbgrader has no budget for the
# whole notebook). Every test cell of the reference solutions runs in well under a second,
# so a cell that reaches this limit is stuck, e.g. a loop over a huge number of steps.
c.ExecutePreprocessor.timeout = 60
