"""Functions that create tensors: ``tensor``, ``zeros``, ``randn``, ``arange``, ...

Random values come from one numpy generator, seeded with ``manual_seed``.
"""

from __future__ import annotations

import builtins
import warnings
from typing import Any

import numpy as np

from .dtypes import _DTYPES, Size, _check_device, _defaults, _numpy_dtype
from .tensor import Tensor, _unwrap_nested
from .validation import TYPE_NAMES, creation_shape, element_error, nested_error

_COPY_CONSTRUCT = (
    "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
    "sourceTensor.detach().clone().requires_grad_(True), rather than autograd_lab.tensor(sourceTensor)."
)


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
        warnings.warn(_COPY_CONSTRUCT, UserWarning, stacklevel=2)
        array = np.array(data._data, copy=True)
    elif isinstance(data, (np.ndarray, np.generic)):
        array = np.array(data, copy=True)
    else:
        if isinstance(data, (str, bytes)):
            raise TypeError(f"new(): invalid data type '{type(data).__name__}': tensors hold numbers, not text")
        try:
            array = np.array(_unwrap_nested(data))
        except (ValueError, TypeError, OverflowError):
            raise nested_error(data) from None
        if array.dtype.kind not in "biuf":
            raise nested_error(data) if np.ndim(array) else (element_error(data) or nested_error(data))
        if dtype is None and array.dtype.kind == "f" and not _has_float64_scalar(data):
            array = array.astype(_defaults.float_dtype)  # Python floats take the default dtype; numpy's keep theirs
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


def _has_float64_scalar(data: Any) -> builtins.bool:
    if isinstance(data, (list, tuple)):
        return builtins.any(_has_float64_scalar(item) for item in data)
    return isinstance(data, np.float64)


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


def _float_only(kernel: str, dtype: Any) -> None:
    """Random floats need a float dtype (PyTorch has no such kernel for integers)."""
    if dtype is not None and _numpy_dtype(dtype).kind != "f":
        name = TYPE_NAMES.get(_numpy_dtype(dtype).name, str(dtype))
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{name}'; random values need a float dtype")


def _shape(name: str, size: tuple[Any, ...]) -> tuple[builtins.int, ...]:
    """``f(2, 3)`` or ``f((2, 3))``: the shape of a new tensor, checked (ints, none negative)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list, Size)):
        size = tuple(size[0])
    return creation_shape(name, size)


def zeros(*size: Any, dtype: Any = None, device: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """A tensor of zeros: ``zeros(2, 3)``."""
    return _new(np.zeros(_shape("zeros", size), dtype=_float_dtype(dtype)), requires_grad, device)


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """A tensor of ones: ``ones(2, 3)``."""
    return _new(np.ones(_shape("ones", size), dtype=_float_dtype(dtype)), requires_grad, device)


def empty(*size: Any, dtype: Any = None, device: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """A tensor of the given shape (filled with zeros here)."""
    return zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)


def full(
    size: Any, fill_value: Any, dtype: Any = None, device: Any = None, requires_grad: builtins.bool = False
) -> Tensor:
    """A tensor filled with ``fill_value`` (its dtype follows the value)."""
    if dtype is None:
        dtype = tensor(fill_value)._data.dtype
    return _new(np.full(_shape("full", (size,)), fill_value, dtype=_numpy_dtype(dtype)), requires_grad, device)


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
    if values[2] == 0:
        raise RuntimeError("arange: step must be nonzero")
    if dtype is not None and _numpy_dtype(dtype).kind in "iu" and builtins.int(values[2]) == 0:
        raise ValueError(f"step must be nonzero: the step {values[2]} becomes 0 in an integer dtype")
    if (values[2] > 0 and values[1] < values[0]) or (values[2] < 0 and values[1] > values[0]):
        raise RuntimeError(
            f"arange: upper bound and lower bound inconsistent with step sign (start={values[0]}, end={values[1]}, "
            f"step={values[2]})"
        )
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
    if steps < 0:
        raise RuntimeError(f"linspace: number of steps must be non-negative, got {steps}")
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
    _float_only("normal_kernel_cpu", dtype)
    values = _random.generator.standard_normal(_shape("randn", size))
    return _new(values.astype(_float_dtype(dtype)), requires_grad, device)


def rand(
    *size: Any, dtype: Any = None, device: Any = None, requires_grad: builtins.bool = False, generator: Any = None
) -> Tensor:
    """Uniform random values in [0, 1)."""
    _float_only("check_uniform_bounds", dtype)
    values = _random.generator.random(_shape("rand", size))
    return _new(values.astype(_float_dtype(dtype)), requires_grad, device)


def randint(
    low: builtins.int, high: Any = None, size: Any = None, dtype: Any = None, device: Any = None, generator: Any = None
) -> Tensor:
    """Random integers in [low, high): ``randint(0, 10, (3,))``."""
    if size is None:
        low, high, size = 0, low, high
    shape = _shape("randint", (size,))
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    values = _random.generator.integers(low, high, shape)
    return _new(values.astype(_numpy_dtype(dtype or np.int64)), False, device)


def normal(
    mean: Any = 0.0,
    std: Any = 1.0,
    size: Any = None,
    *,
    generator: Any = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: builtins.bool = False,
) -> Tensor:
    """Normal random values: ``normal(0.0, 1.0, size=(2, 3))``, or one per element of tensor means/stds."""
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    if size is None and not tensors:
        raise TypeError("normal() received an invalid combination of arguments: give size=(...) or tensor mean/std")
    std_data = std._data if isinstance(std, Tensor) else np.asarray(std)
    if np.any(std_data < 0):
        which = "all elements of std" if isinstance(std, Tensor) else "std"
        raise RuntimeError(f"normal expects {which} >= 0.0, but found std {std_data.min()}")
    mean_data = mean._data if isinstance(mean, Tensor) else np.asarray(mean)
    if size is None:
        shape = np.broadcast_shapes(mean_data.shape, std_data.shape)
        float_dtype = np.result_type(*[t._data for t in tensors])
    else:
        shape = _shape("normal", (size,))
        float_dtype = _float_dtype(dtype)
    values = mean_data + std_data * _random.generator.standard_normal(shape)
    return _new(np.asarray(values, dtype=float_dtype), requires_grad, device)


def randperm(n: builtins.int, dtype: Any = None, device: Any = None, generator: Any = None) -> Tensor:
    """A random permutation of 0..n-1."""
    if n < 0:
        raise RuntimeError(f"randperm: n must be non-negative, got {n}")
    return _new(_random.generator.permutation(n).astype(_numpy_dtype(dtype or np.int64)), False, device)


def randn_like(input: Tensor, dtype: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """Normal random values with the shape of ``input``."""
    return randn(input._data.shape, dtype=dtype or input._data.dtype, requires_grad=requires_grad)


def rand_like(input: Tensor, dtype: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """Uniform random values with the shape of ``input``."""
    return rand(input._data.shape, dtype=dtype or input._data.dtype, requires_grad=requires_grad)
