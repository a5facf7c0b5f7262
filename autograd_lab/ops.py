"""The primitive operations: each one a small Function with its derivative beside it.

``forward`` computes on numpy arrays.  ``backward`` receives ``grad`` (the
gradient of the loss with respect to this op's output) and multiplies it by the
op's local derivative: that product is the chain rule, one op at a time.
Backward formulas use tensor operations, so with ``create_graph=True`` the
backward pass is itself recorded (second derivatives).

Everything else in the library (``mean``, ``softmax``, ``clamp``, the losses, ...)
is a composition of these.  Their nodes carry PyTorch's names (``names.py``).
"""

from __future__ import annotations


import numpy as np

from . import errors
from .function import Function
from .shapes import is_basic_index
from .speedups import evaluate
from .tensor import Tensor


def unbroadcast(grad: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Sum ``grad`` over the dimensions that broadcasting added, back to ``shape`` (a numpy array works too)."""
    have = grad._data.shape if isinstance(grad, Tensor) else grad.shape
    if have == shape:
        return grad
    lead = len(have) - len(shape)
    dims = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1 and have[lead + i] != 1)
    return grad.sum(dims).reshape(shape)


# --------------------------------------------------------------------------- arithmetic


class Add(Function):
    """a + b;  da = grad,  db = grad"""

    array_forward = True
    shape_error = errors.broadcast("add")

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = getattr(a, "shape", ()), getattr(b, "shape", ())  # () for a Python number
        return np.add(a, b)

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        shape_a, shape_b = ctx.shapes
        return (unbroadcast(grad, shape_a) if need_a else None, unbroadcast(grad, shape_b) if need_b else None)


class Sub(Function):
    """a - b;  da = grad,  db = -grad"""

    array_forward = True
    shape_error = errors.broadcast("sub")

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = getattr(a, "shape", ()), getattr(b, "shape", ())  # () for a Python number
        return np.subtract(a, b)

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        shape_a, shape_b = ctx.shapes
        return (unbroadcast(grad, shape_a) if need_a else None, unbroadcast(-grad, shape_b) if need_b else None)


class Mul(Function):
    """a * b;  da = grad * b,  db = grad * a"""

    array_forward = True
    shape_error = errors.broadcast("mul")

    @staticmethod
    def forward(ctx, a, b):  # keeps b for da and a for db, only if needed (as PyTorch: the other may change in place)
        ctx.shapes = getattr(a, "shape", ()), getattr(b, "shape", ())
        need_a, need_b = ctx.needs_input_grad or (True, True)
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return np.multiply(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return evaluate(Mul.grad_formula, grad, a, b, ctx.needs_input_grad, ctx.shapes)

    @staticmethod
    def grad_formula(math, grad, a, b, need, shape):  # on tensors or on arrays (see speedups.evaluate)
        da = unbroadcast(grad * b, shape[0]) if need[0] else None
        return da, unbroadcast(grad * a, shape[1]) if need[1] else None


class Div(Function):
    """a / b;  da = grad / b,  db = -grad * a / b**2"""

    array_forward = True
    shape_error = errors.broadcast("div")

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.true_divide(a, b)  # x/0 = inf and 0/0 = nan, as in PyTorch (numpy's warning is hidden: validation.py)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_a = unbroadcast(grad / b, a.shape) if need_a else None
        grad_b = unbroadcast(-grad * a / (b * b), b.shape) if need_b else None
        return grad_a, grad_b


class Neg(Function):
    """-x;  dx = -grad"""

    array_forward = True

    @staticmethod
    def forward(ctx, x):
        return np.negative(x)

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Pow(Function):
    """a ** b;  da = grad * b * a**(b-1),  db = grad * a**b * log(a)"""

    array_forward = True
    shape_error = errors.broadcast("pow")

    @staticmethod
    def forward(ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = np.power(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_a = grad_b = None
        if need_a:  # 0 where b = 0 (a**0 is constant), even at a = 0 where b * a**(b-1) is 0 * inf: PyTorch's rule
            grad_a = unbroadcast(grad * Where.apply(b == 0, 0.0, b * a ** (b - 1)), a.shape)
        if need_b:  # log(a) is -inf at a = 0, where the term is 0 (as in PyTorch)
            log_a = Where.apply((a._data == 0) & (b._data >= 0), 0.0, a.log())
            grad_b = unbroadcast(grad * out * log_a, b.shape)
        return grad_a, grad_b


# --------------------------------------------------------------------------- elementwise


class Exp(Function):
    """exp(x);  dx = grad * exp(x)"""

    array_forward = True

    @staticmethod
    def forward(ctx, x):
        with np.errstate(over="ignore"):
            out = np.exp(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out


class Log(Function):
    """log(x);  dx = grad / x"""

    array_forward = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


class Sin(Function):
    """sin(x);  dx = grad * cos(x)"""

    array_forward = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.cos()


class Cos(Function):
    """cos(x);  dx = -grad * sin(x)"""

    array_forward = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return -grad * x.sin()


class Tanh(Function):
    """tanh(x);  dx = grad * (1 - tanh(x)**2)"""

    array_forward = True

    @staticmethod
    def forward(ctx, x):
        out = np.tanh(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (1 - out * out)


class Sigmoid(Function):
    """sigmoid(x) = 1 / (1 + exp(-x));  dx = grad * s * (1 - s)"""

    array_forward = True

    @staticmethod
    def forward(ctx, x):
        e = np.exp(-np.abs(x))  # never overflows: exp of a non-positive number
        out = np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out * (1 - out)


class Relu(Function):
    """max(x, 0);  dx = grad where x > 0, else 0"""

    array_forward = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.maximum(x, 0)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return evaluate(Relu.grad_formula, grad, x)

    @staticmethod
    def grad_formula(math, grad, x):  # grad times a 0/1 mask: numpy's where() is over ten times slower
        return grad * (x > 0)


class Abs(Function):
    """|x|;  dx = grad * sign(x)"""

    array_forward = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * Tensor._make(np.sign(x._data))


class Maximum(Function):
    """max(a, b) elementwise;  the grad goes to the larger one (half each on a tie)"""

    array_forward = True
    shape_error = errors.broadcast("maximum")

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        share_a = Tensor._make(((a._data > b._data) + 0.5 * (a._data == b._data)).astype(grad._data.dtype))
        grad_a = unbroadcast(grad * share_a, a.shape) if need_a else None
        grad_b = unbroadcast(grad * (1 - share_a), b.shape) if need_b else None
        return grad_a, grad_b


class Where(Function):
    """where(cond, a, b);  da = grad where cond, db = grad where not cond"""

    array_forward = True
    shape_error = staticmethod(errors.where_shapes)

    @staticmethod
    def forward(ctx, cond, a, b):
        ctx.cond = cond
        ctx.shapes = getattr(a, "shape", ()), getattr(b, "shape", ())  # () for a Python number
        return np.where(cond, a, b)

    @staticmethod
    def backward(ctx, grad):
        _, need_a, need_b = ctx.needs_input_grad
        shape_a, shape_b = ctx.shapes
        grad_a = unbroadcast(Where.apply(ctx.cond, grad, 0.0), shape_a) if need_a else None
        grad_b = unbroadcast(Where.apply(ctx.cond, 0.0, grad), shape_b) if need_b else None
        return None, grad_a, grad_b


class Cast(Function):
    """x.to(dtype) (a copy);  dx = grad.to(x.dtype)"""

    array_forward = True

    @staticmethod
    def forward(ctx, x, dtype, order="K"):  # "K" keeps the layout (clone); "C" makes it contiguous
        ctx.dtype = x.dtype
        return x.astype(dtype, order=order, copy=True)

    @staticmethod
    def backward(ctx, grad):
        return grad.to(ctx.dtype), None


# --------------------------------------------------------------------------- reductions


class Sum(Function):
    """x.sum(dims);  dx = grad copied back along the summed dimensions"""

    array_forward = True

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        return x.sum(axis=dims, keepdims=keepdim)  # the method: no np.sum wrapper overhead

    @staticmethod
    def backward(ctx, grad):
        if not ctx.keepdim and ctx.dims is not None:
            grad = grad.reshape(tuple(1 if i in ctx.dims else n for i, n in enumerate(ctx.shape)))  # keepdim's shape
        return grad.expand(ctx.shape), None, None


class Amax(Function):
    """x.max(dims);  dx = grad at the maxima (shared equally between ties)"""

    array_forward = True

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        kept = np.max(x, axis=dims, keepdims=True)
        ctx.save_for_backward(x)
        ctx.kept, ctx.dims, ctx.keepdim = kept, dims, keepdim
        return kept if keepdim else np.squeeze(kept, axis=dims)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        is_max = x._data == ctx.kept
        share = is_max / is_max.sum(axis=ctx.dims, keepdims=True)
        if not ctx.keepdim:
            grad = grad.reshape(ctx.kept.shape)
        return grad * Tensor._make(share.astype(grad._data.dtype)), None, None


class LogSoftmax(Function):
    """x - logsumexp(x);  dx = grad - softmax(x) * grad.sum(dim)"""

    array_forward = True

    @staticmethod
    def forward(ctx, x, dim):
        shifted = x - x.max(axis=dim, keepdims=True)  # the max trick: exp never overflows
        out = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return evaluate(LogSoftmax.grad_formula, grad, out, ctx.dim), None

    @staticmethod
    def grad_formula(math, grad, out, dim):
        """grad - exp(out) * grad.sum(dim), on tensors or on their arrays (``speedups.evaluate``)"""
        return grad - math.exp(out) * math.sum(grad, dim, keepdims=True)


# --------------------------------------------------------------------------- matmul


class MatMul(Function):
    """a @ b;  da = grad @ b^T,  db = a^T @ grad   (N, D) @ (D, M) -> (N, M)"""

    array_forward = True

    shape_error = staticmethod(errors.matmul_shapes)

    @staticmethod
    def forward(ctx, a, b):
        if np.ndim(a) == 0 or np.ndim(b) == 0:
            raise ValueError("matmul of a 0-d array")
        ctx.save_for_backward(a, b)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        a2 = a.unsqueeze(0) if a.ndim == 1 else a  # a vector is a 1-row matrix here
        b2 = b.unsqueeze(-1) if b.ndim == 1 else b  # and a 1-column matrix here
        grad2 = grad.unsqueeze(-1) if b.ndim == 1 else grad
        grad2 = grad2.unsqueeze(-2) if a.ndim == 1 else grad2
        grad_a = grad_b = None
        if need_a:
            grad_a = _reshape_if(unbroadcast(grad2 @ b2.transpose(-1, -2), a2.shape), a.shape)
        if need_b:
            grad_b = _reshape_if(unbroadcast(a2.transpose(-1, -2) @ grad2, b2.shape), b.shape)
        return grad_a, grad_b


def _reshape_if(x: Tensor, shape: tuple[int, ...]) -> Tensor:
    return x if x._data.shape == shape else x.reshape(shape)


# --------------------------------------------------------------------------- shapes


class Reshape(Function):
    """x.reshape(shape);  dx = grad.reshape(x.shape)"""

    array_forward = True
    is_view = True

    shape_error = staticmethod(errors.reshape_shapes)

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return np.reshape(x, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None


class Permute(Function):
    """x.permute(dims);  dx = grad permuted back with the inverse order"""

    array_forward = True
    is_view = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return np.transpose(x, dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(tuple(np.argsort(ctx.dims).tolist())), None


class Expand(Function):
    """x broadcast to shape (no copy);  dx = grad summed back to x.shape"""

    array_forward = True
    is_view = True

    shape_error = staticmethod(errors.expand_shapes)

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, grad):
        return unbroadcast(grad, ctx.shape), None


class Index(Function):
    """x[index];  dx = zeros with grad added at index (repeated indices add up)"""

    array_forward = True
    is_view = True

    @staticmethod
    def forward(ctx, x, index):
        ctx.shape, ctx.index = x.shape, index
        return x[index]

    @staticmethod
    def backward(ctx, grad):
        return IndexAdd.apply(grad, ctx.index, ctx.shape), None


class IndexAdd(Function):
    """zeros(shape) with values added at index;  dvalues = grad[index]"""

    array_forward = True

    @staticmethod
    def forward(ctx, values, index, shape):
        ctx.index = index
        out = np.zeros(shape, dtype=values.dtype)
        if is_basic_index(index):
            out[index] = values  # slices and ints never repeat a position
        else:
            np.add.at(out, index, values)  # x[[0, 0]]: both gradients add up
        return out

    @staticmethod
    def backward(ctx, grad):
        return Index.apply(grad, ctx.index), None, None


class Cat(Function):
    """cat(tensors, dim);  each input gets its slice of grad back"""

    array_forward = True

    shape_error = staticmethod(errors.cat_shapes)

    @staticmethod
    def forward(ctx, dim, *xs):
        ctx.dim, ctx.sizes = dim, [x.shape[dim] for x in xs]
        return np.concatenate(xs, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        grads, start = [], 0
        for size in ctx.sizes:
            index = (slice(None),) * (ctx.dim % grad.ndim) + (slice(start, start + size),)
            grads.append(grad[index])
            start += size
        return (None, *grads)
