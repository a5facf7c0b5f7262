"""The free functions of the namespace (``autograd_lab.exp(x)``, ``autograd_lab.cat(...)``).

Most are the tensor method of the same name; ``cat`` and ``stack`` join tensors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import ops
from .dtypes import result_type
from .methods import _as_tensor, where
from .shapes import _dim
from .tensor import Tensor


def _method(name: str, doc: str) -> Callable[..., Any]:
    """A function that calls ``input.<name>(...)``."""

    def function(input: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(_as_tensor(input), name)(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = doc
    return function


abs = _method("abs", "|input|, elementwise.")
exp = _method("exp", "e ** input, elementwise.")
log = _method("log", "Natural logarithm, elementwise.")
log1p = _method("log1p", "log(1 + input), elementwise.")
sqrt = _method("sqrt", "Square root, elementwise.")
square = _method("square", "input * input.")
sin = _method("sin", "Sine, elementwise.")
cos = _method("cos", "Cosine, elementwise.")
tanh = _method("tanh", "Hyperbolic tangent, elementwise.")
sigmoid = _method("sigmoid", "1 / (1 + exp(-input)), elementwise.")
relu = _method("relu", "max(input, 0), elementwise.")
neg = _method("neg", "-input.")
sign = _method("sign", "-1, 0 or 1 by sign (no gradient).")
clamp = _method("clamp", "Limit values to [min, max].")
clip = _method("clamp", "Limit values to [min, max] (same as clamp).")
maximum = _method("maximum", "Elementwise maximum of two tensors.")
minimum = _method("minimum", "Elementwise minimum of two tensors.")
pow = _method("pow", "input ** exponent.")
add = _method("add", "input + alpha * other.")
sub = _method("sub", "input - alpha * other.")
mul = _method("mul", "input * other.")
div = _method("div", "input / other.")
matmul = _method("matmul", "Matrix product: (N, D) @ (D, M) -> (N, M).")
mm = _method("mm", "Product of two matrices: (N, D) @ (D, M) -> (N, M).")
dot = _method("dot", "Dot product of two vectors.")
mv = _method("mv", "Matrix times vector: (N, D) @ (D,) -> (N,).")
bmm = _method("bmm", "Batched matrix product: (B, N, D) @ (B, D, M) -> (B, N, M).")
outer = _method("outer", "Outer product of two vectors: (N,) x (M,) -> (N, M).")
chunk = _method("chunk", "Split into nearly equal pieces along dim.")
split = _method("split", "Pieces of split_size along dim.")
unbind = _method("unbind", "The slices along dim, with that dimension removed.")
sum = _method("sum", "Sum over dim (all by default).")
mean = _method("mean", "Average over dim (all by default).")
var = _method("var", "Variance over dim.")
std = _method("std", "Standard deviation over dim.")
norm = _method("norm", "p-norm over dim.")
max = _method("max", "Largest value; with dim, (values, indices).")
min = _method("min", "Smallest value; with dim, (values, indices).")
amax = _method("amax", "Largest value over dim.")
amin = _method("amin", "Smallest value over dim.")
argmax = _method("argmax", "Index of the largest value.")
argmin = _method("argmin", "Index of the smallest value.")
logsumexp = _method("logsumexp", "log(sum(exp(input))) over dim, computed stably.")
softmax = _method("softmax", "exp(input) / exp(input).sum(dim), computed stably.")
log_softmax = _method("log_softmax", "input - logsumexp(input, dim), computed stably.")
reshape = _method("reshape", "The same values with a new shape.")
flatten = _method("flatten", "Merge dimensions start_dim..end_dim into one.")
squeeze = _method("squeeze", "Remove dimensions of size 1.")
unsqueeze = _method("unsqueeze", "Insert a dimension of size 1.")
transpose = _method("transpose", "Swap two dimensions.")
permute = _method("permute", "Reorder the dimensions.")
t = _method("t", "Transpose of a matrix.")
gather = _method("gather", "Pick values along dim at index.")
index_select = _method("index_select", "Slices along dim at index.")
isnan = _method("isnan", "True where a value is NaN.")
numel = _method("numel", "Number of elements.")
allclose = _method("allclose", "True when all values are close.")
equal = _method("equal", "True when shapes and values are equal.")
masked_fill = _method("masked_fill", "input with value where mask is True.")


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension: cat([(2, 3), (4, 3)]) -> (6, 3)."""
    tensors = [_as_tensor(t) for t in tensors]
    if not tensors:
        raise RuntimeError("cat(): expected a non-empty list of tensors")
    common = tensors[0]._data.dtype
    for other in tensors[1:]:
        common = result_type(np.empty(1, common), other._data)
    tensors = [t.to(common) for t in tensors]
    return ops.Cat.apply(_dim(dim, tensors[0].ndim), *tensors)


concat = concatenate = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join same-shaped tensors along a new dimension: stack([(3,), (3,)]) -> (2, 3)."""
    tensors = [_as_tensor(t) for t in tensors]
    if not tensors:
        raise RuntimeError("stack(): expected a non-empty list of tensors")
    shapes = {tuple(t.shape) for t in tensors}
    if len(shapes) > 1:
        raise RuntimeError(f"stack expects each tensor to be equal size, but got shapes {sorted(shapes)}")
    d = _dim(dim, tensors[0].ndim + 1)
    return cat([t.unsqueeze(d) for t in tensors], d)


def is_tensor(obj: Any) -> bool:
    """True for autograd_lab tensors."""
    return isinstance(obj, Tensor)


__all__ = [name for name in dir() if not name.startswith("_")] + ["where"]
