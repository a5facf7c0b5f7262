"""«Tu turno»: each lesson's formative check passes a right attempt, fails every wrong one with its hint, never
gives the answer away, and links to an exercise that exists."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import autograd_lab as torch
from autograd_lab import set_language
from autograd_lab.course.your_turn import NOT_YET, PENDING, RIGHT, TASKS, Verdict, your_turn

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"


@pytest.fixture(autouse=True)
def spanish():
    set_language("es")
    yield
    set_language("es")


def todo(*args):
    raise NotImplementedError


# ------------------------------------------------------------ right attempts, as a student would write them


def formato_pytorch(fotos):
    decimales = fotos.float() / 255
    return decimales.permute(0, 3, 1, 2)


def prediccion(f, x0, delta):
    x = torch.tensor(x0, requires_grad=True)
    y = f(x)
    y.backward()
    return y.item() + x.grad.item() * delta


def gradiente_a_mano(w, X, y):
    r = X @ w - y
    return 2 / len(y) * X.T @ r


def mitades(x):
    while x > 1:
        x = x / 2
    return x


def gradientes_e(a, b):
    de_da = a * b + b * a  # two paths
    de_db = a * a + 1
    return de_da, de_db


class Raiz(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x.sqrt()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output / (2 * y)


def mi_relu(x):
    activa = x > 0
    return x * activa


def paso_sgd(parametros, lr):
    with torch.no_grad():
        for p in parametros:
            p -= lr * p.grad
            p.grad = None


RIGHT_ANSWERS = {
    "01": formato_pytorch,
    "02": prediccion,
    "03": gradiente_a_mano,
    "04": mitades,
    "05": gradientes_e,
    "06": Raiz,
    "07": mi_relu,
    "08": paso_sgd,
}


# ------------------------------------------------------------ wrong attempts: (lesson, attempt, words of the hint)


def prediccion_real(f, x0, delta):
    return f(torch.tensor(x0 + delta)).item()


def prediccion_solo_cambio(f, x0, delta):
    x = torch.tensor(x0, requires_grad=True)
    f(x).backward()
    return x.grad.item() * delta


def prediccion_con_pendiente_fija(f, x0, delta):
    return f(torch.tensor(x0)).item() + delta


def mitades_tres_vueltas(x):
    for _ in range(3):
        x = x / 2
    return x


def mitades_entre_tres(x):
    while x > 1:
        x = x / 3
    return x


def mitades_sin_grafo(x):
    valor = x.item()
    while valor > 1:
        valor /= 2
    return torch.tensor(valor)


def mitades_con_detach(x):
    while x > 1:
        x = x.detach() / 2
    return x


class RaizSinGradOutput(Raiz):
    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return 1 / (2 * y)


class RaizSinMedio(Raiz):
    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output / y


class RaizPendiente(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad_output):
        raise NotImplementedError


def relu_sin_grafo(x):
    return torch.tensor(np.maximum(x.detach().numpy(), 0), requires_grad=True)


def paso_sin_no_grad(parametros, lr):
    for p in parametros:
        p -= lr * p.grad


def paso_reasignando(parametros, lr):
    for p in parametros:
        p = p - lr * p.grad  # noqa: PLW2901  (the mistake under test)


def paso_a_favor(parametros, lr):
    with torch.no_grad():
        for p in parametros:
            p += lr * p.grad
            p.grad = None


def paso_sin_lr(parametros, lr):
    with torch.no_grad():
        for p in parametros:
            p -= p.grad
            p.grad = None


def paso_sin_borrar(parametros, lr):
    with torch.no_grad():
        for p in parametros:
            p -= lr * p.grad


WRONG = [
    ("01", lambda fotos: (fotos.float() / 255).reshape(fotos.shape[0], 3, fotos.shape[1], fotos.shape[2]), "mezclados"),
    ("01", lambda fotos: (fotos.float() / 255).permute(0, 3, 2, 1), "(lote, canales, alto, ancho)"),
    ("01", lambda fotos: fotos.float() / 255, "(lote, canales, alto, ancho)"),
    ("01", lambda fotos: fotos.permute(0, 3, 1, 2), "uint8"),
    ("01", lambda fotos: fotos.double().permute(0, 3, 1, 2) / 255, "float64"),
    ("01", lambda fotos: fotos.float().permute(0, 3, 1, 2), "entre 0 y 1"),
    ("01", lambda fotos: fotos.numpy().transpose(0, 3, 1, 2) / 255, "debería devolver un tensor"),
    ("02", prediccion_real, "valor real"),
    ("02", prediccion_solo_cambio, "falta el punto de partida"),
    ("02", prediccion_con_pendiente_fija, "No coincide con lo que predice el gradiente"),
    ("02", lambda f, x0, delta: [1.0, 2.0], "un solo número"),
    ("03", lambda w, X, y: 2 / len(y) * X.T @ (y - X @ w), "signo cambiado"),
    ("03", lambda w, X, y: 1 / len(y) * X.T @ (X @ w - y), "constantes"),
    ("03", lambda w, X, y: 2 * X.T @ (X @ w - y), "constantes"),
    ("03", lambda w, X, y: 2 / len(y) * (X @ w - y) @ X @ X.T @ X, "regla de la cadena"),
    ("03", lambda w, X, y: 2 / len(y) * (X @ w - y), "forma"),
    ("03", lambda w, X, y: ((X @ w - y) ** 2).mean().backward(), "lanzó RuntimeError"),
    ("04", mitades_tres_vueltas, "mismo número de vueltas"),
    ("04", mitades_sin_grafo, "no recuerda las divisiones"),
    ("04", mitades_con_detach, "no recuerda las divisiones"),
    ("04", lambda x: x * 0.5, "mismo número de vueltas"),
    ("04", mitades_entre_tres, "mientras sea mayor que 1"),
    ("04", lambda x: x.item(), "debería devolver un tensor"),
    ("05", lambda a, b: (a * b, a * a + 1), "falta un camino: en a·a·b"),
    ("05", lambda a, b: (2 * a * b, a * a), "b también aparece sumando"),
    ("05", lambda a, b: (a * a + 1, 2 * a * b), "orden cambiado"),
    ("05", lambda a, b: (2 * a + b, a * a + 1), "sigue cada camino"),
    ("05", lambda a, b: (2 * a * b, a + 1), "suma las contribuciones"),
    ("05", lambda a, b: 2 * a * b, "dos números"),
    ("06", RaizSinGradOutput, "grad_output"),
    ("06", RaizSinMedio, "derivada local de √x"),
    ("06", lambda x: x.sqrt(), "clase hija de torch.autograd.Function"),
    ("07", torch.relu, "ReLU de la biblioteca"),
    ("07", lambda x: x.clamp(min=0) + 0.1, "max(x, 0)"),
    ("07", relu_sin_grafo, "el gradiente no"),
    ("07", lambda x: x.abs(), "max(x, 0)"),
    ("08", paso_sin_no_grad, "lanzó RuntimeError"),
    ("08", paso_reasignando, "no cambiaron"),
    ("08", paso_a_favor, "a favor del gradiente"),
    ("08", paso_sin_lr, "no usa lr"),
    ("08", paso_sin_borrar, "los gradientes siguen ahí"),
]


@pytest.mark.parametrize("lesson", sorted(RIGHT_ANSWERS))
def test_each_task_is_two_to_five_lines_of_code(lesson):
    lines = inspect.getsource(RIGHT_ANSWERS[lesson]).splitlines()
    written = [line for line in lines if line.strip() and not line.lstrip().startswith(("def ", "class ", "@"))]
    assert 2 <= len(written) <= 5, written


@pytest.mark.parametrize("lesson", sorted(RIGHT_ANSWERS))
def test_a_right_attempt_is_right_every_time(lesson):
    for _ in range(5):  # fresh random inputs on every run
        verdict = your_turn(lesson, RIGHT_ANSWERS[lesson])
        assert verdict.status == RIGHT, repr(verdict)


@pytest.mark.parametrize(("lesson", "attempt", "hint"), WRONG, ids=[f"{w[0]}-{w[2][:24]}" for w in WRONG])
def test_a_wrong_attempt_fails_with_its_hint(lesson, attempt, hint):
    for _ in range(3):
        verdict = your_turn(lesson, attempt)
        assert verdict.status == NOT_YET, repr(verdict)
        assert hint in verdict.message, repr(verdict)


def test_every_lesson_has_wrong_attempts_that_fail():
    assert {lesson for lesson, _, _ in WRONG} == set(TASKS) == set(RIGHT_ANSWERS)


@pytest.mark.parametrize("lesson", sorted(TASKS))
def test_nothing_written_yet_is_pending_not_wrong(lesson):
    for attempt in (None, RaizPendiente if lesson == "06" else todo):
        verdict = your_turn(lesson, attempt)
        assert verdict.status == PENDING, repr(verdict)
        assert "pendiente" in repr(verdict)


def test_a_function_that_forgets_to_return_is_pending():
    verdict = your_turn("05", lambda a, b: None)
    assert verdict.status == PENDING and "¿falta un return?" in verdict.message


def test_the_hints_never_print_the_expected_numbers():
    a, b = 1.75, -2.5

    def only_one_path(a_, b_):
        return a_ * b_, a_ * a_ + 1

    verdict = your_turn("05", only_one_path)
    assert verdict.status == NOT_YET
    for answer in (2 * a * b, a * a + 1):
        assert f"{answer:g}" not in repr(verdict)
    numbers = re.findall(r"-?\d+\.\d+", " ".join(repr(your_turn(lesson, attempt)) for lesson, attempt, _ in WRONG))
    assert numbers == [], f"a hint prints numbers: {numbers}"


@pytest.mark.parametrize("lesson", sorted(TASKS))
def test_every_line_links_to_an_exercise_that_exists(lesson):
    verdict = your_turn(lesson, None)
    assert (EXERCISES / f"{TASKS[lesson].exercise}.ipynb").exists()
    assert f'href="../exercises/{TASKS[lesson].exercise}.ipynb"' in verdict._repr_html_()
    assert f"exercises/{TASKS[lesson].exercise}.ipynb" in repr(verdict)
    assert "\n" not in repr(verdict)


def test_english_on_request():
    set_language("en")
    assert repr(your_turn("05", None)).startswith("… Your turn 05 · pending: gradientes_e is still None")
    assert "missing a path" in your_turn("05", lambda a, b: (a * b, a * a + 1)).message
    assert "well done" in repr(your_turn("05", gradientes_e))


def test_misuse_is_a_clear_error():
    with pytest.raises(ValueError, match="no «Tu turno» for lesson '10'"):
        your_turn("10", None)
    with pytest.raises(TypeError, match=r"takes 1 answer\(s\): gradientes_e"):
        your_turn("05", gradientes_e, gradientes_e)


def test_the_verdict_is_plain_data():
    verdict = your_turn("02", prediccion)
    assert isinstance(verdict, Verdict) and verdict.status == RIGHT and verdict.exercise == "ex02_gradientes"


@pytest.mark.parametrize("lesson", sorted(TASKS))
def test_the_lessons_check_cell_passes_a_solution_and_waits_for_the_skeleton(lesson):
    """Run the lesson's own last two cells: as stored (pending), then with the task solved (right)."""
    (path,) = (ROOT / "notebooks").glob(f"{lesson}_*.ipynb")
    *_, task, check = (cell.source for cell in nbformat.read(path, as_version=4).cells)
    names = {"torch": torch}
    exec(task, names)
    assert eval(check, names).status == PENDING
    names[check.split(", ")[1].rstrip(")")] = RIGHT_ANSWERS[lesson]
    assert eval(check, names).status == RIGHT
