"""«Tu turno»: the short task that ends each lesson, and its one-line formative check.

``your_turn("05", gradientes_e)`` tries the student's answer on fresh random
inputs and answers in one line: pending (nothing written yet), not yet (with a
hint that names the likely mistake, never the answer), or right.  Every line
links to the exercise that builds on the task.

It is feedback, not a grade: nothing is scored or stored, and it shares nothing
with the exercise checks or the grader.  The reference answers are computed
here from the task's definition (with autograd where that is the point), so no
expected number is written down, and none is ever printed.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..dtypes import float32
from ..engine import iter_graph, no_grad
from ..factories import tensor
from ..function import Function
from ..i18n import register, t
from ..tensor import Tensor

PENDING, NOT_YET, RIGHT = "pending", "not_yet", "right"


class NotYet(Exception):
    """The attempt is wrong: ``key`` names the hint (a message key), ``values`` fill it in."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key, self.values = key, values


class Pending(Exception):
    """Nothing to check yet (the task still raises NotImplementedError or gives None)."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key, self.values = key, values


@dataclass(frozen=True)
class Task:
    """One lesson's task: the names it expects, the exercise that builds on it, and its check."""

    lesson: str
    answers: tuple[str, ...]  # what the check cell passes, by name (for messages)
    exercise: str  # notebook stem in exercises/
    check: Callable[..., None]  # raises NotYet or Pending; returns when the attempt is right


@dataclass(frozen=True)
class Verdict:
    """The one-line answer of a formative check; shows as text or HTML."""

    lesson: str
    status: str  # PENDING, NOT_YET or RIGHT
    message: str
    exercise: str

    @property
    def link(self) -> str:
        """The exercise notebook, relative to the lessons' folder."""
        return f"../exercises/{self.exercise}.ipynb"

    def _parts(self) -> tuple[str, str, str]:
        mark = {PENDING: "…", NOT_YET: "✘", RIGHT: "✔"}[self.status]
        head = t("your_turn.head", lesson=self.lesson, status=t(f"your_turn.status.{self.status}"))
        then = "your_turn.next_right" if self.status == RIGHT else "your_turn.next"
        return mark, head, then

    def __repr__(self) -> str:
        mark, head, then = self._parts()
        return f"{mark} {head}: {self.message} {t(then, exercise=f'exercises/{self.exercise}.ipynb')}"

    def _repr_html_(self) -> str:
        mark, head, then = self._parts()
        link = f'<a href="{html.escape(self.link)}">{html.escape(self.exercise)}</a>'
        return f"<p>{mark} <b>{html.escape(head)}</b>: {html.escape(self.message)} {t(then, exercise=link)}</p>"


TASKS: dict[str, Task] = {}


def task(lesson: str, answers: Sequence[str], exercise: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register ``check`` as the formative check of ``lesson``'s «Tu turno»."""

    def decorate(check: Callable[..., None]) -> Callable[..., None]:
        TASKS[lesson] = Task(lesson, tuple(answers), exercise, check)
        return check

    return decorate


def your_turn(lesson: str, *answers: Any) -> Verdict:
    """Check the answer to a lesson's «Tu turno» and say, in one line, how it went (never the answer)."""
    if lesson not in TASKS:
        raise ValueError(f"no «Tu turno» for lesson {lesson!r}; lessons with one: {', '.join(sorted(TASKS))}")
    spec = TASKS[lesson]
    if len(answers) != len(spec.answers):
        raise TypeError(f"your_turn({lesson!r}, ...) takes {len(spec.answers)} answer(s): {', '.join(spec.answers)}")
    for name, answer in zip(spec.answers, answers):
        if answer is None:
            return Verdict(lesson, PENDING, t("your_turn.pending.none", name=name), spec.exercise)
    try:
        spec.check(*answers)
    except Pending as pending:
        return Verdict(lesson, PENDING, t(f"your_turn.pending.{pending.key}", **pending.values), spec.exercise)
    except NotYet as wrong:
        return Verdict(lesson, NOT_YET, t(f"your_turn.{wrong.key}", **wrong.values), spec.exercise)
    return Verdict(lesson, RIGHT, t(f"your_turn.{lesson}.right"), spec.exercise)


# ---------------------------------------------------------------- helpers for the checks


def _rng() -> np.random.Generator:
    return np.random.default_rng()  # fresh inputs on every run: an answer cannot be hard-coded


def _call(name: str, function: Any, *args: Any) -> Any:
    """``function(*args)``; NotImplementedError means pending, another exception a hint that quotes it."""
    if not callable(function):
        raise NotYet("not_callable", name=name, kind=type(function).__name__)
    try:
        result = function(*args)
    except NotImplementedError:
        raise Pending("not_implemented", name=name) from None
    except Exception as error:  # the student's code failed: say how, in their terms
        raise NotYet("raised", name=name, error=f"{type(error).__name__}: {error}") from None
    return result


def _returned(name: str, result: Any) -> Any:
    if result is None:
        raise Pending("returned_none", name=name)
    return result


def _numbers(name: str, value: Any) -> np.ndarray:
    """A tensor, array or number as a float64 array; anything else is a hint."""
    if isinstance(value, Tensor):
        return np.asarray(value.detach().tolist(), dtype=np.float64)
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise NotYet("not_numbers", name=name, kind=type(value).__name__) from None


def _close(a: Any, b: Any, tol: float = 1e-4) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol))


def _answer(name: str, function: Any, *args: Any) -> Any:
    """What the student's function returns for ``args`` (pending when it is not written yet or gives None)."""
    return _returned(name, _call(name, function, *args))


def _as_tensor(name: str, value: Any) -> Tensor:
    if not isinstance(value, Tensor):
        raise NotYet("not_tensor", name=name, kind=type(value).__name__)
    return value


def _op_names(output: Tensor) -> list[str]:
    return [node.name() for node in iter_graph(output) if node.name() != "AccumulateGrad"]


# ---------------------------------------------------------------- the tasks, lesson by lesson


@task("01", ["formato_pytorch"], "ex01_tensores")
def _pytorch_format(formato_pytorch: Any) -> None:
    rng = _rng()
    n, h, w = int(rng.integers(2, 5)), int(rng.integers(3, 6)), int(rng.integers(6, 9))
    fotos = tensor(rng.integers(0, 256, size=(n, h, w, 3)).astype(np.uint8))
    result = _as_tensor("formato_pytorch", _answer("formato_pytorch", formato_pytorch, fotos))
    wanted = np.transpose(fotos.numpy(), (0, 3, 1, 2)) / 255
    if tuple(result.shape) != wanted.shape:
        raise NotYet("01.shape", got=tuple(result.shape))
    if result.dtype != float32:
        raise NotYet("01.dtype", got=str(result.dtype).replace("autograd_lab.", ""))
    got = _numbers("formato_pytorch", result)
    if got.max() > 1:
        raise NotYet("01.range")
    if not _close(got, wanted, 1e-6):
        raise NotYet("01.scrambled")


def _hidden_functions() -> list[Callable[[Any], Any]]:
    return [lambda x: x**3 - 2 * x, lambda x: (0.5 * x).exp(), lambda x: x.sin() * x]


@task("02", ["prediccion"], "ex02_gradientes")
def _prediction(prediccion: Any) -> None:
    rng = _rng()
    for f in _hidden_functions():
        x0, delta = float(rng.uniform(-1.5, 1.5)), float(rng.choice([-1, 1]) * rng.uniform(0.2, 0.5))
        x = tensor(x0, dtype=np.float64, requires_grad=True)
        value = f(x)
        value.backward()
        assert x.grad is not None
        start, slope = value.item(), x.grad.item()
        got = _numbers("prediccion", _answer("prediccion", prediccion, f, x0, delta))
        if got.size != 1:
            raise NotYet("02.not_one_number", got=tuple(got.shape))
        if _close(got.reshape(()), start + slope * delta):
            continue
        if _close(got.reshape(()), f(tensor(x0 + delta, dtype=np.float64)).item()):
            raise NotYet("02.real")
        if _close(got.reshape(()), slope * delta):
            raise NotYet("02.change")
        raise NotYet("02.wrong")


@task("03", ["gradiente_a_mano"], "ex02_gradientes")
def _gradient_by_hand(gradiente_a_mano: Any) -> None:
    rng = _rng()
    for _ in range(3):
        m, n = int(rng.integers(6, 10)), int(rng.integers(2, 6))  # m != n: a transposed answer shows
        X, y, w = rng.normal(size=(m, n)), rng.normal(size=m), rng.normal(size=n)
        wanted = 2.0 / m * X.T @ (X @ w - y)
        with no_grad():  # by hand: autograd is off, so backward() cannot help here
            args = (tensor(w), tensor(X), tensor(y))
            result = _answer("gradiente_a_mano", gradiente_a_mano, *args)
        got = _numbers("gradiente_a_mano", result)
        if got.shape != wanted.shape:
            raise NotYet("03.shape", got=tuple(got.shape), expected=wanted.shape)
        if _close(got, wanted):
            continue
        if _close(got, -wanted):
            raise NotYet("03.sign")
        ratio = np.dot(got, wanted) / np.dot(wanted, wanted)
        if abs(ratio) > 1e-9 and _close(got, ratio * wanted):
            raise NotYet("03.constant")
        raise NotYet("03.wrong")


@task("04", ["mitades"], "ex03_grafo")
def _halves(mitades: Any) -> None:
    rng = _rng()
    starts = [float(rng.uniform(1.5, 1.9)), float(rng.uniform(5.0, 7.5)), float(rng.uniform(40.0, 60.0))]
    results = []
    for start in starts:  # 1, 3 and 6 halvings: a loop of fixed length is right for one of them at most
        x = tensor(start, dtype=np.float64, requires_grad=True)
        result = _as_tensor("mitades", _answer("mitades", mitades, x))
        halvings = math.ceil(math.log2(start))  # how many times start is halved until it is <= 1
        right = _close(_numbers("mitades", result), start / 2**halvings, 1e-6)
        results.append((x, result, halvings, right))
    if not all(right for *_, right in results):
        raise NotYet("04.fixed" if any(right for *_, right in results) else "04.value")
    for x, result, halvings, _ in results:
        if result.grad_fn is None or len(_op_names(result)) < halvings:
            raise NotYet("04.no_graph")
        result.backward()
        if x.grad is None or not _close(x.grad.item(), 0.5**halvings, 1e-6):
            raise NotYet("04.grad")


@task("05", ["gradientes_e"], "ex03_grafo")
def _two_paths(gradientes_e: Any) -> None:
    rng = _rng()
    for _ in range(3):
        a, b = (float(rng.choice([-1, 1]) * rng.uniform(0.5, 3.0)) for _ in range(2))
        result = _answer("gradientes_e", gradientes_e, a, b)
        got = _numbers("gradientes_e", result).reshape(-1)
        if got.size != 2:
            raise NotYet("05.two_numbers")
        de_da, de_db = 2 * a * b, a * a + 1
        if _close(got, [de_da, de_db]):
            continue
        if _close(got, [de_db, de_da]):
            raise NotYet("05.swapped")
        if not _close(got[0], de_da):
            raise NotYet("05.a_one_path" if _close(got[0], a * b) else "05.a_wrong")
        raise NotYet("05.b_one_path" if _close(got[1], a * a) else "05.b_wrong")


@task("06", ["Raiz"], "ex04_funciones")
def _square_root(Raiz: Any) -> None:  # noqa: N803  (the student's class name)
    if not (isinstance(Raiz, type) and issubclass(Raiz, Function)):
        raise NotYet("06.not_function", kind=type(Raiz).__name__)
    rng = _rng()
    x = tensor(rng.uniform(0.5, 9.0, size=4), requires_grad=True)
    output = _as_tensor("Raiz.apply", _answer("Raiz.apply", Raiz.apply, x))
    if not _close(_numbers("Raiz.apply", output), np.sqrt(x.detach().numpy())):
        raise NotYet("06.forward")
    incoming = rng.uniform(0.5, 2.0, size=4)
    _call("backward", output.backward, tensor(incoming))
    if x.grad is None:
        raise NotYet("06.no_grad")
    wanted = incoming / (2 * np.sqrt(x.detach().numpy()))
    got = _numbers("x.grad", x.grad)
    if _close(got, wanted):
        return
    raise NotYet("06.grad_output" if _close(got, wanted / incoming) else "06.grad")


@task("07", ["mi_relu"], "ex04_funciones")
def _relu_by_hand(mi_relu: Any) -> None:
    rng = _rng()
    values = rng.choice([-1, 1], size=(5, 3)) * rng.uniform(0.1, 2.0, size=(5, 3))
    x = tensor(values, requires_grad=True)
    output = _as_tensor("mi_relu", _answer("mi_relu", mi_relu, x))
    if any(name.startswith(("Relu", "Threshold")) for name in _op_names(output)):
        raise NotYet("07.uses_relu")
    if not _close(_numbers("mi_relu", output), np.maximum(values, 0)):
        raise NotYet("07.values")
    incoming = rng.uniform(0.5, 2.0, size=(5, 3))
    _call("backward", output.backward, tensor(incoming))
    if x.grad is None or not _close(_numbers("x.grad", x.grad), incoming * (values > 0)):
        raise NotYet("07.grad")


@task("08", ["paso_sgd"], "ex07_red_desde_cero")
def _sgd_step(paso_sgd: Any) -> None:
    rng = _rng()
    parameters = [tensor(rng.normal(size=shape), requires_grad=True) for shape in [(3, 2), (3,)]]
    grads = [rng.normal(size=p.shape) for p in parameters]
    for p, g in zip(parameters, grads):
        p.grad = tensor(g)
    before = [p.detach().numpy().copy() for p in parameters]
    lr = float(rng.uniform(0.05, 0.2))
    _call("paso_sgd", paso_sgd, parameters, lr)
    after = [_numbers("paso_sgd", p) for p in parameters]
    if all(_close(new, old, 0) for new, old in zip(after, before)):
        raise NotYet("08.unchanged")
    if not all(p.is_leaf and p.requires_grad for p in parameters):
        raise NotYet("08.leaf")
    if all(_close(new, old + lr * g) for new, old, g in zip(after, before, grads)):
        raise NotYet("08.sign")
    if all(_close(new, old - g) for new, old, g in zip(after, before, grads)):
        raise NotYet("08.lr")
    if not all(_close(new, old - lr * g) for new, old, g in zip(after, before, grads)):
        raise NotYet("08.wrong")
    if any(p.grad is not None and bool(np.any(_numbers("grad", p.grad) != 0)) for p in parameters):
        raise NotYet("08.zero_grad")


register(
    {
        "your_turn.head": {"es": "Tu turno {lesson} · {status}", "en": "Your turn {lesson} · {status}"},
        "your_turn.status.pending": {"es": "pendiente", "en": "pending"},
        "your_turn.status.not_yet": {"es": "todavía no", "en": "not yet"},
        "your_turn.status.right": {"es": "¡bien!", "en": "well done!"},
        "your_turn.next": {"es": "Lo retoma el ejercicio {exercise}.", "en": "Exercise {exercise} builds on it."},
        "your_turn.next_right": {
            "es": "Sigue con el ejercicio {exercise}, que construye sobre esto.",
            "en": "Go on with exercise {exercise}, which builds on this.",
        },
        "your_turn.pending.none": {
            "es": "{name} todavía vale None: completa la celda de arriba y vuelve a ejecutar esta.",
            "en": "{name} is still None: complete the cell above and run this one again.",
        },
        "your_turn.pending.not_implemented": {
            "es": "{name} todavía lanza NotImplementedError: escribe tu código en la celda de arriba, "
            "ejecútala y vuelve a ejecutar esta.",
            "en": "{name} still raises NotImplementedError: write your code in the cell above, "
            "run it and run this one again.",
        },
        "your_turn.pending.returned_none": {
            "es": "{name} devolvió None: ¿falta un return?",
            "en": "{name} returned None: is a return missing?",
        },
        "your_turn.not_callable": {
            "es": "{name} debería ser una función, pero es {kind}.",
            "en": "{name} should be a function, but it is {kind}.",
        },
        "your_turn.raised": {"es": "{name} lanzó {error}", "en": "{name} raised {error}"},
        "your_turn.not_numbers": {
            "es": "{name} debería dar números (un tensor o un número), pero da {kind}.",
            "en": "{name} should give numbers (a tensor or a number), but it gives {kind}.",
        },
        "your_turn.not_tensor": {
            "es": "{name} debería devolver un tensor, pero devuelve {kind}: si sales de los tensores "
            "(.item(), float(), NumPy), autograd pierde el rastro del cálculo.",
            "en": "{name} should return a tensor, but it returns {kind}: once you leave tensors "
            "(.item(), float(), NumPy), autograd loses track of the computation.",
        },
        # 01
        "your_turn.01.shape": {
            "es": "El resultado tiene forma {got}. PyTorch quiere los ejes en el orden (lote, canales, alto, ancho).",
            "en": "The result has shape {got}. PyTorch wants the axes in the order (batch, channels, height, width).",
        },
        "your_turn.01.dtype": {
            "es": "El resultado es de tipo {got}; las redes de PyTorch trabajan con decimales float32.",
            "en": "The result has dtype {got}; PyTorch networks work with float32 decimals.",
        },
        "your_turn.01.range": {
            "es": "Los valores deben quedar entre 0 y 1, y las fotos traen enteros de 0 a 255.",
            "en": "The values must end up between 0 and 1, and the photos come with integers from 0 to 255.",
        },
        "your_turn.01.scrambled": {
            "es": "La forma y el tipo son los buenos, pero los números están mezclados: reshape reparte los "
            "números en orden sin mover los ejes. Lo que necesitas es reordenar los ejes.",
            "en": "The shape and dtype are right, but the numbers are scrambled: reshape deals the numbers out "
            "in order without moving the axes. What you need is to reorder the axes.",
        },
        "your_turn.01.right": {
            "es": "Tus fotos ya tienen el formato de PyTorch: decimales entre 0 y 1, con los canales primero.",
            "en": "Your photos are in PyTorch's format now: decimals between 0 and 1, channels first.",
        },
        # 02
        "your_turn.02.not_one_number": {
            "es": "La predicción debería ser un solo número; tiene forma {got}.",
            "en": "The prediction should be a single number; it has shape {got}.",
        },
        "your_turn.02.real": {
            "es": "Eso es el valor real de f(x0 + δ), calculado otra vez. La gracia es predecirlo sin volver "
            "a evaluar f en el punto nuevo: con lo que sabes en x0.",
            "en": "That is the true value of f(x0 + δ), computed again. The point is to predict it without "
            "evaluating f at the new point: with what you know at x0.",
        },
        "your_turn.02.change": {
            "es": "Eso es el cambio que predice el gradiente, no el valor de f: falta el punto de partida.",
            "en": "That is the change the gradient predicts, not the value of f: the starting point is missing.",
        },
        "your_turn.02.wrong": {
            "es": "No coincide con lo que predice el gradiente. Parte de f(x0) y suma lo que el gradiente dice "
            "que cambia f cuando x se mueve δ.",
            "en": "It does not match what the gradient predicts. Start from f(x0) and add what the gradient "
            "says f changes when x moves by δ.",
        },
        "your_turn.02.right": {
            "es": "Tu predicción a primer orden coincide: el gradiente es la sensibilidad local.",
            "en": "Your first-order prediction matches: the gradient is the local sensitivity.",
        },
        # 03
        "your_turn.03.shape": {
            "es": "Tu gradiente tiene forma {got}; debe tener la forma de w, {expected}.",
            "en": "Your gradient has shape {got}; it must have the shape of w, {expected}.",
        },
        "your_turn.03.sign": {
            "es": "Tu gradiente tiene el signo cambiado: revisa el orden de la resta en el residuo.",
            "en": "Your gradient has the wrong sign: check the order of the subtraction in the residual.",
        },
        "your_turn.03.constant": {
            "es": "Tu gradiente apunta en la buena dirección, pero su tamaño no es el correcto: revisa las "
            "constantes (el 2 que sale del cuadrado, el 1/m de la media).",
            "en": "Your gradient points the right way, but its size is off: check the constants "
            "(the 2 from the square, the 1/m of the mean).",
        },
        "your_turn.03.wrong": {
            "es": "No coincide con el gradiente exacto. Escribe la pérdida como media(r²) con r = X @ w − y y "
            "aplica la regla de la cadena: primero ∂pérdida/∂r, después ∂r/∂w.",
            "en": "It does not match the exact gradient. Write the loss as mean(r²) with r = X @ w − y and "
            "apply the chain rule: first ∂loss/∂r, then ∂r/∂w.",
        },
        "your_turn.03.right": {
            "es": "Tu fórmula da el gradiente exacto. Ahora imagina escribir una así para cada capa de una red.",
            "en": "Your formula gives the exact gradient. Now imagine writing one like it for every layer "
            "of a network.",
        },
        # 04
        "your_turn.04.value": {
            "es": "El valor devuelto no es el esperado: x debe dividirse entre 2 mientras sea mayor que 1.",
            "en": "The value returned is not the expected one: x must be halved while it is greater than 1.",
        },
        "your_turn.04.fixed": {
            "es": "Con unas entradas acierta y con otras no: ¿tu bucle da siempre el mismo número de vueltas? "
            "Cuántas vueltas da debe depender del valor de x.",
            "en": "It is right for some inputs and wrong for others: does your loop always run the same number "
            "of times? How many times it runs must depend on the value of x.",
        },
        "your_turn.04.no_graph": {
            "es": "El resultado no recuerda las divisiones que lo produjeron: opera con el tensor x "
            "(sin .item() ni tensores nuevos) para que cada vuelta añada su nodo al grafo.",
            "en": "The result does not remember the divisions that produced it: operate on the tensor x "
            "(no .item(), no new tensors) so that each pass adds its node to the graph.",
        },
        "your_turn.04.grad": {
            "es": "El valor es el bueno, pero el gradiente no: ¿alguna vuelta salió del grafo (detach, .data)?",
            "en": "The value is right but the gradient is not: did a pass leave the graph (detach, .data)?",
        },
        "your_turn.04.right": {
            "es": "Cada entrada dio su propio grafo, con tantas divisiones como vueltas: el grafo es dinámico.",
            "en": "Each input gave its own graph, with as many divisions as passes: the graph is dynamic.",
        },
        # 05
        "your_turn.05.two_numbers": {
            "es": "Devuelve dos números: (∂e/∂a, ∂e/∂b).",
            "en": "Return two numbers: (∂e/∂a, ∂e/∂b).",
        },
        "your_turn.05.swapped": {
            "es": "Los dos gradientes están bien pero en el orden cambiado: primero ∂e/∂a, después ∂e/∂b.",
            "en": "Both gradients are right but swapped: first ∂e/∂a, then ∂e/∂b.",
        },
        "your_turn.05.a_one_path": {
            "es": "A ∂e/∂a le falta un camino: en a·a·b, a se usa dos veces y cada uso aporta su contribución.",
            "en": "∂e/∂a is missing a path: in a·a·b, a is used twice and each use contributes.",
        },
        "your_turn.05.a_wrong": {
            "es": "∂e/∂a no es correcto: sigue cada camino de e hasta a, multiplica las derivadas locales a lo "
            "largo de cada uno y suma los caminos.",
            "en": "∂e/∂a is not right: follow each path from e to a, multiply the local derivatives along each, "
            "and add the paths up.",
        },
        "your_turn.05.b_one_path": {
            "es": "A ∂e/∂b le falta un camino: b también aparece sumando, al final.",
            "en": "∂e/∂b is missing a path: b also appears as a term, at the end.",
        },
        "your_turn.05.b_wrong": {
            "es": "∂e/∂b no es correcto: suma las contribuciones de todos los caminos que llegan a b.",
            "en": "∂e/∂b is not right: add the contributions of every path that reaches b.",
        },
        "your_turn.05.right": {
            "es": "Sumaste bien los caminos: es lo mismo que hace AccumulateGrad.",
            "en": "You added the paths correctly: that is what AccumulateGrad does.",
        },
        # 06
        "your_turn.06.not_function": {
            "es": "Raiz debería ser una clase hija de torch.autograd.Function; es {kind}.",
            "en": "Raiz should be a subclass of torch.autograd.Function; it is {kind}.",
        },
        "your_turn.06.forward": {
            "es": "El forward no da la raíz cuadrada de la entrada.",
            "en": "forward does not give the square root of the input.",
        },
        "your_turn.06.no_grad": {
            "es": "Después de backward, x.grad sigue en None: ¿devuelve algo tu backward?",
            "en": "After backward, x.grad is still None: does your backward return something?",
        },
        "your_turn.06.grad_output": {
            "es": "La derivada local es la buena, pero falta multiplicarla por grad_output: la regla de la cadena "
            "dice gradiente de la entrada = derivada local × gradiente que llega.",
            "en": "The local derivative is right, but it must be multiplied by grad_output: the chain rule says "
            "input gradient = local derivative × incoming gradient.",
        },
        "your_turn.06.grad": {
            "es": "El gradiente no coincide: escribe la derivada local de √x usando la salida y = √x que guardaste "
            "y multiplícala por grad_output.",
            "en": "The gradient does not match: write the local derivative of √x using the output y = √x you "
            "saved, and multiply it by grad_output.",
        },
        "your_turn.06.right": {
            "es": "Tu backward usa lo que el forward guardó, sin volver a ejecutarlo.",
            "en": "Your backward uses what forward saved, without running it again.",
        },
        # 07
        "your_turn.07.uses_relu": {
            "es": "Usaste la ReLU de la biblioteca: constrúyela tú con operaciones corrientes "
            "(comparaciones, productos, sumas...).",
            "en": "You used the library's ReLU: build it yourself from ordinary operations "
            "(comparisons, products, sums...).",
        },
        "your_turn.07.values": {
            "es": "Los valores no son max(x, 0) elemento a elemento.",
            "en": "The values are not max(x, 0) element by element.",
        },
        "your_turn.07.grad": {
            "es": "Los valores son buenos, pero el gradiente no: debe pasar tal cual donde x > 0 y ser 0 donde "
            "no. ¿Saliste del grafo en algún paso?",
            "en": "The values are right, but the gradient is not: it must pass unchanged where x > 0 and be 0 "
            "elsewhere. Did a step leave the graph?",
        },
        "your_turn.07.right": {
            "es": "Tu ReLU, hecha de operaciones corrientes, da los mismos valores y gradientes: no hay reglas "
            "especiales.",
            "en": "Your ReLU, made of ordinary operations, gives the same values and gradients: no special rules.",
        },
        # 08
        "your_turn.08.unchanged": {
            "es": "Los parámetros no cambiaron. Asignar a la variable del bucle (p = ...) no cambia el tensor de "
            "la lista: modifícalo en el sitio (p -= ...).",
            "en": "The parameters did not change. Assigning to the loop variable (p = ...) does not change the "
            "tensor in the list: modify it in place (p -= ...).",
        },
        "your_turn.08.leaf": {
            "es": "Los parámetros dejaron de ser hojas que piden gradiente: actualízalos en el sitio, "
            "dentro de torch.no_grad().",
            "en": "The parameters are no longer leaves that require grad: update them in place, "
            "inside torch.no_grad().",
        },
        "your_turn.08.sign": {
            "es": "Moviste los parámetros a favor del gradiente: así la pérdida sube. Hay que ir en contra.",
            "en": "You moved the parameters along the gradient: that makes the loss go up. Go against it.",
        },
        "your_turn.08.lr": {
            "es": "El paso no usa lr: el tamaño del paso es lr veces el gradiente.",
            "en": "The step does not use lr: the step size is lr times the gradient.",
        },
        "your_turn.08.wrong": {
            "es": "Los parámetros no quedaron donde deben: cada uno se mueve un paso de tamaño lr en contra de "
            "su gradiente.",
            "en": "The parameters did not end up where they should: each moves one step of size lr against "
            "its gradient.",
        },
        "your_turn.08.zero_grad": {
            "es": "El paso es correcto, pero los gradientes siguen ahí: bórralos para que no se sumen a los del "
            "paso siguiente.",
            "en": "The step is right, but the gradients are still there: clear them so they do not add up with "
            "the next step's.",
        },
        "your_turn.08.right": {
            "es": "Eso es exactamente lo que hace optimizer.step() seguido de optimizer.zero_grad() con SGD.",
            "en": "That is exactly what optimizer.step() followed by optimizer.zero_grad() does with SGD.",
        },
    }
)
