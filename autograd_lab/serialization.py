"""``save`` and ``load``: a tensor, a ``state_dict`` or any structure of them, to a file and back (with pickle).

As with ``torch.load``, loading runs the pickle: load only files you trust.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any


def save(obj: Any, f: Any) -> None:
    """Write ``obj`` (e.g. ``model.state_dict()``) to the path or binary file ``f``."""
    if hasattr(f, "write"):
        pickle.dump(obj, f)
        return
    with Path(f).open("wb") as file:
        pickle.dump(obj, file)


def load(f: Any, map_location: Any = None, weights_only: Any = None, **ignored: Any) -> Any:
    """Read back what ``save`` wrote (``map_location`` is accepted: everything is on the CPU)."""
    if hasattr(f, "read"):
        return pickle.load(f)  # noqa: S301  (as torch.load: only for files you trust)
    with Path(f).open("rb") as file:
        return pickle.load(file)  # noqa: S301
