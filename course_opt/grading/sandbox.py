"""The sandbox in which a student's code runs while it is graded.

A worker process (``worker.py``) is started as root through ``unshare`` into new mount, PID and
network namespaces, then ``chroot`` into a fresh root that holds only the system directories
(``/usr``, ``/etc``, ``/bin``, ``/lib``...), the Python installation and the virtual environment,
all read-only, an empty ``/tmp`` and a private ``/proc``; then ``setpriv`` drops to the user and
group 65534 (nobody) with no groups, no capabilities and no way to gain privileges. So the
student's code cannot import ``course_opt`` (its editable install points into the repository,
which is not in the new root), cannot read the course directory (solutions, ``gradebook.db``),
has no network, sees no process of the grader and cannot signal or trace it. Resource limits
bound its memory (address space), CPU time, processes and file sizes.

The worker talks to the grader over its standard input and output (``wire.py``).
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import wire, worker

NOBODY = 65534

# Runs as root inside the new namespaces: builds the new root, then drops to nobody.
# Arguments: the new root, the interpreter, then the directories to bind read-only.
MOUNT_SCRIPT = r"""
set -e
root=$1; python=$2; shift 2
mount -t tmpfs -o size=64m,mode=755 sandbox "$root"
for dir in "$@"; do
  [ -e "$dir" ] || continue
  if [ -L "$dir" ]; then
    mkdir -p "$root$(dirname "$dir")"; cp -P "$dir" "$root$dir"; continue
  fi
  mkdir -p "$root$dir"
  mount --rbind "$dir" "$root$dir"
  mount -o remount,bind,ro "$root$dir"
done
mkdir -p "$root/dev" "$root/proc" "$root/tmp/work"
for device in null zero urandom random; do
  touch "$root/dev/$device"; mount --bind "/dev/$device" "$root/dev/$device"
done
mount -t proc proc "$root/proc"
chmod 1777 "$root/tmp"; chown 65534:65534 "$root/tmp/work"
exec chroot "$root" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
  --bounding-set=-all --no-new-privs -- "$python" -I -c "$BOOTSTRAP"
"""

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot be built on this machine."""


def requirements_missing():
    """Why the sandbox cannot run here, or None."""
    if not sys.platform.startswith("linux"):
        return "the sandbox needs Linux (mount, PID and network namespaces)"
    if os.geteuid() != 0:
        return ("grading runs the students' code in a sandbox that must be started as root "
                "(it creates namespaces, mounts a new root and drops to the user nobody); run nbgrader autograde as root")
    missing = [tool for tool in ("unshare", "chroot", "setpriv", "mount") if shutil.which(tool) is None]
    if missing:
        return f"the sandbox needs the commands {', '.join(missing)} (util-linux, coreutils)"
    return None


def _children(pid):
    """The processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("PPid:") and line.split()[1] == str(pid):
                    found.append(int(entry.name))
    return found


class Sandbox:
    """One worker process in its sandbox; ``endpoint`` is the grader's side of its wire."""

    def __init__(self, memory_limit, cpu_limit, output_limit, start_timeout=60.0):
        self.memory_limit, self.cpu_limit = memory_limit, cpu_limit
        self.output_limit, self.start_timeout = output_limit, start_timeout
        self.process = self.endpoint = None
        self._root = self._log = None

    def start(self):
        problem = requirements_missing()
        if problem:
            raise SandboxUnavailable(problem)
        self._root = tempfile.mkdtemp(prefix="sandbox-root-")
        self._log = tempfile.TemporaryFile()
        python = Path(sys.executable)  # the virtual environment's interpreter (not resolved)
        binds = [*SYSTEM_DIRS, os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), sys.prefix]
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/tmp/work", "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
               "MPLCONFIGDIR": "/tmp/work/.matplotlib", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1", "BOOTSTRAP": worker.BOOTSTRAP}
        self.process = subprocess.Popen(
            ["unshare", "--mount", "--pid", "--fork", "--net", "--mount-proc", "--kill-child",
             "/bin/sh", "-c", MOUNT_SCRIPT, "sandbox", self._root, str(python), *dict.fromkeys(binds)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, env=env, start_new_session=True,
        )
        for fd in (self.process.stdin.fileno(), self.process.stdout.fileno()):
            os.set_blocking(fd, False)
        self.endpoint = GraderEndpoint(self.process.stdout.fileno(), self.process.stdin.fileno())
        here = Path(worker.__file__).parent
        boot = {
            "modules": [[name, (here / filename).read_text()] for name, filename in worker.MODULE_NAMES],
            "limits": {"RLIMIT_AS": self.memory_limit, "RLIMIT_CPU": self.cpu_limit, "RLIMIT_NPROC": 64,
                       "RLIMIT_FSIZE": 64 * 2**20, "RLIMIT_CORE": 0, "RLIMIT_NOFILE": 256},
            "output_limit": self.output_limit,
            "workdir": "/tmp/work",
        }
        self.endpoint.deadline = time.monotonic() + self.start_timeout
        try:
            self.endpoint.send(boot)
            ready = self.endpoint.receive()
        except wire.PeerLost as lost:
            self.kill()
            raise SandboxUnavailable(f"the sandboxed worker did not start ({lost.reason}): {self.log_text()}") from None
        if ready != {"ready": True}:
            self.kill()
            raise SandboxUnavailable(f"the sandboxed worker did not start: {self.log_text()}")
        self.endpoint.worker_pid = next(iter(_children(self.process.pid)), None)
        return self

    def log_text(self):
        """What unshare, mount and the interpreter reported while starting, if anything."""
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read(4000).decode("utf-8", "replace").strip() or "(no message)"

    def kill(self):
        """End the worker and everything it started (the whole PID namespace)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            for pid in _children(self.process.pid):  # the namespace's init: its death ends them all
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self.process.kill()
        status = self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()
        self._log.close()
        if self._root:
            os.rmdir(self._root)
        self.process = self._root = self._log = None
        return status


class GraderEndpoint(wire.Endpoint):
    """The grader's side: the worker may only call what the grader lent it and read public
    attributes; the grader imports only modules it trusts when the worker names one."""

    peer_name = "process running your code"
    TRUSTED_MODULES = {"numpy", "scipy", "autograd", "matplotlib"}

    tick = 0.25

    def __init__(self, read_fd, write_fd):
        super().__init__(read_fd, write_fd, public_only=True)
        self.worker_pid = None
        self.cpu_deadline = None  # the worker's CPU time (seconds) at which the current cell stops

    def worker_cpu(self):
        """Seconds of CPU time the worker (and the children it waited for) has used."""
        try:
            with open(f"/proc/{self.worker_pid}/stat") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except (OSError, TypeError):
            return 0.0
        return sum(int(field) for field in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def watch(self):
        if self.cpu_deadline is not None and self.worker_cpu() > self.cpu_deadline:
            return "computing time"
        return None

    def import_module(self, name):
        top = name.partition(".")[0]
        if top not in self.TRUSTED_MODULES and top not in sys.stdlib_module_names:
            raise wire.WireError(f"the module {name[:100]!r} is not one the grader imports")
        return super().import_module(name)

    def get(self, name):
        """The value of a name in the student's namespace."""
        return self._result(self.request("get", name=name), wire.Decoder(self))

    def run_cell(self, source):
        """Run a student's cell: (stream outputs, repr of the last expression, error)."""
        reply = self.request("exec", source=source)
        if "err" in reply:
            raise self._lost("the process running your code could not run the cell")
        try:
            streams = [(s["name"], s["text"]) for s in reply.get("streams", [])
                       if s.get("name") in ("stdout", "stderr") and isinstance(s.get("text"), str)]
            result, error = reply.get("result"), reply.get("error")
            if not (result is None or isinstance(result, str)):
                raise TypeError
            if error is not None:
                error = {"ename": str(error["ename"])[:200], "evalue": str(error["evalue"])[:wire.MAX_TEXT],
                         "traceback": [str(line)[:1000] for line in error["traceback"]][:100]}
        except (TypeError, KeyError, AttributeError):
            raise self._lost("the process running your code sent a malformed answer") from None
        return streams, result, error

