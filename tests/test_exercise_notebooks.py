"""The notebooks as students meet them: exercises run clean and say "pendiente"; solutions are stored executed."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from course_notebooks import EXERCISES, ROOT, SOLUTIONS, STEMS, read
from nbclient import NotebookClient

from autograd_lab.course.checks import exercise_parts
from autograd_lab.course.kernels import AsyncCurrentEnvKernelManager
from autograd_lab.course.release import check_call


def _texts(cell) -> list[str]:
    return [
        out.get("text", "") if out.output_type == "stream" else out.get("data", {}).get("text/plain", "")
        for out in cell.outputs
    ]


async def _execute_all(notebooks: list) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    clients = [
        NotebookClient(
            nb,
            timeout=120,
            kernel_name="python3",
            kernel_manager_class=AsyncCurrentEnvKernelManager,
            resources={"metadata": {"path": str(EXERCISES)}},
            allow_errors=True,
        )
        for nb in notebooks
    ]
    await asyncio.gather(*(client.async_execute(env=env) for client in clients))


@pytest.fixture(scope="module")
def executed_exercises() -> dict[str, nbformat.NotebookNode]:
    notebooks = {stem: read(EXERCISES, stem) for stem in STEMS}
    # a thread of its own: another test may have left an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _execute_all(list(notebooks.values()))).result()
    return notebooks


@pytest.mark.parametrize("stem", STEMS)
def test_exercise_runs_clean_and_every_check_is_pending(executed_exercises, stem):
    nb = executed_exercises[stem]
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    errors = [out for cell in code for out in cell.outputs if out.output_type == "error"]
    assert errors == [], [f"{e.ename}: {e.evalue}" for e in errors]
    assert [out for cell in code for out in cell.outputs if out.get("name") == "stderr"] == []
    checks = [cell for cell in code if check_call(cell.source)]
    assert len(checks) == len(exercise_parts(stem.split("_")[0]))
    for cell in checks:
        check_id = check_call(cell.source)[0]
        (text,) = _texts(cell)
        assert text.startswith(f"[{check_id}]") and "— pendiente · 0/" in text, text
        assert "pendiente" in cell.outputs[0]["data"]["text/html"]
    (progress,) = _texts(code[-1])
    assert re.search(r": 0/10 puntos", progress), progress


@pytest.mark.parametrize("stem", STEMS)
def test_exercise_files_are_stored_without_outputs(stem):
    nb = read(EXERCISES, stem)
    assert all(cell.outputs == [] and cell.execution_count is None for cell in nb.cells if cell.cell_type == "code")


@pytest.mark.parametrize("stem", STEMS)
def test_solutions_are_stored_executed_with_every_check_passed(stem):
    nb = read(SOLUTIONS, stem)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    counts = [cell.execution_count for cell in code]
    assert counts == list(range(1, len(code) + 1)), "execute the notebook top to bottom: tools/execute_notebooks.py"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in code:
        if check_call(cell.source):
            (text,) = _texts(cell)
            assert re.search(r"— (correcto|comprobaciones públicas superadas) · (\d+)/\2 puntos", text), text
    (progress,) = _texts(code[-1])
    assert ": 10/10 puntos" in progress


def test_the_execution_tool_reproduces_a_stored_solution_exactly(tmp_path):
    spec = importlib.util.spec_from_file_location("execute_notebooks", ROOT / "tools" / "execute_notebooks.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    copy = tmp_path / "ex03_grafo.ipynb"
    shutil.copy(SOLUTIONS / "ex03_grafo.ipynb", copy)
    assert tool.main([str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == (SOLUTIONS / "ex03_grafo.ipynb").read_text(encoding="utf-8")


# ------------------------------------------------------------------ staged hints, short cells, no test machinery

PISTA = re.compile(r"<details><summary>Pista (\d)</summary>\n(.*?)</details>", re.S)
LESSON_REFERENCE = re.compile(r"lecci[óo]n (\d\d)\W{0,3}((?:«[^»]+»(?:,? y |, )?)+)")
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def _lesson_sections() -> dict[str, set[str]]:
    sections = {}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        lines = [line for cell in nb.cells if cell.cell_type == "markdown" for line in cell.source.splitlines()]
        sections[path.stem[:2]] = {line.lstrip("#").strip() for line in lines if line.startswith("#")}
    return sections


@pytest.mark.parametrize("stem", STEMS)
def test_every_graded_part_has_three_staged_hints_below_its_check(stem):
    nb = read(SOLUTIONS, stem)
    checks = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and check_call(cell.source)]
    assert checks
    for index in checks:
        below = nb.cells[index + 1]
        assert below.cell_type == "markdown", f"cell {index}: the hints go right below the check"
        hints = PISTA.findall(below.source)
        assert [number for number, _ in hints] == ["1", "2", "3"], below.source[:200]
        assert all(len(text.strip()) > 40 for _, text in hints), "every hint says something"


@pytest.mark.parametrize("stem", STEMS)
def test_lesson_sections_named_in_the_exercises_exist(stem):
    sections = _lesson_sections()
    texts = [cell.source for cell in read(SOLUTIONS, stem).cells if cell.cell_type == "markdown"]
    references = [match for text in texts for match in LESSON_REFERENCE.findall(text)]
    for lesson, titles in references:
        for title in re.findall(r"«([^»]+)»", titles):
            assert title in sections[lesson], f"lesson {lesson} has no section «{title}»"


@pytest.mark.parametrize("stem", STEMS)
def test_solution_cells_are_short(stem):
    for cell in read(SOLUTIONS, stem).cells:
        if cell.cell_type == "code":
            lines = [line for line in cell.source.splitlines() if line.strip() not in MARKERS]
            assert len(lines) <= 15, cell.source


@pytest.mark.parametrize("folder", [SOLUTIONS, EXERCISES])
@pytest.mark.parametrize("stem", STEMS)
def test_no_cell_source_mentions_the_notebook_tests(folder, stem):
    for cell in read(folder, stem).cells:
        assert "nbval" not in cell.source.lower(), cell.source
