"""Shape and dimension helpers: ``f(2, 3)`` and ``f((2, 3))`` mean the same shape; ``dim=-1`` is the last."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from .dtypes import Size


def _dim(dim: Any, ndim: int) -> int:
    """A dimension index in range(ndim); negative counts from the end."""
    low, high = -max(ndim, 1), max(ndim, 1) - 1
    if not isinstance(dim, (int, np.integer)) or not low <= dim <= high:
        raise IndexError(f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})")
    return int(dim) % max(ndim, 1)


def _dims(dim: Any, ndim: int, empty_is_all: bool = False) -> tuple[int, ...] | None:
    if dim is None:
        return None
    if type(dim) is int and -ndim <= dim < ndim:
        return (dim % ndim,)  # the common case: one valid dimension
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    if not dims and empty_is_all:
        return None
    if ndim == 0:
        return None if all(d in (0, -1) for d in dims) else (_dim(dims[0], 0),)
    resolved = [_dim(d, ndim) for d in dims]
    for d in resolved:
        if resolved.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return tuple(sorted(resolved))


def _size(args: Sequence[Any]) -> tuple[int, ...]:
    """``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` all mean the shape (2, 3)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list, Size)):
        args = args[0]
    try:
        return tuple([operator.index(n) for n in args])
    except TypeError:
        raise TypeError(f"a shape must be a sequence of ints, got {tuple(args)!r}") from None


def new_shape(data: np.ndarray, shape: tuple[int, ...]) -> tuple[int, ...]:
    """The shape a reshape/view asks for, checked as PyTorch checks it (one -1 at most, no other negative)."""
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred: at most one -1 in the new shape")
    for i, n in enumerate(shape):
        if n < -1:
            raise RuntimeError(f"invalid shape dimension {n} at index {i} of shape {list(shape)}")
    return shape


def can_view(data: np.ndarray, shape: tuple[int, ...]) -> bool:
    """True when ``data`` can take ``shape`` without a copy (the rule behind PyTorch's ``view``)."""
    try:
        np.reshape(data, shape, copy=False)
    except ValueError as error:
        return "copy" not in str(error)  # a size mismatch is reshape's error to report
    except TypeError:  # numpy before 2.1: no copy argument; setting the shape of a view refuses to copy
        view = data.view()
        try:
            view.shape = shape
        except AttributeError:
            return False
        except ValueError:
            return True
    return True


def is_basic_index(index: Any) -> bool:
    """True for ints, slices, None and ``...``: an index that selects each position at most once."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, slice)) or p is None or p is Ellipsis for p in parts)
