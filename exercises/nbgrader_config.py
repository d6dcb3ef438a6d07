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


# Autograding runs the students' code in a sandbox and the hidden tests in the grading process
# (course_opt/grading/execute.py): SandboxedExecute replaces nbgrader's Execute, the rest of
# nbgrader's autograde pipeline stays as it is. The sandbox needs Linux and root.
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput, SaveAutoGrades)

from course_opt.grading.execute import SandboxedExecute  # noqa: E402

c.Autograde.autograde_preprocessors = [
    SandboxedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
    AssignLatePenalties, CheckCellMetadata,
]
# Seconds of computing one cell may use (CPU time of the student's process and of the test
# code, so that a busy machine costs no correct answer its points; waiting counts up to five
# times that), and seconds for all the cells of a notebook together. A cell that runs out of
# time says so in its output and names the limit; the cells after it are still graded.
c.SandboxedExecute.cell_timeout = 30
c.SandboxedExecute.notebook_timeout = 300
c.SandboxedExecute.memory_limit = 2 * 2**30  # bytes of address space of the student's process
c.SandboxedExecute.output_limit = 10_000  # bytes of printed output kept per cell

# A test cell that a student deleted is put back and graded.
c.OverwriteCells.add_missing_cells = True
