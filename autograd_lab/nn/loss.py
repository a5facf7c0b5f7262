"""Loss modules: each holds its ``reduction`` and calls the function of the same name in ``functional``."""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from .module import Module


class _Loss(Module):
    """A loss with a reduction: "mean" (default), "sum" or "none" (one loss per sample)."""

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        F._check_reduction(reduction)
        self.reduction = reduction


class MSELoss(_Loss):
    """Mean squared error: mean((input - target)**2)."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """input and target of the same shape -> a scalar (or per-element losses)."""
        return F.mse_loss(input, target, reduction=self.reduction)


class CrossEntropyLoss(_Loss):
    """-log softmax(logits)[target]: logits (N, C) with class indices (N,) in 0..C-1, or probabilities (N, C)."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """logits (N, C), target (N,) -> a scalar (or (N,) with reduction="none")."""
        return F.cross_entropy(input, target, reduction=self.reduction)


class NLLLoss(_Loss):
    """-input[target]: for log-probabilities (N, C) (e.g. from LogSoftmax) and class indices (N,)."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """log-probabilities (N, C), target (N,) -> a scalar (or (N,) with reduction="none")."""
        return F.nll_loss(input, target, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of sigmoid(input) against targets in [0, 1], computed stably from the logits."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """logits and targets of the same shape -> a scalar (or per-element losses)."""
        return F.binary_cross_entropy_with_logits(input, target, reduction=self.reduction)
