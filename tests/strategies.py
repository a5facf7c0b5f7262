"""Hypothesis strategies shared by the tests: shapes, broadcastable pairs, input arrays.

Values come from a numpy generator seeded by hypothesis, so every example is
reproducible and shrinks to a small shape.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

MAX_SIDE = 3


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1) -> st.SearchStrategy[tuple[int, ...]]:
    """Tensor shapes with small sides (gradcheck costs grow with the element count)."""
    return st.lists(st.integers(min_side, MAX_SIDE), min_size=min_dims, max_size=max_dims).map(tuple)


@st.composite
def broadcastable_pair(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Two shapes that broadcast together: the second drops leading dims or has 1s."""
    first = draw(shapes(min_dims=0, max_dims=3))
    keep = draw(st.integers(0, len(first)))
    second = list(first[len(first) - keep :])
    for i in range(len(second)):
        if draw(st.booleans()):
            second[i] = 1
    if draw(st.booleans()):
        return first, tuple(second)
    return tuple(second), first


@st.composite
def matmul_shapes(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Shape pairs numpy's matmul accepts: vectors, matrices and batches."""
    n, k, m, b = (draw(st.integers(1, MAX_SIDE)) for _ in range(4))
    kind = draw(st.sampled_from(["mm", "vm", "mv", "vv", "bmm", "bm", "mb"]))
    return {
        "mm": ((n, k), (k, m)),
        "vm": ((k,), (k, m)),
        "mv": ((n, k), (k,)),
        "vv": ((k,), (k,)),
        "bmm": ((b, n, k), (b, k, m)),
        "bm": ((b, n, k), (k, m)),
        "mb": ((n, k), (b, k, m)),
    }[kind]


seeds = st.integers(0, 2**32 - 1)


def array(seed: int, shape: tuple[int, ...], domain: str = "real") -> np.ndarray:
    """float64 values for an op's input; ``domain`` keeps them away from kinks and poles."""
    rng = np.random.default_rng(seed)
    values = rng.uniform(-2.0, 2.0, size=shape)
    if domain == "positive":
        values = np.abs(values) + 0.5
    elif domain == "nonzero":
        values = np.sign(values + 1e-12) * (np.abs(values) + 0.3)
    return np.asarray(values, dtype=np.float64)
