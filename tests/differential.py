"""Differential runs: one short program, two libraries, the same outcome.

A program is a function of the library (``T``: ``autograd_lab`` or ``torch``)
that returns what it computed: tensors, numbers, shapes, dtypes, strings, or
nested tuples and lists of them.  ``outcome(program, T)`` runs it and records
either its normalized result or the exception it raised, with the warnings it
emitted.  ``compare`` says whether the two outcomes agree:

- results: the same structure, dtypes and shapes, and values within float
  tolerance (NaN where NaN is);
- errors: the same exception type (the first built-in class of each);
- warnings: a warning exactly where PyTorch warns (by category), when neither raises;
- never a numpy exception, numpy wording or a numpy warning reaching the user.

Run ``python tests/differential.py`` for the match rate over every program in
``differential_programs.py`` and the list of those that differ.
"""

from __future__ import annotations

import sys
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from autograd_lab.validation import quiet_numpy_warnings

RTOL, ATOL = 1e-4, 1e-6


@dataclass
class Outcome:
    """What a program did on one library."""

    value: Any = None
    error: str | None = None  # the first built-in exception class in the error's MRO
    message: str = ""
    warnings: list[str] = field(default_factory=list)  # "Category: message"
    leaks: list[str] = field(default_factory=list)  # numpy errors or warnings that reached the user


def _builtin_base(error_type: type) -> str:
    for cls in error_type.__mro__:
        if cls.__module__ == "builtins":
            return cls.__name__
    return error_type.__name__


def _raised_inside_numpy(error: BaseException) -> bool:
    """True when the innermost frame of the traceback is numpy's own code (a raw numpy error)."""
    tb = error.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    return last is not None and "numpy" in Path(last.tb_frame.f_code.co_filename).parts


def normalize(value: Any) -> Any:
    """A plain, comparable form of a result: tensors become (dtype, shape, values, requires_grad)."""
    kind = type(value).__module__.split(".")[0]
    name = type(value).__name__
    if name in ("Tensor", "Parameter") and kind in ("torch", "autograd_lab"):
        data = value.detach().numpy().copy()
        return ("tensor", str(value.dtype).split(".")[-1], tuple(data.shape), data, bool(value.requires_grad))
    if name == "dtype" and kind in ("torch", "autograd_lab"):
        return ("dtype", str(value).split(".")[-1])
    if name == "Size":
        return ("size", tuple(int(n) for n in value))
    if name == "device":
        return ("device", str(value))
    if isinstance(value, np.ndarray):
        return ("ndarray", str(value.dtype), value.shape, value.copy())
    if isinstance(value, np.generic):
        return normalize(value.item())
    if isinstance(value, (bool, int, float, complex, type(None))):
        return value
    if isinstance(value, str):
        return value.replace("autograd_lab", "torch")
    if isinstance(value, dict):
        return ("dict", [(normalize(k), normalize(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__ if type(value) in (list, tuple) else "tuple", [normalize(v) for v in value])
    if isinstance(value, type):
        return ("type", value.__name__)
    raise TypeError(f"a program returned a {type(value).__name__}; return tensors, numbers or strings")


def outcome(program: Callable[[Any], Any], library: Any) -> Outcome:
    """Run ``program(library)`` and record its result (or error) and warnings."""
    result = Outcome()
    with warnings.catch_warnings(record=True) as caught:
        # every warning, the same under pytest and as a script, except the numpy RuntimeWarnings
        # the library hides from its own arithmetic at import (validation.quiet_numpy_warnings)
        warnings.resetwarnings()
        quiet_numpy_warnings()
        warnings.simplefilter("always", append=True)
        # torch's own Tensor.__array_wrap__ predates NumPy 2's signature: NumPy's notice to torch's
        # developers, not a warning PyTorch gives its users on purpose
        warnings.filterwarnings("ignore", "__array_wrap__ must accept", DeprecationWarning)
        try:
            result.value = normalize(program(library))
        except Exception as error:  # noqa: BLE001  (every error is part of the outcome)
            result.error = _builtin_base(type(error))
            result.message = str(error)
            if type(error).__module__.startswith("numpy") or _raised_inside_numpy(error):
                where = traceback.extract_tb(error.__traceback__)[-1]
                result.leaks.append(f"numpy {type(error).__name__}: {error} ({where.name})")
    for w in caught:
        text = f"{w.category.__name__}: {w.message}"
        if "numpy" in Path(w.filename).parts or "encountered in" in str(w.message):
            result.leaks.append(f"numpy warning {text}")  # e.g. "divide by zero encountered in log"
        else:
            result.warnings.append(text)
    return result


def _same_value(a: Any, b: Any) -> str | None:
    """None when the normalized values agree, else what differs."""
    if isinstance(a, tuple) and a and a[0] == "tensor":
        if not (isinstance(b, tuple) and b and b[0] == "tensor"):
            return f"a tensor where PyTorch gives {b!r}"
        _, dtype_a, shape_a, values_a, grad_a = a
        _, dtype_b, shape_b, values_b, grad_b = b
        if dtype_a != dtype_b:
            return f"dtype {dtype_a}, PyTorch {dtype_b}"
        if shape_a != shape_b:
            return f"shape {shape_a}, PyTorch {shape_b}"
        if grad_a != grad_b:
            return f"requires_grad {grad_a}, PyTorch {grad_b}"
        return _same_numbers(values_a, values_b)
    if isinstance(a, tuple) and len(a) == 4 and a[0] == "ndarray":
        if not (isinstance(b, tuple) and len(b) == 4 and b[0] == "ndarray"):
            return f"an ndarray where PyTorch gives {b!r}"
        if a[1] != b[1] or a[2] != b[2]:
            return f"ndarray {a[1]}{a[2]}, PyTorch {b[1]}{b[2]}"
        return _same_numbers(a[3], b[3])
    if isinstance(a, tuple) and len(a) == 2 and isinstance(a[1], list):
        if not (isinstance(b, tuple) and len(b) == 2 and isinstance(b[1], list)) or a[0] != b[0]:
            return f"{a[0]} where PyTorch gives {b!r}"
        if len(a[1]) != len(b[1]):
            return f"{len(a[1])} items, PyTorch {len(b[1])}"
        for i, (x, y) in enumerate(zip(a[1], b[1])):
            problem = _same_value(x, y)
            if problem:
                return f"[{i}] {problem}"
        return None
    if type(a) is not type(b):
        return f"{type(a).__name__} {a!r}, PyTorch {type(b).__name__} {b!r}"
    if isinstance(a, float):
        return _same_numbers(np.asarray(a), np.asarray(b))
    if isinstance(a, tuple):
        if len(a) != len(b):
            return f"{a!r}, PyTorch {b!r}"
        for x, y in zip(a, b):
            problem = _same_value(x, y)
            if problem:
                return problem
        return None
    return None if a == b else f"{a!r}, PyTorch {b!r}"


def _same_numbers(a: np.ndarray, b: np.ndarray) -> str | None:
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        rtol = 1e-2 if np.float16 in (a.dtype, b.dtype) else RTOL
        if np.allclose(a64, b64, rtol=rtol, atol=ATOL, equal_nan=True) and np.array_equal(np.isnan(a64), np.isnan(b64)):
            return None
    elif np.array_equal(a, b):
        return None
    return f"values {np.array2string(a, threshold=12)}, PyTorch {np.array2string(b, threshold=12)}"


def _warning_kinds(messages: list[str]) -> list[str]:
    return sorted({m.split(":")[0] for m in messages})


def compare(ours: Outcome, theirs: Outcome) -> str | None:
    """None when the outcomes agree; otherwise one line saying what differs."""
    if ours.leaks:
        return "leak: " + "; ".join(ours.leaks)
    if ours.error or theirs.error:
        if ours.error != theirs.error:
            got = f"{ours.error}: {ours.message}" if ours.error else "no error"
            wanted = f"{theirs.error}: {theirs.message}" if theirs.error else "no error"
            return f"raises {got[:200]!r}; PyTorch: {wanted[:200]!r}"
        return None  # the same error: what the user sees (a warning on the way to it is incidental)
    else:
        problem = _same_value(ours.value, theirs.value)
        if problem:
            return problem
    if _warning_kinds(ours.warnings) != _warning_kinds(theirs.warnings):
        return f"warnings {ours.warnings}; PyTorch {theirs.warnings}"
    return None


def run_all(programs: list[Callable[[Any], Any]]) -> list[tuple[str, str | None]]:
    """(name, difference or None) for every program."""
    import torch

    import autograd_lab

    torch.set_warn_always(True)  # PyTorch warns once per process otherwise
    results = []
    for program in programs:
        theirs = outcome(program, torch)
        ours = outcome(program, autograd_lab)
        results.append((program.__name__, compare(ours, theirs)))
    return results


def main() -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    from differential_programs import PROGRAMS

    results = run_all(PROGRAMS)
    differ = [(name, problem) for name, problem in results if problem]
    for name, problem in differ:
        print(f"DIFFERS {name}: {problem}")
    same = len(results) - len(differ)
    print(f"{same}/{len(results)} programs behave as in PyTorch ({100 * same / len(results):.1f}%)")
    return 0 if not differ else 1


if __name__ == "__main__":
    sys.exit(main())
