"""Execute notebooks in place, in this Python environment, so their stored outputs are reproducible.

    python tools/execute_notebooks.py solutions/*.ipynb notebooks/        # files or folders

Each notebook runs top to bottom in a fresh kernel started from this
interpreter (never a kernelspec found on the machine), with its folder as the
working directory, fixed hash seed and one BLAS thread.  Timing metadata is not
recorded, widget state (random model ids) is not stored unless asked for, and
the kernelspec is set to "python3", so re-running an unchanged notebook gives
an unchanged file.  A cell that raises stops the run with the error, unless the
cell is tagged ``raises-exception``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograd_lab.course.kernels import AsyncCurrentEnvKernelManager

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
    nbformat.write(nb, path)


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
