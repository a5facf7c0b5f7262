"""The reading path of the core library, in reading order, and its size in lines of code.

A line of code is a line that is not blank and not only a comment; docstrings
count, since a student reads them too.  ``python tools/reading_path.py`` prints each file's count and the
total, and exits with 1 when the total is past the budget
(``tests/test_structure.py`` runs the same check).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "autograd_lab"

# What a student reads to see how autograd works, in this order.
READING_PATH = [
    "tensor.py",  # the Tensor: storage, requires_grad, grad, grad_fn, backward, hooks, repr
    "function.py",  # Function and ctx: how one operation records itself
    "ops.py",  # the primitives, forward and backward side by side
    "engine.py",  # nodes, AccumulateGrad, topological_order, the backward walk
    "gradcheck.py",  # checking any backward against finite differences
]
BUDGET = 1200


def code_lines(path: Path) -> int:
    """Lines that are not blank and not only a comment (docstrings count: they are read too)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines if line.strip() and not line.strip().startswith("#"))


def report() -> tuple[dict[str, int], int]:
    """Code lines of each file of the reading path, and their total."""
    counts = {name: code_lines(PACKAGE / name) for name in READING_PATH}
    return counts, sum(counts.values())


def main() -> int:
    counts, total = report()
    for name, count in counts.items():
        print(f"autograd_lab/{name:14s} {count:5d}")
    print(f"{'total':27s} {total:5d}  (budget {BUDGET})")
    if total > BUDGET:
        print(f"the reading path has {total} lines of code, past its budget of {BUDGET}: move what a student")
        print("does not need to read (conveniences, speed paths) out of these files")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
