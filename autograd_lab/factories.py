"""Functions that create tensors: ``tensor``, ``zeros``, ``randn``, ``arange``, ...

Random values come from one numpy generator, seeded with ``manual_seed``.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from .dtypes import _DTYPES, _check_device, _defaults, _numpy_dtype
from .shapes import _size
from .tensor import Tensor, _unwrap_nested


class _Random:
    generator = np.random.default_rng(67280421310721)


_random = _Random()


def manual_seed(seed: builtins.int) -> None:
    """Seed the random generator behind randn, rand, randint, dropout and init."""
    _random.generator = np.random.default_rng(seed)


def tensor(data: Any, dtype: Any = None, device: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """A new leaf tensor (a copy of ``data``): floats -> float32, ints -> int64."""
    _check_device(device)
    if isinstance(data, Tensor):
        array = np.array(data._data, copy=True)
    elif isinstance(data, (np.ndarray, np.generic)):
        array = np.array(data, copy=True)
    else:
        try:
            array = np.array(_unwrap_nested(data))
        except ValueError:
            raise ValueError("tensor(): the nested lists must be rectangular (every row the same length)") from None
        if array.dtype.kind not in "biuf":
            raise TypeError(f"tensor(): could not build a tensor from {type(data).__name__} values ({array.dtype})")
        if dtype is None and array.dtype.kind == "f":
            array = array.astype(_defaults.float_dtype)
        elif dtype is None and array.dtype.kind in "iu":
            array = array.astype(np.int64)
    if dtype is not None:
        array = array.astype(_numpy_dtype(dtype), copy=False)
    if array.dtype not in _DTYPES:
        array = array.astype(_defaults.float_dtype if array.dtype.kind == "f" else np.int64)
    out = Tensor._make(array)
    if requires_grad:
        out.requires_grad = True
    return out


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Like ``tensor`` but shares memory with a numpy array or tensor when possible."""
    if isinstance(data, Tensor) and dtype is None:
        return data
    if isinstance(data, np.ndarray) and (dtype is None or _numpy_dtype(dtype) == data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with a numpy array (keeps its dtype)."""
    if array.dtype not in _DTYPES:
        raise TypeError(f"from_numpy: dtype {array.dtype} is not supported")
    return Tensor._make(array)


def _new(array: np.ndarray, requires_grad: builtins.bool, device: Any = None) -> Tensor:
    _check_device(device)
    out = Tensor._make(array)
    if requires_grad:
        out.requires_grad = True
    return out


def _float_dtype(d: Any) -> np.dtype:
    return _defaults.float_dtype if d is None else _numpy_dtype(d)


def zeros(*size: Any, dtype: Any = None, device: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """A tensor of zeros: ``zeros(2, 3)``."""
    return _new(np.zeros(_size(size), dtype=_float_dtype(dtype)), requires_grad, device)


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """A tensor of ones: ``ones(2, 3)``."""
    return _new(np.ones(_size(size), dtype=_float_dtype(dtype)), requires_grad, device)


def empty(*size: Any, dtype: Any = None, device: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """A tensor of the given shape (filled with zeros here)."""
    return zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)


def full(
    size: Any, fill_value: Any, dtype: Any = None, device: Any = None, requires_grad: builtins.bool = False
) -> Tensor:
    """A tensor filled with ``fill_value`` (its dtype follows the value)."""
    if dtype is None:
        dtype = tensor(fill_value)._data.dtype
    return _new(np.full(_size((size,)), fill_value, dtype=_numpy_dtype(dtype)), requires_grad, device)


def zeros_like(input: Tensor, dtype: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """Zeros with the shape (and dtype) of ``input``."""
    return _new(np.zeros(input._data.shape, dtype=_numpy_dtype(dtype or input._data.dtype)), requires_grad)


def ones_like(input: Tensor, dtype: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """Ones with the shape (and dtype) of ``input``."""
    return _new(np.ones(input._data.shape, dtype=_numpy_dtype(dtype or input._data.dtype)), requires_grad)


def full_like(input: Tensor, fill_value: Any, dtype: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """``fill_value`` everywhere, with the shape of ``input``."""
    array = np.full(input._data.shape, fill_value, dtype=_numpy_dtype(dtype or input._data.dtype))
    return _new(array, requires_grad)


def arange(
    start: Any,
    end: Any = None,
    step: Any = 1,
    dtype: Any = None,
    device: Any = None,
    requires_grad: builtins.bool = False,
) -> Tensor:
    """start, start + step, ... up to (not including) end; int64 when all are ints."""
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if dtype is None:
        is_int = all(isinstance(v, (builtins.int, np.integer)) for v in values)
        dtype = np.int64 if is_int else _defaults.float_dtype
    return _new(np.arange(*values, dtype=_numpy_dtype(dtype)), requires_grad, device)


def linspace(
    start: builtins.float,
    end: builtins.float,
    steps: builtins.int,
    dtype: Any = None,
    device: Any = None,
    requires_grad: builtins.bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from start to end (both included)."""
    return _new(np.linspace(start, end, steps).astype(_float_dtype(dtype)), requires_grad, device)


def eye(
    n: builtins.int,
    m: builtins.int | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: builtins.bool = False,
) -> Tensor:
    """The identity matrix (n x m)."""
    return _new(np.eye(n, m, dtype=_float_dtype(dtype)), requires_grad, device)


def randn(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: builtins.bool = False, generator: Any = None
) -> Tensor:
    """Standard normal random values (mean 0, std 1)."""
    values = _random.generator.standard_normal(_size(size))
    return _new(values.astype(_float_dtype(dtype)), requires_grad, device)


def rand(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: builtins.bool = False, generator: Any = None
) -> Tensor:
    """Uniform random values in [0, 1)."""
    values = _random.generator.random(_size(size))
    return _new(values.astype(_float_dtype(dtype)), requires_grad, device)


def randint(
    low: builtins.int, high: Any = None, size: Any = None, dtype: Any = None, device: Any = None, generator: Any = None
) -> Tensor:
    """Random integers in [low, high): ``randint(0, 10, (3,))``."""
    if size is None:
        low, high, size = 0, low, high
    values = _random.generator.integers(low, high, _size((size,)))
    return _new(values.astype(_numpy_dtype(dtype or np.int64)), False, device)


def randperm(n: builtins.int, dtype: Any = None, device: Any = None, generator: Any = None) -> Tensor:
    """A random permutation of 0..n-1."""
    return _new(_random.generator.permutation(n).astype(_numpy_dtype(dtype or np.int64)), False, device)


def randn_like(input: Tensor, dtype: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """Normal random values with the shape of ``input``."""
    return randn(input._data.shape, dtype=dtype or input._data.dtype, requires_grad=requires_grad)


def rand_like(input: Tensor, dtype: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """Uniform random values with the shape of ``input``."""
    return rand(input._data.shape, dtype=dtype or input._data.dtype, requires_grad=requires_grad)
