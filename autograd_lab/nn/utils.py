"""Helpers for a model's parameters and their gradients (as ``torch.nn.utils``)."""

from __future__ import annotations

from collections.abc import Iterable

from ..functional import cat
from ..grad_mode import no_grad
from ..tensor import Tensor


def grad_norm_per_layer(named_parameters: Iterable[tuple[str, Tensor]]) -> dict[str, float]:
    """The 2-norm of each layer's gradient, all its parameters together, in model order.

    ``named_parameters`` is what ``model.named_parameters()`` gives; a layer is the
    name before the last dot (``"0.weight"`` and ``"0.bias"`` are layer ``"0"``).
    Parameters without a gradient are left out.
    """
    layers: dict[str, list[Tensor]] = {}
    for name, parameter in named_parameters:
        if parameter.grad is not None:
            layers.setdefault(name.rpartition(".")[0] or name, []).append(parameter.grad.reshape(-1))
    with no_grad():
        return {layer: float(cat(grads).norm().item()) for layer, grads in layers.items()}
