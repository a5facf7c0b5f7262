"""``autograd_lab.linalg``: the norms of ``torch.linalg`` (on ``Tensor.norm``)."""

from __future__ import annotations

from typing import Any

from .tensor import Tensor


def vector_norm(x: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False) -> Tensor:
    """The ord-norm of the values (over ``dim``), as if flattened: 2 by default; inf, -inf and 0 too."""
    return x.norm(p=ord, dim=dim, keepdim=keepdim)


def norm(x: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False) -> Tensor:
    """The 2-norm of a vector, the Frobenius norm of a matrix (ord=None), or ``vector_norm`` with ``ord``."""
    if ord is not None and x.ndim == 2 and dim is None and ord not in ("fro", 2):
        raise NotImplementedError(f"linalg.norm: matrix norm with ord={ord!r} is not available; use ord=None")
    return x.norm(p=2 if ord is None or ord == "fro" else ord, dim=dim, keepdim=keepdim)
