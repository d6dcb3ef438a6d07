"""Validate a student's submission and rebuild it on the release before nbgrader grades it.

nbgrader grades what is in the submission folder as it finds it: a file that is not a
notebook gets no feedback, a duplicated test cell stops the whole class, a deleted test
cell waits for a manual grade. ``normalize`` turns any submission folder into a notebook
nbgrader can grade, plus notes in plain words for the student's feedback:

* the notebook is found (``<ps>.ipynb``; a single notebook of another name is graded with
  a note; other files are ignored with a note);
* a file that cannot be read as a notebook (empty, not JSON, not a notebook), or no
  notebook at all, is replaced by the untouched release, so every part scores zero and the
  feedback says why (``Normalized.zero_reason``);
* otherwise the notebook is rebuilt in the release's cell order: every cell of the release
  as released (test and locked cells, with their grading metadata), except that a solution
  cell takes the source of the student's cell with the same ``grade_id`` (a missing one
  stays the stub); the student's other cells (their own cells, or a second copy of a
  solution cell) are kept, without grading metadata, after the release cell they followed.

nbgrader then restores the hidden tests of every test cell from its gradebook. The
student's files are only read, never changed.
"""

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

# What ``collect`` writes in place of an archive it could not open.
COLLECT_ERROR = "collect-error.txt"
# Files of nbgrader and of ``collect`` in a submission folder, and folders that editors and
# archivers add.
NBGRADER_FILES = {"timestamp.txt", COLLECT_ERROR}
IGNORED_FOLDERS = {".ipynb_checkpoints", "__MACOSX", "__pycache__"}
# What a note lists at most (a submission may hold thousands of files).
MAX_LISTED = 8
# nbgrader metadata that defines how a release cell is graded.
GRADING_KEYS = ("grade", "solution", "locked", "task", "points", "grade_id")


@dataclass
class Normalized:
    """What nbgrader grades for one submission, and what the student is told about it."""

    notebook: nbformat.NotebookNode
    notes: list = field(default_factory=list)
    zero_reason: str | None = None

    def text(self):
        """The notebook as nbgrader will read it (deterministic: same input, same text)."""
        return nbformat.writes(self.notebook)

    def digest(self):
        return hashlib.sha256(self.text().encode()).hexdigest()


def normalize(folder, ps, release):
    """The gradable notebook for the submission folder ``folder`` of problem set ``ps``.

    ``release`` is the released notebook (``release/<ps>/<ps>.ipynb``).
    """
    path, notes, zero_reason = find_notebook(Path(folder), ps)
    if zero_reason is None:
        student, zero_reason = read_notebook(path)
    if zero_reason is not None:
        return Normalized(_copy(release), notes, zero_reason)
    notebook, rebuild_notes = rebuild(student, release)
    return Normalized(notebook, notes + rebuild_notes)


def _listing(paths, folder):
    names = sorted(str(p.relative_to(folder)) for p in paths)
    shown = ", ".join(names[:MAX_LISTED])
    return shown + (f" and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else "")


def _files(folder):
    """Every file of a submission folder but nbgrader's own and editors' leftovers."""
    if not folder.is_dir():
        return []
    return [
        path for path in sorted(folder.rglob("*"))
        if path.is_file() and not IGNORED_FOLDERS & set(path.relative_to(folder).parts[:-1])
        and str(path.relative_to(folder)) not in NBGRADER_FILES
    ]


def find_notebook(folder, ps):
    """``(path, notes, zero_reason)``: the notebook to grade in ``folder``, or why none."""
    expected = f"{ps}.ipynb"
    files = _files(folder)
    notebooks = [p for p in files if p.suffix == ".ipynb"]
    named = [p for p in notebooks if p.name == expected]
    notes = []
    if len(named) > 1 and folder / expected in named:
        named = [folder / expected]
    if len(named) == 1:
        path = named[0]
    elif len(named) > 1:
        return None, notes, (f"your submission holds {len(named)} notebooks named {expected} "
                             f"({_listing(named, folder)}), so it could not be told which one to grade")
    elif len(notebooks) == 1:
        path = notebooks[0]
        notes.append(f"your notebook was named {path.relative_to(folder)} instead of {expected}; "
                     f"it was graded as {expected}")
    elif not notebooks and (folder / COLLECT_ERROR).is_file():
        return None, notes, (folder / COLLECT_ERROR).read_text().strip()
    elif not notebooks:
        found = f" (found: {_listing(files, folder)})" if files else " (the folder was empty)"
        return None, notes, f"no notebook was found in your submission: expected {expected}{found}"
    else:
        return None, notes, (f"your submission holds {len(notebooks)} notebooks and none is named "
                             f"{expected} ({_listing(notebooks, folder)}), so it could not be told "
                             f"which one to grade")
    extra = [p for p in files if p != path]
    if extra:
        notes.append(f"these files in your submission were ignored (only {expected} is graded): "
                     f"{_listing(extra, folder)}")
    return path, notes, None


def read_notebook(path):
    """``(notebook, None)``, or ``(None, reason)`` when the file is not a readable notebook."""
    name = path.name
    data = path.read_bytes()
    if not data.strip():
        return None, f"your file {name} is empty"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, f"your file {name} could not be read as a notebook: it is not UTF-8 text ({error})"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        return None, (f"your file {name} could not be read as a notebook: it is not valid JSON "
                      f"({error.msg} at line {error.lineno}, column {error.colno}); was it saved "
                      f"completely, or edited outside Jupyter?")
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        return None, f"your file {name} could not be read as a notebook: it is JSON but has no list of cells"
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat raises many kinds for a malformed notebook
        return None, f"your file {name} could not be read as a notebook: {type(error).__name__}: {error}"
    return notebook, None


def _meta(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
    return meta if isinstance(meta, dict) else {}


def _grade_id(cell):
    grade_id = _meta(cell).get("grade_id")
    return grade_id if isinstance(grade_id, str) else None


def _source(cell):
    source = cell.get("source") if isinstance(cell, dict) else None
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    return source if isinstance(source, str) else None


def _copy(notebook):
    return nbformat.from_dict(json.loads(json.dumps(notebook)))


def _plain_cell(cell, cell_id):
    """A student's own cell: its type and source, no outputs and no grading metadata."""
    kind = cell.get("cell_type") if cell.get("cell_type") in ("code", "markdown", "raw") else "raw"
    new = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell,
           "raw": nbformat.v4.new_raw_cell}[kind](_source(cell) or "")
    if cell_id is None:
        new.pop("id", None)
    else:
        new["id"] = cell_id
    return new


def _names(grade_ids):
    return ", ".join(sorted(grade_ids))


def rebuild(student, release):
    """``(notebook, notes)``: the student's work placed into a copy of the release."""
    release_cells = list(release.cells)
    index = {_grade_id(cell): cell for cell in release_cells if _grade_id(cell)}
    solutions = {gid for gid, cell in index.items() if _meta(cell).get("solution")}
    tests = {gid for gid, cell in index.items() if _meta(cell).get("grade") and not _meta(cell).get("solution")}
    with_ids = release.nbformat_minor >= 5

    answers, extras, order, counts = {}, defaultdict(list), [], Counter()
    edited, regraded = set(), set()
    anchor = None
    for cell in student.cells:
        gid = _grade_id(cell)
        if gid not in index:
            extras[anchor].append(cell)
            continue
        counts[gid] += 1
        if counts[gid] > 1:
            if gid in solutions:  # a copy of an answer cell runs after the first, as in Jupyter
                extras[gid].append(cell)
            continue
        order.append(gid)
        anchor = gid
        ref = index[gid]
        if cell.get("cell_type") != ref.cell_type or any(_meta(cell).get(k) != _meta(ref).get(k) for k in GRADING_KEYS):
            regraded.add(gid)
        if gid in solutions:
            source = _source(cell)
            if source is not None:
                answers[gid] = source
        elif _source(cell) != ref.source:
            edited.add(gid)

    cells, n_extra = [], 0

    def add_extras(key):
        nonlocal n_extra
        for cell in extras.get(key, ()):
            n_extra += 1
            cells.append(_plain_cell(cell, f"student-cell-{n_extra}" if with_ids else None))

    add_extras(None)
    for ref in release_cells:
        cell = _copy(ref)
        gid = _grade_id(ref)
        if gid in answers:
            cell.source = answers[gid]
        cells.append(cell)
        if gid:
            add_extras(gid)
    notebook = _copy(release)
    notebook.cells = cells

    notes = []
    if not order:
        notes.append("none of the problem set's cells were found in your notebook (is it the notebook of "
                     "this problem set?): every answer was graded as unanswered")
    missing = set(index) - set(order)
    if order and missing & tests:
        notes.append(f"the test cells {_names(missing & tests)} were missing from your notebook: "
                     f"they were put back and graded")
    if order and missing & solutions:
        notes.append(f"the answer cells {_names(missing & solutions)} were missing from your notebook: "
                     f"graded as unanswered")
    if order and missing - tests - solutions:
        notes.append(f"the problem set's cells {_names(missing - tests - solutions)} were missing from "
                     f"your notebook: they were put back")
    duplicated = {gid for gid, n in counts.items() if n > 1}
    if duplicated:
        notes.append(f"the cells {_names(duplicated)} appeared more than once in your notebook: the first "
                     f"copy of an answer cell was graded (later copies ran as your own cells after it), "
                     f"extra copies of test cells were dropped")
    if edited:
        notes.append(f"you changed the cells {_names(edited)}, which are locked: your changes were "
                     f"discarded and the problem set's version was used")
    if regraded:
        notes.append(f"the grading settings or cell type of the cells {_names(regraded)} had been changed "
                     f"in your notebook: the problem set's settings were used")
    if order != [gid for gid in (_grade_id(c) for c in release_cells) if gid in set(order)]:
        notes.append("the cells of your notebook were not in the problem set's order: they were put back "
                     "in order")
    if n_extra:
        notes.append(f"your {n_extra} own cell(s) were kept, each after the problem set's cell it followed")
    return notebook, notes
