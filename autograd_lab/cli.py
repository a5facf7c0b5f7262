"""The ``autograd-lab`` command: lab | doctor | release | grade | export.

Each tool lives in its own module, which provides ``add_arguments(parser)`` and
``run(args) -> int``; they are imported only when their command runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Any

COMMANDS = {
    "lab": ("autograd_lab.launch", "open the course in JupyterLab"),
    "doctor": ("autograd_lab.viz.doctor", "check graphviz, widgets and versions; say what to install"),
    "release": ("autograd_lab.course.release", "regenerate exercises/ from solutions/"),
    "grade": ("autograd_lab.course.grade", "grade submitted notebooks into a CSV of points"),
    "export": ("autograd_lab.course.grading.gradescope", "export the grader (gradescope: an autograder zip)"),
}


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser with one subcommand per tool."""
    parser = argparse.ArgumentParser(prog="autograd-lab", description="autograd_lab course tools")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text)
        sub.set_defaults(module_name=module_name)
        module = _load(module_name)
        if module is not None:
            module.add_arguments(sub)
    return parser


def _load(module_name: str) -> Any:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            return None
        raise


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``autograd-lab`` script."""
    args = build_parser().parse_args(argv)
    module = _load(args.module_name)
    if module is None:
        print(f"autograd-lab {args.command}: not available in this installation", file=sys.stderr)
        return 2
    return int(module.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
