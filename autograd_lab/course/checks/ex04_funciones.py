"""Checks of ex04_funciones: the student's Functions on NumPy arrays (unbroadcast, Add and Mul with broadcasting,
Softplus, MatMul), on hidden random inputs.

The student's ``forward(ctx, *arrays)`` and ``backward(ctx, grad_output)`` run
in the kernel with a fresh context object (``array_function_case``); the
checking side compares the output and the gradients with its own formulas
(with a ``grad_output`` that is not ones, so a forgotten factor shows) and
runs a numerical gradient check: central differences of the student's own
forward.  ex08 checks its pieces with the same machinery.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...i18n import register, t
from .core import (
    Answer,
    Failed,
    Pending,
    Trial,
    attempt,
    close,
    diagnose,
    mismatch,
    probe,
    register_check,
    register_exercise,
    shape_mismatch,
    to_array,
    to_dict,
    to_list,
    type_name,
)
from .guide import Guide
from .own_work import NUMPY_ONLY, call_own, reference, reject_delegation, watching
from .wire import Signal

register_exercise("ex04", {"es": "Funciones con su backward", "en": "Functions with their backward"})

register(
    {
        "check.ex04.not_class": {
            "es": "{name} debe ser una clase con forward y backward (class {name}(Function): ...); es {got}.",
            "en": "{name} must be a class with forward and backward (class {name}(Function): ...); it is {got}.",
        },
        "check.ex04.forward_of": {"es": "{name}.forward", "en": "{name}.forward"},
        "check.ex04.backward_of": {
            "es": "El gradiente respecto de {input} en {name}.backward",
            "en": "The gradient with respect to {input} in {name}.backward",
        },
        "check.ex04.backward_count": {
            "es": "{name}.backward devolvió {got} gradiente(s); forward tiene {expected} entradas.",
            "en": "{name}.backward returned {got} gradient(s); forward has {expected} inputs.",
        },
        "check.ex04.gradcheck": {
            "es": "La comprobación numérica falla para {name}: su backward no coincide con las diferencias finitas "
            "de su propio forward ({inputs}).",
            "en": "The numerical check fails for {name}: its backward does not match the finite differences of "
            "its own forward ({inputs}).",
        },
        "check.ex04.unbroadcast": {
            "es": "unbroadcast(grad, {shape}) con grad.shape = {grad_shape}",
            "en": "unbroadcast(grad, {shape}) with grad.shape = {grad_shape}",
        },
    }
)

Arrays = tuple[np.ndarray, ...]
EPS = 1e-6  # the step of the numerical gradient check


# --------------------------------------------------------------------------- in the kernel


class _Context:
    """The ``ctx`` the student's forward and backward share in a check: save_for_backward and any attribute."""

    def save_for_backward(self, *arrays: Any) -> None:
        self.saved_tensors = arrays


def _copies(arrays: list[Any]) -> list[Any]:
    return [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in arrays]


@probe
def array_function_case(
    cls: Any, arrays: list[Any], grad_output: np.ndarray, eps: float, wrt: list[int], name: str
) -> dict[str, Any]:
    """In the kernel: ``cls.forward(ctx, *arrays)``, ``cls.backward(ctx, grad_output)`` with the same ``ctx``, and
    the forward again (fresh ``ctx``) at every entry of the inputs in ``wrt`` moved by ``±eps``."""
    with watching() as counts:
        ctx = _Context()
        output = attempt(cls.forward, ctx, *_copies(arrays), what=f"{name}.forward(ctx, ...)")
        if isinstance(output, Signal):
            return {"output": output, "counts": dict(counts)}
        grads = attempt(cls.backward, ctx, np.array(grad_output, copy=True), what=f"{name}.backward(ctx, grad_output)")
        around: list[Any] = []
        for i in wrt if eps else []:
            for j in range(np.asarray(arrays[i]).size):
                for sign in (1.0, -1.0):
                    shifted = _copies(arrays)
                    shifted[i] = np.array(shifted[i], dtype=np.float64)
                    shifted[i].reshape(-1)[j] += sign * eps
                    around.append(attempt(cls.forward, _Context(), *shifted, what=f"{name}.forward(ctx, ...)"))
    return {"output": output, "grads": grads, "around": around, "counts": dict(counts)}


# --------------------------------------------------------------------------- the checking side


@dataclass(frozen=True)
class ArrayFunction:
    """What a Function on arrays must compute: its forward, its gradients and the known mistakes.

    ``grads(arrays, output, g)`` gives one gradient per input (None for an
    input that is not differentiable, such as labels); ``mistakes`` gives, per
    input, ``(hint_key, wrong_gradient)`` pairs; ``shape_hint`` names the
    mistake behind a gradient of the wrong shape.
    """

    name: str
    inputs: tuple[str, ...]
    forward: Callable[..., Any]
    grads: Callable[[Arrays, np.ndarray, np.ndarray], tuple[np.ndarray | None, ...]]
    mistakes: Callable[[Arrays, np.ndarray, np.ndarray], list[list[tuple[str, Any]]]]
    forward_hint: str = ""
    shape_hint: str = ""
    error_hints: dict[type[BaseException], str] | None = None
    count_hint: str = ""


def expect_class(value: Answer, name: str) -> None:
    """``value`` is a class (with forward and backward), or the part is pending."""
    if value.value is None:
        raise Pending(t("check.pending.none", name=name))
    if value.info.kind != "class":
        raise Failed(t("check.ex04.not_class", name=name, got=type_name(value.value)))


def numerical_vjp(around: list[Any], arrays: Arrays, wrt: list[int], g: np.ndarray, eps: float) -> list[Any] | None:
    """``g · d forward / d input`` for every input in ``wrt``, by central differences of the returned forwards."""
    values = iter(around)
    result = []
    for i in wrt:
        gradient = np.zeros(np.shape(arrays[i]))
        for j in range(gradient.size):
            plus, minus = next(values, None), next(values, None)
            try:
                difference = np.sum(g * (np.asarray(plus, dtype=np.float64) - np.asarray(minus, dtype=np.float64)))
            except (TypeError, ValueError):
                return None
            gradient.reshape(-1)[j] = difference / (2 * eps)
        result.append(gradient)
    return result


def check_array_function(
    trial: Trial, value: Answer, spec: ArrayFunction, arrays: Arrays, g: np.ndarray, wrt: list[int]
) -> None:
    """One case: the student's forward, backward and a numerical gradient check against ``spec``."""
    named = {name: a for name, a in zip(spec.inputs, arrays) if isinstance(a, np.ndarray) and a.dtype.kind == "f"}
    case = to_dict(trial.run(array_function_case, value, list(arrays), g, EPS, wrt, spec.name), spec.name)
    reject_delegation(to_dict(case["counts"], "counts"), spec.name)
    what = t("check.ex04.forward_of", name=spec.name)
    y = to_array(trial.unwrap(case["output"], f"{spec.name}.forward", spec.error_hints), what)
    expected = np.asarray(spec.forward(*arrays), dtype=np.float64)
    if y.shape != expected.shape:
        raise Failed(shape_mismatch(what, expected.shape, y.shape, **named), spec.forward_hint)
    if not close(y, expected):
        raise Failed(mismatch(what, expected, y, **named), spec.forward_hint)
    grads = trial.unwrap(case["grads"], f"{spec.name}.backward", spec.error_hints)
    items = list(grads) if isinstance(grads, (list, tuple)) else [grads]
    if len(items) != len(arrays):
        raise Failed(
            t("check.ex04.backward_count", name=spec.name, got=len(items), expected=len(arrays)), spec.count_hint
        )
    wanted = spec.grads(arrays, expected, g)
    with_ones = spec.grads(arrays, expected, np.ones_like(g))
    mistakes = spec.mistakes(arrays, expected, g)
    got_all = []
    for i, name in enumerate(spec.inputs):
        if i not in wrt:
            continue
        what = t("check.ex04.backward_of", input=name, name=spec.name)
        got = to_array(items[i], what)
        want = np.asarray(wanted[i])
        if got.shape != want.shape:
            raise Failed(shape_mismatch(what, want.shape, got.shape, **named), spec.shape_hint)
        if not close(got, want):
            extra: list[tuple[str, Any]] = [("check.hint.sign", -want)]
            if not np.allclose(g, 1):
                extra.insert(0, ("check.hint.grad_output", with_ones[i]))
            hint = diagnose(got, [(key, wrong) for key, wrong in [*mistakes[i], *extra] if wrong is not None])
            raise Failed(mismatch(what, want, got, **named, grad_output=g), hint)
        got_all.append(got)
    numerical = numerical_vjp(to_list(case["around"], spec.name), arrays, wrt, g, EPS)
    if numerical is None or not all(close(n, a, rtol=1e-3, atol=1e-5) for n, a in zip(numerical, got_all)):
        inputs = ", ".join(f"{name}.shape = {np.shape(arrays[i])}" for i, name in enumerate(spec.inputs) if i in wrt)
        raise Failed(t("check.ex04.gradcheck", name=spec.name, inputs=inputs), spec.forward_hint)
    trial.passed()


@reference
def sum_to_shape(gradient: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """The reference: ``gradient`` summed back to ``shape`` (which broadcasts to ``gradient.shape``)."""
    while gradient.ndim > len(shape):
        gradient = gradient.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and gradient.shape[axis] != 1:
            gradient = gradient.sum(axis=axis, keepdims=True)
    return gradient


def broadcast_pair(rng: np.random.Generator) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Two shapes that broadcast: a bias over a batch, a column times a row, equal shapes, a scalar, 3D."""
    n, m, k = (int(v) for v in rng.choice(np.arange(2, 6), size=3, replace=False))
    options = [
        ((n, m), (m,)),
        ((n, 1), (1, m)),
        ((n, m), (n, m)),
        ((k, n, m), (n, 1)),
        ((), (n, m)),
        ((n, m), (1,)),
    ]
    pair = options[int(rng.integers(len(options)))]
    return pair if rng.random() < 0.5 else (pair[1], pair[0])


# --------------------------------------------------------------------------- 1. unbroadcast

UNBROADCAST = Guide("ex04.unbroadcast", ("", "1. Devolver el gradiente a su forma: `unbroadcast`"))
H_UNB = UNBROADCAST.hints(
    {
        "ones": (
            2,
            {
                "es": "Faltan las dimensiones de tamaño 1: donde la forma pedida tiene un 1 y el gradiente no, "
                "también hay que sumar (conservando la dimensión).",
                "en": "The size-1 dimensions are missing: where the requested shape has a 1 and the gradient "
                "does not, sum too (keeping the dimension).",
            },
        ),
        "keepdims": (
            3,
            {
                "es": "Al sumar una dimensión de tamaño 1 desapareció: súmala con keepdims=True para que siga ahí.",
                "en": "Summing a size-1 dimension removed it: sum with keepdims=True so that it stays.",
            },
        ),
        "leading": (
            2,
            {
                "es": "Sobran dimensiones por la izquierda: súmalas todas, hasta que el gradiente tenga tantas "
                "dimensiones como la forma pedida.",
                "en": "There are extra dimensions on the left: sum them all away, until the gradient has as many "
                "dimensions as the requested shape.",
            },
        ),
        "mean": (
            1,
            {
                "es": "Hiciste la media: cada uso del valor aporta su gradiente entero, así que se **suman**.",
                "en": "You took the mean: each use of the value contributes its whole gradient, so they are **added**.",
            },
        ),
    }
)


def _unbroadcast_case(rng: np.random.Generator) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(target shape, gradient shape): the target broadcasts to the gradient's shape."""
    full = [int(v) for v in rng.integers(2, 5, size=int(rng.integers(1, 4)))]
    target = [1 if rng.random() < 0.4 else n for n in full]
    target = target[int(rng.integers(0, len(target))) :]
    extra = [int(v) for v in rng.integers(2, 4, size=int(rng.integers(0, 3)))]
    return tuple(target), tuple(extra + full)


@register_check(
    "ex04.unbroadcast", 2, {"es": "unbroadcast: el gradiente a su forma", "en": "unbroadcast"}, forbid=NUMPY_ONLY
)
@UNBROADCAST.part
def unbroadcast_part(trial: Trial, unbroadcast: Answer) -> None:
    """unbroadcast(grad, forma) sums grad back to forma: leading dimensions away, size-1 dimensions kept."""
    rng = trial.rng
    cases: list[tuple[tuple[int, ...], tuple[int, ...]]] = [((3,), (4, 3)), ((4, 1), (4, 3)), ((2, 3), (2, 3))]
    cases += [_unbroadcast_case(rng) for _ in trial.count(public=3, hidden=6)]
    for shape, grad_shape in cases:
        grad = rng.normal(size=grad_shape)
        what = t("check.ex04.unbroadcast", shape=shape, grad_shape=grad_shape)
        got = to_array(call_own(trial, unbroadcast, grad, shape, what=f"unbroadcast(grad, {shape})"), what)
        expected = sum_to_shape(grad, shape)
        if got.shape != expected.shape:
            leading = grad
            while leading.ndim > len(shape):
                leading = leading.sum(axis=0)
            if got.shape == leading.shape:
                hint = H_UNB["ones"]
            elif got.ndim > len(shape):
                hint = H_UNB["leading"]
            elif got.size == expected.size:
                hint = H_UNB["keepdims"]
            else:
                hint = ""
            raise Failed(shape_mismatch(what, expected.shape, got.shape), hint)
        if not close(got, expected):
            counts = np.prod(grad_shape) / max(int(np.prod(shape)), 1)
            raise Failed(mismatch(what, expected, got), diagnose(got, [(H_UNB["mean"], expected / counts)]))
        trial.passed()


# --------------------------------------------------------------------------- 2. Add and Mul with broadcasting

BROADCAST = Guide("ex04.broadcast", ("", "2. `Add` y `Mul` con broadcasting"))
H_BRO = BROADCAST.hints(
    {
        "unbroadcast": (
            2,
            {
                "es": "El gradiente de una entrada extendida por broadcasting debe volver a su forma: pásalo por "
                "tu unbroadcast con la forma de esa entrada.",
                "en": "The gradient of an input that was broadcast must go back to its shape: pass it through "
                "your unbroadcast with that input's shape.",
            },
        ),
        "other_factor": (
            3,
            {
                "es": "En a·b, el gradiente de a lleva el **otro** factor, b (y el de b lleva a).",
                "en": "In a·b, the gradient of a carries the **other** factor, b (and that of b carries a).",
            },
        ),
        "forward": (
            1,
            {
                "es": "Revisa forward: debe devolver a + b (o a · b) con broadcasting, como NumPy.",
                "en": "Check forward: it must return a + b (or a · b) with broadcasting, as NumPy does.",
            },
        ),
    }
)
BROADCAST.attach({"check.hint.grad_output": 1, "check.hint.sign": 3})

ADD = ArrayFunction(
    "Add",
    ("a", "b"),
    lambda a, b: a + b,
    lambda x, y, g: (sum_to_shape(g, np.shape(x[0])), sum_to_shape(g, np.shape(x[1]))),
    lambda x, y, g: [[], []],
    forward_hint=H_BRO["forward"],
    shape_hint=H_BRO["unbroadcast"],
    error_hints={ValueError: H_BRO["unbroadcast"]},
)
MUL = ArrayFunction(
    "Mul",
    ("a", "b"),
    lambda a, b: a * b,
    lambda x, y, g: (sum_to_shape(g * x[1], np.shape(x[0])), sum_to_shape(g * x[0], np.shape(x[1]))),
    lambda x, y, g: [
        [(H_BRO["other_factor"], g * x[0] if np.shape(x[0]) == y.shape else None)],
        [(H_BRO["other_factor"], g * x[1] if np.shape(x[1]) == y.shape else None)],
    ],
    forward_hint=H_BRO["forward"],
    shape_hint=H_BRO["unbroadcast"],
    error_hints={ValueError: H_BRO["unbroadcast"]},
)


def broadcast_cases(trial: Trial, value: Answer, spec: ArrayFunction, public: int, hidden: int) -> None:
    """``spec`` on equal shapes first, then on pairs that broadcast."""
    rng = trial.rng
    expect_class(value, spec.name)
    n, m = (int(v) for v in rng.choice(np.arange(2, 6), size=2, replace=False))
    pairs = [((n, m), (n, m))] + [broadcast_pair(rng) for _ in trial.count(public=public, hidden=hidden)]
    for shape_a, shape_b in pairs:
        a, b = np.asarray(rng.normal(size=shape_a)), np.asarray(rng.normal(size=shape_b))
        g = rng.normal(size=np.broadcast_shapes(shape_a, shape_b))
        check_array_function(trial, value, spec, (a, b), g, [0, 1])


@register_check(
    "ex04.broadcast", 3, {"es": "Add y Mul con broadcasting", "en": "Add and Mul with broadcasting"}, forbid=NUMPY_ONLY
)
@BROADCAST.part
def broadcast(trial: Trial, Add: Answer, Mul: Answer) -> None:
    """Add and Mul on equal shapes and on shapes that broadcast: each gradient has its input's shape."""
    broadcast_cases(trial, Add, ADD, public=2, hidden=3)
    broadcast_cases(trial, Mul, MUL, public=2, hidden=3)


# --------------------------------------------------------------------------- 3. Softplus


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x)."""
    return 1 / (1 + np.exp(-x))


SOFTPLUS = Guide("ex04.softplus", ("04", "③ Aplica la regla de la cadena"))
H_SP = SOFTPLUS.hints(
    {
        "forward": (
            1,
            {
                "es": "Revisa forward: softplus(x) = log(1 + eˣ), elemento a elemento.",
                "en": "Check forward: softplus(x) = log(1 + eˣ), elementwise.",
            },
        ),
        "log_chain": (
            2,
            {
                "es": "La derivada de log(g) es g′/g: falta dividir entre 1 + eˣ.",
                "en": "The derivative of log(g) is g′/g: the division by 1 + eˣ is missing.",
            },
        ),
        "exponent_sign": (
            3,
            {
                "es": "Casi: eˣ/(1 + eˣ) = 1/(1 + e⁻ˣ). Revisa el signo del exponente.",
                "en": "Nearly: eˣ/(1 + eˣ) = 1/(1 + e⁻ˣ). Check the sign of the exponent.",
            },
        ),
        "output": (
            3,
            {
                "es": "La derivada es σ(x), evaluada en la **entrada** x, no en la salida de softplus.",
                "en": "The derivative is σ(x), evaluated at the **input** x, not at softplus's output.",
            },
        ),
        "inner_only": (
            2,
            {
                "es": "Eso es solo la derivada de log, 1/(1 + eˣ)... con la regla de la cadena falta multiplicar "
                "por la derivada de dentro, eˣ.",
                "en": "That is only the derivative of log, 1/(1 + eˣ)... the chain rule still multiplies by the "
                "inner derivative, eˣ.",
            },
        ),
    }
)
SOFTPLUS.attach({"check.hint.grad_output": 1, "check.hint.sign": 3})

SOFTPLUS_SPEC = ArrayFunction(
    "Softplus",
    ("x",),
    lambda x: np.logaddexp(0, x),
    lambda x, y, g: (g * sigmoid(x[0]),),
    lambda x, y, g: [
        [
            (H_SP["log_chain"], g * np.exp(x[0])),
            (H_SP["exponent_sign"], g * sigmoid(-x[0])),
            (H_SP["output"], g * sigmoid(y)),
            (H_SP["inner_only"], g / (1 + np.exp(x[0]))),
        ]
    ],
    forward_hint=H_SP["forward"],
)


@register_check(
    "ex04.softplus", 2, {"es": "Softplus: deriva tú", "en": "Softplus: derive it yourself"}, forbid=NUMPY_ONLY
)
@SOFTPLUS.part
def softplus(trial: Trial, Softplus: Answer) -> None:
    """Softplus: forward log(1 + e^x), backward grad·σ(x) (derived by the student)."""
    expect_class(Softplus, "Softplus")
    rng = trial.rng
    for _ in trial.count(public=2, hidden=3):
        shape = tuple(int(n) for n in rng.integers(1, 4, size=int(rng.integers(1, 3))))
        x = rng.uniform(-4, 4, size=shape)
        check_array_function(trial, Softplus, SOFTPLUS_SPEC, (x,), rng.normal(size=shape), [0])


# --------------------------------------------------------------------------- 4. MatMul

MATMUL = Guide("ex04.matmul", ("07", "Todo se reduce a sumas, multiplicaciones y la regla de la cadena"))
H_MM = MATMUL.hints(
    {
        "shapes": (
            1,
            {
                "es": "Las formas no encajan en algún producto del backward: escribe la forma de grad_output, A y B "
                "y busca el único producto que da la forma de cada gradiente.",
                "en": "The shapes do not fit in some product of backward: write down the shapes of grad_output, A "
                "and B and find the only product that gives each gradient's shape.",
            },
        ),
        "transposed": (
            3,
            {
                "es": "Ese gradiente sale traspuesto: (X @ Y)ᵀ = Yᵀ @ Xᵀ; cambia el orden de los factores.",
                "en": "That gradient comes out transposed: (X @ Y)ᵀ = Yᵀ @ Xᵀ; swap the order of the factors.",
            },
        ),
        "forward": (
            1,
            {
                "es": "Revisa forward: es el producto de matrices a @ b, no el producto elemento a elemento.",
                "en": "Check forward: it is the matrix product a @ b, not the elementwise product.",
            },
        ),
    }
)
MATMUL.attach({"check.hint.grad_output": 1, "check.hint.sign": 3})

MATMUL_SPEC = ArrayFunction(
    "MatMul",
    ("a", "b"),
    lambda a, b: a @ b,
    lambda x, y, g: (g @ x[1].T, x[0].T @ g),
    lambda x, y, g: [[], []],
    forward_hint=H_MM["forward"],
    shape_hint=H_MM["transposed"],
    error_hints={ValueError: H_MM["shapes"]},
)


@register_check(
    "ex04.matmul",
    3,
    {"es": "MatMul: el backward con sus formas", "en": "MatMul: backward and shapes"},
    forbid=NUMPY_ONLY,
)
@MATMUL.part
def matmul(trial: Trial, MatMul: Answer) -> None:
    """MatMul: (N, D) @ (D, M) -> (N, M); gradients grad @ Bᵀ (N, D) and Aᵀ @ grad (D, M), N, D, M distinct."""
    expect_class(MatMul, "MatMul")
    rng = trial.rng
    for _ in trial.count(public=2, hidden=3):
        n, d, m = (int(v) for v in rng.choice(np.arange(2, 7), size=3, replace=False))
        a, b = rng.normal(size=(n, d)), rng.normal(size=(d, m))
        check_array_function(trial, MatMul, MATMUL_SPEC, (a, b), rng.normal(size=(n, m)), [0, 1])
