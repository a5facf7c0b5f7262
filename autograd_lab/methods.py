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
import warnings
from collections import namedtuple
from collections.abc import Iterator, Sequence
from types import FunctionType
from typing import Any

import numpy as np

from . import fused, ops
from .dtypes import (
    _CPU,
    device,
    _ALIASES,
    _check_device,
    _defaults,
    _numpy_dtype,
    bool_,
    dtype,
    float16,
    float32,
    float64,
    int32,
    int64,
    result_type,
)
from .factories import ones, tensor, zeros
from .names import index_name, matmul_name, rename
from .shapes import _dim, _dims, _size, can_view, new_shape
from .tensor import Tensor, _unwrap_nested
from .validation import (
    c_name,
    check_gather_index,
    check_mask,
    degrees_of_freedom,
    empty_reduction,
    index_dtype,
    type_name,
)

_T_DEPRECATED = (
    "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated and it will throw "
    "an error in a future release. Consider `x.mT` to transpose batches of matrices or "
    "`x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor."
)
_T_OF_0D = "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases."

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
        """All dimensions reversed (the transpose of a matrix; PyTorch warns for other than 2-D)."""
        if self._data.ndim != 2:
            warnings.warn(_T_OF_0D if self._data.ndim == 0 else _T_DEPRECATED, UserWarning, stacklevel=2)
        return ops.Permute.apply(self, tuple(range(self._data.ndim - 1, -1, -1)))

    @property
    def mT(self: Tensor) -> Tensor:
        """The last two dimensions swapped (a batch of transposed matrices)."""
        if self._data.ndim < 2:
            raise RuntimeError(
                f"tensor.mT is only supported on matrices or batches of matrices. Got {self._data.ndim}-D tensor."
            )
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
        """A copy with its own memory (and the same layout); gradients flow back to the original."""
        return rename(ops.Cast.apply(self, self._data.dtype), "CloneBackward0")

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

    def half(self: Tensor) -> Tensor:
        """Convert to float16."""
        return self.to(float16)

    def cpu(self: Tensor) -> Tensor:
        """The tensor itself (everything lives on the CPU)."""
        return self

    def cuda(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        """Not available: autograd_lab computes on the CPU only."""
        _check_device("cuda")
        return self

    def is_contiguous(self: Tensor) -> builtins.bool:
        """True when the values lie in memory row after row, with no gaps (see ``stride()``)."""
        return builtins.bool(self._data.flags.c_contiguous)

    def contiguous(self: Tensor) -> Tensor:
        """The tensor itself when contiguous, else a contiguous copy (gradients flow back)."""
        if self._data.flags.c_contiguous:
            return self
        return rename(ops.Cast.apply(self, self._data.dtype, "C"), "CloneBackward0")

    def stride(self: Tensor, dim: builtins.int | None = None) -> Any:
        """Elements to step over to move one position along each dimension (0 where expanded)."""
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        return strides if dim is None else strides[_dim(dim, self.ndim)]

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
        if self._data.ndim == 0:
            return format(self.item(), spec)
        if spec:
            raise TypeError(
                "unsupported format string passed to Tensor.__format__: only a 0-d tensor formats as a number "
                "(use t.item() or t[i] for one value)"
            )
        return repr(self)

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
        return builtins.float(_one_element(self).item())

    def __int__(self: Tensor) -> builtins.int:
        return builtins.int(_one_element(self).item())

    def __index__(self: Tensor) -> builtins.int:
        if self._data.dtype.kind not in "iu":
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self.item())

    # ---------------------------------------------------------------- arithmetic
    def __add__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Add.apply(a, b)

    def __radd__(self: Tensor, other: Any) -> Tensor:
        if isinstance(other, np.ndarray):  # ndarray op tensor: PyTorch's TypeError too
            return NotImplemented
        a, b = _coerce(self, other)
        return ops.Add.apply(b, a)

    def __sub__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        _no_bool_subtraction(a, b)
        return ops.Sub.apply(a, b)

    def __rsub__(self: Tensor, other: Any) -> Tensor:
        if isinstance(other, np.ndarray):  # ndarray op tensor: PyTorch's TypeError too
            return NotImplemented
        a, b = _coerce(self, other)
        _no_bool_subtraction(a, b)
        return rename(ops.Sub.apply(b, a), "RsubBackward1")

    def __mul__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Mul.apply(a, b)

    def __rmul__(self: Tensor, other: Any) -> Tensor:
        if isinstance(other, np.ndarray):  # ndarray op tensor: PyTorch's TypeError too
            return NotImplemented
        a, b = _coerce(self, other)
        return ops.Mul.apply(b, a)

    def __truediv__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other, true_division=True)
        return ops.Div.apply(a, b)

    def __rtruediv__(self: Tensor, other: Any) -> Tensor:
        if isinstance(other, np.ndarray):  # ndarray op tensor: PyTorch's TypeError too
            return NotImplemented
        a, b = _coerce(self, other, true_division=True)
        return ops.Div.apply(b, a)

    def __pow__(self: Tensor, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        _no_negative_integer_power(a, b)
        return rename(ops.Pow.apply(a, b), "PowBackward1" if isinstance(b, Tensor) else "PowBackward0")

    def __rpow__(self: Tensor, other: Any) -> Tensor:
        if isinstance(other, np.ndarray):  # ndarray op tensor: PyTorch's TypeError too
            return NotImplemented
        a, b = _coerce(self, other)
        base = b if isinstance(b, Tensor) else Tensor._make(np.asarray(b, dtype=a._data.dtype))
        _no_negative_integer_power(base, a)
        return rename(ops.Pow.apply(base, a), "PowBackward2")

    def __matmul__(self: Tensor, other: Any) -> Tensor:
        if not isinstance(other, Tensor):
            return NotImplemented
        return rename(ops.MatMul.apply(*_same_dtype_for_matmul(self, other)), matmul_name(self.ndim, other.ndim))

    def __rmatmul__(self: Tensor, other: Any) -> Tensor:
        if not isinstance(other, Tensor):
            return NotImplemented
        return rename(ops.MatMul.apply(*_same_dtype_for_matmul(other, self)), matmul_name(other.ndim, self.ndim))

    def __neg__(self: Tensor) -> Tensor:
        if self._data.dtype == np.bool_:
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, "
                "use the `~` or `logical_not()` operator instead."
            )
        return ops.Neg.apply(self)

    def __pos__(self: Tensor) -> Tensor:
        return self

    def __abs__(self: Tensor) -> Tensor:
        return ops.Abs.apply(self)

    def __floordiv__(self: Tensor, other: Any) -> Tensor:
        return _integer_division(np.floor_divide, self, other)

    def __rfloordiv__(self: Tensor, other: Any) -> Tensor:
        if isinstance(other, np.ndarray):  # ndarray op tensor: PyTorch's TypeError too
            return NotImplemented
        return _integer_division(np.floor_divide, self, other, reflected=True)

    def __mod__(self: Tensor, other: Any) -> Tensor:
        return _integer_division(np.remainder, self, other)

    def __rmod__(self: Tensor, other: Any) -> Tensor:
        if isinstance(other, np.ndarray):  # ndarray op tensor: PyTorch's TypeError too
            return NotImplemented
        return _integer_division(np.remainder, self, other, reflected=True)

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
        return rename(self @ other, "BmmBackward0")

    def outer(self: Tensor, other: Tensor) -> Tensor:
        """Outer product of two vectors: (N,) x (M,) -> (N, M)."""
        for name, t in (("self", self), ("vec2", other)):
            if t.ndim != 1:
                raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
        return self.unsqueeze(1) * other.unsqueeze(0)

    def dot(self: Tensor, other: Tensor) -> Tensor:
        """Dot product of two vectors: (D,) . (D,) -> ()."""
        if self.ndim != 1 or other.ndim != 1:
            raise RuntimeError(
                f"1D tensors expected, but got {self.ndim}D and {other.ndim}D tensors (dot multiplies two vectors; "
                "use @ or matmul for matrices)"
            )
        if self._data.dtype != other._data.dtype:
            raise RuntimeError(
                f"dot : expected both vectors to have same dtype, but found {type_name(self._data)} and "
                f"{type_name(other._data)}"
            )
        if self._data.shape != other._data.shape:
            n, m = self._data.size, other._data.size
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same number of elements, "
                f"but got {n} and {m} elements respectively"
            )
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
        return _compare(np.bitwise_and, self, _bitwise_operand("bitwise_and", self, other))

    def __or__(self: Tensor, other: Any) -> Tensor:
        return _compare(np.bitwise_or, self, _bitwise_operand("bitwise_or", self, other))

    def __xor__(self: Tensor, other: Any) -> Tensor:
        return _compare(np.bitwise_xor, self, _bitwise_operand("bitwise_xor", self, other))

    def __invert__(self: Tensor) -> Tensor:
        if self._data.dtype.kind == "f":
            raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
        return Tensor._make(np.invert(self._data))

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    def equal(self: Tensor, other: Tensor) -> builtins.bool:
        """True when both tensors have the same shape and values."""
        return self._data.shape == other._data.shape and builtins.bool(np.array_equal(self._data, other._data))

    def allclose(
        self: Tensor,
        other: Any,
        rtol: builtins.float = 1e-5,
        atol: builtins.float = 1e-8,
        equal_nan: builtins.bool = False,
    ) -> builtins.bool:
        """True when all values are close: |a - b| <= atol + rtol * |b| (nan equals nan with equal_nan=True)."""
        other_data = _as_tensor(other)._data
        return builtins.bool(np.allclose(self._data, other_data, rtol=rtol, atol=atol, equal_nan=equal_nan))

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
        return rename(_floating(self) ** 0.5, "SqrtBackward0")

    def rsqrt(self: Tensor) -> Tensor:
        """self ** -0.5."""
        return rename(_floating(self) ** -0.5, "RsqrtBackward0")

    def square(self: Tensor) -> Tensor:
        """self ** 2."""
        return self**2

    def log1p(self: Tensor) -> Tensor:
        """log(1 + self)."""
        return (1 + _floating(self)).log()

    def reciprocal(self: Tensor) -> Tensor:
        """1 / self."""
        return rename(1 / self, "ReciprocalBackward0")

    def clamp(self: Tensor, min: Any = None, max: Any = None) -> Tensor:
        """Limit values to [min, max]; the gradient is 0 where a limit was applied."""
        if min is None and max is None:
            raise RuntimeError("clamp: at least one of 'min' or 'max' must not be None")
        if self._data.dtype.kind != "f" and any(isinstance(v, builtins.float) for v in (min, max)):
            self = _floating(self)  # an integer tensor clamped to a float bound becomes float, as in PyTorch
        if not isinstance(min, Tensor) and not isinstance(max, Tensor):
            return fused.Clamp.apply(self, min, max)
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
        _tensor_argument("maximum", "other", 2, other)
        a, b = _coerce(self, other)
        return ops.Maximum.apply(a, b)

    def minimum(self: Tensor, other: Any) -> Tensor:
        """Elementwise minimum of two tensors."""
        _tensor_argument("minimum", "other", 2, other)
        return -((-self).maximum(-other))

    def where(self: Tensor, condition: Any, other: Any) -> Tensor:
        """self where condition, else other."""
        return where(condition, self, other)

    def masked_fill(self: Tensor, mask: Any, value: Any) -> Tensor:
        """self with ``value`` where mask is True."""
        if isinstance(mask, Tensor) and mask._data.dtype != np.bool_:
            raise RuntimeError(
                f"masked_fill_ only supports boolean masks, but got mask with dtype {c_name(mask._data)}; "
                "build the mask with a comparison (x > 0) or mask.bool()"
            )
        filled = where(mask, _scalar_like(value, self) if not isinstance(value, Tensor) else value, self)
        return rename(filled, "MaskedFillBackward0")

    def softmax(self: Tensor, dim: builtins.int) -> Tensor:
        """exp(self) / exp(self).sum(dim), computed stably."""
        _needs_floats("softmax", self)
        return fused.Softmax.apply(self, _dim(dim, self.ndim))

    def log_softmax(self: Tensor, dim: builtins.int) -> Tensor:
        """self - logsumexp(self, dim), computed stably."""
        _needs_floats("log_softmax", self)
        return ops.LogSoftmax.apply(self, _dim(dim, self.ndim))

    def logsumexp(self: Tensor, dim: Any, keepdim: builtins.bool = False) -> Tensor:
        """log(exp(self).sum(dim)), computed stably."""
        peak = self.detach().amax(dim, keepdim=True)
        peak = Tensor._make(np.where(np.isfinite(peak._data), peak._data, 0).astype(peak._data.dtype))  # all -inf
        out = (self - peak).exp().sum(dim, keepdim=True).log() + peak
        return out if keepdim else out.squeeze(dim)

    # ---------------------------------------------------------------- reductions
    def sum(self: Tensor, dim: Any = None, keepdim: builtins.bool = False, dtype: Any = None) -> Tensor:
        """Sum over ``dim`` (all dimensions by default)."""
        _keepdim_needs_dim("sum", dim, keepdim)
        x = self if dtype is None else self.to(dtype)
        if x._data.dtype.kind == "b":
            x = x.long()
        dims = _dims(dim, self.ndim, empty_is_all=True)
        return rename(ops.Sum.apply(x, dims, keepdim), "SumBackward0" if dims is None else "SumBackward1")

    def mean(self: Tensor, dim: Any = None, keepdim: builtins.bool = False, dtype: Any = None) -> Tensor:
        """Average over ``dim`` (all dimensions by default), in ``dtype`` when given."""
        _keepdim_needs_dim("mean", dim, keepdim)
        if dtype is not None:
            self = self.to(dtype)
        if self._data.dtype.kind != "f":
            raise RuntimeError(
                f"mean(): could not infer output dtype. Input dtype must be a floating point "
                f"dtype. Got: {self.dtype.name}; convert first with .float()"
            )
        dims = _dims(dim, self.ndim, empty_is_all=True)
        return rename(fused.Mean.apply(self, dims, keepdim), "MeanBackward0" if dims is None else "MeanBackward1")

    def var(
        self: Tensor,
        dim: Any = None,
        unbiased: builtins.bool = True,
        keepdim: builtins.bool = False,
        correction: Any = None,
        *,
        _name: str = "var",
    ) -> Tensor:
        """Variance over ``dim`` (divides by n - 1 unless unbiased=False)."""
        dims = _dims(dim, self.ndim, empty_is_all=True)
        count = self._data.size if dims is None else math.prod(self._data.shape[d] for d in dims)
        correction = (1 if unbiased else 0) if correction is None else correction
        degrees_of_freedom(_name, count, correction)
        if self._data.dtype.kind != "f":
            raise RuntimeError("std and var only support floating point and complex dtypes; convert first (x.float())")
        centered = self - fused.Mean.apply(self, dims, True)
        return (centered * centered).sum(dims, keepdim) / builtins.max(count - correction, 0)

    def std(
        self: Tensor,
        dim: Any = None,
        unbiased: builtins.bool = True,
        keepdim: builtins.bool = False,
        correction: Any = None,
    ) -> Tensor:
        """Standard deviation over ``dim``."""
        return self.var(dim, unbiased, keepdim, correction, _name="std").sqrt()

    def norm(self: Tensor, p: Any = 2, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """The p-norm (2 by default) over ``dim``; its gradient at a zero vector is 0, as in PyTorch."""
        if self._data.dtype.kind != "f":
            raise RuntimeError(
                f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {type_name(self._data)}"
            )
        if p == float("inf") or p == -float("inf"):
            return self.abs().amax(dim, keepdim) if p > 0 else self.abs().amin(dim, keepdim)
        if p == 0:
            return (self != 0).to(self._data.dtype).sum(dim, keepdim)
        if p == 1:
            return self.abs().sum(dim, keepdim)
        p = 2 if p == "fro" else p
        total = (self * self if p == 2 else self.abs() ** p).sum(dim, keepdim)
        zero = total.detach() == 0  # the root's slope is infinite at 0: PyTorch's gradient there is 0
        return where(zero, 0.0, where(zero, 1.0, total) ** (1 / p))

    def amax(self: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Largest value over ``dim`` (gradient shared between ties)."""
        dims = _dims(dim, self.ndim, empty_is_all=True)
        empty_reduction("amax", self._data, dims, RuntimeError)
        return ops.Amax.apply(self, dims, keepdim)

    def amin(self: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Smallest value over ``dim``."""
        empty_reduction("amin", self._data, _dims(dim, self.ndim, empty_is_all=True), RuntimeError)
        return -((-self).amax(dim, keepdim))

    def max(self: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        """Largest value; with ``dim``, the tuple (values, indices) along it."""
        if isinstance(dim, Tensor):
            return self.maximum(dim)
        if self.ndim == 0 and dim is not None:
            _dim(dim, 0)
            return MaxResult(rename(self * 1, "MaxBackward0"), Tensor._make(np.zeros((), np.int64)))
        empty_reduction("max", self._data, None if dim is None else (_dim(dim, self.ndim),), RuntimeError)
        if dim is None:
            return rename(self.amax(), "MaxBackward1")
        return self._select_along(np.argmax(self._data, axis=_dim(dim, self.ndim)), dim, keepdim, "MaxBackward0")

    def min(self: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        """Smallest value; with ``dim``, the tuple (values, indices) along it."""
        if isinstance(dim, Tensor):
            return self.minimum(dim)
        if self.ndim == 0 and dim is not None:
            _dim(dim, 0)
            return MaxResult(rename(self * 1, "MinBackward0"), Tensor._make(np.zeros((), np.int64)))
        empty_reduction("min", self._data, None if dim is None else (_dim(dim, self.ndim),), RuntimeError)
        if dim is None:
            return -((-self).amax())
        return self._select_along(np.argmin(self._data, axis=_dim(dim, self.ndim)), dim, keepdim, "MinBackward0")

    def _select_along(self: Tensor, indices: np.ndarray, dim: Any, keepdim: builtins.bool, name: str) -> MaxResult:
        d = _dim(dim, self.ndim)
        grids: list[Any] = list(np.indices(indices.shape, sparse=True))
        values = rename(self[tuple(grids[:d] + [indices] + grids[d:])], name)
        result = MaxResult(values, Tensor._make(indices.astype(np.int64)))
        if keepdim:
            result = MaxResult(result.values.unsqueeze(d), result.indices.unsqueeze(d))
        return result

    def argmax(self: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Index of the largest value (of the flattened tensor when dim is None)."""
        empty_reduction("argmax", self._data, None if dim is None else (_dim(dim, self.ndim),), IndexError)
        return _arg_reduce(np.argmax, self, dim, keepdim)

    def argmin(self: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Index of the smallest value."""
        empty_reduction("argmin", self._data, None if dim is None else (_dim(dim, self.ndim),), IndexError)
        return _arg_reduce(np.argmin, self, dim, keepdim)

    # ---------------------------------------------------------------- shapes
    def reshape(self: Tensor, *shape: Any) -> Tensor:
        """The same values with a new shape (one dimension may be -1); a copy when a view cannot do it."""
        size = new_shape(self._data, _size(shape))
        name = "ViewBackward0" if can_view(self._data, size) else "UnsafeViewBackward0"
        return rename(ops.Reshape.apply(self, size), name)

    def view(self: Tensor, *shape: Any) -> Tensor:
        """The same values with a new shape, sharing memory; raises when the layout cannot allow it (see reshape)."""
        if len(shape) == 1 and isinstance(shape[0], (dtype, np.dtype, type)):
            raise RuntimeError("view(dtype) is not supported; use .to(dtype)")
        size = new_shape(self._data, _size(shape))
        if not can_view(self._data, size):
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one dimension spans across "
                "two contiguous subspaces). Use .reshape(...) instead (or .contiguous().view(...))."
            )
        return ops.Reshape.apply(self, size)

    def view_as(self: Tensor, other: Tensor) -> Tensor:
        """View with ``other``'s shape."""
        return self.view(other.shape)

    def reshape_as(self: Tensor, other: Tensor) -> Tensor:
        """Reshape to ``other``'s shape."""
        return self.reshape(other.shape)

    def flatten(self: Tensor, start_dim: builtins.int = 0, end_dim: builtins.int = -1) -> Tensor:
        """Merge dimensions start_dim..end_dim into one."""
        if self.ndim == 0:
            return self.reshape(1)
        start, end = _dim(start_dim, self.ndim), _dim(end_dim, self.ndim)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
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
        name = f"SqueezeBackward{0 if dim is None else 2 if isinstance(dim, (tuple, list)) else 1}"
        return rename(self.reshape(tuple(n for i, n in enumerate(shape) if i not in dims)), name)

    def unsqueeze(self: Tensor, dim: builtins.int) -> Tensor:
        """Insert a dimension of size 1 at ``dim``."""
        d = _dim(dim, self.ndim + 1)
        shape = self._data.shape
        return rename(self.reshape(shape[:d] + (1,) + shape[d:]), "UnsqueezeBackward0")

    def permute(self: Tensor, *dims: Any) -> Tensor:
        """Reorder the dimensions: ``x.permute(2, 0, 1)``."""
        if len(_size(dims)) != self.ndim:
            raise RuntimeError(
                "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
                f"desired ordering of dimensions i.e. input.dim() = {self.ndim} is not equal to len(dims) = "
                f"{len(_size(dims))}"
            )
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
        return rename(ops.Permute.apply(self, tuple(order)), "TransposeBackward0")

    def t(self: Tensor) -> Tensor:
        """Transpose of a matrix (vectors are returned as they are)."""
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return rename(ops.Permute.apply(self, tuple(range(self._data.ndim - 1, -1, -1))), "TBackward0")

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
        _tensor_argument("gather", "index", 3, index)
        idx = index._data
        check_gather_index(self._data.shape, d, idx)
        grids: list[Any] = list(np.indices(idx.shape, sparse=True))
        return rename(self[tuple(grids[:d] + [idx] + grids[d + 1 :])], "GatherBackward0")

    def index_select(self: Tensor, dim: builtins.int, index: Tensor) -> Tensor:
        """Rows (or slices along ``dim``) at ``index``."""
        d = _dim(dim, self.ndim)
        _tensor_argument("index_select", "index", 3, index)
        index_dtype("index_select", index._data, "int32 or int64")
        if index._data.ndim > 1:
            raise IndexError("index_select(): Index is supposed to be a vector")
        if index._data.size and (index._data.min() < 0 or index._data.max() >= self._data.shape[d]):
            raise IndexError(f"index out of range in self: indices must be in 0..{self._data.shape[d] - 1}")
        return rename(self[(slice(None),) * d + (index._data.reshape(-1),)], "IndexSelectBackward0")

    def take(self: Tensor, index: Tensor) -> Tensor:
        """The values at ``index`` in the flattened tensor, in ``index``'s shape."""
        _tensor_argument("take", "index", 2, index)
        index_dtype("take", index._data, "int64")
        size = self._data.size
        if index._data.size and (index._data.min() < -size or index._data.max() >= size):
            bad = index._data[(index._data < -size) | (index._data >= size)].flat[0]
            raise IndexError(f"out of range: tried to access index {bad} on a tensor of {size} elements.")
        return rename(self.reshape(-1)[index._data], "TakeBackward0")

    def __getitem__(self: Tensor, index: Any) -> Tensor:
        # x[a:b] (a minibatch) goes to numpy as it is.  Figure: 15.5 -> 9.3 us a slice (CPU, loaded machine).
        if type(index) is not slice or index.step is not None:
            mask = index._data if isinstance(index, Tensor) else index
            mask = np.asarray(mask) if isinstance(mask, builtins.bool) else mask
            if isinstance(mask, np.ndarray) and mask.dtype == np.bool_ and mask.ndim == 0:
                return self.unsqueeze(0)[np.flatnonzero(mask)]  # x[True]: a new dimension of size 1 (0 if False)
            index = _normalize_index(index, self._data.shape)
        try:
            out = ops.Index.apply(self, index)
        except IndexError as error:
            raise IndexError(f"{error} (indexing a tensor of shape {tuple(self.shape)})") from None
        return out if out.grad_fn is None else rename(out, index_name(index))  # PyTorch's name for a recorded node

    # ---------------------------------------------------------------- splitting
    def chunk(self: Tensor, chunks: builtins.int, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """Split into ``chunks`` nearly equal pieces along ``dim``."""
        if chunks <= 0:
            raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
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
        pieces = (self[(slice(None),) * d + (slice(a, a + n),)] for a, n in zip(starts, split_size))
        return tuple(rename(piece, "SplitBackward0") for piece in pieces)

    def unbind(self: Tensor, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """The slices along ``dim``, with that dimension removed."""
        d = _dim(dim, self.ndim)
        return tuple(rename(self[(slice(None),) * d + (i,)], "UnbindBackward0") for i in range(self._data.shape[d]))

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
    elif isinstance(other, np.ndarray):
        return _coerce(self, tensor(other), true_division)
    else:
        raise TypeError(
            f"unsupported operand type(s): 'Tensor' and '{type(other).__name__}'; make it a tensor first "
            "(autograd_lab.tensor(...))"
        )
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


def where(condition: Any, input: Any = None, other: Any = None) -> Any:
    """``input`` where ``condition`` is True, else ``other`` (gradients flow to both).

    ``where(condition)`` alone gives the indices where it is True, one tensor per dimension.
    """
    if input is None and other is None:
        return tuple(Tensor._make(i.astype(np.int64)) for i in np.nonzero(_as_tensor(condition)._data))
    if isinstance(condition, Tensor) and condition._data.dtype != np.bool_:
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype {type_name(condition._data)}"
            "; compare first (x > 0) or call .bool()"
        )
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


def _normalize_index(index: Any, shape: tuple[builtins.int, ...]) -> Any:
    """An index numpy reads as PyTorch does: tensors as arrays, a boolean mask (checked) as its positions."""
    parts = index if isinstance(index, tuple) else (index,)
    out: list[Any] = []
    dim = 0  # the tensor dimension the next part indexes
    for k, part in enumerate(parts):
        if isinstance(part, Tensor):
            part = part._data
            if part.ndim == 0 and part.dtype.kind in "iu":
                part = builtins.int(part)
        elif isinstance(part, list):
            part = np.asarray(_unwrap_nested(part))
            part = part.astype(np.int64) if part.size == 0 else part  # x[[]]: no positions
        elif isinstance(part, slice) and part.step is not None and part.step <= 0:
            raise ValueError("step must be greater than zero; flip the tensor instead of slicing it backwards")
        elif isinstance(part, (str, bytes, builtins.float)):
            kind = "float (use an int)" if isinstance(part, builtins.float) else type(part).__name__
            raise (IndexError if isinstance(part, builtins.float) else TypeError)(f"invalid index of type {kind}")
        if isinstance(part, np.ndarray) and part.dtype == np.bool_:
            check_mask(part, shape, dim)
            out.extend(np.nonzero(part))  # a mask becomes the positions it selects
            dim += part.ndim
            continue
        out.append(part)
        if part is Ellipsis:
            dim = len(shape) - builtins.sum(_dims_used(p) for p in parts[k + 1 :])
        else:
            dim += _dims_used(part)
    return tuple(out) if isinstance(index, tuple) or len(out) != 1 else out[0]


def _dims_used(part: Any) -> builtins.int:
    """How many dimensions of the tensor one part of an index consumes."""
    if part is None or part is Ellipsis:
        return 0
    data = part._data if isinstance(part, Tensor) else part
    return data.ndim if isinstance(data, np.ndarray) and data.dtype == np.bool_ else 1


def _keepdim_needs_dim(name: str, dim: Any, keepdim: builtins.bool) -> None:
    if dim is None and keepdim:
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got (keepdim=bool, ): keepdim needs dim "
            f"(e.g. x.{name}(dim=0, keepdim=True))"
        )


def _one_element(x: Tensor) -> Tensor:
    if x._data.size != 1:
        raise ValueError(
            f"only one element tensors can be converted to Python scalars (this one has {x._data.size}); "
            "select one first (t[0]) or use .tolist()"
        )
    return x


def _no_bool_subtraction(a: Tensor, b: Any) -> None:
    if a._data.dtype == np.bool_ and (not isinstance(b, Tensor) or b._data.dtype == np.bool_):
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` "
            "operator instead."
        )


def _no_negative_integer_power(base: Tensor, exponent: Any) -> None:
    if base._data.dtype.kind not in "iub":
        return
    values = exponent._data if isinstance(exponent, Tensor) else np.asarray(exponent)
    if values.dtype.kind in "iu" and values.size and values.min() < 0:
        raise RuntimeError(
            "Integers to negative integer powers are not allowed. Make the base a float tensor (x.float() ** -1)."
        )


def _same_dtype_for_matmul(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """matmul does not promote: both operands must have one dtype (PyTorch raises)."""
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {c_name(a._data)} != {c_name(b._data)}; "
            "convert one of them (e.g. x.float() or w.double())"
        )
    return a, b


def _integer_division(ufunc: Any, self: Tensor, other: Any, reflected: builtins.bool = False) -> Tensor:
    """``//`` and ``%``: integers by zero raise (as in PyTorch), floats give inf/nan quietly."""
    try:
        a, b = _coerce(self, other)
    except TypeError:
        return NotImplemented
    left, right = (b, a) if reflected else (a, b)
    left_data = left._data if isinstance(left, Tensor) else left
    right_data = right._data if isinstance(right, Tensor) else right
    if np.result_type(left_data, right_data).kind in "iu" and np.any(np.asarray(right_data) == 0):
        raise RuntimeError("ZeroDivisionError: integer division by zero (floor division // or remainder %)")
    if a._requires_grad or (isinstance(b, Tensor) and b._requires_grad):  # recorded, as in PyTorch
        if ufunc is np.floor_divide or not isinstance(left, Tensor):  # no derivative in PyTorch either
            return fused.NoDerivative.apply(left, right, ufunc)
        out = fused.Remainder.apply(left, right, ufunc is np.fmod)
        kind = "Fmod" if ufunc is np.fmod else "Remainder"
        return rename(out, f"{kind}Backward{1 if isinstance(right, Tensor) else 0}")
    with np.errstate(divide="ignore", invalid="ignore"):
        return Tensor._make(np.asarray(ufunc(left_data, right_data)))


def _bitwise_operand(name: str, self: Tensor, other: Any) -> Any:
    """&, |, ^ and ~ work on bool and integer tensors only."""
    for t in (self, other):
        if isinstance(t, Tensor) and t._data.dtype.kind == "f" or isinstance(t, builtins.float):
            data = t._data if isinstance(t, Tensor) else np.asarray(t)
            raise NotImplementedError(
                f"\"{name}_cpu\" not implemented for '{type_name(data)}'; use a bool tensor (a comparison like x > 0)"
            )
    return other


def _tensor_argument(function: str, name: str, position: builtins.int, value: Any) -> None:
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{function}(): argument '{name}' (position {position}) must be Tensor, not {type(value).__name__}"
        )


def _needs_floats(name: str, x: Tensor) -> None:
    if x._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"{name}_lastdim_kernel_impl\" not implemented for '{type_name(x._data)}'; "
            "convert to floats first (x.float())"
        )


def _add_to_tensor(methods: type) -> None:
    """Make every method and property of ``methods`` a member of ``Tensor``."""
    for name, member in vars(methods).items():
        if isinstance(member, (FunctionType, property)):
            setattr(Tensor, name, member)


_add_to_tensor(TensorMethods)
