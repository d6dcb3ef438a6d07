"""One writer at a time on nbgrader's gradebook, across the processes of a parallel run.

nbgrader opens the gradebook (``nbgrader.api.Gradebook``) for short spells: in
``Autograde.init_assignment`` (student, submission), in the ``OverwriteCells`` and
``SaveAutoGrades`` preprocessors, never while a kernel runs. ``install`` makes every
``Gradebook`` of this process hold an exclusive ``flock`` on a lock file from its
creation (which may create tables) to its ``close``: grading workers then never meet in
the database (no "database is locked", no race between two first writes), while their
kernels run in parallel. The operating system releases the lock of a killed process, so
a ``kill -9`` never leaves the gradebook locked.
"""

import fcntl
import os
import time

from nbgrader.api import Gradebook

# A gradebook spell lasts milliseconds; waiting this long means a stuck process.
TIMEOUT = 600.0

_lock = {"path": None, "fd": None, "depth": 0}


def _acquire():
    if _lock["depth"] == 0:
        fd = os.open(_lock["path"], os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise TimeoutError(f"the gradebook lock {_lock['path']} was held for {TIMEOUT:.0f} s")
                time.sleep(0.01)
        _lock["fd"] = fd
    _lock["depth"] += 1


def _release():
    _lock["depth"] -= 1
    if _lock["depth"] == 0:
        os.close(_lock["fd"])  # closing the descriptor releases the flock
        _lock["fd"] = None


def install(path):
    """Lock ``path`` around every gradebook this process opens (once per process)."""
    if _lock["path"] is not None:
        if _lock["path"] != str(path):
            raise RuntimeError(f"the gradebook lock is already {_lock['path']}, not {path}")
        return
    _lock["path"] = str(path)
    opened, closed = Gradebook.__init__, Gradebook.close

    def __init__(self, *args, **kwargs):
        _acquire()
        self._holds_lock = True
        try:
            opened(self, *args, **kwargs)
        except BaseException:
            self._holds_lock = False
            _release()
            raise

    def close(self):
        try:
            closed(self)
        finally:
            if getattr(self, "_holds_lock", False):
                self._holds_lock = False
                _release()

    Gradebook.__init__, Gradebook.close = __init__, close
