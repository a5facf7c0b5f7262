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
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .engine import Node, _forward_listeners, _grad, _module_stack, _SavedOutput, no_grad
from .tensor import Tensor


class _NoGradContext:
    """The ``ctx`` forward gets when nothing is recorded: it keeps nothing."""

    __slots__ = ()
    needs_input_grad: tuple[bool, ...] = ()

    def save_for_backward(self, *tensors: Any) -> None:
        pass

    def __setattr__(self, name: str, value: Any) -> None:
        pass

    def mark_non_differentiable(self, *tensors: Any) -> None:
        pass


_NO_GRAD_CTX = _NoGradContext()

# One shared tuple per pattern of needs_input_grad, e.g. (True, False): a graph of many
# nodes then holds a few tuples instead of one each (fewer objects for the cyclic GC to scan).
_NEEDS_INPUT_GRAD: dict[tuple[bool, ...], tuple[bool, ...]] = {}


class Function:
    """Base class for differentiable operations (``torch.autograd.Function``)."""

    _backward_cls: type[Node]
    array_forward = False  # True for primitives: forward gets numpy arrays
    is_view = False  # True when forward may return a view of its first input

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._backward_cls = type(f"{cls.__name__}Backward", (Node,), {"_function": cls})

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
        record = False
        if _grad.enabled:
            for arg in args:
                if isinstance(arg, Tensor) and arg._requires_grad:
                    record = True
                    break
        fwd_args = [a._data if isinstance(a, Tensor) else a for a in args] if cls.array_forward else args
        node = None
        ctx: Any = _NO_GRAD_CTX
        if record:
            ctx = node = cls._backward_cls()
            needs = tuple([isinstance(a, Tensor) and a._requires_grad for a in args])
            node.needs_input_grad = _NEEDS_INPUT_GRAD.setdefault(needs, needs)
        result = cls._forward(ctx, fwd_args)
        if type(result) is not tuple:
            if node is None and not cls.is_view and not isinstance(result, Tensor):
                return Tensor._make(result)  # nothing recorded, not a view: the plain wrapper
            output = cls._wrap(result, args, node, 0)
            if node is not None:
                cls._record(node, args, fwd_args, (result,), (output,))
            return output
        outputs = tuple(cls._wrap(out, args, node, nr) for nr, out in enumerate(result))
        if node is not None:
            node.num_outputs = len(outputs)
            node._output_meta = tuple((o._data.shape, o._data.dtype) for o in outputs)
            cls._record(node, args, fwd_args, result, outputs)
        return outputs

    @classmethod
    def _forward(cls, ctx: Any, fwd_args: Any) -> Any:
        """Call forward; numpy's shape errors become messages that name the op and the shapes."""
        try:
            if cls.array_forward:
                return cls.forward(ctx, *fwd_args)
            with no_grad():
                return cls.forward(ctx, *fwd_args)
        except ValueError as error:
            explain = getattr(cls, "shape_error", None)
            message = explain(*fwd_args) if explain is not None else None
            if message is None:
                raise
            raise RuntimeError(message) from error

    @classmethod
    def _wrap(cls, out: Any, args: tuple[Any, ...], node: Node | None, nr: int) -> Tensor:
        """The output tensor: linked to ``node`` when it is a float tensor and we record."""
        if isinstance(out, Tensor):
            if node is None:
                return out
            if not out._requires_grad and out.grad_fn is None and out._data.dtype.kind == "f":
                out.grad_fn, out._requires_grad, out._output_nr = node, True, nr
                return out
            out = out._data
        data = out if type(out) is np.ndarray else np.asarray(out)
        version = None
        if cls.is_view and isinstance(args[0], Tensor) and np.may_share_memory(data, args[0]._data):
            version = args[0]._version_counter  # a view: in-place changes show in both
        if node is not None and data.dtype.kind == "f":
            return Tensor._make(data, True, node, nr, version)
        return Tensor._make(data, False, None, 0, version)

    @classmethod
    def _record(
        cls, node: Node, args: tuple[Any, ...], fwd_args: Any, raw: tuple[Any, ...], outputs: tuple[Tensor, ...]
    ) -> None:
        """Link the node to the nodes of its inputs and keep what forward saved."""
        nodes, nrs = [], []
        for arg in args:
            if isinstance(arg, Tensor) and arg._requires_grad:
                fn = arg.grad_fn
                nodes.append(fn if fn is not None else arg._grad_accumulator())
                nrs.append(arg._output_nr if fn is not None else 0)
            else:
                nodes.append(None)
                nrs.append(0)
        node._next_nodes, node._next_nrs = tuple(nodes), tuple(nrs)
        if _module_stack:
            node.modules = tuple(_module_stack)
        marked: set[int] = getattr(node, "non_differentiable", set())
        for output in outputs:
            if id(output) in marked:
                output.grad_fn, output._requires_grad = None, False
        if not cls.array_forward:  # your own Function: its backward's results get checked
            node._input_meta = tuple((a._data.shape, a._data.dtype) if isinstance(a, Tensor) else None for a in args)
        if node.to_save:
            saved = [_resolve_saved(item, args, fwd_args, raw, outputs) for item in node.to_save]
            node._saved = tuple(saved)
            node._saved_versions = tuple([s._version_counter[0] if isinstance(s, Tensor) else None for s in saved])
            node.to_save = ()
        if _forward_listeners:  # someone draws the graph: tell them what ran
            for listener in list(_forward_listeners):
                listener((node, outputs))


def _resolve_saved(
    item: Any, args: tuple[Any, ...], fwd_args: Any, raw: tuple[Any, ...], outputs: tuple[Tensor, ...]
) -> Any:
    """A saved object is an input, an output, or a constant; Python numbers stay numbers."""
    if item is None or isinstance(item, (int, float)):
        return item
    for arg, fwd in zip(args, fwd_args):
        if item is fwd and isinstance(arg, Tensor):
            return arg
    for nr, (out, tensor) in enumerate(zip(raw, outputs)):
        if item is out or item is tensor:
            return _SavedOutput(tensor._data, tensor._version_counter, nr if tensor._requires_grad else -1)
    return item if isinstance(item, Tensor) else Tensor._make(np.asarray(item))


class once_differentiable:
    """Decorator for a backward that is not itself differentiable (accepted for PyTorch code)."""

    def __new__(cls, func: Any) -> Any:
        return func
