"""The nbgrader course directory as the grading commands see it.

Besides nbgrader's own folders (``source/``, ``release/``, ``submitted/``, ``autograded/``,
``feedback/``, ``gradebook.db``) the commands keep two of their own:

* ``normalized/<student>/<ps>/<ps>.ipynb``: the notebook nbgrader grades, rebuilt from the
  student's submission (``submissions.normalize``); nbgrader reads it as its
  ``submitted_directory``, so ``submitted/`` is never written to by grading;
* ``grading/<ps>/<student>.json``: written once a student is graded: which normalized
  notebook was graded, and the notes for the student's feedback.
"""

import json
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

NORMALIZED = "normalized"
STATE = "grading"
# Characters nbgrader reads as a pattern in a student id (it globs the submission folders).
GLOB_CHARACTERS = re.compile(r"[*?\[\]]")


class GradingError(Exception):
    """A problem of the course or of the command line, not of one student's submission."""


class Course:
    """The course directory ``root`` (holding ``nbgrader_config.py``)."""

    def __init__(self, root):
        self.root = Path(root).resolve()
        if not (self.root / "nbgrader_config.py").is_file():
            raise GradingError(f"{self.root} is not an nbgrader course directory: it has no nbgrader_config.py")
        self._config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()

    # ------------------------------------------------------------------ paths

    def release_notebook(self, ps):
        path = self.root / "release" / ps / f"{ps}.ipynb"
        if not path.is_file():
            raise GradingError(f"{path} does not exist: release the problem set first "
                               f"(python -m course_opt.grading release {ps})")
        return path

    def submissions(self, ps):
        """student id -> submission folder ``submitted/<student>/<ps>``, sorted by id."""
        folders = sorted((self.root / "submitted").glob(f"*/{ps}"))
        students = {folder.parent.name: folder for folder in folders if folder.is_dir()}
        bad = [student for student in students if GLOB_CHARACTERS.search(student)]
        if bad:
            raise GradingError(f"student ids may not contain * ? [ ] (nbgrader reads them as patterns): {bad}")
        return students

    def normalized_folder(self, student, ps):
        return self.root / NORMALIZED / student / ps

    def feedback_html(self, student, ps):
        return self.root / "feedback" / student / ps / f"{ps}.html"

    @property
    def lock_path(self):
        return self.root / "gradebook.lock"

    # ------------------------------------------------------------------ state of a student

    def _state_path(self, ps, student):
        return self.root / STATE / ps / f"{student}.json"

    def read_state(self, ps, student):
        """What was recorded when ``student`` was last graded on ``ps``, or None."""
        try:
            return json.loads(self._state_path(ps, student).read_text())
        except (OSError, ValueError):
            return None

    def write_state(self, ps, student, state):
        write_atomically(self._state_path(ps, student), json.dumps(state, indent=1, sort_keys=True))

    # ------------------------------------------------------------------ nbgrader

    @property
    def course_id(self):
        return self._config.CourseDirectory.get("course_id", "default_course")

    @property
    def db_url(self):
        return self._config.CourseDirectory.get("db_url", f"sqlite:///{self.root / 'gradebook.db'}")

    def config(self, extra=None):
        """The course's nbgrader configuration, rooted here, merged with ``extra``."""
        config = Config(self._config)
        config.CourseDirectory.root = str(self.root)
        if extra is not None:
            config.merge(extra)
        return config

    def api(self, extra=None):
        """An in-process ``NbGraderAPI`` with the course's configuration (and ``extra``)."""
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        config = self.config(extra)
        return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)

    @contextmanager
    def gradebook(self):
        from nbgrader.api import Gradebook

        gradebook = Gradebook(self.db_url, course_id=self.course_id)
        try:
            yield gradebook
        finally:
            gradebook.close()
            # close the database connection too (nbgrader's close keeps it in a pool): no
            # connection may outlive this, nor be inherited by the workers forked later
            gradebook.engine.dispose()

    def nbgrader(self, *args):
        """Run the ``nbgrader`` command in the course directory; raise if it fails."""
        result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=self.root, env=nbgrader_env(),
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise GradingError(f"nbgrader {' '.join(args)} failed (exit {result.returncode}):\n"
                               f"{result.stdout[-3000:]}{result.stderr[-3000:]}")
        return result


def nbgrader_env():
    """The environment for nbgrader: this interpreter's scripts first on PATH (nbgrader runs
    ``alembic`` from PATH to create a gradebook), whether or not its venv is active."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    return env


def write_atomically(path, text):
    """Write ``text`` to ``path`` so that a reader, or a kill at any moment, sees the old
    content or the new, never a part."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)
