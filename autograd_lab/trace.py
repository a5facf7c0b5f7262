"""Watching the engine work: what each backward step received, computed and sent.

``with trace_backward() as steps: loss.backward()`` fills ``steps`` with one
``TraceStep`` per node the engine ran, in the order it ran them.  Nothing is
recomputed: every tensor in a step is the very one the engine passed or got
back (``backward`` runs once per node, traced or not).  The drawing and the
``BackwardStepper`` read these steps; they never re-derive a gradient.

``trace_forward`` does the same for the forward pass: each recorded operation
with its outputs.

This module is outside the reading path of the engine: ``engine.py`` only hands
it the tensors (see ``BackwardRecorder``) when someone is listening.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import Node
    from .tensor import Tensor


@dataclass
class Contribution:
    """One gradient that arrived at an output slot of a node, and who sent it."""

    source: int | None  # index of the TraceStep that sent it; None: the seed of backward (d out / d out)
    grad: Tensor  # the tensor the engine added into the node's gradient for that slot


@dataclass
class TraceStep:
    """What one step of backward did, as the engine did it.

    - ``index``: position of this step in the walk (0 is the output's node).
    - ``node``: the node that ran (``MulBackward``, ``AccumulateGrad``, ...).
    - ``received``: for each output slot of the node, the contributions that
      arrived there (``Contribution(source, grad)``, in delivery order); the
      engine summed them into one gradient per slot.
    - ``grad_outputs``: the gradient(s) actually passed to the node's backward:
      the sums above, after tensor hooks ran; zeros for an unused output.
    - ``grad_inputs``: what backward returned, one per input (None: no gradient).
    - ``edges``: ``(node, output index)`` each gradient was sent to (None: nowhere).
    - ``local_grads``: per input, d input-gradient / d output-gradient as a true
      scalar derivative: only when the node has one output, the output gradient
      and the input gradient have one element each, and the output gradient is
      not zero (then it is ``grad_input / grad_output``). Otherwise None: the
      step is a vector-Jacobian product, with no single local derivative.
    - ``grad_before`` / ``grad_after``: for ``AccumulateGrad``, the leaf's
      ``.grad`` before and after this step (copies: later steps do not change them).
    """

    index: int
    node: Node
    received: tuple[tuple[Contribution, ...], ...]
    grad_outputs: tuple[Tensor, ...]
    grad_inputs: tuple[Tensor | None, ...]
    edges: tuple[tuple[Node | None, int], ...] = field(default_factory=tuple)
    local_grads: tuple[Tensor | None, ...] = ()
    grad_before: Tensor | None = None
    grad_after: Tensor | None = None

    @property
    def contributions(self) -> list[Contribution]:
        """Every contribution this node received, all slots together, in delivery order."""
        return [c for slot in self.received for c in slot]

    @property
    def sent(self) -> list[tuple[Node, int, Tensor]]:
        """(node, output index, gradient) for each gradient this step sent on."""
        return [(n, nr, g) for (n, nr), g in zip(self.edges, self.grad_inputs) if n is not None and g is not None]


_trace_listeners: list[Callable[[TraceStep], None]] = []


class trace_backward:
    """Record every step of the backward passes run inside: ``with trace_backward() as steps:``."""

    def __enter__(self) -> list[TraceStep]:
        self.steps: list[TraceStep] = []
        _trace_listeners.append(self.steps.append)
        return self.steps

    def __exit__(self, *exc: object) -> None:
        _trace_listeners.remove(self.steps.append)


class BackwardRecorder:
    """Told by the engine what one backward pass does; builds and hands out the TraceSteps.

    The engine calls ``seed`` for each output it starts from and ``run`` instead
    of ``node.apply`` for each node; ``run`` calls ``node.apply`` exactly once.
    """

    def __init__(self, listeners: list[Callable[[TraceStep], None]]) -> None:
        self.listeners = listeners
        self.pending: dict[tuple[Node, int], list[Contribution]] = {}
        self.count = 0

    @classmethod
    def start(cls) -> BackwardRecorder | None:
        """A recorder when someone is listening, else None (and nothing is recorded)."""
        return cls(list(_trace_listeners)) if _trace_listeners else None

    def seed(self, node: Node, nr: int, grad: Tensor) -> None:
        """The engine starts backward with ``grad`` at output ``nr`` of ``node``."""
        self.pending.setdefault((node, nr), []).append(Contribution(None, grad))

    def run(self, node: Node, grad_outputs: tuple[Tensor, ...]) -> tuple[Tensor | None, ...]:
        """Run ``node``'s backward (once), record the step, and return its gradients."""
        leaf = getattr(node, "variable", None)  # AccumulateGrad: the leaf it adds into
        before = _copy(leaf._grad) if leaf is not None else None
        grad_inputs = node.apply(*grad_outputs)
        index, self.count = self.count, self.count + 1
        received = tuple(tuple(self.pending.pop((node, nr), ())) for nr in range(node.num_outputs))
        edges = node.next_functions
        for (child, nr), grad in zip(edges, grad_inputs):
            if child is not None and grad is not None:  # the engine's rule for what it sends on
                self.pending.setdefault((child, nr), []).append(Contribution(index, grad))
        step = TraceStep(
            index,
            node,
            received,
            grad_outputs,
            grad_inputs,
            edges,
            _local_grads(grad_outputs, grad_inputs),
            before,
            _copy(leaf._grad) if leaf is not None else None,
        )
        for listener in self.listeners:
            listener(step)
        return grad_inputs


def _copy(grad: Tensor | None) -> Tensor | None:
    return grad._detached_copy() if grad is not None else None


def _local_grads(grad_outputs: tuple[Tensor, ...], grad_inputs: tuple[Any, ...]) -> tuple[Tensor | None, ...]:
    """grad_input / grad_output where that is a true scalar derivative (see ``TraceStep``)."""
    if len(grad_outputs) != 1 or grad_outputs[0].numel() != 1:
        return tuple(None for _ in grad_inputs)
    out = grad_outputs[0].detach()
    if out.item() == 0:
        return tuple(None for _ in grad_inputs)
    return tuple(g.detach() / out if g is not None and g.numel() == 1 else None for g in grad_inputs)


# Listeners told of every operation recorded in the forward pass: (node, its outputs).
_forward_listeners: list[Callable[[tuple[Node, tuple[Tensor, ...]]], None]] = []


class trace_forward:
    """Record every operation of the forward passes run inside, with its outputs.

    ``with trace_forward() as records:`` gives a list of ``(node, outputs)`` in the
    order the operations ran; the drawing uses it to show intermediate values.
    """

    def __enter__(self) -> list[tuple[Node, tuple[Tensor, ...]]]:
        self.records: list[tuple[Node, tuple[Tensor, ...]]] = []
        _forward_listeners.append(self.records.append)
        return self.records

    def __exit__(self, *exc: object) -> None:
        _forward_listeners.remove(self.records.append)
