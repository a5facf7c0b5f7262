"""The grading kernel: the untrusted process that runs one student's notebook and answers the checks' requests.

Started by the grader's worker (inside the sandbox when there is one) as
``python -m autograd_lab.course.grading.kernel CMD_FD REPLY_FD CONTROL_FD``,
with stdin, stdout and stderr on ``/dev/null``.  It talks only through those
three pipes:

- **CMD_FD** (worker -> kernel): framed JSON commands — ``start`` (limits and
  language, before any student code), ``exec`` (one cell, run by IPython so
  magics work), ``capture`` (evaluate a check cell's answers), ``request`` (a
  check's request, answered by ``KernelSide``);
- **REPLY_FD** (kernel -> worker): one framed JSON reply per command;
- **CONTROL_FD**: one byte per interrupt (a cell over its time).

It holds nothing secret: no key, no reference answer, no hidden input before
a request brings it, no points.  Whatever it replies is taken as the
student's answer and checked by the worker.

The heavy imports (numpy, the library, the checks, IPython) happen before the
kernel says it is ready, so a warm kernel waiting in the pool costs nothing
when its notebook arrives.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from typing import Any

from . import channel


def _limit_resources(memory_mb: int, cpu_seconds: float) -> None:
    """Cap this process's address space (what it uses now plus ``memory_mb``), CPU time and file size."""
    try:
        import resource
    except ImportError:  # not on this platform: the worker's timeouts still apply
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime + cpu_seconds) + 1
    limits = [(resource.RLIMIT_CPU, cpu, cpu + 5), (resource.RLIMIT_FSIZE, 64 * 2**20, 64 * 2**20)]
    limits.append((resource.RLIMIT_CORE, 0, 0))
    size = _address_space_bytes()
    if size is not None:
        limits.append((resource.RLIMIT_AS, size + memory_mb * 2**20, size + memory_mb * 2**20))
    for kind, soft, hard in limits:
        with contextlib.suppress(ValueError, OSError):  # already lower, or not allowed here: keep the stricter one
            resource.setrlimit(kind, (soft, hard))


def _address_space_bytes() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _describe(error: BaseException) -> str:
    from ..checks.wire import raised

    described = raised(error)
    return f"{described.type_name}: {described.message}" if described.message else described.type_name


class GradingKernel:
    """The command loop: one IPython shell for the notebook, one ``KernelSide`` for the checks."""

    def __init__(self, commands: int, replies: int) -> None:
        import numpy  # noqa: F401  (warm: imported before the notebook arrives)
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        from .. import checks  # noqa: F401  (imports the library and registers every probe)
        from ..checks.wire import KernelSide

        config = Config()
        config.HistoryManager.enabled = False
        config.InteractiveShell.colors = "NoColor"
        self.shell = InteractiveShell.instance(config=config)
        self.side = KernelSide()
        self.commands, self.replies = commands, replies

    def serve(self) -> None:
        """Answer commands until the worker closes the pipe."""
        channel.write_frame(self.replies, {"ready": True, "pid": os.getpid()})
        while True:
            try:
                message = channel.read_frame(self.commands)
            except KeyboardInterrupt:  # an interrupt that arrived between commands
                continue
            except (EOFError, OSError, channel.FrameError):
                return
            try:
                reply = self.handle(message)
            except KeyboardInterrupt:
                reply = {"interrupted": True}
            reply["id"] = message.get("id") if isinstance(message, dict) else None
            try:
                channel.write_frame(self.replies, reply)
            except KeyboardInterrupt:
                channel.write_frame(self.replies, {"interrupted": True, "id": reply["id"]})
            except OSError:
                return

    def handle(self, message: Any) -> dict[str, Any]:
        """One command -> one reply."""
        if not isinstance(message, dict):
            return {"error": "bad command"}
        op = message.get("op")
        if op == "start":
            from ...i18n import set_language

            set_language(str(message.get("language", "es")))
            _limit_resources(int(message["memory_mb"]), float(message["cpu_seconds"]))
            return {"ok": True}
        if op == "exec":
            result = self.shell.run_cell(str(message["code"]), store_history=True)
            error = result.error_before_exec or result.error_in_exec
            if isinstance(error, KeyboardInterrupt):
                return {"interrupted": True}
            return {"ok": error is None, "error": _describe(error) if error is not None else ""}
        if op == "capture":
            try:
                values = eval(f"({message['answers']},)", self.shell.user_ns)  # noqa: S307  (the release's names)
            except NameError as error:
                return {"undefined": _describe(error)}
            except Exception as error:
                return {"failed": _describe(error)}
            return {"summaries": self.side.capture(tuple(values))}
        if op == "request":
            return self.side.handle(message["request"])
        return {"error": f"unknown command {op!r}"[:100]}


def _interrupts(control: int) -> None:
    """Turn each byte on the control pipe into a SIGINT to this process (as a terminal's Ctrl-C would)."""
    while True:
        try:
            data = os.read(control, 1)
        except OSError:
            return
        if not data:
            return
        os.kill(os.getpid(), signal.SIGINT)


def main(argv: list[str] | None = None) -> None:
    """Entry point: ``CMD_FD REPLY_FD CONTROL_FD``."""
    commands, replies, control = (int(fd) for fd in (argv or sys.argv[1:])[:3])
    signal.signal(signal.SIGINT, signal.default_int_handler)
    threading.Thread(target=_interrupts, args=(control,), daemon=True).start()
    kernel = GradingKernel(commands, replies)
    # the working directory is the student's: a module written there is not importable (its code is not in the
    # notebook the grader reads)
    here = os.path.realpath(os.getcwd())
    sys.path[:] = [p for p in sys.path if p and os.path.realpath(p) != here]
    kernel.serve()


if __name__ == "__main__":
    main()
