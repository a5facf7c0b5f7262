"""Reading notebooks as plain JSON and planning what to run: the student's cells, with the release's check cells.

No nbformat here: a submission is untrusted data, read with ``json`` under
size limits, and anything that is not a notebook's shape is reported as
unreadable (never a traceback).  A cell's ``autograd_lab`` metadata is used
only when it is a dict.
"""

from __future__ import annotations

import ast
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_NOTEBOOK_BYTES = 32 * 2**20
MAX_CELLS = 20_000


class NotebookError(ValueError):
    """A file that is not a notebook this grader can read."""


@dataclass(frozen=True)
class CheckStep:
    """A release check cell: which part, and the release's expressions for its answers."""

    check_id: str
    answers: str
    cell_id: str


@dataclass(frozen=True)
class CodeStep:
    """A student's code cell, run as it is."""

    source: str
    cell_id: str


Step = CheckStep | CodeStep


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise NotebookError("a cell's source is neither text nor a list of lines")


def parse(data: bytes | str) -> list[dict[str, Any]]:
    """The cells of a notebook file's content: ``[{"type", "id", "source", "check"}]`` (check: metadata id or "")."""
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"larger than {MAX_NOTEBOOK_BYTES // 2**20} MB")
    try:
        notebook = json.loads(data)
    except (ValueError, RecursionError, UnicodeDecodeError) as error:
        raise NotebookError(f"not JSON ({type(error).__name__})") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise NotebookError("no list of cells")
    if len(cells) > MAX_CELLS:
        raise NotebookError(f"more than {MAX_CELLS} cells")
    parsed = []
    for cell in cells:
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise NotebookError("a cell is not a notebook cell")
        metadata = cell.get("metadata")
        ours = metadata.get("autograd_lab") if isinstance(metadata, dict) else None
        check = ours.get("check") if isinstance(ours, dict) else None
        cell_id = cell.get("id")
        parsed.append(
            {
                "type": cell["cell_type"],
                "id": cell_id if isinstance(cell_id, str) else "",
                "source": _source(cell),
                "check": check if isinstance(check, str) else "",
            }
        )
    return parsed


def load_release(release_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """The released exercise notebooks' cells, by file stem ("ex04_funciones")."""
    release = {path.stem: parse(path.read_bytes()) for path in sorted(Path(release_dir).glob("*.ipynb"))}
    if not release:
        raise FileNotFoundError(
            f"no released notebooks in {release_dir}/; run `autograd-lab release` or pass --release"
        )
    return release


def release_hash(release: dict[str, list[dict[str, Any]]]) -> str:
    """A fingerprint of the release as the grader loaded it (sent with it to every worker)."""
    return hashlib.sha256(json.dumps(release, sort_keys=True).encode("utf-8")).hexdigest()


def release_checks(release_cells: list[dict[str, Any]]) -> list[tuple[int, CheckStep]]:
    """The check cells of a release notebook, with their positions."""
    found = []
    for index, cell in enumerate(release_cells):
        if cell["type"] != "code" or not cell["check"]:
            continue
        call = ast.parse(cell["source"]).body[0].value
        answers = ", ".join(ast.get_source_segment(cell["source"], arg) or "" for arg in call.args[1:])
        found.append((index, CheckStep(cell["check"], answers, cell["id"])))
    return found


def release_parts(release_cells: list[dict[str, Any]]) -> list[str]:
    """The graded parts of a release notebook, in order."""
    return [step.check_id for _, step in release_checks(release_cells)]


def plan(student_cells: list[dict[str, Any]], release_cells: list[dict[str, Any]]) -> list[Step]:
    """What to run: the student's code cells, with every release check cell restored in its place.

    Check cells are found by cell id or by their metadata and replaced by the
    release's version; deleted ones go back after the nearest surviving
    neighbour from the release.  A check cell rewritten under a new id runs as
    ordinary code.
    """
    checks = release_checks(release_cells)
    by_cell_id = {step.cell_id: step for _, step in checks if step.cell_id}
    by_check_id = {step.check_id: step for _, step in checks}
    program: list[tuple[str, Step | None]] = []
    placed: set[str] = set()
    for cell in student_cells:
        claimed = cell["check"] if cell["type"] == "code" else ""
        step = by_cell_id.get(cell["id"]) or by_check_id.get(claimed)
        if step is not None and step.check_id not in placed:
            placed.add(step.check_id)
            program.append((cell["id"], step))
        elif cell["type"] == "code":
            program.append((cell["id"], CodeStep(cell["source"], cell["id"])))
        else:
            program.append((cell["id"], None))  # markdown: only an anchor for restored cells
    for index, step in checks:
        if step.check_id in placed:
            continue
        position = len(program)
        for earlier in reversed(release_cells[:index]):
            anchors = [i for i, (cell_id, _) in enumerate(program) if cell_id and cell_id == earlier["id"]]
            if anchors:
                position = anchors[-1] + 1
                break
        program.insert(position, (step.cell_id, step))
        placed.add(step.check_id)
    return [step for _, step in program if step is not None]
