"""``autograd-lab release``: exercises/ is generated from solutions/, up to date, and free of solutions."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from course_notebooks import EXERCISES, ROOT, SOLUTIONS, STEMS, read

from autograd_lab.cli import main
from autograd_lab.course.release import (
    ANSWER_COMMENT,
    ReleaseError,
    build_release,
    problems,
    strip_solutions,
    write_release,
)


def test_release_check_passes_on_the_repository(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert main(["release", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_release_regenerates_identical_files(tmp_path):
    write_release(build_release(SOLUTIONS), tmp_path)
    for stem in STEMS:
        assert (tmp_path / f"{stem}.ipynb").read_text(encoding="utf-8") == (EXERCISES / f"{stem}.ipynb").read_text(
            encoding="utf-8"
        )


@pytest.mark.parametrize("stem", STEMS)
def test_exercises_keep_the_structure_and_lose_the_solutions(stem):
    solution, exercise = read(SOLUTIONS, stem), read(EXERCISES, stem)
    assert [c.get("id") for c in solution.cells] == [c.get("id") for c in exercise.cells]
    assert exercise.metadata["autograd_lab"] == {"exercise": stem}
    for before, after in zip(solution.cells, exercise.cells):
        if after.cell_type != "code":
            assert after.source == before.source
            continue
        assert after.outputs == [] and after.execution_count is None
        assert "SOLUTION" not in after.source
        if "### BEGIN SOLUTION" in before.source:
            assert after.source != before.source
            assert "raise NotImplementedError" in after.source or ANSWER_COMMENT in after.source
        else:
            assert after.source == before.source
    checks = [c for c in exercise.cells if c.metadata.get("autograd_lab", {}).get("check")]
    assert checks and all(c.metadata["editable"] is False and c.metadata["deletable"] is False for c in checks)


def test_function_bodies_become_stubs_and_answers_become_none():
    source = (
        "def f(x):\n"
        "    ### BEGIN SOLUTION\n"
        "    return 2 * x\n"
        "    ### END SOLUTION\n"
        "\n"
        "### BEGIN SOLUTION\n"
        "forma = (3, 224, 224)\n"
        "a, b = 1, {\n"
        "    'x': 2}\n"
        "### END SOLUTION\n"
    )
    assert strip_solutions(source, "cell") == (
        "def f(x):\n"
        "    # TU CÓDIGO AQUÍ\n"
        "    raise NotImplementedError\n"
        "\n"
        "forma = None  # TU RESPUESTA\n"
        "a = None  # TU RESPUESTA\n"
        "b = None  # TU RESPUESTA\n"
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("### BEGIN SOLUTION\nx = 1\n", "never closed"),
        ("x = 1\n### END SOLUTION\n", "without a matching"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n", "inside another solution block"),
        ("# BEGIN SOLUTION\nx = 1\n", "malformed solution marker"),
        ("### BEGIN SOLUTION\nprint(1)\n### END SOLUTION\n", "may only assign answers"),
        ("### BEGIN SOLUTION\n### END SOLUTION\n", "empty"),
    ],
)
def test_bad_markers_are_errors_that_say_where(source, message):
    with pytest.raises(ReleaseError, match=message) as error:
        strip_solutions(source, "ex09_demo.ipynb, cell 3")
    assert "ex09_demo.ipynb, cell 3, line" in str(error.value)


def _solutions_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "solutions"
    shutil.copytree(SOLUTIONS, folder)
    return folder


def _edit(path: Path, index: int, source: str, cell_type: str | None = None) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.cells[index].source = source
    if cell_type == "markdown":
        nb.cells[index] = nbformat.v4.new_markdown_cell(source, id=nb.cells[index].id)
    nbformat.write(nb, path)


def _check_cell_index(path: Path, check_id: str) -> int:
    nb = nbformat.read(path, as_version=4)
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and f'check("{check_id}"' in c.source)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda path: _edit(path, _check_cell_index(path, "ex01.aplanar"), 'check("ex01.aplanado", aplanar)'),
            "unknown check",
        ),
        (
            lambda path: _edit(path, _check_cell_index(path, "ex01.dimensiones"), 'check("ex01.dimensiones", lote)'),
            "takes 5 answers",
        ),
        (
            lambda path: _edit(path, _check_cell_index(path, "ex01.broadcast"), "print('sin check')"),
            "missing: \\['ex01.broadcast'\\]",
        ),
        (
            lambda path: _edit(path, 0, "### BEGIN SOLUTION\nnota\n### END SOLUTION", "markdown"),
            "only supported in code cells",
        ),
    ],
)
def test_release_rejects_inconsistent_solutions(tmp_path, edit, message):
    folder = _solutions_copy(tmp_path)
    edit(folder / "ex01_tensores.ipynb")
    with pytest.raises(ReleaseError, match=message):
        build_release(folder)


def test_check_reports_stale_leaked_missing_and_extra_files(tmp_path):
    exercises = tmp_path / "exercises"
    shutil.copytree(EXERCISES, exercises)
    release = build_release(SOLUTIONS)
    assert problems(release, exercises) == []

    stale = exercises / "ex02_gradientes.ipynb"
    stale.write_text(stale.read_text(encoding="utf-8").replace("Gradientes", "Gradientes!"), encoding="utf-8")
    leaked = exercises / "ex03_grafo.ipynb"
    nb = nbformat.read(leaked, as_version=4)
    nb.cells[-1].source = "### BEGIN SOLUTION\nrespuesta = 1\n### END SOLUTION"
    nbformat.write(nb, leaked)
    (exercises / "ex04_funciones.ipynb").unlink()
    shutil.copy(exercises / "ex01_tensores.ipynb", exercises / "ex99_extra.ipynb")

    found = "\n".join(problems(release, exercises))
    assert "ex02_gradientes.ipynb: stale" in found
    assert "ex03_grafo.ipynb: contains a solution marker" in found
    assert "ex04_funciones.ipynb: missing" in found
    assert "ex99_extra.ipynb: has no solution notebook" in found


def test_cli_check_fails_on_a_stale_release_and_release_fixes_it(tmp_path, capsys):
    exercises = tmp_path / "exercises"
    args = ["--solutions", str(SOLUTIONS), "--exercises", str(exercises)]
    assert main(["release", "--check", *args]) == 1
    assert "missing" in capsys.readouterr().err
    assert main(["release", *args]) == 0
    assert main(["release", "--check", *args]) == 0


def test_cli_reports_release_errors_without_a_traceback(tmp_path, capsys):
    folder = _solutions_copy(tmp_path)
    _edit(folder / "ex01_tensores.ipynb", 4, "### BEGIN SOLUTION\nx = 1")
    assert main(["release", "--solutions", str(folder), "--exercises", str(tmp_path / "out")]) == 1
    assert "never closed" in capsys.readouterr().err
