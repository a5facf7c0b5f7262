"""Execute notebooks in place, in this Python environment, so their stored outputs are reproducible.

    python tools/execute_notebooks.py solutions/*.ipynb notebooks/        # files or folders

Each notebook runs top to bottom in a fresh kernel started from this
interpreter (never a kernelspec found on the machine), with its folder as the
working directory, fixed hash seed and one BLAS thread.  Timing metadata is not
recorded, widget state (random model ids) is not stored unless asked for, and
the kernelspec is set to "python3", so re-running an unchanged notebook gives
an unchanged file.  The widgets' random model ids (in the outputs, and in the
state kept with ``--store-widget-state``) are replaced by ids derived from the
notebook's name and the widgets' place in it, and each cell's consecutive
printed outputs are joined into one, so a re-run does not rewrite them.  A cell
that raises stops the run with the error, unless the cell is tagged
``raises-exception``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

from autograd_lab.course.kernels import AsyncCurrentEnvKernelManager

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MODEL_PREFIX = "IPY_MODEL_"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
DETERMINISTIC_ENV = {
    "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def notebook_paths(targets: list[str]) -> list[Path]:
    """The notebooks named by files and folders (checkpoints skipped), sorted."""
    paths: list[Path] = []
    for target in map(Path, targets):
        if target.is_dir():
            paths.extend(p for p in sorted(target.glob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts)
        elif target.suffix == ".ipynb" and target.exists():
            paths.append(target)
        else:
            raise SystemExit(f"execute_notebooks: {target} is not a notebook or a folder of notebooks")
    return paths


def execute(path: Path, timeout: int, widget_state: bool = False) -> None:
    """Run one notebook in a fresh kernel and write it back with its outputs."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        kernel_manager_class=AsyncCurrentEnvKernelManager,
        resources={"metadata": {"path": str(path.parent.resolve())}},
        record_timing=False,
        store_widget_state=widget_state,
    )
    env = {**os.environ, **DETERMINISTIC_ENV}
    client.execute(env=env)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb = stable_widget_ids(nb, path.stem)  # the outputs name their widgets even without the stored state
    joined_streams(nb)
    nbformat.write(nb, path)


def joined_streams(nb: Any) -> Any:
    """``nb`` with each run of consecutive stdout (or stderr) outputs of a cell joined into one.

    How a cell's printing is cut into messages depends on when the kernel
    flushed; joined, the stored outputs are the same on every run.
    """
    for cell in nb.cells:
        outputs = []
        for output in cell.get("outputs", []):
            previous = outputs[-1] if outputs else None
            if (
                output.get("output_type") == "stream"
                and previous is not None
                and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")
            ):
                previous["text"] = _text(previous["text"]) + _text(output["text"])
            else:
                outputs.append(output)
        if "outputs" in cell:
            cell.outputs = outputs
    return nb


def _text(text: str | list[str]) -> str:
    return text if isinstance(text, str) else "".join(text)


def _references(value: Any) -> Iterator[str]:
    """Model ids a widget's state refers to (``"IPY_MODEL_<id>"`` strings), in order."""
    if isinstance(value, str):
        if value.startswith(MODEL_PREFIX):
            yield value[len(MODEL_PREFIX) :]
    elif isinstance(value, dict):
        for key in sorted(value):
            yield from _references(value[key])
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def widget_order(nb: Any) -> list[str]:
    """The stored widget model ids in an order that does not depend on the ids themselves.

    First every widget reachable from the outputs (in output order, then depth
    first through the models each one refers to), then the rest (links between
    widgets, say) by their content.
    """
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    roots = [
        output["data"][WIDGET_VIEW]["model_id"]
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    ]
    order: list[str] = []
    seen: set[str] = set()
    stack = list(reversed(roots))
    while stack:
        model_id = stack.pop()
        if model_id in seen:
            continue
        seen.add(model_id)
        order.append(model_id)
        stack.extend(reversed(list(_references(state.get(model_id, {})))))
    known = {model_id: f"#{i}" for i, model_id in enumerate(order)}
    rest = [model_id for model_id in state if model_id not in seen]
    while rest:  # content, with the ids already placed written as their places

        def signature(model_id: str) -> str:
            text = json.dumps(state[model_id], sort_keys=True)
            for old, place in known.items():
                text = text.replace(old, place)
            return text

        rest.sort(key=signature)
        known[rest[0]] = f"#{len(order)}"
        order.append(rest.pop(0))
    return order


def stable_widget_ids(nb: Any, name: str) -> Any:
    """``nb`` with each widget model id replaced by one made from ``name`` and the widget's place."""
    order = widget_order(nb)
    if not order:
        return nb
    text = nbformat.writes(nb)
    for place, old in enumerate(order):
        text = text.replace(old, hashlib.sha256(f"{name}:{place}".encode()).hexdigest()[:32])
    return nbformat.reads(text, as_version=4)


def main(argv: list[str] | None = None) -> int:
    """Execute every notebook given; stop at the first one that fails."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="+", help="notebooks or folders of notebooks")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    parser.add_argument("--store-widget-state", action="store_true", help="keep ipywidgets state in the metadata")
    args = parser.parse_args(argv)
    for path in notebook_paths(args.targets):
        print(f"executing {path}", flush=True)
        execute(path, args.timeout, args.store_widget_state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
