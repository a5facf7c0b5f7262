"""Checks of ex02_gradientes: central differences, numerical vs autograd gradients, zero gradients, cost."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ...dtypes import float64
from ...tensor import Tensor
from ...factories import as_tensor, tensor
from ...i18n import register, t
from .core import (
    Answer,
    Failed,
    Trial,
    close,
    diagnose,
    fmt,
    mismatch,
    probe,
    register_check,
    register_exercise,
    shape_mismatch,
    to_array,
    to_float,
    to_int,
    to_str,
)

register_exercise("ex02", {"es": "Gradientes", "en": "Gradients"})

register(
    {
        "check.ex02.hint.forward": {
            "es": "Usaste la diferencia hacia adelante (f(x+h) - f(x)) / h; la central es "
            "(f(x+h) - f(x-h)) / (2h), con error del orden de h² en vez de h.",
            "en": "You used the forward difference (f(x+h) - f(x)) / h; the central one is "
            "(f(x+h) - f(x-h)) / (2h), with an error of order h² instead of h.",
        },
        "check.ex02.hint.backward": {
            "es": "Usaste la diferencia hacia atrás (f(x) - f(x-h)) / h; la central evalúa a ambos lados: "
            "(f(x+h) - f(x-h)) / (2h).",
            "en": "You used the backward difference (f(x) - f(x-h)) / h; the central one looks at both sides: "
            "(f(x+h) - f(x-h)) / (2h).",
        },
        "check.ex02.hint.two_h": {
            "es": "Entre x-h y x+h hay una distancia de 2h: divide entre 2h, no entre h.",
            "en": "x-h and x+h are 2h apart: divide by 2h, not by h.",
        },
        "check.ex02.hint.use_h": {
            "es": "Usa el argumento h que recibe la función en lugar de un valor fijo.",
            "en": "Use the argument h the function receives instead of a fixed value.",
        },
        "check.ex02.changed_w": {
            "es": "gradiente_numerico(f, w) cambió el w que recibió: antes {before}, después {after}.",
            "en": "gradiente_numerico(f, w) changed the w it received: before {before}, after {after}.",
        },
        "check.ex02.hint.restore": {
            "es": "Tu función modificó el w que recibió: perturba una copia (w.copy()) o restaura w[i] después.",
            "en": "Your function changed the w it received: perturb a copy (w.copy()) or restore w[i] afterwards.",
        },
        "check.ex02.hint.all_at_once": {
            "es": "Todas las componentes salen iguales: perturba una sola componente cada vez (w[i] ± h) y "
            "deja las demás quietas.",
            "en": "All components come out equal: perturb one component at a time (w[i] ± h) and leave "
            "the others alone.",
        },
        "check.ex02.hint.accumulated": {
            "es": "El resultado es el doble: .grad acumula, y backward se ejecutó dos veces sobre el mismo w. "
            "Crea el tensor una vez y llama a backward una sola vez.",
            "en": "The result is doubled: .grad accumulates, and backward ran twice on the same w. "
            "Create the tensor once and call backward once.",
        },
        "check.ex02.hint.no_backward": {
            "es": "El gradiente sale cero: ¿creaste w con requires_grad=True y llamaste a backward() sobre f(w)?",
            "en": "The gradient is zero: did you create w with requires_grad=True and call backward() on f(w)?",
        },
        "check.ex02.zero_indices": {
            "es": "indices_gradiente_cero(f, w) = {got}, pero el gradiente es cero en {expected} "
            "(f(w) = Σ relu(w)·c, w = {w}).",
            "en": "indices_gradiente_cero(f, w) = {got}, but the gradient is zero at {expected} "
            "(f(w) = Σ relu(w)·c, w = {w}).",
        },
        "check.ex02.hint.complement": {
            "es": "Devolviste los índices donde el gradiente NO es cero: se piden los que son cero.",
            "en": "You returned the indices where the gradient is NOT zero: the zero ones are asked for.",
        },
        "check.ex02.hint.relu_off": {
            "es": "Calcula el gradiente con autograd y busca las componentes iguales a 0: son las de la ReLU "
            "apagada (w[i] < 0).",
            "en": "Compute the gradient with autograd and look for the components equal to 0: those of the "
            "switched-off ReLU (w[i] < 0).",
        },
        "check.ex02.option": {
            "es": "interpretacion debe ser una de las letras a, b, c, d; es {got!r}.",
            "en": "interpretacion must be one of the letters a, b, c, d; it is {got!r}.",
        },
        "check.ex02.wrong_option": {
            "es": "La opción {got!r} no es la interpretación correcta.",
            "en": "Option {got!r} is not the right interpretation.",
        },
        "check.ex02.hint.option_a": {
            "es": "Un gradiente cero es una afirmación local: no dice que el valor sea el mejor posible "
            "(puede ser un máximo, un punto de silla o una zona plana, como una ReLU apagada).",
            "en": "A zero gradient is a local statement: it does not say the value is the best possible "
            "(it can be a maximum, a saddle point or a flat region, like a switched-off ReLU).",
        },
        "check.ex02.hint.option_c": {
            "es": "El gradiente habla de cómo cambia la pérdida, no del valor del parámetro: un parámetro "
            "puede valer -1.3 y tener gradiente cero.",
            "en": "The gradient is about how the loss changes, not about the parameter's value: a parameter "
            "can be -1.3 and have a zero gradient.",
        },
        "check.ex02.hint.option_d": {
            "es": "El parámetro sí se usa: en otro punto (w[i] > 0) su gradiente deja de ser cero. Cero significa "
            "que aquí, ahora, un cambio pequeño no se nota.",
            "en": "The parameter is used: at another point (w[i] > 0) its gradient is no longer zero. Zero means "
            "that here, now, a small change makes no difference.",
        },
        "check.ex02.passes": {
            "es": "{what}({n}) = {got}, pero la respuesta es {expected}.",
            "en": "{what}({n}) = {got}, but the answer is {expected}.",
        },
        "check.ex02.hint.twice_per_parameter": {
            "es": "La diferencia central evalúa f dos veces por parámetro (en w[i] + h y en w[i] - h).",
            "en": "The central difference evaluates f twice per parameter (at w[i] + h and at w[i] - h).",
        },
        "check.ex02.hint.forward_count": {
            "es": "n + 1 es la cuenta de la diferencia hacia adelante (f(w) una vez más f(w + h·e_i) por "
            "parámetro); con diferencias centrales son 2 por parámetro.",
            "en": "n + 1 is the count of the forward difference (f(w) once plus f(w + h·e_i) per parameter); "
            "with central differences it is 2 per parameter.",
        },
        "check.ex02.hint.depends_on_n": {
            "es": "Con diferencias finitas el número de evaluaciones crece con n: cada parámetro necesita las suyas.",
            "en": "With finite differences the number of evaluations grows with n: each parameter needs its own.",
        },
        "check.ex02.hint.autograd_one_pass": {
            "es": "Autograd no depende de n: un forward registra el grafo y un backward da todas las "
            "derivadas a la vez.",
            "en": "Autograd does not depend on n: one forward records the graph and one backward gives all "
            "the derivatives at once.",
        },
        "check.ex02.hint.backward_is_not_forward": {
            "es": "El backward no vuelve a evaluar f: recorre el grafo que guardó el forward. Cuenta solo los forward.",
            "en": "Backward does not evaluate f again: it walks the graph the forward recorded. Count only the "
            "forward passes.",
        },
    }
)


def _cubic(coefficients: np.ndarray) -> Callable[[float], float]:
    c0, c1, c2, c3 = (float(c) for c in coefficients)

    def f(x: float) -> float:
        return ((c3 * x + c2) * x + c1) * x + c0

    return f


SMOOTH_FUNCTIONS: list[tuple[str, Callable[[float], float], Callable[[float], float]]] = [
    ("sin", math.sin, math.cos),
    ("exp", math.exp, math.exp),
    ("x·cos(x)", lambda x: x * math.cos(x), lambda x: math.cos(x) - x * math.sin(x)),
]


@probe
def cubic(coefficients: np.ndarray) -> Callable[[float], float]:
    """In the kernel: the cubic the student's derivative is taken of."""
    return _cubic(coefficients)


@probe
def smooth_function(index: int) -> Callable[[float], float]:
    """In the kernel: smooth function number ``index`` of ``SMOOTH_FUNCTIONS``."""
    return SMOOTH_FUNCTIONS[index][1]


@register_check("ex02.derivada", 3, {"es": "Derivada por diferencia central", "en": "Central-difference derivative"})
def derivada(trial: Trial, derivada_central: Answer) -> None:
    """derivada_central(f, x, h) = (f(x+h) - f(x-h)) / (2h), exactly for a cubic and close to f' for smooth f."""
    rng = trial.rng
    for _ in trial.count(public=2, hidden=2):
        coefficients = rng.uniform(-2, 2, size=4)
        coefficients[3] = rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 2.0)
        f, x, h = _cubic(coefficients), float(rng.uniform(-2, 2)), float(rng.choice([0.05, 0.1, 0.2]))
        f_in_kernel = trial.keep(cubic, coefficients)
        got = to_float(
            trial.call(derivada_central, f_in_kernel, x, h, what="derivada_central(f, x, h)"), "derivada_central"
        )
        expected = (f(x + h) - f(x - h)) / (2 * h)
        if not math.isclose(got, expected, rel_tol=1e-7, abs_tol=1e-9):
            hint = diagnose(
                np.array(got),
                [
                    ("check.ex02.hint.forward", (f(x + h) - f(x)) / h),
                    ("check.ex02.hint.backward", (f(x) - f(x - h)) / h),
                    ("check.ex02.hint.two_h", (f(x + h) - f(x - h)) / h),
                    ("check.hint.sign", -expected),
                    ("check.ex02.hint.use_h", (f(x + 1e-5) - f(x - 1e-5)) / 2e-5),
                ],
                rtol=1e-6,
            )
            polynomial = " + ".join(f"{c:.2f}·x^{k}" for k, c in enumerate(coefficients))
            raise Failed(mismatch(f"derivada_central(f, x, h) [f(x) = {polynomial}]", expected, got, x=x, h=h), hint)
        trial.passed()
    for _ in trial.count(public=1, hidden=2):
        index = int(rng.integers(len(SMOOTH_FUNCTIONS)))
        name, _, df = SMOOTH_FUNCTIONS[index]
        x = float(rng.uniform(-1.5, 1.5))
        f_in_kernel = trial.keep(smooth_function, index)
        got = to_float(trial.call(derivada_central, f_in_kernel, x, what="derivada_central(f, x)"), "derivada_central")
        if not math.isclose(got, df(x), rel_tol=1e-5, abs_tol=1e-6):
            hint = diagnose(
                np.array(got),
                [("check.ex02.hint.two_h", 2 * df(x)), ("check.hint.sign", -df(x))],
                rtol=1e-4,
            )
            raise Failed(mismatch(f"derivada_central({name}, x)", df(x), got, x=x), hint)
        trial.passed()


def _as_float64(w: Any) -> Tensor:
    w = as_tensor(w)
    return w if w.dtype == float64 else w.double()


def gradient_problem(rng: np.random.Generator) -> tuple[str, dict[str, Any], np.ndarray]:
    """A small differentiable f(w) (its name and data, for ``loss_function``) and a point w (float64, (n,))."""
    n = int(rng.integers(3, 6))
    w = rng.normal(size=n)
    if rng.integers(2) == 0:
        X, y = rng.normal(size=(6, n)), rng.normal(size=6)
        return "mean((X·w - y)²)", {"kind": "mean_squared", "X": X, "y": y}, w
    return "Σ c·sin(w) + Σ w²/2", {"kind": "sines", "c": rng.normal(size=n)}, w


@probe
def loss_function(problem: dict[str, Any]) -> Callable[[Any], Tensor]:
    """f(w) from the library's operations, for a problem of ``gradient_problem`` (built on either side)."""
    if problem["kind"] == "mean_squared":
        X, y = tensor(problem["X"]), tensor(problem["y"])

        def mean_squared(w: Any) -> Tensor:
            return ((X @ _as_float64(w) - y) ** 2).mean()

        return mean_squared
    c = tensor(problem["c"])

    def sines(w: Any) -> Tensor:
        w = _as_float64(w)
        return (w.sin() * c).sum() + 0.5 * (w * w).sum()

    return sines


@probe
def relu_function(c: np.ndarray) -> Callable[[Any], Tensor]:
    """f(w) = Σ relu(w)·c (built on either side)."""
    weights = tensor(c)

    def f(v: Any) -> Tensor:
        return (_as_float64(v).relu() * weights).sum()

    return f


def autograd_gradient(f: Callable[[Any], Tensor], w: np.ndarray) -> np.ndarray:
    """df/dw at w, by the library's backward."""
    leaf = tensor(w, requires_grad=True)
    f(leaf).backward()
    assert leaf.grad is not None
    return np.array(leaf.grad.detach().numpy(), dtype=np.float64)


@register_check(
    "ex02.gradiente", 3, {"es": "Gradiente numérico y con autograd", "en": "Numerical and autograd gradient"}
)
def gradiente(trial: Trial, gradiente_numerico: Answer, gradiente_autograd: Answer) -> None:
    """Both functions return df/dw (shape (n,)) for a small f; the numerical one does not change w."""
    for _ in trial.count(public=2, hidden=2):
        name, problem, w = gradient_problem(trial.rng)
        expected = autograd_gradient(loss_function(problem), w)
        f = trial.keep(loss_function, problem)
        result, after = trial.call(gradiente_numerico, f, w, what="gradiente_numerico(f, w)", watch=True)
        numerical = to_array(result, "resultado")
        w_given = after[1]
        if not (isinstance(w_given, np.ndarray) and np.array_equal(w_given, w)):
            raise Failed(t("check.ex02.changed_w", before=fmt(w), after=fmt(w_given)), "check.ex02.hint.restore")
        if numerical.shape != expected.shape:
            raise Failed(shape_mismatch("gradiente_numerico(f, w)", expected.shape, numerical.shape, w=w))
        if not close(numerical, expected, rtol=1e-4, atol=1e-6):
            hint = diagnose(
                numerical,
                [("check.hint.sign", -expected), ("check.ex02.hint.two_h", 2 * expected)],
                rtol=1e-3,
            )
            if not hint and np.ptp(numerical) < 1e-9 < np.ptp(expected):
                hint = "check.ex02.hint.all_at_once"
            raise Failed(mismatch(f"gradiente_numerico(f, w) [f(w) = {name}]", expected, numerical, w=w), hint)
        automatic = to_array(trial.call(gradiente_autograd, f, w, what="gradiente_autograd(f, w)"), "resultado")
        if not close(automatic, expected, rtol=1e-8, atol=1e-10):
            hint = diagnose(
                automatic,
                [
                    ("check.ex02.hint.accumulated", 2 * expected),
                    ("check.ex02.hint.no_backward", np.zeros_like(expected)),
                    ("check.hint.sign", -expected),
                ],
            )
            raise Failed(mismatch(f"gradiente_autograd(f, w) [f(w) = {name}]", expected, automatic, w=w), hint)
        trial.passed()


def _index_list(value: Any, name: str) -> list[int]:
    array = to_array(value, name).reshape(-1)
    if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
        raise Failed(t("check.msg.type", name=name, expected=t("check.type.list"), got=fmt(array)))
    return sorted({int(i) for i in array})


OPTIONS = ("a", "b", "c", "d")
RIGHT_OPTION = "b"


@register_check("ex02.cero", 2, {"es": "Qué dice un gradiente cero", "en": "What a zero gradient says"})
def cero(trial: Trial, indices_gradiente_cero: Answer, interpretacion: Answer) -> None:
    """The indices where df/dw is exactly zero (a switched-off ReLU), and what that means (option b)."""
    rng = trial.rng
    for _ in trial.count(public=2, hidden=2):
        n = int(rng.integers(5, 9))
        w = rng.choice([-1.0, 1.0], size=n) * rng.uniform(0.2, 2.0, size=n)
        w[:2] = [-abs(w[0]), abs(w[1])]  # at least one parameter on each side
        rng.shuffle(w)
        c = rng.uniform(0.5, 2.0, size=n) * rng.choice([-1.0, 1.0], size=n)
        gradient = autograd_gradient(relu_function(c), w)
        expected = [int(i) for i in np.flatnonzero(gradient == 0)]
        f = trial.keep(relu_function, c)
        got = _index_list(trial.call(indices_gradiente_cero, f, w, what="indices_gradiente_cero(f, w)"), "indices")
        if got != expected:
            complement = [i for i in range(n) if i not in expected]
            hint = "check.ex02.hint.complement" if got == complement else "check.ex02.hint.relu_off"
            raise Failed(t("check.ex02.zero_indices", got=got, expected=expected, w=fmt(w)), hint)
        trial.passed()
    answer = to_str(interpretacion, "interpretacion").strip().lower().strip(")")
    if answer not in OPTIONS:
        raise Failed(t("check.ex02.option", got=answer))
    if answer != RIGHT_OPTION:
        raise Failed(t("check.ex02.wrong_option", got=answer), f"check.ex02.hint.option_{answer}")
    trial.passed()


@register_check("ex02.coste", 2, {"es": "Cuántas pasadas hacen falta", "en": "How many passes are needed"})
def coste(trial: Trial, pasadas_diferencias: Answer, pasadas_autograd: Answer) -> None:
    """Central differences need 2n evaluations of f for n parameters; autograd needs one forward pass."""
    for _ in trial.count(public=2, hidden=3):
        n = int(trial.rng.integers(2, 10**7))
        got = to_int(trial.call(pasadas_diferencias, n, what=f"pasadas_diferencias({n})"), "pasadas_diferencias")
        if got != 2 * n:
            hints = {n: "check.ex02.hint.twice_per_parameter", n + 1: "check.ex02.hint.forward_count"}
            hint = hints.get(got, "check.ex02.hint.depends_on_n" if got < n else "check.ex02.hint.twice_per_parameter")
            raise Failed(t("check.ex02.passes", what="pasadas_diferencias", n=n, got=got, expected=2 * n), hint)
        got = to_int(trial.call(pasadas_autograd, n, what=f"pasadas_autograd({n})"), "pasadas_autograd")
        if got != 1:
            hint = "check.ex02.hint.backward_is_not_forward" if got == 2 else "check.ex02.hint.autograd_one_pass"
            raise Failed(t("check.ex02.passes", what="pasadas_autograd", n=n, got=got, expected=1), hint)
        trial.passed()
