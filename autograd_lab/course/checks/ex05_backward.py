"""Checks of ex05_backward: the backward walk over ``Valor`` nodes (order, accumulation, depth, zero_grad).

Graphs are built from recipes (lists of operations) so the same graph can be
built again to run a known mistake on it and name the one the student made.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from ...i18n import register, t
from ..valor import Valor
from .core import Failed, Trial, diagnose, fmt, register_check, register_exercise, to_list

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


def build(recipe: Recipe) -> list[Valor]:
    """The nodes a recipe creates, in creation order; the last one is the root."""
    nodes: list[Valor] = []
    for op, *args in recipe:
        if op == "leaf":
            nodes.append(Valor(args[0]))
        elif op == "add":
            nodes.append(nodes[args[0]] + nodes[args[1]])
        elif op == "mul":
            nodes.append(nodes[args[0]] * nodes[args[1]])
        elif op == "scale":
            nodes.append(nodes[args[0]] * args[1])
        elif op == "tanh":
            nodes.append(nodes[args[0]].tanh())
        else:
            raise ValueError(f"unknown recipe operation {op!r}")
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


def _leaf_grads(nodes: list[Valor]) -> np.ndarray:
    return np.array(
        [node.grad if isinstance(node.grad, (int, float)) else np.nan for node in nodes if not node.entradas]
    )


def _graph_label(key: str, **values: Any) -> str:
    return t(f"check.ex05.graph.{key}", **values)


@contextmanager
def _default_recursion_limit() -> Iterator[None]:
    """Python's usual limit of 1000 frames for the student's code, whatever the notebook set."""
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back  # type: ignore[assignment]
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def _check_order(trial: Trial, orden_topologico: Any, root: Valor, graph: str) -> None:
    with _default_recursion_limit():
        result = trial.call(orden_topologico, root, what="orden_topologico(raiz)")
    items = to_list(result, "orden_topologico(raiz)")
    expected = reference_order(root)
    in_graph = {id(node) for node in expected}
    if any(not isinstance(item, Valor) or id(item) not in in_graph for item in items):
        raise Failed(t("check.ex05.foreign", graph=graph))
    position = {id(item): i for i, item in enumerate(items)}
    if len(position) != len(items):
        raise Failed(
            t("check.ex05.duplicates", graph=graph, count=len(items) - len(position)), "check.ex05.hint.visited"
        )
    if len(items) != len(expected):
        raise Failed(t("check.ex05.missing", graph=graph, count=len(expected) - len(items)), "check.ex05.hint.missing")
    if items[0] is not root:
        hint = "check.ex05.hint.reversed" if items[-1] is root else "check.ex05.hint.root_first"
        raise Failed(t("check.ex05.root", graph=graph), hint)
    for node in items:
        for entrada in node.entradas:
            if position[id(entrada)] < position[id(node)]:
                where = {"node": position[id(node)], "entrada": position[id(entrada)]}
                raise Failed(t("check.ex05.order", graph=graph, **where), "check.ex05.hint.order")
    trial.passed()


@register_check("ex05.orden", 3, {"es": "Orden topológico iterativo", "en": "Iterative topological order"})
def orden(trial: Trial, orden_topologico: Any) -> None:
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
        _check_order(trial, orden_topologico, build(recipe)[-1], graph)


def _check_backward(trial: Trial, backward: Any, recipe: Recipe, graph: str) -> None:
    nodes = build(recipe)
    with _default_recursion_limit():
        trial.call(backward, nodes[-1], what="backward(raiz)", none_is_pending=False)
    got = _leaf_grads(nodes)
    reference = build(recipe)
    reference_backward(reference[-1])
    expected = _leaf_grads(reference)
    if not np.allclose(got, expected, rtol=1e-9, atol=1e-12):

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
def backward(trial: Trial, backward: Any) -> None:
    """backward(raiz) leaves in every leaf d raiz / d leaf: diamonds, repeated inputs, random graphs."""
    rng = trial.rng
    graphs = [(lecture_recipe(rng), _graph_label("lecture")), (repeated_recipe(rng), _graph_label("repeated"))]
    for _ in trial.count(public=2, hidden=3):
        recipe = random_recipe(rng, int(rng.integers(12, 30)))
        graphs.append((recipe, _graph_label("random", nodes=len(recipe))))
    for recipe, graph in graphs:
        _check_backward(trial, backward, recipe, graph)


@register_check("ex05.profundo", 2, {"es": "Grafos profundos", "en": "Deep graphs"})
def profundo(trial: Trial, backward: Any) -> None:
    """backward(raiz) on a chain 10 000 operations deep whose leaf is used 5 000 times."""
    for _ in trial.count(public=1, hidden=1):
        _check_backward(trial, backward, chain_recipe(trial.rng, 10_000), _graph_label("chain", depth="10 000"))


@register_check("ex05.zero_grad", 2, {"es": "zero_grad", "en": "zero_grad"})
def zero_grad(trial: Trial, zero_grad: Any) -> None:
    """zero_grad(raiz) sets grad = 0 on every node of the graph, intermediates included."""
    rng = trial.rng
    recipes = [random_recipe(rng, int(rng.integers(12, 30))) for _ in trial.count(public=1, hidden=2)]
    graphs = [(recipe, _graph_label("random", nodes=len(recipe))) for recipe in recipes]
    graphs.append((chain_recipe(rng, 10_000), _graph_label("chain", depth="10 000")))
    for recipe, graph in graphs:
        nodes = build(recipe)
        reachable = reference_order(nodes[-1])
        for node in reachable:
            node.grad = float(rng.uniform(0.5, 2.0))
        with _default_recursion_limit():
            trial.call(zero_grad, nodes[-1], what="zero_grad(raiz)", none_is_pending=False)
        wrong = [node for node in reachable if not (type(node.grad) in (int, float) and node.grad == 0)]
        if any(not isinstance(node.grad, (int, float)) for node in wrong):
            raise Failed(t("check.ex05.zero_type", got=type(wrong[0].grad).__name__))
        if wrong:
            leaves_zeroed = all(node.entradas for node in wrong)
            hint = "check.ex05.hint.zero_all" if leaves_zeroed else "check.ex05.hint.zero_walk"
            raise Failed(t("check.ex05.zero", graph=graph, count=len(wrong)), hint)
        trial.passed()
