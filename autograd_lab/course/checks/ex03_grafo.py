"""Checks of ex03_grafo: u = x·y, v = u + y, f = v·x by hand (local derivatives, gradients along every path) and
an expression of one's own."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...engine import AccumulateGrad, iter_graph
from ...dtypes import float64
from ...tensor import Tensor
from ...factories import tensor
from ...i18n import register, t
from .guide import Guide
from .own_work import call_own, reference
from .core import (
    Answer,
    Failed,
    Trial,
    diagnose,
    expect_tensor,
    fmt_inputs,
    mismatch,
    probe,
    register_check,
    register_exercise,
    to_array,
    to_dict,
    to_float,
    to_list,
)
from .wire import Signal, TensorValue, attempt

register_exercise("ex03", {"es": "Un grafo a mano", "en": "A graph by hand"})

register(
    {
        "check.ex03.missing_keys": {
            "es": "Faltan claves en el diccionario: {keys}.",
            "en": "Keys missing from the dictionary: {keys}.",
        },
        "check.ex03.hint.swapped": {
            "es": "Los dos gradientes están intercambiados: devuelve (dd/da, dd/db) en ese orden.",
            "en": "The two gradients are swapped: return (dd/da, dd/db) in that order.",
        },
        "check.ex03.pair": {
            "es": "{name} debe devolver dos números; devolvió {got}.",
            "en": "{name} must return two numbers; it returned {got}.",
        },
        "check.ex03.not_graph": {
            "es": "mi_expresion(x, y) no quedó registrada en el grafo (grad_fn es None).",
            "en": "mi_expresion(x, y) was not recorded in the graph (grad_fn is None).",
        },
        "check.ex03.hint.graph_broken": {
            "es": "Calcula con operaciones de tensores sobre x e y (+, *, torch.sin...); .item(), float() o NumPy "
            "cortan el grafo.",
            "en": "Compute with tensor operations on x and y (+, *, torch.sin...); .item(), float() or NumPy "
            "cut the graph.",
        },
        "check.ex03.not_scalar": {
            "es": "mi_expresion(x, y) debe dar un escalar (un solo número); tiene forma {shape}.",
            "en": "mi_expresion(x, y) must give a scalar (one number); it has shape {shape}.",
        },
        "check.ex03.not_finite": {
            "es": "mi_expresion da {value} con {inputs}: elige una expresión definida para x, y entre 0.5 y 2.",
            "en": "mi_expresion gives {value} for {inputs}: choose an expression defined for x, y between 0.5 and 2.",
        },
        "check.ex03.uses_both": {
            "es": "Tu expresión debe depender de x y de y.",
            "en": "Your expression must depend on both x and y.",
        },
        "check.ex03.reuse": {
            "es": "En tu expresión ninguna variable se usa dos veces, y el ejercicio trata de eso.",
            "en": "No variable is used twice in your expression, and that is what the exercise is about.",
        },
        "check.ex03.hint.reuse": {
            "es": "Usa x (o y) en dos sitios, como a en a·b + a: por ejemplo x·y + sin(x).",
            "en": "Use x (or y) in two places, like a in a·b + a: for example x·y + sin(x).",
        },
        "check.ex03.lecture": {
            "es": "Esa es la expresión de la clase (x·y + x); elige una tuya.",
            "en": "That is the lecture's expression (x·y + x); choose one of your own.",
        },
        "check.ex03.hint.own_chain_rule": {
            "es": "Recorre tu grafo desde la salida: multiplica las derivadas locales a lo largo de cada camino "
            "y suma los caminos que llegan a la misma variable.",
            "en": "Walk your graph from the output: multiply the local derivatives along each path and add the "
            "paths that reach the same variable.",
        },
    }
)

LOCALES = Guide("ex03.locales", ("05", "Los dos caminos"))
H_LOC = LOCALES.hints(
    {
        "other_factor": (
            1,
            {
                "es": "La derivada local de un producto respecto de un factor es el **otro** factor.",
                "en": "The local derivative of a product with respect to one factor is the **other** factor.",
            },
        ),
        "add_local": (
            1,
            {
                "es": "La derivada local de una suma respecto de cada sumando es 1.",
                "en": "The local derivative of a sum with respect to each term is 1.",
            },
        ),
        "local_not_total": (
            2,
            {
                "es": "Eso es la derivada total de f respecto de x (los dos caminos). La local del nodo f = v·x "
                "mira solo ese nodo, con v quieto.",
                "en": "That is the total derivative of f with respect to x (both paths). The local one of the node "
                "f = v·x looks only at that node, with v held still.",
            },
        ),
        "forward_value": (
            2,
            {
                "es": "La derivada local de f = v·x respecto de x es el otro factor, v, con su valor del forward: "
                "v = x·y + y, no x·y.",
                "en": "The local derivative of f = v·x with respect to x is the other factor, v, with its forward "
                "value: v = x·y + y, not x·y.",
            },
        ),
    }
)
GRADIENTES = Guide("ex03.gradientes", ("05", "Los dos caminos"))
H_GRA = GRADIENTES.hints(
    {
        "x_direct_only": (
            2,
            {
                "es": "Falta el camino f ← v ← u ← x: x también llega a f a través de u = x·y.",
                "en": "The path f ← v ← u ← x is missing: x also reaches f through u = x·y.",
            },
        ),
        "x_via_u_only": (
            2,
            {
                "es": "Falta el camino directo f ← x: f = v·x usa x directamente.",
                "en": "The direct path f ← x is missing: f = v·x uses x directly.",
            },
        ),
        "y_direct_only": (
            2,
            {
                "es": "Falta el camino f ← v ← u ← y: y también llega a v a través de u = x·y.",
                "en": "The path f ← v ← u ← y is missing: y also reaches v through u = x·y.",
            },
        ),
        "y_via_u_only": (
            2,
            {
                "es": "Falta el camino f ← v ← y: v = u + y usa y directamente.",
                "en": "The path f ← v ← y is missing: v = u + y uses y directly.",
            },
        ),
        "multiplied_paths": (
            3,
            {
                "es": "Los caminos se **suman**; dentro de cada camino, las derivadas locales se multiplican.",
                "en": "Paths are **added**; along each path, the local derivatives are multiplied.",
            },
        ),
    }
)
GRADIENTES.attach({"check.ex03.hint.swapped": 3, "check.hint.sign": 3})
PROPIA = Guide("ex03.propia", ("05", "Los dos caminos"))
PROPIA.attach(
    {
        "check.ex03.hint.graph_broken": 1,
        "check.ex03.hint.reuse": 1,
        "check.ex03.hint.own_chain_rule": 3,
        "check.ex03.hint.swapped": 3,
        "check.hint.sign": 2,
    }
)

LOCAL_KEYS = ("du/dx", "du/dy", "dv/du", "dv/dy", "df/dv", "df/dx")


def _sample_xy(trial: Trial) -> tuple[float, float]:
    """Two values rounded to 2 decimals, far from each other, from 0 and from ±1 (so the mistakes differ)."""
    while True:
        x, y = (round(float(v), 2) for v in trial.rng.uniform(-3, 3, size=2))
        if abs(x - y) > 0.5 and min(abs(x), abs(y), abs(abs(x) - 1), abs(abs(y) - 1), abs(x + y), abs(x * y + y)) > 0.3:
            return x, y


def _local(function: Any, *values: float) -> list[float]:
    """The derivatives of one node, ``function(*inputs)``, with respect to each input: the library's backward."""
    leaves = [tensor(v, dtype=float64, requires_grad=True) for v in values]
    function(*leaves).backward()
    return [float(leaf.grad.item()) for leaf in leaves]  # type: ignore[union-attr]


@reference
def local_derivatives(x: float, y: float) -> dict[str, float]:
    """The local derivative at every edge of u = x·y, v = u + y, f = v·x, node by node."""
    u = x * y
    v = u + y
    du_dx, du_dy = _local(lambda a, b: a * b, x, y)
    dv_du, dv_dy = _local(lambda a, b: a + b, u, y)
    df_dv, df_dx = _local(lambda a, b: a * b, v, x)
    return {"du/dx": du_dx, "du/dy": du_dy, "dv/du": dv_du, "dv/dy": dv_dy, "df/dv": df_dv, "df/dx": df_dx}


@reference
def graph_gradients(x: float, y: float) -> np.ndarray:
    """(df/dx, df/dy) of the whole graph, by the library's backward."""
    xt, yt = tensor(x, dtype=float64, requires_grad=True), tensor(y, dtype=float64, requires_grad=True)
    ((xt * yt + yt) * xt).backward()
    return np.array([xt.grad.item(), yt.grad.item()])  # type: ignore[union-attr]


@register_check("ex03.locales", 3, {"es": "Derivadas locales", "en": "Local derivatives"})
@LOCALES.part
def locales(trial: Trial, derivadas_locales: Answer) -> None:
    """derivadas_locales(x, y): the local derivative of each node of u = x·y, v = u + y, f = v·x per input."""
    for _ in trial.count(public=2, hidden=3):
        x, y = _sample_xy(trial)
        expected = local_derivatives(x, y)
        what = f"derivadas_locales({x}, {y})"
        answers = to_dict(call_own(trial, derivadas_locales, x, y, what=what, library_allowed=True), "resultado")
        missing = [key for key in LOCAL_KEYS if key not in answers]
        if missing:
            raise Failed(t("check.ex03.missing_keys", keys=", ".join(missing)))
        for key in LOCAL_KEYS:
            got = to_float(answers[key], key)
            if not np.isclose(got, expected[key], rtol=1e-9, atol=1e-12):
                if key.startswith("dv/"):
                    hint = H_LOC["add_local"]
                elif key == "df/dx" and np.isclose(got, 2 * x * y + y):
                    hint = H_LOC["local_not_total"]
                elif key == "df/dx" and np.isclose(got, x * y):
                    hint = H_LOC["forward_value"]
                else:
                    hint = H_LOC["other_factor"]
                raise Failed(mismatch(key, expected[key], got, x=x, y=y), hint)
        trial.passed()


def _pair(value: Any, name: str) -> tuple[float, float]:
    items = to_list(value, name)
    if len(items) != 2:
        raise Failed(t("check.ex03.pair", name=name, got=len(items)))
    return to_float(items[0], name), to_float(items[1], name)


@register_check(
    "ex03.gradientes", 4, {"es": "Los gradientes por todos los caminos", "en": "The gradients along every path"}
)
@GRADIENTES.part
def gradientes(trial: Trial, gradientes: Answer) -> None:
    """gradientes(x, y) = (df/dx, df/dy) = (2xy + y, x² + x), as the library's backward computes them."""
    for _ in trial.count(public=2, hidden=3):
        x, y = _sample_xy(trial)
        expected = graph_gradients(x, y)
        result = call_own(trial, gradientes, x, y, what=f"gradientes({x}, {y})", library_allowed=True)
        got = np.array(_pair(result, "gradientes"))
        if np.allclose(got, expected, rtol=1e-9, atol=1e-12):
            trial.passed()
            continue
        v = x * y + y
        if np.isclose(got[0], expected[0], rtol=1e-9, atol=1e-12):
            candidates = [
                (H_GRA["y_direct_only"], x),
                (H_GRA["y_via_u_only"], x * x),
                (H_GRA["multiplied_paths"], x**3),
            ]
            hint = diagnose(np.array(got[1]), candidates)
        else:
            candidates = [
                (H_GRA["x_direct_only"], v),
                (H_GRA["x_via_u_only"], x * y),
                (H_GRA["multiplied_paths"], v * x * y),
            ]
            hint = diagnose(np.array(got[0]), candidates)
        hint = hint or diagnose(got, [("check.ex03.hint.swapped", expected[::-1]), ("check.hint.sign", -expected)])
        raise Failed(mismatch("(df/dx, df/dy)", expected, got, x=x, y=y), hint)


def _reuses_a_variable(output: Tensor, leaves: tuple[Tensor, Tensor]) -> list[int]:
    """How many edges of the graph of ``output`` reach each leaf."""
    uses: dict[int, int] = {}
    for node in iter_graph(output):
        for child, _ in node.next_functions:
            if isinstance(child, AccumulateGrad):
                uses[id(child.variable)] = uses.get(id(child.variable), 0) + 1
    return [uses.get(id(leaf), 0) for leaf in leaves]


STENCIL = (-2, -1, 1, 2)  # points of the fourth-order central difference, in steps of STEP
STENCIL_WEIGHTS = np.array([1.0, -8.0, 8.0, -1.0]) / 12
STEP = 1e-3


@probe
def expression_case(mi_expresion: Any, x0: float, y0: float) -> dict[str, Any]:
    """In the kernel: the student's expression at (x0, y0) (the tensor, and how often each variable is used) and
    its values around that point, for the checking side's finite differences."""
    x = tensor(x0, dtype=float64, requires_grad=True)
    y = tensor(y0, dtype=float64, requires_grad=True)
    output = attempt(mi_expresion, x, y, what="mi_expresion(x, y)")
    if isinstance(output, Signal) or not isinstance(output, Tensor):
        return {"output": output}
    uses = _reuses_a_variable(output, (x, y)) if output.grad_fn is not None else [0, 0]
    around = []
    for dx, dy in [(k * STEP, 0.0) for k in STENCIL] + [(0.0, k * STEP) for k in STENCIL]:
        shifted = attempt(mi_expresion, tensor(x0 + dx, dtype=float64), tensor(y0 + dy, dtype=float64), what="")
        around.append(shifted)
    return {"output": output, "uses": uses, "around": around}


def _around(values: list[Any]) -> np.ndarray | None:
    """The eight values of the stencil as floats (None when one is not a number)."""
    numbers = []
    for value in values:
        if isinstance(value, TensorValue) and value.data.size == 1:
            numbers.append(float(value.data.reshape(-1)[0]))
        else:
            return None
    return np.array(numbers)


@register_check("ex03.propia", 3, {"es": "Tu propia expresión", "en": "An expression of your own"})
@PROPIA.part
def propia(trial: Trial, mi_expresion: Answer, mis_gradientes: Answer) -> None:
    """The student's expression uses a variable twice, and its hand-derived gradients match its finite differences."""
    for case in trial.count(public=2, hidden=3):
        x0, y0 = (round(float(v), 3) for v in trial.rng.uniform(0.5, 2.0, size=2))
        result = to_dict(trial.run(expression_case, mi_expresion, x0, y0), "mi_expresion")
        output = trial.unwrap(result["output"], "mi_expresion(x, y)")
        value = expect_tensor(output, "mi_expresion(x, y)")
        if value.size != 1:
            raise Failed(t("check.ex03.not_scalar", shape=value.shape))
        if output.grad_fn is None:
            raise Failed(t("check.ex03.not_graph"), "check.ex03.hint.graph_broken")
        if not np.isfinite(value).all():
            raise Failed(t("check.ex03.not_finite", value=float(value.reshape(-1)[0]), inputs=fmt_inputs(x=x0, y=y0)))
        if case == 0:
            uses = to_array(result["uses"], "uses")
            if uses.shape != (2,) or uses.min() == 0:
                raise Failed(t("check.ex03.uses_both"), "check.ex03.hint.graph_broken")
            if uses.max() < 2:
                raise Failed(t("check.ex03.reuse"), "check.ex03.hint.reuse")
        around = _around(to_list(result["around"], "mi_expresion"))
        if around is None or not np.isfinite(around).all():
            raise Failed(t("check.ex03.not_finite", value="nan", inputs=fmt_inputs(x=x0, y=y0)))
        expected = np.array([around[:4] @ STENCIL_WEIGHTS, around[4:] @ STENCIL_WEIGHTS]) / STEP
        lecture = np.isclose(float(value.reshape(-1)[0]), x0 * y0 + x0)
        if case == 0 and lecture and np.allclose(expected, [y0 + 1, x0], rtol=1e-6, atol=1e-8):
            raise Failed(t("check.ex03.lecture"))
        got = np.array(_pair(trial.call(mis_gradientes, x0, y0, what=f"mis_gradientes({x0}, {y0})"), "mis_gradientes"))
        if not np.allclose(got, expected, rtol=1e-6, atol=1e-8):
            hint = diagnose(
                got, [("check.hint.sign", -expected), ("check.ex03.hint.swapped", expected[::-1])], rtol=1e-6, atol=1e-8
            )
            raise Failed(
                mismatch("mis_gradientes", expected, got, x=x0, y=y0), hint or "check.ex03.hint.own_chain_rule"
            )
        trial.passed()
