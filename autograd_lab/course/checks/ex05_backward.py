"""Checks of ex05_backward: the backward walk over ``Valor`` nodes (order, accumulation, depth, zero_grad).

Graphs are built from recipes (lists of operations) so the same graph can be
built again to run a known mistake on it and name the one the student made.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...i18n import register, t
from ..valor import Valor
from .core import (
    Answer,
    Failed,
    Trial,
    diagnose,
    fmt,
    probe,
    register_check,
    register_exercise,
    to_array,
    to_dict,
    to_list,
    type_name,
)
from .wire import recursion_headroom, student_call

register_exercise("ex05", {"es": "El recorrido backward", "en": "The backward walk"})

register(
    {
        "check.ex05.graph.lecture": {"es": "el grafo de d = a·b + a", "en": "the graph of d = a·b + a"},
        "check.ex05.graph.repeated": {"es": "el grafo de x·x·x", "en": "the graph of x·x·x"},
        "check.ex05.graph.ladder": {
            "es": "una escalera de {depth} rombos",
            "en": "a ladder of {depth} diamonds",
        },
        "check.ex05.graph.random": {
            "es": "un grafo aleatorio de {nodes} nodos",
            "en": "a random graph of {nodes} nodes",
        },
        "check.ex05.graph.chain": {"es": "una cadena de {depth} nodos", "en": "a chain of {depth} nodes"},
        "check.ex05.foreign": {
            "es": "En {graph}, orden_topologico devolvió objetos que no son nodos de ese grafo.",
            "en": "On {graph}, orden_topologico returned objects that are not nodes of that graph.",
        },
        "check.ex05.duplicates": {
            "es": "En {graph}, orden_topologico repite nodos (repeticiones: {count}).",
            "en": "On {graph}, orden_topologico repeats nodes (repetitions: {count}).",
        },
        "check.ex05.hint.visited": {
            "es": "Lleva un conjunto de nodos visitados: un nodo al que se llega por varios caminos debe "
            "aparecer una sola vez.",
            "en": "Keep a set of visited nodes: a node reached along several paths must appear only once.",
        },
        "check.ex05.missing": {
            "es": "En {graph}, faltan nodos en el orden (faltan: {count}).",
            "en": "On {graph}, nodes are missing from the order (missing: {count}).",
        },
        "check.ex05.hint.missing": {
            "es": "Sigue todas las entradas de cada nodo (nodo.entradas), hasta las hojas.",
            "en": "Follow every input of each node (nodo.entradas), down to the leaves.",
        },
        "check.ex05.root": {
            "es": "En {graph}, el primer nodo del orden no es la raíz.",
            "en": "On {graph}, the first node of the order is not the root.",
        },
        "check.ex05.hint.reversed": {
            "es": "Devolviste el orden al revés (de las hojas a la raíz): invierte la lista; la raíz va primero.",
            "en": "You returned the order reversed (leaves to root): reverse the list; the root comes first.",
        },
        "check.ex05.hint.root_first": {
            "es": "La raíz va primero, y cada nodo antes que sus entradas.",
            "en": "The root comes first, and every node before its inputs.",
        },
        "check.ex05.order": {
            "es": "En {graph}, un nodo aparece después de una de sus entradas (posiciones {node} y {entrada}).",
            "en": "On {graph}, a node comes after one of its inputs (positions {node} and {entrada}).",
        },
        "check.ex05.hint.order": {
            "es": "Un nodo solo está listo cuando todos los que lo usan ya pasaron: añádelo a la lista al "
            "terminar de visitar sus entradas (postorden) y da la vuelta a la lista al final.",
            "en": "A node is only ready once everything that uses it has gone: append it when you finish "
            "visiting its inputs (postorder) and reverse the list at the end.",
        },
        "check.ex05.grads": {
            "es": "Tras backward(raiz) en {graph}, los gradientes de las hojas no coinciden: esperado {expected}, "
            "obtenido {got}.",
            "en": "After backward(raiz) on {graph}, the leaves' gradients do not match: expected {expected}, "
            "got {got}.",
        },
        "check.ex05.hint.seed": {
            "es": "Empieza con raiz.grad = 1.0 (d raiz / d raiz = 1); si no, todo se multiplica por 0.",
            "en": "Start with raiz.grad = 1.0 (d raiz / d raiz = 1); otherwise everything is multiplied by 0.",
        },
        "check.ex05.hint.reverse_order": {
            "es": "Recorriste el grafo en el orden equivocado: un nodo solo puede propagar cuando ya recibió "
            "todo su gradiente, así que empieza por la raíz.",
            "en": "You walked the graph in the wrong order: a node can only pass gradient on once it has "
            "received all of its own, so start at the root.",
        },
        "check.ex05.zero": {
            "es": "Tras zero_grad(raiz) en {graph}, quedan nodos con grad distinto de 0 (quedan: {count}).",
            "en": "After zero_grad(raiz) on {graph}, some nodes still have a nonzero grad (left: {count}).",
        },
        "check.ex05.hint.zero_walk": {
            "es": "Pon a cero todos los nodos del grafo, no solo la raíz: recórrelo (puedes usar orden_topologico).",
            "en": "Zero every node of the graph, not just the root: walk it (you can use orden_topologico).",
        },
        "check.ex05.hint.zero_all": {
            "es": "Los nodos intermedios también acumulan gradiente: ponlos a cero además de las hojas.",
            "en": "Intermediate nodes accumulate gradient too: zero them as well as the leaves.",
        },
        "check.ex05.zero_type": {
            "es": "zero_grad debe dejar grad = 0.0 (un número), no {got}.",
            "en": "zero_grad must leave grad = 0.0 (a number), not {got}.",
        },
    }
)

Recipe = list[tuple[Any, ...]]


def build(recipe: Recipe, created: list[Valor] | None = None) -> list[Valor]:
    """The nodes a recipe creates, in creation order; the last one is the root.

    ``created`` (if given) receives every ``Valor`` made, in order, the
    constants of "scale" too: both sides of a check number nodes by it.
    """
    nodes: list[Valor] = []
    made = created if created is not None else []
    for op, *args in recipe:
        if op == "leaf":
            nodes.append(Valor(args[0]))
        elif op == "add":
            nodes.append(nodes[args[0]] + nodes[args[1]])
        elif op == "mul":
            nodes.append(nodes[args[0]] * nodes[args[1]])
        elif op == "scale":
            made.append(Valor(args[1]))
            nodes.append(nodes[args[0]] * made[-1])
        elif op == "tanh":
            nodes.append(nodes[args[0]].tanh())
        else:
            raise ValueError(f"unknown recipe operation {op!r}")
        made.append(nodes[-1])
    return nodes


def lecture_recipe(rng: np.random.Generator) -> Recipe:
    """d = a*b + a."""
    a, b = (round(float(v), 2) for v in rng.uniform(0.5, 3.0, size=2) * rng.choice([-1, 1], size=2))
    return [("leaf", a), ("leaf", b), ("mul", 0, 1), ("add", 2, 0)]


def repeated_recipe(rng: np.random.Generator) -> Recipe:
    """x*x*x: the same input twice in one node, and once more after."""
    return [("leaf", round(float(rng.uniform(1.2, 2.0)), 2)), ("mul", 0, 0), ("mul", 1, 0)]


def ladder_recipe(rng: np.random.Generator, depth: int) -> Recipe:
    """v -> tanh(v) + c*v, ``depth`` times: 2**depth paths from the root to x."""
    recipe: Recipe = [("leaf", float(rng.uniform(-1, 1)))]
    v = 0
    for _ in range(depth):
        recipe.append(("tanh", v))
        recipe.append(("scale", v, float(rng.uniform(0.3, 0.9))))
        recipe.append(("add", len(recipe) - 2, len(recipe) - 1))
        v = len(recipe) - 1
    return recipe


def chain_recipe(rng: np.random.Generator, depth: int) -> Recipe:
    """A chain ``depth`` operations deep; the leaf x (node 0) is added back in at every other step."""
    recipe: Recipe = [("leaf", float(rng.uniform(-1, 1)))]
    for k in range(depth):
        previous = len(recipe) - 1
        if k % 2 == 0:
            recipe.append(("add", previous, 0))
        else:
            recipe.append(("scale", previous, float(rng.uniform(0.9, 1.05))))
    return recipe


def random_recipe(rng: np.random.Generator, operations: int) -> Recipe:
    """A random DAG: a few leaves, then sums, products and tanh of recent nodes."""
    recipe: Recipe = [("leaf", round(float(v), 3)) for v in rng.uniform(-1.5, 1.5, size=int(rng.integers(2, 5)))]
    for _ in range(operations):
        low = max(0, len(recipe) - 6)
        i, j = (int(v) for v in rng.integers(low, len(recipe), size=2))
        kind = ("add", "mul", "tanh")[int(rng.integers(3))]
        recipe.append(("tanh", i) if kind == "tanh" else (kind, i, j))
    n = len(recipe)
    recipe += [("add", n - 1, n - 2), ("add", n, n - 3)]
    return recipe


def reference_order(root: Valor) -> list[Valor]:
    """Every node reachable from ``root`` once, root first, each before its inputs (iterative DFS)."""
    order: list[Valor] = []
    visited: set[int] = set()
    stack: list[tuple[Valor, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        stack.extend((entrada, False) for entrada in node.entradas if id(entrada) not in visited)
    return order[::-1]


def reference_backward(
    root: Valor,
    *,
    accumulate: bool = True,
    chain: bool = True,
    seed: bool = True,
    reverse: bool = False,
    sign: float = 1.0,
) -> None:
    """The backward walk; the flags turn it into the usual mistakes (for naming the student's)."""
    order = reference_order(root)
    if reverse:
        order.reverse()
    if seed:
        root.grad = 1.0
    for node in order:
        for entrada, local in zip(node.entradas, node.locales):
            contribution = sign * (local * node.grad if chain else local)
            entrada.grad = entrada.grad + contribution if accumulate else contribution


MISTAKES: list[tuple[str, dict[str, Any]]] = [
    ("check.hint.accumulate", {"accumulate": False}),
    ("check.hint.grad_output", {"chain": False}),
    ("check.ex05.hint.seed", {"seed": False}),
    ("check.ex05.hint.reverse_order", {"reverse": True}),
    ("check.hint.sign", {"sign": -1.0}),
]


def _as_grad(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else np.nan


def _leaf_grads(nodes: list[Valor]) -> np.ndarray:
    return np.array([_as_grad(node.grad) for node in nodes if not node.entradas])


def _graph_label(key: str, **values: Any) -> str:
    return t(f"check.ex05.graph.{key}", **values)


def _plain_recipe(recipe: Recipe) -> list[list[Any]]:
    return [list(step) for step in recipe]


# --------------------------------------------------------------------------- in the kernel


@probe
def order_of_graph(orden_topologico: Any, recipe: Recipe) -> dict[str, Any]:
    """In the kernel: build the graph, call the student's ``orden_topologico(raiz)``.  A list comes back as the
    creation number of each node (-1 for an object that is not one of the graph's nodes); anything else as itself."""
    created: list[Valor] = []
    root = build(recipe, created)[-1]
    with recursion_headroom():
        result = student_call(orden_topologico, root, what="orden_topologico(raiz)")
    if not isinstance(result, (list, tuple)):
        return {"other": result}
    number = {id(node): i for i, node in enumerate(created)}
    items = list.__iter__(result) if isinstance(result, list) else tuple.__iter__(result)
    return {"created": np.array([number.get(id(item), -1) for item in items], dtype=np.int64)}


@probe
def leaf_gradients_after_backward(backward: Any, recipe: Recipe) -> list[Any]:
    """In the kernel: build the graph, run the student's ``backward(raiz)``, read every leaf's ``grad``."""
    nodes = build(recipe)
    with recursion_headroom():
        student_call(backward, nodes[-1], what="backward(raiz)", none_is_pending=False)
    return [node.grad for node in nodes if not node.entradas]


@probe
def gradients_after_zero_grad(zero_grad: Any, recipe: Recipe, numbers: np.ndarray, grads: list[float]) -> list[Any]:
    """In the kernel: build the graph, set the grads of the nodes created ``numbers``-th, run the student's
    ``zero_grad(raiz)`` and read those grads back."""
    created: list[Valor] = []
    root = build(recipe, created)[-1]
    nodes = [created[int(i)] for i in numbers]
    for node, grad in zip(nodes, grads):
        node.grad = grad
    with recursion_headroom():
        student_call(zero_grad, root, what="zero_grad(raiz)", none_is_pending=False)
    return [node.grad for node in nodes]


# --------------------------------------------------------------------------- the checks


def _numbered(recipe: Recipe) -> tuple[Valor, list[Valor], dict[int, int]]:
    """The checking side's own graph: its root, its nodes in ``reference_order`` and each node's creation number."""
    created: list[Valor] = []
    root = build(recipe, created)[-1]
    return root, reference_order(root), {id(node): i for i, node in enumerate(created)}


def _check_order(trial: Trial, orden_topologico: Answer, recipe: Recipe, graph: str) -> None:
    result = to_dict(trial.run(order_of_graph, orden_topologico, _plain_recipe(recipe)), "orden_topologico(raiz)")
    if "other" in result:
        to_list(result["other"], "orden_topologico(raiz)")  # not a list: says what it is instead
        raise Failed(t("check.ex05.foreign", graph=graph))
    numbers = to_array(result.get("created"), "orden_topologico(raiz)").astype(np.int64).reshape(-1)
    root, expected, number = _numbered(recipe)
    by_number = {number[id(node)]: node for node in expected}
    if any(int(i) not in by_number for i in numbers):
        raise Failed(t("check.ex05.foreign", graph=graph))
    resolved = [by_number[int(i)] for i in numbers]
    position = {id(item): i for i, item in enumerate(resolved)}
    if len(position) != len(resolved):
        raise Failed(
            t("check.ex05.duplicates", graph=graph, count=len(resolved) - len(position)), "check.ex05.hint.visited"
        )
    if len(resolved) != len(expected):
        raise Failed(
            t("check.ex05.missing", graph=graph, count=len(expected) - len(resolved)), "check.ex05.hint.missing"
        )
    if resolved[0] is not root:
        hint = "check.ex05.hint.reversed" if resolved[-1] is root else "check.ex05.hint.root_first"
        raise Failed(t("check.ex05.root", graph=graph), hint)
    for node in resolved:
        for entrada in node.entradas:
            if position[id(entrada)] < position[id(node)]:
                where = {"node": position[id(node)], "entrada": position[id(entrada)]}
                raise Failed(t("check.ex05.order", graph=graph, **where), "check.ex05.hint.order")
    trial.passed()


@register_check("ex05.orden", 3, {"es": "Orden topológico iterativo", "en": "Iterative topological order"})
def orden(trial: Trial, orden_topologico: Answer) -> None:
    """orden_topologico(raiz): every node once, root first, each before its inputs; a 10 000-deep chain works."""
    rng = trial.rng
    graphs = [
        (lecture_recipe(rng), _graph_label("lecture")),
        (repeated_recipe(rng), _graph_label("repeated")),
        (ladder_recipe(rng, 12), _graph_label("ladder", depth=12)),
    ]
    for _ in trial.count(public=1, hidden=2):
        recipe = random_recipe(rng, int(rng.integers(12, 30)))
        graphs.append((recipe, _graph_label("random", nodes=len(recipe))))
    graphs.append((chain_recipe(rng, 10_000), _graph_label("chain", depth="10 000")))
    for recipe, graph in graphs:
        _check_order(trial, orden_topologico, recipe, graph)


def _check_backward(trial: Trial, backward: Answer, recipe: Recipe, graph: str) -> None:
    values = to_list(trial.run(leaf_gradients_after_backward, backward, _plain_recipe(recipe)), "backward(raiz)")
    got = np.array([_as_grad(value) for value in values])
    reference = build(recipe)
    reference_backward(reference[-1])
    expected = _leaf_grads(reference)
    if got.shape != expected.shape or not np.allclose(got, expected, rtol=1e-9, atol=1e-12):

        def variant(flags: dict[str, Any]) -> np.ndarray:
            nodes = build(recipe)
            reference_backward(nodes[-1], **flags)
            return _leaf_grads(nodes)

        hint = diagnose(got, [(key, variant(flags)) for key, flags in MISTAKES])
        raise Failed(t("check.ex05.grads", graph=graph, expected=fmt(expected), got=fmt(got)), hint)
    trial.passed()


@register_check(
    "ex05.backward", 3, {"es": "backward: la regla de la cadena en orden", "en": "backward: the chain rule in order"}
)
def backward(trial: Trial, backward: Answer) -> None:
    """backward(raiz) leaves in every leaf d raiz / d leaf: diamonds, repeated inputs, random graphs."""
    rng = trial.rng
    graphs = [(lecture_recipe(rng), _graph_label("lecture")), (repeated_recipe(rng), _graph_label("repeated"))]
    for _ in trial.count(public=2, hidden=3):
        recipe = random_recipe(rng, int(rng.integers(12, 30)))
        graphs.append((recipe, _graph_label("random", nodes=len(recipe))))
    for recipe, graph in graphs:
        _check_backward(trial, backward, recipe, graph)


@register_check("ex05.profundo", 2, {"es": "Grafos profundos", "en": "Deep graphs"})
def profundo(trial: Trial, backward: Answer) -> None:
    """backward(raiz) on a chain 10 000 operations deep whose leaf is used 5 000 times."""
    for _ in trial.count(public=1, hidden=1):
        _check_backward(trial, backward, chain_recipe(trial.rng, 10_000), _graph_label("chain", depth="10 000"))


@register_check("ex05.zero_grad", 2, {"es": "zero_grad", "en": "zero_grad"})
def zero_grad(trial: Trial, zero_grad: Answer) -> None:
    """zero_grad(raiz) sets grad = 0 on every node of the graph, intermediates included."""
    rng = trial.rng
    recipes = [random_recipe(rng, int(rng.integers(12, 30))) for _ in trial.count(public=1, hidden=2)]
    graphs = [(recipe, _graph_label("random", nodes=len(recipe))) for recipe in recipes]
    graphs.append((chain_recipe(rng, 10_000), _graph_label("chain", depth="10 000")))
    for recipe, graph in graphs:
        _, reachable, number = _numbered(recipe)
        grads = [float(rng.uniform(0.5, 2.0)) for _ in reachable]
        numbers = np.array([number[id(node)] for node in reachable], dtype=np.int64)
        values = to_list(
            trial.run(gradients_after_zero_grad, zero_grad, _plain_recipe(recipe), numbers, grads), "zero_grad(raiz)"
        )
        if len(values) != len(reachable):
            raise Failed(t("check.ex05.zero", graph=graph, count=abs(len(reachable) - len(values))))
        wrong = [i for i, grad in enumerate(values) if not (type(grad) in (int, float) and grad == 0)]
        if any(not isinstance(values[i], (int, float)) for i in wrong):
            first = next(values[i] for i in wrong if not isinstance(values[i], (int, float)))
            raise Failed(t("check.ex05.zero_type", got=type_name(first)))
        if wrong:
            leaves_zeroed = all(reachable[i].entradas for i in wrong)
            hint = "check.ex05.hint.zero_all" if leaves_zeroed else "check.ex05.hint.zero_walk"
            raise Failed(t("check.ex05.zero", graph=graph, count=len(wrong)), hint)
        trial.passed()
