"""``autograd-lab lab``: open the course notebooks in JupyterLab, with the course's settings."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

SETTINGS_DIR = Path(__file__).resolve().parent / "lab_settings"
FIRST_LESSON = Path("notebooks") / "00_introduccion.ipynb"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``autograd-lab lab``."""
    parser.add_argument("directory", nargs="?", default=".", help="the course folder (default: here)")
    parser.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="more options for JupyterLab, after --")


def lab_command(root: Path, extra: list[str] | None = None) -> list[str]:
    """The JupyterLab command line for the course folder ``root`` (settings from ``lab_settings/``)."""
    start = root / FIRST_LESSON
    if not start.exists():
        start = root / "notebooks" if (root / "notebooks").is_dir() else root
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.app_settings_dir={SETTINGS_DIR}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers often run as root
    extra = [arg for arg in (extra or []) if arg != "--"]
    return [*command, *extra, str(start)]


def run(args: argparse.Namespace) -> int:
    """Start JupyterLab on the course folder."""
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        print("JupyterLab is not installed: pip install 'autograd-lab[lab]' (or run `make lab`)", file=sys.stderr)
        return 1
    return subprocess.call(lab_command(Path(args.directory).resolve(), args.jupyter_args))
