"""Printing helpers for the lessons: the formatting lives here so that each lesson cell shows one idea.

They only format what the library already computed: ``print_backward`` reads
the record of ``engine.trace_backward()`` (a teaching aid of autograd_lab;
PyTorch has no such trace), ``best_time`` times a call.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..engine import AccumulateGrad, Node, TraceStep
from ..i18n import register, t
from ..tensor import Tensor

register(
    {
        "show.leaf": {"es": "hoja {name}", "en": "leaf {name}"},
        "show.leaf_shape": {"es": "hoja de forma {shape}", "en": "leaf of shape {shape}"},
        "show.receives": {"es": "recibe {grad}", "en": "receives {grad}"},
        "show.local": {"es": "× locales {local}", "en": "× local {local}"},
        "show.sends": {"es": "envía {items}", "en": "sends {items}"},
        "show.sent_to": {"es": "{grad} a {target}", "en": "{grad} to {target}"},
        "show.stores": {"es": "{name}.grad = {grad}", "en": "{name}.grad = {grad}"},
    }
)


def number(value: float, digits: int = 4) -> str:
    """``value`` with at most ``digits`` significant digits: ``4``, ``-0.2369``; never ``-0``."""
    value = float(value)
    text = f"{value:.{digits}g}"
    return "0" if float(text) == 0.0 else text


def values(tensor: Any, digits: int = 4) -> str:
    """A tensor's values as a number (one element) or a flat list: ``3``, ``[-0.2369, 0.4738]``."""
    items = tensor.detach().reshape(-1).tolist() if isinstance(tensor, Tensor) else [float(tensor)]
    if len(items) == 1:
        return number(items[0], digits)
    return "[" + ", ".join(number(item, digits) for item in items) + "]"


def _leaf_label(node: AccumulateGrad, names: Mapping[str, Any]) -> tuple[str, str]:
    """(label, name) of a leaf's node: "hoja a" when ``names`` holds it, else its shape."""
    for name, tensor in names.items():
        if tensor is node.variable:
            return t("show.leaf", name=name), name
    shape = tuple(node.variable.shape)
    return t("show.leaf_shape", shape=shape), ""


def _label(node: Node, names: Mapping[str, Any]) -> str:
    return _leaf_label(node, names)[0] if isinstance(node, AccumulateGrad) else node.name()


def _received(step: TraceStep, digits: int) -> str:
    """The gradient a node received: ``4``, or ``3 + 1 = 4`` when it arrived along several paths."""
    total = values(step.grad_outputs[0], digits)
    parts = step.received[0] if step.received else ()
    if len(parts) < 2:
        return total
    return " + ".join(values(part.grad, digits) for part in parts) + f" = {total}"


def backward_lines(
    steps: Iterable[TraceStep], names: Mapping[str, Any] | None = None, *, local: bool = False, digits: int = 4
) -> list[str]:
    """One line per backward step: what each node receives and sends, and what each leaf stores in ``.grad``.

    A gradient that arrived along several paths shows its parts and their sum (``3 + 1 = 4``).
    ``names`` maps a name to a leaf tensor (``{"a": a}``), so its node is called "hoja a";
    ``local=True`` also shows each node's local derivatives (for scalar graphs).
    """
    names = names or {}
    steps = list(steps)
    width = max((len(_label(step.node, names)) for step in steps), default=0)
    lines = []
    for step in steps:
        label = _label(step.node, names).ljust(width)
        receives = t("show.receives", grad=_received(step, digits))
        if isinstance(step.node, AccumulateGrad):
            name = _leaf_label(step.node, names)[1]
            stored = t("show.stores", name=name, grad=values(step.grad_after, digits))
            lines.append(f"{label}  {receives}  →  {stored}")
            continue
        parts = [label, receives]
        if local and step.local_grads and all(g is not None for g in step.local_grads):
            locals_ = "[" + ", ".join(values(g, digits) for g in step.local_grads) + "]"
            parts.append(t("show.local", local=locals_))
        sent = [
            t("show.sent_to", grad=values(grad, digits), target=_label(target, names)) for target, _, grad in step.sent
        ]
        line = "  ".join(parts)
        lines.append(f"{line}  →  {t('show.sends', items=', '.join(sent))}" if sent else line)
    return lines


def print_backward(
    steps: Iterable[TraceStep], names: Mapping[str, Any] | None = None, *, local: bool = False, digits: int = 4
) -> None:
    """Print ``backward_lines(steps, names, local=..., digits=...)``, one line per backward step."""
    print("\n".join(backward_lines(steps, names, local=local, digits=digits)))


def best_time(function: Callable[..., Any], *args: Any, repeat: int = 3) -> float:
    """The shortest of ``repeat`` timings of ``function(*args)``, in seconds."""
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1, got {repeat}")
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - start)
    return best
