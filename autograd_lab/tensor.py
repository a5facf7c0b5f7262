"""``Tensor``: a numpy array that can remember the operations that produced it.

A tensor holds its values (a numpy array), ``requires_grad``, its gradient
``grad`` and ``grad_fn``, the graph node of the operation that made it (None for
tensors you create yourself: the leaves).  Every operation below is either a
primitive from ``ops.py`` or a short composition of them.
"""

from __future__ import annotations

import builtins
import html
import math
import numbers
import operator
import warnings
import weakref
from collections import namedtuple
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from . import engine
from .dtypes import (
    _ALIASES,
    _CPU,
    _DTYPES,
    Size,
    _check_device,
    _defaults,
    _numpy_dtype,
    bool_,
    device,
    dtype,
    float32,
    float64,
    int32,
    int64,
)
from .engine import _grad

# --------------------------------------------------------------------------- tensor

MaxResult = namedtuple("MaxResult", ["values", "indices"])

_LEAF_INPLACE = (
    "a leaf Variable that requires grad is being used in an in-place operation. "
    "Change parameters inside `with autograd_lab.no_grad():` (as optimizers do), "
    "or use an out-of-place operation (w = w - lr * g)."
)


class Tensor:
    """A multi-dimensional array that records operations for automatic differentiation."""

    __slots__ = (
        "_data",
        "_requires_grad",
        "_grad",
        "grad_fn",
        "_output_nr",
        "_version_counter",
        "_is_view",
        "_accumulator",
        "_leaf_hooks",
        "__weakref__",
    )
    __array_priority__ = 1000  # numpy defers ``ndarray + tensor`` to Tensor.__radd__

    def __init__(self, *args: Any, requires_grad: builtins.bool = False) -> None:
        """``Tensor([1, 2])`` is a float tensor; ``Tensor(2, 3)`` has that shape (zeros)."""
        if len(args) == 1 and not isinstance(args[0], numbers.Number):
            data = np.array(_unwrap_nested(args[0]), dtype=_defaults.float_dtype)
        else:
            data = np.zeros(_size(args), dtype=_defaults.float_dtype)
        self._init(data, requires_grad, None, 0, None)

    def _init(
        self, data: np.ndarray, requires_grad: builtins.bool, grad_fn: Any, output_nr: builtins.int, version: Any
    ) -> None:
        self._data = data
        self._requires_grad = requires_grad
        self._grad: Tensor | None = None
        self.grad_fn = grad_fn
        self._output_nr = output_nr
        self._version_counter = version if version is not None else [0]
        self._is_view = version is not None
        self._accumulator: Any = None
        self._leaf_hooks: list[Any] | None = None

    @classmethod
    def _make(
        cls,
        data: Any,
        requires_grad: builtins.bool = False,
        grad_fn: Any = None,
        output_nr: builtins.int = 0,
        version: list[builtins.int] | None = None,
    ) -> Tensor:
        """Wrap a numpy array (no copy, no checks): the fast internal constructor."""
        if type(data) is not np.ndarray:
            data = np.asarray(data)
        tensor = object.__new__(Tensor)
        tensor._data = data
        tensor._requires_grad = requires_grad
        tensor._grad = None
        tensor.grad_fn = grad_fn
        tensor._output_nr = output_nr
        tensor._version_counter = [0] if version is None else version
        tensor._is_view = version is not None
        tensor._accumulator = None
        tensor._leaf_hooks = None
        return tensor

    # ---------------------------------------------------------------- properties
    @property
    def shape(self) -> Size:
        """The size of each dimension, e.g. ``Size([3, 224, 224])``."""
        return Size(self._data.shape)

    @property
    def dtype(self) -> dtype:
        """The element type (float32 by default for real numbers)."""
        return _DTYPES[self._data.dtype]

    @property
    def device(self) -> device:
        """Always the CPU."""
        return _CPU

    @property
    def ndim(self) -> builtins.int:
        """Number of dimensions (0 for a scalar)."""
        return self._data.ndim

    @property
    def is_leaf(self) -> builtins.bool:
        """True for tensors created by the user (not by a recorded operation)."""
        return self.grad_fn is None

    @property
    def requires_grad(self) -> builtins.bool:
        """Whether operations on this tensor are recorded for backward."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: builtins.bool) -> None:
        if self.grad_fn is not None and not value:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to "
                "use a computed variable in a subgraph that doesn't require differentiation "
                "use var_no_grad = var.detach()."
            )
        if value and self._data.dtype.kind != "f":
            raise RuntimeError(
                f"only Tensors of floating point dtype can require gradients, got {self.dtype}; "
                "create it with dtype=autograd_lab.float32 (e.g. write 2.0 instead of 2)"
            )
        self._requires_grad = bool(value)

    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated by ``backward()`` (None until then)."""
        if self.grad_fn is not None and self._grad is None and not self.retains_grad:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                "Its .grad attribute won't be populated during autograd.backward(). If you "
                "indeed want the gradient for a non-leaf Tensor, use .retain_grad() on the "
                "non-leaf Tensor before calling backward.",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad must be a Tensor or None, got {type(value).__name__}")
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"assigned grad has data of a different size: {tuple(value.shape)} instead of {tuple(self.shape)}"
                )
        self._grad = value

    @property
    def retains_grad(self) -> builtins.bool:
        """True when ``retain_grad()`` was called on this non-leaf tensor."""
        node = self.grad_fn
        if node is None or not node._retain_grad:
            return False
        ref = node._retain_grad.get(self._output_nr)
        return ref is not None and ref() is self

    @property
    def data(self) -> Tensor:
        """The values, detached from the graph (shares memory; changes are not tracked)."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value: Tensor) -> None:
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    @property
    def _version(self) -> builtins.int:
        return self._version_counter[0]

    @property
    def T(self) -> Tensor:
        """All dimensions reversed (the transpose of a matrix)."""
        return ops.Permute.apply(self, tuple(range(self._data.ndim - 1, -1, -1)))

    @property
    def mT(self) -> Tensor:
        """The last two dimensions swapped (a batch of transposed matrices)."""
        return self.transpose(-2, -1)

    def dim(self) -> builtins.int:
        """Number of dimensions."""
        return self._data.ndim

    def size(self, dim: builtins.int | None = None) -> Any:
        """The shape, or the size of one dimension."""
        if dim is None:
            return self.shape
        return self._data.shape[_dim(dim, self.ndim)]

    def numel(self) -> builtins.int:
        """Total number of elements."""
        return self._data.size

    def element_size(self) -> builtins.int:
        """Bytes per element."""
        return self._data.itemsize

    def is_floating_point(self) -> builtins.bool:
        """True for float16/32/64 tensors."""
        return self._data.dtype.kind == "f"

    # ---------------------------------------------------------------- conversion
    def item(self) -> Any:
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar; "
                "select one element first (e.g. t[0].item()) or use .tolist()"
            )
        return self._data.item()

    def tolist(self) -> Any:
        """The values as (nested) Python lists."""
        return self._data.tolist()

    def numpy(self) -> np.ndarray:
        """The numpy array behind the tensor (shared memory, no copy)."""
        if self._requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        data = self.numpy()
        return data if dtype is None else data.astype(dtype)

    def detach(self) -> Tensor:
        """The same values, cut from the graph (shares memory)."""
        return Tensor._make(self._data, version=self._version_counter)

    def detach_(self) -> Tensor:
        """Cut this tensor from the graph, in place."""
        self.grad_fn, self._requires_grad = None, False
        return self

    def _detached_copy(self) -> Tensor:
        return Tensor._make(np.array(self._data, copy=True))

    def clone(self) -> Tensor:
        """A copy with its own memory; gradients flow back to the original."""
        return ops.Cast.apply(self, self._data.dtype)

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
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

    def type_as(self, other: Tensor) -> Tensor:
        """Convert to ``other``'s dtype."""
        return self.to(other._data.dtype)

    def float(self) -> Tensor:
        """Convert to float32."""
        return self.to(float32)

    def double(self) -> Tensor:
        """Convert to float64."""
        return self.to(float64)

    def long(self) -> Tensor:
        """Convert to int64."""
        return self.to(int64)

    def int(self) -> Tensor:
        """Convert to int32."""
        return self.to(int32)

    def bool(self) -> Tensor:
        """Convert to bool."""
        return self.to(bool_)

    def cpu(self) -> Tensor:
        """The tensor itself (everything lives on the CPU)."""
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> Tensor:
        """Not available: autograd_lab computes on the CPU only."""
        _check_device("cuda")
        return self

    def contiguous(self) -> Tensor:
        """The tensor itself (numpy handles memory layout)."""
        return self

    # ---------------------------------------------------------------- autograd
    def backward(
        self,
        gradient: Any = None,
        retain_graph: builtins.bool | None = None,
        create_graph: builtins.bool = False,
        inputs: Sequence[Tensor] | None = None,
    ) -> None:
        """Compute d(self)/d(leaf) for every leaf of the graph and add it to ``leaf.grad``."""
        if isinstance(inputs, Tensor):
            inputs = [inputs]
        engine.run_backward([self], [gradient], retain_graph, create_graph, inputs, allow_unused=True)

    def requires_grad_(self, requires_grad: builtins.bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return the tensor."""
        self.requires_grad = requires_grad
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor too after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            engine._set_retain_grad(self.grad_fn, self._output_nr, self)

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> engine.RemovableHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a new one."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            hooks = engine._tensor_hook_list(self.grad_fn, self._output_nr)
        else:
            if self._leaf_hooks is None:
                self._leaf_hooks = []
            hooks = self._leaf_hooks
        hooks.append(hook)
        return engine.RemovableHandle(hooks, hook)

    def _grad_accumulator(self) -> engine.AccumulateGrad:
        node = self._accumulator() if self._accumulator is not None else None
        if node is None:
            node = engine.AccumulateGrad(self)
            self._accumulator = weakref.ref(node)
        return node

    # ---------------------------------------------------------------- printing
    def __repr__(self) -> str:
        extras = []
        if self._data.dtype not in (np.dtype(np.int64), np.dtype(np.bool_), _defaults.float_dtype):
            extras.append(f"dtype={self.dtype}")
        if self.grad_fn is not None:
            extras.append(f"grad_fn={self.grad_fn!r}")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        body = _format_values(self._data)
        return "tensor(" + ", ".join([body, *extras]) + ")"

    def _repr_html_(self) -> str:
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

    def __format__(self, spec: str) -> str:
        if self._data.size == 1 and self._data.ndim == 0:
            return format(self.item(), spec)
        return format(repr(self), spec)

    def __hash__(self) -> builtins.int:
        return id(self)

    def __len__(self) -> builtins.int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self._data)))

    def __bool__(self) -> builtins.bool:
        if self._data.size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with more than one value is ambiguous (shape "
                f"{tuple(self.shape)}); use .any() or .all()"
            )
        return builtins.bool(self._data)

    def __float__(self) -> builtins.float:
        return builtins.float(self.item())

    def __int__(self) -> builtins.int:
        return builtins.int(self.item())

    def __index__(self) -> builtins.int:
        if self._data.dtype.kind not in "iu":
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self.item())

    # ---------------------------------------------------------------- arithmetic
    def __add__(self, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Add.apply(a, b)

    def __radd__(self, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Add.apply(b, a)

    def __sub__(self, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Sub.apply(a, b)

    def __rsub__(self, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Sub.apply(b, a)

    def __mul__(self, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Mul.apply(a, b)

    def __rmul__(self, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Mul.apply(b, a)

    def __truediv__(self, other: Any) -> Tensor:
        a, b = _coerce(self, other, true_division=True)
        return ops.Div.apply(a, b)

    def __rtruediv__(self, other: Any) -> Tensor:
        a, b = _coerce(self, other, true_division=True)
        return ops.Div.apply(b, a)

    def __pow__(self, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        return ops.Pow.apply(a, b)

    def __rpow__(self, other: Any) -> Tensor:
        a, b = _coerce(self, other)
        base = b if isinstance(b, Tensor) else Tensor._make(np.asarray(b, dtype=a._data.dtype))
        return ops.Pow.apply(base, a)

    def __matmul__(self, other: Any) -> Tensor:
        a, b = _coerce(self, _as_tensor(other))
        return ops.MatMul.apply(a, b)

    def __rmatmul__(self, other: Any) -> Tensor:
        a, b = _coerce(self, _as_tensor(other))
        return ops.MatMul.apply(b, a)

    def __neg__(self) -> Tensor:
        return ops.Neg.apply(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return ops.Abs.apply(self)

    def __floordiv__(self, other: Any) -> Tensor:
        return _compare(np.floor_divide, self, other)

    def __mod__(self, other: Any) -> Tensor:
        return _compare(np.remainder, self, other)

    def add(self, other: Any, alpha: Any = 1) -> Tensor:
        """self + alpha * other."""
        return self + (other if alpha == 1 else other * alpha)

    def sub(self, other: Any, alpha: Any = 1) -> Tensor:
        """self - alpha * other."""
        return self - (other if alpha == 1 else other * alpha)

    def mul(self, other: Any) -> Tensor:
        """self * other, elementwise with broadcasting."""
        return self * other

    def div(self, other: Any) -> Tensor:
        """self / other, elementwise with broadcasting."""
        return self / other

    def pow(self, exponent: Any) -> Tensor:
        """self ** exponent."""
        return self**exponent

    def matmul(self, other: Any) -> Tensor:
        """Matrix product: (N, D) @ (D, M) -> (N, M); vectors and batches as numpy."""
        return self @ other

    def mm(self, other: Tensor) -> Tensor:
        """Product of two matrices: (N, D) @ (D, M) -> (N, M)."""
        if self.ndim != 2 or other.ndim != 2:
            raise RuntimeError(f"mm: expected two matrices, got shapes {tuple(self.shape)} and {tuple(other.shape)}")
        return self @ other

    def mv(self, vec: Tensor) -> Tensor:
        """Matrix times vector: (N, D) @ (D,) -> (N,)."""
        if self.ndim != 2 or vec.ndim != 1:
            raise RuntimeError(
                f"mv: expected a matrix and a vector, got shapes {tuple(self.shape)} and {tuple(vec.shape)}"
            )
        return self @ vec

    def bmm(self, other: Tensor) -> Tensor:
        """Batched matrix product: (B, N, D) @ (B, D, M) -> (B, N, M)."""
        if self.ndim != 3 or other.ndim != 3:
            raise RuntimeError(f"bmm: expected 3-D tensors, got shapes {tuple(self.shape)} and {tuple(other.shape)}")
        return self @ other

    def outer(self, other: Tensor) -> Tensor:
        """Outer product of two vectors: (N,) x (M,) -> (N, M)."""
        return self.unsqueeze(1) * _as_tensor(other).unsqueeze(0)

    def dot(self, other: Tensor) -> Tensor:
        """Dot product of two vectors: (D,) . (D,) -> ()."""
        if self.ndim != 1 or other.ndim != 1:
            raise RuntimeError(f"dot: expected two vectors, got shapes {tuple(self.shape)} and {tuple(other.shape)}")
        return self @ other

    def neg(self) -> Tensor:
        """-self."""
        return -self

    # ---------------------------------------------------------------- comparisons (no gradient)
    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _compare(np.equal, self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _compare(np.not_equal, self, other)

    def __lt__(self, other: Any) -> Tensor:
        return _compare(np.less, self, other)

    def __le__(self, other: Any) -> Tensor:
        return _compare(np.less_equal, self, other)

    def __gt__(self, other: Any) -> Tensor:
        return _compare(np.greater, self, other)

    def __ge__(self, other: Any) -> Tensor:
        return _compare(np.greater_equal, self, other)

    def __and__(self, other: Any) -> Tensor:
        return _compare(np.bitwise_and, self, other)

    def __or__(self, other: Any) -> Tensor:
        return _compare(np.bitwise_or, self, other)

    def __xor__(self, other: Any) -> Tensor:
        return _compare(np.bitwise_xor, self, other)

    def __invert__(self) -> Tensor:
        return Tensor._make(np.invert(self._data))

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    def equal(self, other: Tensor) -> builtins.bool:
        """True when both tensors have the same shape and values."""
        return self._data.shape == other._data.shape and builtins.bool(np.array_equal(self._data, other._data))

    def allclose(self, other: Any, rtol: builtins.float = 1e-5, atol: builtins.float = 1e-8) -> builtins.bool:
        """True when all values are close: |a - b| <= atol + rtol * |b|."""
        return builtins.bool(np.allclose(self._data, _as_tensor(other)._data, rtol=rtol, atol=atol))

    def all(self, dim: builtins.int | None = None) -> Tensor:
        """True where all values are nonzero."""
        return Tensor._make(np.all(self._data, axis=_dims(dim, self.ndim)))

    def any(self, dim: builtins.int | None = None) -> Tensor:
        """True where any value is nonzero."""
        return Tensor._make(np.any(self._data, axis=_dims(dim, self.ndim)))

    def isnan(self) -> Tensor:
        """True where a value is NaN."""
        return Tensor._make(np.isnan(self._data))

    def sign(self) -> Tensor:
        """-1, 0 or 1 by sign (no gradient flows)."""
        return Tensor._make(np.sign(self._data))

    # ---------------------------------------------------------------- elementwise functions
    def exp(self) -> Tensor:
        """e ** self."""
        return ops.Exp.apply(_floating(self))

    def log(self) -> Tensor:
        """Natural logarithm."""
        return ops.Log.apply(_floating(self))

    def sin(self) -> Tensor:
        """Sine."""
        return ops.Sin.apply(_floating(self))

    def cos(self) -> Tensor:
        """Cosine."""
        return ops.Cos.apply(_floating(self))

    def tanh(self) -> Tensor:
        """Hyperbolic tangent."""
        return ops.Tanh.apply(_floating(self))

    def sigmoid(self) -> Tensor:
        """1 / (1 + exp(-self))."""
        return ops.Sigmoid.apply(_floating(self))

    def relu(self) -> Tensor:
        """max(self, 0)."""
        return ops.Relu.apply(self)

    def abs(self) -> Tensor:
        """|self|."""
        return ops.Abs.apply(self)

    def sqrt(self) -> Tensor:
        """self ** 0.5."""
        return _floating(self) ** 0.5

    def rsqrt(self) -> Tensor:
        """self ** -0.5."""
        return _floating(self) ** -0.5

    def square(self) -> Tensor:
        """self * self."""
        return self * self

    def log1p(self) -> Tensor:
        """log(1 + self)."""
        return (1 + _floating(self)).log()

    def reciprocal(self) -> Tensor:
        """1 / self."""
        return 1 / self

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
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

    def clamp_min(self, min: Any) -> Tensor:
        """clamp(min=min)."""
        return self.clamp(min=min)

    def clamp_max(self, max: Any) -> Tensor:
        """clamp(max=max)."""
        return self.clamp(max=max)

    def maximum(self, other: Any) -> Tensor:
        """Elementwise maximum of two tensors."""
        a, b = _coerce(self, _as_tensor(other))
        return ops.Maximum.apply(a, b)

    def minimum(self, other: Any) -> Tensor:
        """Elementwise minimum of two tensors."""
        return -((-self).maximum(-_as_tensor(other)))

    def where(self, condition: Any, other: Any) -> Tensor:
        """self where condition, else other."""
        return where(condition, self, other)

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        """self with ``value`` where mask is True."""
        return where(mask, _scalar_like(value, self) if not isinstance(value, Tensor) else value, self)

    def softmax(self, dim: builtins.int) -> Tensor:
        """exp(self) / exp(self).sum(dim), computed stably."""
        return self.log_softmax(dim).exp()

    def log_softmax(self, dim: builtins.int) -> Tensor:
        """self - logsumexp(self, dim), computed stably."""
        return ops.LogSoftmax.apply(_floating(self), _dim(dim, self.ndim))

    def logsumexp(self, dim: Any, keepdim: builtins.bool = False) -> Tensor:
        """log(exp(self).sum(dim)), computed stably."""
        peak = self.detach().amax(dim, keepdim=True)
        out = (self - peak).exp().sum(dim, keepdim=True).log() + peak
        return out if keepdim else out.squeeze(dim)

    # ---------------------------------------------------------------- reductions
    def sum(self, dim: Any = None, keepdim: builtins.bool = False, dtype: Any = None) -> Tensor:
        """Sum over ``dim`` (all dimensions by default)."""
        x = self if dtype is None else self.to(dtype)
        if x._data.dtype.kind == "b":
            x = x.long()
        return ops.Sum.apply(x, _dims(dim, self.ndim), keepdim)

    def mean(self, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
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
        self, dim: Any = None, unbiased: builtins.bool = True, keepdim: builtins.bool = False, correction: Any = None
    ) -> Tensor:
        """Variance over ``dim`` (divides by n - 1 unless unbiased=False)."""
        dims = _dims(dim, self.ndim)
        count = self._data.size if dims is None else math.prod(self._data.shape[d] for d in dims)
        correction = (1 if unbiased else 0) if correction is None else correction
        centered = self - self.mean(dims, keepdim=True)
        return (centered * centered).sum(dims, keepdim) / builtins.max(count - correction, 0)

    def std(
        self, dim: Any = None, unbiased: builtins.bool = True, keepdim: builtins.bool = False, correction: Any = None
    ) -> Tensor:
        """Standard deviation over ``dim``."""
        return self.var(dim, unbiased, keepdim, correction).sqrt()

    def norm(self, p: Any = 2, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """The p-norm (2 by default) over ``dim``."""
        if p == 2 or p == "fro":
            return (self * self).sum(dim, keepdim).sqrt()
        if p == 1:
            return self.abs().sum(dim, keepdim)
        return (self.abs() ** p).sum(dim, keepdim) ** (1 / p)

    def amax(self, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Largest value over ``dim`` (gradient shared between ties)."""
        return ops.Amax.apply(self, _dims(dim, self.ndim, empty_is_all=True), keepdim)

    def amin(self, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Smallest value over ``dim``."""
        return -((-self).amax(dim, keepdim))

    def max(self, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        """Largest value; with ``dim``, the tuple (values, indices) along it."""
        if isinstance(dim, Tensor):
            return self.maximum(dim)
        if dim is None:
            return self.amax()
        return self._select_along(np.argmax(self._data, axis=_dim(dim, self.ndim)), dim, keepdim)

    def min(self, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        """Smallest value; with ``dim``, the tuple (values, indices) along it."""
        if isinstance(dim, Tensor):
            return self.minimum(dim)
        if dim is None:
            return self.amin()
        return self._select_along(np.argmin(self._data, axis=_dim(dim, self.ndim)), dim, keepdim)

    def _select_along(self, indices: np.ndarray, dim: Any, keepdim: builtins.bool) -> MaxResult:
        d = _dim(dim, self.ndim)
        grids: list[Any] = list(np.indices(indices.shape, sparse=True))
        values = self[tuple(grids[:d] + [indices] + grids[d:])]
        result = MaxResult(values, Tensor._make(indices.astype(np.int64)))
        if keepdim:
            result = MaxResult(result.values.unsqueeze(d), result.indices.unsqueeze(d))
        return result

    def argmax(self, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Index of the largest value (of the flattened tensor when dim is None)."""
        return _arg_reduce(np.argmax, self, dim, keepdim)

    def argmin(self, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Index of the smallest value."""
        return _arg_reduce(np.argmin, self, dim, keepdim)

    # ---------------------------------------------------------------- shapes
    def reshape(self, *shape: Any) -> Tensor:
        """The same values with a new shape (one dimension may be -1)."""
        return ops.Reshape.apply(self, _size(shape))

    view = reshape

    def view_as(self, other: Tensor) -> Tensor:
        """Reshape to ``other``'s shape."""
        return self.reshape(other.shape)

    reshape_as = view_as

    def flatten(self, start_dim: builtins.int = 0, end_dim: builtins.int = -1) -> Tensor:
        """Merge dimensions start_dim..end_dim into one."""
        if self.ndim == 0:
            return self.reshape(1)
        start, end = _dim(start_dim, self.ndim), _dim(end_dim, self.ndim)
        shape = self._data.shape
        return self.reshape(shape[:start] + (-1,) + shape[end + 1 :])

    def unflatten(self, dim: builtins.int, sizes: Sequence[builtins.int]) -> Tensor:
        """Split dimension ``dim`` into ``sizes``."""
        d, shape = _dim(dim, self.ndim), self._data.shape
        return self.reshape(shape[:d] + tuple(sizes) + shape[d + 1 :])

    def squeeze(self, dim: Any = None) -> Tensor:
        """Remove dimensions of size 1 (only ``dim`` when given)."""
        shape = self._data.shape
        if dim is None:
            dims = {i for i, n in enumerate(shape) if n == 1}
        else:
            dims = {d for d in (_dims(dim, self.ndim) or ()) if shape[d] == 1}
        return self.reshape(tuple(n for i, n in enumerate(shape) if i not in dims))

    def unsqueeze(self, dim: builtins.int) -> Tensor:
        """Insert a dimension of size 1 at ``dim``."""
        d = _dim(dim, self.ndim + 1)
        shape = self._data.shape
        return self.reshape(shape[:d] + (1,) + shape[d:])

    def permute(self, *dims: Any) -> Tensor:
        """Reorder the dimensions: ``x.permute(2, 0, 1)``."""
        order = tuple(_dim(d, self.ndim) for d in _size(dims))
        if sorted(order) != list(range(self.ndim)):
            raise RuntimeError(
                f"permute: dims {list(_size(dims))} must be a reordering of 0..{self.ndim - 1} "
                f"for a tensor of shape {tuple(self.shape)}"
            )
        return ops.Permute.apply(self, order)

    def transpose(self, dim0: builtins.int, dim1: builtins.int) -> Tensor:
        """Swap two dimensions."""
        order = list(range(self.ndim))
        d0, d1 = _dim(dim0, self.ndim), _dim(dim1, self.ndim)
        order[d0], order[d1] = order[d1], order[d0]
        return ops.Permute.apply(self, tuple(order))

    def t(self) -> Tensor:
        """Transpose of a matrix (vectors are returned as they are)."""
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return self.T

    def expand(self, *sizes: Any) -> Tensor:
        """Broadcast to a larger shape without copying (-1 keeps a dimension)."""
        sizes = _size(sizes)
        lead = len(sizes) - self.ndim
        shape = tuple([self._data.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(sizes)])
        return ops.Expand.apply(self, shape)

    def expand_as(self, other: Tensor) -> Tensor:
        """Broadcast to ``other``'s shape."""
        return self.expand(other.shape)

    def repeat(self, *repeats: Any) -> Tensor:
        """Tile the tensor ``repeats[i]`` times along each dimension."""
        reps = _size(repeats)
        shape = (1,) * (len(reps) - self.ndim) + self._data.shape
        interleaved = tuple(v for n in shape for v in (1, n))
        target = tuple(v for r, n in zip(reps, shape) for v in (r, n))
        return self.reshape(interleaved).expand(target).reshape(tuple(r * n for r, n in zip(reps, shape)))

    def gather(self, dim: builtins.int, index: Tensor) -> Tensor:
        """Pick values along ``dim`` at ``index`` (out[i][j] = self[i][index[i][j]] for dim=1)."""
        d = _dim(dim, self.ndim)
        idx = index._data if isinstance(index, Tensor) else np.asarray(index)
        grids: list[Any] = list(np.indices(idx.shape, sparse=True))
        return self[tuple(grids[:d] + [idx] + grids[d + 1 :])]

    def index_select(self, dim: builtins.int, index: Tensor) -> Tensor:
        """Rows (or slices along ``dim``) at ``index``."""
        d = _dim(dim, self.ndim)
        return self[(slice(None),) * d + (_as_tensor(index)._data,)]

    def __getitem__(self, index: Any) -> Tensor:
        mask = index._data if isinstance(index, Tensor) else index
        if isinstance(mask, np.ndarray) and mask.dtype == np.bool_ and mask.ndim == 0:
            return self.unsqueeze(0)[np.flatnonzero(mask)]  # x[True]: a new dimension of size 1 (0 if False)
        index = _normalize_index(index)
        try:
            return ops.Index.apply(self, index)
        except IndexError as error:
            raise IndexError(f"{error} (indexing a tensor of shape {tuple(self.shape)})") from None

    # ---------------------------------------------------------------- in place
    def _records_inplace(self, other: Any = None) -> builtins.bool:
        """True when this in-place change must be recorded; raise when it is not allowed."""
        if not _grad.enabled:
            return False
        if self._requires_grad and self.grad_fn is None:
            raise RuntimeError(_LEAF_INPLACE)
        records = self._requires_grad or (isinstance(other, Tensor) and other._requires_grad)
        if records and self._is_view:
            raise RuntimeError(
                "an in-place change of a view (a slice, reshape or transpose of another tensor) "
                "cannot be recorded here; use an out-of-place operation (e.g. where/cat) or "
                "clone() the view first"
            )
        return records

    def _rebase(self, result: Tensor) -> Tensor:
        """Take ``result``'s values (in place) and its place in the graph."""
        self._write(result._data, "copy_")
        self.grad_fn, self._output_nr = result.grad_fn, result._output_nr
        self._requires_grad = result._requires_grad
        for saved in self.grad_fn._saved if self.grad_fn is not None else ():
            if isinstance(saved, engine._SavedOutput) and saved.data is result._data:
                # The node saved its output, which now lives in this tensor: a later
                # in-place change of this tensor must be detected at backward.
                saved.data, saved.version_counter = self._data, self._version_counter
                saved.version = self._version_counter[0]
        return self

    def _history(self) -> Tensor:
        """A copy of this tensor before an in-place change, still linked to the graph."""
        return Tensor._make(
            self._data.copy(), requires_grad=self._requires_grad, grad_fn=self.grad_fn, output_nr=self._output_nr
        )

    def _write(self, values: Any, name: str, index: Any = Ellipsis, casting: Any = "same_kind") -> None:
        try:
            if index is Ellipsis:
                np.copyto(self._data, values, casting=casting)
            else:
                self._data[index] = values
        except (TypeError, ValueError) as error:
            raise RuntimeError(_inplace_error(self, values, name, error)) from None
        self._version_counter[0] += 1

    def _inplace_binary(self, ufunc: Any, op: Callable[[Any, Any], Tensor], other: Any, name: str) -> Tensor:
        if self._records_inplace(other):
            return self._rebase(op(self._history(), other))
        values = other._data if isinstance(other, Tensor) else other
        try:
            ufunc(self._data, values, out=self._data, casting="same_kind")
        except (TypeError, ValueError) as error:
            raise RuntimeError(_inplace_error(self, values, name, error)) from None
        self._version_counter[0] += 1
        return self

    def add_(self, other: Any, alpha: Any = 1) -> Tensor:
        """self += alpha * other, in place."""
        return self._inplace_binary(np.add, operator.add, other if alpha == 1 else other * alpha, "add_")

    def sub_(self, other: Any, alpha: Any = 1) -> Tensor:
        """self -= alpha * other, in place."""
        return self._inplace_binary(np.subtract, operator.sub, other if alpha == 1 else other * alpha, "sub_")

    def mul_(self, other: Any) -> Tensor:
        """self *= other, in place."""
        return self._inplace_binary(np.multiply, operator.mul, other, "mul_")

    def div_(self, other: Any) -> Tensor:
        """self /= other, in place."""
        return self._inplace_binary(np.true_divide, operator.truediv, other, "div_")

    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_

    def copy_(self, src: Any) -> Tensor:
        """Overwrite the values with ``src`` (broadcast), in place."""
        src = _as_tensor(src)
        if self._records_inplace(src):
            everywhere = np.ones(self._data.shape, dtype=bool)
            return self._rebase(where(everywhere, src.to(self._data.dtype), self._history()))
        try:
            np.copyto(self._data, src._data, casting="unsafe")
        except ValueError as error:
            raise RuntimeError(_inplace_error(self, src._data, "copy_", error)) from None
        self._version_counter[0] += 1
        return self

    def fill_(self, value: Any) -> Tensor:
        """Set every value to ``value``, in place."""
        value = value.item() if isinstance(value, Tensor) else value
        if self._records_inplace():
            everywhere = np.ones(self._data.shape, dtype=bool)
            return self._rebase(where(everywhere, _scalar_like(value, self), self._history()))
        self._write(value, "fill_", casting="unsafe")
        return self

    def zero_(self) -> Tensor:
        """Set every value to 0, in place."""
        return self.fill_(0)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:
        """clamp, in place."""
        if self._records_inplace():
            return self._rebase(self._history().clamp(min, max))
        np.clip(self._data, min, max, out=self._data)
        self._version_counter[0] += 1
        return self

    def uniform_(self, a: builtins.float = 0.0, b: builtins.float = 1.0) -> Tensor:
        """Fill with uniform random values in [a, b), in place."""
        self._records_inplace()
        self._write(_random.generator.uniform(a, b, self._data.shape), "uniform_")
        return self

    def normal_(self, mean: builtins.float = 0.0, std: builtins.float = 1.0) -> Tensor:
        """Fill with normal random values, in place."""
        self._records_inplace()
        self._write(_random.generator.normal(mean, std, self._data.shape), "normal_")
        return self

    def __setitem__(self, index: Any, value: Any) -> None:
        index = _normalize_index(index)
        if self._records_inplace(value):
            value = _as_tensor(value).to(self._data.dtype)
            selected_shape = self._data[index].shape
            placed = ops.IndexAdd.apply(value.expand(selected_shape), index, self._data.shape)
            mask = np.zeros(self._data.shape, dtype=bool)
            mask[index] = True
            self._rebase(where(mask, placed, self._history()))
            return
        self._write(value._data if isinstance(value, Tensor) else value, "__setitem__", index)

    def _inplace_unary(self, op: Callable[[Tensor], Tensor]) -> Tensor:
        """Replace the values by ``op(self)`` in place (recorded when gradients are on)."""
        if self._records_inplace():
            return self._rebase(op(self._history()))
        self._write(op(self.detach())._data, "in-place op")
        return self

    def exp_(self) -> Tensor:
        """exp, in place."""
        return self._inplace_unary(Tensor.exp)

    def log_(self) -> Tensor:
        """log, in place."""
        return self._inplace_unary(Tensor.log)

    def sqrt_(self) -> Tensor:
        """sqrt, in place."""
        return self._inplace_unary(Tensor.sqrt)

    def abs_(self) -> Tensor:
        """abs, in place."""
        return self._inplace_unary(Tensor.abs)

    def neg_(self) -> Tensor:
        """Negate, in place."""
        return self._inplace_unary(Tensor.neg)

    def relu_(self) -> Tensor:
        """relu, in place."""
        return self._inplace_unary(Tensor.relu)

    def sigmoid_(self) -> Tensor:
        """sigmoid, in place."""
        return self._inplace_unary(Tensor.sigmoid)

    def tanh_(self) -> Tensor:
        """tanh, in place."""
        return self._inplace_unary(Tensor.tanh)

    def pow_(self, exponent: Any) -> Tensor:
        """self ** exponent, in place."""
        return self._inplace_unary(lambda x: x**exponent)

    # ---------------------------------------------------------------- splitting
    def chunk(self, chunks: builtins.int, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """Split into ``chunks`` nearly equal pieces along ``dim``."""
        size = -(-self._data.shape[_dim(dim, self.ndim)] // chunks)
        return self.split(size, dim)

    def split(self, split_size: Any, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """Pieces of ``split_size`` (or of the listed sizes) along ``dim``."""
        d = _dim(dim, self.ndim)
        length = self._data.shape[d]
        if isinstance(split_size, builtins.int):
            split_size = [builtins.min(split_size, length - start) for start in range(0, length, split_size)]
        if builtins.sum(split_size) != length:
            raise RuntimeError(f"split sizes {list(split_size)} must add up to {length}, the size of dimension {d}")
        starts = np.cumsum([0, *split_size[:-1]]).tolist()
        return tuple(self[(slice(None),) * d + (slice(a, a + n),)] for a, n in zip(starts, split_size))

    def unbind(self, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """The slices along ``dim``, with that dimension removed."""
        d = _dim(dim, self.ndim)
        return tuple(self[(slice(None),) * d + (i,)] for i in range(self._data.shape[d]))

    # ---------------------------------------------------------------- new tensors like this one
    def new_zeros(self, *size: Any, dtype: Any = None, requires_grad: builtins.bool = False) -> Tensor:
        """Zeros of ``size`` with this tensor's dtype."""
        return zeros(*size, dtype=dtype or self._data.dtype, requires_grad=requires_grad)

    def new_ones(self, *size: Any, dtype: Any = None, requires_grad: builtins.bool = False) -> Tensor:
        """Ones of ``size`` with this tensor's dtype."""
        return ones(*size, dtype=dtype or self._data.dtype, requires_grad=requires_grad)

    def new_tensor(self, data: Any, dtype: Any = None, requires_grad: builtins.bool = False) -> Tensor:
        """A new tensor from ``data`` with this tensor's dtype."""
        return tensor(data, dtype=dtype or self._data.dtype, requires_grad=requires_grad)


# --------------------------------------------------------------------------- helpers

_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}


def _result_dtype(a: Tensor, b: Tensor) -> np.dtype:
    """PyTorch's promotion: a higher category wins; 0-d tensors do not widen within one."""
    da, db = a._data.dtype, b._data.dtype
    rank_a, rank_b = _KIND_RANK[da.kind], _KIND_RANK[db.kind]
    if rank_a != rank_b:
        winner = da if rank_a > rank_b else db
        return _defaults.float_dtype if winner.kind == "f" and winner == np.float16 else winner
    if a._data.ndim == 0 and b._data.ndim > 0:
        return db
    if b._data.ndim == 0 and a._data.ndim > 0:
        return da
    return np.promote_types(da, db)


def _coerce(self: Tensor, other: Any, true_division: builtins.bool = False) -> tuple[Tensor, Any]:
    """The two operands of a binary op with PyTorch's dtype rules applied."""
    kind = self._data.dtype.kind
    if isinstance(other, Tensor):
        if other._data.dtype != self._data.dtype:
            common = _result_dtype(self, other)
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


def _dim(dim: Any, ndim: builtins.int) -> builtins.int:
    """A dimension index in range(ndim); negative counts from the end."""
    low, high = -builtins.max(ndim, 1), builtins.max(ndim, 1) - 1
    if not isinstance(dim, (builtins.int, np.integer)) or not low <= dim <= high:
        raise IndexError(f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})")
    return builtins.int(dim) % builtins.max(ndim, 1)


def _dims(dim: Any, ndim: builtins.int, empty_is_all: builtins.bool = False) -> tuple[builtins.int, ...] | None:
    if dim is None:
        return None
    if type(dim) is builtins.int and -ndim <= dim < ndim:
        return (dim % ndim,)  # the common case: one valid dimension
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    if not dims and empty_is_all:
        return None
    if ndim == 0:
        return None if all(d in (0, -1) for d in dims) else (_dim(dims[0], 0),)
    return tuple(sorted({_dim(d, ndim) for d in dims}))


def _size(args: Sequence[Any]) -> tuple[builtins.int, ...]:
    """``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` all mean the shape (2, 3)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list, Size)):
        args = args[0]
    try:
        return tuple([builtins.int(n) for n in args])
    except TypeError:
        raise TypeError(f"a shape must be a sequence of ints, got {tuple(args)!r}") from None


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


def _unwrap_nested(data: Any) -> Any:
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, (list, tuple)) and any(isinstance(x, (Tensor, list, tuple)) for x in data):
        return [_unwrap_nested(x) for x in data]
    return data


def _inplace_error(self: Tensor, values: Any, name: str, error: Exception) -> str:
    text = str(error)
    if "read-only" in text:
        return (
            f"{name}: this tensor is a broadcast (expanded) view whose elements share memory; "
            "clone() it before changing it in place"
        )
    if "cast" in text.lower():
        value_dtype = np.result_type(values)
        return (
            f"{name}: result type {value_dtype} can't be cast to the desired output type "
            f"{self.dtype.name} of this tensor; convert it first (e.g. x = x.float())"
        )
    return (
        f"{name}: the values of shape {np.shape(values)} cannot be written into a tensor of "
        f"shape {tuple(self.shape)} (they must broadcast to it)"
    )


class _PrintOptions:
    precision = 4


_print_options = _PrintOptions()


def set_printoptions(precision: builtins.int | None = None, **ignored: Any) -> None:
    """Digits printed after the decimal point (4 by default, as PyTorch)."""
    if precision is not None:
        _print_options.precision = precision


def _format_values(data: np.ndarray) -> str:
    """Values printed as PyTorch does: 4 decimals, or none when all are whole numbers."""
    flat = data.reshape(1) if data.ndim == 0 else data
    options: dict[str, Any] = {"separator": ", ", "prefix": "tensor(", "threshold": 1000, "edgeitems": 3}
    if data.dtype.kind == "f":
        finite = flat[np.isfinite(flat)]
        whole = finite.size == 0 or builtins.bool(np.all(finite == np.round(finite)))
        options.update(precision=_print_options.precision, floatmode="maxprec_equal" if whole else "fixed")
    if data.size == 0:
        return f"[], size={tuple(data.shape)}"
    text = np.array2string(flat, **options)
    return text[1:-1] if data.ndim == 0 else text


# ops builds on Tensor and the factories build tensors: both come after the class.
from . import ops  # noqa: E402
from .factories import _random, ones, tensor, zeros  # noqa: E402
