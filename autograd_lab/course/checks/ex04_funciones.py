"""Checks of ex04_funciones: the student's Functions (forward and backward), on hidden random inputs.

Each case runs forward on random float64 inputs, then backward with a random
``grad_output`` (not ones, so a forgotten ``grad_output`` factor shows), then a
numerical gradient check (central differences of the student's forward, taken
on the checking side).
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
    StudentError,
    Trial,
    close,
    diagnose,
    expect_tensor,
    mismatch,
    register_check,
    register_exercise,
    shape_mismatch,
    to_dict,
    to_list,
    type_name,
)
from .tools import function_case, is_function_class, numerical_vjp

register_exercise("ex04", {"es": "Funciones con su backward", "en": "Functions with their backward"})

register(
    {
        "check.ex04.not_function": {
            "es": "{name} debe ser una clase que hereda de Function (class {name}(Function): ...); es {got}.",
            "en": "{name} must be a class derived from Function (class {name}(Function): ...); it is {got}.",
        },
        "check.ex04.hint.forward": {
            "es": "Revisa forward: debe devolver un tensor con el resultado de la operación, de la misma forma "
            "que la entrada.",
            "en": "Check forward: it must return a tensor with the operation's result, of the same shape as the input.",
        },
        "check.ex04.backward_of": {
            "es": "El gradiente respecto de {input} en {name}.backward",
            "en": "The gradient with respect to {input} in {name}.backward",
        },
        "check.ex04.backward_count": {
            "es": "{name}.backward devolvió {got} gradientes; forward tiene {expected} entradas.",
            "en": "{name}.backward returned {got} gradients; forward has {expected} inputs.",
        },
        "check.ex04.gradcheck": {
            "es": "gradcheck falla para {name} con {inputs}: el backward no coincide con las diferencias finitas.",
            "en": "gradcheck fails for {name} with {inputs}: backward does not match finite differences.",
        },
        "check.ex04.hint.backward_return": {
            "es": "backward debe devolver un tensor por cada entrada de forward (una tupla si hay varias), cada "
            "uno con la forma de su entrada.",
            "en": "backward must return one tensor per input of forward (a tuple when there are several), each "
            "with the shape of its input.",
        },
        "check.ex04.hint.mul_swapped": {
            "es": "En a·b, el gradiente de a lleva el otro factor: grad_a = grad_output · b y "
            "grad_b = grad_output · a.",
            "en": "In a·b, the gradient of a carries the other factor: grad_a = grad_output · b and "
            "grad_b = grad_output · a.",
        },
        "check.ex04.hint.exp_derivative": {
            "es": "La derivada de exp(x) es exp(x) misma: guarda la salida en forward y úsala en backward.",
            "en": "The derivative of exp(x) is exp(x) itself: save the output in forward and use it in backward.",
        },
        "check.ex04.hint.tanh_input": {
            "es": "tanh'(x) = 1 - tanh(x)², con la salida y = tanh(x), no 1 - x² con la entrada.",
            "en": "tanh'(x) = 1 - tanh(x)², with the output y = tanh(x), not 1 - x² with the input.",
        },
        "check.ex04.hint.tanh_formula": {
            "es": "tanh'(x) = 1 - y² con y = tanh(x): un menos y un cuadrado.",
            "en": "tanh'(x) = 1 - y² with y = tanh(x): a minus sign and a square.",
        },
        "check.ex04.hint.sigmoid_input": {
            "es": "σ'(x) = σ(x)·(1 - σ(x)), con la salida σ(x), no con la entrada x.",
            "en": "σ'(x) = σ(x)·(1 - σ(x)), with the output σ(x), not with the input x.",
        },
        "check.ex04.hint.sigmoid_formula": {
            "es": "σ'(x) = σ(x)·(1 - σ(x)): los dos factores.",
            "en": "σ'(x) = σ(x)·(1 - σ(x)): both factors.",
        },
        "check.ex04.hint.div_a": {
            "es": "d(a/b)/da = 1/b: el gradiente de a es grad_output / b.",
            "en": "d(a/b)/da = 1/b: the gradient of a is grad_output / b.",
        },
        "check.ex04.hint.div_b": {
            "es": "d(a/b)/db = -a/b²: el gradiente de b es -grad_output · a / b².",
            "en": "d(a/b)/db = -a/b²: the gradient of b is -grad_output · a / b².",
        },
    }
)

Arrays = tuple[np.ndarray, ...]


@dataclass(frozen=True)
class FunctionSpec:
    """What the student's Function must compute: its forward, its gradients and the known mistakes."""

    name: str
    inputs: tuple[str, ...]
    sample: Callable[[np.random.Generator, tuple[int, ...]], Arrays]
    forward: Callable[..., np.ndarray]
    grads: Callable[[Arrays, np.ndarray, np.ndarray], Arrays]
    mistakes: Callable[[Arrays, np.ndarray, np.ndarray], list[list[tuple[str, Any]]]]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


MUL = FunctionSpec(
    "Mul",
    ("a", "b"),
    lambda rng, shape: (rng.normal(size=shape), rng.normal(size=shape)),
    lambda a, b: a * b,
    lambda x, y, g: (g * x[1], g * x[0]),
    lambda x, y, g: [
        [("check.ex04.hint.mul_swapped", g * x[0])],
        [("check.ex04.hint.mul_swapped", g * x[1])],
    ],
)
EXP = FunctionSpec(
    "Exp",
    ("x",),
    lambda rng, shape: (rng.uniform(-2, 2, size=shape),),
    np.exp,
    lambda x, y, g: (g * y,),
    lambda x, y, g: [[("check.ex04.hint.exp_derivative", g * x[0]), ("check.ex04.hint.exp_derivative", g)]],
)
TANH = FunctionSpec(
    "Tanh",
    ("x",),
    lambda rng, shape: (rng.normal(size=shape),),
    np.tanh,
    lambda x, y, g: (g * (1 - y**2),),
    lambda x, y, g: [
        [
            ("check.ex04.hint.tanh_input", g * (1 - x[0] ** 2)),
            ("check.ex04.hint.tanh_formula", g * (1 + y**2)),
            ("check.ex04.hint.tanh_formula", g * (1 - y)),
        ]
    ],
)
SIGMOID = FunctionSpec(
    "Sigmoid",
    ("x",),
    lambda rng, shape: (2 * rng.normal(size=shape),),
    _sigmoid,
    lambda x, y, g: (g * y * (1 - y),),
    lambda x, y, g: [
        [
            ("check.ex04.hint.sigmoid_input", g * x[0] * (1 - x[0])),
            ("check.ex04.hint.sigmoid_formula", g * y),
            ("check.ex04.hint.sigmoid_formula", g * (1 - y)),
            ("check.ex04.hint.sigmoid_formula", g * y * (1 + y)),
        ]
    ],
)
DIV = FunctionSpec(
    "Div",
    ("a", "b"),
    lambda rng, shape: (rng.normal(size=shape), rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.5, 2, size=shape)),
    lambda a, b: a / b,
    lambda x, y, g: (g / x[1], -g * x[0] / x[1] ** 2),
    lambda x, y, g: [
        [("check.ex04.hint.div_a", g * x[1]), ("check.ex04.hint.div_a", -g / x[1])],
        [("check.ex04.hint.div_b", -g / x[1] ** 2), ("check.ex04.hint.div_b", -g * x[0] / x[1])],
    ],
)


EPS = 1e-6  # the step of the numerical gradient check


def _expect_function(value: Answer, name: str) -> None:
    if value.value is None:
        raise Pending(t("check.pending.none", name=name))
    if not is_function_class(value):
        raise Failed(t("check.ex04.not_function", name=name, got=type_name(value)))


def _gradients(trial: Trial, spec: FunctionSpec, grads: Any, arrays: Arrays) -> Arrays:
    """The student's backward for one grad_output: one gradient per input (None counts as zeros)."""
    try:
        grads = trial.unwrap(grads, f"{spec.name}.backward")
    except StudentError as raised:
        if raised.error.is_a(RuntimeError, TypeError) and "gradient" in raised.error.message:
            raised.hint = "check.ex04.hint.backward_return"
        raise
    items = to_list(grads, f"{spec.name}.backward")
    if len(items) != len(arrays):
        raise Failed(t("check.ex04.backward_count", name=spec.name, got=len(items), expected=len(arrays)))
    return tuple(
        np.zeros_like(a) if grad is None else expect_tensor(grad, f"{spec.name}.backward").astype(np.float64)
        for grad, a in zip(items, arrays)
    )


def check_function(trial: Trial, value: Answer, spec: FunctionSpec) -> None:
    """Forward against numpy, backward against the formula (random grad_output), then a numerical gradient check
    — the student's Function runs in the kernel, everything it is compared with is computed here."""
    _expect_function(value, spec.name)
    rng = trial.rng
    for _ in trial.count(public=2, hidden=3):
        shape = tuple(int(n) for n in rng.integers(1, 4, size=int(rng.integers(1, 3))))
        arrays = spec.sample(rng, shape)
        named = dict(zip(spec.inputs, arrays))
        g = rng.normal(size=shape)
        apply_what = f"{spec.name}.apply({', '.join(spec.inputs)})"
        case = to_dict(
            trial.run(function_case, value, list(arrays), g, EPS, apply_what, f"{spec.name}.backward"), spec.name
        )
        output = trial.unwrap(case["output"], apply_what)
        y = expect_tensor(output, f"{spec.name}.forward").astype(np.float64)
        expected = spec.forward(*arrays)
        if y.shape != expected.shape:
            raise Failed(
                shape_mismatch(f"{spec.name}.forward", expected.shape, y.shape, **named), "check.ex04.hint.forward"
            )
        if not close(y, expected):
            raise Failed(mismatch(f"{spec.name}.forward", expected, y, **named), "check.ex04.hint.forward")
        got = _gradients(trial, spec, case["grads"], arrays)
        wanted = spec.grads(arrays, expected, g)
        with_ones = spec.grads(arrays, expected, np.ones_like(g))
        mistakes = spec.mistakes(arrays, expected, g)
        for i, name in enumerate(spec.inputs):
            if got[i].shape != wanted[i].shape:
                what = t("check.ex04.backward_of", input=name, name=spec.name)
                raise Failed(
                    shape_mismatch(what, wanted[i].shape, got[i].shape, **named), "check.ex04.hint.backward_return"
                )
            if not close(got[i], wanted[i]):
                hint = diagnose(
                    got[i],
                    [
                        ("check.hint.grad_output", with_ones[i]),
                        ("check.hint.sign", -wanted[i]),
                        *mistakes[i],
                    ],
                )
                what = t("check.ex04.backward_of", input=name, name=spec.name)
                raise Failed(mismatch(what, wanted[i], got[i], **named, grad_output=g), hint)
        numerical = numerical_vjp(to_list(case["around"], spec.name), list(arrays), g, EPS)
        if numerical is None or not all(close(n, a, rtol=1e-3, atol=1e-5) for n, a in zip(numerical, got)):
            raise Failed(t("check.ex04.gradcheck", name=spec.name, inputs=", ".join(spec.inputs)))
        trial.passed()


@register_check("ex04.mul", 2, {"es": "Mul: a · b", "en": "Mul: a · b"})
def mul(trial: Trial, Mul: Answer) -> None:
    """Mul.apply(a, b) = a * b with gradients (grad·b, grad·a)."""
    check_function(trial, Mul, MUL)


@register_check("ex04.exp", 2, {"es": "Exp: eˣ", "en": "Exp: eˣ"})
def exp(trial: Trial, Exp: Answer) -> None:
    """Exp.apply(x) = exp(x) with gradient grad·exp(x)."""
    check_function(trial, Exp, EXP)


@register_check("ex04.tanh", 2, {"es": "Tanh", "en": "Tanh"})
def tanh(trial: Trial, Tanh: Answer) -> None:
    """Tanh.apply(x) = tanh(x) with gradient grad·(1 - tanh(x)²)."""
    check_function(trial, Tanh, TANH)


@register_check("ex04.sigmoid", 2, {"es": "Sigmoid: σ(x)", "en": "Sigmoid: σ(x)"})
def sigmoid(trial: Trial, Sigmoid: Answer) -> None:
    """Sigmoid.apply(x) = 1 / (1 + exp(-x)) with gradient grad·σ(x)·(1 - σ(x))."""
    check_function(trial, Sigmoid, SIGMOID)


@register_check("ex04.div", 2, {"es": "Div: a / b", "en": "Div: a / b"})
def div(trial: Trial, Div: Answer) -> None:
    """Div.apply(a, b) = a / b with gradients (grad/b, -grad·a/b²)."""
    check_function(trial, Div, DIV)
