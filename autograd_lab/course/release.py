"""``autograd-lab release``: regenerate ``exercises/`` from ``solutions/``, the single source.

Code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers)
is replaced by a stub: inside a function, ``raise NotImplementedError``; at the
top level of a cell, ``name = None`` for every answer the block assigns (so the
student's notebook runs clean and its checks say "pendiente").  Outputs and
execution counts are cleared.  Check cells (one line, ``check("ex04.tanh", Tanh)``)
are validated against the registry and marked in their metadata, which is how
the grader finds them to restore them.

``--check`` regenerates in memory and fails when ``exercises/`` is stale, has a
file without a solution, or contains a solution marker.
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB_COMMENT = "# TU CÓDIGO AQUÍ"
ANSWER_COMMENT = "# TU RESPUESTA"
MARKER_WORDS = ("BEGIN SOLUTION", "END SOLUTION")
CELL_METADATA_DROPPED = ("execution", "collapsed", "scrolled")


class ReleaseError(ValueError):
    """A solution notebook that cannot be released as it is (unbalanced or misplaced markers, bad check cell)."""


# --------------------------------------------------------------------------- one cell


def strip_solutions(source: str, where: str) -> str:
    """The cell's code with every solution block replaced by its stub."""
    out: list[str] = []
    block: list[str] | None = None
    indent, opened = "", 0
    for number, line in enumerate(source.split("\n"), 1):
        marker = line.strip()
        if marker == BEGIN:
            if block is not None:
                raise ReleaseError(
                    f"{where}, line {number}: '{BEGIN}' inside another solution block (opened at line {opened}); "
                    f"close that one with '{END}' first"
                )
            block, indent, opened = [], line[: len(line) - len(line.lstrip())], number
        elif marker == END:
            if block is None:
                raise ReleaseError(f"{where}, line {number}: '{END}' without a matching '{BEGIN}' before it")
            out.extend(_stub(block, indent, f"{where}, line {opened}"))
            block = None
        elif any(word in line for word in MARKER_WORDS):
            raise ReleaseError(
                f"{where}, line {number}: malformed solution marker {marker!r}; write exactly '{BEGIN}' or '{END}' "
                "on a line of its own"
            )
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    if block is not None:
        raise ReleaseError(f"{where}, line {opened}: '{BEGIN}' is never closed; add '{END}' after the solution")
    return "\n".join(out)


def _stub(block: list[str], indent: str, where: str) -> list[str]:
    if indent:
        return [f"{indent}{STUB_COMMENT}", f"{indent}raise NotImplementedError"]
    return [f"{name} = None  {ANSWER_COMMENT}" for name in _assigned_names("\n".join(block), where)]


def _assigned_names(code: str, where: str) -> list[str]:
    """The names a top-level solution block assigns; anything else there is an error."""
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        raise ReleaseError(f"{where}: the solution block is not valid Python ({error.msg})") from None
    names: list[str] = []
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        else:
            raise ReleaseError(
                f"{where}: a top-level solution block may only assign answers (name = value); put other code "
                "inside a function body, where the block becomes 'raise NotImplementedError'"
            )
        for target in targets:
            names.extend(node.id for node in ast.walk(target) if isinstance(node, ast.Name) and node.id not in names)
    if not names:
        raise ReleaseError(f"{where}: the solution block is empty")
    return names


def check_call(source: str) -> tuple[str, int] | None:
    """``(check_id, number of answers)`` when the cell is one ``check("id", ...)`` call, else None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return None
    call = tree.body[0].value
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "check"):
        return None
    if not call.args or not isinstance(call.args[0], ast.Constant) or not isinstance(call.args[0].value, str):
        return None
    return call.args[0].value, len(call.args) - 1


# --------------------------------------------------------------------------- one notebook


def exercise_id(path: Path) -> str:
    """ "ex04" for ``ex04_funciones.ipynb``."""
    return path.stem.split("_", 1)[0]


def release_notebook(source: Any, path: Path) -> Any:
    """The student version of a solution notebook (an nbformat NotebookNode)."""
    import nbformat

    from .checks import exercise_parts, get_check

    nb = nbformat.from_dict(source)
    seen: list[str] = []
    for index, cell in enumerate(nb.cells):
        where = f"{path.name}, cell {index} (id {cell.get('id', '?')})"
        for key in CELL_METADATA_DROPPED:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            if any(word in cell.source for word in MARKER_WORDS):
                raise ReleaseError(f"{where}: solution markers are only supported in code cells")
            continue
        cell.source = strip_solutions(cell.source, where)
        cell.outputs, cell.execution_count = [], None
        call = check_call(cell.source)
        if call is None:
            continue
        check_id, answers = call
        try:
            spec = get_check(check_id)
        except ValueError as error:
            raise ReleaseError(f"{where}: {error}") from None
        if answers != len(spec.answer_names()):
            expected = ", ".join(spec.answer_names())
            raise ReleaseError(
                f"{where}: check({check_id!r}, ...) takes {len(spec.answer_names())} answers ({expected})"
            )
        seen.append(check_id)
        cell.metadata.update({"autograd_lab": {"check": check_id}, "editable": False, "deletable": False})
    expected_ids = [spec.check_id for spec in exercise_parts(exercise_id(path))]
    if sorted(seen) != sorted(expected_ids):
        missing = sorted(set(expected_ids) - set(seen))
        repeated = sorted({c for c in seen if seen.count(c) > 1})
        extra = sorted(set(seen) - set(expected_ids))
        raise ReleaseError(
            f"{path.name}: every part of {exercise_id(path)} needs exactly one check cell "
            f"(missing: {missing or 'none'}, repeated: {repeated or 'none'}, from other exercises: {extra or 'none'})"
        )
    nb.metadata.pop("widgets", None)
    nb.metadata["autograd_lab"] = {"exercise": path.stem}
    return nb


@dataclass
class Release:
    """The exercise notebooks generated from a solutions folder, as text keyed by file name."""

    files: dict[str, str]


def build_release(solutions: Path) -> Release:
    """Generate every exercise notebook from ``solutions`` (nothing is written)."""
    import nbformat

    paths = sorted(solutions.glob("*.ipynb"))
    if not paths:
        raise ReleaseError(f"no notebooks in {solutions}/; run from the course folder or pass --solutions")
    files = {}
    for path in paths:
        source = nbformat.read(path, as_version=4)
        files[path.name] = nbformat.writes(release_notebook(source, path)) + "\n"
    return Release(files)


def problems(release: Release, exercises: Path) -> list[str]:
    """What differs between the generated release and the files in ``exercises`` (empty when up to date)."""
    found = []
    for name, text in release.files.items():
        target = exercises / name
        if not target.exists():
            found.append(f"{target}: missing (run `autograd-lab release`)")
        elif target.read_text(encoding="utf-8") != text:
            found.append(f"{target}: stale, differs from what solutions/{name} generates (run `autograd-lab release`)")
    for target in sorted(exercises.glob("*.ipynb")):
        text = target.read_text(encoding="utf-8")
        if target.name not in release.files:
            found.append(f"{target}: has no solution notebook (exercises/ is generated; remove it)")
        if any(word in text for word in MARKER_WORDS):
            found.append(f"{target}: contains a solution marker (a solution leaked)")
    return found


def write_release(release: Release, exercises: Path) -> None:
    """Write the generated notebooks into ``exercises``."""
    exercises.mkdir(parents=True, exist_ok=True)
    for name, text in release.files.items():
        (exercises / name).write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``autograd-lab release``."""
    parser.add_argument("--check", action="store_true", help="fail when exercises/ is stale or a marker leaked")
    parser.add_argument("--solutions", type=Path, default=Path("solutions"), help="source folder (default: solutions)")
    parser.add_argument("--exercises", type=Path, default=Path("exercises"), help="target folder (default: exercises)")


def run(args: argparse.Namespace) -> int:
    """Regenerate (or with --check, verify) the exercise notebooks."""
    try:
        import nbformat  # noqa: F401
    except ImportError:
        print("autograd-lab release needs nbformat: pip install 'autograd-lab[lab]'", file=sys.stderr)
        return 2
    try:
        release = build_release(args.solutions)
    except ReleaseError as error:
        print(f"autograd-lab release: {error}", file=sys.stderr)
        return 1
    if args.check:
        found = problems(release, args.exercises)
        for problem in found:
            print(problem, file=sys.stderr)
        if found:
            return 1
        print(f"{args.exercises}/ is up to date with {args.solutions}/ ({len(release.files)} notebooks)")
        return 0
    write_release(release, args.exercises)
    print(f"wrote {len(release.files)} notebooks to {args.exercises}/")
    return 0
