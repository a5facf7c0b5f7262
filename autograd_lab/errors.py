"""Error messages that say what went wrong and what to do.

The primitives' shape errors (numpy's own name no operation and no fix), a
``backward`` that returns the wrong gradients, and saved tensors that were
changed in place or already freed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import Tensor


def broadcast(name: str) -> Any:
    """The ``shape_error`` of an elementwise primitive called ``name``."""

    def explain(a: Any, b: Any, *rest: Any) -> str | None:
        sa, sb = np.shape(a), np.shape(b)
        try:
            np.broadcast_shapes(sa, sb)
            return None  # the shapes fit: the error was something else
        except ValueError:
            pass
        return (
            f"{name}: the shapes {sa} and {sb} cannot be broadcast together: each "
            "dimension, compared from the right, must be equal or 1. Reshape one of "
            "them (e.g. with .unsqueeze() or .reshape())."
        )

    return staticmethod(explain)


def where_shapes(cond: Any, a: Any, b: Any) -> str:
    """The ``shape_error`` of ``where``."""
    return (
        f"where: the shapes {np.shape(cond)} (condition), {np.shape(a)} and {np.shape(b)} cannot be broadcast together"
    )


def matmul_shapes(a: Any, b: Any) -> str:
    """The ``shape_error`` of ``@``."""
    sa, sb = np.shape(a), np.shape(b)
    if not sa or not sb:
        return f"matmul: both arguments need at least 1 dimension, got shapes {sa} and {sb}"
    inner_b = sb[0] if len(sb) == 1 else sb[-2]
    return (
        f"matmul: shapes {sa} and {sb} cannot be multiplied: the last dimension of the "
        f"first ({sa[-1]}) must equal the {'first' if len(sb) == 1 else 'second-to-last'} "
        f"dimension of the second ({inner_b}). Did you mean to transpose one of them (.T)?"
    )


def reshape_shapes(x: Any, shape: Any) -> str:
    """The ``shape_error`` of ``reshape``."""
    return (
        f"shape '{list(shape)}' is invalid for input of size {np.size(x)} "
        f"(shape {tuple(np.shape(x))}): the new shape must have the same number of elements"
    )


def expand_shapes(x: Any, shape: Any) -> str:
    """The ``shape_error`` of ``expand``."""
    return (
        f"expand: the shape {tuple(np.shape(x))} cannot be expanded to {tuple(shape)}: "
        "only dimensions of size 1 (or new leading ones) can grow"
    )


def cat_shapes(dim: Any, *xs: Any) -> str:
    """The ``shape_error`` of ``cat``."""
    shapes = ", ".join(str(tuple(np.shape(x))) for x in xs)
    return f"cat: tensors must have the same shape except in dimension {dim}; got {shapes}"


def check_grads(node: Any, grads: tuple[Any, ...]) -> tuple[Any, ...]:
    """Your backward must return one gradient per input, each a tensor of the input's shape."""
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


# Backward ran through this part of the graph before, and its saved tensors are gone.
FREED = (
    "Trying to backward through the graph a second time (or directly access saved "
    "tensors after they have already been freed). Saved intermediate values of the "
    "graph are freed when you call .backward() or autograd.grad(). Specify "
    "retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward."
)


def modified_error(data: Any, node: Any, now: int, expected: int) -> RuntimeError:
    """A saved tensor changed in place since forward saved it."""
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified "
        f"by an inplace operation: [{data.dtype} tensor of shape {list(data.shape)}], which is "
        f"used by {node.name()}, is at version {now}; expected version {expected} instead. "
        "Hint: use an out-of-place operation (y = y * 2 instead of y.mul_(2)) or "
        ".clone() the tensor before changing it."
    )


def jacobian_mismatch(out_index: int, position: int, numerical: np.ndarray, analytical: np.ndarray) -> str:
    """gradcheck's message: where the Jacobians differ most, and both of them."""
    gap = np.abs(numerical - analytical)
    worst = np.unravel_index(int(np.nanargmax(gap)), gap.shape)
    with np.printoptions(precision=4, suppress=True, threshold=200):
        return (
            f"Jacobian mismatch for output {out_index} with respect to input {position},\n"
            f"numerical:{Tensor._make(numerical)!r}\n"
            f"analytical:{Tensor._make(analytical)!r}\n"
            f"largest difference {gap[worst]:.6g} at input element {worst[0]}, output element "
            f"{worst[1]} (numerical {numerical[worst]:.6g}, analytical {analytical[worst]:.6g}). "
            "Check the backward formula of the operation that produces this output."
        )
