"""``autograd-lab grade``: full points for the solutions and none for the untouched exercises, with and without the
sandbox; and for every way a submission can try to cheat or break the grader, zero points for the cheat, the
other students' grades unchanged, a CSV for the batch, in bounded time.

Four batches run once per module: the regular notebooks under bubblewrap and without a sandbox (2 workers),
and the adversarial ones, with short timeouts and a small memory budget, under bubblewrap (2 workers) and
without a sandbox (1 worker: there, kernels graded at the same time could reach each other).  Each adversarial
batch ends with an honest student graded after the attacks.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from course_notebooks import EXERCISES, ROOT, SOLUTIONS, STEMS, read

from autograd_lab.cli import main
from autograd_lab.course.checks import CHECKS, exercise_parts
from autograd_lab.course.grade import Job, Limits, Row, accept_rows, escape_cell, grade_all, plan_jobs
from autograd_lab.course.checks.core import evaluate
from autograd_lab.course.grading import channel, sandbox
from autograd_lab.course.grading.notebook import CheckStep, CodeStep, parse, plan

ADVERSARIAL_LIMITS = ["--cell-timeout", "4", "--timeout", "40", "--memory-mb", "300"]
# without a sandbox kernels graded at the same time could reach each other (the grader warns): one at a time
JOBS = {"bwrap": ["--jobs", "2"], "none": ["--jobs", "1"]}
TOTAL = sum(spec.points for spec in CHECKS.values())
HONEST = "zz_honesta"  # sorts last: graded after every attack
HONEST_STEMS = ("ex01_tensores", "ex03_grafo", "ex04_funciones")

if sandbox.bwrap_problem():  # the machines that run these tests have bubblewrap (Makefile, .ci/run)
    raise RuntimeError(f"the grader tests need bubblewrap: {sandbox.bwrap_problem()}")

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


IMPORTS = "from autograd_lab.course.checks import"


def impostor() -> nbformat.NotebookNode:
    """The untouched exercise, plus fake success everywhere: prints, HTML, a redefined check, forged payloads."""
    nb = read(EXERCISES, "ex01_tensores")
    forged = json.dumps({"check_id": "ex01.aplanar", "status": "passed", "points": 3, "message": "correcto"})
    _insert_after(
        nb,
        IMPORTS,
        "from IPython.display import HTML, display\n"
        "print('[ex01.dimensiones] ✔ correcto · 1/1 puntos')\n"
        "display(HTML('<b>✔ Todo correcto: 10/10 puntos</b>'))\n"
        "check = lambda *args: '✔ correcto · 10/10 puntos'\n"
        "progress = lambda: 'ex01 · Tensores: 10/10 puntos'",
    )
    nb.cells[_cell_index(nb, "def aplanar")].source = (
        "def aplanar(x):\n"
        f"    display({{'application/vnd.autograd-lab.grade+json': {forged!r}}}, raw=True)\n"
        "    print('correcto')\n"
        "    raise NotImplementedError"
    )
    return nb


def always_equal() -> nbformat.NotebookNode:
    """Every answer is an object whose == always says True."""
    nb = read(EXERCISES, "ex01_tensores")
    _insert_after(
        nb,
        IMPORTS,
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
    _insert_after(nb, IMPORTS, "while True:\n    pass")
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
    _insert_after(nb, IMPORTS, "enorme = bytearray(64 * 2**30)")
    nb.cells[
        _cell_index(nb, "def aplanar")
    ].source = "def aplanar(x):\n    bloques = []\n    while True:\n        bloques.append(bytearray(50 * 2**20))"
    return nb


def crashing() -> nbformat.NotebookNode:
    """ex01 solved, but the kernel kills itself after the second check."""
    nb = read(SOLUTIONS, "ex01_tensores")
    _insert_after(nb, 'check("ex01.aplanar"', "import os\nos.kill(os.getpid(), 9)")
    return nb


PIPES = """
import os


def _padre_de(pid):
    try:
        return int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def _es_trabajador(pid):
    try:
        return b"grading.worker" in open(f"/proc/{pid}/cmdline", "rb").read()
    except OSError:
        return False


def _tubos(pid):
    encontrados = {}
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            destino = os.readlink(f"/proc/{pid}/fd/{fd}")
            if destino.startswith("pipe:"):
                encontrados[f"/proc/{pid}/fd/{fd}"] = destino
    except OSError:
        pass
    return encontrados


def _tuberias():
    # every pipe of the grader's workers (this kernel's parent and the other workers), from both ends
    padre = os.getppid()
    abuelo = _padre_de(padre)
    hermanos = [int(p) for p in os.listdir("/proc") if p.isdigit() and _es_trabajador(p) and _padre_de(p) == abuelo]
    rutas = {"/proc/self/fd/1": ""}
    for pid in hermanos:
        rutas.update(_tubos(pid))
    suyos = set(rutas.values())
    rutas.update({ruta: destino for ruta, destino in _tubos(abuelo).items() if destino in suyos})
    return list(rutas)


def _escribir(datos):
    escritos = 0
    for ruta in _tuberias():
        try:
            fd = os.open(ruta, os.O_WRONLY | os.O_NONBLOCK)
            try:
                os.write(fd, datos)
                escritos += 1
            finally:
                os.close(fd)
        except OSError:
            pass
    return escritos
"""

FORGE = (
    PIPES
    + """
import json
partes = ["ex01.dimensiones", "ex01.aplanar", "ex01.broadcast", "ex01.grad_fn"]
falsas = [json.dumps(["rows", [{"student": "forjador", "exercise": "ex01_tensores", "part": p, "points": 99,
                                "max_points": 99, "status": "passed", "message": "ok"} for p in partes]])]
falsas += [json.dumps(["rows", [{"student": "HONESTA", "exercise": "ex01_tensores", "part": p, "points": 0,
                                 "max_points": 2, "status": "failed", "message": "x"} for p in partes]])]
for trabajo in range(1, 60):
    for parte in partes:
        valor = {"part": parte, "status": "passed", "message": ""}
        cuerpo = json.dumps({"kind": "row", "job": trabajo, "value": valor})
        falsas.append(json.dumps({"body": cuerpo, "mac": "0" * 64}))
    falsas.append(json.dumps({"body": json.dumps({"kind": "done", "job": trabajo, "value": 4}), "mac": "0" * 64}))
print(_escribir(("\\n" + "\\n".join(falsas) + "\\n").encode()))
""".replace("HONESTA", HONEST)
)


def forger() -> nbformat.NotebookNode:
    """The untouched ex01 plus unsigned and wrongly signed result lines written to every stdout it can reach, for
    itself and against the honest student."""
    nb = read(EXERCISES, "ex01_tensores")
    _insert_after(nb, IMPORTS, FORGE)
    return nb


MALFORMED = (
    PIPES
    + """
basuras = [b'["rows", 0]\\n', b'\\x00\\xff garbage\\n', b'{"body": 1, "mac": 2}\\n', b'x' * (6 * 2**20),
           b'[' * 100000 + b'\\n', b'\\n\\n', b'{"body": "{\\\\"kind\\\\": \\\\"done\\\\"', b'partial, no newline']
for basura in basuras:
    _escribir(basura)
"""
)


def malformed() -> nbformat.NotebookNode:
    """The untouched ex01 that writes malformed lines (TypeError-shaped, binary junk, 6 MB, unfinished) into every
    pipe it can reach."""
    nb = read(EXERCISES, "ex01_tensores")
    _insert_after(nb, IMPORTS, MALFORMED)
    return nb


def tamperer(release: Path) -> nbformat.NotebookNode:
    """The untouched ex01 that rewrites every check cell of the release on disk (``release`` is where it is)."""
    nb = read(EXERCISES, "ex01_tensores")
    _insert_after(
        nb,
        IMPORTS,
        "import json, pathlib\n"
        f"for ruta in pathlib.Path({str(release)!r}).glob('*.ipynb'):\n"
        "    try:\n"
        "        nb = json.loads(ruta.read_text())\n"
        "        for celda in nb['cells']:\n"
        "            if 'autograd_lab' in celda.get('metadata', {}):\n"
        "                celda['source'] = 'check(\"ex01.dimensiones\", None, None, None, None, None)'\n"
        "        ruta.write_text(json.dumps(nb))\n"
        "    except Exception:\n"
        "        pass",
    )
    return nb


REGISTRY_PATCH = (
    "import autograd_lab.course.checks.core as core\n"
    "core.close = lambda *a, **k: True\n"
    "for clave, spec in list(core.CHECKS.items()):\n"
    "    core.CHECKS[clave] = type(spec)(clave, 100, lambda trial, *a: None)"
)


def patcher(patch: str = "") -> nbformat.NotebookNode:
    """ex06 with wrong answers, after patching numpy's and math's comparisons (and ``patch``)."""
    nb = read(EXERCISES, "ex06_capas")
    _insert_after(
        nb,
        IMPORTS,
        "import math\n"
        "import numpy as np\n"
        "np.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda *a, **k: np.True_\n"
        "np.array_equal = lambda *a, **k: True\n"
        "math.isclose = lambda *a, **k: True\n" + patch,
    )
    for name, body in (
        ("def softmax", "def softmax(z):\n    return z"),
        ("def entropia_cruzada", "def entropia_cruzada(z, y):\n    return 0.0"),
        ("def grad_logits", "def grad_logits(z, y):\n    return z"),
        ("def gradientes", "def gradientes(x, W, b, y):\n    return W, b"),
    ):
        nb.cells[_cell_index(nb, name)].source = body
    return nb


THIEF = (
    PIPES
    + """
import gc, hashlib, hmac, json, re
candidatas = set()
padre = os.getppid()
for fuente in ("/proc/self/environ", f"/proc/{padre}/environ", f"/proc/{padre}/cmdline", "/proc/self/cmdline"):
    try:
        candidatas.update(re.findall(rb"[0-9a-f]{64}", open(fuente, "rb").read()))
    except OSError:
        pass
for ruta in _tuberias():
    try:
        fd = os.open(ruta, os.O_RDONLY | os.O_NONBLOCK)
        try:
            candidatas.update(re.findall(rb"[0-9a-f]{64}", os.read(fd, 1 << 16)))
        finally:
            os.close(fd)
    except OSError:
        pass
for objeto in gc.get_objects():
    if isinstance(objeto, (bytes, bytearray)) and len(objeto) == 32:
        candidatas.add(bytes(objeto).hex().encode())
    elif isinstance(objeto, str) and re.fullmatch(r"[0-9a-f]{64}", objeto):
        candidatas.add(objeto.encode())
partes = ["ex01.dimensiones", "ex01.aplanar", "ex01.broadcast", "ex01.grad_fn"]
lineas = []
for clave in list(candidatas)[:100]:
    for trabajo in range(1, 40):
        mensajes = [{"kind": "row", "job": trabajo, "value": {"part": p, "status": "passed", "message": ""}}
                    for p in partes] + [{"kind": "done", "job": trabajo, "value": 4}]
        for mensaje in mensajes:
            cuerpo = json.dumps(mensaje)
            firma = hmac.new(bytes.fromhex(clave.decode()), cuerpo.encode(), hashlib.sha256).hexdigest()
            lineas.append(json.dumps({"body": cuerpo, "mac": firma}))
_escribir(("\\n" + "\\n".join(lineas) + "\\n").encode())
"""
)


def thief() -> nbformat.NotebookNode:
    """The untouched ex01 that looks for a key (environment, command lines, the worker's stdin, its own memory) and
    signs forged results with every candidate."""
    nb = read(EXERCISES, "ex01_tensores")
    _insert_after(nb, IMPORTS, THIEF)
    return nb


SPY = """
import sys

def _espiar(*nombres):
    marco = sys._getframe(1)
    while marco is not None:
        for nombre, valor in list(marco.f_locals.items()):
            if type(valor).__name__ == "CheckSpec":
                object.__setattr__(valor, "points", 100)
            if nombre in nombres:
                return valor
        marco = marco.f_back
    return None
"""


def registrar() -> nbformat.NotebookNode:
    """ex06 with wrong answers, after rewriting the check registry the kernel has (and numpy's comparisons)."""
    return patcher(REGISTRY_PATCH)


def spy() -> nbformat.NotebookNode:
    """ex06 whose functions walk the call stack for the reference answers (and the registry's points)."""
    nb = read(EXERCISES, "ex06_capas")
    _insert_after(nb, IMPORTS, SPY)
    for name, body in (
        ("def softmax", "def softmax(z):\n    return _espiar('expected', 'reference', 'esperado')"),
        ("def entropia_cruzada", "def entropia_cruzada(z, y):\n    return _espiar('expected', 'reference')"),
        ("def grad_logits", "def grad_logits(z, y):\n    return _espiar('expected', 'reference', 'wanted')"),
        ("def gradientes", "def gradientes(x, W, b, y):\n    return _espiar('expected_dW'), _espiar('expected_db')"),
    ):
        nb.cells[_cell_index(nb, name)].source = body
    return nb


def predictor() -> nbformat.NotebookNode:
    """ex04 that fixes every source of randomness in its kernel and hands in a table of the answers to the inputs
    it saw in the notebook."""
    nb = read(EXERCISES, "ex04_funciones")
    _insert_after(
        nb,
        IMPORTS,
        "import os, random, secrets\n"
        "secrets.randbits = lambda k: 0\n"
        "os.urandom = lambda n: bytes(n)\n"
        "random.seed(0)\n"
        "_generador = np.random.default_rng\n"
        "np.random.default_rng = lambda *a, **k: _generador(0)\n"
        "memoria = {}\n"
        "def _visto(grad, forma):\n"
        "    suma = grad\n"
        "    while suma.ndim > len(forma):\n"
        "        suma = suma.sum(axis=0)\n"
        "    for eje, n in enumerate(forma):\n"
        "        if n == 1:\n"
        "            suma = suma.sum(axis=eje, keepdims=True)\n"
        "    memoria[grad.tobytes(), tuple(forma)] = suma\n"
        "    return suma\n"
        "check('ex04.unbroadcast', _visto)",
    )
    nb.cells[
        _cell_index(nb, "def unbroadcast")
    ].source = "def unbroadcast(grad, forma):\n    return memoria.get((grad.tobytes(), tuple(forma)), np.zeros(forma))"
    return nb


def _replace_definitions(nb, sources: dict[str, str]) -> None:
    """Replace the cell that defines each class (``class Mul(Function)``) by the given code."""
    for name, source in sources.items():
        nb.cells[_cell_index(nb, f"class {name}(Function)")].source = source


def borrower() -> nbformat.NotebookNode:
    """ex04 whose answers are the library's: imported, aliased, subclassed."""
    nb = read(EXERCISES, "ex04_funciones")
    _insert_after(nb, IMPORTS, "import autograd_lab.ops as ops")
    nb.cells[_cell_index(nb, "def unbroadcast")].source = "from autograd_lab.ops import unbroadcast"
    _replace_definitions(
        nb,
        {
            "Add": "from autograd_lab.ops import Add",
            "Mul": "Mul = torch.ops.Mul",
            "Softplus": "class Softplus(ops.Exp):\n    pass",
            "MatMul": "from autograd_lab.ops import *",
        },
    )
    return nb


SOLUTIONS_READER = """
import json, pathlib, autograd_lab
encontrado = ""
for base in (pathlib.Path(autograd_lab.__file__).resolve().parents[1], pathlib.Path.cwd(), pathlib.Path("/")):
    for ruta in list(base.glob("solutions/ex04_funciones.ipynb")) + list(base.glob("*/solutions/ex04_funciones.ipynb")):
        encontrado = ruta.read_text()
        break
    if encontrado:
        break
if encontrado:
    fuente = [c["source"] for c in json.loads(encontrado)["cells"] if c["cell_type"] == "code"]
    fuente = ["".join(s) if isinstance(s, list) else s for s in fuente]
    exec("\\n".join(s for s in fuente if "check(" not in s and "progress()" not in s), globals())
    pathlib.Path("/tmp/solucion_ex04.py").write_text("\\n".join(s for s in fuente if "check(" not in s))
"""


def solutions_reader() -> nbformat.NotebookNode:
    """ex04 that finds the solution notebook next to the installed package and runs its code as its own."""
    nb = read(EXERCISES, "ex04_funciones")
    _insert_after(nb, IMPORTS, SOLUTIONS_READER)
    _replace_definitions(nb, dict.fromkeys(("Add", "Mul", "Softplus", "MatMul"), "pass"))
    nb.cells[_cell_index(nb, "def unbroadcast")].source = "pass"
    return nb


def formula() -> nbformat.NotebookNode:
    """ex01 whose function raises an error whose message is a spreadsheet formula."""
    nb = read(EXERCISES, "ex01_tensores")
    nb.cells[
        _cell_index(nb, "def aplanar")
    ].source = 'def aplanar(x):\n    raise ValueError(\'=HYPERLINK("http://example.com", "ver")\')'
    return nb


def evasor() -> nbformat.NotebookNode:
    """ex06's NumPy-only parts computed by the library's LogSoftmax, called without ``apply`` (which the kernel
    counts) and hidden from a simple reading: a helper bound after the answer, a dict, a patched numpy, a
    function that rebinds the answer when called."""
    nb = read(EXERCISES, "ex06_capas")
    _insert_after(nb, IMPORTS, "class _Ctx:\n    def save_for_backward(self, *tensors):\n        pass")
    nb.cells[_cell_index(nb, "def softmax")].source = "def softmax(z):\n    return np.exp(_lsm(z))"
    _insert_after(nb, "def softmax", "_lsm = lambda z: torch.ops.LogSoftmax.forward(_Ctx(), z, 1)")
    nb.cells[_cell_index(nb, "def entropia_cruzada")].source = (
        "caja = {}\n"
        "caja['lsm'] = torch.ops.LogSoftmax.forward\n"
        "def entropia_cruzada(z, y):\n"
        "    lp = caja['lsm'](_Ctx(), z, 1)\n"
        "    return -lp[np.arange(len(y)), y].mean()"
    )
    nb.cells[_cell_index(nb, "def grad_logits")].source = (
        "np.softmax_estable = lambda z: np.exp(torch.ops.LogSoftmax.forward(_Ctx(), z, 1))\n"
        "def grad_logits(z, y):\n"
        "    s = np.softmax_estable(z)\n"
        "    s[np.arange(len(y)), y] -= 1\n"
        "    return s / len(y)"
    )
    nb.cells[_cell_index(nb, "def gradientes")].source = (
        "def gradientes(x, W, b, y):\n"
        "    raise NotImplementedError\n"
        "def _preparar():\n"
        "    global gradientes\n"
        "    def gradientes(x, W, b, y):\n"
        "        dz = np.exp(torch.ops.LogSoftmax.forward(_Ctx(), x @ W.T + b, 1))\n"
        "        dz[np.arange(len(y)), y] -= 1\n"
        "        dz /= len(y)\n"
        "        return dz.T @ x, dz.sum(axis=0)\n"
        "_preparar()"
    )
    return nb


def mixed() -> nbformat.NotebookNode:
    """ex06 solved, but for two parts: one hands in the library it forbids, one the checks' reference answer."""
    nb = read(SOLUTIONS, "ex06_capas")
    nb.cells[_cell_index(nb, "def entropia_cruzada")].source = (
        "def entropia_cruzada(z, y):\n"
        "    return torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor(y)).item()"
    )
    nb.cells[_cell_index(nb, "def gradientes")].source = (
        "from autograd_lab.course.checks.ex06_capas import reference_gradients\n"
        "def gradientes(x, W, b, y):\n"
        "    return reference_gradients(x, W, b, y)"
    )
    return nb


def string_metadata() -> nbformat.NotebookNode:
    """ex03 solved, with a string where a cell's autograd_lab metadata should be a dict."""
    nb = read(SOLUTIONS, "ex03_grafo")
    nb.cells[_cell_index(nb, "def derivadas_locales")].metadata["autograd_lab"] = "texto"
    return nb


# student -> (stem, build); the release-tampering one is built with the release's path
ATTACKS = {
    "forjador": ("ex01_tensores", forger),
    "malformado": ("ex01_tensores", malformed),
    "parcheador": ("ex06_capas", patcher),
    "registro": ("ex06_capas", registrar),
    "ladron": ("ex01_tensores", thief),
    "espia": ("ex06_capas", spy),
    "adivino": ("ex04_funciones", predictor),
    "prestado": ("ex04_funciones", borrower),
    "evasor": ("ex06_capas", evasor),
    "lector": ("ex04_funciones", solutions_reader),
    "=1+2": ("ex01_tensores", formula),
    "metadatos": ("ex03_grafo", string_metadata),
    "mezcla": ("ex06_capas", mixed),
    "impostor": ("ex01_tensores", impostor),
    "siempre_igual": ("ex01_tensores", always_equal),
    "editor": ("ex03_grafo", editor),
    "bucle": ("ex01_tensores", looping),
    "terco": ("ex02_gradientes", stubborn),
    "memoria": ("ex01_tensores", memory_bomb),
    "caida": ("ex01_tensores", crashing),
}
CHEATS = ["forjador", "malformado", "parcheador", "registro", "ladron", "espia", "adivino", "prestado", "evasor"]
CHEATS += ["lector", "'=1+2", "manipulador", "impostor", "siempre_igual", "doble"]


def _table(rows) -> dict[tuple[str, str], dict[str, str]]:
    return {(row["student"], row["part"]): row for row in rows if row["status"] != "duplicate"}


def _points(table, student: str) -> tuple[int, int]:
    rows = [row for (name, _), row in table.items() if name == student]
    return sum(int(row["points"]) for row in rows), sum(int(row["max"]) for row in rows)


def _leftovers() -> list[str]:
    """The grader's processes (workers, kernels, sandboxes) still running below this test process."""
    found = []
    for process in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            command = " ".join(process.cmdline())
            if "autograd_lab.course.grading" in command or "bwrap" in command:
                found.append(command[:120])
    return found


# ----------------------------------------------------------------------------- the batches


@pytest.fixture(scope="module", params=["bwrap", "none"])
def regular(request, tmp_path_factory) -> dict[tuple[str, str], dict[str, str]]:
    root = tmp_path_factory.mktemp(f"regular-{request.param}")
    paths = [_write(read(SOLUTIONS, stem), root / "solucion", stem) for stem in STEMS]
    paths += [_write(read(EXERCISES, stem), root / "sin_hacer", stem) for stem in STEMS]
    limits = Limits(cell_timeout=120, total_timeout=400, memory_mb=2048)
    rows = grade_all(paths, EXERCISES, limits, jobs=2, sandboxed=request.param == "bwrap")
    assert _leftovers() == []
    return _table([{**row.__dict__, "max": row.max_points} for row in rows])


@pytest.fixture(scope="module", params=["bwrap", "none"])
def adversarial(request, tmp_path_factory):
    mode = request.param
    root = tmp_path_factory.mktemp(f"adversarial-{mode}")
    release = root / "release"
    release.mkdir()
    for path in EXERCISES.glob("*.ipynb"):
        (release / path.name).write_bytes(path.read_bytes())
    before = {path.name: path.read_bytes() for path in release.glob("*.ipynb")}
    submissions = root / "entregas"
    for student, (stem, build) in ATTACKS.items():
        _write(build(), submissions / student, stem)
    _write(tamperer(release), submissions / "manipulador", "ex01_tensores")
    _write(read(EXERCISES, "ex01_tensores"), submissions / "doble", "ex01_tensores")
    _write(read(SOLUTIONS, "ex01_tensores"), submissions / "doble", "ex01_tensores_copia")
    _write(read(SOLUTIONS, "ex01_tensores"), submissions / "doble", "doble_ex01 (2)")
    (submissions / "roto").mkdir()
    (submissions / "roto" / "ex01_tensores.ipynb").write_text("esto no es json", encoding="utf-8")
    _write(read(EXERCISES, "ex01_tensores"), submissions / "otro", "apuntes")
    for stem in HONEST_STEMS:
        _write(read(SOLUTIONS, stem), submissions / HONEST, stem)
    out = root / "grades.csv"
    printed, warned = io.StringIO(), io.StringIO()
    started = time.monotonic()
    arguments = ["grade", str(submissions), "--out", str(out), "--release", str(release), "--sandbox", mode]
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(warned):
        code = main([*arguments, *ADVERSARIAL_LIMITS, *JOBS[mode]])
    elapsed = time.monotonic() - started
    assert code == 0
    assert _leftovers() == []
    text = out.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    tampered = any(path.read_bytes() != before[path.name] for path in release.glob("*.ipynb"))
    return {
        "mode": mode,
        "table": _table(rows),
        "rows": rows,
        "csv": text,
        "printed": printed.getvalue(),
        "warned": warned.getvalue(),
        "elapsed": elapsed,
        "tampered": tampered,
    }


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


# ----------------------------------------------------------------------------- every attack: zero, others unchanged


def test_every_cheat_earns_nothing_and_the_honest_student_keeps_full_points(adversarial):
    table = adversarial["table"]
    for student in CHEATS:
        if any(name == student for name, _ in table):
            assert _points(table, student)[0] == 0, (student, [r for (n, _), r in table.items() if n == student])
    assert _points(table, HONEST) == (30, 30)
    assert {row["status"] for (name, _), row in table.items() if name == HONEST} == {"passed"}


def test_the_batch_finishes_in_bounded_time_with_a_csv_and_a_summary(adversarial):
    assert adversarial["elapsed"] < 300
    assert "Resumen de notas" in adversarial["printed"]
    assert adversarial["csv"].startswith("student,exercise,part,points,max,status,message")
    students = {row["student"] for row in adversarial["rows"]}
    assert {"forjador", "ladron", HONEST, "manipulador"} <= students


def test_forged_and_malformed_lines_are_ignored(adversarial):
    table = adversarial["table"]
    # without a sandbox the lines reached the channel and were refused; in the sandbox they cannot reach it
    assert ("ignored" in adversarial["warned"]) is (adversarial["mode"] == "none"), adversarial["warned"]
    # without a sandbox its junk also reached its own kernel's pipes, which ended its own grading
    expected = {"pending"} if adversarial["mode"] == "bwrap" else {"crashed"}
    assert {table["forjador", part]["status"] for part in ("ex01.dimensiones", "ex01.aplanar")} == expected
    assert _points(table, "malformado") == (0, 10)
    assert int(table["forjador", "ex01.aplanar"]["max"]) == 3


def test_a_stolen_key_signs_nothing(adversarial):
    table = adversarial["table"]
    # it reads the kernel's memory with gc.get_objects: nothing after that counts; without a sandbox its junk
    # also reached its own kernel's pipes, which ended its own grading first
    expected = {"rejected"} if adversarial["mode"] == "bwrap" else {"crashed"}
    assert {row["status"] for (name, _), row in table.items() if name == "ladron"} == expected
    assert _points(table, "ladron") == (0, 10)


def test_tampering_with_the_release_changes_no_one_elses_grading(adversarial):
    table = adversarial["table"]
    assert _points(table, "manipulador") == (0, 10)
    assert table[HONEST, "ex01.dimensiones"]["status"] == "passed"
    # without a sandbox the release on disk was rewritten, and still did not matter; in the sandbox it is not there
    assert adversarial["tampered"] is (adversarial["mode"] == "none")


EX06 = ("ex06.softmax", "ex06.entropia", "ex06.derivada", "ex06.gradientes")


def test_patched_comparisons_change_nothing_and_a_patched_registry_is_rejected(adversarial):
    table = adversarial["table"]
    assert {table["parcheador", p]["status"] for p in EX06} == {"failed"}  # compared in the worker, not the kernel
    assert _points(table, "parcheador") == (0, 10)
    assert {table["registro", p]["status"] for p in EX06} == {"rejected"}
    assert "autograd_lab.course.checks.core" in table["registro", "ex06.softmax"]["message"]
    assert _points(table, "registro") == (0, 10)


def test_walking_the_call_stack_is_rejected(adversarial):
    table = adversarial["table"]
    assert _points(table, "espia") == (0, 10)
    assert {table["espia", p]["status"] for p in EX06} == {"rejected"}
    message = table["espia", "ex06.softmax"]["message"]
    assert any(word in message for word in ("sys._getframe", ".f_locals", ".f_back")), message


def test_hidden_inputs_cannot_be_predicted_from_the_kernel(adversarial):
    row = adversarial["table"]["adivino", "ex04.unbroadcast"]
    assert (row["status"], row["points"]) == ("failed", "0")


def test_library_classes_are_rejected_and_the_row_says_so(adversarial):
    table = adversarial["table"]
    for part in ("ex04.unbroadcast", "ex04.broadcast", "ex04.softplus", "ex04.matmul"):
        row = table["prestado", part]
        assert row["status"] == "rejected", row
        assert "autograd_lab.ops" in row["message"] or "biblioteca" in row["message"], row


def test_library_code_the_kernel_does_not_see_is_found_by_reading_the_notebook(adversarial):
    table = adversarial["table"]
    for part in EX06:
        row = table["evasor", part]
        assert row["status"] == "rejected" and "autograd_lab" in row["message"], row
    assert _points(table, "evasor") == (0, 10)


def test_the_notebooks_own_check_does_not_see_it(tmp_path):
    """What the reading is for: run in a notebook, the evasor's answers pass the checks (its calls go around the
    kernel's count of calls into the library)."""
    names: dict = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in evasor().cells:
            if cell.cell_type == "code" and "check(" not in cell.source and "progress()" not in cell.source:
                exec(cell.source, names)  # noqa: S102
    answers = {"ex06.softmax": ("softmax",), "ex06.entropia": ("entropia_cruzada",)}
    answers |= {"ex06.derivada": ("grad_logits",), "ex06.gradientes": ("gradientes",)}
    for part, needed in answers.items():
        outcome = evaluate(part, *(names[name] for name in needed), scope="full")
        assert outcome.status == "passed", outcome


def test_a_forbidden_module_or_a_reference_answer_costs_that_part_only_and_says_why(adversarial):
    table = adversarial["table"]
    status = {part: table["mezcla", part]["status"] for part in EX06}
    assert status == {
        "ex06.softmax": "passed",
        "ex06.entropia": "rejected",
        "ex06.derivada": "passed",
        "ex06.gradientes": "rejected",
    }
    assert "autograd_lab.nn.functional.cross_entropy" in table["mezcla", "ex06.entropia"]["message"]
    message = table["mezcla", "ex06.gradientes"]["message"]
    assert "reference_gradients" in message and "respuestas de referencia" in message, message
    assert _points(table, "mezcla") == (6, 10)


def test_the_solutions_folder_is_out_of_reach(adversarial):
    table = adversarial["table"]
    statuses = {table["lector", part]["status"] for part in ("ex04.unbroadcast", "ex04.broadcast", "ex04.matmul")}
    # the code it would run is built with exec: nothing after it counts (and in the sandbox the file is not there,
    # test_the_sandbox_sees_no_solutions_release_submissions_network_or_parent)
    assert statuses == {"rejected"}
    assert "exec()" in table["lector", "ex04.matmul"]["message"]
    assert _points(table, "lector") == (0, 10)


def test_formula_names_are_escaped_in_the_csv(adversarial):
    rows = list(csv.reader(io.StringIO(adversarial["csv"])))[1:]
    assert rows and all(cell == "-" or not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert any(row[0] == "'=1+2" for row in rows)


def test_duplicates_count_once_and_say_which(adversarial):
    rows = [row for row in adversarial["rows"] if row["student"] == "doble"]
    counted = [row for row in rows if row["status"] != "duplicate"]
    assert len(counted) == 4 and {row["status"] for row in counted} == {"pending"}  # the released name counts
    duplicates = [row for row in rows if row["status"] == "duplicate"]
    assert len(duplicates) == 2 and all("ex01_tensores.ipynb" in row["message"] for row in duplicates)
    assert "doble has 3 submissions of ex01_tensores" in adversarial["warned"]


def test_a_string_in_the_cell_metadata_does_not_make_the_notebook_unreadable(adversarial):
    assert _points(adversarial["table"], "metadatos") == (10, 10)


def test_without_a_sandbox_auto_would_warn_loudly(monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_problem", lambda: "bubblewrap (bwrap) is not installed")
    use, warning = sandbox.resolve("auto")
    assert use is False and "WITHOUT a sandbox" in warning
    with pytest.raises(sandbox.SandboxUnavailable):
        sandbox.resolve("bwrap")


# ----------------------------------------------------------------------------- notebooks that break the grader


def test_fake_success_prints_redefined_check_and_forged_payloads_earn_nothing(adversarial):
    table = adversarial["table"]
    assert _points(table, "impostor") == (0, 10)
    assert {table["impostor", part]["status"] for part in ("ex01.dimensiones", "ex01.aplanar")} == {"pending"}
    assert _points(table, "siempre_igual") == (0, 10)
    assert {row["status"] for (s, _), row in table.items() if s == "siempre_igual"} == {"failed"}


def test_edited_deleted_and_disguised_check_cells_are_restored(adversarial):
    table = adversarial["table"]
    status = {part: table["editor", part]["status"] for part in ("ex03.locales", "ex03.gradientes", "ex03.propia")}
    assert status == {"ex03.locales": "failed", "ex03.gradientes": "failed", "ex03.propia": "passed"}
    assert "Falta el camino directo" in table["editor", "ex03.gradientes"]["message"]
    assert _points(table, "editor") == (3, 10)


def test_endless_stubborn_memory_hungry_and_crashing_notebooks_cost_only_their_own_parts(adversarial):
    table = adversarial["table"]
    assert table["bucle", "ex01.aplanar"]["status"] == "timeout"
    assert {table["bucle", p]["status"] for p in ("ex01.dimensiones", "ex01.broadcast", "ex01.grad_fn")} == {"passed"}
    assert table["terco", "ex02.gradiente"]["status"] == "passed"
    for part in ("ex02.prediccion", "ex02.cero"):
        assert table["terco", part]["status"] == "timeout" and "no se detuvo" in table["terco", part]["message"]
    assert table["memoria", "ex01.aplanar"]["status"] == "error"
    assert "MemoryError" in table["memoria", "ex01.aplanar"]["message"]
    assert _points(table, "memoria") == (7, 10)
    parts = ("ex01.dimensiones", "ex01.aplanar", "ex01.broadcast", "ex01.grad_fn")
    statuses = [table["caida", p]["status"] for p in parts]
    assert statuses == ["passed", "passed", "crashed", "crashed"]
    assert {row["status"] for (s, _), row in table.items() if s == "roto"} == {"unreadable"}
    assert table["otro", "-"]["status"] == "unknown"


# ----------------------------------------------------------------------------- partial results survive Ctrl-C


def test_the_csv_is_written_as_each_job_finishes_and_survives_ctrl_c(tmp_path):
    for index in range(6):
        _write(read(EXERCISES, "ex01_tensores"), tmp_path / "entregas" / f"e{index}", "ex01_tensores")
    _write(read(SOLUTIONS, "ex01_tensores"), tmp_path / "entregas" / "lento", "ex01_tensores")
    out, scratch = tmp_path / "grades.csv", tmp_path / "tmp"
    scratch.mkdir()
    command = [sys.executable, "-m", "autograd_lab.cli", "grade", str(tmp_path / "entregas"), "--out", str(out)]
    process = subprocess.Popen(
        [*command, "--release", str(EXERCISES), "--jobs", "1", "--sandbox", "none"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and (not out.exists() or out.read_text().count("\n") < 5):
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) != 0
    assert list(scratch.iterdir()) == []  # no kernel folder left behind, though the workers were killed
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows and rows[0]["student"].startswith("e") and all(row["status"] == "pending" for row in rows)
    assert len(rows) < 7 * 4
    time.sleep(1)
    assert [
        p
        for p in psutil.process_iter(["cmdline"])
        if "grading.worker" in " ".join(p.info["cmdline"] or [])
        and p.info["cmdline"]
        and str(tmp_path) in " ".join(p.info["cmdline"])
    ] == []


# ----------------------------------------------------------------------------- the pieces, without kernels


def test_plan_restores_check_cells_in_place_and_after_their_neighbours():
    release = parse(json.dumps(read(EXERCISES, "ex03_grafo")))
    steps = plan(parse(json.dumps(editor())), release)
    checks = [step.check_id for step in steps if isinstance(step, CheckStep)]
    assert checks == ["ex03.locales", "ex03.gradientes", "ex03.propia"]
    order = [step.check_id if isinstance(step, CheckStep) else step.source.split("(")[0] for step in steps]
    assert order.index("ex03.propia") == order.index("def mi_expresion") + 1
    assert any(isinstance(s, CodeStep) and "lambda x, y: {" in s.source for s in steps)


def test_only_lines_signed_with_the_key_count():
    line = channel.sign(b"k" * 32, "rows", 3, [1])
    assert channel.verify(b"k" * 32, line) == {"kind": "rows", "job": 3, "value": [1]}
    assert channel.verify(b"x" * 32, line) is None
    for junk in (b'["rows", 0]', b"\xff", b'{"body": 1, "mac": 2}', b"[" * 10000, line.replace(b"3", b"4")):
        assert channel.verify(b"k" * 32, junk) is None


def test_the_parent_accepts_only_its_jobs_parts_once_each_with_points_from_its_registry():
    job = Job(0, Path("a/ex01_tensores.ipynb"), "ana", "ex01_tensores", ["ex01.aplanar", "ex01.broadcast"])
    good = [
        {"part": "ex01.aplanar", "status": "passed", "message": ""},
        {"part": "ex01.broadcast", "status": "failed", "message": "x"},
    ]
    rows = accept_rows(job, good)
    assert rows == [
        Row("ana", "ex01_tensores", "ex01.aplanar", 3, 3, "passed", ""),
        Row("ana", "ex01_tensores", "ex01.broadcast", 0, 3, "failed", "x"),
    ]
    for bad in (
        good[:1],
        [good[0], good[0]],
        [good[0], {**good[1], "part": "ex04.matmul"}],
        [good[0], {**good[1], "status": "excellent"}],
        [good[0], {**good[1], "message": 3}],
    ):
        assert accept_rows(job, bad) is None


def test_formula_cells_are_escaped():
    assert [escape_cell(s) for s in ("=1+2", "+1", "-1", "@A1", "\tx", "ana", "3 = 3")] == [
        "'=1+2",
        "'+1",
        "'-1",
        "'@A1",
        "'\tx",
        "ana",
        "3 = 3",
    ]


def test_duplicates_prefer_the_released_name_then_the_newest(tmp_path):
    release = {"ex01_tensores": [], "ex04_funciones": []}
    older = _write(read(EXERCISES, "ex01_tensores"), tmp_path / "ana", "ana_ex01")
    newer = _write(read(EXERCISES, "ex01_tensores"), tmp_path / "ana", "ex01 final")
    os.utime(older, (1, 1))
    warnings: list[str] = []
    jobs, known = plan_jobs([older, newer], release, warnings.append)
    assert [job.path for job in jobs] == [newer] and known[0][0].status == "duplicate"
    assert "ex01 final.ipynb" in known[0][0].message and "grading" in warnings[0]


def test_the_string_metadata_notebook_parses():
    cells = parse(json.dumps(string_metadata()))
    assert all(cell["check"] in ("",) or isinstance(cell["check"], str) for cell in cells)


def test_the_sandbox_sees_no_solutions_release_submissions_network_or_parent(tmp_path):
    secret = tmp_path / "entregas" / "otra" / "ex01_tensores.ipynb"
    secret.parent.mkdir(parents=True)
    secret.write_text("{}")
    probe = (
        "import os, socket, sys\n"
        "print(os.path.exists(sys.argv[1]), os.path.exists(sys.argv[2]), os.path.exists(sys.argv[3]))\n"
        "print(sorted(p for p in os.listdir('/proc') if p.isdigit()))\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 53), timeout=2)\n"
        "    print('net')\n"
        "except OSError:\n"
        "    print('no net')\n"
        "try:\n"
        "    open(sys.argv[4] + '/x', 'w')\n"
        "    print('wrote')\n"
        "except OSError:\n"
        "    print('read-only')\n"
        "import autograd_lab\n"
        "print('imported')\n"
    )
    argv = [sys.executable, "-c", probe, str(SOLUTIONS), str(EXERCISES), str(secret), sandbox.package_dir()]
    done = subprocess.run(sandbox.bwrap_command(argv), capture_output=True, text=True, timeout=120, check=False)
    lines = done.stdout.splitlines()
    assert lines[0] == "False False False", done.stderr
    assert len(eval(lines[1])) <= 3  # its own processes only
    assert lines[2:] == ["no net", "read-only", "imported"]


# ----------------------------------------------------------------------------- the same grades every run


def recorder(log: Path) -> nbformat.NotebookNode:
    """The solution of ex01, whose ``aplanar`` also writes down every input the check hands it."""
    nb = read(SOLUTIONS, "ex01_tensores")
    cell = nb.cells[_cell_index(nb, "def aplanar")]
    cell.source = cell.source.replace(
        "    return x.reshape(", f"    open({str(log)!r}, 'a').write(repr(x.tolist()) + '\\n')\n    return x.reshape("
    )
    return nb


def test_the_same_seed_draws_the_same_hidden_inputs_and_gives_the_same_grades(tmp_path):
    log = tmp_path / "entradas.txt"
    _write(recorder(log), tmp_path / "entregas" / "ana", "ex01_tensores")
    seen, grades = [], []
    for seed in ("curso-2026", "curso-2026", "otra"):
        out, printed = tmp_path / f"{len(seen)}.csv", io.StringIO()
        arguments = ["grade", str(tmp_path / "entregas"), "--out", str(out), "--release", str(EXERCISES)]
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
            assert main([*arguments, "--sandbox", "none", "--jobs", "1", "--seed", seed]) == 0
        assert f"seed {seed}: --seed {seed} grades these notebooks again" in printed.getvalue()
        grades.append([(row["part"], row["points"]) for row in csv.DictReader(out.open(encoding="utf-8"))])
        seen.append(log.read_text(encoding="utf-8"))
        log.unlink()
    assert seen[0].count("\n") > 3  # the hidden cases ran, and were written down
    assert seen[0] == seen[1] and grades[0] == grades[1]
    assert seen[2] != seen[0]  # another seed, other hidden inputs
    assert all(points == str(CHECKS[part].points) for part, points in grades[2])


def test_each_student_and_exercise_gets_inputs_of_their_own():
    from autograd_lab.course.grade import job_entropy

    draws = {job_entropy(seed, s, e) for seed in ("a", "b") for s in ("ana", "luis") for e in ("ex01", "ex02")}
    assert len(draws) == 8
    assert job_entropy("a", "ana", "ex01") == job_entropy("a", "ana", "ex01")
    assert all(0 <= draw < 2**64 for draw in draws)
