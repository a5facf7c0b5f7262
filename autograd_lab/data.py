"""Offline datasets and the two helpers every training loop needs.

- ``make_moons``, ``make_circles``, ``make_spirals``: seeded 2-D toy problems.
- ``load_digits``: the real 8x8 handwritten digits (1797 images, 10 classes),
  shipped inside the package (``datasets/digits.npz``; source and license in
  ``datasets/NOTICE``).  Nothing is ever downloaded.
- ``train_test_split`` and ``minibatches``: for numpy arrays and tensors alike.

Every loader returns ``(X, y)``: X float32 of shape (n, features), y int64 of
shape (n,); ``as_tensors=True`` gives autograd_lab tensors instead.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from importlib import resources
from typing import Any

import numpy as np

from .factories import _random, from_numpy
from .tensor import Tensor


def _output(X: np.ndarray, y: np.ndarray, as_tensors: bool) -> tuple[Any, Any]:
    X, y = X.astype(np.float32, copy=False), y.astype(np.int64, copy=False)
    return (from_numpy(X), from_numpy(y)) if as_tensors else (X, y)


def _check_count(n_samples: Any, minimum: int = 1) -> None:
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < minimum:
        raise ValueError(f"n_samples must be an int >= {minimum}, got {n_samples!r}")


def _check_noise(noise: Any) -> float:
    if noise is None:
        return 0.0
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or noise < 0:
        raise ValueError(f"noise must be a standard deviation >= 0 (or None for none), got {noise!r}")
    return float(noise)


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(y))
    return X[order], y[order]


def make_moons(n_samples: int = 100, noise: float | None = 0.1, seed: int | None = 0, as_tensors: bool = False) -> Any:
    """Two interleaving half circles: X (n, 2) float32, y (n,) int64 in {0, 1}; Gaussian noise of std ``noise``."""
    _check_count(n_samples, 2)
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    angle_outer = np.linspace(0, np.pi, n_outer)
    angle_inner = np.linspace(0, np.pi, n_inner)
    outer = np.stack([np.cos(angle_outer), np.sin(angle_outer)], axis=1)
    inner = np.stack([1 - np.cos(angle_inner), 0.5 - np.sin(angle_inner)], axis=1)
    X = np.concatenate([outer, inner])
    y = np.concatenate([np.zeros(n_outer), np.ones(n_inner)])
    X = X + rng.normal(scale=noise, size=X.shape)
    return _output(*_shuffled(X, y, rng), as_tensors)


def make_circles(
    n_samples: int = 100, noise: float | None = 0.1, factor: float = 0.5, seed: int | None = 0, as_tensors: bool = False
) -> Any:
    """A small circle (class 1, radius ``factor``) inside a large one (class 0, radius 1): X (n, 2), y (n,)."""
    _check_count(n_samples, 2)
    if not 0 < factor < 1:
        raise ValueError(f"factor has to be between 0 and 1 (the inner circle's radius), got {factor}")
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    angle_outer = np.linspace(0, 2 * np.pi, n_outer, endpoint=False)
    angle_inner = np.linspace(0, 2 * np.pi, n_inner, endpoint=False)
    outer = np.stack([np.cos(angle_outer), np.sin(angle_outer)], axis=1)
    inner = factor * np.stack([np.cos(angle_inner), np.sin(angle_inner)], axis=1)
    X = np.concatenate([outer, inner])
    y = np.concatenate([np.zeros(n_outer), np.ones(n_inner)])
    X = X + rng.normal(scale=noise, size=X.shape)
    return _output(*_shuffled(X, y, rng), as_tensors)


def make_spirals(
    n_samples: int = 300, n_classes: int = 3, noise: float | None = 0.2, seed: int | None = 0, as_tensors: bool = False
) -> Any:
    """``n_classes`` interleaved spiral arms from the origin: X (n, 2), y (n,); noise jitters the angle (radians)."""
    _check_count(n_samples, 1)
    if isinstance(n_classes, bool) or not isinstance(n_classes, int) or not 1 <= n_classes <= n_samples:
        raise ValueError(f"n_classes must be an int between 1 and n_samples ({n_samples}), got {n_classes!r}")
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    points, labels = [], []
    for label in range(n_classes):
        count = n_samples // n_classes + (1 if label < n_samples % n_classes else 0)
        radius = np.linspace(0.0, 1.0, count)
        angle = np.linspace(label * 4.0, (label + 1) * 4.0, count) + rng.normal(scale=noise, size=count)
        points.append(np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1))
        labels.append(np.full(count, label))
    return _output(*_shuffled(np.concatenate(points), np.concatenate(labels), rng), as_tensors)


class _DigitsCache:
    images: np.ndarray | None = None
    labels: np.ndarray | None = None


_digits = _DigitsCache()


def load_digits(as_tensors: bool = False) -> Any:
    """The 8x8 handwritten digits: X (1797, 64) float32 with pixel values 0..16, y (1797,) int64 in 0..9.

    Row i is image i flattened row by row (``X[i].reshape(8, 8)`` shows it).
    The UCI "Optical Recognition of Handwritten Digits" test set (CC BY 4.0;
    see ``autograd_lab/datasets/NOTICE``).
    """
    if _digits.images is None:
        with resources.files("autograd_lab.datasets").joinpath("digits.npz").open("rb") as handle, np.load(handle) as f:
            _digits.images, _digits.labels = f["images"], f["labels"]
    assert _digits.images is not None and _digits.labels is not None
    return _output(_digits.images.astype(np.float32), _digits.labels.astype(np.int64), as_tensors)


# --------------------------------------------------------------------------- splitting and batching


def _length(X: Any, name: str) -> int:
    if isinstance(X, Tensor):
        if X.ndim == 0:
            raise ValueError(f"{name} must have at least one dimension (one row per sample), got a 0-d tensor")
        return int(X.shape[0])
    if isinstance(X, np.ndarray):
        if X.ndim == 0:
            raise ValueError(f"{name} must have at least one dimension (one row per sample), got a 0-d array")
        return len(X)
    raise TypeError(f"{name} must be a numpy array or an autograd_lab tensor, got {type(X).__name__}")


def _samples(X: Any, y: Any) -> int:
    n, m = _length(X, "X"), _length(y, "y")
    if n != m:
        raise ValueError(f"X and y must have the same number of samples (rows), got {n} and {m}")
    return n


def train_test_split(X: Any, y: Any, test_size: float | int = 0.25, seed: int | None = 0) -> tuple[Any, Any, Any, Any]:
    """Shuffle and split: X_train, X_test, y_train, y_test (test_size: a fraction in (0, 1) or a count)."""
    n = _samples(X, y)
    if isinstance(test_size, float) and 0.0 < test_size < 1.0:
        n_test = math.ceil(test_size * n)
    elif isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool) and 0 < test_size < n:
        n_test = int(test_size)
    else:
        raise ValueError(
            f"test_size must be a fraction in (0, 1) or a number of samples in 1..{n - 1}, got {test_size!r}"
        )
    if n_test >= n:
        raise ValueError(f"test_size={test_size!r} leaves no training samples out of {n}; use a smaller test_size")
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def minibatches(
    X: Any, y: Any, batch_size: int, shuffle: bool = True, seed: int | None = None, drop_last: bool = False
) -> Iterator[tuple[Any, Any]]:
    """Yield (xb, yb) batches of ``batch_size`` rows that cover the data once (an epoch).

    With ``shuffle`` the order is a random permutation, from ``seed`` when given,
    else from the generator that ``autograd_lab.manual_seed`` seeds.
    """
    n = _samples(X, y)
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    order = None
    if shuffle:
        rng = np.random.default_rng(seed) if seed is not None else _random.generator
        order = rng.permutation(n)
    stop = n - n % batch_size if drop_last else n
    return _batches(X, y, order, int(batch_size), stop)


def _batches(X: Any, y: Any, order: np.ndarray | None, batch_size: int, stop: int) -> Iterator[tuple[Any, Any]]:
    for start in range(0, stop, batch_size):
        index = slice(start, start + batch_size) if order is None else order[start : start + batch_size]
        yield X[index], y[index]
