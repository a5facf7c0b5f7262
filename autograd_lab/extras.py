"""More of PyTorch's tensor API, for the code learners bring from elsewhere: sort, cumsum, flip, floor, ...

None of these is needed to see how autograd works, so none is a primitive:
each is a composition of the primitives (its gradient comes for free), a
``Function`` of ``fused.py``, or has no gradient at all (indices, counts, bools),
exactly as in PyTorch.  Added to ``Tensor`` at the end of this file.
"""

from __future__ import annotations

import builtins
import functools
import math
import operator
from collections import namedtuple
from typing import Any

import numpy as np

from . import fused, ops
from .inplace import InplaceMethods
from .methods import _add_to_tensor, _floating, _integer_division, where
from .names import rename
from .shapes import _dim, _dims
from .tensor import Tensor
from .validation import TYPE_NAMES

SortResult = namedtuple("SortResult", ["values", "indices"])
TopkResult = namedtuple("TopkResult", ["values", "indices"])


def _along(x: Tensor, indices: np.ndarray, d: int) -> Tensor:
    """x's values at ``indices`` along dimension d (the others in order): a differentiable gather."""
    grids: list[Any] = list(np.indices(indices.shape, sparse=True))
    return x[tuple(grids[:d] + [indices] + grids[d + 1 :])]


def _no_grad(x: Tensor, values: Any) -> Tensor:
    """A result with zero gradient, still in the graph when x is (as PyTorch's floor, round, sign, ...)."""
    out = Tensor._make(np.asarray(values))
    if x._requires_grad and out._data.dtype.kind == "f":
        out = x * 0 + out
    return out


class ExtraMethods(InplaceMethods):
    """Tensor methods beyond the course (added to ``Tensor`` below)."""

    # ---------------------------------------------------------------- ordering
    def sort(
        self: Tensor, dim: builtins.int = -1, descending: builtins.bool = False, stable: builtins.bool = False
    ) -> Any:
        """(values, indices) along ``dim``, ascending unless descending=True; gradients follow the values."""
        d = _dim(dim, self.ndim)
        if self.ndim == 0:
            return SortResult(rename(self * 1, "SortBackward0"), Tensor._make(np.zeros((), np.int64)))
        keys = self._data
        if descending:  # ties keep their order, as a stable ascending sort of the negated values does
            keys = -keys.astype(np.int64 if keys.dtype.kind in "bu" else keys.dtype)
        order = np.argsort(keys, axis=d, kind="stable")
        values = rename(_along(self, order, d), "SortBackward0")
        return SortResult(values, Tensor._make(order.astype(np.int64)))

    def argsort(
        self: Tensor, dim: builtins.int = -1, descending: builtins.bool = False, stable: bool = False
    ) -> Tensor:
        """The indices that sort ``dim``."""
        return self.sort(dim, descending).indices

    def topk(
        self: Tensor, k: builtins.int, dim: builtins.int = -1, largest: builtins.bool = True, sorted: bool = True
    ) -> Any:
        """The k largest (or smallest) values along ``dim`` and their indices."""
        d = _dim(dim, self.ndim)
        if not 0 <= k <= (self._data.shape[d] if self.ndim else 1):
            raise RuntimeError(f"selected index k out of range: k={k} for a dimension of size {self._data.shape[d]}")
        values, indices = self.sort(d, descending=largest)
        keep = (slice(None),) * d + (slice(0, k),)
        return TopkResult(rename(values[keep], "TopkBackward0"), indices[keep])

    def flip(self: Tensor, *dims: Any, **keywords: Any) -> Tensor:
        """The values in reverse order along ``dims`` (``flip(0)``, ``flip([0, 1])`` or ``flip(dims=[0])``)."""
        if "dims" in keywords:
            dims = (keywords.pop("dims"),)
        if keywords:
            raise TypeError(f"flip() got an unexpected keyword argument '{next(iter(keywords))}'")
        dims_ = dims[0] if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
        index: list[Any] = [slice(None)] * self.ndim
        for d in dims_:
            index[_dim(d, self.ndim)] = np.arange(self._data.shape[_dim(d, self.ndim)] - 1, -1, -1)
        out = self
        for i, part in enumerate(index):  # one dimension at a time (numpy would pair several index arrays)
            if not isinstance(part, slice):
                out = out[(slice(None),) * i + (part,)]
        return rename(out if out is not self else self * 1, "FlipBackward0")

    def roll(self: Tensor, shifts: Any, dims: Any = None) -> Tensor:
        """The values shifted cyclically along ``dims`` (the flattened tensor when dims is None)."""
        if dims is None:
            return self.flatten().roll(shifts, 0).reshape(self.shape)
        shifts_ = shifts if isinstance(shifts, (tuple, list)) else (shifts,)
        dims_ = dims if isinstance(dims, (tuple, list)) else (dims,)
        out = self
        for s, d in zip(shifts_, dims_):
            n = self._data.shape[_dim(d, self.ndim)]
            out = out[(slice(None),) * _dim(d, self.ndim) + ((np.arange(n) - s) % n,)]
        return rename(out, "RollBackward0")

    # ---------------------------------------------------------------- running and whole reductions
    def cumsum(self: Tensor, dim: builtins.int, dtype: Any = None) -> Tensor:
        """Running sums along ``dim``: out[i] = x[0] + ... + x[i]."""
        x = self if dtype is None else self.to(dtype)
        if x._data.dtype.kind in "bui":
            x = x.long()
        return fused.Cumsum.apply(x, _dim(dim, self.ndim))

    def cumprod(self: Tensor, dim: builtins.int) -> Tensor:
        """Running products along ``dim``."""
        d = _dim(dim, self.ndim)
        pieces = list(self.unbind(d))
        running = [pieces[0]]
        for piece in pieces[1:]:
            running.append(running[-1] * piece)
        return rename(ops.Cat.apply(d, *[p.unsqueeze(d) for p in running]), "CumprodBackward0")

    def prod(self: Tensor, dim: Any = None, keepdim: builtins.bool = False, dtype: Any = None) -> Tensor:
        """The product of the values (over ``dim``); its gradient is right at zeros too."""
        x = self if dtype is None else self.to(dtype)
        if x._data.dtype.kind == "b":
            x = x.long()
        if dim is None:
            flat = x.reshape(-1)
            out = (
                functools.reduce(operator.mul, flat.unbind(0))
                if flat.shape[0]
                else _no_grad(x, np.ones((), x._data.dtype))
            )
            return rename(out, "ProdBackward0")
        d = _dim(dim, self.ndim)
        out = functools.reduce(operator.mul, x.unbind(d))
        return rename(out.unsqueeze(d) if keepdim else out, "ProdBackward1")

    def diff(self: Tensor, n: builtins.int = 1, dim: builtins.int = -1) -> Tensor:
        """Differences of neighbours along ``dim`` (n times)."""
        d, out = _dim(dim, self.ndim), self
        for _ in range(n):
            size = out._data.shape[d]
            out = out[(slice(None),) * d + (slice(1, size),)] - out[(slice(None),) * d + (slice(0, size - 1),)]
        return out

    def median(self: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        """The lower median (of all values, or (values, indices) along ``dim``), as PyTorch defines it."""
        if dim is None:
            flat = self.reshape(-1).sort().values
            return rename(flat[(flat.shape[0] - 1) // 2], "MedianBackward0")
        d = _dim(dim, self.ndim)
        values, indices = self.sort(d)
        middle = (slice(None),) * d + ((self._data.shape[d] - 1) // 2,)
        result = SortResult(rename(values[middle], "MedianBackward1"), indices[middle])
        return SortResult(result.values.unsqueeze(d), result.indices.unsqueeze(d)) if keepdim else result

    # ---------------------------------------------------------------- matrices
    def tril(self: Tensor, diagonal: builtins.int = 0) -> Tensor:
        """The lower triangle (on and below ``diagonal``); zeros above."""
        keep = np.tril(np.ones(self._data.shape[-2:], dtype=bool), diagonal)
        return rename(where(Tensor._make(keep), self, 0), "TrilBackward0")

    def triu(self: Tensor, diagonal: builtins.int = 0) -> Tensor:
        """The upper triangle (on and above ``diagonal``); zeros below."""
        keep = np.triu(np.ones(self._data.shape[-2:], dtype=bool), diagonal)
        return rename(where(Tensor._make(keep), self, 0), "TriuBackward0")

    def diag(self: Tensor, diagonal: builtins.int = 0) -> Tensor:
        """A vector's diagonal matrix, or a matrix's diagonal as a vector."""
        if self.ndim == 1:
            n = self._data.shape[0] + builtins.abs(diagonal)
            rows = np.arange(self._data.shape[0]) + builtins.max(-diagonal, 0)
            cols = np.arange(self._data.shape[0]) + builtins.max(diagonal, 0)
            return rename(ops.IndexAdd.apply(self, (rows, cols), (n, n)), "DiagEmbedBackward0")
        if self.ndim != 2:
            raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {self.ndim}D")
        n, m = self._data.shape
        rows, cols = np.nonzero(np.eye(n, m, k=diagonal, dtype=bool))
        return rename(self[rows, cols], "DiagonalBackward0")

    def trace(self: Tensor) -> Tensor:
        """The sum of a matrix's diagonal."""
        if self.ndim != 2:
            raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {self.ndim}")
        return rename(self.diag().sum(), "TraceBackward0")

    # ---------------------------------------------------------------- elementwise
    def floor(self: Tensor) -> Tensor:
        """Round down (its gradient is 0)."""
        return rename(_no_grad(self, np.floor(self._data)), "FloorBackward0")

    def ceil(self: Tensor) -> Tensor:
        """Round up (its gradient is 0)."""
        return rename(_no_grad(self, np.ceil(self._data)), "CeilBackward0")

    def round(self: Tensor, decimals: builtins.int = 0) -> Tensor:
        """Round half to even, as PyTorch does (its gradient is 0)."""
        return rename(_no_grad(self, np.round(self._data, decimals)), "RoundBackward0")

    def trunc(self: Tensor) -> Tensor:
        """Round toward zero (its gradient is 0)."""
        return rename(_no_grad(self, np.trunc(self._data)), "TruncBackward0")

    def frac(self: Tensor) -> Tensor:
        """The fractional part: x - trunc(x)."""
        return self - self.trunc().detach()

    def log2(self: Tensor) -> Tensor:
        """Base-2 logarithm."""
        return rename(_floating(self).log() / math.log(2), "Log2Backward0")

    def log10(self: Tensor) -> Tensor:
        """Base-10 logarithm."""
        return rename(_floating(self).log() / math.log(10), "Log10Backward0")

    def exp2(self: Tensor) -> Tensor:
        """2 ** self."""
        return rename(2.0 ** _floating(self), "Exp2Backward0")

    def expm1(self: Tensor) -> Tensor:
        """exp(self) - 1."""
        return rename(_floating(self).exp() - 1, "Expm1Backward0")

    def tan(self: Tensor) -> Tensor:
        """Tangent."""
        x = _floating(self)
        return rename(x.sin() / x.cos(), "TanBackward0")

    def sinh(self: Tensor) -> Tensor:
        """Hyperbolic sine."""
        x = _floating(self)
        return rename((x.exp() - (-x).exp()) / 2, "SinhBackward0")

    def cosh(self: Tensor) -> Tensor:
        """Hyperbolic cosine."""
        x = _floating(self)
        return rename((x.exp() + (-x).exp()) / 2, "CoshBackward0")

    def lerp(self: Tensor, end: Tensor, weight: Any) -> Tensor:
        """self + weight * (end - self)."""
        return rename(self + (end - self) * weight, "LerpBackward0")

    def isinf(self: Tensor) -> Tensor:
        """True where a value is +-inf."""
        return Tensor._make(np.isinf(self._data))

    def isfinite(self: Tensor) -> Tensor:
        """True where a value is neither inf nor nan."""
        return Tensor._make(np.isfinite(self._data))

    def nan_to_num(self: Tensor, nan: builtins.float = 0.0, posinf: Any = None, neginf: Any = None) -> Tensor:
        """nan, inf and -inf replaced by finite numbers (the dtype's largest by default)."""
        clean = np.nan_to_num(self._data, nan=nan, posinf=posinf, neginf=neginf)
        return where(Tensor._make(np.isfinite(self._data)), self, Tensor._make(clean))

    def logical_not(self: Tensor) -> Tensor:
        """True where a value is 0 (False)."""
        return Tensor._make(np.logical_not(self._data))

    def logical_and(self: Tensor, other: Tensor) -> Tensor:
        """True where both are nonzero."""
        return Tensor._make(np.logical_and(self._data, other._data))

    def logical_or(self: Tensor, other: Tensor) -> Tensor:
        """True where either is nonzero."""
        return Tensor._make(np.logical_or(self._data, other._data))

    def isclose(self: Tensor, other: Tensor, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False) -> Tensor:
        """True where |self - other| <= atol + rtol * |other|."""
        return Tensor._make(np.isclose(self._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))

    # ---------------------------------------------------------------- selection and counting (no gradient)
    def nonzero(self: Tensor, *, as_tuple: builtins.bool = False) -> Any:
        """The indices of the nonzero values: (count, ndim), or one tensor per dimension with as_tuple=True."""
        found = np.nonzero(self._data)
        if as_tuple:
            return tuple(Tensor._make(i.astype(np.int64)) for i in found)
        return Tensor._make(np.stack(found, axis=1).astype(np.int64).reshape(-1, self.ndim))

    def count_nonzero(self: Tensor, dim: Any = None) -> Tensor:
        """How many values are nonzero (over ``dim``)."""
        return Tensor._make(np.asarray(np.count_nonzero(self._data, axis=_dims(dim, self.ndim)), dtype=np.int64))

    def masked_select(self: Tensor, mask: Tensor) -> Tensor:
        """The values where ``mask`` is True, as a vector."""
        return rename(self[mask.expand(self.shape) if mask.shape != self.shape else mask], "MaskedSelectBackward0")

    def unique(
        self: Tensor,
        sorted: builtins.bool = True,
        return_inverse: builtins.bool = False,
        return_counts: builtins.bool = False,
        dim: Any = None,
    ) -> Any:
        """The distinct values, sorted (with where each value went, and how often, when asked)."""
        values, inverse, counts = np.unique(self._data, return_inverse=True, return_counts=True, axis=dim)
        out: list[Tensor] = [Tensor._make(values)]
        if return_inverse:
            out.append(Tensor._make(inverse.reshape(self._data.shape if dim is None else -1).astype(np.int64)))
        if return_counts:
            out.append(Tensor._make(counts.astype(np.int64)))
        return out[0] if len(out) == 1 else tuple(out)

    def bincount(self: Tensor, weights: Tensor | None = None, minlength: builtins.int = 0) -> Tensor:
        """How often each non-negative integer appears (summed weights with ``weights``)."""
        if self.ndim != 1 or self._data.dtype.kind not in "iu":
            raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
        if self._data.size and self._data.min() < 0:
            raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
        w = None if weights is None else weights._data
        counts = np.bincount(self._data, weights=w, minlength=minlength)
        return Tensor._make(counts.astype(np.int64 if w is None else w.dtype if w.dtype.kind == "f" else np.float64))

    # ---------------------------------------------------------------- shapes
    def movedim(self: Tensor, source: Any, destination: Any) -> Tensor:
        """Move dimension(s) ``source`` to position(s) ``destination``."""
        sources = [_dim(d, self.ndim) for d in (source if isinstance(source, (tuple, list)) else [source])]
        targets = [
            _dim(d, self.ndim) for d in (destination if isinstance(destination, (tuple, list)) else [destination])
        ]
        order = [d for d in range(self.ndim) if d not in sources]
        for target, d in sorted(zip(targets, sources)):
            order.insert(target, d)
        return rename(self.permute(*order), "MovedimBackward0")

    def swapaxes(self: Tensor, axis0: builtins.int, axis1: builtins.int) -> Tensor:
        """Same as transpose."""
        return self.transpose(axis0, axis1)

    swapdims = swapaxes

    def narrow(self: Tensor, dim: builtins.int, start: builtins.int, length: builtins.int) -> Tensor:
        """``length`` values from ``start`` along ``dim`` (a view)."""
        d = _dim(dim, self.ndim)
        return self[(slice(None),) * d + (slice(start, start + length),)]

    def tile(self: Tensor, *dims: Any) -> Tensor:
        """Repeat the tensor along each dimension (as repeat, with missing leading counts taken as 1)."""
        reps = tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
        reps = (1,) * (self.ndim - len(reps)) + tuple(reps)
        return self.repeat(*reps)

    def repeat_interleave(self: Tensor, repeats: Any, dim: Any = None) -> Tensor:
        """Each value repeated ``repeats`` times, next to itself."""
        x = self.reshape(-1) if dim is None else self
        d = 0 if dim is None else _dim(dim, self.ndim)
        counts = repeats._data if isinstance(repeats, Tensor) else repeats
        index = np.repeat(np.arange(x._data.shape[d]), counts)
        return rename(x[(slice(None),) * d + (index,)], "IndexSelectBackward0")

    def nelement(self: Tensor) -> builtins.int:
        """Same as numel()."""
        return self._data.size

    @property
    def is_cuda(self: Tensor) -> builtins.bool:
        """Always False: autograd_lab computes on the CPU."""
        return False

    def new_full(self: Tensor, size: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
        """``fill_value`` everywhere, with this tensor's dtype."""
        array = np.full(tuple(size), fill_value, dtype=self._data.dtype if dtype is None else np.dtype(dtype))
        return Tensor._make(array).requires_grad_(requires_grad) if requires_grad else Tensor._make(array)

    def new_empty(self: Tensor, *size: Any, dtype: Any = None, requires_grad: builtins.bool = False) -> Tensor:
        """A new tensor of ``size`` (zeros here) with this tensor's dtype."""
        return self.new_zeros(*size, dtype=dtype, requires_grad=requires_grad)

    def fmod(self: Tensor, other: Any) -> Tensor:
        """The remainder of self / other with the sign of self (C's fmod; ``%`` takes other's sign)."""
        return _integer_division(np.fmod, self, other)

    def broadcast_to(self: Tensor, *size: Any) -> Tensor:
        """Same as expand."""
        return self.expand(*size)

    def type(self: Tensor, dtype: Any = None, non_blocking: builtins.bool = False) -> Any:
        """The type's name ("autograd_lab.FloatTensor") without ``dtype``; with it, a conversion."""
        if dtype is None:
            return f"autograd_lab.{TYPE_NAMES[self._data.dtype.name]}Tensor"
        if isinstance(dtype, str):
            name = dtype.rpartition(".")[2]
            names = {f"{n}Tensor": k for k, n in TYPE_NAMES.items()}
            if name not in names:
                raise ValueError(f"invalid type: '{dtype}'")
            dtype = np.dtype(names[name])
        return self.to(dtype)

    # ---------------------------------------------------------------- scatter
    def scatter_add(self: Tensor, dim: builtins.int, index: Tensor, src: Tensor) -> Tensor:
        """self with src's values added at ``index`` along ``dim`` (out[index[i][j]][j] += src[i][j] for dim=0)."""
        placed, _ = _scattered(self, "scatter_add", dim, index, src)
        return rename(self + placed, "ScatterAddBackward0")

    def scatter(self: Tensor, dim: builtins.int, index: Tensor, src: Any = None, value: Any = None) -> Tensor:
        """self with src's values (or ``value``) written at ``index`` along ``dim``."""
        if src is None:
            src = value
        if not isinstance(src, Tensor):
            src = Tensor._make(np.full(index._data.shape, src, dtype=self._data.dtype))
        placed, mask = _scattered(self, "scatter", dim, index, src)
        return rename(where(Tensor._make(mask), placed, self), "ScatterBackward0")

    def scatter_add_(self: Tensor, dim: builtins.int, index: Tensor, src: Tensor) -> Tensor:
        """scatter_add, in place."""
        return self._inplace_unary(lambda x: x.scatter_add(dim, index, src))

    def scatter_(self: Tensor, dim: builtins.int, index: Tensor, src: Any = None, value: Any = None) -> Tensor:
        """scatter, in place."""
        return self._inplace_unary(lambda x: x.scatter(dim, index, src, value))

    # ---------------------------------------------------------------- counting
    def histc(self: Tensor, bins: builtins.int = 100, min: builtins.float = 0, max: builtins.float = 0) -> Tensor:
        """How many values fall in each of ``bins`` equal bins between min and max (the data's range when equal)."""
        if self._data.dtype.kind != "f":
            raise NotImplementedError(
                f"\"histogram_cpu\" not implemented for '{TYPE_NAMES[self._data.dtype.name]}'; use x.float()"
            )
        low, high = builtins.float(min), builtins.float(max)
        if low == high and self._data.size:
            low, high = builtins.float(self._data.min()), builtins.float(self._data.max())
        if low == high:
            low, high = low - 1, high + 1
        if low > high:
            raise RuntimeError(f"torch.histogram(): min should not exceed max, but got min {low} max {high}")
        counts, _ = np.histogram(self._data, bins=bins, range=(low, high))
        return Tensor._make(counts.astype(self._data.dtype))

    def true_divide(self: Tensor, other: Any) -> Tensor:
        """self / other."""
        return self / other

    def floor_divide(self: Tensor, other: Any) -> Tensor:
        """self // other."""
        return self // other

    def remainder(self: Tensor, other: Any) -> Tensor:
        """self % other (the sign of other, as Python's %)."""
        return self % other

    def __reduce_ex__(self: Tensor, protocol: Any) -> Any:
        """Pickled (``save``) as its values and requires_grad: a loaded tensor is a new leaf."""
        return (_rebuild_tensor, (np.array(self._data, copy=True), self._requires_grad))


def _scattered(self: Tensor, name: str, dim: builtins.int, index: Tensor, src: Tensor) -> tuple[Tensor, np.ndarray]:
    """src's values placed at ``index`` along ``dim`` in zeros of self's shape, and where they went."""
    d = _dim(dim, self.ndim)
    idx = index._data
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index, got {TYPE_NAMES[idx.dtype.name]}")
    if src._data.dtype != self._data.dtype:
        raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype")
    if idx.ndim != self.ndim or src.ndim != self.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    for k, n in enumerate(idx.shape):
        if n > src._data.shape[k] or (k != d and n > self._data.shape[k]):
            raise RuntimeError(
                f"Expected index {list(idx.shape)} to be no larger than self {list(self.shape)} apart from "
                f"dimension {d} and to be no larger size than src {list(src.shape)}"
            )
    size = self._data.shape[d]
    if idx.size and (idx.min() < 0 or idx.max() >= size):
        bad = idx[(idx < 0) | (idx >= size)].flat[0]
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {size}")
    grids: list[Any] = list(np.indices(idx.shape, sparse=True))
    position = tuple(grids[:d] + [idx] + grids[d + 1 :])
    part = src if src._data.shape == idx.shape else src[tuple(slice(0, n) for n in idx.shape)]
    mask = np.zeros(self._data.shape, dtype=bool)
    mask[position] = True
    return ops.IndexAdd.apply(part, position, self._data.shape), mask


def _rebuild_tensor(values: np.ndarray, requires_grad: builtins.bool) -> Tensor:
    out = Tensor._make(values)
    return out.requires_grad_() if requires_grad else out


_add_to_tensor(ExtraMethods)
