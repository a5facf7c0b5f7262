"""Matplotlib helpers: tangent line, loss curves, decision boundary, gradient norms per layer.

Each helper draws on an ``Axes`` it is given; figures are made with
``matplotlib.figure.Figure`` (not pyplot), so nothing global changes and they
work without a display.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import LogFormatterSciNotation

from .. import engine, numfmt
from ..i18n import t
from ..factories import tensor
from ..tensor import Tensor
from . import texts  # noqa: F401  (registers the viz.* texts)

Points = Sequence[tuple[float, float]]  # (step, value) pairs

_BLUE, _ORANGE, _GREEN, _RED = "#1d4ed8", "#ea580c", "#15803d", "#b91c1c"


def new_figure(
    columns: int = 1, width: float = 4.2, height: float = 3.0, wspace: float = 0.45
) -> tuple[Figure, list[Axes]]:
    """A figure with ``columns`` axes side by side, each ``width`` x ``height`` inches, on white.

    ``wspace``: the space between two axes, as a fraction of an axes' width.
    """
    # Fixed margins: an automatic layout would cost more than the drawing on every refresh.
    figure = Figure(figsize=(width * columns, height), dpi=96, facecolor="white")
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, columns, squeeze=False)[0]
    figure.subplots_adjust(left=0.7 / (width * columns), right=1 - 0.7 / (width * columns), bottom=0.16, top=0.88)
    figure.subplots_adjust(wspace=wspace)
    return figure, list(axes)


def figure_png(figure: Figure) -> bytes:
    """The figure as PNG bytes, with twice the pixels of its on-screen size (sharp on HiDPI screens)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=2 * 96)
    return buffer.getvalue()


def tangent_line(
    ax: Axes,
    xs: Sequence[float],
    ys: Sequence[float],
    x0: float,
    y0: float,
    slope: float,
    dx: float | None = None,
    y_moved: float | None = None,
    name: str = "x",
) -> None:
    """The curve (xs, ys), its tangent at x0 with ``slope``, and the real vs predicted change at x0 + dx."""
    xs_array = np.asarray(xs, dtype=float)
    ax.plot(xs_array, ys, color=_BLUE, label=t("viz.function"))
    ax.plot(xs_array, y0 + slope * (xs_array - x0), color=_ORANGE, linestyle="--", label=t("viz.tangent"))
    ax.plot([x0], [y0], "o", color="black")
    if dx is not None and y_moved is not None:
        predicted = y0 + slope * dx
        ax.axvline(x0 + dx, color="#9ca3af", linewidth=0.8, zorder=1)
        ax.plot(
            [x0 + dx, x0 + dx],
            [predicted, y_moved],
            color=_RED,
            linewidth=3.5,
            solid_capstyle="butt",
            marker="_",
            markersize=14,
            markeredgewidth=3,
            label=t("viz.gap"),
            zorder=4,
        )
        ax.plot([x0 + dx], [y_moved], "o", color=_BLUE, markersize=7, zorder=5)
        ax.plot([x0 + dx], [predicted], "o", color=_ORANGE, markersize=7, zorder=5)
    ax.set_xlabel(name)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8, framealpha=0.9)


def loss_curves(ax: Axes, loss: Points, accuracy: Points | None = None) -> None:
    """Loss per step (left axis) and, when given, accuracy per step (right axis)."""
    if loss:
        steps, values = zip(*loss)
        ax.plot(steps, values, color=_BLUE, label=t("viz.loss"))
    ax.set_xlabel(t("viz.steps"))
    ax.set_ylabel(t("viz.loss"), color=_BLUE)
    ax.grid(alpha=0.3)
    if accuracy:
        right = ax.twinx()
        steps, values = zip(*accuracy)
        right.plot(steps, values, color=_GREEN, label=t("viz.accuracy"))
        right.set_ylabel(t("viz.accuracy"), color=_GREEN)
        if all(0.0 <= value <= 1.0 for value in values):
            right.set_ylim(-0.02, 1.02)


def decision_boundary(
    ax: Axes,
    predict: Callable[[Tensor], Tensor],
    points: Any,
    labels: Any,
    resolution: int = 60,
) -> None:
    """Colour the plane by the class ``predict`` gives each point; draw the data on top.

    ``predict`` maps an (M, 2) tensor to (M, C) class scores, or to (M,) / (M, 1)
    logits (class 1 where the logit is positive).
    """
    xy = _as_array(points)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise ValueError(f"decision_boundary needs 2-D points of shape (N, 2), got shape {xy.shape}")
    classes = _as_array(labels).reshape(-1)
    low, high = xy.min(axis=0), xy.max(axis=0)
    pad = 0.1 * (high - low) + 1e-6
    gx, gy = np.meshgrid(
        np.linspace(low[0] - pad[0], high[0] + pad[0], resolution),
        np.linspace(low[1] - pad[1], high[1] + pad[1], resolution),
    )
    grid = tensor(np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32))
    with engine.no_grad():
        scores = predict(grid).detach().numpy()
    predicted = _predicted_class(scores).reshape(gx.shape)
    ax.contourf(gx, gy, predicted, alpha=0.25, cmap="coolwarm", levels=np.arange(predicted.max() + 2) - 0.5)
    ax.scatter(xy[:, 0], xy[:, 1], c=classes, cmap="coolwarm", s=12, edgecolors="black", linewidths=0.3)
    ax.set_title(t("viz.boundary"), fontsize=10)


def _predicted_class(scores: np.ndarray) -> np.ndarray:
    if scores.ndim == 2 and scores.shape[1] > 1:
        return scores.argmax(axis=1)
    return (scores.reshape(-1) > 0).astype(int)


def _as_array(values: Any) -> np.ndarray:
    if isinstance(values, Tensor):
        return values.detach().numpy()
    return np.asarray(values)


def gradient_norms(ax: Axes, norms: Mapping[str, Points], labels: Mapping[str, str] | None = None) -> None:
    """One line per layer: the norm of its parameters' gradient at each logged step (``labels`` name the lines)."""
    for name, points in norms.items():
        if points:
            steps, values = zip(*points)
            ax.plot(steps, values, label=(labels or {}).get(name, name))
    every_norm = [value for points in norms.values() for _, value in points]
    if every_norm and min(every_norm) > 0:
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(_LogTicks())
        ax.yaxis.set_minor_formatter(_LogTicks(labelOnlyBase=False))
    ax.set_xlabel(t("viz.steps"))
    ax.set_title(t("viz.grad_norms"), fontsize=10)
    ax.grid(alpha=0.3)
    if norms:
        ax.legend(loc="upper right", fontsize=8)


class _LogTicks(LogFormatterSciNotation):
    """The ticks matplotlib would label on a log axis, written like every other number (0.2, not 2x10^-1).

    Its exponents are set in small type (70 %): a plain number keeps every label at the axis' own size.
    """

    def __call__(self, x: float, pos: int | None = None) -> str:
        return numfmt.number(x) if super().__call__(x, pos) else ""
