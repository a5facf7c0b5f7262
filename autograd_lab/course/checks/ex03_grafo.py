"""Checks of ex03_grafo: d = a*b + a by hand (order, local derivatives, gradients) and an expression of one's own."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...engine import AccumulateGrad, Node, iter_graph, trace_backward
from ...dtypes import float64
from ...tensor import Tensor
from ...factories import tensor
from ...i18n import register, t
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
    to_str,
)
from .wire import Signal, TensorValue, attempt

register_exercise("ex03", {"es": "El grafo de d = a·b + a", "en": "The graph of d = a·b + a"})

register(
    {
        "check.ex03.names": {
            "es": "orden_backward = {got}: debe contener cada uno de {names} exactamente una vez.",
            "en": "orden_backward = {got}: it must contain each of {names} exactly once.",
        },
        "check.ex03.hint.each_once": {
            "es": "Cada nodo se procesa una sola vez en el backward, aunque llegue gradiente por varios caminos.",
            "en": "Each node is processed once in backward, even when gradient arrives along several paths.",
        },
        "check.ex03.start": {
            "es": "orden_backward = {got} no empieza por la salida d.",
            "en": "orden_backward = {got} does not start at the output d.",
        },
        "check.ex03.hint.forward_order": {
            "es": "Ese es el orden del forward; el backward empieza en la salida (d) y va hacia las entradas.",
            "en": "That is the forward order; backward starts at the output (d) and moves towards the inputs.",
        },
        "check.ex03.before": {
            "es": "En orden_backward = {got}, {child} aparece antes que {parent}, que depende de {child}.",
            "en": "In orden_backward = {got}, {child} comes before {parent}, which depends on {child}.",
        },
        "check.ex03.hint.wait_for_paths": {
            "es": "a recibe gradiente por dos caminos (directamente de d y a través de c): solo puede procesarse "
            "cuando c ya envió su parte.",
            "en": "a receives gradient along two paths (directly from d and through c): it can only be processed "
            "once c has sent its share.",
        },
        "check.ex03.hint.dependencies": {
            "es": "Un nodo va después de todos los nodos que lo usan: su gradiente es la suma de lo que le envían.",
            "en": "A node comes after every node that uses it: its gradient is the sum of what they send it.",
        },
        "check.ex03.missing_keys": {
            "es": "Faltan las claves {keys} en el diccionario.",
            "en": "The dict lacks the keys {keys}.",
        },
        "check.ex03.hint.other_factor": {
            "es": "En c = a·b, la derivada respecto de a es el otro factor (b), y la derivada respecto de b es a.",
            "en": "In c = a·b, the derivative with respect to a is the other factor (b), "
            "and with respect to b it is a.",
        },
        "check.ex03.hint.local_not_total": {
            "es": "Esa es la derivada total de d respecto de a (b + 1); aquí se pide la local del nodo suma: en "
            "d = c + a, ∂d/∂a = 1.",
            "en": "That is the total derivative of d with respect to a (b + 1); the local one of the sum node is "
            "asked for: in d = c + a, ∂d/∂a = 1.",
        },
        "check.ex03.hint.add_local": {
            "es": "Una suma pasa el gradiente tal cual: en d = c + a, ∂d/∂c = 1 y ∂d/∂a = 1.",
            "en": "A sum passes the gradient through unchanged: in d = c + a, ∂d/∂c = 1 and ∂d/∂a = 1.",
        },
        "check.ex03.hint.two_paths": {
            "es": "Falta el camino directo a → d: a aparece dos veces en d = a·b + a, y las contribuciones de los "
            "dos caminos se suman: dd/da = b + 1.",
            "en": "The direct path a → d is missing: a appears twice in d = a·b + a, and the contributions of the "
            "two paths add up: dd/da = b + 1.",
        },
        "check.ex03.hint.path_through_c": {
            "es": "Falta el camino a través de c: dd/dc · dc/da = 1 · b, que se suma al camino directo.",
            "en": "The path through c is missing: dd/dc · dc/da = 1 · b, added to the direct path.",
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

NODE_NAMES = ("a", "b", "c", "d")


def lecture_graph(a_value: float = 2.0, b_value: float = 3.0) -> tuple[dict[str, Tensor], dict[Node, str]]:
    """d = c + a with c = a * b, built with the library; the tensors and a name for every graph node."""
    a = tensor(a_value, dtype=float64, requires_grad=True)
    b = tensor(b_value, dtype=float64, requires_grad=True)
    c = a * b
    d = c + a
    tensors = {"a": a, "b": b, "c": c, "d": d}
    names: dict[Node, str] = {}
    for node in iter_graph(d):
        if isinstance(node, AccumulateGrad):
            names[node] = "a" if node.variable is a else "b"
        else:
            names[node] = "d" if node is d.grad_fn else "c"
    return tensors, names


@register_check("ex03.orden", 2, {"es": "Orden topológico del backward", "en": "Topological order of backward"})
def orden(trial: Trial, orden_backward: Answer) -> None:
    """A valid backward order of the graph of d = a*b + a: each node after every node that uses it."""
    got = [to_str(name, "orden_backward").strip() for name in to_list(orden_backward, "orden_backward")]
    if sorted(got) != sorted(NODE_NAMES):
        raise Failed(t("check.ex03.names", got=got, names=", ".join(NODE_NAMES)), "check.ex03.hint.each_once")
    _, names = lecture_graph()
    if got[0] != "d":
        hint = "check.ex03.hint.forward_order" if got[-1] == "d" else "check.ex03.hint.dependencies"
        raise Failed(t("check.ex03.start", got=got), hint)
    position = {name: i for i, name in enumerate(got)}
    for node, parent in names.items():
        for child_node, _ in node.next_functions:
            if child_node is None:
                continue
            child = names[child_node]
            if position[child] < position[parent]:
                hint = "check.ex03.hint.wait_for_paths" if child == "a" else "check.ex03.hint.dependencies"
                raise Failed(t("check.ex03.before", got=got, child=child, parent=parent), hint)
    trial.passed()


LOCAL_KEYS = ("dc/da", "dc/db", "dd/dc", "dd/da")


def _sample_ab(trial: Trial) -> tuple[float, float]:
    """Two values rounded to 2 decimals, far from each other, from 0 and from 1 (so mistakes differ)."""
    while True:
        a, b = (round(float(v), 2) for v in trial.rng.uniform(-3, 3, size=2))
        if abs(a - b) > 0.5 and min(abs(a), abs(b), abs(a - 1), abs(b - 1), abs(a + b)) > 0.3:
            return a, b


def local_derivatives(a: float, b: float) -> dict[str, float]:
    """The local derivative at every edge of the lecture's graph, read from the engine's backward trace."""
    tensors, names = lecture_graph(a, b)
    with trace_backward() as steps:
        tensors["d"].backward()
    result = {}
    for step in steps:
        parent = names[step.node]
        for (child_node, _), local in zip(step.edges, step.local_grads):
            if child_node is not None and local is not None:
                result[f"d{parent}/d{names[child_node]}"] = float(local.item())
    return result


@register_check("ex03.locales", 3, {"es": "Derivadas locales", "en": "Local derivatives"})
def locales(trial: Trial, derivadas_locales: Answer) -> None:
    """derivadas_locales(a, b) gives the local derivative of each node with respect to each of its inputs."""
    for _ in trial.count(public=2, hidden=3):
        a, b = _sample_ab(trial)
        expected = local_derivatives(a, b)
        answers = to_dict(trial.call(derivadas_locales, a, b, what=f"derivadas_locales({a}, {b})"), "resultado")
        missing = [key for key in LOCAL_KEYS if key not in answers]
        if missing:
            raise Failed(t("check.ex03.missing_keys", keys=", ".join(missing)))
        got = {key: to_float(answers[key], key) for key in LOCAL_KEYS}
        for key in LOCAL_KEYS:
            if not np.isclose(got[key], expected[key], rtol=1e-9, atol=1e-12):
                if key.startswith("dc/"):
                    hint = "check.ex03.hint.other_factor"
                elif key == "dd/da" and np.isclose(got[key], b + 1):
                    hint = "check.ex03.hint.local_not_total"
                else:
                    hint = "check.ex03.hint.add_local"
                raise Failed(mismatch(key, expected[key], got[key], a=a, b=b), hint)
        trial.passed()


def _pair(value: Any, name: str) -> tuple[float, float]:
    items = to_list(value, name)
    if len(items) != 2:
        raise Failed(t("check.ex03.pair", name=name, got=len(items)))
    return to_float(items[0], name), to_float(items[1], name)


@register_check(
    "ex03.gradientes", 3, {"es": "Los gradientes por los dos caminos", "en": "The gradients along both paths"}
)
def gradientes(trial: Trial, gradientes: Answer) -> None:
    """gradientes(a, b) = (dd/da, dd/db) = (b + 1, a), as the library's backward computes them."""
    for _ in trial.count(public=2, hidden=3):
        a, b = _sample_ab(trial)
        tensors, _ = lecture_graph(a, b)
        tensors["d"].backward()
        expected = np.array([tensors["a"].grad.item(), tensors["b"].grad.item()])  # type: ignore[union-attr]
        got = np.array(_pair(trial.call(gradientes, a, b, what=f"gradientes({a}, {b})"), "gradientes"))
        if not np.allclose(got, expected, rtol=1e-9, atol=1e-12):
            hint = diagnose(
                got,
                [
                    ("check.ex03.hint.two_paths", [b, a]),
                    ("check.ex03.hint.path_through_c", [1.0, a]),
                    ("check.ex03.hint.other_factor", [a + 1, b]),
                    ("check.ex03.hint.swapped", [a, b + 1]),
                ],
            )
            raise Failed(mismatch("(dd/da, dd/db)", expected, got, a=a, b=b), hint)
        trial.passed()


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


@register_check("ex03.propia", 2, {"es": "Tu propia expresión", "en": "An expression of your own"})
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
