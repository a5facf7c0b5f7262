"""Helpers for the course tests: the exercise notebooks' code as Python namespaces, their check cells."""

from __future__ import annotations

import ast
import contextlib
import io
from pathlib import Path
from typing import Any

import nbformat

from autograd_lab.course.release import check_call

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
STEMS = sorted(path.stem for path in SOLUTIONS.glob("*.ipynb"))


def read(folder: Path, stem: str) -> Any:
    """The notebook ``folder/stem.ipynb``."""
    return nbformat.read(folder / f"{stem}.ipynb", as_version=4)


def check_cells(nb: Any) -> list[tuple[str, list[str]]]:
    """(check id, the argument expressions) of every check cell, in order."""
    found = []
    for cell in nb.cells:
        if cell.cell_type == "code" and check_call(cell.source):
            call = ast.parse(cell.source).body[0].value  # type: ignore[attr-defined]
            arguments = [ast.get_source_segment(cell.source, arg) or "" for arg in call.args[1:]]
            found.append((call.args[0].value, arguments))
    return found


def namespace(folder: Path, stem: str) -> dict[str, Any]:
    """Run the notebook's code cells (not its check or progress cells) and return the names they define."""
    names: dict[str, Any] = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in read(folder, stem).cells:
            if cell.cell_type != "code" or check_call(cell.source) or cell.source.strip() == "progress()":
                continue
            exec(compile(cell.source, f"{stem}.ipynb", "exec"), names)
    return names


def answers(names: dict[str, Any], arguments: list[str]) -> tuple[Any, ...]:
    """The values a check cell passes, evaluated in the notebook's namespace."""
    return tuple(eval(argument, names) for argument in arguments)
