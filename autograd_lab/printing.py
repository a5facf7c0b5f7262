"""How a tensor prints: PyTorch's layout, character for character.

One width for every element (the widest finite one), 4 decimals, or none when
all values are whole (``tensor([1., 2.])``), scientific notation when the values
span more than three orders of magnitude; rows wrapped at 80 characters; more
than 1000 elements shown as the first and last three of each dimension.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


class _PrintOptions:
    precision = 4
    threshold = 1000
    edgeitems = 3
    linewidth = 80
    sci_mode: bool | None = None


_print_options = _PrintOptions()


def set_printoptions(
    precision: int | None = None,
    threshold: int | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    sci_mode: bool | None = None,
    **ignored: Any,
) -> None:
    """Digits after the decimal point (4), elements before summarizing (1000), and the rest as in PyTorch."""
    for name, value in (("precision", precision), ("threshold", threshold), ("edgeitems", edgeitems)):
        if value is not None:
            setattr(_print_options, name, value)
    if linewidth is not None:
        _print_options.linewidth = linewidth
    _print_options.sci_mode = sci_mode


class _Formatter:
    """Formats each element to one common width, choosing fixed, whole-number or scientific notation."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        flat = values.reshape(-1)
        if not self.floating:
            self.width = max([1] + [len(str(v)) for v in flat.tolist()])
            return
        finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if finite.size == 0:
            return
        magnitude = np.abs(finite)
        low, high = magnitude.min(), magnitude.max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        spread = high / low > 1000.0 or high > 1.0e8
        self.sci_mode = spread if self.int_mode else spread or low < 1.0e-4
        precision = _print_options.precision
        if self.sci_mode:
            texts = [f"{v:.{precision}e}" for v in finite.tolist()]
        elif self.int_mode:
            texts = [f"{v:.0f}." for v in finite.tolist()]
        else:
            texts = [f"{v:.{precision}f}" for v in finite.tolist()]
        self.width = max(len(t) for t in texts)
        if _print_options.sci_mode is not None:
            self.sci_mode = _print_options.sci_mode

    def format(self, value: Any) -> str:
        precision = _print_options.precision
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.width}.{precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{precision}f}"
        return " " * (self.width - len(text)) + text


def _summarized(data: np.ndarray) -> np.ndarray:
    """The elements a summarized print shows: the first and last ``edgeitems`` along each dimension."""
    edge = _print_options.edgeitems
    for axis, n in enumerate(data.shape):
        if n > 2 * edge:
            data = np.concatenate([data.take(range(edge), axis), data.take(range(n - edge, n), axis)], axis)
    return data


def _body(data: np.ndarray, formatter: _Formatter, indent: int, summarize: bool) -> str:
    edge = _print_options.edgeitems
    if data.ndim == 0:
        return formatter.format(data.item())
    if data.ndim == 1:
        values = data.tolist()
        if summarize and len(values) > 2 * edge:
            items = [formatter.format(v) for v in values[:edge]] + [" ..."]
            items += [formatter.format(v) for v in values[-edge:]]
        else:
            items = [formatter.format(v) for v in values]
        per_line = max(1, (_print_options.linewidth - indent) // (formatter.width + 2))
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = range(data.shape[0])
    if summarize and data.shape[0] > 2 * edge:
        parts = [_body(data[i], formatter, indent + 1, summarize) for i in rows[:edge]] + ["..."]
        parts += [_body(data[i], formatter, indent + 1, summarize) for i in rows[-edge:]]
    else:
        parts = [_body(data[i], formatter, indent + 1, summarize) for i in rows]
    return "[" + ("," + "\n" * (data.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def format_values(data: np.ndarray) -> str:
    """The values part of ``repr(tensor)``, as PyTorch prints it (``[1., 2.]``, ``[], size=(0, 3)``)."""
    if data.size == 0:
        return "[]" if data.ndim == 1 else f"[], size={tuple(data.shape)}"
    summarize = data.size > _print_options.threshold
    formatter = _Formatter(_summarized(data) if summarize else data)
    return _body(data, formatter, len("tensor("), summarize)
