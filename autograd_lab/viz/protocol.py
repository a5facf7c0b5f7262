"""The graph of another autograd engine, read through one small protocol: inputs, op, value, grad.

``draw()`` and ``BackwardStepper`` accept, besides autograd_lab tensors, the
nodes of a graph built by another engine: the course's ``Valor``, a
micrograd-style ``Value``, or a tensor class written in the exercises.  Such a
node is any object that answers four questions (and optionally a fifth); each
question may be spelled in any of the ways below, tried in this order:

=============  ======================================================================
question       accepted spellings
=============  ======================================================================
inputs         ``entradas``, ``_prev``, ``_children``, ``inputs``, ``parents``; or a
               creator object in ``grad_fn``, ``_ctx``, ``creator`` or ``ctx`` that
               holds them as ``inputs``, ``entradas``, ``parents`` or ``_inputs``
op name        ``op``, ``_op``, ``operacion``; else the creator's ``op`` / ``name`` or
               its class name (``Mul``); leaves (no inputs) need none
value          ``data`` (a number, a numpy array, or anything ``numpy.asarray`` reads)
grad           ``grad`` (a number, an array, or ``None``)
label          optional: ``label``, ``etiqueta`` or ``nombre``; else the caller's
               variable that holds the node
=============  ======================================================================

Inputs kept in a ``set`` (micrograd) are put in a fixed order (by label, op and
value), so the same graph is drawn the same way every time; inputs that are not
nodes themselves (a number, an array of labels passed to a loss) are constants
and are not drawn.  Nothing here
computes a derivative: the drawing shows what the nodes hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

INPUT_NAMES = ("entradas", "_prev", "_children", "inputs", "parents")
CREATOR_NAMES = ("grad_fn", "_ctx", "creator", "ctx")
CREATOR_INPUT_NAMES = ("inputs", "entradas", "parents", "_inputs")
OP_NAMES = ("op", "_op", "operacion")
CREATOR_OP_NAMES = ("op", "name")
LABEL_NAMES = ("label", "etiqueta", "nombre")

PROTOCOL_SUMMARY = (
    "a graph node needs a value `data`, a gradient `grad` and its inputs "
    "(`entradas`, `_prev`, `_children`, `inputs`, `parents`, or a `grad_fn`/`_ctx`/`creator` holding `inputs`)"
)


@dataclass(frozen=True)
class NodeView:
    """What the drawing reads from one node of another engine."""

    node: Any
    inputs: tuple[Any, ...]
    op: str
    value: Any
    grad: Any
    label: str | None


def _attribute(obj: Any, names: Iterable[str]) -> tuple[bool, Any]:
    """(found, value) of the first of ``names`` that ``obj`` has (a misbehaving attribute counts as absent)."""
    for name in names:
        try:
            value = getattr(obj, name)
        except Exception:
            continue
        return True, value
    return False, None


def _creator_inputs(obj: Any) -> tuple[Any, Any] | None:
    """(creator, its inputs) when ``obj`` keeps its inputs in a creator object (a student's grad_fn)."""
    found, creator = _attribute(obj, CREATOR_NAMES)
    if not found or creator is None:
        return None
    found, inputs = _attribute(creator, CREATOR_INPUT_NAMES)
    if not found or inputs is None or isinstance(inputs, (str, bytes)):
        return None
    try:
        return creator, tuple(inputs)
    except TypeError:
        return None


def is_graph_node(obj: Any) -> bool:
    """True when ``obj`` follows the protocol: a ``data``, a ``grad`` and a way to find its inputs."""
    if isinstance(obj, (type, str, bytes, int, float, complex, np.ndarray)):
        return False
    has_data = _attribute(obj, ("data",))[0]
    has_grad = _attribute(obj, ("grad",))[0]
    if not (has_data and has_grad):
        return False
    found, inputs = _attribute(obj, INPUT_NAMES)
    if found and inputs is not None and not isinstance(inputs, (str, bytes)):
        return True
    return _creator_inputs(obj) is not None or _attribute(obj, CREATOR_NAMES)[0]


def read_node(obj: Any) -> NodeView:
    """The inputs, op name, value, grad and label of ``obj``, read through the protocol."""
    if not is_graph_node(obj):
        raise TypeError(
            f"cannot draw a {type(obj).__name__}: {PROTOCOL_SUMMARY}; see autograd_lab.viz.protocol for the spellings"
        )
    creator = None
    found, inputs = _attribute(obj, INPUT_NAMES)
    if not found or inputs is None:
        pair = _creator_inputs(obj)
        creator, inputs = pair if pair is not None else (None, ())
    ordered = tuple(item for item in _ordered_inputs(inputs) if is_graph_node(item))  # constants are not nodes
    found, op = _attribute(obj, OP_NAMES)
    op_name = str(op) if found and op not in (None, "") else ""
    if not op_name and creator is not None:
        op_name = _creator_name(creator)
    found, label = _attribute(obj, LABEL_NAMES)
    label_text = str(label) if found and label not in (None, "") else None
    return NodeView(obj, ordered, op_name, _attribute(obj, ("data",))[1], _attribute(obj, ("grad",))[1], label_text)


def _creator_name(creator: Any) -> str:
    found, name = _attribute(creator, CREATOR_OP_NAMES)
    if found and isinstance(name, str) and name:
        return name
    return type(creator).__name__


def _ordered_inputs(inputs: Any) -> tuple[Any, ...]:
    """The inputs as a tuple; a set (micrograd's ``_prev``) gets a fixed order."""
    items = tuple(inputs)
    if isinstance(inputs, (set, frozenset)):
        items = tuple(sorted(items, key=_sort_key))
    return items


def _sort_key(node: Any) -> tuple[str, str, str]:
    found, label = _attribute(node, LABEL_NAMES)
    found_op, op = _attribute(node, OP_NAMES)
    value = _attribute(node, ("data",))[1]
    return (str(label) if found and label else "", str(op) if found_op and op else "", _value_key(value))


def _value_key(value: Any) -> str:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return type(value).__name__
    return f"{array.shape}:{array.reshape(-1)[:8].tolist()}"


def topological_order(output: Any) -> list[NodeView]:
    """Every node behind ``output``, each listed before the nodes it was computed from (output first).

    Iterative (a deep chain is fine) and deterministic: inputs are visited in order.
    """
    views: dict[int, NodeView] = {}
    order: list[NodeView] = []
    root = read_node(output)
    views[id(output)] = root
    stack: list[tuple[NodeView, int]] = [(root, 0)]
    while stack:
        view, k = stack.pop()
        if k < len(view.inputs):
            stack.append((view, k + 1))
            child = view.inputs[k]
            if id(child) not in views:
                child_view = read_node(child)
                views[id(child)] = child_view
                stack.append((child_view, 0))
        else:
            order.append(view)  # post-order: after everything it depends on
    order.reverse()
    return order


@dataclass(frozen=True)
class GradWrite:
    """One assignment to a node's ``grad`` while another engine's backward ran."""

    node: Any
    before: Any
    after: Any


def snapshot(value: Any) -> Any:
    """A copy of a gradient that later in-place updates cannot change."""
    if isinstance(value, np.ndarray):
        return value.copy()
    copy_method = getattr(value, "copy", None)
    if callable(copy_method) and not isinstance(value, (int, float)):
        try:
            return copy_method()
        except Exception:
            return value
    return value


class record_grad_writes:
    """Record every assignment to ``.grad`` on ``nodes`` inside the block: ``with record_grad_writes(nodes) as w:``.

    It wraps ``__setattr__`` of the nodes' classes for the duration of the block
    (and restores it after), so it sees ``v.grad = ...`` and ``v.grad += ...``
    exactly as the other engine's backward ran them; an in-place change that
    never assigns (``v.grad[...] += g``) is not seen.
    """

    def __init__(self, nodes: Iterable[Any]) -> None:
        self.nodes = {id(node): node for node in nodes}
        self.writes: list[GradWrite] = []
        self.initial = {key: snapshot(_attribute(node, ("grad",))[1]) for key, node in self.nodes.items()}
        self._latest = dict(self.initial)
        self._patched: list[tuple[type, Any]] = []

    def __enter__(self) -> list[GradWrite]:
        classes = list(dict.fromkeys(type(node) for node in self.nodes.values()))
        originals = [(cls, cls.__dict__.get("__setattr__"), cls.__setattr__) for cls in classes]
        for cls, own, resolved in originals:
            try:
                cls.__setattr__ = self._recorder(resolved)
            except TypeError:
                self.__exit__()
                raise TypeError(
                    f"cannot follow the backward of {cls.__name__} objects: their class cannot be changed"
                ) from None
            self._patched.append((cls, own))
        return self.writes

    def _recorder(self, setattr_: Any) -> Any:
        nodes, writes, latest = self.nodes, self.writes, self._latest

        def __setattr__(obj: Any, name: str, value: Any) -> None:
            setattr_(obj, name, value)
            key = id(obj)
            if name == "grad" and key in nodes and nodes[key] is obj:
                after = snapshot(value)
                writes.append(GradWrite(obj, latest.get(key), after))
                latest[key] = after

        return __setattr__

    def __exit__(self, *exc: object) -> None:
        for cls, own in reversed(self._patched):
            if own is None:
                del cls.__setattr__
            else:
                cls.__setattr__ = own
        self._patched = []
