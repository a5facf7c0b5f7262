"""``autograd-lab lab``: open the course notebooks in JupyterLab."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``autograd-lab lab``."""
    parser.add_argument("directory", nargs="?", default=".", help="the course folder (default: here)")


def run(args: argparse.Namespace) -> int:
    """Start JupyterLab on the course folder."""
    root = Path(args.directory).resolve()
    start = root / "notebooks" if (root / "notebooks").is_dir() else root
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        print("JupyterLab is not installed: pip install 'autograd-lab[lab]' (or run `make lab`)", file=sys.stderr)
        return 1
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", str(start)]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.insert(3, "--allow-root")  # containers often run as root
    return subprocess.call(command)
