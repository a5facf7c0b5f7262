"""The backward engine: grad mode, graph nodes, the topological walk, and its trace.

A forward pass leaves behind a graph of ``Node`` objects (``tensor.grad_fn``).
Each node knows the nodes that produced its inputs (``next_functions``).
``backward`` walks that graph once, outputs first, and at every node applies
the chain rule: ``grad_input = local_derivative * grad_output``.  Gradients that
reach a node along several paths are added up before the node runs.
"""

from __future__ import annotations

import functools
import gc
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .trace import BackwardRecorder
from .trace import TraceStep, _forward_listeners, _trace_listeners, trace_backward, trace_forward  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from .tensor import Tensor

# --------------------------------------------------------------------------- grad mode


class _GradState:
    enabled = True


_grad = _GradState()


def is_grad_enabled() -> bool:
    """True when operations are being recorded for backward."""
    return _grad.enabled


class _GradMode:
    """Context manager and decorator that sets grad mode and restores it on exit."""

    mode = True

    def __enter__(self) -> None:
        self._previous = _grad.enabled
        _grad.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _grad.enabled = self._previous

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            previous = _grad.enabled
            _grad.enabled = mode
            try:
                return func(*args, **kwargs)
            finally:
                _grad.enabled = previous

        return wrapper


class no_grad(_GradMode):
    """Disable graph recording: ``with no_grad(): w -= lr * w.grad``."""

    mode = False

    def __new__(cls, func: Callable[..., Any] | None = None) -> Any:
        # Allows both ``@no_grad()`` and the bare ``@no_grad`` decorator.
        self = super().__new__(cls)
        return self(func) if callable(func) else self


class enable_grad(no_grad):
    """Re-enable graph recording inside a ``no_grad`` block."""

    mode = True


class inference_mode(no_grad):
    """Same as ``no_grad`` here (PyTorch's faster variant of it)."""


class set_grad_enabled(_GradMode):
    """Set grad mode to ``mode`` now; as a context manager, restore it on exit."""

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self._previous = _grad.enabled
        _grad.enabled = self.mode

    def __enter__(self) -> None:
        pass


# --------------------------------------------------------------------------- module scopes

# The nn.Modules whose forward is running, outermost first.  nn.Module.__call__
# pushes itself here; every node recorded meanwhile remembers the stack, so the
# graph drawing can group a network's operations by layer.
_module_stack: list[Any] = []

# --------------------------------------------------------------------------- nodes

_FREED = (
    "Trying to backward through the graph a second time (or directly access saved "
    "tensors after they have already been freed). Saved intermediate values of the "
    "graph are freed when you call .backward() or autograd.grad(). Specify "
    "retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward."
)


class RemovableHandle:
    """Returned by ``register_hook``; ``handle.remove()`` takes the hook out again."""

    def __init__(self, hooks: list[Any], hook: Any) -> None:
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


def _modified_error(data: Any, node: Node, now: int, expected: int) -> RuntimeError:
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified "
        f"by an inplace operation: [{data.dtype} tensor of shape {list(data.shape)}], which is "
        f"used by {node.name()}, is at version {now}; expected version {expected} instead. "
        "Hint: use an out-of-place operation (y = y * 2 instead of y.mul_(2)) or "
        ".clone() the tensor before changing it."
    )


class _SavedOutput:
    """An output a node saved for its own backward, rebuilt on demand (keeping the
    tensor itself would make a reference cycle: tensor -> grad_fn -> tensor)."""

    __slots__ = ("data", "version_counter", "version", "output_nr")

    def __init__(self, data: Any, counter: list[int], output_nr: int) -> None:
        self.data, self.output_nr = data, output_nr
        self.version_counter, self.version = counter, counter[0]

    def unpack(self, node: Node) -> Tensor:
        if self.version_counter[0] != self.version:
            raise _modified_error(self.data, node, self.version_counter[0], self.version)
        from .tensor import Tensor

        requires = self.output_nr >= 0
        return Tensor._make(
            self.data,
            requires_grad=requires,
            grad_fn=node if requires else None,
            output_nr=max(self.output_nr, 0),
            version=self.version_counter,
        )


class Node:
    """One recorded operation: the ``ctx`` of a Function call and its ``grad_fn``."""

    # Class-level defaults: a node only stores what its operation sets.
    _function: Any = None  # the Function subclass whose backward this node runs
    num_outputs = 1
    _next_nodes: tuple[Node | None, ...] = ()  # the node of each input (None: no gradient)
    _next_nrs: tuple[int, ...] = ()  # ... and which of that node's outputs the input was
    needs_input_grad: tuple[bool, ...] = ()
    to_save: tuple[Any, ...] = ()
    _saved: tuple[Any, ...] = ()  # inputs and constants as they are, outputs as _SavedOutput
    _saved_versions: tuple[int | None, ...] = ()  # each saved tensor's version when saved
    _released = False
    _input_meta: tuple[Any, ...] | None = None  # set for user Functions: backward gets checked
    _output_meta: tuple[Any, ...] = ()
    _tensor_hooks: dict[int, list[Any]] | None = None
    _retain_grad: dict[int, Any] | None = None
    modules: tuple[Any, ...] = ()  # the nn.Modules (outermost first) that recorded this node

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep these tensors for backward (read them back from ``saved_tensors``)."""
        self.to_save = tensors

    def mark_non_differentiable(self, *tensors: Any) -> None:
        """Outputs (e.g. indices) that get no gradient and do not require grad."""
        self.non_differentiable = {id(t) for t in tensors}

    @property
    def next_functions(self) -> tuple[tuple[Node | None, int], ...]:
        """(node, output index) for each input of the operation: where its gradient goes."""
        return tuple(zip(self._next_nodes, self._next_nrs))

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The tensors given to ``save_for_backward``, checked for in-place changes."""
        if self._released:
            raise RuntimeError(_FREED)
        tensors = []
        for item, version in zip(self._saved, self._saved_versions):
            if version is not None and item._version_counter[0] != version:
                raise _modified_error(item._data, self, item._version_counter[0], version)
            tensors.append(item.unpack(self) if type(item) is _SavedOutput else item)
        return tuple(tensors)

    def name(self) -> str:
        """The node's name as the graph shows it, e.g. ``MulBackward``."""
        return type(self).__name__

    def apply(self, *grad_outputs: Tensor) -> tuple[Tensor | None, ...]:
        """Run the Function's backward: one gradient (or None) per forward input."""
        grads = self._function.backward(self, *grad_outputs)
        grads = grads if isinstance(grads, tuple) else (grads,)
        return grads if self._input_meta is None else _check_grads(self, grads)

    def release(self) -> None:
        """Free the saved tensors (what ``retain_graph=False`` does after backward)."""
        self._saved, self._released = (), True

    def __repr__(self) -> str:
        return f"<{self.name()}>"


class AccumulateGrad(Node):
    """The node at a leaf tensor: adds the incoming gradient into ``leaf.grad``."""

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable

    def apply(self, *grad_outputs: Tensor) -> tuple[Tensor | None, ...]:
        (grad,) = grad_outputs
        leaf = self.variable
        if leaf._leaf_hooks:
            grad = _run_hooks(leaf._leaf_hooks, grad)
        if leaf._grad is None:
            # Keep a private copy: the incoming gradient may be shared with other leaves.
            leaf._grad = grad if grad._requires_grad else grad._detached_copy()
        else:
            leaf._grad = _accumulate(leaf._grad, grad)
        return ()


def _accumulate(total: Tensor, grad: Tensor) -> Tensor:
    """total + grad: the one place where gradients add up (in place when nothing records)."""
    if _grad.enabled and (total.requires_grad or grad.requires_grad):
        return total + grad
    if total._data.flags.writeable and total._data.shape == grad._data.shape:
        total._data += grad._data
        return total
    return total + grad


def _run_hooks(hooks: list[Any] | None, grad: Tensor) -> Tensor:
    for hook in hooks or ():
        result = hook(grad)
        if result is not None:
            grad = result
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


def _make_root_grad(tensor: Tensor, grad: Any, index: int) -> Tensor:
    from .factories import ones_like
    from .tensor import Tensor

    if grad is None:
        if tensor._data.size != 1:
            shape = tuple(tensor._data.shape)
            raise RuntimeError(
                f"grad can be implicitly created only for scalar outputs; got shape {shape}. "
                "Reduce it first (e.g. y.sum().backward()) or pass gradient= a tensor of "
                "that shape."
            )
        return ones_like(tensor)
    if not isinstance(grad, Tensor):
        grad = Tensor(grad) if not hasattr(grad, "__len__") else Tensor(grad)
    if grad._data.shape != tensor._data.shape:
        raise RuntimeError(
            f"Mismatch in shape: grad_output[{index}] has a shape of {tuple(grad.shape)} "
            f"and output[{index}] has a shape of {tuple(tensor.shape)}. Pass a gradient "
            "with the same shape as the tensor you call backward on."
        )
    return grad


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
    if grad_tensors is None:
        grad_tensors = [None] * len(tensors)
    if len(grad_tensors) != len(tensors):
        raise RuntimeError(
            f"got {len(grad_tensors)} gradients for {len(tensors)} outputs; pass one gradient per output tensor"
        )
    buffers: dict[Node, list[Any]] = {}
    roots: list[Node] = []
    recorder = BackwardRecorder.start()
    for i, (tensor, grad) in enumerate(zip(tensors, grad_tensors)):
        node, nr = gradient_edge(tensor)
        if node is None:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn. "
                "Create the inputs with requires_grad=True (or call .requires_grad_()) "
                "before computing this tensor, and do not compute it under no_grad()."
            )
        root_grad = _make_root_grad(tensor, grad, i)
        _add_to_buffer(buffers, node, nr, root_grad)
        if recorder is not None:
            recorder.seed(node, nr, root_grad)
        roots.append(node)

    targets: dict[tuple[Node, int], int] = {}
    for k, tensor in enumerate(inputs or ()):
        edge = gradient_edge(tensor)
        if edge[0] is None:
            raise RuntimeError(f"input {k} does not require grad; it has no gradient to compute")
        targets.setdefault(edge, k)  # type: ignore[arg-type]
    captured: list[Any] = [None] * len(inputs or ())

    # The walk makes no reference cycles, only short-lived objects: pausing the cyclic GC
    # spares it from rescanning the whole graph again and again (reference counting still
    # frees everything at once; the GC resumes, if it was on, when the walk ends).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    previous_mode = _grad.enabled
    try:
        order = topological_order(roots)
        needed = _needed_nodes(order, {node for node, _ in targets}) if inputs is not None else None
        _grad.enabled = create_graph
        for node in order:
            buffer = buffers.pop(node, None)
            if buffer is None or (needed is not None and node not in needed):
                continue
            if node._tensor_hooks or node._retain_grad:
                buffer = _run_tensor_hooks(node, buffer)
            if targets:
                for nr, grad in enumerate(buffer):
                    target = targets.get((node, nr))
                    if target is not None:
                        captured[target] = _leaf_hooks_for_capture(node, grad)
            if inputs is not None and isinstance(node, AccumulateGrad):
                continue  # its gradient was captured above
            grad_outputs = _materialize(node, buffer)
            grad_inputs = node.apply(*grad_outputs) if recorder is None else recorder.run(node, grad_outputs)
            for next_node, nr, grad in zip(node._next_nodes, node._next_nrs, grad_inputs):
                if next_node is not None and grad is not None:
                    _add_to_buffer(buffers, next_node, nr, grad)
            if not retain_graph:
                node.release()
    finally:
        _grad.enabled = previous_mode
        if gc_was_enabled:
            gc.enable()

    if inputs is None:
        return ()
    if accumulate:
        for tensor, grad in zip(inputs, captured):
            if grad is not None:
                new = grad if create_graph else grad._detached_copy()
                tensor._grad = new if tensor._grad is None else _accumulate(tensor._grad, grad)
        return ()
    for k, grad in enumerate(captured):
        if grad is None and not allow_unused:
            raise RuntimeError(
                f"One of the differentiated Tensors (input {k}) appears to not have been "
                "used in the graph. Set allow_unused=True if this is the desired behavior."
            )
    return tuple(g if g is None or create_graph else g.detach() for g in captured)


def _add_to_buffer(buffers: dict[Node, list[Any]], node: Node, nr: int, grad: Tensor) -> None:
    buffer = buffers.get(node)
    if buffer is None:
        buffer = buffers[node] = [None] * node.num_outputs
    buffer[nr] = grad if buffer[nr] is None else buffer[nr] + grad


def _needed_nodes(order: list[Node], target_nodes: set[Node]) -> set[Node]:
    """The nodes on some path to a target (``autograd.grad`` runs only these)."""
    needed: set[Node] = set()
    for node in reversed(order):  # producers first
        if node in target_nodes or any(child in needed for child in node._next_nodes):
            needed.add(node)
    return needed


def _run_tensor_hooks(node: Node, buffer: list[Any]) -> list[Any]:
    buffer = list(buffer)
    for nr, grad in enumerate(buffer):
        if grad is None:
            continue
        if node._tensor_hooks and nr in node._tensor_hooks:
            grad = buffer[nr] = _run_hooks(node._tensor_hooks[nr], grad)
        owner = node._retain_grad.get(nr) if node._retain_grad else None
        tensor = owner() if owner is not None else None
        if tensor is not None:
            new = grad if grad.requires_grad else grad._detached_copy()
            tensor._grad = new if tensor._grad is None else _accumulate(tensor._grad, grad)
    return buffer


def _leaf_hooks_for_capture(node: Node, grad: Any) -> Any:
    if grad is not None and isinstance(node, AccumulateGrad):
        return _run_hooks(node.variable._leaf_hooks, grad)
    return grad


def _materialize(node: Node, buffer: list[Any]) -> tuple[Tensor, ...]:
    """Gradients for every output of the node; outputs nobody used get zeros."""
    if len(buffer) == 1 or all(g is not None for g in buffer):
        return tuple(buffer)
    from .factories import zeros

    metas = node._output_meta
    return tuple(g if g is not None else zeros(shape, dtype=dtype) for g, (shape, dtype) in zip(buffer, metas))


def _check_grads(node: Node, grads: tuple[Any, ...]) -> tuple[Any, ...]:
    """Backward must return one gradient per input, each a tensor of the input's shape."""
    from .tensor import Tensor

    metas = node._input_meta or ()
    expected = len(node._next_nodes)
    if len(grads) < expected:
        raise RuntimeError(
            f"function {node.name()} returned an incorrect number of gradients "
            f"(expected {expected}, got {len(grads)}); return one gradient (or None) "
            "per input of forward"
        )
    for i, (next_node, grad) in enumerate(zip(node._next_nodes, grads)):
        if grad is None or next_node is None:
            continue
        if not isinstance(grad, Tensor):
            raise TypeError(
                f"function {node.name()} returned a {type(grad).__name__} as gradient {i}; "
                "backward must return tensors (or None)"
            )
        shape, dtype = metas[i]
        if grad._data.shape != shape:
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {i} - got "
                f"{list(grad._data.shape)} but expected shape compatible with {list(shape)}"
            )
        if grad._data.dtype != dtype:
            grads = grads[:i] + (grad.to(dtype),) + grads[i + 1 :]
    return grads


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
