"""``autograd_lab.autograd``: Function, backward, grad and gradcheck (as ``torch.autograd``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..engine import run_backward
from ..grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from ..trace import trace_backward
from ..function import Function
from ..gradcheck import GradcheckError, gradcheck, gradgradcheck
from ..tensor import Tensor
from . import functional


def _as_list(x: Any) -> list[Any]:
    return [x] if isinstance(x, Tensor) or x is None else list(x)


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Any = None,
) -> None:
    """Accumulate into ``.grad`` the gradients of ``tensors`` with respect to the leaves."""
    tensors = _as_list(tensors)
    grads = _as_list(grad_tensors) if grad_tensors is not None else None
    ins = None if inputs is None else _as_list(inputs)
    run_backward(tensors, grads, retain_graph, create_graph, ins, allow_unused=True)


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """Return d(outputs)/d(inputs) without touching any ``.grad``."""
    outs = _as_list(outputs)
    ins: Sequence[Tensor] = _as_list(inputs)
    grads = _as_list(grad_outputs) if grad_outputs is not None else None
    return run_backward(outs, grads, retain_graph, create_graph, ins, allow_unused, accumulate=False)


__all__ = [
    "Function",
    "Variable",
    "functional",
    "GradcheckError",
    "backward",
    "enable_grad",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "is_grad_enabled",
    "no_grad",
    "once_differentiable",
    "set_grad_enabled",
    "trace_backward",
]


def Variable(data: Tensor, requires_grad: bool = False, volatile: bool = False) -> Tensor:  # noqa: N802
    """Old PyTorch wrapper, kept for old tutorials: returns the tensor itself."""
    if requires_grad:
        data.requires_grad_()
    return data


class once_differentiable:
    """Decorator for a backward that is not itself differentiable (accepted for PyTorch code)."""

    def __new__(cls, func: Any) -> Any:
        return func
