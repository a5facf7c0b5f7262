"""Checks of ex05_backward: the backward walk over ``Valor`` nodes (edge counts, order, accumulation, depth, and
a graph on which walking by distance from the root goes wrong).

Graphs are built from recipes (lists of operations) so the same graph can be
built again to run a known mistake on it and name the one the student made.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...i18n import register, t
from ..valor import Valor
from .guide import Guide
from .own_work import reference, reject_delegation, watching
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
        "check.ex05.counts": {
            "es": "En {graph}, contar_usuarios no coincide: {detail}.",
            "en": "On {graph}, contar_usuarios does not match: {detail}.",
        },
        "check.ex05.counts.missing": {
            "es": "faltan {count} nodos en el diccionario",
            "en": "{count} nodes are missing from the dictionary",
        },
        "check.ex05.counts.foreign": {
            "es": "el diccionario tiene claves que no son nodos del grafo",
            "en": "the dictionary has keys that are not nodes of the graph",
        },
        "check.ex05.counts.value": {
            "es": "un nodo con {expected} aristas de entrada desde sus usuarios tiene la cuenta {got}",
            "en": "a node with {expected} edges from its users has the count {got}",
        },
        "check.ex05.counts.type": {
            "es": "contar_usuarios debe devolver un diccionario {{nodo: número}}; devolvió {got}",
            "en": "contar_usuarios must return a dict {{node: number}}; it returned {got}",
        },
        "check.ex05.counter.not_valor": {
            "es": "contraejemplo() debe devolver la raíz de un grafo de Valor; devolvió {got}.",
            "en": "contraejemplo() must return the root of a graph of Valor; it returned {got}.",
        },
        "check.ex05.counter.too_big": {
            "es": "El grafo de contraejemplo() tiene más de {limit} nodos: basta con uno pequeño.",
            "en": "The graph of contraejemplo() has more than {limit} nodes: a small one is enough.",
        },
        "check.ex05.counter.same": {
            "es": "En tu grafo ({nodes} nodos), backward_por_cercania da los mismos gradientes que el backward "
            "correcto: no es un contraejemplo.",
            "en": "On your graph ({nodes} nodes), backward_por_cercania gives the same gradients as the correct "
            "backward: it is not a counterexample.",
        },
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
    }
)

SECTION = ("", "Cómo se ordena el backward")
USUARIOS = Guide("ex05.usuarios", SECTION)
H_USU = USUARIOS.hints(
    {
        "edges": (
            2,
            {
                "es": "Se cuentan aristas, no usuarios distintos: en x·x, el nodo x recibe dos aristas del mismo "
                "usuario, y su cuenta es 2.",
                "en": "Count edges, not distinct users: in x·x, the node x gets two edges from the same user, and "
                "its count is 2.",
            },
        ),
        "visit_once": (
            2,
            {
                "es": "Hay cuentas de más: un nodo al que se llega por varios caminos se visita (y se apila) una "
                "sola vez, aunque cada arista que llega a él cuente.",
                "en": "Some counts are too large: a node reached along several paths is visited (and pushed) only "
                "once, even though every edge reaching it counts.",
            },
        ),
        "all_nodes": (
            1,
            {
                "es": "Faltan nodos: el diccionario lleva todos los nodos alcanzables, la raíz (con 0) y las hojas "
                "incluidas.",
                "en": "Nodes are missing: the dictionary holds every reachable node, the root (with 0) and the "
                "leaves included.",
            },
        ),
    }
)
USUARIOS.attach({"check.hint.recursion": 1})
ORDEN = Guide("ex05.orden", SECTION)
H_ORD = ORDEN.hints(
    {
        "ready": (
            2,
            {
                "es": "Un nodo aparece antes de que le llegue todo su gradiente: solo está listo cuando su cuenta de "
                "aristas llega a 0, es decir, cuando ya pasaron todos los nodos que lo usan.",
                "en": "A node comes before all its gradient has arrived: it is only ready when its edge count "
                "reaches 0, that is, when every node that uses it has gone.",
            },
        ),
    }
)
ORDEN.attach(
    {
        "check.ex05.hint.visited": 2,
        "check.ex05.hint.missing": 1,
        "check.ex05.hint.reversed": 1,
        "check.ex05.hint.root_first": 1,
        "check.hint.recursion": 3,
    }
)
BACKWARD = Guide("ex05.backward", ("06", "Backward: propagar gradientes"))
BACKWARD.attach(
    {
        "check.hint.accumulate": 2,
        "check.hint.grad_output": 3,
        "check.ex05.hint.seed": 3,
        "check.ex05.hint.reverse_order": 1,
        "check.hint.sign": 3,
        "check.hint.recursion": 1,
    }
)
CONTRAEJEMPLO = Guide("ex05.contraejemplo", ("", "4. ¿Por qué hace falta el orden?"))
H_CON = CONTRAEJEMPLO.hints(
    {
        "shared": (
            2,
            {
                "es": "Ningún nodo intermedio de tu grafo se usa dos veces: el atajo solo falla si un nodo que no es "
                "una hoja recibe gradiente por dos caminos.",
                "en": "No intermediate node of your graph is used twice: the shortcut only fails when a node that is "
                "not a leaf gets gradient along two paths.",
            },
        ),
        "lengths": (
            3,
            {
                "es": "Tu nodo compartido recibe sus dos contribuciones a la misma distancia de la raíz: haz que un "
                "camino hasta él sea más largo que el otro.",
                "en": "Your shared node gets both contributions at the same distance from the root: make one path "
                "to it longer than the other.",
            },
        ),
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


@reference
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


@reference
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
    with recursion_headroom(), watching() as counts:
        result = student_call(orden_topologico, root, what="orden_topologico(raiz)")
    if not isinstance(result, (list, tuple)):
        return {"other": result, "counts": dict(counts)}
    number = {id(node): i for i, node in enumerate(created)}
    items = list.__iter__(result) if isinstance(result, list) else tuple.__iter__(result)
    created_numbers = np.array([number.get(id(item), -1) for item in items], dtype=np.int64)
    return {"created": created_numbers, "counts": dict(counts)}


@probe
def leaf_gradients_after_backward(backward: Any, recipe: Recipe) -> dict[str, Any]:
    """In the kernel: build the graph, run the student's ``backward(raiz)``, read every leaf's ``grad``."""
    nodes = build(recipe)
    with recursion_headroom(), watching() as counts:
        student_call(backward, nodes[-1], what="backward(raiz)", none_is_pending=False)
    return {"grads": [node.grad for node in nodes if not node.entradas], "counts": dict(counts)}


# --------------------------------------------------------------------------- the checks


def _numbered(recipe: Recipe) -> tuple[Valor, list[Valor], dict[int, int]]:
    """The checking side's own graph: its root, its nodes in ``reference_order`` and each node's creation number."""
    created: list[Valor] = []
    root = build(recipe, created)[-1]
    return root, reference_order(root), {id(node): i for i, node in enumerate(created)}


# --------------------------------------------------------------------------- edge counts


@reference
def reference_counts(root: Valor) -> dict[int, int]:
    """id(node) -> number of edges from the nodes that use it, for every node reachable from ``root``."""
    counts = {id(root): 0}
    for node in reference_order(root):
        for entrada in node.entradas:
            counts[id(entrada)] = counts.get(id(entrada), 0) + 1
    return counts


@probe
def counts_of_graph(contar_usuarios: Any, recipe: Recipe) -> dict[str, Any]:
    """In the kernel: build the graph, call the student's ``contar_usuarios(raiz)``; a dict comes back as
    [creation number of the key (-1 if it is not a node of the graph), its value] pairs."""
    created: list[Valor] = []
    root = build(recipe, created)[-1]
    with recursion_headroom(), watching() as counts:
        result = student_call(contar_usuarios, root, what="contar_usuarios(raiz)")
    if not isinstance(result, dict):
        return {"other": result, "counts": dict(counts)}
    number = {id(node): i for i, node in enumerate(created)}
    pairs = [[number.get(id(key), -1), value] for key, value in dict.items(result)]
    return {"pairs": pairs, "counts": dict(counts)}


def _check_counts(trial: Trial, contar_usuarios: Answer, recipe: Recipe, graph: str) -> None:
    result = to_dict(trial.run(counts_of_graph, contar_usuarios, _plain_recipe(recipe)), "contar_usuarios(raiz)")
    reject_delegation(to_dict(result["counts"], "counts"), "contar_usuarios", library_allowed=True)
    if "other" in result:
        detail = t("check.ex05.counts.type", got=type_name(result["other"]))
        raise Failed(t("check.ex05.counts", graph=graph, detail=detail))
    root, reachable, number = _numbered(recipe)
    expected = {number[key]: count for key, count in ((id(n), c) for n, c in _counts_by_node(root).items())}
    got: dict[int, Any] = {}
    for pair in to_list(result["pairs"], "contar_usuarios(raiz)"):
        key, value = to_list(pair, "contar_usuarios(raiz)")
        got[int(key)] = value
    if -1 in got or any(key not in expected for key in got):
        raise Failed(t("check.ex05.counts", graph=graph, detail=t("check.ex05.counts.foreign")))
    if len(got) < len(expected):
        detail = t("check.ex05.counts.missing", count=len(expected) - len(got))
        raise Failed(t("check.ex05.counts", graph=graph, detail=detail), H_USU["all_nodes"])
    distinct = _distinct_users(root, number)
    for key, count in expected.items():
        value = got[key]
        if type(value) not in (int, float) or value != count:
            detail = t("check.ex05.counts.value", expected=count, got=value)
            if value == distinct.get(key):
                hint = H_USU["edges"]
            elif type(value) in (int, float) and value > count:
                hint = H_USU["visit_once"]
            else:
                hint = ""
            raise Failed(t("check.ex05.counts", graph=graph, detail=detail), hint)
    trial.passed()


def _counts_by_node(root: Valor) -> dict[Valor, int]:
    counts = reference_counts(root)
    return {node: counts[id(node)] for node in reference_order(root)}


def _distinct_users(root: Valor, number: dict[int, int]) -> dict[int, int]:
    """creation number -> how many distinct nodes use it (the mistake of counting users, not edges)."""
    users: dict[int, set[int]] = {}
    for node in reference_order(root):
        for entrada in node.entradas:
            users.setdefault(number[id(entrada)], set()).add(id(node))
    return {key: len(value) for key, value in users.items()} | {number[id(root)]: 0}


def _graphs(trial: Trial, *, ladder: bool, public: int, hidden: int) -> list[tuple[Recipe, str]]:
    """The graphs a part tries, in this order: the lecture's, one with a repeated input, a ladder 12 deep (when
    ``ladder``), random ones (``public`` of them in the public check, ``hidden`` in grading) and a chain 10 000
    operations deep."""
    rng = trial.rng
    graphs = [(lecture_recipe(rng), _graph_label("lecture")), (repeated_recipe(rng), _graph_label("repeated"))]
    if ladder:
        graphs.append((ladder_recipe(rng, 12), _graph_label("ladder", depth=12)))
    for _ in trial.count(public=public, hidden=hidden):
        recipe = random_recipe(rng, int(rng.integers(12, 30)))
        graphs.append((recipe, _graph_label("random", nodes=len(recipe))))
    graphs.append((chain_recipe(rng, 10_000), _graph_label("chain", depth="10 000")))
    return graphs


@register_check("ex05.usuarios", 2, {"es": "Contar las aristas de cada nodo", "en": "Count each node's edges"})
@USUARIOS.part
def usuarios(trial: Trial, contar_usuarios: Answer) -> None:
    """contar_usuarios(raiz) = {node: edges from the nodes that use it}, every reachable node, without recursion."""
    for recipe, graph in _graphs(trial, ladder=True, public=1, hidden=2):
        _check_counts(trial, contar_usuarios, recipe, graph)


def _check_order(trial: Trial, orden_topologico: Answer, recipe: Recipe, graph: str) -> None:
    result = to_dict(trial.run(order_of_graph, orden_topologico, _plain_recipe(recipe)), "orden_topologico(raiz)")
    reject_delegation(to_dict(result["counts"], "counts"), "orden_topologico", library_allowed=True)
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
                raise Failed(t("check.ex05.order", graph=graph, **where), H_ORD["ready"])
    trial.passed()


@register_check("ex05.orden", 3, {"es": "Orden topológico iterativo", "en": "Iterative topological order"})
@ORDEN.part
def orden(trial: Trial, orden_topologico: Answer) -> None:
    """orden_topologico(raiz): every node once, root first, each before its inputs; a 10 000-deep chain works."""
    for recipe, graph in _graphs(trial, ladder=True, public=1, hidden=2):
        _check_order(trial, orden_topologico, recipe, graph)


def _check_backward(trial: Trial, backward: Answer, recipe: Recipe, graph: str) -> None:
    reply = to_dict(trial.run(leaf_gradients_after_backward, backward, _plain_recipe(recipe)), "backward(raiz)")
    reject_delegation(to_dict(reply["counts"], "counts"), "backward", library_allowed=True)
    values = to_list(reply["grads"], "backward(raiz)")
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
@BACKWARD.part
def backward(trial: Trial, backward: Answer) -> None:
    """backward(raiz) leaves in every leaf d raiz / d leaf: diamonds, repeated inputs, random graphs and a chain
    10 000 operations deep whose leaf is used 5 000 times."""
    for recipe, graph in _graphs(trial, ladder=False, public=2, hidden=3):
        _check_backward(trial, backward, recipe, graph)


# --------------------------------------------------------------------------- the counterexample

COUNTER_LIMIT = 2_000


@probe
def graph_of(contraejemplo: Any, limit: int) -> dict[str, Any]:
    """In the kernel: call ``contraejemplo()`` and describe the graph it returns as plain data: for every node
    (root first), its inputs (by position in the list) and its local derivatives."""
    root = student_call(contraejemplo, what="contraejemplo()")
    if not isinstance(root, Valor):
        return {"other": root}
    index, nodes, stack = {id(root): 0}, [root], [root]
    while stack and len(nodes) <= limit:
        for entrada in stack.pop().entradas:
            if id(entrada) not in index:
                index[id(entrada)] = len(nodes)
                nodes.append(entrada)
                stack.append(entrada)
    if len(nodes) > limit:
        return {"too_big": True}
    return {
        "inputs": [[index[id(e)] for e in node.entradas] for node in nodes],
        "locales": [[float(d) for d in node.locales] for node in nodes],
    }


def _walk(inputs: list[list[int]], locales: list[list[float]], order: list[int]) -> list[float]:
    grads = [0.0] * len(inputs)
    grads[0] = 1.0
    for node in order:
        for entrada, local in zip(inputs[node], locales[node]):
            grads[entrada] += local * grads[node]
    return [grads[i] for i in range(len(inputs)) if not inputs[i]]


def _by_distance(inputs: list[list[int]]) -> list[int]:
    """The shortcut's order: breadth first from the root, each node the first time it is reached."""
    queue, seen = [0], {0}
    for node in queue:
        for entrada in inputs[node]:
            if entrada not in seen:
                seen.add(entrada)
                queue.append(entrada)
    return queue


def _topological(inputs: list[list[int]]) -> list[int]:
    counts = [0] * len(inputs)
    for node_inputs in inputs:
        for entrada in node_inputs:
            counts[entrada] += 1
    order, ready = [], [0]
    while ready:
        node = ready.pop()
        order.append(node)
        for entrada in inputs[node]:
            counts[entrada] -= 1
            if counts[entrada] == 0:
                ready.append(entrada)
    return order


@register_check("ex05.contraejemplo", 2, {"es": "Por qué hace falta el orden", "en": "Why the order matters"})
@CONTRAEJEMPLO.part
def contraejemplo(trial: Trial, contraejemplo: Answer) -> None:
    """contraejemplo() builds a graph on which walking by distance from the root gives a wrong leaf gradient."""
    result = to_dict(trial.run(graph_of, contraejemplo, COUNTER_LIMIT), "contraejemplo()")
    if "other" in result:
        raise Failed(t("check.ex05.counter.not_valor", got=type_name(result["other"])))
    if "too_big" in result:
        raise Failed(t("check.ex05.counter.too_big", limit=COUNTER_LIMIT))
    inputs = [[int(i) for i in to_list(row, "entradas")] for row in to_list(result["inputs"], "entradas")]
    locales = [[float(d) for d in to_list(row, "locales")] for row in to_list(result["locales"], "locales")]
    right = _walk(inputs, locales, _topological(inputs))
    shortcut = _walk(inputs, locales, _by_distance(inputs))
    if np.allclose(shortcut, right, rtol=1e-9, atol=1e-12):
        uses = [0] * len(inputs)
        for row in inputs:
            for entrada in set(row):
                uses[entrada] += 1
        shared = any(uses[i] > 1 and inputs[i] for i in range(len(inputs)))
        raise Failed(t("check.ex05.counter.same", nodes=len(inputs)), H_CON["lengths"] if shared else H_CON["shared"])
    trial.passed()
