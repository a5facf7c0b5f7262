"""Whole Jacobians and Hessians built from backward passes (``torch.autograd.functional``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..engine import run_backward
from ..grad_mode import enable_grad
from ..factories import zeros
from ..tensor import Tensor
from ..functional import stack


def _as_tuple(x: Any) -> tuple[Any, ...]:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _fresh_inputs(inputs: Any) -> tuple[Tensor, ...]:
    return tuple(x.detach().requires_grad_() for x in _as_tuple(inputs))


def jacobian(func: Callable[..., Any], inputs: Any, create_graph: bool = False, **ignored: Any) -> Any:
    """d func(inputs) / d inputs, shape output.shape + input.shape (tuples for several)."""
    xs = _fresh_inputs(inputs)
    with enable_grad():
        raw = func(*xs)
        table = [
            tuple(_jacobian_block(out, x, xs, k, create_graph) for k, x in enumerate(xs)) for out in _as_tuple(raw)
        ]
    rows = [row[0] if not isinstance(inputs, (tuple, list)) else row for row in table]
    return rows[0] if isinstance(raw, Tensor) else tuple(rows)


def _jacobian_block(out: Tensor, x: Tensor, xs: tuple[Tensor, ...], k: int, create_graph: bool) -> Tensor:
    """d out / d x, one backward pass per element of ``out``."""
    flat = out.reshape(-1)
    rows = []
    for i in range(flat.numel()):
        grad = None
        if flat.requires_grad:
            grad = run_backward([flat[i]], None, True, create_graph, xs, allow_unused=True, accumulate=False)[k]
        rows.append(grad if grad is not None else zeros(x.shape, dtype=x.dtype))
    shape = tuple(out.shape) + tuple(x.shape)
    return stack(rows).reshape(shape) if rows else zeros(shape, dtype=x.dtype)


def hessian(func: Callable[..., Any], inputs: Any, create_graph: bool = False, **ignored: Any) -> Any:
    """Second derivatives of a scalar function: shape input.shape + input.shape."""

    def gradient(*xs: Tensor) -> Any:
        out = func(*xs)
        grads = run_backward([out], None, True, True, xs, allow_unused=True, accumulate=False)
        result = tuple(g if g is not None else zeros(x.shape, dtype=x.dtype) for g, x in zip(grads, xs))
        return result[0] if len(result) == 1 else result

    return jacobian(gradient, inputs, create_graph=create_graph)


def vjp(func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, **ignored: Any) -> Any:
    """(func(inputs), v^T J): the vector-Jacobian product one backward pass computes."""
    xs = _fresh_inputs(inputs)
    with enable_grad():
        out = func(*xs)
        grads = run_backward(
            list(_as_tuple(out)),
            None if v is None else list(_as_tuple(v)),
            True,
            create_graph,
            xs,
            allow_unused=True,
            accumulate=False,
        )
    grads = tuple(g if g is not None else zeros(x.shape, dtype=x.dtype) for g, x in zip(grads, xs))
    return out.detach() if isinstance(out, Tensor) else out, grads[0] if not isinstance(
        inputs, (tuple, list)
    ) else grads
