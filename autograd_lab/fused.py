"""Three compositions that PyTorch records as a single node: ``mean``, ``clamp`` and ``softmax``.

Each could be written with the primitives of ``ops.py`` (``x.sum() / n``, two
``where``, ``log_softmax().exp()``), and was.  They are this common in a
learner's first graphs (``loss = (...).mean()``) that the drawing should show
the node PyTorch shows (``MeanBackward0``, ``ClampBackward1``,
``SoftmaxBackward0``), so here each is one Function whose backward is the
derivative of that composition.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .function import Function
from .names import name_node_class
from .tensor import Tensor


class Mean(Function):
    """x.mean(dims);  dx = grad copied back along the averaged dimensions, divided by their size"""

    array_forward = True

    @staticmethod
    def forward(ctx: Any, x: Any, dims: Any, keepdim: bool) -> Any:
        count = x.size if dims is None else int(np.prod([x.shape[d] for d in dims]))
        ctx.shape, ctx.dims, ctx.keepdim, ctx.count = x.shape, dims, keepdim, count
        with np.errstate(invalid="ignore", divide="ignore"):  # no elements: nan, as in PyTorch
            return np.asarray(x.sum(axis=dims, keepdims=keepdim) / np.asarray(count, dtype=x.dtype))

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Any:
        if not ctx.keepdim and ctx.dims is not None:
            grad = grad.reshape(tuple(1 if i in ctx.dims else n for i, n in enumerate(ctx.shape)))
        return grad.expand(ctx.shape) / max(ctx.count, 1), None, None


class Clamp(Function):
    """min(max(x, low), high);  dx = grad where low <= x <= high, else 0"""

    array_forward = True

    @staticmethod
    def forward(ctx: Any, x: Any, low: Any, high: Any) -> Any:
        inside = np.ones(x.shape, dtype=bool)
        if low is not None:
            inside &= x >= low
        if high is not None:
            inside &= x <= high
        ctx.inside = inside
        out = x if low is None else np.maximum(x, np.asarray(low, dtype=x.dtype))
        out = out if high is None else np.minimum(out, np.asarray(high, dtype=x.dtype))
        return np.where(np.isnan(x), x, out)  # nan stays nan

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Any:
        return grad * Tensor._make(ctx.inside.astype(grad._data.dtype)), None, None


class Softmax(Function):
    """s = exp(x) / exp(x).sum(dim) (computed stably);  dx = s * (grad - (grad * s).sum(dim))"""

    array_forward = True

    @staticmethod
    def forward(ctx: Any, x: Any, dim: int) -> Any:
        shifted = x - x.max(axis=dim, keepdims=True)  # the max trick: exp never overflows
        e = np.exp(shifted)
        out = e / e.sum(axis=dim, keepdims=True)
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Any:
        (s,) = ctx.saved_tensors
        return s * (grad - (grad * s).sum(ctx.dim, keepdim=True)), None


name_node_class(Mean, "MeanBackward0")
name_node_class(Clamp, "ClampBackward1")
name_node_class(Softmax, "SoftmaxBackward0")
