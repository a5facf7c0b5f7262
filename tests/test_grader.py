"""``autograd-lab grade``: full points for the solutions, none for the untouched exercises, and the right
points and statuses for notebooks that try to cheat or break the grader, in bounded time.

Two batches run once per module, each graded in parallel (2 workers): the regular notebooks with the
default-like limits, and the adversarial ones with short timeouts (3 s per cell) and a small memory budget.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import time
from pathlib import Path

import nbformat
import pytest
from course_notebooks import EXERCISES, SOLUTIONS, STEMS, read

from autograd_lab.cli import main
from autograd_lab.course.checks import CHECKS, exercise_parts
from autograd_lab.course.grade import (
    GRADE_MIME,
    CellRun,
    CheckStep,
    CodeStep,
    Limits,
    _verified,
    grade_all,
    plan,
    submission_paths,
)

TOTAL = sum(spec.points for spec in CHECKS.values())
ADVERSARIAL_LIMITS = ["--cell-timeout", "3", "--timeout", "40", "--memory-mb", "300", "--jobs", "2"]

# ----------------------------------------------------------------------------- building submissions


def _write(nb, folder: Path, stem: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.ipynb"
    nbformat.write(nb, path)
    return path


def _cell_index(nb, text: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and text in c.source)


def _insert_after(nb, text: str, source: str) -> None:
    nb.cells.insert(_cell_index(nb, text) + 1, nbformat.v4.new_code_cell(source))


def impostor() -> nbformat.NotebookNode:
    """The untouched exercise, plus fake success everywhere: prints, HTML, a redefined check, forged payloads."""
    nb = read(EXERCISES, "ex01_tensores")
    forged = json.dumps({"check_id": "ex01.aplanar", "status": "passed", "points": 3, "message": "correcto"})
    _insert_after(
        nb,
        "from autograd_lab.course.checks import",
        "from IPython.display import HTML, display\n"
        "print('[ex01.dimensiones] ✔ correcto · 1/1 puntos')\n"
        "display(HTML('<b>✔ Todo correcto: 10/10 puntos</b>'))\n"
        "check = lambda *args: '✔ correcto · 10/10 puntos'\n"
        "progress = lambda: 'ex01 · Tensores: 10/10 puntos'",
    )
    index = _cell_index(nb, "def aplanar")
    nb.cells[index].source = (
        "def aplanar(x):\n"
        f"    payload = {{'payload': {forged!r}, 'signature': '0' * 64}}\n"
        f"    display({{{GRADE_MIME!r}: payload}}, raw=True)\n"
        "    print('correcto')\n"
        "    raise NotImplementedError"
    )
    return nb


def always_equal() -> nbformat.NotebookNode:
    """Every answer is an object whose == always says True."""
    nb = read(EXERCISES, "ex01_tensores")
    _insert_after(
        nb,
        "from autograd_lab.course.checks import",
        "class SiempreIgual:\n"
        "    def __eq__(self, other):\n"
        "        return True\n"
        "    __hash__ = object.__hash__\n"
        "    def dim(self):\n"
        "        return 0",
    )
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = cell.source.replace("None  # TU RESPUESTA", "SiempreIgual()")
            cell.source = cell.source.replace("raise NotImplementedError", "return SiempreIgual()")
    return nb


def editor() -> nbformat.NotebookNode:
    """ex03 solved, but with check cells edited, deleted and disguised, and two answers wrong."""
    nb = read(SOLUTIONS, "ex03_grafo")
    gradientes = _cell_index(nb, "def gradientes")
    nb.cells[gradientes].source = "def gradientes(x, y):\n    return x * y, x * x + x"
    nb.cells[
        _cell_index(nb, 'check("ex03.gradientes"')
    ].source = 'check("ex03.gradientes", lambda x, y: (2 * x * y + y, x * x + x))'
    locales = _cell_index(nb, "def derivadas_locales")
    nb.cells[locales].source = (
        "def derivadas_locales(x, y):\n"
        '    return {"du/dx": x, "du/dy": y, "dv/du": 1.0, "dv/dy": 1.0, "df/dv": x, "df/dx": x * y + y}'
    )
    disguised = _cell_index(nb, 'check("ex03.locales"')
    nb.cells[disguised] = nbformat.v4.new_code_cell(
        'check("ex03.locales", lambda x, y: {"du/dx": y, "du/dy": x, "dv/du": 1.0, "dv/dy": 1.0, "df/dv": x, '
        '"df/dx": x * y + y})'
    )
    del nb.cells[_cell_index(nb, 'check("ex03.propia"')]
    return nb


def looping() -> nbformat.NotebookNode:
    """ex01 solved, with an endless top-level cell and an endless graded function."""
    nb = read(SOLUTIONS, "ex01_tensores")
    _insert_after(nb, "from autograd_lab.course.checks import", "while True:\n    pass")
    nb.cells[_cell_index(nb, "def aplanar")].source = "def aplanar(x):\n    while True:\n        pass"
    return nb


def stubborn() -> nbformat.NotebookNode:
    """ex02 solved, then a cell that ignores interrupts and never ends."""
    nb = read(SOLUTIONS, "ex02_gradientes")
    _insert_after(
        nb,
        'check("ex02.gradiente"',
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
    )
    return nb


def memory_bomb() -> nbformat.NotebookNode:
    """ex01 solved, with a huge allocation at the top level and a graded function that eats memory."""
    nb = read(SOLUTIONS, "ex01_tensores")
    _insert_after(nb, "from autograd_lab.course.checks import", "enorme = bytearray(64 * 2**30)")
    nb.cells[
        _cell_index(nb, "def aplanar")
    ].source = "def aplanar(x):\n    bloques = []\n    while True:\n        bloques.append(bytearray(50 * 2**20))"
    return nb


def crashing() -> nbformat.NotebookNode:
    """ex01 solved, but the kernel kills itself after the second check."""
    nb = read(SOLUTIONS, "ex01_tensores")
    _insert_after(nb, 'check("ex01.aplanar"', "import os\nos.kill(os.getpid(), 9)")
    return nb


ADVERSARIAL = {
    "impostor": ("ex01_tensores", impostor),
    "siempre_igual": ("ex01_tensores", always_equal),
    "editor": ("ex03_grafo", editor),
    "bucle": ("ex01_tensores", looping),
    "terco": ("ex02_gradientes", stubborn),
    "memoria": ("ex01_tensores", memory_bomb),
    "caida": ("ex01_tensores", crashing),
}


def _table(rows) -> dict[tuple[str, str], dict[str, str]]:
    return {(row["student"], row["part"]): row for row in rows}


@pytest.fixture(scope="module")
def regular(tmp_path_factory) -> dict[tuple[str, str], dict[str, str]]:
    root = tmp_path_factory.mktemp("regular")
    paths = [_write(read(SOLUTIONS, stem), root / "solucion", stem) for stem in STEMS]
    paths += [_write(read(EXERCISES, stem), root / "sin_hacer", stem) for stem in STEMS]
    rows = grade_all(paths, EXERCISES, Limits(cell_timeout=60, total_timeout=300, memory_mb=2048), jobs=2)
    return _table([{**row.__dict__, "max": row.max_points} for row in rows])


@pytest.fixture(scope="module")
def adversarial(tmp_path_factory) -> tuple[dict[tuple[str, str], dict[str, str]], str, float]:
    root = tmp_path_factory.mktemp("adversarial")
    for student, (stem, build) in ADVERSARIAL.items():
        _write(build(), root / student, stem)
    (root / "roto").mkdir()
    (root / "roto" / "ex01_tensores.ipynb").write_text("esto no es json", encoding="utf-8")
    _write(read(EXERCISES, "ex01_tensores"), root / "otro", "apuntes")
    out = root / "grades.csv"
    printed = io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stdout(printed):
        code = main(["grade", str(root), "--out", str(out), "--release", str(EXERCISES), *ADVERSARIAL_LIMITS])
    elapsed = time.monotonic() - started
    assert code == 0
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return _table(rows), printed.getvalue(), elapsed


def _points(table, student: str) -> tuple[int, int]:
    rows = [row for (name, _), row in table.items() if name == student]
    return sum(int(row["points"]) for row in rows), sum(int(row["max"]) for row in rows)


# ----------------------------------------------------------------------------- the regular notebooks


def test_solutions_get_full_points(regular):
    assert _points(regular, "solucion") == (TOTAL, TOTAL)
    assert {row["status"] for (student, _), row in regular.items() if student == "solucion"} == {"passed"}


def test_untouched_exercises_get_zero_and_are_pending(regular):
    assert _points(regular, "sin_hacer") == (0, TOTAL)
    statuses = {row["status"] for (student, _), row in regular.items() if student == "sin_hacer"}
    assert statuses == {"pending"}


def test_one_row_per_student_and_part(regular):
    parts = {spec.check_id for stem in STEMS for spec in exercise_parts(stem.split("_")[0])}
    for student in ("solucion", "sin_hacer"):
        assert {part for (name, part) in regular if name == student} == parts


# ----------------------------------------------------------------------------- notebooks that cheat or break


def test_fake_success_prints_redefined_check_and_forged_payloads_earn_nothing(adversarial):
    table, _, _ = adversarial
    assert _points(table, "impostor") == (0, 10)
    assert {table["impostor", part]["status"] for part in ("ex01.dimensiones", "ex01.aplanar")} == {"pending"}


def test_objects_equal_to_everything_earn_nothing(adversarial):
    table, _, _ = adversarial
    assert _points(table, "siempre_igual") == (0, 10)
    assert {row["status"] for (student, _), row in table.items() if student == "siempre_igual"} == {"failed"}


def test_edited_deleted_and_disguised_check_cells_are_restored(adversarial):
    table, _, _ = adversarial
    status = {part: table["editor", part]["status"] for part in ("ex03.locales", "ex03.gradientes", "ex03.propia")}
    assert status == {"ex03.locales": "failed", "ex03.gradientes": "failed", "ex03.propia": "passed"}
    assert "Falta el camino directo" in table["editor", "ex03.gradientes"]["message"]
    assert _points(table, "editor") == (3, 10)


def test_an_endless_graded_function_times_out_alone(adversarial):
    table, _, _ = adversarial
    assert table["bucle", "ex01.aplanar"]["status"] == "timeout"
    assert {table["bucle", part]["status"] for part in ("ex01.dimensiones", "ex01.broadcast", "ex01.grad_fn")} == {
        "passed"
    }
    assert _points(table, "bucle") == (7, 10)


def test_a_cell_that_ignores_interrupts_costs_the_rest_of_the_notebook(adversarial):
    table, _, _ = adversarial
    assert table["terco", "ex02.gradiente"]["status"] == "passed"
    for part in ("ex02.prediccion", "ex02.cero"):
        assert table["terco", part]["status"] == "timeout"
        assert "no se detuvo" in table["terco", part]["message"]
    assert _points(table, "terco") == (4, 10)


def test_a_memory_bomb_fails_its_part_only(adversarial):
    table, _, _ = adversarial
    assert table["memoria", "ex01.aplanar"]["status"] == "error"
    assert "MemoryError" in table["memoria", "ex01.aplanar"]["message"]
    assert _points(table, "memoria") == (7, 10)


def test_a_dead_kernel_keeps_earlier_points_and_marks_the_rest_crashed(adversarial):
    table, _, _ = adversarial
    assert [
        table["caida", p]["status"] for p in ("ex01.dimensiones", "ex01.aplanar", "ex01.broadcast", "ex01.grad_fn")
    ] == [
        "passed",
        "passed",
        "crashed",
        "crashed",
    ]


def test_unreadable_and_unknown_files_get_rows_not_tracebacks(adversarial):
    table, _, _ = adversarial
    assert {row["status"] for (student, _), row in table.items() if student == "roto"} == {"unreadable"}
    assert table["otro", "-"]["status"] == "unknown"


def test_the_batch_finishes_in_bounded_time_with_a_summary(adversarial):
    _, printed, elapsed = adversarial
    assert elapsed < 120
    assert "Resumen de notas" in printed
    summary = printed.split("Resumen de notas", 1)[1]
    assert "impostor" in summary and "ex01" in summary and "0/10" in summary


# ----------------------------------------------------------------------------- the pieces, without kernels


def test_plan_restores_check_cells_in_place_and_after_their_neighbours():
    steps = plan(editor(), read(EXERCISES, "ex03_grafo"))
    checks = [step.check_id for step in steps if isinstance(step, CheckStep)]
    assert checks == ["ex03.locales", "ex03.gradientes", "ex03.propia"]
    order = [step.check_id if isinstance(step, CheckStep) else step.source.split("(")[0] for step in steps]
    assert order.index("ex03.propia") == order.index("def mi_expresion") + 1
    assert any(
        isinstance(s, CodeStep) and "lambda x, y: {" in s.source for s in steps
    )  # the disguised cell runs as code


def test_only_payloads_signed_with_the_key_count():
    import hashlib
    import hmac

    payload = json.dumps({"check_id": "ex01.rangos", "status": "passed"})
    good = hmac.new(b"key", payload.encode(), hashlib.sha256).hexdigest()
    run = CellRun("ok", payloads=[{"payload": payload, "signature": "0" * 64}, "junk"])
    assert _verified(run, b"key", "ex01.rangos") is None
    run.payloads.append({"payload": payload, "signature": good})
    assert _verified(run, b"key", "ex01.rangos") == {"check_id": "ex01.rangos", "status": "passed"}
    assert _verified(run, b"key", "ex01.imagen") is None


def test_submission_folders_are_searched_and_checkpoints_skipped(tmp_path):
    _write(read(EXERCISES, "ex01_tensores"), tmp_path / "ana", "ex01_tensores")
    _write(read(EXERCISES, "ex01_tensores"), tmp_path / "ana" / ".ipynb_checkpoints", "ex01_tensores")
    assert submission_paths([tmp_path]) == [tmp_path / "ana" / "ex01_tensores.ipynb"]
