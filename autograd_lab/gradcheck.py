"""Numerical gradient checking: autograd's answer against central differences.

For an input x and a small eps, the central difference
``(f(x + eps) - f(x - eps)) / (2 * eps)`` approximates the derivative with an
error of order eps**2.  ``gradcheck`` builds the whole Jacobian that way, one
input element at a time, and compares it with the Jacobian backward computes,
one output element at a time.  Use float64 inputs: in float32 the rounding
error of the difference quotient swamps the comparison.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import errors
from .engine import run_backward
from .factories import randn
from .grad_mode import enable_grad, no_grad
from .tensor import Tensor


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when analytical and numerical gradients disagree."""


def _as_tuple(x: Any) -> tuple[Any, ...]:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _numerical_jacobian(
    func: Callable[..., Any], inputs: tuple[Any, ...], x: Tensor, out_index: int, eps: float
) -> np.ndarray:
    """d output / d x by central differences: shape (x.numel(), output.numel())."""
    values = x._data
    columns = []
    for j in range(values.size):
        original = values.flat[j]
        values.flat[j] = original + eps
        with no_grad():
            plus = np.array(_as_tuple(func(*inputs))[out_index]._data, dtype=np.float64)
        values.flat[j] = original - eps
        with no_grad():
            minus = np.array(_as_tuple(func(*inputs))[out_index]._data, dtype=np.float64)
        values.flat[j] = original
        columns.append(((plus - minus) / (2 * eps)).reshape(-1))
    return np.array(columns).reshape(values.size, -1)


def _analytical_jacobians(output: Tensor, diff_inputs: list[Tensor]) -> list[np.ndarray]:
    """d output / d input for every input, one backward pass per output element."""
    jacobians = [np.zeros((x.numel(), output.numel())) for x in diff_inputs]
    if not output.requires_grad:
        return jacobians
    for k in range(output.numel()):
        one_hot = np.zeros(output._data.size, dtype=output._data.dtype)
        one_hot[k] = 1
        grads = run_backward(
            [output],
            [Tensor._make(one_hot.reshape(output._data.shape))],
            retain_graph=True,
            inputs=diff_inputs,
            allow_unused=True,
            accumulate=False,
        )
        for jacobian, grad in zip(jacobians, grads):
            if grad is not None:
                jacobian[:, k] = grad._data.reshape(-1)
    return jacobians


def gradcheck(
    func: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    **ignored: Any,
) -> bool:
    """Check backward's gradients of ``func(*inputs)`` against finite differences.

    Returns True when every Jacobian entry satisfies
    ``|analytical - numerical| <= atol + rtol * |numerical|``; otherwise raises
    ``GradcheckError`` naming the output and input (or returns False when
    ``raise_exception=False``).
    """
    inputs = _as_tuple(inputs)
    diff_positions = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not diff_positions:
        raise ValueError("gradcheck expects at least one input tensor with requires_grad=True")
    for i in diff_positions:
        if inputs[i]._data.dtype != np.float64:
            warnings.warn(
                f"Input #{i} requires gradient and is not a double precision floating point "
                f"({inputs[i].dtype}). gradcheck compares with finite differences, which need "
                "float64 to be accurate: pass x.double() (or dtype=autograd_lab.float64).",
                UserWarning,
                stacklevel=2,
            )
    diff_inputs = [inputs[i] for i in diff_positions]
    outputs = _as_tuple(func(*inputs))
    for out_index, output in enumerate(outputs):
        if not isinstance(output, Tensor) or output._data.dtype.kind != "f":
            continue
        analytical = _analytical_jacobians(output, diff_inputs)
        for position, x, jac_a in zip(diff_positions, diff_inputs, analytical):
            jac_n = _numerical_jacobian(func, inputs, x, out_index, eps)
            if not np.allclose(jac_a, jac_n, rtol=rtol, atol=atol, equal_nan=True):
                if not raise_exception:
                    return False
                raise GradcheckError(errors.jacobian_mismatch(out_index, position, jac_n, jac_a))
    return True


def gradgradcheck(
    func: Callable[..., Any],
    inputs: Any,
    grad_outputs: Sequence[Tensor] | None = None,
    **kwargs: Any,
) -> bool:
    """Check second derivatives: gradcheck of the gradients (computed with create_graph=True)."""
    inputs = _as_tuple(inputs)
    outputs = [o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor) and o.requires_grad]
    if grad_outputs is None:
        grad_outputs = [randn(o.shape, dtype=o.dtype, requires_grad=True) for o in outputs]
    n_inputs = len(inputs)

    def first_derivatives(*args: Any) -> tuple[Any, ...]:
        xs, gs = args[:n_inputs], args[n_inputs:]
        with enable_grad():  # gradcheck evaluates this under no_grad for its finite differences
            outs = [o for o in _as_tuple(func(*xs)) if isinstance(o, Tensor) and o.requires_grad]
            wrt = [x for x in xs if isinstance(x, Tensor) and x.requires_grad]
            grads = run_backward(outs, list(gs), create_graph=True, inputs=wrt, allow_unused=True, accumulate=False)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivatives, (*inputs, *grad_outputs), **kwargs)
