"""The PyTorch twin: the same lesson code, run on autograd_lab and on real PyTorch, with the numbers side by side.

The lecture says "en PyTorch esto se escribe igual"; the twin makes it literal.
A lesson writes its example as a function of the library, ``ejemplo(torch)``,
returning the values to compare, and calls ``twin(ejemplo, pytorch)``, where
``pytorch`` is the real ``torch`` module the lesson imported, or None when it
is not installed.  This package never imports PyTorch itself.

The table's right-hand column (after ``┃``) and the verdict line are what
change with PyTorch installed or not; everything else is autograd_lab's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

import autograd_lab

from ..i18n import register, t
from .show import number

SEPARATOR = "┃"
INSTALL = "pip install torch --index-url https://download.pytorch.org/whl/cpu"


def _plain(value: Any) -> Any:
    """A tensor (of either library), number, bool, string or None as plain Python data."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if hasattr(value, "detach") and hasattr(value, "tolist"):
        return value.detach().tolist()
    if isinstance(value, (int, float)):
        return value
    raise TypeError(f"twin compares tensors, numbers, strings, bools and None; got {type(value).__name__}")


def _show(value: Any) -> str:
    if value is None or isinstance(value, (str, bool)):
        return str(value)
    items = np.asarray(value, dtype=np.float64).reshape(-1).tolist()
    return number(items[0]) if np.ndim(value) == 0 else "[" + ", ".join(number(item) for item in items) + "]"


def _same(ours: Any, theirs: Any) -> bool:
    if ours is None or theirs is None or isinstance(ours, (str, bool)) or isinstance(theirs, (str, bool)):
        return ours == theirs and type(ours) is type(theirs)
    a, b = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-5, atol=1e-6))


@dataclass(frozen=True)
class TwinResult:
    """The values of one program on both libraries (``theirs`` is None without PyTorch) and how they compare."""

    names: tuple[str, ...]
    ours: tuple[Any, ...]
    theirs: tuple[Any, ...] | None
    version: str | None

    @property
    def different(self) -> list[str]:
        """The names whose values differ between the two libraries (empty without PyTorch)."""
        if self.theirs is None:
            return []
        return [name for name, a, b in zip(self.names, self.ours, self.theirs) if not _same(a, b)]

    def lines(self) -> list[str]:
        """The side-by-side table and the verdict, one string per line."""
        ours = [_show(value) for value in self.ours]
        theirs = [_show(value) for value in self.theirs] if self.theirs is not None else ["—"] * len(ours)
        left = max(len(name) for name in self.names)
        width = max(len("autograd_lab"), *(len(text) for text in ours))
        lines = [f"{'':{left}}  {'autograd_lab':>{width}} {SEPARATOR} PyTorch"]
        lines += [f"{name:{left}}  {a:>{width}} {SEPARATOR} {b}" for name, a, b in zip(self.names, ours, theirs)]
        if self.theirs is None:
            lines.append(t("twin.missing", command=INSTALL))
        elif self.different:
            lines.append(t("twin.different", version=self.version, names=", ".join(self.different)))
        else:
            lines.append(t("twin.same", version=self.version))
        return lines


def compare(program: Callable[[ModuleType], Mapping[str, Any]], pytorch: ModuleType | None) -> TwinResult:
    """Run ``program(autograd_lab)`` and, if ``pytorch`` is a module, ``program(pytorch)``; keep their values."""
    if pytorch is not None and not isinstance(pytorch, ModuleType):
        raise TypeError(f"pytorch must be the torch module or None, got {type(pytorch).__name__}")
    results = program(autograd_lab)
    if not isinstance(results, Mapping) or not results:
        raise TypeError("the program must return a dict of named values, e.g. {'a.grad': a.grad}")
    ours = tuple(_plain(value) for value in results.values())
    theirs = None
    if pytorch is not None:
        other = program(pytorch)
        if list(other) != list(results):
            raise ValueError(f"the program returned {list(other)} on PyTorch and {list(results)} on autograd_lab")
        theirs = tuple(_plain(value) for value in other.values())
    version = getattr(pytorch, "__version__", None) if pytorch is not None else None
    return TwinResult(tuple(results), ours, theirs, version)


def twin(program: Callable[[ModuleType], Mapping[str, Any]], pytorch: ModuleType | None) -> None:
    """Print ``program``'s values on autograd_lab beside PyTorch's (or how to get PyTorch), and a verdict."""
    print("\n".join(compare(program, pytorch).lines()))


register(
    {
        "twin.same": {
            "es": "✔ PyTorch {version} da los mismos resultados.",
            "en": "✔ PyTorch {version} gives the same results.",
        },
        "twin.different": {
            "es": "✘ PyTorch {version} da otros resultados en: {names}.",
            "en": "✘ PyTorch {version} gives other results for: {names}.",
        },
        "twin.missing": {
            "es": "ℹ PyTorch no está instalado (es opcional): con él, esta celda ejecutaría el mismo código en "
            "PyTorch y pondría sus números al lado. Para instalarlo (versión para CPU): {command}; después, "
            "reinicia el kernel.",
            "en": "ℹ PyTorch is not installed (it is optional): with it, this cell would run the same code on "
            "PyTorch and put its numbers alongside. To install it (CPU build): {command}; then restart the kernel.",
        },
    }
)
