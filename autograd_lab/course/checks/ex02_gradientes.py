"""Checks of ex02_gradientes: numerical (central) vs autograd gradients, the gradient as a linear prediction of the
change, zero gradients."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ...dtypes import float64
from ...tensor import Tensor
from ...factories import as_tensor, tensor
from ...i18n import register, t
from .guide import Guide
from .own_work import call_own, reference
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
    }
)


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


@reference
def autograd_gradient(f: Callable[[Any], Tensor], w: np.ndarray) -> np.ndarray:
    """df/dw at w, by the library's backward."""
    leaf = tensor(w, requires_grad=True)
    f(leaf).backward()
    assert leaf.grad is not None
    return np.array(leaf.grad.detach().numpy(), dtype=np.float64)


GRADIENTE = Guide("ex02.gradiente", ("03", "La alternativa sin fórmulas: diferencias finitas"))
GRADIENTE.attach(
    {
        "check.ex02.hint.forward": 1,
        "check.ex02.hint.backward": 1,
        "check.ex02.hint.two_h": 3,
        "check.ex02.hint.restore": 2,
        "check.ex02.hint.all_at_once": 2,
        "check.ex02.hint.accumulated": 3,
        "check.ex02.hint.no_backward": 2,
        "check.hint.sign": 3,
    }
)


@reference
def central_difference(f: Callable[[Any], Tensor], w: np.ndarray, h: float, kind: str = "central") -> np.ndarray:
    """The finite-difference gradient of ``f`` at ``w`` (central, forward or backward), component by component."""
    grad = np.zeros_like(w)
    for i in range(len(w)):
        up, down = w.copy(), w.copy()
        up[i] += h
        down[i] -= h
        if kind == "central":
            grad[i] = (f(up).item() - f(down).item()) / (2 * h)
        elif kind == "forward":
            grad[i] = (f(up).item() - f(w).item()) / h
        else:
            grad[i] = (f(w).item() - f(down).item()) / h
    return grad


@register_check(
    "ex02.gradiente", 4, {"es": "Gradiente numérico y con autograd", "en": "Numerical and autograd gradient"}
)
@GRADIENTE.part
def gradiente(trial: Trial, gradiente_numerico: Answer, gradiente_autograd: Answer) -> None:
    """Both functions return df/dw (shape (n,)) for a small f; the numerical one is the central difference (checked
    with a large h, where it differs from the one-sided ones) and does not change w."""
    for _ in trial.count(public=2, hidden=2):
        name, problem, w = gradient_problem(trial.rng)
        reference = loss_function(problem)
        expected = autograd_gradient(reference, w)
        f = trial.keep(loss_function, problem)
        what = "gradiente_numerico(f, w)"
        result, after = call_own(trial, gradiente_numerico, f, w, what=what, watch=True, library_allowed=True)
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
        h = float(trial.rng.choice([0.2, 0.3, 0.5]))
        what = "gradiente_numerico(f, w, h)"
        big = to_array(call_own(trial, gradiente_numerico, f, w, h, what=what, library_allowed=True), "resultado")
        wanted = central_difference(reference, w, h)
        if not close(big, wanted, rtol=1e-7, atol=1e-9):
            hint = diagnose(
                big,
                [
                    ("check.ex02.hint.forward", central_difference(reference, w, h, "forward")),
                    ("check.ex02.hint.backward", central_difference(reference, w, h, "backward")),
                    ("check.ex02.hint.two_h", 2 * wanted),
                ],
                rtol=1e-6,
            )
            raise Failed(mismatch(f"gradiente_numerico(f, w, h) [f(w) = {name}]", wanted, big, w=w, h=h), hint)
        what = "gradiente_autograd(f, w)"
        automatic = to_array(call_own(trial, gradiente_autograd, f, w, what=what, library_allowed=True), "resultado")
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


PREDICCION = Guide("ex02.prediccion", ("02", "Sensibilidad local"))
H_PRED = PREDICCION.hints(
    {
        "real_change": (
            2,
            {
                "es": "Eso es el cambio real, f(w + delta) − f(w). Se pide lo que predice el gradiente: la "
                "aproximación lineal, que para un paso grande es distinta.",
                "en": "That is the actual change, f(w + delta) − f(w). What is asked is what the gradient "
                "predicts: the linear approximation, which differs for a large step.",
            },
        ),
        "no_delta": (
            2,
            {
                "es": "Sumaste las derivadas sin multiplicarlas por el paso: cada componente aporta ∂f/∂wᵢ · δᵢ.",
                "en": "You added up the derivatives without multiplying them by the step: each component "
                "contributes ∂f/∂wᵢ · δᵢ.",
            },
        ),
        "not_summed": (
            3,
            {
                "es": "Se pide un solo número: la suma de las contribuciones de todas las componentes.",
                "en": "One number is asked for: the sum of the contributions of every component.",
            },
        ),
    }
)
PREDICCION.attach({"check.hint.sign": 2})


@register_check(
    "ex02.prediccion", 3, {"es": "El gradiente predice el cambio", "en": "The gradient predicts the change"}
)
@PREDICCION.part
def prediccion(trial: Trial, cambio_previsto: Answer) -> None:
    """cambio_previsto(f, w, delta) = Σ df/dw_i · delta_i, the first-order change (not the actual one)."""
    rng = trial.rng
    for _ in trial.count(public=2, hidden=3):
        name, problem, w = gradient_problem(rng)
        reference = loss_function(problem)
        delta = rng.normal(size=w.shape) * float(rng.choice([0.5, 1.0]))
        gradient = autograd_gradient(reference, w)
        expected = float(gradient @ delta)
        f = trial.keep(loss_function, problem)
        what = "cambio_previsto(f, w, delta)"
        result = call_own(trial, cambio_previsto, f, w, delta, what=what, library_allowed=True)
        got = to_array(result, "cambio_previsto(f, w, delta)")
        if got.size != 1:
            hint = H_PRED["not_summed"] if close(got.reshape(-1), gradient * delta) else ""
            raise Failed(mismatch(f"cambio_previsto(f, w, delta) [f(w) = {name}]", expected, got, w=w), hint)
        value = float(got.reshape(-1)[0])
        if not math.isclose(value, expected, rel_tol=1e-6, abs_tol=1e-9):
            actual = reference(w + delta).item() - reference(w).item()
            hint = diagnose(
                np.array(value),
                [
                    (H_PRED["real_change"], actual),
                    (H_PRED["no_delta"], gradient.sum()),
                    ("check.hint.sign", -expected),
                ],
            )
            raise Failed(
                mismatch(f"cambio_previsto(f, w, delta) [f(w) = {name}]", expected, value, w=w, delta=delta), hint
            )
        trial.passed()


def _index_list(value: Any, name: str) -> list[int]:
    array = to_array(value, name).reshape(-1)
    if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
        raise Failed(t("check.msg.type", name=name, expected=t("check.type.list"), got=fmt(array)))
    return sorted({int(i) for i in array})


OPTIONS = ("a", "b", "c", "d")
RIGHT_OPTION = "b"


CERO = Guide("ex02.cero", ("02", "Los gradientes son locales, no globales"))
CERO.attach(
    {
        "check.ex02.hint.complement": 3,
        "check.ex02.hint.relu_off": 2,
        "check.ex02.hint.option_a": 1,
        "check.ex02.hint.option_c": 2,
        "check.ex02.hint.option_d": 2,
    }
)


@register_check("ex02.cero", 3, {"es": "Qué dice un gradiente cero", "en": "What a zero gradient says"})
@CERO.part
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
        what = "indices_gradiente_cero(f, w)"
        got = _index_list(call_own(trial, indices_gradiente_cero, f, w, what=what, library_allowed=True), "indices")
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
