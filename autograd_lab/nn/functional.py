"""Layers and losses as plain functions (``torch.nn.functional``, usually imported as ``F``).

The losses are compositions of the library's primitives; cross-entropy is built
on the ``LogSoftmax`` primitive (stable for any logits) and the binary loss on a
softplus written with the max trick, so both stay finite for logits of +-1000.
``linear`` is the one primitive of its own here: ``x @ W.T + b`` as a single
graph node, a speed trick whose formulas and figure are in ``speedups.py``.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ..factories import _random
from ..function import Function
from ..dtypes import result_type
from ..methods import where
from ..names import name_node_class, rename
from ..ops import unbroadcast
from ..speedups import evaluate, linear_forward, linear_grads, plain_class_targets
from ..tensor import Tensor
from ..validation import TYPE_NAMES

_REDUCTIONS = ("mean", "sum", "none")


# --------------------------------------------------------------------------- activations


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(input, 0), elementwise (in input itself with inplace=True)."""
    return input.relu_() if inplace else input.relu()


def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent, elementwise."""
    return input.tanh()


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + exp(-input)), elementwise."""
    return input.sigmoid()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """input where input > 0, else negative_slope * input."""
    if inplace:
        return input._inplace_unary(lambda x: leaky_relu(x, negative_slope))
    return where(input > 0, input, input * negative_slope)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """input where input > 0, else alpha * (exp(input) - 1)."""
    if inplace:
        return input._inplace_unary(lambda x: elu(x, alpha))
    return where(input > 0, input, (input.clamp(max=0.0).exp() - 1) * alpha)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta * input)) / beta; the input itself where beta * input > threshold."""
    scaled = input * beta
    return where(scaled > threshold, input, _softplus(scaled) / beta)


class Erf(Function):
    """erf(x) = 2/sqrt(pi) * integral of exp(-t**2) from 0 to x;  dx = grad * 2/sqrt(pi) * exp(-x**2)"""

    array_forward = True

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return _ERF(x).astype(x.dtype) if np.ndim(x) else np.asarray(math.erf(x), dtype=x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Any:
        (x,) = ctx.saved_tensors
        return grad * (-(x * x)).exp() * (2 / math.sqrt(math.pi))


_ERF = np.frompyfunc(math.erf, 1, 1)  # exact, element by element (numpy has no erf)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x), Phi the standard normal CDF; approximate="tanh" uses PyTorch's tanh formula."""
    if approximate == "tanh":
        inner = (input + 0.044715 * input * input * input) * math.sqrt(2 / math.pi)
        return 0.5 * input * (1 + inner.tanh())
    if approximate != "none":
        raise RuntimeError(f"approximate argument must be either none or tanh, got {approximate!r}")
    return input * 0.5 * (1 + Erf.apply(input * (1 / math.sqrt(2))))


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """input * sigmoid(input) (also called swish)."""
    if inplace:
        return input._inplace_unary(silu)
    return input * input.sigmoid()


def _softmax_dim(input: Tensor, dim: int | None, name: str, stacklevel: int) -> int:
    """``dim``, or PyTorch's old implicit choice (0 for 0-, 1- and 3-D input, else 1) with its warning."""
    if dim is not None:
        return dim
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as an argument.",
        UserWarning,
        stacklevel=stacklevel,
    )
    return 0 if input.ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """exp(input) / exp(input).sum(dim): probabilities along ``dim`` (computed stably)."""
    dim = _softmax_dim(input, dim, "softmax", _stacklevel)
    return (input if dtype is None else input.to(dtype)).softmax(dim)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """input - logsumexp(input, dim): log-probabilities along ``dim`` (the LogSoftmax primitive)."""
    dim = _softmax_dim(input, dim, "log_softmax", _stacklevel)
    return (input if dtype is None else input.to(dtype)).log_softmax(dim)


# --------------------------------------------------------------------------- linear


class Linear(Function):
    """x @ W.T + b;  dx = grad @ W,  dW = grad.T @ x,  db = grad summed over the batch

    Shapes: x (*, in), W (out, in), b (out,) -> (*, out).
    """

    array_forward = True

    @staticmethod
    def shape_error(x: Any, weight: Any, bias: Any) -> str:
        out_features, in_features = np.shape(weight)
        if bias is not None and np.shape(bias) != (out_features,):
            return f"linear: the bias has shape {tuple(np.shape(bias))}; it must be ({out_features},), one per output"
        return (
            f"linear: input of shape {tuple(np.shape(x))} does not fit a weight of shape {tuple(np.shape(weight))}: "
            f"the input's last dimension must be in_features = {in_features}"
        )

    @staticmethod
    def forward(ctx: Any, x: Any, weight: Any, bias: Any) -> Any:
        ctx.save_for_backward(x, weight)
        return linear_forward(x, weight, bias)

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        x, weight = ctx.saved_tensors
        return evaluate(linear_grads, grad, x, weight, ctx.needs_input_grad)  # on the arrays unless create_graph


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """input @ weight.T + bias:  (*, in) with (out, in) and (out,) -> (*, out)."""
    dtype = input._data.dtype
    if weight._data.dtype != dtype or (bias is not None and bias._data.dtype != dtype):
        raise RuntimeError(
            f"linear: the input is {_name(input)} but the weight is {_name(weight)}; they must have the same "
            "dtype. Convert the input (x.float()) or the layer (layer.double())."
        )
    if input._data.ndim == 0:
        raise RuntimeError("linear: the input must have at least 1 dimension (in_features), got a 0-d tensor")
    if weight._data.ndim != 2:
        raise RuntimeError(
            f"linear: the weight must be a matrix (out_features, in_features), got shape {tuple(weight.shape)}"
        )
    out = Linear.apply(input, weight, bias)  # PyTorch's node: addmm (x @ W.T + b), mm without b, a view around them
    return rename(
        out, "ViewBackward0" if input._data.ndim != 2 else "AddmmBackward0" if bias is not None else "MmBackward0"
    )


def _name(t: Tensor) -> str:
    return t.dtype.name


# --------------------------------------------------------------------------- dropout


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each value with probability p and scale the rest by 1/(1-p) (identity when not training)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if inplace:
        return input._inplace_unary(lambda x: dropout(x, p, training))
    if p == 1.0:
        return input * 0.0
    keep = _random.generator.random(input._data.shape) >= p
    scale = keep.astype(input._data.dtype) * np.asarray(1.0 / (1.0 - p), dtype=input._data.dtype)
    return input * Tensor._make(scale)


# --------------------------------------------------------------------------- losses


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction; use 'mean', 'sum' or 'none'")


def _legacy_reduction(size_average: Any, reduce: Any, reduction: str) -> str:
    """PyTorch's old size_average/reduce flags, turned into ``reduction`` (with its deprecation warning)."""
    if size_average is None and reduce is None:
        _check_reduction(reduction)
        return reduction
    warnings.warn(
        "size_average and reduce args will be deprecated, please use reduction='mean', 'sum' or 'none' instead.",
        UserWarning,
        stacklevel=3,
    )
    if reduce is False:
        return "none"
    return "sum" if size_average is False else "mean"


def _reduce(losses: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses


def _check_tensor(value: Any, name: str, function: str, error: type[Exception] = TypeError) -> None:
    if not isinstance(value, Tensor):
        kind = type(value).__name__
        raise error(f"{function}(): argument '{name}' must be Tensor, not {kind}; wrap it: autograd_lab.tensor({name})")


class MseLoss(Function):
    """mean((input - target)**2);  dinput = 2 (input - target) grad / n,  dtarget = -dinput"""

    array_forward = True

    @staticmethod
    def forward(ctx: Any, input: Any, target: Any, reduction: str) -> Any:
        ctx.save_for_backward(input, target)
        ctx.reduction = reduction
        diff = input - target
        squared = diff * diff
        if reduction == "none":
            return squared
        total = squared.sum(dtype=squared.dtype)
        if reduction == "sum":
            return total
        with np.errstate(invalid="ignore"):  # no elements: 0/0 = nan, as in PyTorch
            return total / np.asarray(squared.size, dtype=squared.dtype)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Any:
        input, target = ctx.saved_tensors
        need_input, need_target, _ = ctx.needs_input_grad
        diff = input - target
        scale = 2.0 if ctx.reduction != "mean" else 2.0 / max(diff._data.size, 1)
        grad_diff = diff * (grad * scale)
        grad_input = unbroadcast(grad_diff, input.shape) if need_input else None
        grad_target = unbroadcast(-grad_diff, target.shape) if need_target else None
        return grad_input, grad_target, None


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """(input - target)**2, averaged (or summed) over every element."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_tensor(target, "target", "mse_loss", AttributeError)  # PyTorch's type here: it calls target.size()
    if input.shape != target.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
            "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size "
            "(e.g. target.reshape(input.shape) or input.squeeze(1)).",
            UserWarning,
            stacklevel=2,
        )
    if input._data.dtype.kind != "f" and target._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"mse_cpu\" not implemented for '{_type_name(input)}'; the predictions must be floats (input.float())"
        )
    if weight is not None:
        diff = input - target
        return _reduce(diff * diff * weight, reduction)
    input, target = _same_dtype(input, target)
    return MseLoss.apply(input, target, reduction)


def _same_dtype(input: Tensor, target: Tensor) -> tuple[Tensor, Tensor]:
    """input and target converted to their common dtype (as PyTorch promotes the operands of a loss)."""
    if input._data.dtype == target._data.dtype:
        return input, target
    common = result_type(input._data, target._data)
    return input.to(common), target.to(common)


def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """|input - target|, averaged (or summed) over every element."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_tensor(target, "target", "l1_loss", AttributeError)
    losses = (input - target).abs()
    return _reduce(losses if weight is None else losses * weight, reduction)


def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """0.5 d**2 / beta where |d| < beta, else |d| - 0.5 beta  (d = input - target)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    d = (input - target).abs()
    if beta == 0:
        return _reduce(d, reduction)
    return _reduce(where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta), reduction)


def huber_loss(
    input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0, weight: Tensor | None = None
) -> Tensor:
    """0.5 d**2 where |d| < delta, else delta (|d| - 0.5 delta)  (d = input - target)."""
    _check_reduction(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    d = (input - target).abs()
    losses = where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))
    return _reduce(losses if weight is None else losses * weight, reduction)


# ----------------------------------------------------------------- classification


class NllLoss(Function):
    """-w[y] * input[i, y] summed, over sum(w[y]) for the mean;  dinput[i, y] = -w[y] * grad (/ that sum)

    input (N, C) log-probabilities; labels (N,) class indices; weights (N,), each
    sample's class weight (0 for an ignored target, whose label is any valid index).
    """

    array_forward = True

    @staticmethod
    def forward(ctx: Any, input: Any, labels: Any, weights: Any, reduction: str) -> Any:
        rows = np.arange(labels.shape[0])
        picked = input[rows, labels]
        if reduction == "mean":
            total = weights.sum()
            weights = weights / total if total != 0 else np.zeros_like(weights)
            out = -(picked * weights).sum() if total != 0 else np.nan  # nothing counted: nan, as in PyTorch
        else:
            out = -(picked * weights) if reduction == "none" else -(picked * weights).sum()
        ctx.shape, ctx.index, ctx.scale = input.shape, (rows, labels), weights
        return np.asarray(out, dtype=input.dtype)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Any:
        slopes = np.zeros(ctx.shape, dtype=grad._data.dtype)  # d(loss)/d(input): a constant, but where grad
        slopes[ctx.index] = -ctx.scale  # enters -- so the backward is one Mul node, differentiable again
        return evaluate(NllLoss.grad_formula, grad, slopes), None, None, None

    @staticmethod
    def grad_formula(math: Any, grad: Any, slopes: np.ndarray) -> Any:
        """grad times the slopes; with reduction="none", each sample's gradient scales its own row"""
        return (grad.reshape(-1, 1) if grad.ndim else grad) * slopes


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """-input[i, target[i]]: the negative log-likelihood of log-probabilities (N, C) for class indices (N,)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_tensor(target, "target", "nll_loss")
    return _class_loss(input, target, weight, ignore_index, reduction, 0.0, log_probs=input)


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """-log_softmax(input)[target]: logits (N, C) with class indices (N,) or class probabilities (N, C).

    Class indices equal to ``ignore_index`` (-100 by default) count for nothing;
    ``label_smoothing`` mixes the target with the uniform distribution over the C classes.
    Logits may also be (C,) or (N, C, d1, ...), with targets (), (N, d1, ...) to match.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_tensor(target, "target", "cross_entropy_loss")
    if input._data.shape == target._data.shape:
        return _probability_loss(input, target, weight, reduction, label_smoothing, 1 if input.ndim >= 2 else 0)
    return _class_loss(input, target, weight, ignore_index, reduction, label_smoothing, log_probs=None)


def _classes_last(x: Tensor) -> Tensor:
    """(N, C, d1, ...) -> (N * d1 * ..., C): one row per prediction."""
    order = (0, *range(2, x.ndim), 1)
    return x.permute(order).reshape(-1, x.shape[1])


def _class_weight(weight: Tensor | None, classes: int, dtype: Any) -> np.ndarray | None:
    if weight is None:
        return None
    _check_tensor(weight, "weight", "cross_entropy_loss")
    if weight._data.shape != (classes,):
        raise RuntimeError(
            f"weight tensor should be defined either for all {classes} classes or no classes but got weight "
            f"tensor of shape: {list(weight._data.shape)}"
        )
    if weight._data.dtype != dtype:
        raise RuntimeError(f"expected scalar type {TYPE_NAMES[dtype.name]} but found {_type_name(weight)}")
    return weight._data


def _type_name(t: Tensor) -> str:
    """PyTorch's name for a dtype in its messages: Float, Long, ..."""
    return TYPE_NAMES[t._data.dtype.name]


def _class_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None,
    ignore_index: int,
    reduction: str,
    label_smoothing: float,
    log_probs: Tensor | None,
) -> Tensor:
    """The loss for class-index targets; ``log_probs`` given for nll_loss, computed here for cross_entropy."""
    ndim = input._data.ndim
    if ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    if ndim != 1:
        target_batch = target._data.shape[0] if target._data.ndim else 0
        if input._data.shape[0] != target_batch:
            raise ValueError(
                f"Expected input batch_size ({input._data.shape[0]}) to match target batch_size ({target_batch})."
            )
    if ndim <= 2 and target._data.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if ndim > 2 and target._data.shape != input._data.shape[:1] + input._data.shape[2:]:
        expected = list(input._data.shape[:1] + input._data.shape[2:])
        raise RuntimeError(f"Expected target size {expected}, got {list(target._data.shape)}")
    if target._data.dtype not in (np.int64, np.uint8):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {_type_name(target)}; class indices must be "
            "an int64 tensor (target.long()), or pass class probabilities with the input's shape"
        )
    classes = input._data.shape[1] if ndim >= 2 else input._data.shape[0]
    common = ndim == 2 and weight is None and not label_smoothing and reduction == "mean"
    if common and input._data.dtype.kind == "f" and plain_class_targets(target._data, classes, ignore_index):
        log_probs = input.log_softmax(1) if log_probs is None else log_probs  # same nodes, none of the masks below
        ones = np.ones(target._data.shape, dtype=input._data.dtype)
        return NllLoss.apply(log_probs, target._data.copy(), ones, reduction)
    labels = target._data.reshape(-1).astype(np.int64)
    ignored = labels == ignore_index
    bad = labels[~ignored & ((labels < 0) | (labels >= classes))]
    if bad.size:
        raise IndexError(f"Target {bad[0]} is out of bounds: class indices must be in 0..{classes - 1}.")
    class_weight = _class_weight(weight, classes, input._data.dtype)
    if log_probs is None:
        if input._data.dtype.kind != "f":
            raise NotImplementedError(
                f"\"log_softmax_lastdim_kernel_impl\" not implemented for '{_type_name(input)}'; "
                "the logits must be a float tensor (input.float())"
            )
        log_probs = input.log_softmax(1 if ndim >= 2 else 0)
    rows = log_probs.unsqueeze(0) if ndim == 1 else _classes_last(log_probs) if ndim > 2 else log_probs
    safe_labels = np.where(ignored, 0, labels)
    per_sample = np.ones(labels.shape, dtype=input._data.dtype) if class_weight is None else class_weight[safe_labels]
    per_sample = np.where(ignored, 0, per_sample).astype(input._data.dtype)
    loss = NllLoss.apply(rows, safe_labels, per_sample, reduction)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
        spread = rows if class_weight is None else rows * Tensor._make(class_weight)
        smooth = -spread.sum(1) * Tensor._make((~ignored).astype(input._data.dtype))
        if reduction == "mean":
            with np.errstate(divide="ignore", invalid="ignore"):
                smooth = smooth.sum() / Tensor._make(np.asarray(per_sample.sum(), dtype=input._data.dtype))
        elif reduction == "sum":
            smooth = smooth.sum()
        loss = (1 - label_smoothing) * loss + smooth * (label_smoothing / classes)
    if reduction == "none":
        return loss.reshape(target._data.shape)
    return loss


def _probability_loss(
    input: Tensor, target: Tensor, weight: Tensor | None, reduction: str, label_smoothing: float, class_dim: int
) -> Tensor:
    """Cross-entropy against class probabilities (the target has the input's shape)."""
    if target._data.dtype.kind != "f":
        raise RuntimeError(
            f"Expected floating point type for target with class probabilities, got {_type_name(target)}"
        )
    classes = input._data.shape[class_dim]
    class_weight = _class_weight(weight, classes, input._data.dtype)
    log_probs = input.log_softmax(class_dim)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
        target = target * (1 - label_smoothing) + label_smoothing / classes
    terms = log_probs * target
    if class_weight is not None:
        shape = [1] * input.ndim
        shape[class_dim] = classes
        terms = terms * Tensor._make(class_weight.reshape(shape))
    if reduction == "mean":
        return -terms.sum() / (input._data.size // classes if classes else 0)  # per prediction; 0/0 = nan
    if reduction == "sum":
        return -terms.sum()
    return -terms.sum(class_dim)


# ----------------------------------------------------------------- binary


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """softplus(x) - x*y = -[y log sigmoid(x) + (1-y) log(1 - sigmoid(x))], stable for any logit x.

    ``pos_weight`` multiplies the loss of the positive examples; ``weight`` every loss.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_tensor(target, "target", "binary_cross_entropy_with_logits")
    if input.shape != target.shape:
        raise ValueError(
            f"Target size ({target.shape}) must be the same as input size ({input.shape}); "
            "reshape one of them (e.g. logits.squeeze(1) or target.reshape(logits.shape))"
        )
    if input._data.dtype.kind == "f" and target._data.dtype.kind != "f":
        raise RuntimeError(
            f"result type {_type_name(input)} can't be cast to the desired output type {_type_name(target)}; "
            "the targets must be floats (target.float())"
        )
    input, target = _same_dtype(input, target)
    if pos_weight is None:
        losses = _softplus(input) - input * target
    else:  # (1 - y) x + (1 + (p - 1) y) softplus(-x)
        losses = (1 - target) * input + (1 + (pos_weight - 1) * target) * _softplus(-input)
    return _reduce(losses if weight is None else losses * weight, reduction)


def _softplus(x: Tensor) -> Tensor:
    """log(1 + exp(x)) = m + log(exp(-m) + exp(x - m)) with m = max(x, 0) held constant (never overflows)."""
    peak = Tensor._make(np.maximum(x._data, 0))
    return ((x - peak).exp() + (-peak).exp()).log() + peak


class BinaryCrossEntropy(Function):
    """-[y log x + (1-y) log(1-x)], each log at least -100;  dx = grad (x - y) / max(x (1-x), 1e-12)"""

    array_forward = True

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any) -> Any:
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore"):
            log_x, log_1mx = np.maximum(np.log(x), -100), np.maximum(np.log1p(-x), -100)
        return -(y * log_x + (1 - y) * log_1mx)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Any:
        x, y = ctx.saved_tensors
        need_x, need_y = ctx.needs_input_grad
        grad_x = grad_y = None
        if need_x:
            grad_x = grad * (x - y) / (x * (1 - x)).clamp(min=1e-12)
        if need_y:
            with np.errstate(divide="ignore"):
                log_odds = np.maximum(np.log1p(-x._data), -100) - np.maximum(np.log(x._data), -100)
            grad_y = grad * Tensor._make(log_odds.astype(x._data.dtype))
        return grad_x, grad_y


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """-[y log x + (1-y) log(1-x)] for probabilities x in [0, 1] (e.g. after a sigmoid); logs clamped at -100."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_tensor(target, "target", "binary_cross_entropy")
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size ({input.shape}) is "
            "deprecated. Please ensure they have the same size."
        )
    values = input._data
    if values.size and not ((values >= 0) & (values <= 1)).all():
        raise RuntimeError(
            "all elements of input should be between 0 and 1; binary_cross_entropy takes probabilities "
            "(apply sigmoid first, or use binary_cross_entropy_with_logits on the logits)"
        )
    if target._data.dtype != input._data.dtype:
        raise RuntimeError(
            f"Found dtype {_type_name(target)} but expected {_type_name(input)}; "
            f"the targets need the predictions' dtype (target.to(input.dtype))"
        )
    losses = BinaryCrossEntropy.apply(input, target)
    return _reduce(losses if weight is None else losses * weight, reduction)


# --------------------------------------------------------------------------- encodings


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Class indices (*) -> (*, num_classes) int64 with a 1 at each index (num_classes=-1: max + 1)."""
    if tensor._data.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    labels = tensor._data
    if num_classes == -1:
        if labels.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(labels.max()) + 1
    if labels.size and labels.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if labels.size and labels.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = np.zeros(labels.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, labels[..., None], 1, axis=-1)
    return Tensor._make(out)


for _primitive, _node_name in (
    (Erf, "ErfBackward0"),
    (MseLoss, "MseLossBackward0"),
    (NllLoss, "NllLossBackward0"),
    (BinaryCrossEntropy, "BinaryCrossEntropyBackward0"),
):
    name_node_class(_primitive, _node_name)
