"""Link every chapter to its problem set, and put the students' version of it on the site.

A problem set is the nbgrader source notebook ``<course>/source/<name>/<name>.ipynb``
(``<course>`` is ``problem_sets_course_dir``, by default ``exercises``). Its chapter is the
document ``book/<name>``. For each problem set, the build

1. releases it with nbgrader itself: ``nbgrader generate_assignment`` runs in a temporary
   copy of the course directory (``nbgrader_config.py`` and ``source/`` only), so the
   site offers exactly what nbgrader gives students, with solutions and hidden tests
   removed;
2. copies the released notebook to ``problem-sets/<name>.ipynb`` in the site;
3. adds a "Problem set" box at the end of the chapter's "Learning goals" section (or,
   without that section, after the title) with a download link to that notebook.

A problem set without a chapter is reported as a warning (an error under ``-W``). The
source notebooks never reach the site: only nbgrader's release is copied.
"""

import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Where the released notebooks go, relative to the site's root.
SITE_FOLDER = "problem-sets"
#: The folder of the chapters, relative to the book's root (docnames are "book/<name>").
CHAPTER_FOLDER = "book"


def problem_sets(course_dir):
    """Names of the problem sets in an nbgrader course directory, sorted."""
    return sorted(
        path.parent.name
        for path in Path(course_dir).glob("source/*/*.ipynb")
        if path.stem == path.parent.name
    )


def release(course_dir, names, destination):
    """Release the problem sets ``names`` with ``nbgrader generate_assignment``.

    Works in a temporary copy of ``course_dir``, so nothing is written into the course
    directory; writes ``destination/<name>.ipynb`` for each name.
    """
    course_dir = Path(course_dir)
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="problem-sets-") as tmp:
        course = Path(tmp) / "course"
        course.mkdir()
        shutil.copy(course_dir / "nbgrader_config.py", course)
        shutil.copytree(course_dir / "source", course / "source")
        env = dict(os.environ)
        # nbgrader runs the `alembic` script found on PATH; ignore user-level Jupyter config.
        env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
        env["JUPYTER_CONFIG_DIR"] = str(Path(tmp) / "jupyter-config")
        # One run releases every problem set ("*"); --no-db: no gradebook is needed here.
        result = subprocess.run(
            [sys.executable, "-m", "nbgrader", "generate_assignment", "*", "--no-db"],
            cwd=course, env=env, capture_output=True, text=True, timeout=600,
        )
        if result.returncode != 0:
            raise ExtensionError(
                f"nbgrader generate_assignment failed ({result.returncode}):\n{result.stderr[-3000:]}"
            )
        for name in names:
            released = course / "release" / name / f"{name}.ipynb"
            if not released.is_file():
                raise ExtensionError(f"nbgrader did not release problem set {name!r}:\n{result.stderr[-3000:]}")
            shutil.copy(released, destination / f"{name}.ipynb")


def chapter_of(name):
    return f"{CHAPTER_FOLDER}/{name}"


# ----------------------------------------------------------------------------- Sphinx events


def course_dir(app):
    return Path(app.confdir) / app.config.problem_sets_course_dir


def release_problem_sets(app):
    """builder-inited: release every problem set into the site (HTML builds only)."""
    app.env.problem_set_names = problem_sets(course_dir(app))
    if app.builder.format != "html" or not app.env.problem_set_names:
        return
    release(course_dir(app), app.env.problem_set_names, Path(app.outdir) / SITE_FOLDER)
    logger.info(f"released problem sets into {SITE_FOLDER}/: {', '.join(app.env.problem_set_names)}")


def chapters_with_problem_sets(app, env):
    return {chapter_of(name) for name in env.problem_set_names if chapter_of(name) in env.found_docs}


def reread_chapters_whose_problem_set_changed(app, env, added, changed, removed):
    """env-get-outdated: a chapter whose problem set appeared or went away is read again."""
    before = getattr(env, "problem_set_chapters", set())
    now = chapters_with_problem_sets(app, env)
    env.problem_set_chapters = now
    return sorted((before ^ now) - added - removed)


def warn_about_problem_sets_without_chapter(app, env):
    """env-updated: every problem set needs the chapter of the same name."""
    for name in env.problem_set_names:
        if chapter_of(name) not in env.found_docs:
            logger.warning(
                f"problem set {name!r} has no chapter {chapter_of(name)}.md, so no page links to it"
            )


def add_problem_set_box(app, doctree):
    """doctree-read: put the "Problem set" box into the chapter of a problem set."""
    docname = app.env.docname
    name = posixpath.basename(docname)
    if posixpath.dirname(docname) != CHAPTER_FOLDER or name not in app.env.problem_set_names:
        return
    href = posixpath.relpath(f"{SITE_FOLDER}/{name}.ipynb", posixpath.dirname(docname))
    link = nodes.raw(
        "",
        f'<a class="reference download internal" download="" href="{href}">'
        f'<code class="download docutils literal notranslate">{name}.ipynb</code></a>',
        format="html",
    )
    box = nodes.admonition(classes=["problem-set", "tip"])
    box += nodes.title("", "Problem set")
    box += nodes.paragraph(
        "", "",
        nodes.Text("Practise this chapter with the problem set "), link,
        nodes.Text(": download the notebook, open it in Jupyter with "),
        nodes.literal("", "course_opt"),
        nodes.Text(
            " installed, write the functions in its solution cells and run the visible "
            "tests. Hidden tests then grade your functions against "
        ),
        nodes.literal("", "course_opt"),
        nodes.Text("."),
    )
    section = learning_goals_section(doctree)
    if section is not None:
        # Right after the list of goals, before the chapter's first code cell.
        goals = next((child for child in section.children if isinstance(child, nodes.bullet_list)), None)
        section.insert(section.index(goals) + 1 if goals is not None else len(section), box)
    else:
        title = next(iter(doctree.findall(nodes.title)), None)
        if title is None:
            doctree.insert(0, box)
        else:
            title.parent.insert(title.parent.index(title) + 1, box)


def learning_goals_section(doctree):
    for section in doctree.findall(nodes.section):
        if section.children and isinstance(section[0], nodes.title):
            if section[0].astext().strip().lower() == "learning goals":
                return section
    return None


def setup(app):
    app.add_config_value("problem_sets_course_dir", "exercises", "env", [str])
    app.connect("builder-inited", release_problem_sets)
    app.connect("env-get-outdated", reread_chapters_whose_problem_set_changed)
    app.connect("env-updated", warn_about_problem_sets_without_chapter)
    app.connect("doctree-read", add_problem_set_box)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
