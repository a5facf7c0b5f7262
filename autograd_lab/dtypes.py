"""Element types, the device and shapes: ``float32``, ``device("cpu")``, ``Size``."""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np


class dtype:
    """The type of a tensor's elements (``autograd_lab.float32``, ...)."""

    def __init__(self, name: str, numpy_dtype: Any) -> None:
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self.dtype = self.numpy  # lets numpy accept it: np.zeros(3, dtype=autograd_lab.float32)
        self.is_floating_point = self.numpy.kind == "f"
        self.itemsize = self.numpy.itemsize

    def __repr__(self) -> str:
        return f"autograd_lab.{self.name}"

    def __reduce__(self) -> str:
        return self.name


float16 = dtype("float16", np.float16)
float32 = dtype("float32", np.float32)
float64 = dtype("float64", np.float64)
uint8 = dtype("uint8", np.uint8)
int8 = dtype("int8", np.int8)
int16 = dtype("int16", np.int16)
int32 = dtype("int32", np.int32)
int64 = dtype("int64", np.int64)
bool_ = dtype("bool", np.bool_)
_DTYPES = {d.numpy: d for d in (float16, float32, float64, uint8, int8, int16, int32, int64, bool_)}
_ALIASES = {
    builtins.float: float64,
    builtins.int: int64,
    builtins.bool: bool_,
}


class _Defaults:
    float_dtype = np.dtype(np.float32)


_defaults = _Defaults()


def set_default_dtype(d: Any) -> None:
    """Make ``d`` (float32 or float64) the dtype of new float tensors."""
    numpy_dtype = _numpy_dtype(d)
    if numpy_dtype.kind != "f":
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _defaults.float_dtype = numpy_dtype


def get_default_dtype() -> dtype:
    """The dtype of new float tensors (float32 unless changed)."""
    return _DTYPES[_defaults.float_dtype]


def _numpy_dtype(d: Any) -> np.dtype:
    if isinstance(d, dtype):
        return d.numpy
    if isinstance(d, str):
        raise TypeError(f"argument 'dtype' must be autograd_lab.dtype, not str; use autograd_lab.{d}, not {d!r}")
    if d in _ALIASES:
        return _ALIASES[d].numpy
    try:
        numpy_dtype = np.dtype(d)
    except TypeError:
        raise TypeError(f"unknown dtype {d!r}; use e.g. autograd_lab.float32 or autograd_lab.int64") from None
    if numpy_dtype not in _DTYPES:
        raise TypeError(f"dtype {numpy_dtype} is not supported; use float32, float64, int64 or bool")
    return numpy_dtype


class finfo:
    """The limits of a float dtype, as PyTorch's ``finfo``: eps, max, min, tiny, resolution, bits."""

    def __init__(self, type: Any = None) -> None:
        numpy_dtype = _defaults.float_dtype if type is None else _numpy_dtype(_dtype_argument("finfo", type))
        if numpy_dtype.kind != "f":
            raise TypeError(f"finfo() requires a floating point dtype, got {numpy_dtype.name}; use iinfo for it")
        info = np.finfo(numpy_dtype)
        self.bits, self.dtype = int(info.bits), numpy_dtype.name
        self.eps, self.max, self.min = builtins.float(info.eps), builtins.float(info.max), builtins.float(info.min)
        self.tiny = self.smallest_normal = builtins.float(info.smallest_normal)
        self.resolution = builtins.float(info.resolution)

    def __repr__(self) -> str:
        return (
            f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
            f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})"
        )


class iinfo:
    """The limits of an integer dtype, as PyTorch's ``iinfo``: max, min, bits."""

    def __init__(self, type: Any) -> None:
        numpy_dtype = _numpy_dtype(_dtype_argument("iinfo", type))
        if numpy_dtype.kind == "b":
            raise TypeError("bool is not supported by iinfo")
        if numpy_dtype.kind not in "iu":
            raise TypeError(f"iinfo() requires an integer dtype, got {numpy_dtype.name}; use finfo for it")
        info = np.iinfo(numpy_dtype)
        self.bits, self.dtype, self.max, self.min = int(info.bits), numpy_dtype.name, int(info.max), int(info.min)

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


def _dtype_argument(name: str, value: Any) -> Any:
    if not isinstance(value, dtype):
        kind = type(value).__name__
        raise TypeError(f"{name}(): argument 'type' (position 1) must be autograd_lab.dtype, not {kind}")
    return value


class device:
    """Where a tensor lives: always the CPU here (``device("cpu")``)."""

    def __init__(self, type: Any = "cpu", index: builtins.int | None = None) -> None:
        _check_device(type)
        self.type = "cpu"

    def __repr__(self) -> str:
        return "device(type='cpu')"

    def __str__(self) -> str:
        return "cpu"

    def __eq__(self, other: object) -> builtins.bool:
        return str(other) == "cpu"

    def __hash__(self) -> builtins.int:
        return hash("cpu")


def _check_device(d: Any) -> None:
    if d is None or isinstance(d, device):
        return
    name = str(d).split(":")[0]
    if name != "cpu":
        raise RuntimeError(
            f"device '{d}' is not available: autograd_lab computes on the CPU only. Use device='cpu' (or leave it out)."
        )


_CPU = device("cpu")


class Size(tuple):
    """A tensor's shape: a tuple of ints that prints like ``autograd_lab.Size([2, 3])``."""

    def __repr__(self) -> str:
        return f"autograd_lab.Size({list(self)})"

    def numel(self) -> builtins.int:
        """Number of elements a tensor of this shape has."""
        return math.prod(self)


# --------------------------------------------------------------------------- promotion

_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}  # bool < integers < floats


def result_type(a: np.ndarray, b: np.ndarray) -> np.dtype:
    """The dtype of ``a op b``, as PyTorch promotes: a higher category wins; within one,
    a 0-d tensor does not widen a tensor with dimensions (``x_f32 * tensor(2.0, float64)`` is float32)."""
    da, db = a.dtype, b.dtype
    rank_a, rank_b = _KIND_RANK[da.kind], _KIND_RANK[db.kind]
    if rank_a != rank_b:
        return da if rank_a > rank_b else db
    if a.ndim == 0 and b.ndim > 0:
        return db
    if b.ndim == 0 and a.ndim > 0:
        return da
    return np.promote_types(da, db)
