"""Shape and dimension helpers: ``f(2, 3)`` and ``f((2, 3))`` mean the same shape; ``dim=-1`` is the last."""

from __future__ import annotations

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
    return tuple(sorted({_dim(d, ndim) for d in dims}))


def _size(args: Sequence[Any]) -> tuple[int, ...]:
    """``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` all mean the shape (2, 3)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list, Size)):
        args = args[0]
    try:
        return tuple([int(n) for n in args])
    except TypeError:
        raise TypeError(f"a shape must be a sequence of ints, got {tuple(args)!r}") from None


def is_basic_index(index: Any) -> bool:
    """True for ints, slices, None and ``...``: an index that selects each position at most once."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, slice)) or p is None or p is Ellipsis for p in parts)
