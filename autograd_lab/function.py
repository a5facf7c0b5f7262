"""``Function``: one differentiable operation, forward and backward side by side.

Write your own exactly as in PyTorch::

    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * 3 * x ** 2

    y = Cube.apply(x)

``forward`` runs with grad mode off and receives tensors; ``backward`` receives
one gradient per output and returns one gradient (or None) per input.  The
library's own primitives (``ops.py``) are Functions too; they set
``array_forward = True`` and compute their forward on the numpy arrays inside the
tensors, which is where the arithmetic finally happens.

``Fn.apply`` runs forward and, when an input requires grad, records a node: the
``ctx`` that forward saw, linked to the nodes of the inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .engine import Node
from .errors import FREED, CallApplyInstead, check_grads, modified_error
from .grad_mode import _module_stack, no_grad, recording
from .speedups import NO_GRAD_CTX, shared
from .tensor import Tensor
from .trace import _forward_listeners


class FunctionNode(Node):
    """The node a Function call records; it is also the ``ctx`` forward and backward receive."""

    _function: Any = None  # the Function subclass whose backward this node runs
    needs_input_grad: tuple[bool, ...] = ()
    to_save: tuple[Any, ...] = ()
    _saved: tuple[Any, ...] = ()  # inputs and constants as they are, outputs as SavedOutput
    _saved_versions: tuple[int | None, ...] = ()  # each saved tensor's version when saved
    _released = False
    _input_meta: tuple[Any, ...] | None = None  # set for your own Functions: their backward gets checked
    non_differentiable: frozenset[int] = frozenset()  # ids of outputs that get no gradient

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep these tensors for backward (read them back from ``saved_tensors``)."""
        self.to_save = tensors

    def mark_non_differentiable(self, *tensors: Any) -> None:
        """Outputs (e.g. indices) that get no gradient and do not require grad."""
        self.non_differentiable = frozenset(id(t) for t in tensors)

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The tensors given to ``save_for_backward``, checked for in-place changes."""
        if self._released:
            raise RuntimeError(FREED)
        if not self._saved_versions:  # only None and Python numbers were saved: nothing to check or rebuild
            return self._saved
        tensors = []
        for item, version in zip(self._saved, self._saved_versions):
            if version is not None and item._version_counter[0] != version:
                raise modified_error(item._data, self, item._version_counter[0], version)
            tensors.append(item.unpack(self) if type(item) is SavedOutput else item)
        return tuple(tensors)

    def apply(self, *grad_outputs: Tensor) -> tuple[Tensor | None, ...]:
        """Run the Function's backward: one gradient (or None) per forward input."""
        grads = self._function.backward(self, *grad_outputs)
        grads = grads if isinstance(grads, tuple) else (grads,)
        return grads if self._input_meta is None else check_grads(self, grads)

    def release(self) -> None:
        """Free the saved tensors (what ``retain_graph=False`` does after backward)."""
        self._saved, self._released = (), True


class SavedOutput:
    """An output a node saved for its own backward, rebuilt on demand (keeping the
    tensor itself would make a reference cycle: tensor -> grad_fn -> tensor)."""

    __slots__ = ("data", "version_counter", "version", "output_nr")

    def __init__(self, data: Any, counter: list[int], output_nr: int) -> None:
        self.data, self.output_nr = data, output_nr
        self.version_counter, self.version = counter, counter[0]

    def unpack(self, node: FunctionNode) -> Tensor:
        if self.version_counter[0] != self.version:
            raise modified_error(self.data, node, self.version_counter[0], self.version)
        requires = self.output_nr >= 0
        grad_fn = node if requires else None
        return Tensor._make(self.data, requires, grad_fn, max(self.output_nr, 0), self.version_counter)


class Function(CallApplyInstead):
    """Base class for differentiable operations (``torch.autograd.Function``)."""

    _backward_cls: type[FunctionNode]
    array_forward = False  # True for primitives: forward gets numpy arrays
    is_view = False  # True when forward may return a view of its first input

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._backward_cls = type(f"{cls.__name__}Backward", (FunctionNode,), {"_function": cls})

    @staticmethod
    def forward(ctx: Any, *args: Any) -> Any:
        """Compute the output from the inputs; save what backward needs on ``ctx``."""
        raise NotImplementedError("subclasses of Function must implement forward")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """Given d(loss)/d(output), return d(loss)/d(input) for each input (or None)."""
        raise NotImplementedError("subclasses of Function must implement backward")

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run forward and, when an input requires grad, record a node for backward."""
        record, node = recording.enabled, None  # a node of the graph, made only when an input requires grad
        needs, arrays, edges, nrs = [], [], [], []  # per input: requires grad?, its array, where its gradient goes
        for arg in args:
            tensor = isinstance(arg, Tensor)
            requires = tensor and record and arg._requires_grad
            needs.append(requires)
            arrays.append(arg._data if tensor else arg)
            # engine.gradient_edge's rule, written out: calling it here cost the chain ~1.7 us per op (7%)
            edges.append((arg.grad_fn or arg._grad_accumulator()) if requires else None)
            nrs.append(arg._output_nr if requires else 0)
        if True in needs:
            node = cls._backward_cls()
            node.needs_input_grad, node._next_nrs = shared(tuple(needs)), shared(tuple(nrs))
            node._next_nodes = tuple(edges)
        fwd_args = arrays if cls.array_forward else args
        ctx = node if node is not None else NO_GRAD_CTX  # the node is the ctx forward sees
        try:
            if cls.array_forward:
                result = cls.forward(ctx, *fwd_args)
            else:
                with no_grad():
                    result = cls.forward(ctx, *fwd_args)
        except ValueError as error:  # numpy's shape errors become messages that name the op and the shapes
            explain = getattr(cls, "shape_error", None)
            message = explain(*fwd_args) if explain is not None else None
            if message is None:
                raise
            raise RuntimeError(message) from error
        if type(result) is not tuple:  # one output
            output = cls._wrap(result, args, node, 0)
            if node is not None:
                cls._record(node, args, fwd_args, (result,), (output,))
            return output
        outputs = tuple([cls._wrap(out, args, node, nr) for nr, out in enumerate(result)])
        if node is not None:
            cls._record(node, args, fwd_args, result, outputs)
        return outputs

    @classmethod
    def _wrap(cls, out: Any, args: tuple[Any, ...], node: FunctionNode | None, nr: int) -> Tensor:
        """The output tensor: linked to ``node`` when it is a float tensor, we record, and forward did not mark it."""
        if node is not None and node.non_differentiable and id(out) in node.non_differentiable:
            node = None
        if isinstance(out, Tensor):
            if node is None:
                return out
            if not out._requires_grad and out.grad_fn is None and out._data.dtype.kind == "f":
                out.grad_fn, out._requires_grad, out._output_nr = node, True, nr
                return out
            out = out._data
        data = out if type(out) is np.ndarray else np.asarray(out)
        # a view of the first input: in-place changes show in both
        version = args[0]._version_counter if cls.is_view and np.may_share_memory(data, args[0]._data) else None
        if node is None or data.dtype.kind != "f":
            return Tensor._make(data, False, None, 0, version)
        return Tensor._make(data, True, node, nr, version)

    @classmethod
    def _record(cls, node: FunctionNode, args: tuple, fwd_args: Any, raw: tuple, outputs: tuple[Tensor, ...]) -> None:
        """Link the node to the nodes of its inputs and keep what forward saved."""
        if len(outputs) > 1:
            node.num_outputs = len(outputs)
            node._output_meta = tuple([(o._data.shape, o._data.dtype) for o in outputs])
        if _module_stack:
            node.modules = tuple(_module_stack)
        if not cls.array_forward:  # your own Function: its backward's results get checked
            node._input_meta = tuple((a._data.shape, a._data.dtype) if isinstance(a, Tensor) else None for a in args)
        if node.to_save:
            saved, versions, resolved = [], [], False
            for item in node.to_save:
                if item is not None and not isinstance(item, (int, float)):  # None and Python numbers stay as they are
                    item, resolved = _resolve_saved(item, args, fwd_args, raw, outputs), True
                saved.append(item)
                versions.append(item._version_counter[0] if isinstance(item, Tensor) else None)
            node._saved, node.to_save = tuple(saved), ()
            # when tensors were saved, saved_tensors checks their versions and rebuilds saved outputs
            node._saved_versions = tuple(versions) if resolved else ()
        for listener in _forward_listeners:  # someone draws the graph (trace.py): tell them what ran
            listener((node, outputs))


def _resolve_saved(item: Any, args: tuple, fwd_args: Any, raw: tuple, outputs: tuple[Tensor, ...]) -> Any:
    """A saved tensor or array is an input, an output, or a constant."""
    for arg, fwd in zip(args, fwd_args):
        if item is fwd and isinstance(arg, Tensor):
            return arg
    for nr, (out, tensor) in enumerate(zip(raw, outputs)):
        if item is out or item is tensor:
            return SavedOutput(tensor._data, tensor._version_counter, nr if tensor._requires_grad else -1)
    return item if isinstance(item, Tensor) else Tensor._make(np.asarray(item))
