"""Exercise checks: ``check("ex04.tanh", Tanh)`` in a notebook answers at once, in Spanish or English.

``check`` runs the public cases (fixed seed) and returns feedback that shows
as HTML in a notebook and as plain text elsewhere; ``progress()`` sums the
points per exercise.  ``evaluate(..., scope="full")`` is what the grader runs:
the hidden cases too, with fresh randomness, returning plain data.
"""

from . import (  # noqa: F401  (importing a module registers its checks)
    ex01_tensores,
    ex02_gradientes,
    ex03_grafo,
    ex04_funciones,
    ex05_backward,
    ex06_capas,
    ex07_red_desde_cero,
    ex08_tu_autograd,
)
from .core import (
    CHECKS,
    FULL,
    PUBLIC,
    STATUSES,
    CheckSpec,
    Feedback,
    Outcome,
    Progress,
    check,
    evaluate,
    exercise_parts,
    exercise_title,
    get_check,
    progress,
)

__all__ = [
    "CHECKS",
    "FULL",
    "PUBLIC",
    "STATUSES",
    "CheckSpec",
    "Feedback",
    "Outcome",
    "Progress",
    "check",
    "evaluate",
    "exercise_parts",
    "exercise_title",
    "get_check",
    "progress",
]
