"""The free functions of the namespace (``autograd_lab.exp(x)``, ``autograd_lab.cat(...)``).

Most are the tensor method of the same name; ``cat`` and ``stack`` join tensors.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import fused, ops
from .dtypes import result_type
from .methods import where
from .names import rename
from .shapes import _dim
from .tensor import Tensor


def _method(name: str, doc: str) -> Callable[..., Any]:
    """A function that calls ``input.<name>(...)``."""

    def function(input: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(input, Tensor):
            raise TypeError(
                f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}; "
                "make it a tensor first (autograd_lab.tensor(...))"
            )
        return getattr(input, name)(*args, **kwargs)

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
clone = _method("clone", "A copy with its own memory.")
detach = _method("detach", "The same values, cut from the graph.")
all = _method("all", "True where all values are nonzero.")
any = _method("any", "True where any value is nonzero.")
eq = _method("eq", "input == other, elementwise.")
ne = _method("ne", "input != other, elementwise.")
lt = _method("lt", "input < other, elementwise.")
le = _method("le", "input <= other, elementwise.")
gt = _method("gt", "input > other, elementwise.")
ge = _method("ge", "input >= other, elementwise.")
square = _method("square", "input ** 2.")
rsqrt = _method("rsqrt", "input ** -0.5.")
reciprocal = _method("reciprocal", "1 / input.")
clamp_min = _method("clamp_min", "clamp(input, min=min).")
clamp_max = _method("clamp_max", "clamp(input, max=max).")
sort = _method("sort", "(values, indices) sorted along dim.")
argsort = _method("argsort", "The indices that sort dim.")
topk = _method("topk", "The k largest values along dim, and their indices.")
cumsum = _method("cumsum", "Running sums along dim.")
cumprod = _method("cumprod", "Running products along dim.")
prod = _method("prod", "Product of the values (over dim).")
diff = _method("diff", "Differences of neighbours along dim.")
median = _method("median", "The lower median.")
flip = _method("flip", "The values in reverse order along dims.")
roll = _method("roll", "The values shifted cyclically.")
tril = _method("tril", "The lower triangle of a matrix.")
triu = _method("triu", "The upper triangle of a matrix.")
diag = _method("diag", "A vector's diagonal matrix, or a matrix's diagonal.")
trace = _method("trace", "The sum of a matrix's diagonal.")
floor = _method("floor", "Round down.")
ceil = _method("ceil", "Round up.")
round = _method("round", "Round half to even.")
trunc = _method("trunc", "Round toward zero.")
frac = _method("frac", "The fractional part.")
log2 = _method("log2", "Base-2 logarithm.")
log10 = _method("log10", "Base-10 logarithm.")
exp2 = _method("exp2", "2 ** input.")
expm1 = _method("expm1", "exp(input) - 1.")
tan = _method("tan", "Tangent.")
sinh = _method("sinh", "Hyperbolic sine.")
cosh = _method("cosh", "Hyperbolic cosine.")
lerp = _method("lerp", "input + weight * (end - input).")
isinf = _method("isinf", "True where a value is +-inf.")
isfinite = _method("isfinite", "True where a value is finite.")
isclose = _method("isclose", "True where two tensors are close.")
nan_to_num = _method("nan_to_num", "nan and infinities replaced by finite numbers.")
logical_not = _method("logical_not", "True where a value is 0.")
logical_and = _method("logical_and", "True where both are nonzero.")
logical_or = _method("logical_or", "True where either is nonzero.")
nonzero = _method("nonzero", "The indices of the nonzero values.")
count_nonzero = _method("count_nonzero", "How many values are nonzero.")
masked_select = _method("masked_select", "The values where mask is True, as a vector.")
unique = _method("unique", "The distinct values, sorted.")
bincount = _method("bincount", "How often each non-negative integer appears.")
movedim = _method("movedim", "Move dimensions to new positions.")
swapaxes = _method("swapaxes", "Swap two dimensions.")
narrow = _method("narrow", "A slice of length values along dim.")
tile = _method("tile", "Repeat the tensor along each dimension.")
repeat_interleave = _method("repeat_interleave", "Each value repeated next to itself.")
floor_divide = _method("floor_divide", "input // other.")
remainder = _method("remainder", "input % other.")
true_divide = _method("true_divide", "input / other.")
sign = _method("sign", "-1, 0 or 1 by sign.")
fmod = _method("fmod", "The remainder of input / other with the sign of input.")
broadcast_to = _method("broadcast_to", "Same as input.expand(size).")
histc = _method("histc", "A histogram: counts in equal bins between min and max.")
scatter_add = _method("scatter_add", "input with src added at index along dim.")
scatter = _method("scatter", "input with src written at index along dim.")
take = _method("take", "The values at index in the flattened input.")


def meshgrid(*tensors: Tensor, indexing: str | None = None) -> tuple[Tensor, ...]:
    """Coordinate grids from 1-D tensors: indexing="ij" (matrix, PyTorch's default) or "xy" (Cartesian)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn(
            "torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
            UserWarning,
            stacklevel=2,
        )
        indexing = "ij"
    shape = [t.shape[0] for t in tensors]
    if indexing == "xy" and len(shape) >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    grids = []
    for i, t in enumerate(tensors):
        position = {0: 1, 1: 0}.get(i, i) if indexing == "xy" and len(tensors) >= 2 else i
        view = [1] * len(tensors)
        view[position] = t.shape[0]
        grids.append(t.reshape(view).expand(shape))
    return tuple(grids)


def einsum(equation: str, *operands: Any) -> Tensor:
    """Products and sums named by letters: einsum("ij,jk->ik", a, b) is a @ b."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    return fused.Einsum.apply(equation, *operands)


def empty_like(input: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor with the shape of ``input`` (zeros here)."""
    return input.new_zeros(input.shape, dtype=dtype, requires_grad=requires_grad)


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension: cat([(2, 3), (4, 3)]) -> (6, 3)."""
    tensors = _tensor_sequence("cat", tensors)
    for position, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(
                f"zero-dimensional tensor (at position {position}) cannot be concatenated; use stack() to join "
                "scalars into a vector"
            )
    common = tensors[0]._data.dtype
    for other in tensors[1:]:
        common = result_type(np.empty(1, common), other._data)
    tensors = [t.to(common) for t in tensors]
    return ops.Cat.apply(_dim(dim, tensors[0].ndim), *tensors)


concat = concatenate = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join same-shaped tensors along a new dimension: stack([(3,), (3,)]) -> (2, 3)."""
    tensors = _tensor_sequence("stack", tensors)
    shapes = {tuple(t.shape) for t in tensors}
    if len(shapes) > 1:
        raise RuntimeError(f"stack expects each tensor to be equal size, but got shapes {sorted(shapes)}")
    d = _dim(dim, tensors[0].ndim + 1)
    return rename(cat([t.unsqueeze(d) for t in tensors], d), "StackBackward0")


def _tensor_sequence(name: str, tensors: Any) -> list[Tensor]:
    """cat and stack take a list or tuple of tensors, not empty."""
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not {type(tensors).__name__}; "
            f"pass a list: {name}([a, b])"
        )
    if not tensors:  # PyTorch's two types for the same mistake
        error = ValueError if name == "cat" else RuntimeError
        raise error(f"{name}(): expected a non-empty list of Tensors")
    for position, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {position} in argument 0, but got {type(t).__name__}")
    return list(tensors)


def is_tensor(obj: Any) -> bool:
    """True for autograd_lab tensors."""
    return isinstance(obj, Tensor)


__all__ = [name for name in dir() if not name.startswith("_")] + ["where"]
