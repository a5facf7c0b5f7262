"""Tensor's operators and methods: each one a primitive from ``ops.py`` or a composition.

``a + b`` calls ``ops.Add``, ``x.exp()`` calls ``ops.Exp``, and ``x.mean()`` is
``x.sum() / n``: no new derivative is written here.  The class below is added
to ``Tensor`` at the end of this file (see ``tensor.py`` for why it is not
written there).  Before a binary operation, both operands get PyTorch's common
dtype (``dtypes.result_type``).
"""

from __future__ import annotations

import builtins
import html
import math
from collections import namedtuple
from collections.abc import Iterator, Sequence
from types import FunctionType
from typing import Any

import numpy as np

from . import ops
from .dtypes import (
    _CPU,
    device,
    _ALIASES,
    _check_device,
    _defaults,
    _numpy_dtype,
    bool_,
    dtype,
    float32,
    float64,
    int32,
    int64,
    result_type,
)
from .factories import ones, tensor, zeros
from .shapes import _dim, _dims, _size
from .tensor import Tensor, _unwrap_nested

MaxResult = namedtuple("MaxResult", ["values", "indices"])


class TensorMethods:
    """The operators and methods of ``Tensor`` (added to it below)."""

    @property
    def device(self: Tensor) -> device:
        """Always the CPU."""
        return _CPU

    @property
    def data(self: Tensor) -> Tensor:
        """The values, detached from the graph (shares memory; changes are not tracked)."""
        return Tensor._make(self._data)

    @data.setter
    def data(self: Tensor, value: Tensor) -> None:
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    def tolist(self: Tensor) -> Any:
        """The values as (nested) Python lists."""
        return self._data.tolist()

    def numpy(self: Tensor) -> np.ndarray:
        """The numpy array behind the tensor (shared memory, no copy)."""
        if self._requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self: Tensor, dtype: Any = None, copy: Any = None) -> np.ndarray:
        data = self.numpy()
        return data if dtype is None else data.astype(dtype)

    def detach_(self: Tensor) -> Tensor:
        """Cut this tensor from the graph, in place."""
        self.grad_fn, self._requires_grad = None, False
        return self

    def requires_grad_(self: Tensor, requires_grad: builtins.bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return the tensor."""
        self.requires_grad = requires_grad
        return self

    @property
    def T(self: Tensor) -> Tensor:
        """All dimensions reversed (the transpose of a matrix)."""
        return ops.Permute.apply(self, tuple(range(self._data.ndim - 1, -1, -1)))

    @property
    def mT(self: Tensor) -> Tensor:
        """The last two dimensions swapped (a batch of transposed matrices)."""
        return self.transpose(-2, -1)

    def dim(self: Tensor) -> builtins.int:
        """Number of dimensions."""
        return self._data.ndim

    def size(self: Tensor, dim: builtins.int | None = None) -> Any:
        """The shape, or the size of one dimension."""
        if dim is None:
            return self.shape
        return self._data.shape[_dim(dim, self.ndim)]

    def numel(self: Tensor) -> builtins.int:
        """Total number of elements."""
        return self._data.size

    def element_size(self: Tensor) -> builtins.int:
        """Bytes per element."""
        return self._data.itemsize

    def is_floating_point(self: Tensor) -> builtins.bool:
        """True for float16/32/64 tensors."""
        return self._data.dtype.kind == "f"

    def clone(self: Tensor) -> Tensor:
        """A copy with its own memory; gradients flow back to the original."""
        return ops.Cast.apply(self, self._data.dtype)

    def to(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        """Convert dtype (``x.to(float64)``, ``x.to(other)``); device must be "cpu"."""
        target = kwargs.get("dtype")
        for arg in list(args) + [kwargs.get("device")]:
            if isinstance(arg, Tensor):
                target = arg._data.dtype
            elif isinstance(arg, (dtype, np.dtype, type)) or arg in _ALIASES:
                target = arg
            elif arg is not None:
                _check_device(arg)
        if target is None:
            return self
        numpy_dtype = _numpy_dtype(target)
        if numpy_dtype == self._data.dtype:
            return self
        return ops.Cast.apply(self, numpy_dtype)

    def type_as(self: Tensor, other: Tensor) -> Tensor:
        """Convert to ``other``'s dtype."""
        return self.to(other._data.dtype)

    def float(self: Tensor) -> Tensor:
        """Convert to float32."""
        return self.to(float32)

    def double(self: Tensor) -> Tensor:
        """Convert to float64."""
        return self.to(float64)

    def long(self: Tensor) -> Tensor:
        """Convert to int64."""
        return self.to(int64)

    def int(self: Tensor) -> Tensor:
        """Convert to int32."""
        return self.to(int32)

    def bool(self: Tensor) -> Tensor:
        """Convert to bool."""
        return self.to(bool_)

    def cpu(self: Tensor) -> Tensor:
        """The tensor itself (everything lives on the CPU)."""
        return self

    def cuda(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        """Not available: autograd_lab computes on the CPU only."""
        _check_device("cuda")
        return self

    def contiguous(self: Tensor) -> Tensor:
        """The tensor itself (numpy handles memory layout)."""
        return self

    def _repr_html_(self: Tensor) -> str:
        info = f"shape={tuple(self.shape)}, dtype={self.dtype.name}"
        if self.grad_fn is not None:
            info += f", grad_fn={self.grad_fn.name()}"
        elif self._requires_grad:
            info += ", requires_grad=True"
        return (
            '<div class="autograd-lab-tensor"><pre style="margin:0">'
            f"{html.escape(repr(self))}</pre>"
            f'<span style="color:#666;font-size:85%">{html.escape(info)}</span></div>'
        )

    def __format__(self: Tensor, spec: str) -> str:
        if self._data.size == 1 and self._data.ndim == 0:
            return format(self.item(), spec)
        return format(repr(self), spec)

    def __len__(self: Tensor) -> builtins.int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self: Tensor) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self._data)))

    def __bool__(self: Tensor) -> builtins.bool:
        if self._data.size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with more than one value is ambiguous (shape "
                f"{tuple(self.shape)}); use .any() or .all()"
            )
        return builtins.bool(self._data)

    def __float__(self: Tensor) -> builtins.float:
        return builtins.float(self.item())

    def __int__(self: Tensor) -> builtins.int:
        return builtins.int(self.item())

    def __index__(self: Tensor) -> builtins.int:
        if self._data.dtype.kind not in "iu":
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self.item())

    # ---------------------------------------------------------------- arithmetic
    def __add__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Add.apply(a, b)

    def __radd__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Add.apply(b, a)

    def __sub__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Sub.apply(a, b)

    def __rsub__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Sub.apply(b, a)

    def __mul__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Mul.apply(a, b)

    def __rmul__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Mul.apply(b, a)

    def __truediv__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other, true_division=True)
        return ops.Div.apply(a, b)

    def __rtruediv__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other, true_division=True)
        return ops.Div.apply(b, a)

    def __pow__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Pow.apply(a, b)

    def __rpow__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        base = b if isinstance(b, Tensor) else Tensor._make(np.asarray(b, dtype=a._data.dtype))
        return ops.Pow.apply(base, a)

    def __matmul__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, _as_tensor(other))
        return ops.MatMul.apply(a, b)

    def __rmatmul__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, _as_tensor(other))
        return ops.MatMul.apply(b, a)

    def __neg__(self: Tensor) -> Tensor:
        return ops.Neg.apply(self)

    def __pos__(self: Tensor) -> Tensor:
        return self

    def __abs__(self: Tensor) -> Tensor:
        return ops.Abs.apply(self)

    def __floordiv__(self: Tensor, other: Any) -> Tensor:
        return _compare(np.floor_divide, self, other)

    def __mod__(self: Tensor, other: Any) -> Tensor:
        return _compare(np.remainder, self, other)

    def add(self: Tensor, other: Any, alpha: Any = 1) -> Tensor:
        """self + alpha * other."""
        return self + (other if alpha == 1 else other * alpha)

    def sub(self: Tensor, other: Any, alpha: Any = 1) -> Tensor:
        """self - alpha * other."""
        return self - (other if alpha == 1 else other * alpha)

    def mul(self: Tensor, other: Any) -> Tensor:
        """self * other, elementwise with broadcasting."""
        return self * other

    def div(self: Tensor, other: Any) -> Tensor:
        """self / other, elementwise with broadcasting."""
        return self / other

    def pow(self: Tensor, exponent: Any) -> Tensor:
        """self ** exponent."""
        return self**exponent

    def matmul(self: Tensor, other: Any) -> Tensor:
        """Matrix product: (N, D) @ (D, M) -> (N, M); vectors and batches as numpy."""
        return self @ other

    def mm(self: Tensor, other: Tensor) -> Tensor:
        """Product of two matrices: (N, D) @ (D, M) -> (N, M)."""
        if self.ndim != 2 or other.ndim != 2:
            raise RuntimeError(f"mm: expected two matrices, got shapes {tuple(self.shape)} and {tuple(other.shape)}")
        return self @ other

    def mv(self: Tensor, vec: Tensor) -> Tensor:
        """Matrix times vector: (N, D) @ (D,) -> (N,)."""
        if self.ndim != 2 or vec.ndim != 1:
            raise RuntimeError(
                f"mv: expected a matrix and a vector, got shapes {tuple(self.shape)} and {tuple(vec.shape)}"
            )
        return self @ vec

    def bmm(self: Tensor, other: Tensor) -> Tensor:
        """Batched matrix product: (B, N, D) @ (B, D, M) -> (B, N, M)."""
        if self.ndim != 3 or other.ndim != 3:
            raise RuntimeError(f"bmm: expected 3-D tensors, got shapes {tuple(self.shape)} and {tuple(other.shape)}")
        return self @ other

    def outer(self: Tensor, other: Tensor) -> Tensor:
        """Outer product of two vectors: (N,) x (M,) -> (N, M)."""
        return self.unsqueeze(1) * _as_tensor(other).unsqueeze(0)

    def dot(self: Tensor, other: Tensor) -> Tensor:
        """Dot product of two vectors: (D,) . (D,) -> ()."""
        if self.ndim != 1 or other.ndim != 1:
            raise RuntimeError(f"dot: expected two vectors, got shapes {tuple(self.shape)} and {tuple(other.shape)}")
        return self @ other

    def neg(self: Tensor) -> Tensor:
        """-self."""
        return -self

    # ---------------------------------------------------------------- comparisons (no gradient)
    def __eq__(self: Tensor, other: Any) -> Tensor:  # type: ignore[override]
        return _compare(np.equal, self, other)

    def __ne__(self: Tensor, other: Any) -> Tensor:  # type: ignore[override]
        return _compare(np.not_equal, self, other)

    def __lt__(self: Tensor, other: Any) -> Tensor:
        return _compare(np.less, self, other)

    def __le__(self: Tensor, other: Any) -> Tensor:
        return _compare(np.less_equal, self, other)

    def __gt__(self: Tensor, other: Any) -> Tensor:
        return _compare(np.greater, self, other)

    def __ge__(self: Tensor, other: Any) -> Tensor:
        return _compare(np.greater_equal, self, other)

    def __and__(self: Tensor, other: Any) -> Tensor:
        return _compare(np.bitwise_and, self, other)

    def __or__(self: Tensor, other: Any) -> Tensor:
        return _compare(np.bitwise_or, self, other)

    def __xor__(self: Tensor, other: Any) -> Tensor:
        return _compare(np.bitwise_xor, self, other)

    def __invert__(self: Tensor) -> Tensor:
        return Tensor._make(np.invert(self._data))

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    def equal(self: Tensor, other: Tensor) -> builtins.bool:
        """True when both tensors have the same shape and values."""
        return self._data.shape == other._data.shape and builtins.bool(np.array_equal(self._data, other._data))

    def allclose(self: Tensor, other: Any, rtol: builtins.float = 1e-5, atol: builtins.float = 1e-8) -> builtins.bool:
        """True when all values are close: |a - b| <= atol + rtol * |b|."""
        return builtins.bool(np.allclose(self._data, _as_tensor(other)._data, rtol=rtol, atol=atol))

    def all(self: Tensor, dim: builtins.int | None = None) -> Tensor:
        """True where all values are nonzero."""
        return Tensor._make(np.all(self._data, axis=_dims(dim, self.ndim)))

    def any(self: Tensor, dim: builtins.int | None = None) -> Tensor:
        """True where any value is nonzero."""
        return Tensor._make(np.any(self._data, axis=_dims(dim, self.ndim)))

    def isnan(self: Tensor) -> Tensor:
        """True where a value is NaN."""
        return Tensor._make(np.isnan(self._data))

    def sign(self: Tensor) -> Tensor:
        """-1, 0 or 1 by sign (no gradient flows)."""
        return Tensor._make(np.sign(self._data))

    # ---------------------------------------------------------------- elementwise functions
    def exp(self: Tensor) -> Tensor:
        """e ** self."""
        return ops.Exp.apply(_floating(self))

    def log(self: Tensor) -> Tensor:
        """Natural logarithm."""
        return ops.Log.apply(_floating(self))

    def sin(self: Tensor) -> Tensor:
        """Sine."""
        return ops.Sin.apply(_floating(self))

    def cos(self: Tensor) -> Tensor:
        """Cosine."""
        return ops.Cos.apply(_floating(self))

    def tanh(self: Tensor) -> Tensor:
        """Hyperbolic tangent."""
        return ops.Tanh.apply(_floating(self))

    def sigmoid(self: Tensor) -> Tensor:
        """1 / (1 + exp(-self))."""
        return ops.Sigmoid.apply(_floating(self))

    def relu(self: Tensor) -> Tensor:
        """max(self, 0)."""
        return ops.Relu.apply(self)

    def abs(self: Tensor) -> Tensor:
        """|self|."""
        return ops.Abs.apply(self)

    def sqrt(self: Tensor) -> Tensor:
        """self ** 0.5."""
        return _floating(self) ** 0.5

    def rsqrt(self: Tensor) -> Tensor:
        """self ** -0.5."""
        return _floating(self) ** -0.5

    def square(self: Tensor) -> Tensor:
        """self * self."""
        return self * self

    def log1p(self: Tensor) -> Tensor:
        """log(1 + self)."""
        return (1 + _floating(self)).log()

    def reciprocal(self: Tensor) -> Tensor:
        """1 / self."""
        return 1 / self

    def clamp(self: Tensor, min: Any = None, max: Any = None) -> Tensor:
        """Limit values to [min, max]; the gradient is 0 where a limit was applied."""
        if min is None and max is None:
            raise RuntimeError("clamp: at least one of 'min' or 'max' must not be None")
        out = self
        if min is not None:
            low = min if isinstance(min, Tensor) else _scalar_like(min, self)
            out = where(out < low, low, out)
        if max is not None:
            high = max if isinstance(max, Tensor) else _scalar_like(max, self)
            out = where(out > high, high, out)
        return out

    clip = clamp

    def clamp_min(self: Tensor, min: Any) -> Tensor:
        """clamp(min=min)."""
        return self.clamp(min=min)

    def clamp_max(self: Tensor, max: Any) -> Tensor:
        """clamp(max=max)."""
        return self.clamp(max=max)

    def maximum(self: Tensor, other: Any) -> Tensor:
        """Elementwise maximum of two tensors."""
        a, b = _coerce(self, _as_tensor(other))
        return ops.Maximum.apply(a, b)

    def minimum(self: Tensor, other: Any) -> Tensor:
        """Elementwise minimum of two tensors."""
        return -((-self).maximum(-_as_tensor(other)))

    def where(self: Tensor, condition: Any, other: Any) -> Tensor:
        """self where condition, else other."""
        return where(condition, self, other)

    def masked_fill(self: Tensor, mask: Any, value: Any) -> Tensor:
        """self with ``value`` where mask is True."""
        return where(mask, _scalar_like(value, self) if not isinstance(value, Tensor) else value, self)

    def softmax(self: Tensor, dim: builtins.int) -> Tensor:
        """exp(self) / exp(self).sum(dim), computed stably."""
        return self.log_softmax(dim).exp()

    def log_softmax(self: Tensor, dim: builtins.int) -> Tensor:
        """self - logsumexp(self, dim), computed stably."""
        return ops.LogSoftmax.apply(_floating(self), _dim(dim, self.ndim))

    def logsumexp(self: Tensor, dim: Any, keepdim: builtins.bool = False) -> Tensor:
        """log(exp(self).sum(dim)), computed stably."""
        peak = self.detach().amax(dim, keepdim=True)
        out = (self - peak).exp().sum(dim, keepdim=True).log() + peak
        return out if keepdim else out.squeeze(dim)

    # ---------------------------------------------------------------- reductions
    def sum(self: Tensor, dim: Any = None, keepdim: builtins.bool = False, dtype: Any = None) -> Tensor:
        """Sum over ``dim`` (all dimensions by default)."""
        x = self if dtype is None else self.to(dtype)
        if x._data.dtype.kind == "b":
            x = x.long()
        return ops.Sum.apply(x, _dims(dim, self.ndim), keepdim)

    def mean(self: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Average over ``dim`` (all dimensions by default)."""
        if self._data.dtype.kind != "f":
            raise RuntimeError(
                f"mean(): could not infer output dtype. Input dtype must be a floating point "
                f"dtype. Got: {self.dtype.name}; convert first with .float()"
            )
        dims = _dims(dim, self.ndim)
        count = self._data.size if dims is None else math.prod(self._data.shape[d] for d in dims)
        return self.sum(dims, keepdim) / count

    def var(
        self: Tensor,
        dim: Any = None,
        unbiased: builtins.bool = True,
        keepdim: builtins.bool = False,
        correction: Any = None,
    ) -> Tensor:
        """Variance over ``dim`` (divides by n - 1 unless unbiased=False)."""
        dims = _dims(dim, self.ndim)
        count = self._data.size if dims is None else math.prod(self._data.shape[d] for d in dims)
        correction = (1 if unbiased else 0) if correction is None else correction
        centered = self - self.mean(dims, keepdim=True)
        return (centered * centered).sum(dims, keepdim) / builtins.max(count - correction, 0)

    def std(
        self: Tensor,
        dim: Any = None,
        unbiased: builtins.bool = True,
        keepdim: builtins.bool = False,
        correction: Any = None,
    ) -> Tensor:
        """Standard deviation over ``dim``."""
        return self.var(dim, unbiased, keepdim, correction).sqrt()

    def norm(self: Tensor, p: Any = 2, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """The p-norm (2 by default) over ``dim``."""
        if p == 2 or p == "fro":
            return (self * self).sum(dim, keepdim).sqrt()
        if p == 1:
            return self.abs().sum(dim, keepdim)
        return (self.abs() ** p).sum(dim, keepdim) ** (1 / p)

    def amax(self: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Largest value over ``dim`` (gradient shared between ties)."""
        return ops.Amax.apply(self, _dims(dim, self.ndim, empty_is_all=True), keepdim)

    def amin(self: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Smallest value over ``dim``."""
        return -((-self).amax(dim, keepdim))

    def max(self: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        """Largest value; with ``dim``, the tuple (values, indices) along it."""
        if isinstance(dim, Tensor):
            return self.maximum(dim)
        if dim is None:
            return self.amax()
        return self._select_along(np.argmax(self._data, axis=_dim(dim, self.ndim)), dim, keepdim)

    def min(self: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        """Smallest value; with ``dim``, the tuple (values, indices) along it."""
        if isinstance(dim, Tensor):
            return self.minimum(dim)
        if dim is None:
            return self.amin()
        return self._select_along(np.argmin(self._data, axis=_dim(dim, self.ndim)), dim, keepdim)

    def _select_along(self: Tensor, indices: np.ndarray, dim: Any, keepdim: builtins.bool) -> MaxResult:
        d = _dim(dim, self.ndim)
        grids: list[Any] = list(np.indices(indices.shape, sparse=True))
        values = self[tuple(grids[:d] + [indices] + grids[d:])]
        result = MaxResult(values, Tensor._make(indices.astype(np.int64)))
        if keepdim:
            result = MaxResult(result.values.unsqueeze(d), result.indices.unsqueeze(d))
        return result

    def argmax(self: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Index of the largest value (of the flattened tensor when dim is None)."""
        return _arg_reduce(np.argmax, self, dim, keepdim)

    def argmin(self: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Index of the smallest value."""
        return _arg_reduce(np.argmin, self, dim, keepdim)

    # ---------------------------------------------------------------- shapes
    def reshape(self: Tensor, *shape: Any) -> Tensor:
        """The same values with a new shape (one dimension may be -1)."""
        return ops.Reshape.apply(self, _size(shape))

    view = reshape

    def view_as(self: Tensor, other: Tensor) -> Tensor:
        """Reshape to ``other``'s shape."""
        return self.reshape(other.shape)

    reshape_as = view_as

    def flatten(self: Tensor, start_dim: builtins.int = 0, end_dim: builtins.int = -1) -> Tensor:
        """Merge dimensions start_dim..end_dim into one."""
        if self.ndim == 0:
            return self.reshape(1)
        start, end = _dim(start_dim, self.ndim), _dim(end_dim, self.ndim)
        shape = self._data.shape
        return self.reshape(shape[:start] + (-1,) + shape[end + 1 :])

    def unflatten(self: Tensor, dim: builtins.int, sizes: Sequence[builtins.int]) -> Tensor:
        """Split dimension ``dim`` into ``sizes``."""
        d, shape = _dim(dim, self.ndim), self._data.shape
        return self.reshape(shape[:d] + tuple(sizes) + shape[d + 1 :])

    def squeeze(self: Tensor, dim: Any = None) -> Tensor:
        """Remove dimensions of size 1 (only ``dim`` when given)."""
        shape = self._data.shape
        if dim is None:
            dims = {i for i, n in enumerate(shape) if n == 1}
        else:
            dims = {d for d in (_dims(dim, self.ndim) or ()) if shape[d] == 1}
        return self.reshape(tuple(n for i, n in enumerate(shape) if i not in dims))

    def unsqueeze(self: Tensor, dim: builtins.int) -> Tensor:
        """Insert a dimension of size 1 at ``dim``."""
        d = _dim(dim, self.ndim + 1)
        shape = self._data.shape
        return self.reshape(shape[:d] + (1,) + shape[d:])

    def permute(self: Tensor, *dims: Any) -> Tensor:
        """Reorder the dimensions: ``x.permute(2, 0, 1)``."""
        order = tuple(_dim(d, self.ndim) for d in _size(dims))
        if sorted(order) != list(range(self.ndim)):
            raise RuntimeError(
                f"permute: dims {list(_size(dims))} must be a reordering of 0..{self.ndim - 1} "
                f"for a tensor of shape {tuple(self.shape)}"
            )
        return ops.Permute.apply(self, order)

    def transpose(self: Tensor, dim0: builtins.int, dim1: builtins.int) -> Tensor:
        """Swap two dimensions."""
        order = list(range(self.ndim))
        d0, d1 = _dim(dim0, self.ndim), _dim(dim1, self.ndim)
        order[d0], order[d1] = order[d1], order[d0]
        return ops.Permute.apply(self, tuple(order))

    def t(self: Tensor) -> Tensor:
        """Transpose of a matrix (vectors are returned as they are)."""
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return self.T

    def expand(self: Tensor, *sizes: Any) -> Tensor:
        """Broadcast to a larger shape without copying (-1 keeps a dimension)."""
        sizes = _size(sizes)
        lead = len(sizes) - self.ndim
        shape = tuple([self._data.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(sizes)])
        return ops.Expand.apply(self, shape)

    def expand_as(self: Tensor, other: Tensor) -> Tensor:
        """Broadcast to ``other``'s shape."""
        return self.expand(other.shape)

    def repeat(self: Tensor, *repeats: Any) -> Tensor:
        """Tile the tensor ``repeats[i]`` times along each dimension."""
        reps = _size(repeats)
        shape = (1,) * (len(reps) - self.ndim) + self._data.shape
        interleaved = tuple(v for n in shape for v in (1, n))
        target = tuple(v for r, n in zip(reps, shape) for v in (r, n))
        return self.reshape(interleaved).expand(target).reshape(tuple(r * n for r, n in zip(reps, shape)))

    def gather(self: Tensor, dim: builtins.int, index: Tensor) -> Tensor:
        """Pick values along ``dim`` at ``index`` (out[i][j] = self[i][index[i][j]] for dim=1)."""
        d = _dim(dim, self.ndim)
        idx = index._data if isinstance(index, Tensor) else np.asarray(index)
        grids: list[Any] = list(np.indices(idx.shape, sparse=True))
        return self[tuple(grids[:d] + [idx] + grids[d + 1 :])]

    def index_select(self: Tensor, dim: builtins.int, index: Tensor) -> Tensor:
        """Rows (or slices along ``dim``) at ``index``."""
        d = _dim(dim, self.ndim)
        return self[(slice(None),) * d + (_as_tensor(index)._data,)]

    def __getitem__(self: Tensor, index: Any) -> Tensor:
        mask = index._data if isinstance(index, Tensor) else index
        if isinstance(mask, np.ndarray) and mask.dtype == np.bool_ and mask.ndim == 0:
            return self.unsqueeze(0)[np.flatnonzero(mask)]  # x[True]: a new dimension of size 1 (0 if False)
        index = _normalize_index(index)
        try:
            return ops.Index.apply(self, index)
        except IndexError as error:
            raise IndexError(f"{error} (indexing a tensor of shape {tuple(self.shape)})") from None

    # ---------------------------------------------------------------- splitting
    def chunk(self: Tensor, chunks: builtins.int, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """Split into ``chunks`` nearly equal pieces along ``dim``."""
        size = -(-self._data.shape[_dim(dim, self.ndim)] // chunks)
        return self.split(size, dim)

    def split(self: Tensor, split_size: Any, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """Pieces of ``split_size`` (or of the listed sizes) along ``dim``."""
        d = _dim(dim, self.ndim)
        length = self._data.shape[d]
        if isinstance(split_size, builtins.int):
            split_size = [builtins.min(split_size, length - start) for start in range(0, length, split_size)]
        if builtins.sum(split_size) != length:
            raise RuntimeError(f"split sizes {list(split_size)} must add up to {length}, the size of dimension {d}")
        starts = np.cumsum([0, *split_size[:-1]]).tolist()
        return tuple(self[(slice(None),) * d + (slice(a, a + n),)] for a, n in zip(starts, split_size))

    def unbind(self: Tensor, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """The slices along ``dim``, with that dimension removed."""
        d = _dim(dim, self.ndim)
        return tuple(self[(slice(None),) * d + (i,)] for i in range(self._data.shape[d]))

    # ---------------------------------------------------------------- new tensors like this one
    def new_zeros(self: Tensor, *size: Any, dtype: Any = None, requires_grad: builtins.bool = False) -> Tensor:
        """Zeros of ``size`` with this tensor's dtype."""
        return zeros(*size, dtype=dtype or self._data.dtype, requires_grad=requires_grad)

    def new_ones(self: Tensor, *size: Any, dtype: Any = None, requires_grad: builtins.bool = False) -> Tensor:
        """Ones of ``size`` with this tensor's dtype."""
        return ones(*size, dtype=dtype or self._data.dtype, requires_grad=requires_grad)

    def new_tensor(self: Tensor, data: Any, dtype: Any = None, requires_grad: builtins.bool = False) -> Tensor:
        """A new tensor from ``data`` with this tensor's dtype."""
        return tensor(data, dtype=dtype or self._data.dtype, requires_grad=requires_grad)


def _coerce(self: Tensor, other: Any, true_division: builtins.bool = False) -> tuple[Tensor, Any]:
    """The two operands of a binary op with PyTorch's dtype rules applied."""
    kind = self._data.dtype.kind
    if isinstance(other, Tensor):
        if other._data.dtype != self._data.dtype:
            common = result_type(self._data, other._data)
            self, other = self.to(common), other.to(common)
            kind = common.kind
    elif type(other) is builtins.float or type(other) is builtins.int:
        if kind == "f":
            return self, other  # the common case: float tensor and a Python number
        if type(other) is builtins.float:
            self, kind = self.to(_defaults.float_dtype), "f"
        elif kind == "b":
            self, kind = self.to(np.int64), "i"
    elif isinstance(other, np.generic):  # numpy scalars count as Python numbers
        return _coerce(self, other.item(), true_division)
    elif isinstance(other, builtins.bool):
        pass  # True/False keep the tensor's dtype
    elif isinstance(other, (builtins.int, builtins.float)):  # subclasses of int and float
        plain = builtins.float(other) if isinstance(other, builtins.float) else builtins.int(other)
        return _coerce(self, plain, true_division)
    elif isinstance(other, (list, tuple, np.ndarray)):
        return _coerce(self, tensor(other), true_division)
    else:
        raise TypeError(f"unsupported operand type for a tensor operation: {type(other).__name__}")
    if true_division and kind != "f":
        self = self.to(_defaults.float_dtype)
        if isinstance(other, Tensor):
            other = other.to(_defaults.float_dtype)
    return self, other


def _compare(ufunc: Any, self: Tensor, other: Any) -> Tensor:
    """An elementwise comparison: a bool tensor, outside the graph."""
    try:
        a, b = _coerce(self, other)
    except TypeError:
        return NotImplemented
    values = b._data if isinstance(b, Tensor) else b
    try:
        return Tensor._make(ufunc(a._data, values))
    except ValueError:
        raise RuntimeError(
            f"{ufunc.__name__}: the shapes {tuple(a.shape)} and {np.shape(values)} cannot be broadcast together"
        ) from None


def _arg_reduce(func: Any, self: Tensor, dim: Any, keepdim: builtins.bool) -> Tensor:
    if dim is None:
        return Tensor._make(np.asarray(func(self._data), dtype=np.int64))
    out = func(self._data, axis=_dim(dim, self.ndim), keepdims=keepdim)
    return Tensor._make(out.astype(np.int64))


def _floating(x: Tensor) -> Tensor:
    """Integer tensors become float (as PyTorch does for exp, log, ...)."""
    return x if x._data.dtype.kind == "f" else x.to(_defaults.float_dtype)


def _scalar_like(value: Any, like: Tensor) -> Tensor:
    return Tensor._make(np.asarray(value, dtype=like._data.dtype))


def _as_tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else tensor(x)


def where(condition: Any, input: Any, other: Any) -> Tensor:
    """``input`` where ``condition`` is True, else ``other`` (gradients flow to both)."""
    cond = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    if cond.dtype != np.bool_:
        cond = cond.astype(bool)
    if isinstance(input, Tensor):
        a, b = _coerce(input, other)
    elif isinstance(other, Tensor):
        b, a = _coerce(other, input)
    else:
        a, b = tensor(input), tensor(other)
    return ops.Where.apply(cond, a, b)


def _normalize_index(index: Any) -> Any:
    parts = index if isinstance(index, tuple) else (index,)
    out: list[Any] = []
    for part in parts:
        if isinstance(part, Tensor):
            part = part._data
            if part.ndim == 0 and part.dtype.kind in "iu":
                part = builtins.int(part)
        elif isinstance(part, list):
            part = np.asarray(_unwrap_nested(part))
        if isinstance(part, np.ndarray) and part.dtype == np.bool_:
            out.extend(np.nonzero(part))  # a mask becomes the positions it selects
        else:
            out.append(part)
    return tuple(out) if isinstance(index, tuple) or len(out) != 1 else out[0]


def _add_to_tensor(methods: type) -> None:
    """Make every method and property of ``methods`` a member of ``Tensor``."""
    for name, member in vars(methods).items():
        if isinstance(member, (FunctionType, property)):
            setattr(Tensor, name, member)


_add_to_tensor(TensorMethods)
