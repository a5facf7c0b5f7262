"""Helpers for a model's parameters and their gradients (as ``torch.nn.utils``)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..functional import cat, stack
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


def clip_grad_norm_(
    parameters: Iterable[Tensor] | Tensor,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale the gradients, in place, so that their total norm is at most ``max_norm``; returns the norm before."""
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return Tensor._make(np.zeros((), dtype=np.float32))
    with no_grad():
        if norm_type == float("inf"):
            total = stack([g.abs().amax() for g in grads]).amax()
        else:
            total = stack([g.norm(p=norm_type) for g in grads]).norm(p=norm_type)
        if error_if_nonfinite and not np.isfinite(total._data):
            raise RuntimeError(
                f"The total norm of order {float(norm_type)} for gradients from `parameters` is non-finite, so it "
                "cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, "
                "set `error_if_nonfinite=False`"
            )
        scale = min(max_norm / (float(total) + 1e-6), 1.0)
        for g in grads:
            g._data *= np.asarray(scale, dtype=g._data.dtype)
            g._version_counter[0] += 1
    return total


def clip_grad_value_(parameters: Iterable[Tensor] | Tensor, clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient value, in place, to [-clip_value, clip_value]."""
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    for p in params:
        if p.grad is not None:
            np.clip(p.grad._data, -clip_value, clip_value, out=p.grad._data)
            p.grad._version_counter[0] += 1
