"""The backward engine: graph nodes, the topological order, and the backward walk.

A forward pass leaves behind a graph of ``Node`` objects (``tensor.grad_fn``).
Each node knows the nodes that produced its inputs (``next_functions``).
``backward`` walks that graph once, outputs first, and at every node applies
the chain rule: ``grad_input = local_derivative * grad_output``.  Gradients that
reach a node along several paths are added up before the node runs.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .speedups import gc_paused
from .trace import BackwardRecorder
from .validation import hook_result

# _module_stack, no_grad and the trace are also importable from here (the lessons, checks and drawing do so):
from .grad_mode import _module_stack, no_grad, recording  # noqa: F401, E402
from .trace import TraceStep, _forward_listeners, _trace_listeners, trace_backward, trace_forward  # noqa: F401, E402

if TYPE_CHECKING:
    from .tensor import Tensor


class RemovableHandle:
    """Returned by ``register_hook``; ``handle.remove()`` takes the hook out again."""

    def __init__(self, hooks: list[Any], hook: Any) -> None:
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


# --------------------------------------------------------------------------- nodes


class Node:
    """One recorded operation in the graph: where its gradient goes and how to compute it."""

    # Class-level defaults: a node only stores what its operation sets.
    num_outputs = 1
    _next_nodes: tuple[Node | None, ...] = ()  # the node of each input (None: no gradient)
    _next_nrs: tuple[int, ...] = ()  # ... and which of that node's outputs the input was
    _output_meta: tuple[Any, ...] = ()  # (shape, dtype) of each output, for multi-output nodes
    _tensor_hooks: dict[int, list[Any]] | None = None  # output index -> hooks registered on it
    _retain_grad: dict[int, Any] | None = None  # output index -> the tensor that keeps its .grad
    modules: tuple[Any, ...] = ()  # the nn.Modules (outermost first) that recorded this node

    @property
    def next_functions(self) -> tuple[tuple[Node | None, int], ...]:
        """(node, output index) for each input of the operation: where its gradient goes."""
        return tuple(zip(self._next_nodes, self._next_nrs))

    def name(self) -> str:
        """The node's name as the graph shows it, e.g. ``MulBackward``."""
        return type(self).__name__

    def apply(self, *grad_outputs: Tensor) -> tuple[Tensor | None, ...]:
        """Given d(loss)/d(each output), return d(loss)/d(each input) (None: no gradient)."""
        raise NotImplementedError

    def release(self) -> None:
        """Free what the node saved for backward (``retain_graph=False`` does it after the walk)."""

    def __repr__(self) -> str:
        return f"<{self.name()}>"


class AccumulateGrad(Node):
    """The node at a leaf tensor: adds the incoming gradient into ``leaf.grad``."""

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable

    def apply(self, *grad_outputs: Tensor) -> tuple[Tensor | None, ...]:
        (grad,) = grad_outputs
        leaf = self.variable
        accumulate_grad(leaf, _run_hooks(leaf._leaf_hooks, grad))
        return ()


def add_gradients(total: Tensor | None, grad: Tensor, keep: bool = False) -> Tensor:
    """total + grad: the one place where gradients add up (None counts as zero).

    ``keep=True`` is for a ``.grad``, which outlives the backward pass: its first
    value is a private copy (the incoming gradient may be shared), and later ones
    are added into it in place when nothing records the sum.
    """
    if total is None:
        return grad._detached_copy() if keep and not grad._requires_grad else grad
    records = recording.enabled and (total._requires_grad or grad._requires_grad)
    if keep and not records and total._data.flags.writeable and total._data.shape == grad._data.shape:
        total._data += grad._data
        return total
    return total + grad


def accumulate_grad(tensor: Tensor, grad: Tensor) -> None:
    """tensor.grad += grad (what a leaf, a retained grad and ``backward(inputs=...)`` do)."""
    tensor._grad = add_gradients(tensor._grad, grad, keep=True)


def _run_hooks(hooks: list[Any] | None, grad: Tensor) -> Tensor:
    for hook in hooks or ():
        result = hook(grad)
        if result is not None:  # a new gradient, of the same shape and dtype (or PyTorch's error)
            grad = hook_result(hook, grad, result)
    return grad


def gradient_edge(tensor: Tensor) -> tuple[Node | None, int]:
    """(node, output index) that receives this tensor's gradient, or (None, 0)."""
    if not tensor._requires_grad:
        return None, 0
    if tensor.grad_fn is not None:
        return tensor.grad_fn, tensor._output_nr
    return tensor._grad_accumulator(), 0


# --------------------------------------------------------------------------- the walk


def topological_order(roots: Sequence[Node]) -> list[Node]:
    """Nodes reachable from ``roots``, each listed before every node it feeds.

    An iterative depth-first search (no recursion: a 100 000-deep chain is fine),
    visiting ``next_functions`` in order, so the order is the same on every run.
    """
    order: list[Node] = []
    visited: set[Node] = set()
    for root in roots:
        if root in visited:
            continue
        visited.add(root)
        stack = [(root, iter(root._next_nodes))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if child is not None and child not in visited:
                    visited.add(child)
                    stack.append((child, iter(child._next_nodes)))
                    break
            else:
                stack.pop()
                order.append(node)  # post-order: after everything it depends on
    order.reverse()
    return order


def run_backward(
    tensors: Sequence[Tensor],
    grad_tensors: Sequence[Any] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Sequence[Tensor] | None = None,
    allow_unused: bool = False,
    accumulate: bool = True,
) -> tuple[Tensor | None, ...]:
    """Walk the graph from ``tensors`` back to the leaves, applying the chain rule.

    Without ``inputs`` (``backward()``) the gradients are added into the leaves'
    ``.grad``.  With ``inputs`` only the gradients of those tensors are computed:
    ``autograd.grad`` (``accumulate=False``) returns them, ``backward(inputs=...)``
    adds them into their ``.grad``.
    """
    if retain_graph is None:
        retain_graph = create_graph
    recorder = BackwardRecorder.start()  # None unless someone traces (trace.py)
    buffers = _seed_gradients(tensors, grad_tensors, recorder)
    targets = _target_edges(inputs)
    previous_mode = recording.enabled
    recording.enabled = create_graph  # record the backward itself only for higher derivatives
    try:
        with gc_paused():
            captured = _walk(buffers, targets, inputs, bool(retain_graph), recorder)
    finally:
        recording.enabled = previous_mode
    if inputs is None:
        return ()
    if accumulate:
        for tensor, grad in zip(inputs, captured):
            if grad is not None:
                accumulate_grad(tensor, grad)
        return ()
    for k, grad in enumerate(captured):
        if grad is None and not allow_unused:
            raise RuntimeError(
                f"One of the differentiated Tensors (input {k}) appears to not have been "
                "used in the graph. Set allow_unused=True if this is the desired behavior."
            )
    return tuple(g if g is None or create_graph else g.detach() for g in captured)


def _seed_gradients(tensors: Sequence[Tensor], grad_tensors: Any, recorder: Any) -> dict[Node, list[Any]]:
    """The walk starts with d(output)/d(output) (ones, or ``gradient=``) at each output's node."""
    if grad_tensors is None:
        grad_tensors = [None] * len(tensors)
    if len(grad_tensors) != len(tensors):
        raise RuntimeError(
            f"got {len(grad_tensors)} gradients for {len(tensors)} outputs; pass one gradient per output tensor"
        )
    buffers: dict[Node, list[Any]] = {}
    for i, (tensor, grad) in enumerate(zip(tensors, grad_tensors)):
        node, nr = gradient_edge(tensor)
        if node is None:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn. "
                "Create the inputs with requires_grad=True (or call .requires_grad_()) "
                "before computing this tensor, and do not compute it under no_grad()."
            )
        seed = _root_grad(tensor, grad, i)
        _add_to_buffer(buffers, node, nr, seed)
        if recorder is not None:
            recorder.seed(node, nr, seed)
    return buffers


def _root_grad(tensor: Tensor, grad: Any, index: int) -> Tensor:
    if grad is None:
        if tensor._data.size != 1:
            shape = tuple(tensor._data.shape)
            raise RuntimeError(
                f"grad can be implicitly created only for scalar outputs; got shape {shape}. "
                "Reduce it first (e.g. y.sum().backward()) or pass gradient= a tensor of "
                "that shape."
            )
        return type(tensor)._make(np.ones(tensor._data.shape, tensor._data.dtype))  # d(out)/d(out) = 1
    if not isinstance(grad, type(tensor)):  # e.g. a list: PyTorch's TypeError
        raise TypeError(f"gradients can be either Tensors or None, but got {type(grad).__name__}")
    if grad._data.shape != tensor._data.shape:
        raise RuntimeError(
            f"Mismatch in shape: grad_output[{index}] has a shape of {tuple(grad.shape)} "
            f"and output[{index}] has a shape of {tuple(tensor.shape)}. Pass a gradient "
            "with the same shape as the tensor you call backward on."
        )
    return grad if grad._data.dtype == tensor._data.dtype else grad.to(tensor._data.dtype)


def _target_edges(inputs: Sequence[Tensor] | None) -> dict[tuple[Node, int], int]:
    """For ``autograd.grad``: (node, output index) of each input -> its position in ``inputs``."""
    targets: dict[tuple[Node, int], int] = {}
    for k, tensor in enumerate(inputs or ()):
        node, nr = gradient_edge(tensor)
        if node is None:
            raise RuntimeError(f"input {k} does not require grad; it has no gradient to compute")
        targets.setdefault((node, nr), k)
    return targets


def _walk(
    buffers: dict[Node, list[Any]],
    targets: dict[tuple[Node, int], int],
    inputs: Sequence[Tensor] | None,
    retain_graph: bool,
    recorder: Any,
) -> list[Any]:
    """Run every node once, in topological order; return the gradients of ``inputs``."""
    only_targets = inputs is not None
    order = topological_order(list(buffers))
    needed = _needed_nodes(order, {node for node, _ in targets}) if only_targets else None
    captured: list[Any] = [None] * len(inputs or ())
    for node in order:
        buffer = buffers.pop(node, None)  # the summed gradient of each of the node's outputs
        if buffer is None or (needed is not None and node not in needed):
            continue
        if node._tensor_hooks or node._retain_grad:
            buffer = _run_tensor_hooks(node, buffer)
        if targets:
            for nr, grad in enumerate(buffer):
                if (node, nr) in targets:
                    captured[targets[node, nr]] = _capture(node, grad)
        if only_targets and isinstance(node, AccumulateGrad):
            continue  # its gradient was captured above; .grad is left alone
        grad_outputs = buffer if node.num_outputs == 1 else _materialize(buffer, node._output_meta)
        grad_inputs = node.apply(*grad_outputs) if recorder is None else recorder.run(node, tuple(grad_outputs))
        for next_node, nr, grad in zip(node._next_nodes, node._next_nrs, grad_inputs):
            if next_node is not None and grad is not None:
                _add_to_buffer(buffers, next_node, nr, grad)
        if not retain_graph:
            node.release()
    return captured


def _add_to_buffer(buffers: dict[Node, list[Any]], node: Node, nr: int, grad: Tensor) -> None:
    buffer = buffers.get(node)
    if buffer is None:
        buffer = buffers[node] = [None] * node.num_outputs
    buffer[nr] = grad if buffer[nr] is None else add_gradients(buffer[nr], grad)  # the first one is kept as it is


def _needed_nodes(order: list[Node], target_nodes: set[Node]) -> set[Node]:
    """The nodes on some path to a target (``autograd.grad`` runs only these)."""
    needed: set[Node] = set()
    for node in reversed(order):  # producers first
        if node in target_nodes or any(child in needed for child in node._next_nodes):
            needed.add(node)
    return needed


def _run_tensor_hooks(node: Node, buffer: list[Any]) -> list[Any]:
    """Hooks registered on the node's output tensors, then ``retain_grad``'s copy into ``.grad``."""
    buffer = list(buffer)
    for nr, grad in enumerate(buffer):
        if grad is None:
            continue
        if node._tensor_hooks and nr in node._tensor_hooks:
            grad = buffer[nr] = _run_hooks(node._tensor_hooks[nr], grad)
        owner = node._retain_grad.get(nr) if node._retain_grad else None
        tensor = owner() if owner is not None else None
        if tensor is not None:
            accumulate_grad(tensor, grad)
    return buffer


def _capture(node: Node, grad: Any) -> Any:
    """The gradient ``autograd.grad`` returns for an input: a leaf's hooks run on it first."""
    if grad is not None and isinstance(node, AccumulateGrad):
        return _run_hooks(node.variable._leaf_hooks, grad)
    return grad


def _materialize(buffer: list[Any], output_meta: tuple[Any, ...]) -> tuple[Tensor, ...]:
    """Gradients for every output of the node; outputs nobody used get zeros."""
    present = next(g for g in buffer if g is not None)
    return tuple(
        g if g is not None else present.new_zeros(shape, dtype=dtype) for g, (shape, dtype) in zip(buffer, output_meta)
    )


def _tensor_hook_list(node: Node, nr: int) -> list[Any]:
    if node._tensor_hooks is None:
        node._tensor_hooks = {}
    return node._tensor_hooks.setdefault(nr, [])


def _set_retain_grad(node: Node, nr: int, tensor: Tensor) -> None:
    if node._retain_grad is None:
        node._retain_grad = {}
    node._retain_grad[nr] = weakref.ref(tensor)


def iter_graph(output: Tensor) -> Iterator[Node]:
    """The nodes behind ``output`` in backward order (the order ``backward`` runs them)."""
    node, _ = gradient_edge(output)
    if node is not None:
        yield from topological_order([node])
