"""Helpers of the capstone notebook (ex08): the same training run by several implementations, side by side.

The student's notebook passes its own functions in; these helpers only call
them, time them and show the results (a table, one plot of the loss curves,
a grid of the misclassified test digits).  The network's predictions are
computed here with the library, never with code from an exercise answer.
While the student's code is not written yet (``NotImplementedError``, a
``None`` answer), each helper says so in one line instead of raising.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..i18n import register, t

register(
    {
        "capstone.pending": {
            "es": "Pendiente: {what} todavía no está escrito ({error}). Completa las partes de arriba y vuelve "
            "a ejecutar esta celda.",
            "en": "Pending: {what} is not written yet ({error}). Complete the parts above and run this cell again.",
        },
        "capstone.failed": {
            "es": "{what} lanzó {error}: revisa las comprobaciones de arriba.",
            "en": "{what} raised {error}: look at the checks above.",
        },
        "capstone.column.name": {"es": "implementación", "en": "implementation"},
        "capstone.column.final_loss": {"es": "pérdida final", "en": "final loss"},
        "capstone.column.accuracy": {"es": "exactitud en test", "en": "test accuracy"},
        "capstone.column.gap": {"es": "máx. |Δ pérdida| con {ref}", "en": "max |Δ loss| vs {ref}"},
        "capstone.column.seconds": {"es": "segundos", "en": "seconds"},
        "capstone.plot.step": {"es": "paso de SGD", "en": "SGD step"},
        "capstone.plot.loss": {"es": "pérdida del lote", "en": "batch loss"},
        "capstone.plot.title": {
            "es": "La misma semilla, la misma curva",
            "en": "The same seed, the same curve",
        },
        "capstone.grid.title": {
            "es": "{wrong} de {total} dígitos de test mal clasificados (real → predicho)",
            "en": "{wrong} of {total} test digits misclassified (true → predicted)",
        },
        "capstone.grid.none": {
            "es": "Ningún dígito de test mal clasificado.",
            "en": "No test digit misclassified.",
        },
    }
)

GAP_FLOOR = 1e-10  # curve differences below this are float64 rounding
PENDING_ERRORS = (NotImplementedError, TypeError)  # a stub, or a None answer used as a function or a dict


def passed(check_id: str) -> bool:
    """True when the check ``check_id`` passed in this notebook (the latest time its cell ran)."""
    from .checks import progress

    outcome = progress().outcomes.get(check_id)
    return outcome is not None and outcome.status == "passed"


def predict(params: Mapping[str, Any], X: np.ndarray) -> np.ndarray:
    """The digits a two-layer network (W1, b1, W2, b2) predicts for ``X``, computed with the library."""
    import autograd_lab as torch

    weights = {key: torch.tensor(np.asarray(value, dtype=np.float64)) for key, value in params.items()}
    hidden = (torch.tensor(np.asarray(X, dtype=np.float64)) @ weights["W1"].T + weights["b1"]).relu()
    logits = hidden @ weights["W2"].T + weights["b2"]
    return np.asarray(logits.argmax(dim=1).numpy())


@dataclass
class Run:
    """One implementation's training: its loss curve, final parameters, test accuracy and time."""

    name: str
    curve: np.ndarray
    params: dict[str, np.ndarray]
    accuracy: float
    seconds: float


@dataclass
class Comparison:
    """The runs of several implementations of the same training, compared with the first one."""

    runs: list[Run] = field(default_factory=list)
    problem: str = ""

    @property
    def reference(self) -> Run | None:
        """The run the others are compared with (the first)."""
        return self.runs[0] if self.runs else None

    def gap(self, run: Run) -> float:
        """The largest difference between ``run``'s loss curve and the reference's."""
        reference = self.reference
        if reference is None or len(run.curve) != len(reference.curve):
            return float("inf")
        return float(np.max(np.abs(run.curve - reference.curve), initial=0.0))

    def _rows(self) -> tuple[list[str], list[list[str]]]:
        reference = self.reference
        head = [
            t("capstone.column.name"),
            t("capstone.column.final_loss"),
            t("capstone.column.accuracy"),
            t("capstone.column.gap", ref=reference.name if reference else ""),
        ]
        rows = [
            [run.name, f"{run.curve[-1]:.4f}", f"{run.accuracy:.1%}", _gap_text(self.gap(run))] for run in self.runs
        ]
        return head, rows

    def __repr__(self) -> str:
        if self.problem:
            return self.problem
        head, rows = self._rows()
        widths = [max(len(line[i]) for line in [head, *rows]) for i in range(len(head))]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in [head, *rows]]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        if self.problem:
            return f"<p>{html.escape(self.problem)}</p>"
        head, rows = self._rows()
        header = "".join(f"<th>{html.escape(cell)}</th>" for cell in head)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
        return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"

    def times(self) -> str:
        """The seconds each implementation took (they vary from machine to machine)."""
        if self.problem:
            return self.problem
        return "\n".join(f"{run.name}: {run.seconds:.1f} {t('capstone.column.seconds')}" for run in self.runs)

    def plot(self) -> Any:
        """One figure with every implementation's loss curve (the curves lie on top of each other)."""
        if self.problem:
            print(self.problem)
            return None
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 3.2))
        styles = ["-", "--", ":", "-."]
        for k, run in enumerate(self.runs):
            ax.plot(run.curve, styles[k % len(styles)], linewidth=1.6 - 0.3 * k, label=run.name)
        ax.set_yscale("log")
        ax.set_xlabel(t("capstone.plot.step"))
        ax.set_ylabel(t("capstone.plot.loss"))
        ax.set_title(t("capstone.plot.title"))
        ax.legend()
        fig.tight_layout()
        plt.close(fig)
        return fig


def _gap_text(gap: float) -> str:
    """A curve difference as text; below 1e-10 it is rounding, and the last bits vary between machines."""
    return f"< {GAP_FLOOR:.0e}" if gap < GAP_FLOOR else f"{gap:.1e}"


def _describe(error: BaseException) -> str:
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return type(error).__name__ + (f": {message[:120]}" if message else "")


def compare_training(
    steps: Mapping[str, Callable[..., Any]],
    train: Callable[..., Any],
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_test: np.ndarray,
    y_test: np.ndarray,
    hiper: Any,
    seed: int = 0,
) -> Comparison:
    """Train with ``train(step, X_train, y_train, seed, hiper)`` once per step function and compare the runs.

    ``steps`` maps a name to a step function ``step(params, X, y) -> (loss, grads)``;
    ``train`` returns ``(params, loss_curve)``.  Every run starts from the same seed,
    so the same algorithm gives the same curve.
    """
    comparison = Comparison()
    for name, step in steps.items():
        start = time.perf_counter()
        try:
            params, curve = train(step, X_train, y_train, seed, hiper)
        except PENDING_ERRORS as error:
            return Comparison(problem=t("capstone.pending", what=name, error=_describe(error)))
        except Exception as error:  # the student's code failed: say where, without a traceback
            return Comparison(problem=t("capstone.failed", what=name, error=_describe(error)))
        seconds = time.perf_counter() - start
        params = {key: np.asarray(value, dtype=np.float64) for key, value in params.items()}
        accuracy = float(np.mean(predict(params, X_test) == np.asarray(y_test)))
        run = Run(name, np.asarray(curve, dtype=np.float64).reshape(-1), params, accuracy, seconds)
        comparison.runs.append(run)
    return comparison


def misclassified_grid(comparison: Comparison, X_test: np.ndarray, y_test: np.ndarray, columns: int = 10) -> Any:
    """A figure of the test digits the first run's network gets wrong, each titled "true → predicted"."""
    if comparison.problem or comparison.reference is None:
        print(comparison.problem)
        return None
    import matplotlib.pyplot as plt

    predicted = predict(comparison.reference.params, X_test)
    wrong = np.flatnonzero(predicted != np.asarray(y_test))
    if len(wrong) == 0:
        print(t("capstone.grid.none"))
        return None
    rows = -(-len(wrong) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 0.9, rows * 1.05 + 0.4), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, index in zip(axes.flat, wrong):
        ax.imshow(np.asarray(X_test[index]).reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"{int(y_test[index])} → {int(predicted[index])}", fontsize=9)
    fig.suptitle(t("capstone.grid.title", wrong=len(wrong), total=len(y_test)), fontsize=10)
    fig.tight_layout()
    plt.close(fig)
    return fig
