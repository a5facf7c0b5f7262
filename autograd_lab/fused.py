"""Compositions that PyTorch records as a single node: ``mean``, ``clamp``, ``softmax`` (and ``cumsum``).

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

from . import ops
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


class Cumsum(Function):
    """running sums along dim;  dx = running sums of grad taken from the end (each x[i] feeds out[i:])"""

    array_forward = True

    @staticmethod
    def forward(ctx: Any, x: Any, dim: int) -> Any:
        ctx.dim = dim
        return np.cumsum(x, axis=dim, dtype=x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Any:
        d = ctx.dim
        reverse = (slice(None),) * d + (np.arange(grad.shape[d] - 1, -1, -1),)
        return Cumsum.apply(grad[reverse], d)[reverse], None


class Remainder(Function):
    """a % b (floor) or fmod(a, b) (truncate);  da = grad,  db = -grad * floor(a / b) (trunc for fmod)"""

    array_forward = True

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any, truncate: bool) -> Any:
        ctx.shapes = np.shape(a), np.shape(b)
        with np.errstate(divide="ignore", invalid="ignore"):  # x % 0 = nan, as in PyTorch
            if ctx.needs_input_grad and ctx.needs_input_grad[1]:
                ctx.quotient = (np.trunc if truncate else np.floor)(np.true_divide(a, b))
            return np.asarray((np.fmod if truncate else np.remainder)(a, b))

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Any:
        need_a, need_b = ctx.needs_input_grad[:2]
        shape_a, shape_b = ctx.shapes
        grad_a = ops.unbroadcast(grad, shape_a) if need_a else None
        grad_b = None
        if need_b:
            grad_b = ops.unbroadcast(-grad * Tensor._make(ctx.quotient.astype(grad._data.dtype)), shape_b)
        return grad_a, grad_b, None


class NoDerivative(Function):
    """a // b, or number % b: recorded (the result requires grad, as in PyTorch), but with no derivative"""

    array_forward = True

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any, ufunc: Any) -> Any:
        ctx.op = ufunc.__name__
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(ufunc(a, b))

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Any:
        raise RuntimeError(f"derivative for aten::{ctx.op} is not implemented")


class Einsum(Function):
    """np.einsum(equation, *operands);  d operand_i = einsum of grad with the other operands, to operand i's letters"""

    array_forward = True

    @staticmethod
    def forward(ctx: Any, equation: str, *operands: Any) -> Any:
        inputs, output = _einsum_parts(equation, len(operands))
        ctx.save_for_backward(*operands)
        ctx.inputs, ctx.output = inputs, output
        return np.asarray(np.einsum(f"{','.join(inputs)}->{output}", *operands))

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Any:
        operands = ctx.saved_tensors
        grads: list[Any] = [None]
        for i, letters in enumerate(ctx.inputs):
            if not ctx.needs_input_grad[i + 1]:
                grads.append(None)
                continue
            others = [(ctx.inputs[j], operands[j]) for j in range(len(operands)) if j != i]
            known = set(ctx.output) | {c for sub, _ in others for c in sub}
            kept = "".join(c for c in letters if c in known)  # letters only operand i had were summed away
            terms = ",".join([ctx.output, *(sub for sub, _ in others)])
            part = Einsum.apply(f"{terms}->{kept}", grad, *(t for _, t in others))
            shape = [operands[i].shape[k] if c in known else 1 for k, c in enumerate(letters)]
            grads.append(part.reshape(shape).expand(operands[i].shape))
        return tuple(grads)


def _einsum_parts(equation: str, count: int) -> tuple[list[str], str]:
    """The letters of each operand and of the output ("ij,jk->ik"; without "->", the letters used once, sorted)."""
    equation = equation.replace(" ", "")
    if "." in equation:
        raise NotImplementedError("einsum: '...' is not supported here; name every dimension with a letter")
    left, _, right = equation.partition("->")
    inputs = left.split(",")
    if len(inputs) != count:
        raise RuntimeError(f"einsum(): {len(inputs)} operands in the equation but {count} tensors were given")
    if any(len(set(sub)) != len(sub) for sub in inputs):
        raise NotImplementedError("einsum: a letter repeated within one operand (a diagonal) is not supported here")
    letters = "".join(inputs)
    output = right if "->" in equation else "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    return inputs, output


name_node_class(Einsum, "EinsumBackward0")
name_node_class(Mean, "MeanBackward0")
name_node_class(Cumsum, "CumsumBackward0")
name_node_class(Clamp, "ClampBackward1")
name_node_class(Softmax, "SoftmaxBackward0")
name_node_class(Remainder, "RemainderBackward0")
name_node_class(NoDerivative, "NotImplemented")
