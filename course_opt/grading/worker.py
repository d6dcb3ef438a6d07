"""The worker: the process inside the sandbox that runs a student's code for the grader.

It runs the notebook's code cells that are not tests, one ``exec`` request at a time, in one
namespace, and answers the grader's requests about that namespace: the value of a name, a
call of a function, an attribute, the next item of an iterator (``wire.Endpoint``). What the
code prints is kept up to a byte limit; what it raises is reported with the frames of the
student's cells only.

The sandbox (``sandbox.py``) starts it with ``python -I -c BOOTSTRAP``; the bootstrap reads one
line of JSON holding this module's and ``wire``'s source (the sandbox cannot import
``course_opt``) and the limits, then calls ``main``.
"""

import ast
import builtins
import linecache
import os
import resource
import sys
import traceback

if __package__:  # imported as course_opt.grading.worker (by the grader, to read the source)
    from . import wire
else:  # inside the sandbox, where the bootstrap loaded the wire module under this name
    import sandbox_wire as wire

BOOTSTRAP = (
    "import json, sys, types\n"
    "boot = json.loads(sys.stdin.buffer.readline())\n"
    "for name, source in boot['modules']:\n"
    "    module = types.ModuleType(name)\n"
    "    sys.modules[name] = module\n"
    "    exec(compile(source, name, 'exec'), module.__dict__)\n"
    "sys.modules['sandbox_worker'].main(boot)\n"
)
MODULE_NAMES = (("sandbox_wire", "wire.py"), ("sandbox_worker", "worker.py"))
CELL_PREFIX = "<cell "


class _IPythonShim:
    """``get_ipython()`` for the magics a notebook may hold: ``%matplotlib`` is accepted (the
    figures are not kept), anything else is an error that names it."""

    def run_line_magic(self, name, line, *args):
        if name != "matplotlib":
            raise NotImplementedError(f"the magic %{name} is not available while grading")

    def run_cell_magic(self, name, line, cell):
        raise NotImplementedError(f"the cell magic %%{name} is not available while grading")

    def system(self, command):
        raise NotImplementedError("shell commands (!...) are not available while grading")

    getoutput = system


def _python_source(source):
    """The cell's source as Python, with IPython's magics turned into calls."""
    if not any(line.lstrip().startswith(("%", "!")) for line in source.splitlines()):
        return source
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


class WorkerEndpoint(wire.Endpoint):
    peer_name = "grader"
    catch_all = True

    def __init__(self, read_fd, write_fd, output_limit):
        super().__init__(read_fd, write_fd)
        self.namespace = {"__name__": "__main__", "__builtins__": builtins, "get_ipython": _IPythonShim}
        self.stdout, self.stderr = wire.CappedText(output_limit), wire.CappedText(output_limit)
        self.cells = 0

    def send(self, message):
        printed = self.stdout.drain() + self.stderr.drain()
        if printed:
            message["out"] = printed
        super().send(message)

    def namedtuple_class(self, name, fields):
        # The student's own class of that name, when it has the same fields.
        cls = self.namespace.get(name)
        if isinstance(cls, type) and issubclass(cls, tuple) and getattr(cls, "_fields", None) == fields:
            return cls
        return wire.generic_namedtuple(name, fields)

    def traceback_of(self, error):
        """The lines of the error's traceback, with only the frames of the student's cells."""
        summary = traceback.TracebackException.from_exception(error, limit=-30)
        summary.stack = traceback.StackSummary.from_list(
            [frame for frame in summary.stack if frame.filename.startswith(CELL_PREFIX)])
        summary.__cause__ = summary.__context__ = None
        return [line[:1000] for line in summary.format()]

    def serve_get(self, message):
        name = message.get("name")
        if not (isinstance(name, str) and name.isidentifier()):
            raise wire.WireError("bad name")
        if name not in self.namespace:
            raise NameError(f"name {name!r} is not defined")
        return {"ok": wire.Encoder(self).encode(self.namespace[name])}

    def serve_exec(self, message):
        """Run one code cell; its outputs in nbformat's terms."""
        source = message.get("source")
        if not isinstance(source, str):
            raise wire.WireError("bad cell")
        self.cells += 1
        filename = f"{CELL_PREFIX}{self.cells}>"
        result, error = None, None
        try:
            python = _python_source(source)
            linecache.cache[filename] = (len(python), None, python.splitlines(True), filename)
            tree = ast.parse(python, filename)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, filename, "exec"), self.namespace)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), filename, "eval"), self.namespace)
                if value is not None:
                    result = repr(value)[:10_000]
        except wire.PeerLost:
            raise
        except BaseException as exc:  # noqa: BLE001 -- whatever the cell raises is its output
            error = {"ename": type(exc).__name__, "evalue": str(exc)[:wire.MAX_TEXT],
                     "traceback": self.traceback_of(exc)}
        outputs = [{"name": name, "text": stream.drain()} for name, stream in
                   (("stdout", self.stdout), ("stderr", self.stderr))]
        return {"ok": ["none"], "streams": [output for output in outputs if output["text"]],
                "result": result, "error": error}


def _limit(name, value):
    limit = getattr(resource, name)
    soft, hard = resource.getrlimit(limit)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(limit, (value, value))


def main(boot):
    """Serve the grader until it closes the pipe."""
    limits = boot["limits"]
    os.chdir(boot["workdir"])
    read_fd, write_fd = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    for name, value in limits.items():
        _limit(name, int(value))
    endpoint = WorkerEndpoint(read_fd, write_fd, boot["output_limit"])
    sys.stdout, sys.stderr = endpoint.stdout, endpoint.stderr
    import numpy  # noqa: F401 -- loaded before the first cell, within the limits

    endpoint.send({"ready": True})
    try:
        while True:
            endpoint.serve(endpoint.receive())
    except wire.PeerLost:
        os._exit(0)
