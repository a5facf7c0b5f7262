"""See the graph: ``draw`` (graphviz) and the teaching widgets (ipywidgets, matplotlib).

The submodules load on first use, so ``import autograd_lab`` stays quick.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "draw": "graph",
    "GraphDrawing": "graph",
    "format_array": "graph",
    "GraphExplorer": "widgets",
    "SensitivityExplorer": "widgets",
    "BackwardStepper": "widgets",
    "TrainingMonitor": "widgets",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'autograd_lab.viz' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module_name}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
