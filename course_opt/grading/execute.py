"""``SandboxedExecute``: nbgrader's Execute preprocessor, with the student kept out of the grader.

nbgrader 0.9 runs a submission's cells and its hidden tests in one kernel, so a student's cell
can change what the tests use (``course_opt``, NumPy's comparisons) or read the tests' expected
values from disk. Here the notebook's cells run in two places:

- every cell that is not a test (the student's solutions, the notebook's own setup cells) runs
  in a sandboxed worker process (``sandbox.py``) that sees neither ``course_opt`` nor the course
  directory;
- every test cell (nbgrader ``grade`` and not ``solution``) runs here, in the grading process,
  in a namespace of its own (``TestNamespace``): a name the test cells did not define is fetched
  from the worker, strictly as data, and the student's functions arrive as proxies that run in
  the worker (``wire.py``).

A test cell fails only when it raises: what the student's functions print appears as stdout,
and warnings are not errors. Its error output says what failed in plain words: the test's own
message, or the student's exception with the frames of the student's code only.

Limits (``nbgrader_config.py``): seconds per cell, seconds for the whole notebook, the worker's
memory, bytes of output per cell. When the worker dies or a cell overruns, that cell says so,
a fresh worker reruns the student's cells run so far (not the tests), and grading goes on.
"""

import ast
import builtins
import contextlib
import signal
import threading
import time
import warnings

import numpy as np
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer

from . import wire
from .sandbox import Sandbox


class CellTimeout(BaseException):
    """The grading process's own code in a test cell ran past the cell's deadline."""


class TestNamespace(dict):
    """The globals of the test cells: what they define, plus the student's names on demand.

    Built-in names stay the grader's own; any other name the tests read but did not define is
    fetched from the worker each cell (a module by name, re-imported here).
    """

    def __init__(self):
        super().__init__(__name__="__main__", __builtins__=builtins)
        self.endpoint = None
        self.fetched = {}

    def __missing__(self, name):
        if name in builtins.__dict__ or self.endpoint is None:
            raise KeyError(name)
        if name not in self.fetched:
            try:
                self.fetched[name] = self.endpoint.get(name)
            except NameError:
                raise NameError(f"name {name!r} is not defined") from None
        return self.fetched[name]


def is_test(cell):
    return utils.is_grade(cell) and not utils.is_solution(cell)


def _error(ename, evalue, traceback=None):
    return new_output("error", ename=ename, evalue=evalue, traceback=traceback or [f"{ename}: {evalue}"])


class SandboxedExecute(NbGraderPreprocessor):
    """Runs a notebook for ``nbgrader autograde``: the student's cells sandboxed, the tests here."""

    cell_timeout = Integer(30, help="Seconds of computing (CPU time) that one cell may use; waiting for it "
                                    "counts up to five times that.").tag(config=True)
    notebook_timeout = Integer(300, help="Seconds that all the cells of a notebook may run together.").tag(config=True)
    memory_limit = Integer(2 * 2**30, help="Bytes of address space of the worker process.").tag(config=True)
    output_limit = Integer(10_000, help="Bytes of printed output kept per cell and stream.").tag(config=True)

    # ---------------------------------------------------------------- the notebook

    def preprocess(self, nb, resources):
        self.start = time.monotonic()
        self.done = []  # sources of the student's cells run so far, to replay in a fresh worker
        self.namespace = TestNamespace()
        self.sandbox = None
        self.dead = None  # why no worker can run the remaining cells
        self._new_sandbox()
        try:
            count = 0
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                count += 1
                cell.execution_count, cell.outputs = count, []
                cell.outputs = self._run(cell, count)
        finally:
            if self.sandbox is not None:
                self.sandbox.kill()
        return nb, resources

    def _budget_left(self):
        return self.notebook_timeout - (time.monotonic() - self.start)

    def _limit_cell(self, endpoint):
        """The limits of the next cell: ``cell_timeout`` seconds of computing (CPU time of the
        worker, and of the grader's own test code), and five times that of waiting, within the
        notebook's budget. CPU time, so that a busy machine costs no correct answer its points."""
        endpoint.cpu_deadline = endpoint.worker_cpu() + self.cell_timeout
        endpoint.deadline = time.monotonic() + max(0.0, min(5 * self.cell_timeout, self._budget_left()))

    def _run(self, cell, count):
        if self._budget_left() <= 0:
            return [_error("TimeoutError", f"This cell was not run: the notebook used up its time budget of "
                                           f"{self.notebook_timeout} s for all its cells together.")]
        if self.dead:
            return [_error("WorkerError", f"This cell was not run: {self.dead}")]
        self._limit_cell(self.sandbox.endpoint)
        try:
            if is_test(cell):
                return self._run_test(cell.source, count)
            outputs = self._run_student(cell.source, count)
            self.done.append(cell.source)
            return outputs
        except (wire.PeerLost, CellTimeout) as lost:
            return self._lost(lost)

    def _lost(self, lost):
        """The worker is gone: say why in the cell, then start a fresh one and replay."""
        status = self.sandbox.kill()
        self.sandbox = None
        timed_out = isinstance(lost, CellTimeout) or lost.timed_out
        if timed_out and self._budget_left() <= 0:
            message = (f"This cell was stopped: the notebook used up its time budget of {self.notebook_timeout} s "
                       "for all its cells together.")
        elif isinstance(lost, CellTimeout) or lost.reason == "computing time":
            message = (f"This cell was stopped after {self.cell_timeout} s of computing, the time limit of one "
                       "cell (an endless loop, or far too much work?).")
        elif timed_out:
            message = (f"This cell was stopped after waiting {5 * self.cell_timeout} s for it to finish (the time "
                       f"limit of one cell is {self.cell_timeout} s of computing, or five times that in all).")
        else:
            detail = f"exit status {status}"
            if not lost.reason.endswith(" ended"):
                detail += f"; {lost.reason}"
            message = (f"The Python process running your code ended while this cell ran ({detail}): your code "
                       f"called os._exit or exit, crashed, or went past the memory limit of "
                       f"{self.memory_limit / 2**30:g} GiB.")
        self._new_sandbox()
        if self.dead:
            message += f" Then {self.dead}."
        else:
            message += " Your earlier cells were run again in a fresh process, so the cells after this one are graded."
        return [_error("TimeoutError" if timed_out else "WorkerDied", message)]

    def _new_sandbox(self):
        """A fresh worker that has run the student's cells run so far."""
        self.sandbox = Sandbox(self.memory_limit, self.notebook_timeout + 60, self.output_limit).start()
        endpoint = self.sandbox.endpoint
        endpoint.output = None
        self.namespace.endpoint = endpoint
        try:
            for source in self.done:
                self._limit_cell(endpoint)
                endpoint.run_cell(source)
        except wire.PeerLost as lost:
            self.sandbox.kill()
            self.sandbox = None
            self.dead = (f"the cells before it could not be run again in a fresh process ({lost.reason}), "
                         "so the rest of the notebook cannot be graded")

    # ---------------------------------------------------------------- the two kinds of cells

    def _run_student(self, source, count):
        streams, result, error = self.sandbox.endpoint.run_cell(source)
        outputs = [new_output("stream", name=name, text=text) for name, text in streams]
        if result is not None:
            outputs.append(new_output("execute_result", data={"text/plain": result}, execution_count=count))
        if error is not None:
            outputs.append(_error(**error))
        return outputs

    def _run_test(self, source, count):
        """Run a test cell here, in the namespace of the test cells."""
        endpoint = self.sandbox.endpoint
        printed = wire.CappedText(self.output_limit)
        endpoint.output = printed
        self.namespace.fetched = {}
        outputs, result = [], None
        try:
            with self._alarm(), contextlib.redirect_stdout(printed), \
                    contextlib.redirect_stderr(printed), warnings.catch_warnings(), np.errstate():
                warnings.simplefilter("default")
                tree = ast.parse(source, "<test>")
                last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
                exec(compile(tree, "<test>", "exec"), self.namespace)
                if last is not None:
                    result = eval(compile(ast.Expression(last.value), "<test>", "eval"), self.namespace)
        except (wire.PeerLost, CellTimeout):
            raise
        except BaseException as error:  # noqa: BLE001 -- a failing test is this cell's output
            outputs.append(self._test_error(error))
        finally:
            endpoint.output = None
            self.namespace.fetched = {}
            endpoint.forget_exports()  # what the grader lent the worker during the cell
        text = printed.drain()
        if text:
            outputs.insert(0, new_output("stream", name="stdout", text=text))
        if result is not None and not any(output.output_type == "error" for output in outputs):
            outputs.append(new_output("execute_result", data={"text/plain": repr(result)[:10_000]},
                                      execution_count=count))
        return outputs

    @staticmethod
    def _test_error(error):
        """The error output of a failed test: its message, never the grader's frames."""
        try:
            message = str(error)
        except Exception:  # noqa: BLE001
            message = ""
        name = type(error).__name__
        if isinstance(error, wire.RemoteError):
            lines = ["Your code raised this exception while the test ran:", *error.remote_traceback]
            if not lines[-1].startswith(name):
                lines.append(f"{name}: {message}")
            return _error(name, message, lines)
        return _error(name, message)

    @contextlib.contextmanager
    def _alarm(self):
        """Interrupt the grader's own test code after ``cell_timeout`` s of CPU time (main
        thread only; the waits for the worker have limits of their own)."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def ring(signum, frame):
            raise CellTimeout()

        previous = signal.signal(signal.SIGPROF, ring)
        signal.setitimer(signal.ITIMER_PROF, self.cell_timeout)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)
