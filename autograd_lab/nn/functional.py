"""Layers and losses as plain functions (``torch.nn.functional``, usually imported as ``F``).

The losses are compositions of the library's primitives; cross-entropy is built
on the ``LogSoftmax`` primitive (stable for any logits) and the binary loss on a
softplus written with the max trick, so both stay finite for logits of +-1000.
``linear`` is the one primitive of its own here: ``x @ W.T + b`` as a single
graph node, a speed trick whose formulas and figure are in ``speedups.py``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..factories import _random
from ..function import Function
from ..speedups import evaluate, linear_forward, linear_grads
from ..tensor import Tensor

_REDUCTIONS = ("mean", "sum", "none")


# --------------------------------------------------------------------------- activations


def relu(input: Tensor) -> Tensor:
    """max(input, 0), elementwise."""
    return input.relu()


def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent, elementwise."""
    return input.tanh()


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + exp(-input)), elementwise."""
    return input.sigmoid()


def softmax(input: Tensor, dim: int) -> Tensor:
    """exp(input) / exp(input).sum(dim): probabilities along ``dim`` (computed stably)."""
    return input.softmax(dim)


def log_softmax(input: Tensor, dim: int) -> Tensor:
    """input - logsumexp(input, dim): log-probabilities along ``dim`` (the LogSoftmax primitive)."""
    return input.log_softmax(dim)


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
    return Linear.apply(input, weight, bias)


def _name(t: Tensor) -> str:
    return t.dtype.name


# --------------------------------------------------------------------------- dropout


def dropout(input: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Zero each value with probability p and scale the rest by 1/(1-p) (identity when not training)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    keep = _random.generator.random(input._data.shape) >= p
    scale = keep.astype(input._data.dtype) * np.asarray(1.0 / (1.0 - p), dtype=input._data.dtype)
    return input * Tensor._make(scale)


# --------------------------------------------------------------------------- losses


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction; use 'mean', 'sum' or 'none'")


def _reduce(losses: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses


def mse_loss(input: Tensor, target: Tensor, *, reduction: str = "mean") -> Tensor:
    """(input - target)**2, averaged (or summed) over every element."""
    _check_reduction(reduction)
    if input.shape != target.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
            "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size "
            "(e.g. target.reshape(input.shape) or input.squeeze(1)).",
            UserWarning,
            stacklevel=2,
        )
    diff = input - target
    return _reduce(diff * diff, reduction)


def nll_loss(input: Tensor, target: Tensor, *, reduction: str = "mean") -> Tensor:
    """-input[i, target[i]]: the negative log-likelihood of log-probabilities (N, C) for class indices (N,)."""
    _check_reduction(reduction)
    _check_logits(input)
    return _nll(input, _class_indices(target, input), reduction)


def _check_logits(input: Tensor) -> None:
    if input._data.ndim not in (1, 2):
        raise ValueError(
            f"Expected input of shape (N, C) or (C,), got {tuple(input.shape)}; reshape it to (N, C) first"
        )


class NllLoss(Function):
    """-sum(w[i] * input[i, y[i]]), over sum(w) for the mean;  dinput[i, y[i]] = -w[i] * grad (over sum(w))

    input (N, C) log-probabilities; labels (N,) class indices; weights (N,), each
    sample's weight (0 for an ignored target, whose label is any valid index), or None
    for all ones.  One node, as PyTorch's ``NllLossBackward``.
    """

    array_forward = True

    @staticmethod
    def forward(ctx: Any, input: Any, labels: Any, weights: Any, reduction: str) -> Any:
        index = (np.arange(labels.shape[0]), labels)
        picked = input[index]
        if weights is not None:
            picked = picked * weights
        total = labels.shape[0] if weights is None else weights.sum()
        if reduction == "mean":
            out = -picked.sum() / total if total else np.nan  # nothing counted: nan, as in PyTorch
            scale = -1.0 / total if total else np.nan
        else:
            out, scale = (-picked if reduction == "none" else -picked.sum()), -1.0
        ctx.index, ctx.shape = index, input.shape
        ctx.scale = scale if weights is None else weights * np.asarray(scale, dtype=input.dtype)
        return np.asarray(out, dtype=input.dtype)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Any:
        slopes = np.zeros(ctx.shape, dtype=grad._data.dtype)  # d(loss)/d(input): a constant, but where grad
        slopes[ctx.index] = ctx.scale  # enters -- so the backward is one Mul node, differentiable again
        if grad._data.ndim:  # reduction="none": one gradient per sample, for the row of its sample
            grad = grad.reshape(-1, 1)
        return grad * Tensor._make(slopes), None, None, None


def _nll(log_probs: Tensor, labels: np.ndarray, reduction: str) -> Tensor:
    """Each sample's negative log-probability of its class, reduced (arguments already checked)."""
    if labels.ndim:
        return NllLoss.apply(log_probs, labels, None, reduction)
    loss = NllLoss.apply(log_probs.unsqueeze(0), labels.reshape(1), None, reduction)  # one sample (C,)
    return loss.reshape(()) if reduction == "none" else loss


def _class_indices(target: Any, input: Tensor) -> np.ndarray:
    """The target's class indices as an int64 array, checked against the input's shape and classes."""
    labels = target._data if isinstance(target, Tensor) else np.asarray(target)
    if labels.dtype.kind not in "iu":
        raise RuntimeError(
            f"expected the target to hold class indices (an integer tensor) but got {labels.dtype}; "
            "use target.long(), or pass class probabilities with the same shape as the input"
        )
    expected = input._data.shape[:1] if input.ndim == 2 else ()
    if labels.shape != expected:
        raise ValueError(
            f"Expected target of shape {expected} for input of shape {tuple(input.shape)}, got {labels.shape}"
        )
    classes = input._data.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        bad = labels[(labels < 0) | (labels >= classes)].flat[0]
        raise IndexError(f"Target {bad} is out of bounds: class indices must be in 0..{classes - 1}")
    return labels


def cross_entropy(input: Tensor, target: Tensor, *, reduction: str = "mean") -> Tensor:
    """-log_softmax(input)[target]: logits (N, C) with class indices (N,) or class probabilities (N, C)."""
    _check_reduction(reduction)
    _check_logits(input)
    if isinstance(target, Tensor) and target._data.dtype.kind == "f":
        if target.shape != input.shape:
            raise ValueError(
                f"class probabilities as target must have the input's shape {tuple(input.shape)}, "
                f"got {tuple(target.shape)}"
            )
        return _reduce(-(input.log_softmax(-1) * target).sum(-1), reduction)
    labels = _class_indices(target, input)  # checked before any work is recorded
    return _nll(input.log_softmax(-1), labels, reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, *, reduction: str = "mean") -> Tensor:
    """softplus(x) - x*y = -[y log sigmoid(x) + (1-y) log(1 - sigmoid(x))], stable for any logit x."""
    _check_reduction(reduction)
    if input.shape != target.shape:
        raise ValueError(
            f"Target size ({target.shape}) must be the same as input size ({input.shape}); "
            "reshape one of them (e.g. logits.squeeze(1) or target.reshape(logits.shape))"
        )
    if target._data.dtype != input._data.dtype:
        target = target.to(input._data.dtype)
    return _reduce(_softplus(input) - input * target, reduction)


def _softplus(x: Tensor) -> Tensor:
    """log(1 + exp(x)) = m + log(exp(-m) + exp(x - m)) with m = max(x, 0) held constant (never overflows)."""
    peak = Tensor._make(np.maximum(x._data, 0))
    return ((x - peak).exp() + (-peak).exp()).log() + peak
