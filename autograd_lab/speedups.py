"""The speed tricks, all in one place: none is needed for correct gradients.

Each earns its keep in ``benchmarks/run.py``; the figure that justifies it is
on the line above it.  The reading path (tensor, function, ops, engine,
gradcheck) uses them only by name.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

import numpy as np

from .grad_mode import recording


# The backward walk makes no reference cycles, only short-lived objects: pausing the
# cyclic GC spares it from rescanning the whole graph again and again (reference counting
# still frees everything at once).
# Figure: the 100 000-node chain's backward, 8.8 -> 3.9 us per node (quiet machine); 62 -> 42 on a loaded one.
# A class, not @contextlib.contextmanager: entering and leaving it costs a seventh (1.1 vs 8.2 us,
# loaded machine), paid once per backward call (87 in a digits run).
class gc_paused:  # lower case: used as ``with gc_paused():``, like a function
    """Switch Python's cyclic garbage collector off inside, back on (if it was) after."""

    __slots__ = ("was_enabled",)

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc_info: object) -> None:
        if self.was_enabled:
            gc.enable()


class NoGradContext:
    """The ``ctx`` forward gets when nothing is recorded: one shared object that keeps nothing."""

    __slots__ = ()
    needs_input_grad: tuple[bool, ...] = ()

    def save_for_backward(self, *tensors: Any) -> None:
        pass

    def mark_non_differentiable(self, *tensors: Any) -> None:
        pass

    def __setattr__(self, name: str, value: Any) -> None:
        pass


# Forward without recording gets this shared ctx instead of a new node per operation.
# Figure: a new node costs about 1 us; backward alone runs ~6 no-grad operations per digits step.
NO_GRAD_CTX = NoGradContext()

_SHARED: dict[Any, Any] = {}


# One tuple per pattern of ``needs_input_grad`` (e.g. (True, False)), shared by every node:
# a graph of many nodes then holds a few tuples instead of one each, fewer objects for the
# cyclic GC to scan.  Figure: part of what took the chain's forward GC time from 0.68 s to 0.21 s.
def shared(value: Any) -> Any:
    """One object for each distinct (hashable) value: the first one seen."""
    return _SHARED.setdefault(value, value)


# nn.Linear as one graph node (x @ W.T + b) instead of three (permute, matmul, add), with
# the backward below run on the numpy arrays when nothing records it.
# Figure: digits 6.42 s vs 6.59 s composed (best of 5, loaded machine); wide (matmul-bound) unchanged.
def linear_forward(x: Any, weight: Any, bias: Any) -> Any:
    """x @ W.T + b on numpy arrays: (*, in) with (out, in) and (out,) -> (*, out)."""
    out = x @ weight.T
    if bias is not None:
        out += bias  # in place: ``out`` is a fresh array
    return out


def linear_grads(math: Any, grad: Any, x: Any, weight: Any, needs_input_grad: tuple[bool, ...]) -> tuple[Any, Any, Any]:
    """(dx, dW, db) of x @ W.T + b:  dx = grad @ W,  dW = grad.T @ x,  db = grad summed over the batch.

    Written once for numpy arrays and tensors alike (``evaluate`` below picks which): on
    tensors, the backward is itself recorded.
    """
    need_x, need_weight, need_bias = needs_input_grad
    grad_x = grad @ weight if need_x else None
    if x.ndim != 2:  # every leading dimension is part of the batch
        out_features, in_features = weight.shape
        grad, x = grad.reshape(-1, out_features), x.reshape(-1, in_features)
    grad_weight = grad.T @ x if need_weight else None
    grad_bias = math.sum(grad, 0) if need_bias else None
    return grad_x, grad_weight, grad_bias


class ArrayMath:
    """The few functions a shared formula calls, on numpy arrays."""

    exp = staticmethod(np.exp)

    @staticmethod
    def sum(x: Any, dim: Any = None, keepdims: Any = False) -> Any:
        return np.add.reduce(x, dim, keepdims=keepdims)  # the ufunc itself: no np.sum or .sum wrapper


class TensorMath:
    """The same functions on tensors: each call is a recorded operation, so the formula is differentiable."""

    @staticmethod
    def exp(x: Any) -> Any:
        return x.exp()

    @staticmethod
    def sum(x: Any, dim: Any = None, keepdims: bool = False) -> Any:
        return x.sum(dim, keepdim=keepdims)


# A backward formula written once as ``formula(math, grad, *operands)`` runs on the numpy arrays
# when nothing records the backward (no create_graph): the same expression, without a tensor
# and a graph check around every step.  With create_graph=True it runs on the tensors.
# Figure: LogSoftmax's backward as 4 tensor operations was ~10% of a digits step (profile); on
# the arrays, the 1797-digit epoch x3 went from 2.06 to 2.01 M instructions per step (callgrind).
# Mul's backward on the arrays: the chain's backward 14.3 -> 12.0 us per op of CPU (loaded machine);
# ReLU's and NllLoss's, a Mul by a constant each, 10 -> 4 us per call.
def evaluate(formula: Callable[..., Any], grad: Any, *operands: Any) -> Any:
    """``formula(math, grad, *operands)``: on tensors when recording, else on their arrays (results wrapped back).

    ``grad`` is a tensor; the other operands may be tensors, arrays, numbers or tuples.
    """
    if recording.enabled:
        return formula(TensorMath, grad, *operands)
    tensor = type(grad)
    # Loops, not comprehensions (on Python 3.11 each of those is a function call); with the same
    # change in Function.apply, the chain went from 84.0k to 80.1k instructions per op (callgrind).
    arrays = [grad._data]
    for x in operands:
        arrays.append(x._data if isinstance(x, tensor) else x)
    result = formula(ArrayMath, *arrays)
    if type(result) is not tuple:
        return tensor._make(result)
    wrapped = []
    for r in result:
        wrapped.append(None if r is None else tensor._make(r))
    return tuple(wrapped)


# Cross-entropy's common case (class indices, no class weight, no smoothing, mean) skips the
# masks the general case builds for ignore_index and out-of-range targets (about a dozen numpy calls).
# Figure: a digits loss call (logits 64 x 10), 166 -> 144 us of CPU (loaded machine).
def plain_class_targets(labels: np.ndarray, classes: int, ignore_index: int) -> bool:
    """True for 1-D int64 targets all in 0..classes-1, when ``ignore_index`` is not a class (so none is ignored)."""
    if labels.ndim != 1 or labels.dtype != np.int64 or not labels.size or 0 <= ignore_index < classes:
        return False
    return bool(np.maximum.reduce(labels.view(np.uint64)) < classes)  # as unsigned, a negative label is huge
