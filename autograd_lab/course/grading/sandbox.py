"""Running a grading kernel under bubblewrap (``bwrap``): what the student's code can see and do.

The sandbox a kernel gets (``--sandbox bwrap``, or ``auto`` when bwrap works):

- new namespaces for everything (``--unshare-all``): **no network** (only a
  private loopback), its own process tree (it cannot see or signal the
  grader, the other kernels, or read the parent's ``/proc``), its own IPC;
- **no capabilities** (``--cap-drop ALL``), a new session (no terminal
  injection), and it dies with its worker (``--die-with-parent``);
- a file system made of **read-only** binds of what Python needs — the system
  directories (``/usr``, ``/lib``...), the Python installation and its
  site-packages, the ``autograd_lab`` package directory alone (for an editable
  install, *not* the checkout around it: no ``solutions/``), a few files of
  ``/etc`` — plus a **private ``/tmp``** (a fresh tmpfs of at most 256 MB) as
  its working directory.  The submissions, the release, the CSV, other students' folders
  and the home directory are not there at all.

The kernel talks to its worker through inherited pipes only.
"""

from __future__ import annotations

import functools
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

MODES = ("auto", "bwrap", "none")
ETC_FILES = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "fonts",
    "localtime",
    "passwd",
    "group",
    "nsswitch.conf",
    "mime.types",
    "alternatives",
)
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
WORKDIR = "/tmp/trabajo"
TMP_BYTES = 256 * 2**20


class SandboxUnavailable(RuntimeError):
    """``--sandbox bwrap`` was asked for and bubblewrap cannot run here."""


@functools.cache
def bwrap_problem() -> str:
    """Why bubblewrap cannot be used here ("" when it works): not installed, or not allowed to make namespaces."""
    path = shutil.which("bwrap")
    if path is None:
        return "bubblewrap (bwrap) is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    probe = [path, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc", "--", "true"]
    try:
        done = subprocess.run(probe, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bwrap did not run: {error}"
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"bwrap cannot create a sandbox here ({reason[-1] if reason else f'exit {done.returncode}'})"
    return ""


def resolve(mode: str) -> tuple[bool, str]:
    """(use bwrap?, warning) for ``--sandbox MODE``; raises SandboxUnavailable for ``bwrap`` when it cannot run."""
    if mode not in MODES:
        raise ValueError(f"--sandbox must be one of {', '.join(MODES)}, got {mode!r}")
    if mode == "none":
        return False, ""
    problem = bwrap_problem()
    if not problem:
        return True, ""
    if mode == "bwrap":
        raise SandboxUnavailable(problem)
    return False, (
        f"WARNING: {problem}.\nWARNING: grading WITHOUT a sandbox: submitted code runs with your user's access to "
        "files, network and processes. Install bubblewrap or grade in a container (see docs/grading.md)."
    )


def _python_dirs() -> list[str]:
    """The directories the interpreter and its packages live in."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        value = sysconfig.get_paths().get(name)
        if value:
            paths.add(value)
    paths.update(site.getsitepackages())
    paths.add(os.path.dirname(os.path.realpath(sys.executable)))
    return sorted(p for p in paths if p and os.path.isdir(p))


def package_dir() -> str:
    """The ``autograd_lab`` package directory (only it is bound, never the folder around it)."""
    return str(Path(__file__).resolve().parents[2])


def bwrap_command(argv: list[str]) -> list[str]:
    """``argv`` (the kernel's command) wrapped in a bubblewrap sandbox as described above."""
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable(bwrap_problem())
    command = [path, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    # first: the binds below may be under /tmp; the private /tmp holds at most TMP_BYTES (it lives in memory)
    command += ["--proc", "/proc", "--dev", "/dev", "--size", str(TMP_BYTES), "--tmpfs", "/tmp"]
    for directory in SYSTEM_DIRS:
        if os.path.islink(directory):
            command += ["--symlink", os.readlink(directory), directory]
        elif os.path.isdir(directory):
            command += ["--ro-bind", directory, directory]
    for directory in _python_dirs():
        command += ["--ro-bind", directory, directory]
    package = package_dir()
    command += ["--ro-bind", package, package]
    for name in ETC_FILES:
        if os.path.exists(f"/etc/{name}"):
            command += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    command += ["--dir", WORKDIR, "--chdir", WORKDIR]
    command += ["--setenv", "HOME", WORKDIR, "--setenv", "TMPDIR", "/tmp"]
    return [*command, "--", *argv]
