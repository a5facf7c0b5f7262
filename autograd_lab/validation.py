"""Checks on what a learner passes in: each raises the exception type PyTorch raises, with a message that helps.

numpy would otherwise answer with its own errors (``zero-size array to reduction
operation maximum``), accept what PyTorch refuses (a mask of the wrong length),
or warn where PyTorch is silent (``divide by zero encountered``).  The methods
of ``methods.py`` and the factories call these checks before they compute.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np


# numpy's RuntimeWarnings ("divide by zero encountered in log", "invalid value encountered in
# multiply") come from arithmetic that PyTorch does silently (log(0) = -inf, 0 * inf = nan).
# Raised inside this library they say nothing useful to the learner: they are not shown.
# (A learner's own numpy code keeps its warnings: the filter matches only this package.)
def quiet_numpy_warnings() -> None:
    """Hide numpy's "... encountered in ..." RuntimeWarnings raised inside this package (done at import)."""
    warnings.filterwarnings("ignore", message=".*encountered in", category=RuntimeWarning, module=r"autograd_lab(\.|$)")


quiet_numpy_warnings()

# PyTorch's names for the dtypes in its messages: "expected scalar type Float but found Double".
TYPE_NAMES = {
    "float16": "Half",
    "float32": "Float",
    "float64": "Double",
    "uint8": "Byte",
    "int8": "Char",
    "int16": "Short",
    "int32": "Int",
    "int64": "Long",
    "bool": "Bool",
}
# ... and their C names in others: "expected m1 and m2 to have the same dtype, but got: float != double".
C_NAMES = {
    "float16": "c10::Half",
    "float32": "float",
    "float64": "double",
    "uint8": "unsigned char",
    "int8": "signed char",
    "int16": "short int",
    "int32": "int",
    "int64": "long int",
    "bool": "bool",
}


def type_name(array: np.ndarray) -> str:
    """PyTorch's name for the array's dtype: Float, Long, ..."""
    return TYPE_NAMES.get(array.dtype.name, array.dtype.name)


def c_name(array: np.ndarray) -> str:
    """PyTorch's C name for the array's dtype: float, long int, ..."""
    return C_NAMES.get(array.dtype.name, array.dtype.name)


# --------------------------------------------------------------------------- creating tensors


def nested_error(data: Any) -> Exception:
    """Why nested lists do not make a tensor: a ragged row, a string, None, ... (as PyTorch says it)."""
    shape: list[int] = []
    first = data
    while _is_sequence(first):
        shape.append(len(first))
        if len(first) == 0:
            break
        first = first[0]

    def check(item: Any, dim: int) -> Exception | None:
        kind = type(item).__name__
        if dim == len(shape):
            if _is_sequence(item):
                return TypeError(f"expected a number at dim {dim}, got a {kind} (a list is one level too deep)")
            return element_error(item)
        if not _is_sequence(item):
            return TypeError(f"not a sequence: dim {dim} holds a {kind} where a sequence of {shape[dim]} was expected")
        if len(item) != shape[dim]:
            return ValueError(
                f"expected sequence of length {shape[dim]} at dim {dim} (got {len(item)}); "
                "every row of nested lists must have the same length"
            )
        for child in item:
            problem = check(child, dim + 1)
            if problem is not None:
                return problem
        return None

    return check(data, 0) or TypeError(f"could not make a tensor from {type(data).__name__}")


def _is_sequence(item: Any) -> bool:
    return isinstance(item, (list, tuple)) or (isinstance(item, np.ndarray) and item.ndim > 0)


def element_error(item: Any) -> Exception | None:
    """The error for one value that cannot be an element of a tensor (None when it can)."""
    if isinstance(item, (str, bytes)):
        return ValueError(f"too many dimensions '{type(item).__name__}': tensors hold numbers, not text")
    if isinstance(item, (bool, np.bool_, float, np.floating, np.integer)):
        return None
    if isinstance(item, int):
        if -(2**63) <= item < 2**63:
            return None
        return ValueError(f"Overflow when unpacking long long: {item} does not fit in int64")
    if np.ndim(item) == 0 and hasattr(item, "item"):  # a one-element tensor
        return None
    return RuntimeError(f"Could not infer dtype of {type(item).__name__}; tensors hold numbers (int, float, bool)")


def creation_shape(name: str, shape: Sequence[Any]) -> tuple[int, ...]:
    """A new tensor's shape: ints, none negative."""
    sizes = []
    for position, n in enumerate(shape):
        if isinstance(n, (bool, float, np.floating)) or not hasattr(n, "__index__"):
            raise TypeError(
                f"{name}(): argument 'size' must be tuple of ints, but found element of type "
                f"{type(n).__name__} at pos {position}"
            )
        sizes.append(int(n.__index__()))
    negative = [n for n in sizes if n < 0]
    if negative:
        raise RuntimeError(f"Trying to create tensor with negative dimension {negative[0]}: {sizes}")
    return tuple(sizes)


# --------------------------------------------------------------------------- indexing


def check_mask(mask: np.ndarray, shape: tuple[int, ...], first_dim: int) -> None:
    """A boolean mask must have the shape of the dimensions it indexes (PyTorch raises; numpy may not)."""
    covered = shape[first_dim : first_dim + mask.ndim]
    if len(covered) < mask.ndim:
        raise IndexError(f"too many indices for tensor of dimension {len(shape)} (a mask of shape {list(mask.shape)})")
    for j, (m, n) in enumerate(zip(mask.shape, covered)):
        if m != n:
            raise IndexError(
                f"The shape of the mask {list(mask.shape)} at index {j} does not match the shape of the indexed "
                f"tensor {list(shape)} at index {first_dim + j}"
            )


def index_dtype(name: str, index: np.ndarray, allowed: str = "int32/int64") -> None:
    """gather / index_select take integer indices."""
    if index.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{name}(): Expected dtype {allowed} for index, got {type_name(index)}; use index.long()")


def check_gather_index(shape: tuple[int, ...], dim: int, index: np.ndarray) -> None:
    """gather's index: integers, one dimension per input dimension, in range along ``dim``."""
    index_dtype("gather", index)
    if index.ndim != len(shape):
        raise RuntimeError(
            f"Index tensor must have the same number of dimensions as input tensor (index {index.ndim}-D, "
            f"input {len(shape)}-D)"
        )
    for d, (i, n) in enumerate(zip(index.shape, shape)):
        if d != dim and i > n:
            raise RuntimeError(
                f"Size does not match at dimension {d} expected index {list(index.shape)} to be no larger than "
                f"self {list(shape)} apart from dimension {dim}"
            )
    if index.size and (index.min() < -shape[dim] or index.max() >= shape[dim]):
        bad = index[(index < -shape[dim]) | (index >= shape[dim])].flat[0]
        raise RuntimeError(f"index {bad} is out of bounds for dimension {dim} with size {shape[dim]}")


# --------------------------------------------------------------------------- reductions


def empty_reduction(name: str, data: np.ndarray, dims: tuple[int, ...] | None, error: type[Exception]) -> None:
    """max/min/argmax of no elements: PyTorch asks for a dim (numpy fails with its own words)."""
    if dims is None:
        if data.size == 0:
            raise error(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0 (the tensor has no "
                "elements). Specify the reduction dim with the 'dim' argument."
            )
        return
    for d in dims:
        if data.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def degrees_of_freedom(name: str, count: int, correction: Any) -> None:
    """var/std with correction >= the number of values averaged: PyTorch warns (the result is nan or inf)."""
    if count - correction <= 0:
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor "
            "(input numel divided by output numel).",
            UserWarning,
            stacklevel=3,
        )


# --------------------------------------------------------------------------- autograd


def hook_result(hook: Any, grad: Any, result: Any) -> Any:
    """A hook may replace a gradient, but not change its shape or dtype (PyTorch raises)."""
    name = getattr(hook, "__name__", type(hook).__name__)
    if not hasattr(result, "_data"):
        raise TypeError(f"hook '{name}' returned a {type(result).__name__}; a hook returns a tensor or None")
    if result._data.shape != grad._data.shape:
        raise RuntimeError(
            f"hook '{name}' has changed the size of value: the gradient has shape {tuple(grad._data.shape)}, "
            f"the hook returned shape {tuple(result._data.shape)}"
        )
    if result._data.dtype != grad._data.dtype:
        raise RuntimeError(
            f"hook '{name}' has changed the type of value (was {type_name(grad._data)} got {type_name(result._data)})"
        )
    return result
