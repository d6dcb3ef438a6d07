"""Feedback for every graded student: nbgrader's HTML, without hidden tests, with the
notes about the submission at the top.

``nbgrader generate_feedback`` (0.9) renders the autograded notebook as it is, and the
autograded test cells hold the hidden tests that nbgrader put back before executing them.
``HideHiddenTests`` runs among the feedback preprocessors: it removes the region between
``BEGIN HIDDEN TESTS`` and ``END HIDDEN TESTS`` from every test cell and, in such a cell,
shortens an error's traceback (which quotes the failing line) to the error itself.
"""

import html
import re

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades
from traitlets.config import Config

from course_opt.grading.course import GradingError, write_atomically

HIDDEN_TRACEBACK = "(the traceback is not shown: this test cell holds hidden tests)"
BODY = re.compile(r"<body[^>]*>")


class HideHiddenTests(ClearHiddenTests):
    """Strip the hidden tests, and the tracebacks that would quote them, from test cells."""

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            if self._remove_hidden_test_region(cell):
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "error":
                        output.traceback = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}",
                                            HIDDEN_TRACEBACK]
        return cell, resources


def _sentence(text):
    text = html.escape(text)
    return text if text.endswith((".", "?", "!")) else text + "."


def notes_html(state):
    """The box at the top of a student's feedback, or '' when there is nothing to say."""
    items = []
    if state.get("zero_reason"):
        items.append(f"<li><strong>Every part scored zero: {_sentence(state['zero_reason'])}</strong></li>")
    items += [f"<li>{_sentence(note)}</li>" for note in state.get("notes", [])]
    if not items:
        return ""
    return ('<div class="grading-notes" style="border: 2px solid #b94a48; border-radius: 4px; '
            'padding: 0.5em 1em; margin: 1em auto; max-width: 1100px; background: #fdf7f7">'
            "<h2>About your submission</h2><ul>" + "".join(items) + "</ul></div>")


def generate_feedback(course, ps, say=print):
    """Write ``feedback/<student>/<ps>/<ps>.html`` for every graded student; returns how many."""
    states = {student: course.read_state(ps, student) for student in course.submissions(ps)}
    states = {student: state for student, state in states.items() if state is not None}
    if not states:
        raise GradingError(f"no graded submission of {ps}: autograde it first "
                           f"(python -m course_opt.grading autograde {ps})")
    extra = Config()
    extra.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
    extra.NbGraderAPI.log_level = "ERROR"
    result = course.api(extra).generate_feedback(ps, force=True)
    if not result["success"]:
        raise GradingError(f"nbgrader generate_feedback {ps} failed:\n{result.get('error', '')[-3000:]}")
    missing = []
    for student, state in states.items():
        page = course.feedback_html(student, ps)
        if not page.is_file():
            missing.append(student)
            continue
        box = notes_html(state)
        if box:
            text = page.read_text()
            body = BODY.search(text)
            if body is None:
                raise GradingError(f"{page} has no <body> tag to put the notes under")
            write_atomically(page, text[:body.end()] + box + text[body.end():])
    if missing:
        raise GradingError(f"no feedback was written for {missing}")
    say(f"{ps}: feedback for {len(states)} students in {course.root / 'feedback'}")
    return len(states)
