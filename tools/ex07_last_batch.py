"""ex07's note on the small last batch, measured: the solution's network trained with and without it.

1347 training digits in batches of 32 leave a last batch of 3 in every epoch.
``python tools/ex07_last_batch.py`` trains the solution's network (its
``inicializar``, ``forward`` and ``backward``; 64 hidden neurons, 30 epochs,
batches of 32) with seeds 0-29 at ``lr = 1``, once using that last batch and
once skipping it, and prints, for each, the runs that end below the 95% test
accuracy the check asks for.  ``tests/test_exercise_checks.py`` replays one of
those seeds.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import numpy as np

from autograd_lab.course.checks.ex07_red_desde_cero import accuracy, digits_split
from autograd_lab.course.release import check_call

SOLUTION = Path(__file__).resolve().parent.parent / "solutions" / "ex07_red_desde_cero.ipynb"
HIPER = {"epocas": 30, "lr": 1.0, "tam_lote": 32, "n_oculta": 64}


@functools.cache
def solution_functions() -> dict[str, Callable[..., Any]]:
    """The solution's inicializar, forward and backward (its code cells run, not its checks)."""
    names: dict[str, Any] = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in nbformat.read(SOLUTION, as_version=4).cells:
            if cell.cell_type == "code" and not check_call(cell.source) and cell.source.strip() != "progress()":
                exec(compile(cell.source, SOLUTION.name, "exec"), names)
    return {name: names[name] for name in ("inicializar", "forward", "backward")}


@functools.cache
def _digits() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return digits_split()


def train(seed: int, use_last_batch: bool, hiper: dict[str, Any] = HIPER) -> float:
    """Test accuracy after SGD with the solution's functions; the last, smaller batch used or skipped."""
    f = solution_functions()
    X_train, X_test, y_train, y_test = _digits()
    rng = np.random.default_rng(seed)
    params = f["inicializar"](X_train.shape[1], hiper["n_oculta"], 10, seed)
    size, n = hiper["tam_lote"], len(X_train)
    with np.errstate(all="ignore"):
        for _ in range(hiper["epocas"]):
            order = rng.permutation(n)
            for start in range(0, n if use_last_batch else n - size + 1, size):
                batch = order[start : start + size]
                _, cache = f["forward"](params, X_train[batch])
                grads = f["backward"](params, cache, y_train[batch])
                for key in params:
                    params[key] -= hiper["lr"] * grads[key]
    if not all(np.isfinite(value).all() for value in params.values()):
        return 0.0
    return accuracy(params, X_test, y_test)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30)
    seeds = range(parser.parse_args().seeds)
    for use in (True, False):
        scores = {seed: train(seed, use) for seed in seeds}
        low = {seed: round(score, 3) for seed, score in scores.items() if score < 0.95}
        label = "using the last batch" if use else "skipping it"
        print(f"{label}: {len(low)} of {len(scores)} runs below 95% test accuracy {low}")


if __name__ == "__main__":
    main()
