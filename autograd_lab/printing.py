"""How a tensor prints: PyTorch's layout, 4 decimals (or none when all values are whole)."""

from __future__ import annotations

from typing import Any

import numpy as np


class _PrintOptions:
    precision = 4


_print_options = _PrintOptions()


def set_printoptions(precision: int | None = None, **ignored: Any) -> None:
    """Digits printed after the decimal point (4 by default, as PyTorch)."""
    if precision is not None:
        _print_options.precision = precision


def format_values(data: np.ndarray) -> str:
    """Values printed as PyTorch does: 4 decimals, or none when all are whole numbers."""
    flat = data.reshape(1) if data.ndim == 0 else data
    options: dict[str, Any] = {"separator": ", ", "prefix": "tensor(", "threshold": 1000, "edgeitems": 3}
    if data.dtype.kind == "f":
        finite = flat[np.isfinite(flat)]
        whole = finite.size == 0 or bool(np.all(finite == np.round(finite)))
        options.update(precision=_print_options.precision, floatmode="maxprec_equal" if whole else "fixed")
    if data.size == 0:
        return f"[], size={tuple(data.shape)}"
    text = np.array2string(flat, **options)
    return text[1:-1] if data.ndim == 0 else text
