"""One way to write numbers for people: the widgets, the plots and the exercise checks all use it.

The rule, like a textbook's:

- a whole number is written without decimals: ``4``, ``-16``, ``100``;
- any other number keeps up to four decimals, trailing zeros dropped:
  ``6.125``, ``0.0906``, ``-0.2369``, ``1.5``;
- very large or very small numbers use four significant digits:
  ``1.235e+06``, ``3.2e-05``;
- a fraction shown as a percentage keeps up to one decimal: ``100%``, ``87.5%``;
- a small array is written as a nested list with the same rule, a large one by
  its mean and range.

``number(0.1 + 0.2) == "0.3"``, ``percent(0.875) == "87.5%"``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .i18n import register, t

DECIMALS = 4  # decimals kept for ordinary numbers
LARGE = 1e6  # from here on: scientific notation
MAX_LIST = 6  # arrays with more elements are summarized

register(
    {
        "numfmt.summary": {
            "es": "media {mean}, de {low} a {high}",
            "en": "mean {mean}, from {low} to {high}",
        },
    }
)


def number(value: Any, decimals: int = DECIMALS) -> str:
    """A number as people read it: ``4``, ``6.125``, ``0.0906``, ``1.235e+06``, ``nan``."""
    x = float(value)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    rounded = round(x, decimals)
    if rounded == 0 and x != 0:
        return f"{x:.{decimals}g}"  # too small to show with `decimals` decimals
    if abs(rounded) >= LARGE:
        return f"{x:.{decimals}g}"
    if rounded == int(rounded):
        return str(int(rounded))  # also turns -0.0 into 0
    text = f"{rounded:.{decimals}f}".rstrip("0")
    return text


def percent(fraction: Any, decimals: int = 1) -> str:
    """A fraction (0.875) as a percentage: ``87.5%``; ``1.0`` -> ``100%``."""
    return f"{number(100 * float(fraction), decimals)}%"


def array(values: Any, max_items: int = MAX_LIST) -> str:
    """An array's numbers in one short string: the number, a nested list, or mean and range."""
    data = np.asarray(values)
    if data.dtype.kind not in "biuf":
        return str(data.dtype) if data.size > 1 else str(data.reshape(-1)[0] if data.size else "[]")
    if data.size == 1:
        return number(data.reshape(-1)[0])
    if data.size <= max_items:
        return _nested(data)
    as_float = data.astype(np.float64)
    return t(
        "numfmt.summary",
        mean=number(as_float.mean()),
        low=number(as_float.min()),
        high=number(as_float.max()),
    )


def _nested(data: np.ndarray) -> str:
    if data.ndim == 0:
        return number(data)
    return "[" + ", ".join(_nested(row) for row in data) + "]"
